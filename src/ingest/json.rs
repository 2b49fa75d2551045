//! Walking the fields of a JSON object without building a tree, plus the repairs Python's
//! `json.dumps` output needs (`NaN`, `Infinity`, `-Infinity`, and numbers such as `1e999`).

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// Deepest nesting of objects accepted; deeper input is rejected.
pub const MAX_DEPTH: usize = 32;

/// A field's value as far as metrics care.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    Num(f64),
    Str(&'a str),
    /// `null`, booleans and lists: not metrics.
    Other,
}

/// What [`for_each_field`] reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event<'a> {
    Field(&'a str, Val<'a>),
    /// Forget the fields reported so far: the object is read again after a repair.
    Restart,
}

/// Call `f` with every field of the JSON object in `text`. Nested objects are flattened with
/// `/` (`{"train": {"loss": 1}}` gives `train/loss`). Python's non-standard `NaN` and
/// `Infinity` are accepted (the object is then read a second time, after [`Event::Restart`]).
pub fn for_each_field<F>(text: &str, f: &mut F) -> Result<(), String>
where
    F: FnMut(Event<'_>),
{
    let mut field = |name: &str, v: Val<'_>| f(Event::Field(name, v));
    match walk(text, &mut field) {
        Ok(()) => Ok(()),
        Err(first) => match repair(text) {
            // Only retry when the repair changed something; report the first error otherwise.
            Some(fixed) => {
                f(Event::Restart);
                let mut field = |name: &str, v: Val<'_>| f(Event::Field(name, v));
                walk(&fixed, &mut field).map_err(|_| first)
            }
            None => Err(first),
        },
    }
}

fn walk<F: FnMut(&str, Val<'_>)>(text: &str, f: &mut F) -> Result<(), String> {
    if !text.trim_start().starts_with('{') {
        return Err("not a JSON object".into());
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut prefix = String::new();
    ObjectSeed {
        prefix: &mut prefix,
        depth: 0,
        f,
    }
    .deserialize(&mut de)
    .map_err(|e| describe(&e))?;
    de.end().map_err(|e| describe(&e))
}

fn describe(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the column is what helps.
    match msg.rfind(" at line ") {
        Some(i) => {
            let col = msg[i..].rsplit(' ').next().unwrap_or("");
            format!("invalid JSON: {} (column {col})", &msg[..i])
        }
        None => format!("invalid JSON: {msg}"),
    }
}

struct ObjectSeed<'p, 'f, F> {
    prefix: &'p mut String,
    depth: usize,
    f: &'f mut F,
}

impl<'de, F: FnMut(&str, Val<'_>)> DeserializeSeed<'de> for ObjectSeed<'_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(&str, Val<'_>)> Visitor<'de> for ObjectSeed<'_, '_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(serde::de::Error::custom(format!(
                "nesting deeper than {MAX_DEPTH} levels"
            )));
        }
        let base = self.prefix.len();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            self.prefix.truncate(base);
            self.prefix.push_str(&key);
            map.next_value_seed(ValueSeed {
                prefix: self.prefix,
                depth: self.depth,
                f: self.f,
            })?;
        }
        self.prefix.truncate(base);
        Ok(())
    }
}

struct ValueSeed<'p, 'f, F> {
    prefix: &'p mut String,
    depth: usize,
    f: &'f mut F,
}

impl<'de, F: FnMut(&str, Val<'_>)> DeserializeSeed<'de> for ValueSeed<'_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(&str, Val<'_>)> Visitor<'de> for ValueSeed<'_, '_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        (self.f)(self.prefix, Val::Num(v));
        Ok(())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        self.visit_f64(v as f64)
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        (self.f)(self.prefix, Val::Str(v));
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        (self.f)(self.prefix, Val::Other);
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        (self.f)(self.prefix, Val::Other);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        (self.f)(self.prefix, Val::Other);
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.prefix.push('/');
        ObjectSeed {
            prefix: self.prefix,
            depth: self.depth + 1,
            f: self.f,
        }
        .visit_map(map)
    }
}

/// Quote the bare tokens standard JSON rejects but Python writes (`NaN`, `Infinity`,
/// `-Infinity`, and numbers too large for f64), so they arrive as strings that
/// [`super::number::parse`] reads. `None` when there was nothing to repair.
pub fn repair(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                // Skip a string, honouring escapes.
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            c if c == b'-' || c == b'+' || c.is_ascii_alphanumeric() || c == b'.' => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'-' | b'+' | b'.'))
                {
                    i += 1;
                }
                let tok = &text[start..i];
                let bad = matches!(tok, "NaN" | "Infinity" | "-Infinity" | "+Infinity")
                    || (tok.parse::<f64>().is_ok_and(f64::is_infinite)
                        && !tok
                            .chars()
                            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E'));
                if bad {
                    out.push_str(&text[copied..start]);
                    out.push('"');
                    out.push_str(tok);
                    out.push('"');
                    copied = i;
                    changed = true;
                }
            }
            _ => i += 1,
        }
    }
    if !changed {
        return None;
    }
    out.push_str(&text[copied.min(text.len())..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Result<Vec<(String, String)>, String> {
        let mut v = vec![];
        for_each_field(text, &mut |e| match e {
            Event::Field(k, val) => v.push((k.to_string(), format!("{val:?}"))),
            Event::Restart => v.clear(),
        })?;
        Ok(v)
    }

    #[test]
    fn flat_and_nested_fields() {
        let v = fields(r#"{"a": 1, "b": {"c": 2.5, "d": "x"}, "e": [1,2], "f": null}"#).unwrap();
        assert_eq!(
            v,
            vec![
                ("a".into(), "Num(1.0)".into()),
                ("b/c".into(), "Num(2.5)".into()),
                ("b/d".into(), "Str(\"x\")".into()),
                ("e".into(), "Other".into()),
                ("f".into(), "Other".into()),
            ]
        );
    }

    #[test]
    fn python_non_finite_and_huge_numbers() {
        let v = fields(r#"{"a": NaN, "b": -Infinity, "c": 1e999, "s": "NaN is text"}"#).unwrap();
        assert_eq!(v[0].1, "Str(\"NaN\")");
        assert_eq!(v[1].1, "Str(\"-Infinity\")");
        assert_eq!(v[2].1, "Str(\"1e999\")");
        assert_eq!(v[3].1, "Str(\"NaN is text\")");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(fields("[1, 2]").unwrap_err(), "not a JSON object");
        assert!(
            fields(r#"{"a": 1"#)
                .unwrap_err()
                .starts_with("invalid JSON: EOF")
        );
        let deep = format!("{}1{}", r#"{"a":"#.repeat(40), "}".repeat(40));
        assert!(
            fields(&deep)
                .unwrap_err()
                .contains("nesting deeper than 32")
        );
    }
}
