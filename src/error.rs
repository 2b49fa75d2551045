//! The library's error type: every variant says what went wrong and where.

use std::path::PathBuf;

/// Errors of the `tracker` library. Messages are written for the person at the terminal:
/// they name the file (and line) and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database {path}: {message}")]
    Database { path: String, message: String },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "database {path} was written by a newer tracker (schema version {found}, this one knows up to {known}); upgrade tracker to read it"
    )]
    NewerSchema {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("no run named '{0}'")]
    NoSuchRun(String),
    #[error("{0}")]
    RunReference(String),
    #[error("a run named '{0}' already exists")]
    RunExists(String),
    #[error("{0}")]
    Invalid(String),
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
