//! Plain data shared by the subsystems: what parsers give the store ([`Batch`] and its
//! points, run keys, locations and skipped lines), and what the store gives back (runs, metric
//! summaries, series).

mod batch;

pub use batch::{Batch, Location, Point, Restart, RunKey, Skip};

use serde::{Deserialize, Serialize};

/// A run as listed by `tracker runs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    pub name: String,
    /// Creation time, seconds since the Unix epoch.
    pub created: f64,
    /// Where the run's data first came from (a path, `exec: …`, `log`).
    pub source: String,
    pub status: String,
    /// Number of stored points (one per metric and step).
    pub points: u64,
    pub metrics: u64,
    pub last_step: Option<i64>,
}

/// What `tracker show` prints for one metric of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSummary {
    pub metric: String,
    pub points: u64,
    pub first_step: i64,
    pub last_step: i64,
    /// The value at the last step (may be NaN or infinite).
    #[serde(serialize_with = "crate::model::ser_f64")]
    pub last: f64,
    /// Minimum and maximum over the finite values; `None` when there are none.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Number of NaN and infinite values.
    pub non_finite: u64,
}

/// One entry of a run's history (imports, restarts, renames).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub time: f64,
    pub kind: String,
    pub source: Option<String>,
    /// The step of a restart; the first step an entry of writing covers.
    pub step: Option<i64>,
    /// The last step an entry of writing covers.
    pub last_step: Option<i64>,
    /// How many points an entry of writing made new or changed.
    pub points: Option<i64>,
    pub detail: Option<String>,
}

/// A stored run with everything `tracker show` needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDetail {
    #[serde(flatten)]
    pub summary: RunSummary,
    pub params: serde_json::Value,
    pub metrics: Vec<MetricSummary>,
    pub history: Vec<HistoryEntry>,
}

/// A curve: steps ascending, one value per step, with optional wall times.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub steps: Vec<i64>,
    pub values: Vec<f64>,
    pub wall_times: Vec<Option<f64>>,
}

impl Series {
    pub fn len(&self) -> usize {
        self.steps.len()
    }
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// A metric value for people to read: at most 4 decimals, scientific notation for very large or
/// small magnitudes, `NaN` / `inf` / `-inf` spelled out.
/// Why `name` cannot name a run, if it cannot: it is empty, begins with `@` (the start of a
/// run reference such as `@latest`), or holds a control character (a newline, a tab).
pub fn check_run_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("a run name cannot be empty".into());
    }
    if name.starts_with('@') {
        return Err(format!(
            "'{name}' cannot name a run: names beginning with @ are references (@latest, @latest~N)"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "{name:?} cannot name a run: it holds a control character (a newline, a tab)"
        ));
    }
    Ok(())
}

/// A stored value as tables and JSON-free text show it: up to four decimals, scientific
/// notation outside 1e-3..1e6, `NaN`, `inf`, `-inf`.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        return format!("{v:.3e}");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_owned() }
}

/// JSON has no NaN or infinity: write them as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn ser_f64<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_nan() {
        s.serialize_str("NaN")
    } else if v.is_infinite() {
        s.serialize_str(if *v > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        s.serialize_f64(*v)
    }
}

/// How far `tracker tail` has read a file, stored with the points it covered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourcePosition {
    /// The file, absolute: the key.
    pub path: String,
    /// The run its points go to, unless the data names one.
    pub run: String,
    /// The format it is read as (`--format` name); `None` while not yet settled.
    pub format: Option<String>,
    /// Bytes read and committed: the end of the last complete line or record.
    pub offset: u64,
    /// The file's size when last read.
    pub size: u64,
    /// Device and inode of the file read.
    pub dev: u64,
    pub inode: u64,
    /// Its first bytes (up to 1 KiB), to tell a file rewritten in place from the same one.
    pub head: Vec<u8>,
    /// What its steps were read against (a console log's `trainer_state.json`), if anything.
    pub reading: Option<String>,
}

/// The label of one curve (shared by the classifier and the metric definitions). Words are exactly those of [`Verdict::as_str`] in every output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    #[default]
    Healthy,
    Stagnant,
    Oscillating,
    Diverging,
    InsufficientData,
}

impl Verdict {
    /// All verdicts, from least to most severe.
    pub const ALL: [Verdict; 5] = [
        Verdict::InsufficientData,
        Verdict::Healthy,
        Verdict::Stagnant,
        Verdict::Oscillating,
        Verdict::Diverging,
    ];

    /// `"healthy" | "stagnant" | "oscillating" | "diverging" | "insufficient_data"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Healthy => "healthy",
            Verdict::Stagnant => "stagnant",
            Verdict::Oscillating => "oscillating",
            Verdict::Diverging => "diverging",
            Verdict::InsufficientData => "insufficient_data",
        }
    }

    /// Parses a verdict word (case-insensitive; `-` or a space may stand for `_`).
    pub fn from_word(word: &str) -> Option<Verdict> {
        let w = word.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Verdict::ALL.into_iter().find(|v| v.as_str() == w)
    }

    /// Ordering for a run's badge (its worst curve's verdict):
    /// diverging 4 > oscillating 3 > stagnant 2 > healthy 1 > insufficient_data 0.
    pub fn severity(self) -> u8 {
        match self {
            Verdict::InsufficientData => 0,
            Verdict::Healthy => 1,
            Verdict::Stagnant => 2,
            Verdict::Oscillating => 3,
            Verdict::Diverging => 4,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Maximize,
    Minimize,
    #[default]
    Unknown,
}

impl Direction {
    /// +1 for `Maximize` and `Unknown`, −1 for `Minimize`: oriented values are `sign · y`,
    /// so higher is better.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Minimize => -1.0,
            Direction::Maximize | Direction::Unknown => 1.0,
        }
    }

    /// `"maximize"` / `"minimize"` (also `max`, `min`, `higher`, `lower`); else `None`.
    pub fn from_word(word: &str) -> Option<Direction> {
        match word.trim().to_ascii_lowercase().as_str() {
            "maximize" | "max" | "higher" => Some(Direction::Maximize),
            "minimize" | "min" | "lower" => Some(Direction::Minimize),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Maximize => "maximize",
            Direction::Minimize => "minimize",
            Direction::Unknown => "unknown",
        }
    }

    /// The other way (`Unknown` stays `Unknown`).
    pub fn flipped(self) -> Direction {
        match self {
            Direction::Maximize => Direction::Minimize,
            Direction::Minimize => Direction::Maximize,
            Direction::Unknown => Direction::Unknown,
        }
    }
}
