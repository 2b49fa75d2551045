//! `DefsError` (fatal for the file it names) and `DefsWarning` (reported, never fatal).

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, for tests and for callers that want to branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// Not valid YAML.
    Syntax,
    /// `---` front matter that is not closed, or a `.md` file without it.
    FrontMatter,
    /// A required field is absent.
    Missing,
    /// A field has the wrong type or an unknown word.
    Type,
    /// A field has the right type but an unacceptable value.
    Value,
    /// Two definitions claim one alias.
    DuplicateAlias,
    /// Two user files define one id.
    DuplicateId,
}

/// An error in a definition file: file, position (1-based), the field's path
/// (`visualizations.healthy.data[1].value`) and a message that says what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct DefsError {
    pub kind: ErrorKind,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted path of the field, `None` for whole-file problems.
    pub field: Option<String>,
    pub message: String,
}

impl DefsError {
    pub(crate) fn new(kind: ErrorKind, file: &Path, message: impl Into<String>) -> Self {
        DefsError {
            kind,
            file: file.to_path_buf(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, pos: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = pos {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    pub(crate) fn field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = (!field.is_empty()).then_some(field);
        self
    }
}

impl fmt::Display for DefsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.file, self.line, self.column)?;
        if let Some(field) = &self.field {
            write!(f, " field '{field}':")?;
        }
        write!(f, " {}", self.message)
    }
}

/// Something odd but harmless (an unknown key, a hint naming an unknown metric).
#[derive(Debug, Clone, PartialEq)]
pub struct DefsWarning {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for DefsWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, &self.file, self.line, self.column)?;
        write!(f, " warning:")?;
        if let Some(field) = &self.field {
            write!(f, " field '{field}':")?;
        }
        write!(f, " {}", self.message)
    }
}

fn write_location(
    f: &mut fmt::Formatter<'_>,
    file: &Path,
    line: Option<usize>,
    column: Option<usize>,
) -> fmt::Result {
    write!(f, "{}", file.display())?;
    if let Some(line) = line {
        write!(f, ":{line}")?;
        if let Some(column) = column {
            write!(f, ":{column}")?;
        }
    }
    write!(f, ":")
}
