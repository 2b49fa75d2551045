//! Positions in YAML text, found with serde_yaml itself.
//!
//! serde_yaml 0.9 exposes no spans, but every error it returns carries the line and column of
//! the node being read. So to find where a field is, or which keys are unknown, we walk the
//! document with a visitor that fails on purpose at the node we want, and read the error's
//! location. Unknown keys are rare: one walk finds the first, the next walk skips it.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::schema::{ANY, DEFINITION, Schema};

const FOUND: &str = "\u{0}found:";

enum Goal<'a> {
    /// Stop at the node with this path.
    Locate(&'a str),
    /// Stop at the first key that the schema does not know, unless already reported.
    Unknown(&'a [String]),
}

/// Line and column (1-based) of the node at `path` (`hints[0].when[1].op`), or of its nearest
/// ancestor that exists.
pub(crate) fn locate(yaml: &str, path: &str) -> Option<(usize, usize)> {
    let mut path = path;
    loop {
        if path.is_empty() {
            return None;
        }
        if let Some((pos, _)) = walk(yaml, &Goal::Locate(path)) {
            return Some(pos);
        }
        path = parent(path);
    }
}

/// A key the format does not know.
pub(crate) struct UnknownKey {
    pub path: String,
    pub pos: (usize, usize),
    /// The keys that are known there, comma-separated.
    pub known: String,
}

/// Every unknown key, in document order.
pub(crate) fn unknown_keys(yaml: &str) -> Vec<UnknownKey> {
    let mut found: Vec<String> = Vec::new();
    let mut out = Vec::new();
    while found.len() < 100 {
        match walk(yaml, &Goal::Unknown(&found)) {
            Some((pos, path)) => {
                let known = known_at(parent(&path));
                found.push(path.clone());
                out.push(UnknownKey { path, pos, known });
            }
            None => break,
        }
    }
    out
}

fn known_at(path: &str) -> String {
    let mut schema: &Schema = &DEFINITION;
    for seg in segments(path) {
        schema = match seg {
            Seg::Key(k) => schema.child(k).unwrap_or(&ANY),
            Seg::Index => schema.child("").unwrap_or(&ANY),
        };
    }
    schema.known_keys()
}

enum Seg<'a> {
    Key(&'a str),
    Index,
}

fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let key = part.split('[').next().unwrap_or("");
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        out.extend(part.matches('[').map(|_| Seg::Index));
    }
    out
}

/// `a.b[2]` → `a.b`; `a.b` → `a`; `a` → ``.
pub(crate) fn parent(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    }
}

fn walk(yaml: &str, goal: &Goal<'_>) -> Option<((usize, usize), String)> {
    let node = Node {
        schema: &DEFINITION,
        path: String::new(),
        goal,
    };
    let err = node
        .deserialize(serde_yaml::Deserializer::from_str(yaml))
        .err()?;
    let text = err.to_string();
    let start = text.find(FOUND)? + FOUND.len();
    let rest = &text[start..];
    let path = rest.split('\u{0}').next().unwrap_or(rest).to_string();
    let loc = err.location()?;
    Some(((loc.line(), loc.column()), path))
}

struct Node<'a> {
    schema: &'static Schema,
    path: String,
    goal: &'a Goal<'a>,
}

impl Node<'_> {
    fn hit<E: de::Error>(&self) -> Result<(), E> {
        match self.goal {
            Goal::Locate(target) if *target == self.path => Err(found(&self.path)),
            _ => Ok(()),
        }
    }
}

fn found<E: de::Error>(path: &str) -> E {
    E::custom(format_args!("{FOUND}{path}\u{0}"))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! scalar {
    ($($name:ident: $t:ty),*) => {$(
        fn $name<E: de::Error>(self, _v: $t) -> Result<(), E> {
            self.hit()
        }
    )*};
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML node")
    }
    scalar!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.hit()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.hit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<(), A::Error> {
        // A tagged node (`!tag value`): its position is all we need.
        self.hit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.hit()?;
        let child = self.schema.child("").unwrap_or(&ANY);
        let mut i = 0usize;
        loop {
            let node = Node {
                schema: child,
                path: format!("{}[{i}]", self.path),
                goal: self.goal,
            };
            if seq.next_element_seed(node)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.hit()?;
        while let Some(key) = map.next_key_seed(Key { parent: &self })? {
            let schema = self.schema.child(&key).unwrap_or(&ANY);
            let node = Node {
                schema,
                path: join(&self.path, &key),
                goal: self.goal,
            };
            map.next_value_seed(node)?;
        }
        Ok(())
    }
}

/// Reads a mapping key; fails (so the error carries the key's position) when it is the goal.
struct Key<'a, 'b> {
    parent: &'a Node<'b>,
}

impl Key<'_, '_> {
    fn check<E: de::Error>(self, key: String) -> Result<String, E> {
        let path = join(&self.parent.path, &key);
        match self.parent.goal {
            Goal::Locate(target) if *target == path => Err(found(&path)),
            Goal::Unknown(skip)
                if self.parent.schema.child(&key).is_none() && !skip.contains(&path) =>
            {
                Err(found(&path))
            }
            _ => Ok(key),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        self.check(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.check("null".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "id: x\naliases: [a, b]\nvisualizations:\n  yDomain: [0, 1]\n  unhealthy:\n    foo:\n      label: L\n      lable: M\n      data:\n        - { step: 0, value: 1 }\n        - { step: 1, valeu: 2 }\ncolour: red\n";

    #[test]
    fn locates_keys_and_elements() {
        assert_eq!(locate(DOC, "id"), Some((1, 1)));
        assert_eq!(locate(DOC, "aliases[1]"), Some((2, 14)));
        assert_eq!(locate(DOC, "visualizations.yDomain"), Some((4, 3)));
        assert_eq!(locate(DOC, "visualizations.unhealthy.foo"), Some((6, 5)));
        assert_eq!(
            locate(DOC, "visualizations.unhealthy.foo.data[1]"),
            Some((11, 11))
        );
        // Absent: the nearest ancestor.
        assert_eq!(locate(DOC, "visualizations.healthy"), Some((3, 1)));
        assert_eq!(locate(DOC, "nothing"), None);
    }

    #[test]
    fn finds_every_unknown_key() {
        let found: Vec<_> = unknown_keys(DOC)
            .into_iter()
            .map(|k| (k.path, Some(k.pos)))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "visualizations.unhealthy.foo.lable".to_string(),
                    Some((8, 7))
                ),
                (
                    "visualizations.unhealthy.foo.data[1].valeu".to_string(),
                    Some((11, 22))
                ),
                ("colour".to_string(), Some((12, 1))),
            ]
        );
    }

    #[test]
    fn parent_paths() {
        assert_eq!(parent("a.b[2]"), "a.b");
        assert_eq!(parent("a.b"), "a");
        assert_eq!(parent("a"), "");
    }
}
