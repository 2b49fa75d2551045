//! Column-wise JSON documents: a dict of lists, one step per index, as Keras writes its
//! `History.history` with `json.dump` (`{"loss": [0.9, 0.7], "val_loss": [1.0, 0.8]}`), also
//! nested beside metadata (`{"model": "x", "history": {"loss": [...]}}` gives `history/loss`).
//!
//! A list whose entries are all numbers (or `null`, `NaN`, `Infinity`) is a metric; entry `i`
//! is at step `i` (0-based, as Keras counts epochs), `null` entries are skipped and keep their
//! index. A sibling list named like a step (`epoch`, `step`, `iteration`, …) of the same length
//! and holding whole numbers gives the steps of the lists of that length beside it instead. Lists
//! of strings or objects are not metrics; scalars beside the lists (`"lr": 0.1`) are the run's
//! params, not points. The document is read whole.

use super::{Batch, Location, Parser, json, number, step};
use serde_json::{Map, Value};

/// Largest document read.
pub const MAX_LEN: usize = 256 << 20;

#[derive(Debug, Default)]
pub struct Columns {
    buf: Vec<u8>,
    too_long: bool,
}

fn parse_document(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(super::strip_bom(data));
    let describe = |e: serde_json::Error| format!("invalid JSON: {e}");
    match serde_json::from_str::<Value>(&text) {
        Ok(v) => Ok(v),
        Err(e) => match json::repair(&text) {
            Some(fixed) => serde_json::from_str(&fixed).map_err(|_| describe(e)),
            None => Err(describe(e)),
        },
    }
}

/// The entries of a list of numbers (`None` for `null`), or `None` if it is not one.
fn numbers(list: &[Value]) -> Option<Vec<Option<f64>>> {
    let v: Vec<Option<f64>> = list
        .iter()
        .map(|e| match e {
            Value::Null => Some(None),
            Value::Number(n) => n.as_f64().map(Some),
            // Only what the repair quoted (`NaN`, `Infinity`): a list of strings is not one.
            Value::String(s) => number::parse(s).filter(|v| !v.is_finite()).map(Some),
            _ => None,
        })
        .collect::<Option<_>>()?;
    v.iter().any(Option::is_some).then_some(v)
}

/// Step-like names that give the steps of their sibling lists.
fn is_step_name(name: &str) -> bool {
    step::rank(name).is_some()
}

/// Whole-number steps from a step list, or `None` if it holds anything else.
fn steps_of(v: &[Option<f64>]) -> Option<Vec<i64>> {
    v.iter().map(|x| x.and_then(number::as_step)).collect()
}

struct Walk<'a> {
    out: &'a mut Batch,
    params: Map<String, Value>,
    lists: usize,
}

impl Walk<'_> {
    fn object(&mut self, obj: &Map<String, Value>, prefix: &str, depth: usize) {
        if depth >= json::MAX_DEPTH {
            self.out.skip(
                Location::Whole,
                format!("nesting deeper than {} levels", json::MAX_DEPTH),
            );
            return;
        }
        let name = |k: &str| format!("{prefix}{k}");
        let lists: Vec<(&String, Vec<Option<f64>>)> = obj
            .iter()
            .filter_map(|(k, v)| Some((k, numbers(v.as_array()?)?)))
            .collect();
        // A step list of one length gives the steps of the lists of that length; the best-ranked
        // one wins when there are several.
        let mut step_lists: Vec<(usize, &String, Vec<i64>)> = lists
            .iter()
            .filter(|(k, _)| is_step_name(k))
            .filter_map(|(k, v)| Some((step::rank(k)?, *k, steps_of(v)?)))
            .collect();
        step_lists.sort_by_key(|(r, _, _)| *r);
        let steps_for = |len: usize| {
            step_lists
                .iter()
                .find(|(_, _, s)| s.len() == len)
                .map(|(_, k, s)| (*k, s))
        };
        for (k, values) in &lists {
            let steps = steps_for(values.len());
            if steps.is_some_and(|(sk, _)| sk == *k) {
                continue;
            }
            let m = self.out.metric(&name(k));
            self.lists += 1;
            for (i, v) in values.iter().enumerate() {
                let Some(v) = v else { continue };
                let s = steps.map_or(i as i64, |(_, s)| s[i]);
                self.out.push_at(0, m, s, *v, None, Location::Whole);
            }
        }
        for (k, v) in obj {
            match v {
                Value::Object(inner) => self.object(inner, &format!("{}/", name(k)), depth + 1),
                Value::Array(_) | Value::Null => {}
                scalar => {
                    self.params.insert(name(k), scalar.clone());
                }
            }
        }
    }
}

impl Columns {
    fn parse(&self, out: &mut Batch) -> Result<(), String> {
        let doc = parse_document(&self.buf)?;
        let Some(obj) = doc.as_object() else {
            return Err("not a JSON object".into());
        };
        let mut walk = Walk {
            out,
            params: Map::new(),
            lists: 0,
        };
        walk.object(obj, "", 0);
        let (lists, params) = (walk.lists, walk.params);
        if lists == 0 {
            return Err("no list of numbers: not a column-wise document".into());
        }
        if !params.is_empty() {
            out.params.push((0, params));
        }
        Ok(())
    }
}

impl Parser for Columns {
    fn feed(&mut self, data: &[u8], eof: bool, out: &mut Batch) -> usize {
        if !self.too_long {
            if self.buf.len() + data.len() > MAX_LEN {
                self.too_long = true;
                self.buf = Vec::new();
                out.skip(Location::Whole, "document is larger than 256 MiB");
            } else {
                self.buf.extend_from_slice(data);
            }
        }
        if eof && !self.too_long {
            if let Err(e) = self.parse(out) {
                out.skip(Location::Whole, e);
            }
            self.buf = Vec::new();
        }
        data.len()
    }
}

/// What a lexical pass over the start of a JSON document found.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    /// Entries of lists that hold only numbers (and `null`).
    listed: usize,
    /// The most numbers in one such list.
    longest: usize,
    /// Every other scalar: values of object fields, entries of other lists.
    other: usize,
}

/// Scan the start of a document (it may be cut anywhere) without parsing it.
fn shape(text: &str) -> Shape {
    // Per open list: (numbers, others) so far.
    let mut stack: Vec<Option<(usize, usize)>> = Vec::new();
    let mut s = Shape::default();
    let b = text.as_bytes();
    let mut i = 0;
    let scalar = |stack: &mut Vec<Option<(usize, usize)>>, s: &mut Shape, num: bool| match stack
        .last_mut()
    {
        Some(Some((n, o))) => *(if num { n } else { o }) += 1,
        _ => s.other += 1,
    };
    let close_list = |c: Option<(usize, usize)>, s: &mut Shape| {
        if let Some((n, o)) = c {
            if o == 0 && n > 0 {
                s.listed += n;
                s.longest = s.longest.max(n);
            } else {
                s.other += n + o;
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                // A key is followed by `:`; a string value is a scalar, never a number (a list of
                // quoted numbers is not a metric).
                let rest = text.get(i.min(b.len())..).unwrap_or("").trim_start();
                if !rest.starts_with(':') {
                    scalar(&mut stack, &mut s, false);
                }
                continue;
            }
            b'[' => stack.push(Some((0, 0))),
            b'{' => {
                // Entries of a list of objects are not numbers.
                if let Some(Some((_, o))) = stack.last_mut() {
                    *o += 1;
                }
                stack.push(None);
            }
            b']' => {
                let c = stack.pop().flatten();
                close_list(c, &mut s);
            }
            b'}' => {
                stack.pop();
            }
            c if c == b'-' || c.is_ascii_alphanumeric() || c == b'.' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b"-+.".contains(&b[i])) {
                    i += 1;
                }
                let tok = &text[start..i];
                if tok != "null" {
                    scalar(&mut stack, &mut s, number::parse(tok).is_some());
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Lists cut off by the end of the head count as far as they go.
    while let Some(c) = stack.pop() {
        close_list(c, &mut s);
    }
    s
}

/// Whether `head` (the start of a file) is a column-wise document: a JSON object, not one
/// object per line, holding a list of at least two numbers, with more numbers in such lists than
/// other values (a config with an `image_mean` list is not one).
pub fn looks_like(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(super::strip_bom(head));
    if !text.trim_start().starts_with('{') {
        return false;
    }
    let object_lines = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('{') && l.ends_with('}'))
        .take(2)
        .count();
    if object_lines > 1 {
        return false;
    }
    let s = shape(&text);
    s.longest >= 2 && s.listed > s.other
}

#[cfg(test)]
mod tests;
