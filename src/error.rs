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
    #[error("{}", describe_sqlite(.0))]
    Sqlite(rusqlite::Error),
    /// A PostgreSQL server refused or failed (`url` shown without its password).
    #[error("database {url}: {message}")]
    Server {
        url: String,
        message: String,
        /// Whether it may pass by itself (a dropped connection, a deadlock, a restart).
        transient: bool,
    },
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
    /// Values whose input names no run, written without a run name to give them.
    #[error("some values have no run to go to: their lines name none, and no run name was given")]
    Unnamed,
}

/// SQLite's errors in words that say what to do.
fn describe_sqlite(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => format!(
            "the database stayed locked by another process for longer than a writer waits \
             ({e}); check for a stuck tracker process and run again: nothing was lost"
        ),
        Some(DiskFull) => format!(
            "the disk holding the database is full ({e}); free some space and run again: what \
             was stored before is intact, and importing again stores each point once"
        ),
        Some(ReadOnly) => format!(
            "the database cannot be written ({e}); check the permissions of the file and its \
             directory, or use another database"
        ),
        Some(SystemIoFailure) => format!(
            "the disk failed while writing the database ({e}); check the disk and free space, then run again"
        ),
        Some(DatabaseCorrupt | NotADatabase) => format!(
            "the database file is damaged ({e}); move it aside (it may still be recoverable with \
             sqlite3's .recover) and run again, or use another database"
        ),
        _ => e.to_string(),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
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
