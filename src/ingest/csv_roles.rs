//! What each column of a CSV holds besides numbers, for [`super::csv`]:
//!
//! - **An index**: a first column with an empty header (`,epoch,loss`, what pandas'
//!   `DataFrame.to_csv()` writes without `index=False`) is the row index, not a metric.
//! - **A label**: a column of words repeating from a small set (`epoch,set,loss,acc` with
//!   `train` / `val` rows) names the split or kind of each row; the row's metrics are prefixed
//!   by it (`train_loss`, `val_acc`). A column is a label at once when its header says so
//!   (`split`, `set`, `phase`, `subset`, …) or its first word is a split name (`train`, `val`,
//!   `valid`, `eval`, `test`, …); any other column of words is a label when, over the first
//!   [`LOOKAHEAD`] rows, it takes at least two values, repeats one of them, and tells apart
//!   rows with the same step columns (`1,teacher,…` / `1,student,…`). A column of one constant
//!   word (a model name), of words that never repeat (file names) or that change only from one
//!   step to another (a schedule's `warmup` / `cosine` phase) is not a label.
//! - **The long form**: a column named `metric` (or `name`, `key`, `tag`, `metric_name`) beside
//!   one named `value`: each row is one point of the metric its name cell names.
//! - **A wall-time offset**: with a `t_start` in the comment above the header (gym's and
//!   Stable-Baselines3's `Monitor` files), column `t` is seconds since then: the row's wall time.

/// Rows held while a column of unknown words is not yet known to be a label or not.
pub const LOOKAHEAD: usize = 20;

/// Headers that name a label column.
const LABEL_HEADERS: &[&str] = &[
    "split",
    "set",
    "phase",
    "stage",
    "subset",
    "partition",
    "mode",
    "dataset",
    "fold",
];

/// Words that name a split of the data.
const SPLIT_WORDS: &[&str] = &[
    "train",
    "training",
    "val",
    "valid",
    "validation",
    "eval",
    "evaluation",
    "test",
    "testing",
    "dev",
];

const NAME_HEADERS: &[&str] = &["metric", "metric_name", "name", "key", "tag"];
const VALUE_HEADERS: &[&str] = &["value", "metric_value"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Numbers: a metric, or a step column.
    Value,
    /// A column of words not known yet to be a label.
    Undecided,
    /// Words that are not metrics (skipped, as before).
    Text,
    /// pandas' unnamed index column.
    Index,
    Label,
    /// The long form's metric name and its value.
    Name,
    LongValue,
    /// Seconds since the `t_start` of the comment line.
    WallOffset,
}

/// The roles the header alone gives (`Value` for any other column).
pub fn from_header(names: &[String], t_start: Option<f64>) -> Vec<Role> {
    let has = |set: &[&str]| names.iter().any(|n| is_one_of(n, set));
    let long = has(NAME_HEADERS) && has(VALUE_HEADERS);
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if i == 0 && n.is_empty() && names.len() > 1 {
                Role::Index
            } else if long && is_one_of(n, NAME_HEADERS) {
                Role::Name
            } else if long && is_one_of(n, VALUE_HEADERS) {
                Role::LongValue
            } else if t_start.is_some() && n == "t" {
                Role::WallOffset
            } else {
                Role::Value
            }
        })
        .collect()
}

fn is_one_of(name: &str, set: &[&str]) -> bool {
    set.iter().any(|s| s.eq_ignore_ascii_case(name.trim()))
}

/// A cell that reads as a label word: starts with a letter, no spaces, short, not a number.
pub fn is_word(cell: &str) -> bool {
    let c = cell.trim();
    c.len() <= 40
        && c.chars().next().is_some_and(char::is_alphabetic)
        && c.chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.' | '/'))
        && super::number::parse(c).is_none()
}

/// The role of a `Value` column whose first data cell is `cell`: a label at once, a column
/// to watch, or still numbers.
pub fn first_cell(header: &str, cell: &str) -> Role {
    if !is_word(cell) {
        return Role::Value;
    }
    if is_one_of(header, LABEL_HEADERS) || is_one_of(cell, SPLIT_WORDS) {
        Role::Label
    } else {
        Role::Undecided
    }
}

/// Decide a watched column from the held rows: each row's cell in the column and the cells of
/// its step columns. A label if its words take at least two values, repeat one, and differ
/// between two rows with the same step cells.
pub fn decide<'a>(rows: impl Iterator<Item = (&'a str, String)>) -> Role {
    let mut seen: Vec<&str> = Vec::new();
    let mut at_step: Vec<(String, &str)> = Vec::new();
    let mut shared = false;
    let mut words = 0;
    let mut numbers = 0;
    for (c, step) in rows {
        let c = c.trim();
        if c.is_empty() {
            continue;
        }
        if !is_word(c) {
            numbers += 1;
            continue;
        }
        words += 1;
        if !seen.contains(&c) {
            seen.push(c);
        }
        shared |= at_step.iter().any(|(s, w)| *s == step && *w != c);
        at_step.push((step, c));
    }
    if shared && seen.len() >= 2 && seen.len() < words && words > numbers * 4 {
        Role::Label
    } else {
        Role::Text
    }
}

/// The `t_start` of a comment line (`#{"t_start": 1690000000.1, "env_id": "CartPole-v1"}`).
pub fn t_start(comment: &str) -> Option<f64> {
    let (_, rest) = comment.split_once("\"t_start\"")?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    super::number::parse(&rest[..end]).filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_roles() {
        use Role::*;
        assert_eq!(
            from_header(&names(&["", "epoch", "loss"]), None),
            [Index, Value, Value]
        );
        assert_eq!(
            from_header(&names(&["step", "metric", "value"]), None),
            [Value, Name, LongValue]
        );
        // `name` without a `value` column is just a column.
        assert_eq!(from_header(&names(&["name", "loss"]), None), [Value, Value]);
        assert_eq!(
            from_header(&names(&["r", "l", "t"]), Some(1.0)),
            [Value, Value, WallOffset]
        );
        assert_eq!(from_header(&names(&["r", "l", "t"]), None), [Value; 3]);
    }

    #[test]
    fn labels_from_the_header_a_split_word_or_repeats() {
        assert_eq!(first_cell("set", "a"), Role::Label);
        assert_eq!(first_cell("kind", "valid"), Role::Label);
        assert_eq!(first_cell("kind", "teacher"), Role::Undecided);
        assert_eq!(first_cell("kind", "0.5"), Role::Value);
        assert_eq!(first_cell("when", "2024-01-01 10:00"), Role::Value);
        let d = |c: &[(&'static str, &str)]| decide(c.iter().map(|(w, s)| (*w, s.to_string())));
        let by_step = [("teacher", "1"), ("student", "1"), ("teacher", "2")];
        assert_eq!(d(&by_step), Role::Label);
        assert_eq!(
            d(&[("resnet", "1"), ("resnet", "1"), ("resnet", "2")]),
            Role::Text
        );
        assert_eq!(
            d(&[("a.png", "1"), ("b.png", "1"), ("c.png", "2")]),
            Role::Text
        );
        // A phase that changes from one step to the next splits no curve.
        let phases = [
            ("warmup", "1"),
            ("warmup", "2"),
            ("cosine", "3"),
            ("cosine", "4"),
        ];
        assert_eq!(d(&phases), Role::Text);
    }

    #[test]
    fn t_start_of_a_monitor_comment() {
        assert_eq!(
            t_start(r#"#{"t_start": 1690000000.1, "env_id": "CartPole-v1"}"#),
            Some(1690000000.1)
        );
        assert_eq!(t_start("# just a note"), None);
    }
}
