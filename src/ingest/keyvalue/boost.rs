//! Evaluation lines of gradient-boosting libraries: a bracketed round number, then one
//! tab-separated entry per (data set, metric).
//!
//! - XGBoost: `[10]\ttrain-logloss:0.5\teval-logloss:0.6`; with `xgb.cv`, `mean+std`
//!   (`test-auc:0.91+0.01`). The metric is named as printed (`train-logloss`).
//! - LightGBM: `[10]\tvalid_0's binary_logloss: 0.5`; with `lgb.cv`, `mean + std`
//!   (`cv_agg's l2: 0.3 + 0.01`). The metric is `data_metric` (`valid_0_binary_logloss`).
//! - A standard deviation is its own metric, `NAME_std`.
//! - The bracketed number is the step. Every entry of the line must read as one of the two
//!   shapes, else the line is not an evaluation line (and is read as any other line).

use crate::ingest::number;

/// One evaluation line: its round and its metrics in line order.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub step: i64,
    pub pairs: Vec<(String, f64)>,
}

/// Read `line` as a boosting evaluation line.
pub fn round(line: &str) -> Option<Round> {
    let t = line.trim_start().strip_prefix('[')?;
    let close = t.find(']')?;
    let step: i64 = t[..close].parse().ok()?;
    let rest = &t[close + 1..];
    // The libraries put a tab after the round; some loggers turn it into spaces.
    if !rest.starts_with(['\t', ' ']) {
        return None;
    }
    let mut pairs = Vec::new();
    for entry in rest.split('\t').map(str::trim).filter(|e| !e.is_empty()) {
        entry_pairs(entry, &mut pairs)?;
    }
    (!pairs.is_empty()).then_some(Round { step, pairs })
}

/// The metric (and its standard deviation) of one entry, or `None` when it is not an entry.
fn entry_pairs(entry: &str, out: &mut Vec<(String, f64)>) -> Option<()> {
    let (name, value) = if let Some((data, rest)) = entry.split_once("'s ") {
        // LightGBM: `data's metric: value[ + std]`.
        let (metric, value) = rest.rsplit_once(": ")?;
        if !is_name(data) || !is_name(metric) {
            return None;
        }
        (format!("{data}_{metric}"), value)
    } else {
        // XGBoost: `data-metric:value[+std]`.
        let (name, value) = entry.rsplit_once(':')?;
        if !is_name(name) || !name.contains('-') {
            return None;
        }
        (name.to_owned(), value)
    };
    // `1e+05` is one number, `0.3+0.01` and `0.3 + 0.01` are two.
    let plus = value
        .char_indices()
        .find(|&(i, c)| c == '+' && i > 0 && !value[..i].ends_with(['e', 'E']))
        .map(|(i, _)| i);
    let (mean, std) = match plus {
        Some(i) => (value[..i].trim(), Some(value[i + 1..].trim())),
        None => (value.trim(), None),
    };
    let mean = number::parse(mean)?;
    let std = match std {
        Some(s) => Some(number::parse(s)?),
        None => None,
    };
    let name = name.to_lowercase();
    if let Some(s) = std {
        out.push((name.clone(), mean));
        out.push((format!("{name}_std"), s));
    } else {
        out.push((name, mean));
    }
    Some(())
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_alphabetic())
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '@' | '.' | '/'))
}

/// Whether a line announces that the next evaluation line repeats the best round
/// (XGBoost's `Stopping. Best iteration:`, LightGBM's `Early stopping, best iteration is:`).
pub fn announces_best(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(':') && t.to_ascii_lowercase().contains("best iteration")
}
