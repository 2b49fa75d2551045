//! Pure parsers for the formats training jobs already write. Nothing here touches the disk or
//! the database: a parser is fed bytes and fills a [`Batch`].
//!
//! | format | what writes it |
//! |---|---|
//! | [`Format::Jsonl`] | one JSON object per line (custom loggers, LLaMA-Factory, Detectron2; MMDetection / MMSegmentation `*.log.json` and MMEngine `scalars.json` through [`phases`]) |
//! | [`Format::Csv`] | Lightning and Keras `CSVLogger`, YOLO `results.csv`, Stable-Baselines3 `progress.csv` and `monitor.csv`, long (`epoch,split,loss`, `step,metric,value`) and pandas CSVs, any CSV/TSV with a step column (see [`csv_roles`]) |
//! | [`Format::HfLog`] | the dict lines the Hugging Face Trainer prints |
//! | [`Format::HfState`] | the Trainer's `trainer_state.json` |
//! | [`Format::Columns`] | a JSON dict of lists, one step per index: Keras `History.history` saved with `json.dump`, also nested beside metadata |
//! | [`Format::KeyValue`] | plain log lines with `key=value` or `key: value` pairs, and the tables Stable-Baselines3 prints |
//! | [`Format::TfEvents`] | TensorBoard event files (`events.out.tfevents.*`) |
//! | [`Format::YoloTxt`] | YOLOv5's (and YOLOv3's) older headerless `results.txt`, one row per epoch |

pub mod columns;
pub mod csv;
pub mod csv_roles;
pub mod detect;
pub mod hf_log;
pub mod hf_state;
pub mod json;
pub mod jsonl;
pub mod keyvalue;
pub mod lines;
pub mod number;
pub mod phases;
pub mod pydict;
pub mod step;
pub mod step_source;
pub mod tfevents;
pub mod yolo_txt;

pub use crate::model::{Batch, Location, Point, Restart, RunKey, Skip};
pub use detect::{Format, detect};

/// A parser of one format, fed the input's bytes in order.
pub trait Parser: Send {
    /// Parse a prefix of `data` and return how many bytes it consumed. Bytes not consumed (an
    /// incomplete last line or record) are offered again, with more appended, on the next call.
    /// With `eof` the input is complete: everything is consumed and pending output flushed.
    fn feed(&mut self, data: &[u8], eof: bool, out: &mut Batch) -> usize;
}

/// The UTF-8 byte-order mark some Windows tools write at the start of a text file.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// `data` without a leading byte-order mark (every text format starts after it).
pub fn strip_bom(data: &[u8]) -> &[u8] {
    data.strip_prefix(BOM).unwrap_or(data)
}

/// Settings that change how some formats are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Hugging Face Trainer `logging_steps`, for stdout logs without a `trainer_state.json`.
    pub logging_steps: Option<u64>,
    /// Steps of the same run from its `trainer_state.json`, to give stdout logs exact steps.
    pub hf_reference: Option<Vec<hf_log::Reference>>,
}

/// A parser for `format`.
pub fn parser(format: Format, options: &Options) -> Box<dyn Parser> {
    match format {
        Format::Jsonl => Box::new(lines::Lines::new(jsonl::Jsonl::default())),
        Format::Csv => Box::new(lines::Lines::new(csv::Csv::default())),
        Format::HfLog => Box::new(lines::Lines::new(hf_log::HfLog::new(options))),
        Format::HfState => Box::new(hf_state::HfState::default()),
        Format::Columns => Box::new(columns::Columns::default()),
        Format::KeyValue => Box::new(lines::Lines::new(keyvalue::KeyValue::default())),
        Format::TfEvents => Box::new(tfevents::TfEvents::new()),
        Format::YoloTxt => Box::new(lines::Lines::new(yolo_txt::YoloTxt::default())),
    }
}

/// Parse a whole input held in memory (tests and small files).
pub fn parse_all(format: Format, options: &Options, data: &[u8]) -> Batch {
    let mut batch = Batch::new();
    let mut p = parser(format, options);
    p.feed(data, true, &mut batch);
    batch
}
