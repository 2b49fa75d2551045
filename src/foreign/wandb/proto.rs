//! The few messages of `wandb.internal` (`wandb_internal.proto`) a run's metrics and params
//! need, declared by hand with its field numbers. Other record kinds (the summary's final
//! values, files, stats, telemetry) are skipped by the decoder without being copied. The members of the
//! record's `oneof` are declared as optional fields: on the wire they are the same.

use prost::Message;

/// `wandb.internal.Record`.
#[derive(Clone, PartialEq, Message)]
pub struct Record {
    /// `oneof record_type`: `history`, the points of one step.
    #[prost(message, optional, tag = "2")]
    pub history: Option<HistoryRecord>,
    /// `oneof record_type`: `output`, console lines (older SDKs).
    #[prost(message, optional, tag = "4")]
    pub output: Option<OutputRecord>,
    /// `oneof record_type`: `config`, changes to the run's configuration.
    #[prost(message, optional, tag = "5")]
    pub config: Option<ItemsRecord>,
    /// `oneof record_type`: `run`, the run's identity.
    /// `oneof record_type`: `output_raw`, console text as written.
    #[prost(message, optional, tag = "13")]
    pub output_raw: Option<OutputRecord>,
    #[prost(message, optional, tag = "17")]
    pub run: Option<RunRecord>,
}

/// `OutputRecord` and `OutputRawRecord`: a piece of the run's stdout or stderr.
#[derive(Clone, PartialEq, Message)]
pub struct OutputRecord {
    #[prost(string, tag = "3")]
    pub line: String,
}

/// `wandb.internal.HistoryRecord`.
#[derive(Clone, PartialEq, Message)]
pub struct HistoryRecord {
    #[prost(message, repeated, tag = "1")]
    pub item: Vec<Item>,
    #[prost(message, optional, tag = "2")]
    pub step: Option<HistoryStep>,
}

/// `wandb.internal.HistoryStep`.
#[derive(Clone, PartialEq, Message)]
pub struct HistoryStep {
    #[prost(int64, tag = "1")]
    pub num: i64,
}

/// `HistoryItem`, `ConfigItem` and `SummaryItem`: one key (or nested key) and its JSON value.
#[derive(Clone, PartialEq, Message)]
pub struct Item {
    #[prost(string, tag = "1")]
    pub key: String,
    #[prost(string, repeated, tag = "2")]
    pub nested_key: Vec<String>,
    #[prost(string, tag = "16")]
    pub value_json: String,
}

/// `ConfigRecord`: items updated (`update`); removals are not read.
#[derive(Clone, PartialEq, Message)]
pub struct ItemsRecord {
    #[prost(message, repeated, tag = "1")]
    pub update: Vec<Item>,
}

/// `wandb.internal.RunRecord`.
#[derive(Clone, PartialEq, Message)]
pub struct RunRecord {
    #[prost(string, tag = "1")]
    pub run_id: String,
    #[prost(string, tag = "3")]
    pub project: String,
    #[prost(message, optional, tag = "4")]
    pub config: Option<ItemsRecord>,
    #[prost(string, tag = "8")]
    pub display_name: String,
    #[prost(string, repeated, tag = "10")]
    pub tags: Vec<String>,
}
