//! A small event-file writer, for tests and benchmarks only: it writes what TensorBoard writers
//! write (a `file_version` record, then one `Event` per call), nothing more.

use super::proto::{
    DATA_CLASS_SCALAR, Dim, Event, PluginData, Summary, SummaryMetadata, TensorProto,
    TensorShapeProto, Value, dtype,
};
use super::record;
use prost::Message;

/// An event file being built in memory.
#[derive(Debug, Default)]
pub struct EventWriter {
    bytes: Vec<u8>,
    payload: Vec<u8>,
}

impl EventWriter {
    /// A file that starts, as real ones do, with a `brain.Event:2` record at `wall_time`.
    pub fn new(wall_time: f64) -> Self {
        let mut w = EventWriter::default();
        w.event(&Event {
            wall_time,
            file_version: Some("brain.Event:2".into()),
            ..Event::default()
        });
        w
    }

    /// Append one event.
    pub fn event(&mut self, ev: &Event) {
        self.payload.clear();
        // Encoding into a Vec cannot run out of room.
        let _ = ev.encode(&mut self.payload);
        record::encode(&self.payload, &mut self.bytes);
    }

    /// Append raw bytes (to damage a file on purpose).
    pub fn raw(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// Append a `simple_value` scalar, as tensorboardX, PyTorch and Lightning write them.
    pub fn scalar(&mut self, tag: &str, step: i64, value: f32, wall_time: f64) {
        self.event(&summary_event(
            wall_time,
            step,
            Value {
                tag: tag.into(),
                simple_value: Some(value),
                ..Value::default()
            },
        ));
    }

    /// Append a TF2 scalar: a rank-0 DT_FLOAT tensor of the `scalars` plugin, with the plugin
    /// metadata only when `with_metadata` (writers put it on a tag's first value).
    pub fn tensor_scalar(
        &mut self,
        tag: &str,
        step: i64,
        value: f32,
        wall_time: f64,
        with_metadata: bool,
    ) {
        let tensor = TensorProto {
            dtype: dtype::FLOAT,
            tensor_shape: Some(TensorShapeProto::default()),
            tensor_content: value.to_le_bytes().to_vec(),
            ..TensorProto::default()
        };
        self.tensor(
            tag,
            step,
            tensor,
            wall_time,
            with_metadata.then_some("scalars"),
        );
    }

    /// Append a tensor summary with the given plugin name in its metadata.
    pub fn tensor(
        &mut self,
        tag: &str,
        step: i64,
        tensor: TensorProto,
        wall_time: f64,
        plugin: Option<&str>,
    ) {
        let metadata = plugin.map(|name| SummaryMetadata {
            plugin_data: Some(PluginData {
                plugin_name: name.into(),
            }),
            data_class: if name == "scalars" {
                DATA_CLASS_SCALAR
            } else {
                0
            },
        });
        self.event(&summary_event(
            wall_time,
            step,
            Value {
                tag: tag.into(),
                tensor: Some(tensor),
                metadata,
                ..Value::default()
            },
        ));
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

fn summary_event(wall_time: f64, step: i64, value: Value) -> Event {
    Event {
        wall_time,
        step,
        summary: Some(Summary { value: vec![value] }),
        ..Event::default()
    }
}

/// A tensor of `n` floats, shape `[n]`.
pub fn float_tensor(values: &[f32]) -> TensorProto {
    TensorProto {
        dtype: dtype::FLOAT,
        tensor_shape: Some(TensorShapeProto {
            dim: vec![Dim {
                size: values.len() as i64,
            }],
            unknown_rank: false,
        }),
        float_val: values.to_vec(),
        ..TensorProto::default()
    }
}

/// An event file of synthetic scalars: `tags` tags (`train/tag0`, `train/tag1`, ...) logged at
/// each of `steps` steps, as tensorboardX writes them (one event per value).
pub fn synthetic(tags: usize, steps: i64) -> Vec<u8> {
    let names: Vec<String> = (0..tags).map(|t| format!("train/tag{t}")).collect();
    let mut w = EventWriter::new(1.7e9);
    for step in 0..steps {
        for (t, name) in names.iter().enumerate() {
            let v = 1.0 / (1.0 + step as f32) + t as f32;
            w.scalar(name, step, v, 1.7e9 + step as f64);
        }
    }
    w.into_bytes()
}
