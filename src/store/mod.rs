//! The database: runs, metrics, points and each run's history, in an embedded SQLite file or on
//! a team's PostgreSQL server.
//!
//! The rest of the program sees only this narrow interface ([`Store`], the [`Backend`] trait
//! it derefs to, [`Writer`] and the [`crate::model`] types); no engine's type crosses it, and
//! no SQL is written anywhere else. The statements are written once for both engines
//! ([`db`]); each engine has its own migrations, versioned alike. NaN and infinities are
//! stored as they came.

mod backend;
mod curves;
mod db;
mod liveness;
mod migrations;
mod open;
mod read;
mod retry;
mod server;
mod sources;
mod sqlite;
mod status;
mod tls;
mod write;

pub use backend::{Backend, Store};
pub use liveness::{HEARTBEAT, WriterId};
pub use migrations::latest as schema_version;
pub use open::{connect_read_only, connect_untouched};
pub use retry::{Trouble, is_transient, passing};
pub use server::{is_server_url, redact};
pub use sources::Withdrawn;
pub use status::{CurveSignature, RunEnd};
pub use write::{WriteState, WriteStats, Writer};

use crate::{Error, Result};
use db::P;
use std::path::PathBuf;
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

/// An open database: a connection to one engine and where it lives (a path, `:memory:`, or a
/// server's URL without its password).
pub(crate) struct Db {
    conn: Box<dyn db::Conn>,
    path: String,
}

/// The default database: `$XDG_DATA_HOME/tracker/tracker.db` (`~/.local/share/tracker/tracker.db`
/// on Linux).
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("tracker").join("tracker.db"))
}

/// The database `db` names, as another process in another directory would name it: a file's
/// absolute path, or a server's URL as it is.
pub fn absolute(db: &std::path::Path) -> std::io::Result<PathBuf> {
    match db.to_str().is_some_and(is_server_url) {
        true => Ok(db.to_path_buf()),
        false => std::path::absolute(db),
    }
}

/// Seconds since the Unix epoch, now.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl Db {
    fn new(conn: impl db::Conn + 'static, path: String) -> Db {
        Db {
            conn: Box::new(conn),
            path,
        }
    }

    /// Resolve a run reference: the full name, a unique prefix, or `@latest` / `@latest~N`.
    pub fn resolve_run(&self, reference: &str) -> Result<String> {
        let conn = &*self.conn;
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
            let name = conn
                .value(
                    "SELECT name FROM runs ORDER BY created DESC, id DESC LIMIT 1 OFFSET ?1",
                    &[P::Int(back as i64)],
                )?
                .opt_text();
            return name.ok_or_else(|| {
                Error::RunReference(format!(
                    "'{reference}': there are only {} runs",
                    self.run_count().unwrap_or(0)
                ))
            });
        }
        let exact = conn
            .value("SELECT name FROM runs WHERE name = ?1", &[reference.into()])?
            .opt_text();
        if let Some(name) = exact {
            return Ok(name);
        }
        let matches = conn
            .rows(
                "SELECT name FROM runs
                 WHERE substr(name, 1, length(CAST(?1 AS TEXT))) = CAST(?1 AS TEXT)
                 ORDER BY name LIMIT 21",
                &[reference.into()],
            )?
            .iter()
            .map(|r| r[0].text())
            .collect::<Result<Vec<_>>>()?;
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
        self.conn.value("SELECT count(*) FROM runs", &[])?.int()
    }

    /// Names of all runs, sorted.
    pub fn run_names(&self) -> Result<Vec<String>> {
        self.conn
            .rows("SELECT name FROM runs ORDER BY name", &[])?
            .iter()
            .map(|r| r[0].text())
            .collect()
    }

    /// The id of run `name`.
    fn run_id(&self, name: &str) -> Result<i64> {
        self.conn
            .value("SELECT id FROM runs WHERE name = ?1", &[name.into()])?
            .opt_int()
            .ok_or_else(|| Error::NoSuchRun(name.to_owned()))
    }

    /// Delete a run and all its points. Returns the number of points deleted.
    pub fn delete_run(&mut self, name: &str) -> Result<u64> {
        let tx = self.conn.begin()?;
        let id = tx
            .value("SELECT id FROM runs WHERE name = ?1", &[name.into()])?
            .opt_int()
            .ok_or_else(|| Error::NoSuchRun(name.to_owned()))?;
        let n = tx.execute("DELETE FROM points WHERE run_id = ?1", &[P::Int(id)])?;
        tx.execute("DELETE FROM curves WHERE run_id = ?1", &[P::Int(id)])?;
        tx.execute("DELETE FROM runs WHERE id = ?1", &[P::Int(id)])?;
        tx.commit()?;
        Ok(n)
    }

    /// Rename a run; its history records the old name.
    pub fn rename_run(&mut self, old: &str, new: &str) -> Result<()> {
        crate::model::check_run_name(new).map_err(Error::Invalid)?;
        let tx = self.conn.begin()?;
        let taken = tx.value("SELECT id FROM runs WHERE name = ?1", &[new.into()])?;
        if taken != db::Val::Null {
            return Err(Error::RunExists(new.to_owned()));
        }
        let n = tx.execute(
            "UPDATE runs SET name = ?2 WHERE name = ?1",
            &[old.into(), new.into()],
        )?;
        if n == 0 {
            return Err(Error::NoSuchRun(old.to_owned()));
        }
        tx.execute(
            "INSERT INTO events(run_id, time, kind, detail)
             SELECT id, CAST(?2 AS DOUBLE PRECISION), 'rename', CAST(?3 AS TEXT)
             FROM runs WHERE name = ?1",
            &[
                new.into(),
                P::Real(now()),
                P::Text(&format!("renamed from '{old}'")),
            ],
        )?;
        tx.commit()?;
        Ok(())
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
