//! The serde types of a metric definition (`metric_defs/*.yaml|md`).
//!
//! Field names follow the seed format (camelCase); unknown keys are not rejected here: the loader
//! reports them as warnings. Values computed at load time (the verdict of each pattern, the
//! Markdown body, where the file came from) are `#[serde(skip_deserializing)]`.

use std::fmt;
use std::path::PathBuf;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

pub use super::rule::{Condition, Hint, Op, SplitSel, Stat};

/// One metric family: its names, what healthy and unhealthy curves look like, and rules.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Definition {
    pub id: String,
    /// Display name; defaults to the id.
    #[serde(default)]
    pub name: String,
    /// Names a logged metric may have (after split/granularity/average stripping); `*` globs.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub short_description: String,
    #[serde(default)]
    pub what_to_look_for: Vec<String>,
    #[serde(default)]
    pub visualizations: Visualizations,
    /// `maximize` / `minimize`; when absent see [`Definition::direction`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Valid values `[lo, hi]`; `null` for an open end (`[0, null]` for a loss).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[Option<f64>; 2]>,
    /// The best value the metric can reach (a loss 0, perplexity 1); when absent see
    /// [`Definition::floor`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<f64>,
    #[serde(default)]
    pub thresholds: Thresholds,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pair: Option<Pair>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bands: Vec<Band>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Hint>,
    /// Whether the metric is expected to improve. `false` for values that are set (the learning
    /// rate) or watched for stability (the gradient norm): a flat curve is then healthy, not
    /// stagnant.
    #[serde(default = "yes", skip_serializing_if = "Clone::clone")]
    pub progress: bool,
    /// The Markdown after the front matter (empty for `.yaml` files).
    #[serde(skip_deserializing)]
    pub body: String,
    /// Where the definition was read from.
    #[serde(skip_deserializing)]
    pub origin: Origin,
}

fn yes() -> bool {
    true
}

/// Where a definition came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Origin {
    /// `metric_defs/f1.md` for shipped files, the real path otherwise.
    pub file: PathBuf,
    pub builtin: bool,
    /// A user definition that replaced a shipped one of the same id: the shipped file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overrides: Option<PathBuf>,
}

pub use crate::model::Direction;

/// The example charts: the seed's `visualizations` block.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Visualizations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y_domain: Option<[f64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy: Option<Example>,
    /// Named unhealthy patterns, in file order.
    #[serde(
        default,
        deserialize_with = "ordered_patterns",
        serialize_with = "serialize_patterns"
    )]
    pub unhealthy: Vec<(String, Pattern)>,
}

/// The healthy example curve.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Example {
    pub data: Vec<ExamplePoint>,
    #[serde(default)]
    pub analysis: String,
}

/// A named unhealthy example curve.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Pattern {
    #[serde(default)]
    pub label: String,
    pub data: Vec<ExamplePoint>,
    #[serde(default)]
    pub analysis: String,
    /// The verdict a classifier should give this curve; inferred when absent.
    #[serde(default, rename = "verdict", skip_serializing_if = "Option::is_none")]
    pub declared_verdict: Option<Verdict>,
    /// Resolved at load: `verdict`, else the key, else the word used by the label or analysis.
    #[serde(skip_deserializing, rename = "expectedVerdict")]
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
pub struct ExamplePoint {
    pub step: i64,
    pub value: f64,
}

pub use crate::model::Verdict;

/// Overrides for the classifier; `None` means "use the classifier's default".
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Thresholds {
    #[serde(default, alias = "minPoints", skip_serializing_if = "Option::is_none")]
    pub min_points: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patience: Option<u32>,
    #[serde(default, alias = "minDelta", skip_serializing_if = "Option::is_none")]
    pub min_delta: Option<f64>,
    /// Lightning semantics: a value worse than this is diverging.
    #[serde(
        default,
        alias = "divergenceThreshold",
        skip_serializing_if = "Option::is_none"
    )]
    pub divergence_threshold: Option<f64>,
    /// Swing ratio A at or above which a zig-zag tail is oscillating (docs/classifier.md §2).
    #[serde(
        default,
        alias = "oscillationThreshold",
        skip_serializing_if = "Option::is_none"
    )]
    pub oscillation_threshold: Option<f64>,
}

/// Logged names of a train/validation pair that split prefixes cannot reveal.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Pair {
    pub train: String,
    pub val: String,
}

/// A value range with its interpretation (seed 003's F1 table).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Band {
    pub min: f64,
    pub max: f64,
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub meaning: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Good,
    Ok,
    Warn,
    Bad,
}

/// The data split of a logged curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Train,
    Val,
    Test,
}

impl Split {
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Val => "val",
            Split::Test => "test",
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `unhealthy` as an ordered list; a key given twice is an error.
fn ordered_patterns<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Pattern)>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<(String, Pattern)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map of pattern names to { label, data, analysis }")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<(String, Pattern)> = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.iter().any(|(k, _)| *k == key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "duplicate pattern `{key}`"
                    )));
                }
                let pattern = map.next_value::<Pattern>()?;
                out.push((key, pattern));
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}

fn serialize_patterns<S: serde::Serializer>(
    patterns: &[(String, Pattern)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(patterns.len()))?;
    for (k, p) in patterns {
        map.serialize_entry(k, p)?;
    }
    map.end()
}
