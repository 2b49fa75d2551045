//! Reading one plain log line: what it names as steps, and which metrics it holds.
//!
//! - A logging prefix (`2025-03-02 05:16:20,348 - INFO - `, `INFO:__main__:`, `[12:00:01]`) is
//!   skipped; the message after it is read.
//! - The message is cut into segments at `|` and ` - `. `key=value` and `key: value` are
//!   pairs anywhere; a segment that is just `key value` (`| lr 20.00 | loss 7.61 |`) is a pair
//!   in a `|`-separated line.
//! - `Label: k v, k v` and `Label: k=v, k=v` prefix the keys with the label
//!   (`Validation BLEU: BLEU-1 71.6` → `validation_bleu-1`, `Final Results: Loss=0.4` →
//!   `final_loss`); generic words (`results`, `metrics`, `summary`…) are left out of labels.
//! - A message ending in `:` with no values is a heading for the indented lines below it.
//! - Step words followed by a whole number give steps: `epoch`, and counters `step`,
//!   `global_step`, `iteration`, `iter`, `it`, `batch`; also `N/M batches` (or `steps`, `it`)
//!   and, after those, a key counting environment steps (`num_timesteps=5000`).
//!   `N/M` keeps M as the counter's total.
//! - Keys of several words are joined with `_` and lower-cased, up to three words, never across
//!   a small word such as `with` or `of`. Numbers may have thousands separators (`2,982,385`)
//!   and a glued time or size unit (`35.61s`, `10.77GB`, see [`super::cells`]); `nan` and `inf`
//!   are numbers; `#` before a number is how it is written (`Step #12`), and a list goes on
//!   after a percentage (`accuracy 3.91%, cross entropy 2.5`).

use super::cells;
use super::prefix::strip_log_prefix;
use crate::ingest::number;

/// What one line says.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Scan {
    /// Metrics in line order, lower-case names; the epoch is not among them.
    pub pairs: Vec<(String, f64)>,
    /// The whole epoch number the line names (`Epoch 3`, `epoch 3/10`).
    pub epoch: Option<i64>,
    /// An epoch that is not whole (`epoch 0.5`): a metric, not a step.
    pub fractional_epoch: Option<f64>,
    /// A step counter other than the epoch.
    pub counter: Option<Counter>,
    /// The line is a heading (`Evaluation Results:`): the label for the indented lines below.
    pub heading: Option<String>,
    /// The message (after any logging prefix) starts with white space.
    pub indented: bool,
}

/// A step counter printed on a line: `step 120`, `Step 40/6501`, `200/ 2983 batches`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counter {
    pub value: i64,
    /// `M` of `N/M`.
    pub total: Option<i64>,
    /// Lower is more specific (`step` before `batch`).
    pub rank: usize,
}

/// Counter words, most specific first; `epoch` is handled apart.
const COUNTER_WORDS: &[&str] = &["step", "global_step", "iteration", "iter", "it", "batch"];
/// Words after `N/M` that make it a counter.
const COUNTER_UNITS: &[&str] = &[
    "batches",
    "batch",
    "steps",
    "step",
    "iters",
    "iterations",
    "it",
];
/// Small words a key never spans.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to",
    "was", "with",
];
/// Words that say nothing in a label.
const GENERIC_LABEL_WORDS: &[&str] = &[
    "result",
    "results",
    "metric",
    "metrics",
    "stats",
    "statistics",
    "summary",
    "score",
    "scores",
];
pub(super) const LEVELS: &[&str] = &[
    "DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "TRACE", "NOTICE",
];

pub fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '/' | '.' | '-' | '(' | ')' | '@')
}

/// The last line of a Python traceback (`torch.….SignalException: Process 54958 got signal:
/// 15`, `ValueError: expected 3 got 4`): a message, never metrics.
fn is_exception_line(message: &str) -> bool {
    let t = message.trim_start();
    let Some((name, _)) = t.split_once(": ") else {
        return false;
    };
    let last = name.rsplit('.').next().unwrap_or(name);
    !name.contains(char::is_whitespace)
        && last.starts_with(|c: char| c.is_ascii_uppercase())
        && ["Error", "Exception", "Interrupt", "Exit"]
            .iter()
            .any(|end| last.ends_with(end))
}

/// Scan one line.
pub fn scan(line: &str) -> Scan {
    let message = strip_log_prefix(line);
    let mut s = Scan {
        indented: message.starts_with([' ', '\t']),
        ..Scan::default()
    };
    if is_exception_line(message) {
        return s;
    }
    let columns = message.contains('|');
    let mut subset = None;
    let mut message = message;
    if let Some((epoch, n, total, rest)) = cells::progress_prefix(message) {
        s.epoch = Some(epoch);
        s.counter = Some(Counter {
            value: n,
            total,
            rank: COUNTER_WORDS.len(),
        });
        message = rest;
    }
    for segment in message.split('|').flat_map(|p| p.split(" - ")) {
        if let Some(name) = cells::subset(segment) {
            subset = Some((name, s.pairs.len()));
            continue;
        }
        scan_segment(segment, columns, &mut s);
    }
    if let Some((name, from)) = subset {
        for (k, _) in &mut s.pairs[from..] {
            *k = format!("{}_{k}", name.to_lowercase());
        }
    }
    let trimmed = message.trim_end();
    if s.pairs.is_empty()
        && s.epoch.is_none()
        && s.counter.is_none()
        && s.fractional_epoch.is_none()
        && let Some(head) = trimmed.strip_suffix(':')
    {
        s.heading = label(head).map(|w| w.join("_")).filter(|l| !l.is_empty());
    }
    s
}

/// Whether a line carries a step and at least one metric (used to tell logs from notes).
pub fn line_has_step_and_metric(line: &str) -> bool {
    if super::boost::round(line).is_some() {
        return true;
    }
    let s = scan(line);
    (s.epoch.is_some() || s.counter.is_some()) && !s.pairs.is_empty()
}

/// The number starting at byte `i` of `s`, if any: its end and value. Accepts `nan`/`inf`,
/// thousands separators (`2,982,385`) and a seconds unit (`35.61s`); a number glued to other
/// letters (`1st`, `5x`) is not a value.
pub fn number_at(s: &str, i: usize) -> Option<(usize, f64)> {
    let b = s.as_bytes();
    let mut j = i;
    if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
        j += 1;
    }
    for word in ["nan", "inf"] {
        if s.get(j..j + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
        {
            let end = j + 3;
            if s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric()) {
                return Some((end, number::parse(&s[i..end])?));
            }
        }
    }
    let int_start = j;
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    let mut grouped = false;
    if (1..=3).contains(&(j - int_start)) {
        // 2,982,385: groups of exactly three digits after commas.
        while b.get(j) == Some(&b',')
            && b.get(j + 1..j + 4)
                .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !b.get(j + 4).is_some_and(u8::is_ascii_digit)
        {
            j += 4;
            grouped = true;
        }
    }
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
    }
    if j == int_start || !b[int_start..j].iter().any(u8::is_ascii_digit) {
        return None;
    }
    if j < b.len() && (b[j] == b'e' || b[j] == b'E') {
        let mut k = j + 1;
        if k < b.len() && (b[k] == b'-' || b[k] == b'+') {
            k += 1;
        }
        if k < b.len() && b[k].is_ascii_digit() {
            while k < b.len() && b[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    let text = &s[i..j];
    let mut end = j;
    // A time or size unit: 35.61s, 20.00ms, 10.77GB.
    end += cells::glued_unit(&s[j..]);
    // More letters, more digits after a dot (1.2.3) or a colon (0:00:24): not a value.
    if end == j
        && s[j..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
    {
        return None;
    }
    if matches!(b.get(end), Some(b'.' | b':')) && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let v = if grouped {
        number::parse(&text.replace(',', ""))?
    } else {
        number::parse(text)?
    };
    Some((end, v))
}

/// The words of a key ending at byte `end` of `s` (after trimming spaces): up to `max` words
/// separated by single spaces, each starting with a letter, never across a small word. Returns
/// the byte where the key starts and its words.
fn key_words(s: &str, end: usize, max: usize) -> Option<(usize, Vec<&str>)> {
    let mut rest = s[..end].trim_end();
    let mut words: Vec<&str> = Vec::new();
    let mut unit = None;
    let mut start = rest.len();
    while words.len() < max {
        let Some(from) = rest
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_key_char(*c))
            .last()
            .map(|(i, _)| i)
        else {
            break;
        };
        let word = &rest[from..];
        let unit_word = cells::unit(word);
        if words.is_empty() && unit.is_none() && unit_word.is_some() {
            // `elapsed time per iteration (ms): 450.1`: the unit ends the name.
            unit = unit_word;
        } else if !word.chars().next().is_some_and(char::is_alphabetic)
            || number::parse(word).is_some()
            || (!words.is_empty() && STOP_WORDS.contains(&word.to_ascii_lowercase().as_str()))
        {
            break;
        } else if words.is_empty() && STOP_WORDS.contains(&word.to_ascii_lowercase().as_str()) {
            return None;
        } else {
            words.push(word);
        }
        start = from;
        let before = &rest[..from];
        // Another word of the same key comes only after a single space.
        if !before.ends_with(' ') || before.ends_with("  ") {
            break;
        }
        rest = &before[..before.len() - 1];
        if rest.ends_with(|c: char| !is_key_char(c)) {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    words.reverse();
    words.extend(unit);
    Some((start, words))
}

/// The words of a label written before a colon: trailing words of letters, without generic
/// ones (`results`). `None` when the text before the colon ends with a number (`Epoch 1:`).
fn label(head: &str) -> Option<Vec<String>> {
    let (_, words) = key_words(head, head.len(), 3)?;
    if words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
        return None;
    }
    let mut words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    while words
        .last()
        .is_some_and(|w| GENERIC_LABEL_WORDS.contains(&w.as_str()))
    {
        words.pop();
    }
    Some(words)
}

/// `label` + `key`, dropping the label's last word when the key repeats it
/// (`validation bleu` + `bleu-1` → `validation_bleu-1`).
pub fn labelled(label: &[String], key: &str) -> String {
    let mut parts: Vec<&str> = label.iter().map(String::as_str).collect();
    if parts.last().is_some_and(|w| key.starts_with(w)) {
        parts.pop();
    }
    parts.push(key);
    parts.join("_")
}

fn name(words: &[&str]) -> String {
    words.join("_").to_lowercase()
}

fn scan_segment(seg: &str, columns: bool, out: &mut Scan) {
    let b = seg.as_bytes();
    let mut label_words: Option<Vec<String>> = None;
    // Pairs `k v` are taken after a label or a step and a colon, and on through a list.
    let mut listing = false;
    // Where the last pair ended: a label goes on over a list of pairs.
    let mut list_end = 0;
    let mut i = 0;
    while i < b.len() {
        let prev = seg[..i].chars().next_back();
        let at_boundary = prev.is_none_or(|c| !is_key_char(c));
        let found = if at_boundary && !b[i].is_ascii_whitespace() {
            number_at(seg, i)
        } else {
            None
        };
        let Some((end, v)) = found else {
            i += seg[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let num_start = i;
        i = end;
        // N/M: the number is N, M its total.
        let mut total = None;
        let mut unit_counter = false;
        if let Some(after) = seg[end..].strip_prefix('/') {
            let digits = after.trim_start();
            let n = digits.bytes().take_while(u8::is_ascii_digit).count();
            if n > 0 {
                total = digits[..n].parse::<i64>().ok();
                let consumed = after.len() - digits.len() + n;
                i = end + 1 + consumed;
                let unit = seg[i..]
                    .trim_start()
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                unit_counter = COUNTER_UNITS.iter().any(|u| u.eq_ignore_ascii_case(unit));
            }
        }
        if unit_counter && let Some(value) = number::as_step(v) {
            offer_counter(out, value, total, COUNTER_WORDS.len());
            continue;
        }
        let mut head = seg[..num_start].trim_end();
        // A list of numbers, one per parameter group (DeepSpeed's `lr=[0.0001, 0.0001]`): one
        // number is that number, several are `NAME_0`, `NAME_1`, …
        let mut rest_of_list = Vec::new();
        if let Some(h) = head.strip_suffix('[')
            && let Some((end, more)) = number_list(seg, i)
        {
            head = h.trim_end();
            i = end;
            rest_of_list = more;
        }
        // `Step #1`: a number sign before a number is part of how it is written.
        if let Some(h) = head.strip_suffix('#')
            && seg[..num_start].ends_with('#')
        {
            head = h.trim_end();
        }
        let explicit = head.ends_with(['=', ':']);
        let key_end = if explicit { head.len() - 1 } else { head.len() };
        let Some((mut key_start, mut words)) = key_words(head, key_end, 3) else {
            continue;
        };
        // A whole `|` cell is one key, however many words (`elapsed time per iteration (ms)`).
        if columns
            && !seg[..key_start].trim().is_empty()
            && let Some((st, w)) = key_words(head, key_end, cells::MAX_CELL_WORDS)
            && seg[..st].trim().is_empty()
        {
            (key_start, words) = (st, w);
        }
        let last = words[words.len() - 1].to_ascii_lowercase();
        // Step words (`Epoch 3`, `Train Epoch: 3`).
        if last == "epoch" {
            match number::as_step(v) {
                Some(e) if out.epoch.is_none() => out.epoch = Some(e),
                Some(_) => {}
                None => out.fractional_epoch = Some(v),
            }
            continue;
        }
        // Counter words, and a count of environment steps (`Eval num_timesteps=5000`).
        let rank = COUNTER_WORDS
            .iter()
            .position(|w| *w == last)
            .filter(|_| words.len() == 1 || !explicit)
            .or_else(|| {
                crate::ingest::step::counts_timesteps(&last).then_some(COUNTER_WORDS.len())
            });
        if let Some(rank) = rank
            && let Some(value) = number::as_step(v)
        {
            offer_counter(out, value, total, rank);
            continue;
        }
        // What comes before the key: a label's colon, or the previous pair of a labelled list.
        let before = seg[..key_start].trim_end();
        let in_list = list_end > 0
            && seg[list_end.min(key_start)..key_start]
                .trim_matches([' ', '\t', ',', ';', '%'])
                .is_empty();
        if let Some(h) = before.strip_suffix(':') {
            label_words = label(h).filter(|l| !l.is_empty());
            // `iter 100: loss 2.34, time 20.00ms`: a list after a step.
            listing = label_words.is_some()
                || ((out.counter.is_some() || out.epoch.is_some())
                    && h.ends_with(|c: char| c.is_ascii_digit()));
        } else if !in_list {
            label_words = None;
            listing = false;
        }
        let key = name(&words);
        let whole_segment = seg[..key_start].trim().is_empty() && seg[i..].trim().is_empty();
        let meter = cells::meter_average(seg, i);
        let accepted = explicit || listing || meter.is_some() || (columns && whole_segment);
        if !accepted {
            continue;
        }
        let key = match &label_words {
            Some(l) => labelled(l, &key),
            None => key,
        };
        let average = meter.map(|(end, avg)| {
            i = end;
            (format!("{key}_avg"), avg)
        });
        if rest_of_list.is_empty() {
            out.pairs.push((key, v));
        } else {
            out.pairs.push((format!("{key}_0"), v));
            for (k, x) in rest_of_list.into_iter().enumerate() {
                out.pairs.push((format!("{key}_{}", k + 1), x));
            }
        }
        out.pairs.extend(average);
        list_end = i;
    }
}

/// The rest of a list of numbers whose first number ends at byte `i` of `s`: `, 0.1, 0.2]`.
/// Returns the byte after its `]` and the numbers after the first; `None` when the list holds
/// anything else (`[(0.9, 0.95)]`, `[0.1, 'a']`).
fn number_list(s: &str, mut i: usize) -> Option<(usize, Vec<f64>)> {
    let mut more = Vec::new();
    loop {
        let rest = &s[i..];
        if let Some(after) = rest.strip_prefix(']') {
            return Some((s.len() - after.len(), more));
        }
        let next = rest.strip_prefix(',')?.trim_start();
        let at = s.len() - next.len();
        let (end, v) = number_at(s, at)?;
        more.push(v);
        i = end;
    }
}

fn offer_counter(out: &mut Scan, value: i64, total: Option<i64>, rank: usize) {
    if out.counter.is_none_or(|c| rank < c.rank) {
        out.counter = Some(Counter { value, total, rank });
    }
}
