//! Reading one definition file: front matter, YAML, error positions, unknown keys.

use std::path::Path;

use super::error::{DefsError, DefsWarning, ErrorKind};
use super::model::Definition;
use super::validate;
use super::walk;

/// How a file's text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// The whole file is YAML (`.yaml`, `.yml`).
    Yaml,
    /// YAML front matter between `---` lines, then Markdown (`.md`).
    FrontMatter,
    /// Front matter when the first line is `---`, else plain YAML (any other extension, such
    /// as the seed's `.txt`).
    Detect,
}

impl FileKind {
    pub fn for_path(path: &Path) -> FileKind {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("yaml" | "yml") => FileKind::Yaml,
            Some("md" | "markdown") => FileKind::FrontMatter,
            _ => FileKind::Detect,
        }
    }
}

/// A definition read from one file, with the warnings it raised.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub definition: Definition,
    pub warnings: Vec<DefsWarning>,
}

/// A parsed file plus what the registry needs to place later errors (duplicate aliases).
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub loaded: Loaded,
    pub yaml: String,
    pub offset: usize,
}

impl Parsed {
    /// Line and column of `path` in the original file.
    pub(crate) fn locate(&self, path: &str) -> Option<(usize, usize)> {
        walk::locate(&self.yaml, path).map(|(l, c)| (l + self.offset, c))
    }
}

/// Reads and parses one definition file; the format comes from its extension.
pub fn load_file(path: &Path) -> Result<Loaded, DefsError> {
    read_file(path).map(|p| p.loaded)
}

pub(crate) fn read_file(path: &Path) -> Result<Parsed, DefsError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        DefsError::new(
            ErrorKind::Io,
            path,
            format!("cannot read the file: {e}; expected a readable UTF-8 text file"),
        )
    })?;
    parse(&text, path, FileKind::for_path(path), false)
}

/// Parses definition text; `file` only names it in messages.
pub fn parse_str(text: &str, file: &Path, format: FileKind) -> Result<Loaded, DefsError> {
    parse(text, file, format, false).map(|p| p.loaded)
}

pub(crate) fn parse(
    text: &str,
    file: &Path,
    format: FileKind,
    builtin: bool,
) -> Result<Parsed, DefsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (yaml, offset, body) = match format {
        FileKind::Yaml => (text, 0, ""),
        FileKind::FrontMatter => split_front_matter(text, file)?.ok_or_else(|| {
            DefsError::new(
                ErrorKind::FrontMatter,
                file,
                "no front matter; expected the file to start with a line '---', then the YAML \
                 fields, then a line '---' and the Markdown body",
            )
            .at(Some((1, 1)))
        })?,
        FileKind::Detect => split_front_matter(text, file)?.unwrap_or((text, 0, "")),
    };
    let mut definition: Definition =
        serde_yaml::from_str(yaml).map_err(|e| yaml_error(&e, file, offset))?;
    definition.body = body.trim().to_string();
    definition.origin.file = file.to_path_buf();
    definition.origin.builtin = builtin;
    let parsed = Parsed {
        loaded: Loaded {
            definition,
            warnings: Vec::new(),
        },
        yaml: yaml.to_string(),
        offset,
    };
    finish(parsed, file)
}

fn finish(mut parsed: Parsed, file: &Path) -> Result<Parsed, DefsError> {
    let mut warnings: Vec<DefsWarning> = walk::unknown_keys(&parsed.yaml)
        .into_iter()
        .map(|walk::UnknownKey { path, pos, known }| {
            let key = path.rsplit('.').next().unwrap_or(&path).to_string();
            let mut message = format!("unknown field '{key}' is ignored");
            if !known.is_empty() {
                message.push_str(&format!("; expected one of: {known}"));
            }
            DefsWarning {
                file: file.to_path_buf(),
                line: Some(pos.0 + parsed.offset),
                column: Some(pos.1),
                field: Some(path),
                message,
            }
        })
        .collect();
    let issues = validate::check(&mut parsed.loaded.definition);
    for issue in issues {
        let pos = parsed.locate(&issue.field);
        if issue.fatal {
            return Err(DefsError::new(issue.kind, file, issue.message)
                .at(pos)
                .field(issue.field));
        }
        warnings.push(DefsWarning {
            file: file.to_path_buf(),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
            field: Some(issue.field),
            message: issue.message,
        });
    }
    parsed.loaded.warnings = warnings;
    Ok(parsed)
}

/// `Ok(None)`: the text has no front matter. `Ok(Some((yaml, lines before it, body)))`.
fn split_front_matter<'a>(
    text: &'a str,
    file: &Path,
) -> Result<Option<(&'a str, usize, &'a str)>, DefsError> {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    if first.trim_end() != "---" {
        return Ok(None);
    }
    let start = first.len();
    let mut pos = start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Some((&text[start..pos], 1, &text[pos + line.len()..])));
        }
        pos += line.len();
    }
    Err(DefsError::new(
        ErrorKind::FrontMatter,
        file,
        "the front matter opened by '---' on line 1 is never closed; expected a line '---' \
         after the YAML fields, before the Markdown body",
    )
    .at(Some((1, 1))))
}

/// serde_yaml's message is `PATH: MESSAGE at line L column C[, while …]`.
fn yaml_error(err: &serde_yaml::Error, file: &Path, offset: usize) -> DefsError {
    let pos = err.location().map(|l| (l.line() + offset, l.column()));
    let mut text = err.to_string();
    if let Some(i) = text.find(" at line ") {
        text.truncate(i);
    }
    let (path, msg) = split_path(&text);
    let (kind, field, message) = describe(path, msg);
    DefsError::new(kind, file, message).at(pos).field(field)
}

const SERDE_HEADS: &[&str] = &[
    "invalid type",
    "invalid value",
    "invalid length",
    "missing field",
    "duplicate field",
    "duplicate pattern",
    "unknown variant",
    "unknown field",
];

fn split_path(text: &str) -> (&str, &str) {
    if let Some(i) = text.find(": ") {
        let rest = &text[i + 2..];
        if SERDE_HEADS.iter().any(|h| rest.starts_with(h)) {
            return (&text[..i], rest);
        }
    }
    ("", text)
}

fn backticked(msg: &str) -> &str {
    msg.split('`').nth(1).unwrap_or("")
}

fn describe(path: &str, msg: &str) -> (ErrorKind, String, String) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    if msg.starts_with("missing field") {
        let field = join(backticked(msg));
        let expected = expected_for(&field);
        return (
            ErrorKind::Missing,
            field,
            format!("missing; expected {expected}"),
        );
    }
    if msg.starts_with("duplicate field") || msg.starts_with("duplicate pattern") {
        let field = join(backticked(msg));
        return (
            ErrorKind::Value,
            field,
            "given twice; expected each key once".to_string(),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            ErrorKind::Type,
            path.to_string(),
            format!(
                "wrong type: expected {}, found {found}",
                plain_expected(expected)
            ),
        );
    }
    if msg.starts_with("unknown variant") {
        let word = backticked(msg);
        let expected = msg
            .split_once("expected ")
            .map(|(_, e)| e.replace('`', "'"))
            .unwrap_or_default();
        let what = if path.ends_with("verdict") {
            "unknown verdict word"
        } else {
            "unknown value"
        };
        return (
            ErrorKind::Type,
            path.to_string(),
            format!("{what} '{word}'; expected {expected}"),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid length ") {
        let (n, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            ErrorKind::Value,
            path.to_string(),
            format!(
                "expected {}, found {n} elements",
                expected.replace("sequence", "a list")
            ),
        );
    }
    if let Some(rest) = msg.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            ErrorKind::Value,
            path.to_string(),
            format!("expected {expected}, found {found}"),
        );
    }
    (
        ErrorKind::Syntax,
        path.to_string(),
        format!("invalid YAML: {msg}; expected a YAML mapping of definition fields"),
    )
}

fn plain_expected(serde: &str) -> String {
    match serde {
        "f64" => "a number".to_string(),
        "i64" => "an integer".to_string(),
        "u32" => "a whole number >= 0".to_string(),
        "a sequence" => "a list".to_string(),
        "a string" => "a string".to_string(),
        s if s.starts_with("struct ") => "a mapping of fields".to_string(),
        s => s.to_string(),
    }
}

/// What a required field should hold, for "missing" messages.
fn expected_for(field: &str) -> &'static str {
    let last = field.rsplit('.').next().unwrap_or(field);
    match last {
        "id" if !field.contains('.') => "a string naming the definition, e.g. 'id: f1'",
        "id" => "a string",
        "step" => "an integer step, e.g. '{ step: 10, value: 0.35 }'",
        "value" => "a number, e.g. '{ step: 10, value: 0.35 }'",
        "data" => "a list of points '{ step: N, value: X }'",
        "when" => "a list of conditions, e.g. '[{ metric: f1, op: \"<\", value: 0.5 }]'",
        "message" => "the text to show when the hint applies",
        "min" | "max" => "a number (the band's bounds)",
        "label" => "a short name for the band",
        "train" | "val" => "a logged metric name",
        _ => "a value",
    }
}
