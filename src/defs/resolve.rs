//! Logged names → definitions: exact name or alias first, then the name stripped of its split
//! (`val_`, `eval/`), average (`_macro`) and granularity (`_step`, `_epoch`) parts, as the
//! README's "Resolution" section describes.
//!
//! A name is lower-cased, then stripped of a split prefix or suffix, Lightning's `_step` /
//! `_epoch` suffix and an averaging qualifier; what is left (the core) is looked up among the
//! aliases, which are stripped the same way when the registry is built. Resolution never
//! merges curves: it only says what a curve is.

use std::collections::HashMap;

use serde::Serialize;

use super::model::Split;

/// How a curve was logged: per step or per epoch (Lightning's suffixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Step,
    Epoch,
}

/// The answer of `tracker defs resolve NAME --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    pub name: String,
    /// The definition id, `None` when no alias matches.
    pub definition: Option<String>,
    pub split: Option<Split>,
    /// `macro`, `micro`, `weighted` or `binary`.
    pub average: Option<String>,
    pub granularity: Option<Granularity>,
    /// What was done, in order, in words.
    pub steps: Vec<String>,
    /// The stripped name that was looked up.
    #[serde(skip)]
    pub core: String,
}

const SEPARATORS: [char; 4] = ['_', '/', '-', '.'];
/// Longest first, so `validation_` is not read as `val` + `idation_`.
const SPLIT_WORDS: [(&str, Split); 6] = [
    ("validation", Split::Val),
    ("valid", Split::Val),
    ("train", Split::Train),
    ("eval", Split::Val),
    ("test", Split::Test),
    ("val", Split::Val),
];
const AVERAGES: [&str; 4] = ["macro", "micro", "weighted", "binary"];
const GRANULARITIES: [(&str, Granularity); 2] =
    [("_step", Granularity::Step), ("_epoch", Granularity::Epoch)];

/// Strips split, granularity and average from a name; `definition` is left `None`.
pub fn strip(name: &str) -> Resolution {
    let lower = name.trim().to_lowercase();
    // Show the original spelling in the steps when lower-casing kept the byte offsets.
    let shown = if lower.len() == name.trim().len() {
        name.trim().to_string()
    } else {
        lower.clone()
    };
    let mut r = Resolution {
        name: name.to_string(),
        definition: None,
        split: None,
        average: None,
        granularity: None,
        steps: Vec::new(),
        core: String::new(),
    };
    let (mut start, mut end) = (0usize, lower.len());
    let part = |s: usize, e: usize| &shown[s..e];

    for (word, split) in SPLIT_WORDS {
        if let Some(len) = prefix_len(&lower[start..end], word) {
            r.steps.push(format!(
                "stripped prefix '{}' → split {split}",
                part(start, start + len)
            ));
            r.split = Some(split);
            start += len;
            break;
        }
    }
    for avg in AVERAGES {
        if let Some(len) = prefix_len(&lower[start..end], avg) {
            r.steps.push(format!(
                "stripped prefix '{}' → average {avg}",
                part(start, start + len)
            ));
            r.average = Some(avg.to_string());
            start += len;
            break;
        }
    }
    loop {
        let core = &lower[start..end];
        if r.granularity.is_none()
            && let Some((suffix, g)) = GRANULARITIES
                .iter()
                .find(|(s, _)| core.len() > s.len() && core.ends_with(s))
        {
            r.steps.push(format!(
                "stripped suffix '{}' → granularity {}",
                part(end - suffix.len(), end),
                if *g == Granularity::Step {
                    "step"
                } else {
                    "epoch"
                }
            ));
            r.granularity = Some(*g);
            end -= suffix.len();
            continue;
        }
        if r.average.is_none()
            && let Some((avg, len)) = AVERAGES
                .iter()
                .find_map(|a| suffix_len(core, a).map(|l| (*a, l)))
        {
            r.steps.push(format!(
                "stripped suffix '{}' → average {avg}",
                part(end - len, end)
            ));
            r.average = Some(avg.to_string());
            end -= len;
            continue;
        }
        if r.split.is_none()
            && let Some((split, len)) = SPLIT_WORDS
                .iter()
                .find_map(|(w, s)| suffix_len(core, w).map(|l| (*s, l)))
        {
            r.steps.push(format!(
                "stripped suffix '{}' → split {split}",
                part(end - len, end)
            ));
            r.split = Some(split);
            end -= len;
            continue;
        }
        break;
    }
    r.core = lower[start..end].to_string();
    r
}

/// Length of `word` + separator at the start of `s`, when something remains after it.
fn prefix_len(s: &str, word: &str) -> Option<usize> {
    let rest = s.strip_prefix(word)?;
    let mut chars = rest.chars();
    let sep = chars.next()?;
    (SEPARATORS.contains(&sep) && !chars.as_str().is_empty()).then_some(word.len() + 1)
}

/// Length of separator + `word` at the end of `s`, when something remains before it.
fn suffix_len(s: &str, word: &str) -> Option<usize> {
    let rest = s.strip_suffix(word)?;
    let sep = rest.chars().next_back()?;
    (SEPARATORS.contains(&sep) && rest.len() > 1).then_some(word.len() + 1)
}

/// One alias of one definition, as written and as stripped.
#[derive(Debug, Clone)]
pub(crate) struct AliasEntry {
    pub def: usize,
    pub alias: String,
}

/// Stripped aliases → definitions; `*` aliases are globs, tried after exact ones.
#[derive(Debug, Clone, Default)]
pub(crate) struct AliasIndex {
    pub exact: HashMap<String, AliasEntry>,
    pub globs: Vec<(String, AliasEntry)>,
}

impl AliasIndex {
    /// The key an alias is stored under (its core, lower-case).
    pub fn key(alias: &str) -> String {
        strip(alias).core
    }

    /// Adds an alias; on a clash with another definition returns the entry already there.
    pub fn insert(&mut self, alias: &str, def: usize) -> Result<(), AliasEntry> {
        let key = Self::key(alias);
        let entry = AliasEntry {
            def,
            alias: alias.to_string(),
        };
        if key.contains('*') {
            if let Some((_, old)) = self.globs.iter().find(|(k, _)| *k == key) {
                return if old.def == def {
                    Ok(())
                } else {
                    Err(old.clone())
                };
            }
            self.globs.push((key, entry));
            return Ok(());
        }
        match self.exact.get(&key) {
            Some(old) if old.def != def => Err(old.clone()),
            Some(_) => Ok(()),
            None => {
                self.exact.insert(key, entry);
                Ok(())
            }
        }
    }

    /// The entry for a stripped core: exact first, then the glob with most literal characters.
    pub fn lookup(&self, core: &str) -> Option<(&AliasEntry, bool)> {
        if let Some(e) = self.exact.get(core) {
            return Some((e, false));
        }
        self.globs
            .iter()
            .filter(|(pattern, _)| glob_match(pattern, core))
            .max_by_key(|(pattern, e)| (pattern.chars().filter(|c| *c != '*').count(), !e.def))
            .map(|(_, e)| (e, true))
    }
}

/// `*` matches any run of characters (also none).
pub(crate) fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_in_order() {
        let r = strip("val_f1_macro_epoch");
        assert_eq!(r.core, "f1");
        assert_eq!(r.split, Some(Split::Val));
        assert_eq!(r.average.as_deref(), Some("macro"));
        assert_eq!(r.granularity, Some(Granularity::Epoch));
        assert_eq!(strip("loss_val").split, Some(Split::Val));
        assert_eq!(strip("validation-acc").split, Some(Split::Val));
        assert_eq!(strip("macro_f1").average.as_deref(), Some("macro"));
    }

    #[test]
    fn never_strips_to_nothing() {
        assert_eq!(strip("val").core, "val");
        assert_eq!(strip("test_").core, "test_");
        assert_eq!(strip("_step").core, "_step");
        assert_eq!(strip("step").core, "step");
    }

    #[test]
    fn globs() {
        assert!(glob_match("lr-*", "lr-sgd"));
        assert!(glob_match("lr-*", "lr-"));
        assert!(!glob_match("lr-*", "lr"));
        assert!(glob_match("grad_*norm*", "grad_2.0_norm_total"));
        assert!(glob_match("*loss", "box_loss"));
        assert!(!glob_match("a*b*c", "acb"));
    }
}
