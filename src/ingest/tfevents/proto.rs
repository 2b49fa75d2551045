//! The few TensorFlow protos an event file's scalars need, declared by hand with the field
//! numbers of tensorboard's `compat/proto/{event,summary,tensor,tensor_shape,types}.proto`.
//! Fields that are not declared (graphs, images, histograms, audio, session logs) are skipped by
//! the decoder without being copied. The members of a `oneof` are declared as optional fields:
//! on the wire they are the same.

use prost::Message;

/// `tensorboard.Event`.
#[derive(Clone, PartialEq, Message)]
pub struct Event {
    #[prost(double, tag = "1")]
    pub wall_time: f64,
    #[prost(int64, tag = "2")]
    pub step: i64,
    /// `oneof what`: `file_version`, the first record of a file.
    #[prost(string, optional, tag = "3")]
    pub file_version: Option<String>,
    /// `oneof what`: `summary`.
    #[prost(message, optional, tag = "5")]
    pub summary: Option<Summary>,
}

/// `tensorboard.Summary`.
#[derive(Clone, PartialEq, Message)]
pub struct Summary {
    #[prost(message, repeated, tag = "1")]
    pub value: Vec<Value>,
}

/// `tensorboard.Summary.Value`.
#[derive(Clone, PartialEq, Message)]
pub struct Value {
    #[prost(string, tag = "1")]
    pub tag: String,
    /// `oneof value`: `simple_value` (TF1 `tf.summary.scalar`, tensorboardX, PyTorch).
    #[prost(float, optional, tag = "2")]
    pub simple_value: Option<f32>,
    /// `oneof value`: `tensor` (TF2 summaries, scalars included).
    #[prost(message, optional, tag = "8")]
    pub tensor: Option<TensorProto>,
    /// Often only on a tag's first value: the plugin (`scalars`, `images`, ...) it is for.
    #[prost(message, optional, tag = "9")]
    pub metadata: Option<SummaryMetadata>,
}

/// `tensorboard.SummaryMetadata`.
#[derive(Clone, PartialEq, Message)]
pub struct SummaryMetadata {
    #[prost(message, optional, tag = "1")]
    pub plugin_data: Option<PluginData>,
    /// `DataClass`: 1 is `DATA_CLASS_SCALAR`.
    #[prost(int32, tag = "4")]
    pub data_class: i32,
}

/// `tensorboard.SummaryMetadata.PluginData` (its `content` is not needed).
#[derive(Clone, PartialEq, Message)]
pub struct PluginData {
    #[prost(string, tag = "1")]
    pub plugin_name: String,
}

/// `tensorboard.TensorProto`, the numeric representations only.
#[derive(Clone, PartialEq, Message)]
pub struct TensorProto {
    /// `tensorboard.DataType`.
    #[prost(int32, tag = "1")]
    pub dtype: i32,
    #[prost(message, optional, tag = "2")]
    pub tensor_shape: Option<TensorShapeProto>,
    #[prost(bytes = "vec", tag = "4")]
    pub tensor_content: Vec<u8>,
    #[prost(float, repeated, tag = "5")]
    pub float_val: Vec<f32>,
    #[prost(double, repeated, tag = "6")]
    pub double_val: Vec<f64>,
    #[prost(int32, repeated, tag = "7")]
    pub int_val: Vec<i32>,
    #[prost(int64, repeated, tag = "10")]
    pub int64_val: Vec<i64>,
    /// DT_HALF and DT_BFLOAT16: 16 bits in an int32.
    #[prost(int32, repeated, tag = "13")]
    pub half_val: Vec<i32>,
}

/// `tensorboard.TensorShapeProto`.
#[derive(Clone, PartialEq, Message)]
pub struct TensorShapeProto {
    #[prost(message, repeated, tag = "2")]
    pub dim: Vec<Dim>,
    #[prost(bool, tag = "3")]
    pub unknown_rank: bool,
}

/// `tensorboard.TensorShapeProto.Dim`.
#[derive(Clone, PartialEq, Message)]
pub struct Dim {
    #[prost(int64, tag = "1")]
    pub size: i64,
}

/// `DataType` values read as scalars.
pub mod dtype {
    pub const FLOAT: i32 = 1;
    pub const DOUBLE: i32 = 2;
    pub const INT32: i32 = 3;
    pub const UINT8: i32 = 4;
    pub const INT16: i32 = 5;
    pub const INT8: i32 = 6;
    pub const INT64: i32 = 9;
    pub const BFLOAT16: i32 = 14;
    pub const UINT16: i32 = 17;
    pub const HALF: i32 = 19;
}

/// `DATA_CLASS_SCALAR`.
pub const DATA_CLASS_SCALAR: i32 = 1;

/// IEEE 754 half precision to f64.
fn f16_to_f64(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((bits >> 10) & 0x1f);
    let frac = f64::from(bits & 0x3ff);
    sign * match exp {
        0 => frac * 2f64.powi(-24),
        31 if frac == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + frac / 1024.0) * 2f64.powi(exp - 15),
    }
}

fn bf16_to_f64(bits: u16) -> f64 {
    f64::from(f32::from_bits(u32::from(bits) << 16))
}

impl TensorProto {
    /// The number of elements its shape says it has (1 for a rank-0 tensor).
    fn elements(&self) -> Option<i64> {
        match &self.tensor_shape {
            Some(s) if s.unknown_rank => None,
            Some(s) => s
                .dim
                .iter()
                .try_fold(1i64, |n, d| (d.size >= 0).then(|| n.saturating_mul(d.size))),
            None => Some(1),
        }
    }

    /// Its value, if it holds exactly one number.
    pub fn scalar(&self) -> Option<f64> {
        if self.elements()? != 1 {
            return None;
        }
        let c = &self.tensor_content;
        let raw = |n: usize| -> Option<&[u8]> { (c.len() == n).then_some(c.as_slice()) };
        let half = |conv: fn(u16) -> f64| -> Option<f64> {
            if c.is_empty() {
                one(&self.half_val).map(|h| conv(h as u16))
            } else {
                raw(2).map(|b| conv(u16::from_le_bytes([b[0], b[1]])))
            }
        };
        match self.dtype {
            dtype::FLOAT if c.is_empty() => one(&self.float_val).map(f64::from),
            dtype::FLOAT => raw(4).map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
            dtype::DOUBLE if c.is_empty() => one(&self.double_val),
            dtype::DOUBLE => raw(8)
                .and_then(|b| b.try_into().ok())
                .map(f64::from_le_bytes),
            dtype::HALF => half(f16_to_f64),
            dtype::BFLOAT16 => half(bf16_to_f64),
            dtype::INT32 | dtype::INT16 | dtype::INT8 | dtype::UINT8 | dtype::UINT16
                if c.is_empty() =>
            {
                one(&self.int_val).map(f64::from)
            }
            dtype::INT32 => raw(4).map(|b| f64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
            dtype::INT64 if c.is_empty() => one(&self.int64_val).map(|v| v as f64),
            dtype::INT64 => raw(8)
                .and_then(|b| b.try_into().ok())
                .map(|b| i64::from_le_bytes(b) as f64),
            _ => None,
        }
    }
}

/// The only element of a repeated field.
fn one<T: Copy>(v: &[T]) -> Option<T> {
    match v {
        [x] => Some(*x),
        _ => None,
    }
}

/// Decode one record's payload.
pub fn decode(payload: &[u8]) -> Result<Event, prost::DecodeError> {
    Event::decode(payload)
}
