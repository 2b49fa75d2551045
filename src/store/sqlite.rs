//! The embedded engine: a SQLite file (WAL journal, `synchronous=NORMAL`, 16 KiB pages, a
//! busy timeout, cached statements), or a private database in memory.

use super::db::{Conn, Engine, INSERT_POINT, P, PointRow, Val};
use super::{Db, busy_timeout, migrations};
use crate::{Error, Result};
use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};
use std::path::Path;
use std::time::Duration;

/// A SQLite connection, as a [`Conn`].
pub(crate) struct SqliteConn(pub Connection);

impl rusqlite::ToSql for P<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value;
        Ok(match *self {
            P::Null => ToSqlOutput::Owned(Value::Null),
            P::Int(i) => ToSqlOutput::Owned(Value::Integer(i)),
            P::Real(x) => ToSqlOutput::Owned(Value::Real(x)),
            P::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            P::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            // A NaN REAL would be read back as NULL: NaN is stored as text.
            P::Metric(x) if x.is_nan() => ToSqlOutput::Borrowed(ValueRef::Text(b"NaN")),
            P::Metric(x) => ToSqlOutput::Owned(Value::Real(x)),
        })
    }
}

fn val(v: ValueRef<'_>) -> Val {
    match v {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(i) => Val::Int(i),
        ValueRef::Real(x) => Val::Real(x),
        ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Val::Blob(b.to_vec()),
    }
}

impl Conn for SqliteConn {
    fn engine(&self) -> Engine {
        Engine::Sqlite
    }

    fn execute(&self, sql: &str, params: &[P<'_>]) -> Result<u64> {
        let mut stmt = self.0.prepare_cached(sql)?;
        Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
    }

    fn each(
        &self,
        sql: &str,
        params: &[P<'_>],
        each: &mut dyn FnMut(&[Val]) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        let mut buf = Vec::with_capacity(n);
        while let Some(r) = rows.next()? {
            buf.clear();
            for i in 0..n {
                buf.push(val(r.get_ref(i)?));
            }
            each(&buf)?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.0.execute_batch(sql)?)
    }

    /// One statement, prepared once, for the whole batch: bulk imports spend their time here.
    fn insert_points(&self, rows: &[PointRow]) -> Result<Vec<bool>> {
        let mut stmt = self.0.prepare_cached(INSERT_POINT)?;
        rows.iter()
            .map(|r| {
                let n = stmt.execute(rusqlite::params_from_iter(r.params().iter()))?;
                Ok(n == 1)
            })
            .collect()
    }
}

impl Db {
    /// Open (creating if needed) the SQLite database at `path`, creating its directory.
    pub fn open(path: &Path) -> Result<Db> {
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
        Db::init(conn, shown)
    }

    /// A private database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Db> {
        Db::init(Connection::open_in_memory()?, ":memory:".into())
    }

    fn init(mut conn: Connection, path: String) -> Result<Db> {
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
        Ok(Db::new(SqliteConn(conn), path))
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
