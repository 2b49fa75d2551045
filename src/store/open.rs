//! Opening a database only to read it: nothing is created, migrated or written.

use super::sqlite::SqliteConn;
use super::{BUSY_TIMEOUT, Db, migrations};
use crate::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

impl Db {
    /// Open the database at `path` to read it. A missing file is an error (nothing is
    /// created); a SQLite file that is not a tracker database is refused untouched; a database
    /// on a read-only file system, or in a directory that cannot be written, is read.
    pub fn open_read_only(path: &Path) -> Result<Db> {
        let shown = path.display().to_string();
        let fail = |message: String| Error::Database {
            path: shown.clone(),
            message,
        };
        if !path.is_file() {
            return Err(fail(if path.exists() {
                "is not a file".into()
            } else {
                "does not exist; record some runs first (tracker import PATH), or check the path"
                    .into()
            }));
        }
        let conn = connect_read_only(path).map_err(|e| explain(&fail, e))?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| explain(&fail, e))?;
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| explain(&fail, e))?;
        if version == 0 || tables == 0 {
            return Err(fail(
                "is a SQLite database but not a tracker database; it was left untouched: \
                 check the path"
                    .into(),
            ));
        }
        if version > migrations::latest() {
            return Err(Error::NewerSchema {
                path: shown,
                found: version,
                known: migrations::latest(),
            });
        }
        if version < migrations::latest() {
            return Err(fail(format!(
                "was written by an older tracker (schema version {version}); `tracker migrate` \
                 (or any command that records) upgrades it, then it can be read"
            )));
        }
        Ok(Db::new(SqliteConn(conn), shown))
    }
}

/// A read-only connection to the SQLite file at `path` (ours or another program's), which
/// creates and changes nothing: where its lock or shared-memory files cannot be made (a
/// read-only file system), it is read as immutable, since no one can be writing it.
pub fn connect_read_only(path: &Path) -> rusqlite::Result<Connection> {
    match open_uri(&uri(path, false)) {
        Err(e) if cannot_share(&e) => open_uri(&uri(path, true)),
        other => other,
    }
}

/// A read-only connection to another program's SQLite file that leaves nothing beside it: a
/// database in write-ahead-log mode gets `-wal` and `-shm` files from any reader, so one
/// without a log beside it (no writer at work) is read as immutable; one with a log is read
/// as [`connect_read_only`] reads it, through the files already there.
pub fn connect_untouched(path: &Path) -> rusqlite::Result<Connection> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    match Path::new(&wal).exists() {
        true => connect_read_only(path),
        false => open_uri(&uri(path, true)),
    }
}

/// Open a SQLite URI read-only and read it once: the first read of a WAL database fails when
/// its shared-memory file can neither be found nor made.
fn open_uri(uri: &str) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    Ok(conn)
}

/// A SQLite URI for `path`, immutable (no locks, no shared memory) or not.
fn uri(path: &Path, immutable: bool) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file:");
    for c in absolute.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out.push_str(if immutable {
        "?immutable=1"
    } else {
        "?mode=ro"
    });
    out
}

/// Whether opening failed because the database's lock or shared-memory files cannot be made
/// (a read-only file system or directory).
fn cannot_share(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(CannotOpen | ReadOnly | SystemIoFailure | PermissionDenied)
    )
}

fn explain(fail: &dyn Fn(String) -> Error, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            fail("is not a tracker database (not SQLite, or damaged); it was left untouched".into())
        }
        _ => fail(format!("cannot be read ({e})")),
    }
}
