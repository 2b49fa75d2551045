//! What a definition implies without saying it: its direction and its patterns' verdicts.

use serde::Serialize;

use super::model::{Band, Definition, Direction, Pattern, Verdict};

/// How [`Definition::direction`] was decided (the order of docs/classifier.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectionSource {
    /// The `direction` field.
    Declared,
    /// A `whatToLookFor` line ("Should increase over time.").
    WhatToLookFor,
    /// The name rules (`loss` → minimize, `acc` → maximize …) applied to the id, then the name.
    NameRule,
    /// Nothing said: only direction-free checks apply.
    Unknown,
}

/// How a pattern's verdict was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictSource {
    Declared,
    Key,
    Label,
    Analysis,
}

const MAXIMIZE_PHRASES: &[&str] = &[
    "should increase",
    "should go up",
    "should rise",
    "higher is better",
];
const MINIMIZE_PHRASES: &[&str] = &[
    "should decrease",
    "should go down",
    "should fall",
    "lower is better",
];

/// The name rules of docs/classifier.md §3.
const MINIMIZE_WORDS: &[&str] = &[
    "loss",
    "error",
    "err",
    "perplexity",
    "ppl",
    "nll",
    "mse",
    "mae",
    "rmse",
    "wer",
    "cer",
    "bpb",
    "bpc",
];
const MAXIMIZE_WORDS: &[&str] = &[
    "acc",
    "f1",
    "precision",
    "recall",
    "auc",
    "map",
    "bleu",
    "rouge",
    "iou",
    "dice",
    "r2",
    "reward",
];

/// The direction a `whatToLookFor` list states, from its first line that states one.
pub fn direction_from_text(lines: &[String]) -> Option<Direction> {
    lines.iter().find_map(|line| {
        let line = line.to_lowercase();
        if MAXIMIZE_PHRASES.iter().any(|p| line.contains(p)) {
            Some(Direction::Maximize)
        } else if MINIMIZE_PHRASES.iter().any(|p| line.contains(p)) {
            Some(Direction::Minimize)
        } else {
            None
        }
    })
}

/// The name rules (docs/classifier.md §3) on the words of `name`. A word matches a rule word it equals, or
/// starts with when the rest is digits (`map50`), the rule word has 4+ letters (`rougel`) or it
/// is `accuracy`. Minimize wins a tie (`acc_loss` is a loss).
pub fn direction_from_name(name: &str) -> Option<Direction> {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let matches = |rules: &[&str]| {
        words.iter().any(|w| {
            rules.iter().any(|r| {
                w.strip_prefix(r).is_some_and(|rest| {
                    rest.is_empty()
                        || rest.chars().all(|c| c.is_ascii_digit())
                        || r.len() >= 4
                        || (*r == "acc" && rest == "uracy")
                })
            })
        })
    };
    if matches(MINIMIZE_WORDS) {
        Some(Direction::Minimize)
    } else if matches(MAXIMIZE_WORDS) {
        Some(Direction::Maximize)
    } else {
        None
    }
}

impl Definition {
    /// `direction`, else what `whatToLookFor` says, else the name rules; never the data.
    pub fn direction(&self) -> Option<Direction> {
        self.direction_with_source().0
    }

    pub fn direction_with_source(&self) -> (Option<Direction>, DirectionSource) {
        match self.direction {
            // `direction: unknown`, written out, means it: no better direction (GAN losses, a
            // policy's entropy), whatever the name or the text would suggest.
            Some(Direction::Unknown) => return (None, DirectionSource::Declared),
            Some(d) => return (Some(d), DirectionSource::Declared),
            None => {}
        }
        if let Some(d) = direction_from_text(&self.what_to_look_for) {
            return (Some(d), DirectionSource::WhatToLookFor);
        }
        if let Some(d) = direction_from_name(&self.id).or_else(|| direction_from_name(&self.name)) {
            return (Some(d), DirectionSource::NameRule);
        }
        (None, DirectionSource::Unknown)
    }

    /// The bounded domain the classifier scales by: `range` when both ends are given, else
    /// `visualizations.yDomain` when `range` is absent.
    pub fn domain(&self) -> Option<(f64, f64)> {
        match self.range {
            Some([Some(lo), Some(hi)]) => Some((lo, hi)),
            Some(_) => None,
            None => self.visualizations.y_domain.map(|[lo, hi]| (lo, hi)),
        }
    }

    /// The best value the metric can reach: its `floor`, else the closed end of a half-open
    /// `range` on its better side (`[0, null]` for a minimized loss gives 0). A metric with a
    /// domain is judged against the domain instead.
    pub fn floor(&self) -> Option<f64> {
        if self.floor.is_some() {
            return self.floor;
        }
        match (self.range?, self.direction()?) {
            ([Some(lo), None], Direction::Minimize) => Some(lo),
            ([None, Some(hi)], Direction::Maximize) => Some(hi),
            _ => None,
        }
    }

    /// The band a value falls in: the band with the greatest `min` not above the value, as long
    /// as the value does not pass the highest `max` (so 0.895 is "strong" in 0.70–0.89).
    pub fn band_for(&self, value: f64) -> Option<&Band> {
        if !value.is_finite() {
            return None;
        }
        let top = self
            .bands
            .iter()
            .map(|b| b.max)
            .fold(f64::NEG_INFINITY, f64::max);
        if value > top {
            return None;
        }
        self.bands
            .iter()
            .filter(|b| b.min <= value)
            .max_by(|a, b| a.min.total_cmp(&b.min))
    }

    /// The patterns with their expected verdicts, the healthy example first.
    pub fn pattern(&self, key: &str) -> Option<&Pattern> {
        self.visualizations
            .unhealthy
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, p)| p)
    }
}

/// Stems of the verdict words as prose uses them ("oscillates", "divergence", "stagnation").
/// `healthy` is left out: an unhealthy pattern's text mentions it only by contrast.
const VERDICT_STEMS: &[(&str, Verdict)] = &[
    ("stagnan", Verdict::Stagnant),
    ("stagnat", Verdict::Stagnant),
    ("oscillat", Verdict::Oscillating),
    ("diverg", Verdict::Diverging),
    ("insufficient data", Verdict::InsufficientData),
    ("insufficient_data", Verdict::InsufficientData),
];

/// The verdict word used first in `text`, at the start of a word.
pub fn verdict_in_text(text: &str) -> Option<Verdict> {
    let lower = text.to_lowercase();
    VERDICT_STEMS
        .iter()
        .filter_map(|(stem, v)| {
            lower
                .match_indices(stem)
                .find(|(i, _)| {
                    lower[..*i]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
                })
                .map(|(i, _)| (i, *v))
        })
        .min_by_key(|(i, _)| *i)
        .map(|(_, v)| v)
}

/// A pattern's verdict: its `verdict`, else its key when that is a verdict word, else the
/// verdict word its label uses, else the one its analysis uses.
pub fn pattern_verdict(key: &str, pattern: &Pattern) -> Option<(Verdict, VerdictSource)> {
    if let Some(v) = pattern.declared_verdict {
        return Some((v, VerdictSource::Declared));
    }
    if let Some(v) = Verdict::from_word(key) {
        return Some((v, VerdictSource::Key));
    }
    if let Some(v) = verdict_in_text(&pattern.label) {
        return Some((v, VerdictSource::Label));
    }
    verdict_in_text(&pattern.analysis).map(|v| (v, VerdictSource::Analysis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_from_look_for_lines() {
        let up = vec![
            "Useful.".to_string(),
            "Should increase over time.".to_string(),
        ];
        assert_eq!(direction_from_text(&up), Some(Direction::Maximize));
        let down = vec!["It should decrease steadily.".to_string()];
        assert_eq!(direction_from_text(&down), Some(Direction::Minimize));
        assert_eq!(direction_from_text(&["Stays bounded.".to_string()]), None);
    }

    #[test]
    fn direction_name_rules() {
        assert_eq!(direction_from_name("val_loss"), Some(Direction::Minimize));
        assert_eq!(direction_from_name("accuracy"), Some(Direction::Maximize));
        assert_eq!(direction_from_name("mAP50-95"), Some(Direction::Maximize));
        assert_eq!(direction_from_name("eval_wer"), Some(Direction::Minimize));
        assert_eq!(direction_from_name("learning_rate"), None);
        assert_eq!(direction_from_name("f1x"), None);
        assert_eq!(direction_from_name("mapping"), None);
        assert_eq!(direction_from_name("rougeLsum"), Some(Direction::Maximize));
    }

    #[test]
    fn verdict_words_in_prose() {
        assert_eq!(
            verdict_in_text("Unstable F1. The model is oscillating between x"),
            Some(Verdict::Oscillating)
        );
        assert_eq!(
            verdict_in_text("Loss diverges, then oscillates"),
            Some(Verdict::Diverging)
        );
        assert_eq!(
            verdict_in_text("Progress stagnated."),
            Some(Verdict::Stagnant)
        );
        assert_eq!(verdict_in_text("nondivergent"), None);
        assert_eq!(verdict_in_text("Looks healthy"), None);
    }
}
