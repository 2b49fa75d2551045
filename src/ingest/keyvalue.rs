//! Plain log lines: `key=value` and `key: value` pairs, and step words followed by a number
//! (`epoch 3 step 120 loss=0.43 val_f1=0.81`, `Epoch 1/200 | Loss: 0.6924`). Keys of several
//! words (`Train Loss=0.07`) are joined with `_` and lower-cased. Lines without metrics are
//! skipped silently.

use super::lines::LineParser;
use super::{Batch, Location, number, step};

#[derive(Debug, Default)]
pub struct KeyValue {
    pairs: Vec<(String, f64)>,
}

/// Words that, followed by a whole number, give the step.
const STEP_WORDS: &[&str] = &["step", "global_step", "iteration", "iter", "it", "epoch"];

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '/' | '.' | '-' | '(' | ')' | '@')
}

/// The number starting at byte `i` of `s`, if any: its end and value.
fn number_at(s: &str, i: usize) -> Option<(usize, f64)> {
    let b = s.as_bytes();
    let mut j = i;
    if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
        j += 1;
    }
    let rest = &s[j..];
    for word in ["nan", "inf"] {
        if rest.get(..3).is_some_and(|w| w.eq_ignore_ascii_case(word)) {
            let end = j + 3;
            if s[end..].chars().next().is_none_or(|c| !c.is_alphanumeric()) {
                return Some((end, number::parse(&s[i..end])?));
            }
        }
    }
    let start_digits = j;
    while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
        j += 1;
    }
    if j == start_digits || !b[start_digits..j].iter().any(u8::is_ascii_digit) {
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
    // A number glued to letters (`1st`, `5x`) is not a value.
    if s[j..].chars().next().is_some_and(char::is_alphabetic) {
        return None;
    }
    Some((j, number::parse(&s[i..j])?))
}

/// The key written just before byte `end` of `s`: up to three words, stopping at separators.
fn key_before(s: &str, end: usize) -> Option<String> {
    let head = s[..end].trim_end();
    let mut words: Vec<&str> = Vec::new();
    let mut rest = head;
    while words.len() < 3 {
        let start = rest
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_key_char(*c))
            .last()
            .map(|(i, _)| i)?;
        let word = &rest[start..];
        if word.is_empty()
            || !word.chars().next().is_some_and(char::is_alphabetic)
            || number::parse(word).is_some()
        {
            break;
        }
        words.push(word);
        let before = &rest[..start];
        // Another word of the same key follows only after a single space.
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
    Some(words.join("_").to_lowercase())
}

impl KeyValue {
    fn scan(&mut self, line: &str) -> Option<i64> {
        self.pairs.clear();
        let mut step: Option<(usize, i64)> = None;
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let at_boundary = i == 0 || !is_key_char(line[..i].chars().next_back().unwrap_or(' '));
            let Some((end, v)) = (at_boundary.then(|| number_at(line, i))).flatten() else {
                i += line[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            };
            let head = line[..i].trim_end();
            let (key, explicit) = if let Some(h) = head.strip_suffix(['=', ':']) {
                (key_before(h, h.len()), true)
            } else {
                (
                    key_before(head, head.len()).filter(|k| !k.contains('_')),
                    false,
                )
            };
            i = end;
            // `N/M` (epoch 1/200): the number is N.
            if line[end..].starts_with('/') {
                let total_end = line[end + 1..]
                    .find(|c: char| !c.is_ascii_digit() && c != ' ')
                    .map_or(line.len(), |p| end + 1 + p);
                i = total_end;
            }
            let Some(key) = key else { continue };
            let is_step_word = STEP_WORDS.contains(&key.as_str());
            if is_step_word && let Some(s) = number::as_step(v) {
                let r = step::rank(&key).unwrap_or(usize::MAX);
                if step.is_none_or(|(br, _)| r < br) {
                    step = Some((r, s));
                }
                if key != "epoch" {
                    continue;
                }
            }
            if explicit || is_step_word {
                self.pairs.push((key, v));
            }
        }
        step.map(|(_, s)| s)
    }
}

impl LineParser for KeyValue {
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String> {
        let step = self.scan(line);
        let step_from_epoch = step.is_some()
            && self
                .pairs
                .iter()
                .any(|(k, v)| k == "epoch" && number::as_step(*v) == step)
            && !line.to_ascii_lowercase().contains("step");
        let step = step.unwrap_or(index as i64);
        let at = Location::Line(index + 1);
        let only_epoch = self.pairs.iter().all(|(k, _)| k == "epoch");
        if only_epoch {
            return Ok(());
        }
        for (k, v) in &self.pairs {
            if step_from_epoch && k == "epoch" {
                continue;
            }
            let m = out.metric(k);
            out.push_at(0, m, step, *v, None, at);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{Format, Options, parse_all};

    fn points(text: &str) -> Vec<(String, i64, f64)> {
        let b = parse_all(Format::KeyValue, &Options::default(), text.as_bytes());
        b.points
            .iter()
            .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
            .collect()
    }

    #[test]
    fn the_issue_example() {
        assert_eq!(
            points("epoch 3 step 120 loss=0.43 val_f1=0.81\n"),
            vec![
                ("epoch".into(), 120, 3.0),
                ("loss".into(), 120, 0.43),
                ("val_f1".into(), 120, 0.81)
            ]
        );
    }

    #[test]
    fn python_logging_lines() {
        let v =
            points("2023-05-15 22:50:17,398 INFO:Epoch 1: Train Loss=0.0717, Val Loss=0.0766\n");
        assert_eq!(
            v,
            vec![
                ("train_loss".into(), 1, 0.0717),
                ("val_loss".into(), 1, 0.0766)
            ]
        );
        let v = points("Epoch 2/200 | Loss: 0.5995\n");
        assert_eq!(v, vec![("loss".into(), 2, 0.5995)]);
    }

    #[test]
    fn lines_without_metrics_are_silent() {
        let b = parse_all(
            Format::KeyValue,
            &Options::default(),
            b"Starting training\nModel size: large\n\n",
        );
        assert!(b.points.is_empty() && b.skips.is_empty());
    }

    #[test]
    fn no_step_uses_the_line_number_and_nan_is_kept() {
        let v = points("hello\nloss=nan acc: 0.5\n");
        assert_eq!(v[0].0, "loss");
        assert_eq!(v[0].1, 1);
        assert!(v[0].2.is_nan());
        assert_eq!(v[1], ("acc".into(), 1, 0.5));
    }
}
