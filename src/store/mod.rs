//! The SQLite database: runs, metrics, points and each run's history.
//!
//! The rest of the program sees only this narrow interface ([`Store`], the [`Backend`] trait
//! it derefs to, [`Writer`] and the [`crate::model`] types); no rusqlite type crosses it, and
//! no SQL is written anywhere else. SQLite is the one backend today; another implements
//! [`Backend`].
//! Settings: WAL journal, `synchronous=NORMAL`, 16 KiB pages, a busy timeout, batched
//! transactions with cached statements. NaN and infinities are stored as they came.

mod backend;
mod liveness;
mod migrations;
mod open;
mod read;
mod retry;
mod sources;
mod status;
mod value;
mod write;

pub use backend::{Backend, Store};
pub use liveness::{HEARTBEAT, WriterId};
pub use migrations::latest as schema_version;
pub use open::{connect_read_only, connect_untouched};
pub use retry::{Trouble, is_transient, passing};
pub use sources::Withdrawn;
pub use status::{CurveSignature, RunEnd};
pub use write::{WriteState, WriteStats, Writer};

use crate::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another process's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// [`BUSY_TIMEOUT`], or `TRACKER_BUSY_TIMEOUT` seconds (tests that hold a lock past it).
pub fn busy_timeout() -> Duration {
    std::env::var("TRACKER_BUSY_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .unwrap_or(BUSY_TIMEOUT)
}

/// The SQLite backend: a connection and the path it was opened from.
pub(crate) struct Sqlite {
    conn: Connection,
    path: String,
}

/// The default database: `$XDG_DATA_HOME/tracker/tracker.db` (`~/.local/share/tracker/tracker.db`
/// on Linux).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("tracker").join("tracker.db"))
}

/// Seconds since the Unix epoch, now.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Sqlite {
    /// Open (creating if needed) the database at `path`, creating its directory.
    pub fn open(path: &Path) -> Result<Sqlite> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.exists()
        {
            std::fs::create_dir_all(dir).map_err(|e| Error::Database {
                path: shown.clone(),
                message: format!(
                    "cannot create its directory {}: {e}; use a writable path",
                    dir.display()
                ),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| Error::Database {
            path: shown.clone(),
            message: format!(
                "cannot open it ({e}); check that its directory exists and is writable, or use another path"
            ),
        })?;
        Sqlite::init(conn, shown)
    }

    /// A private database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Sqlite> {
        Sqlite::init(Connection::open_in_memory()?, ":memory:".into())
    }

    fn init(mut conn: Connection, path: String) -> Result<Sqlite> {
        let explain = |e: rusqlite::Error| Error::Database {
            path: path.clone(),
            message: match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => {
                    "is not a tracker database or is corrupt; move it aside or use another database"
                        .into()
                }
                Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
                    format!(
                        "cannot be written ({e}); check its permissions or use another database"
                    )
                }
                _ => e.to_string(),
            },
        };
        conn.busy_timeout(busy_timeout()).map_err(explain)?;
        // Refuse a newer schema before changing anything in the file.
        migrations::check_version(&conn, &path).map_err(|e| match e {
            Error::Sqlite(s) => explain(s),
            other => other,
        })?;
        // 16 KiB pages for a new database (an existing one keeps its own): bulk imports spend
        // their time in B-tree inserts and page splits, ~10% less than with 4 KiB pages.
        conn.execute_batch("PRAGMA page_size=16384;")
            .map_err(explain)?;
        if path != ":memory:" {
            let mode = wal_mode(&conn).map_err(explain)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Database {
                    path,
                    message: format!("cannot use WAL journal mode (got '{mode}')"),
                });
            }
        }
        conn.execute_batch(
            "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16000;",
        )
        .map_err(explain)?;
        migrations::migrate(&mut conn, &path).map_err(|e| match e {
            Error::Sqlite(s) => explain(s),
            other => other,
        })?;
        Ok(Sqlite { conn, path })
    }

    /// Resolve a run reference: the full name, a unique prefix, or `@latest` / `@latest~N`.
    pub fn resolve_run(&self, reference: &str) -> Result<String> {
        if let Some(rest) = reference.strip_prefix("@latest") {
            let back: u64 = match rest.strip_prefix('~') {
                Some(n) => n.parse().map_err(|_| {
                    Error::RunReference(format!(
                        "'{reference}': expected @latest or @latest~N with N a whole number"
                    ))
                })?,
                None if rest.is_empty() => 0,
                None => {
                    return Err(Error::RunReference(format!(
                        "'{reference}': expected @latest or @latest~N"
                    )));
                }
            };
            let name: Option<String> = self
                .conn
                .query_row(
                    "SELECT name FROM runs ORDER BY created DESC, id DESC LIMIT 1 OFFSET ?1",
                    [back as i64],
                    |r| r.get(0),
                )
                .optional()?;
            return name.ok_or_else(|| {
                Error::RunReference(format!(
                    "'{reference}': there are only {} runs",
                    self.run_count().unwrap_or(0)
                ))
            });
        }
        let exact: Option<String> = self
            .conn
            .query_row("SELECT name FROM runs WHERE name = ?1", [reference], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(name) = exact {
            return Ok(name);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT name FROM runs WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name LIMIT 21",
        )?;
        let matches: Vec<String> = stmt
            .query_map([reference], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match matches.as_slice() {
            [one] => Ok(one.clone()),
            [] => {
                let all = self.run_names()?;
                Err(Error::RunReference(if all.is_empty() {
                    format!(
                        "no run named '{reference}': the database is empty; import some logs first"
                    )
                } else {
                    format!(
                        "no run named '{reference}'; runs: {}",
                        list_for_message(&all)
                    )
                }))
            }
            many => Err(Error::RunReference(format!(
                "'{reference}' matches several runs: {}; give more of the name",
                list_for_message(many)
            ))),
        }
    }

    fn run_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM runs", [], |r| r.get(0))?)
    }

    /// Names of all runs, sorted.
    pub fn run_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM runs ORDER BY name")?;
        let names = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(names)
    }

    /// Delete a run and all its points. Returns the number of points deleted.
    pub fn delete_run(&mut self, name: &str) -> Result<u64> {
        let tx = self.conn.transaction()?;
        let id: Option<i64> = tx
            .query_row("SELECT id FROM runs WHERE name = ?1", [name], |r| r.get(0))
            .optional()?;
        let id = id.ok_or_else(|| Error::NoSuchRun(name.to_owned()))?;
        let n = tx.execute("DELETE FROM points WHERE run_id = ?1", [id])?;
        tx.execute("DELETE FROM runs WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(n as u64)
    }

    /// Rename a run; its history records the old name.
    pub fn rename_run(&mut self, old: &str, new: &str) -> Result<()> {
        crate::model::check_run_name(new).map_err(Error::Invalid)?;
        let tx = self.conn.transaction()?;
        let taken: Option<i64> = tx
            .query_row("SELECT id FROM runs WHERE name = ?1", [new], |r| r.get(0))
            .optional()?;
        if taken.is_some() {
            return Err(Error::RunExists(new.to_owned()));
        }
        let n = tx.execute("UPDATE runs SET name = ?2 WHERE name = ?1", [old, new])?;
        if n == 0 {
            return Err(Error::NoSuchRun(old.to_owned()));
        }
        tx.execute(
            "INSERT INTO events(run_id, time, kind, detail)
             SELECT id, ?2, 'rename', ?3 FROM runs WHERE name = ?1",
            rusqlite::params![new, now(), format!("renamed from '{old}'")],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Switch to WAL. Two processes opening a new database at once can see SQLITE_BUSY here
/// without the busy handler being called: try again until the busy timeout.
fn wal_mode(conn: &Connection) -> rusqlite::Result<String> {
    let start = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)) {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && start.elapsed() < busy_timeout() =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            r => return r,
        }
    }
}

fn list_for_message(names: &[String]) -> String {
    let shown: Vec<_> = names.iter().take(20).map(|n| format!("'{n}'")).collect();
    let more = names.len().saturating_sub(20);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
