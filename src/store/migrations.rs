//! Schema migrations: append-only SQL files, applied in order, tracked by `PRAGMA user_version`.
//! Never edit a migration that has shipped; add a new one.

use crate::{Error, Result};
use rusqlite::Connection;

/// The migrations, in order. Migration `i` brings the schema to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_init.sql"),
    include_str!("sql/0002_sources.sql"),
    include_str!("sql/0003_writers.sql"),
    include_str!("sql/0004_history_extent.sql"),
    include_str!("sql/0005_origins.sql"),
    include_str!("sql/0006_source_reading.sql"),
    include_str!("sql/0007_restart_per_place.sql"),
    include_str!("sql/0008_curves.sql"),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Refuse a database written by a newer `tracker`; returns its schema version.
pub fn check_version(conn: &Connection, path: &str) -> Result<i64> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > latest() {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: latest(),
        });
    }
    Ok(version)
}

/// Bring the database to the latest schema, refusing one written by a newer `tracker`.
pub fn migrate(conn: &mut Connection, path: &str) -> Result<()> {
    if check_version(conn, path)? == latest() {
        return Ok(());
    }
    // Another process may be migrating the same new database: take the write lock first, then
    // look again at what is still to do.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version = check_version(&tx, path)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_and_are_idempotent() {
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, ":memory:").unwrap();
        migrate(&mut c, ":memory:").unwrap();
        let v: i64 = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, latest());
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "user_version", 999).unwrap();
        let e = migrate(&mut c, "x.db").unwrap_err();
        assert!(e.to_string().contains("newer tracker"), "{e}");
    }
}
