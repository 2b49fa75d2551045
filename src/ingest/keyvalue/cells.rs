//! Pieces of trainer lines that `scan` asks about: units glued on numbers, a unit in
//! parentheses ending a key, and fairseq's `valid on 'valid' subset` cell.
//!
//! - **Glued units** are time and size units: `s`, `ms`, `us`, `µs`, `ns`, `min`, `B`, `KB`,
//!   `MB`, `GB`, `TB`, `KiB`, `MiB`, `GiB`, `TiB` (`20.00ms`, `10.77GB`). The number is stored
//!   as printed, not converted (`20.00ms` is 20). `%` is not a letter and always ends a number
//!   (`30.00%` is 30). Other letters glued on a number (`1st`, `5x`, `1.2M`, `3e`) make it text:
//!   a multiplier or an ordinal is not a value to guess at.
//! - **A unit in parentheses** ends a key (`elapsed time per iteration (ms): 450.1` →
//!   `elapsed_time_per_iteration_ms`).
//! - **Meters** `NAME value (average)` are two metrics, `NAME` and `NAME_avg`.
//! - **`WORD on 'NAME' subset`** (fairseq's validation lines) names the split of the pairs after
//!   it on the line: `valid_loss`, `test_ppl`.

/// Units that may be glued on a number, longest first where one is the start of another.
const UNITS: &[&str] = &[
    "ms", "us", "µs", "ns", "min", "s", "KiB", "MiB", "GiB", "TiB", "KB", "MB", "GB", "TB", "B",
];

/// Most words a key may have when it is a whole `|` cell (`elapsed time per iteration (ms)`).
pub const MAX_CELL_WORDS: usize = 6;

/// The length in bytes of a unit glued at the start of `rest` (after a number), when the unit
/// is one of [`UNITS`] and is not followed by more letters or digits.
pub fn glued_unit(rest: &str) -> usize {
    for u in UNITS {
        if let Some(after) = rest.strip_prefix(u)
            && after
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() && c != '_')
        {
            return u.len();
        }
    }
    0
}

/// The unit of a word written `(ms)`, `(tok/s)`.
pub fn unit(word: &str) -> Option<&str> {
    let inner = word.strip_prefix('(')?.strip_suffix(')')?;
    (!inner.is_empty()
        && inner.starts_with(|c: char| c.is_alphabetic())
        && inner.chars().all(|c| c.is_alphabetic() || c == '/'))
    .then_some(inner)
}

/// The split a fairseq cell names: `valid on 'valid' subset` → `valid`.
pub fn subset(segment: &str) -> Option<&str> {
    let t = segment.trim();
    let rest = t.strip_suffix("subset")?.trim_end();
    let (_, quoted) = rest.split_once(" on ")?;
    let name = quoted.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
    .then_some(name)
}

/// A running average printed after a value (`Loss 0.42 (0.51)`, PyTorch's `AverageMeter`):
/// where the parenthesized number ending at or after byte `at` of `seg` ends, and its value.
pub fn meter_average(seg: &str, at: usize) -> Option<(usize, f64)> {
    let rest = &seg[at..];
    let inner = rest.trim_start().strip_prefix('(')?;
    let close = inner.find(')')?;
    let text = inner[..close].trim();
    let v = crate::ingest::number::parse(text)?;
    let end = seg.len() - inner.len() + close + 1;
    Some((end, v))
}

/// `Epoch: [3][ 10/5005]` at the start of a message (PyTorch's `ProgressMeter`): the epoch,
/// the batch, the number of batches, and the rest of the message.
pub fn progress_prefix(message: &str) -> Option<(i64, i64, Option<i64>, &str)> {
    let t = message.trim_start();
    let head = t.get(..6)?;
    if !head.eq_ignore_ascii_case("epoch:") {
        return None;
    }
    let t = t[6..].trim_start().strip_prefix('[')?;
    let (epoch, t) = t.split_once(']')?;
    let epoch = epoch.trim().parse().ok()?;
    let t = t.strip_prefix('[')?;
    let (batch, rest) = t.split_once(']')?;
    let (n, total) = match batch.split_once('/') {
        Some((n, m)) => (n.trim().parse().ok()?, m.trim().parse().ok()),
        None => (batch.trim().parse().ok()?, None),
    };
    Some((epoch, n, total, rest))
}
