//! Hint rules: declarative cross-metric conditions (see `hints` for their evaluation).

use serde::{Deserialize, Serialize};

use super::model::{Level, Split, Verdict};

/// A declarative cross-metric rule: every condition holds → show the message.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Hint {
    /// Defaults to `<definition id>-<index>`.
    #[serde(default)]
    pub id: String,
    pub when: Vec<Condition>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
}

/// One condition of a hint. Three forms (checked at load):
/// threshold `{metric, op, value}`, comparison `{left, op, right, factor, offset}`,
/// verdict `{metric, verdict}`. `metric` defaults to the hint's own definition.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
    /// Restrict to one split (`any`: every split); without it the conditions of a hint are
    /// bound to one shared split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitSel>,
    /// The right side's split in a comparison; defaults to `split`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_split: Option<SplitSel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<String>,
    #[serde(default)]
    pub stat: Stat,
    /// The right side's statistic in a comparison; defaults to `stat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_stat: Option<Stat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<Op>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

/// Which number of a curve's summary a condition reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    #[default]
    Last,
    First,
    Best,
    Min,
    Max,
    /// Change over the tail in the metric's units (positive = rising).
    FinalTrend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Op {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    /// `a op b`; false when either side is NaN.
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Eq => a == b,
            Op::Ne => !a.is_nan() && !b.is_nan() && a != b,
        }
    }
}

/// The split a hint condition reads: one split, or `any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SplitSel {
    Train,
    #[serde(alias = "eval", alias = "valid", alias = "validation")]
    Val,
    Test,
    Any,
}

impl SplitSel {
    /// Whether a curve of split `s` is selected.
    pub fn selects(self, s: Option<Split>) -> bool {
        match self {
            SplitSel::Any => true,
            SplitSel::Train => s == Some(Split::Train),
            SplitSel::Val => s == Some(Split::Val),
            SplitSel::Test => s == Some(Split::Test),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SplitSel::Train => "train",
            SplitSel::Val => "val",
            SplitSel::Test => "test",
            SplitSel::Any => "any",
        }
    }
}
