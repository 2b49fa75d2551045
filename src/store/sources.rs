//! Followed files (`tracker tail`): their read positions, saved with the points they covered,
//! and the points they wrote, which can be taken out again.

use super::Sqlite;
use crate::Result;
use crate::model::SourcePosition;
use rusqlite::{OptionalExtension, params};

/// Save `pos` inside the transaction that wrote the points it covers.
pub(super) fn save(tx: &rusqlite::Transaction<'_>, pos: &SourcePosition, time: f64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sources(path, run, format, offset, size, dev, inode, head, updated, reading)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(path) DO UPDATE SET run = excluded.run, format = excluded.format,
             offset = excluded.offset, size = excluded.size, dev = excluded.dev,
             inode = excluded.inode, head = excluded.head, updated = excluded.updated,
             reading = excluded.reading",
    )?
    .execute(params![
        pos.path,
        pos.run,
        pos.format,
        pos.offset as i64,
        pos.size as i64,
        pos.dev as i64,
        pos.inode as i64,
        pos.head,
        time,
        pos.reading
    ])?;
    Ok(())
}

/// The id of followed file `path` in `origins`, added when new.
pub(super) fn origin_id(tx: &rusqlite::Transaction<'_>, path: &str) -> Result<i64> {
    tx.prepare_cached("INSERT INTO origins(path) VALUES (?1) ON CONFLICT(path) DO NOTHING")?
        .execute([path])?;
    let id = tx
        .prepare_cached("SELECT id FROM origins WHERE path = ?1")?
        .query_row([path], |r| r.get(0))?;
    Ok(id)
}

/// What taking out a followed file's points did to one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub run: String,
    /// Points of the file taken out.
    pub points: u64,
    /// Points the run still holds.
    pub left: u64,
}

impl Sqlite {
    /// Take out everything the followed file `path` (absolute) wrote and is still the last
    /// writer of, and forget its read position, in one transaction; each run it touched records
    /// why in its history. Another file now gives those runs their points (`reason` says
    /// which).
    pub fn withdraw_source(&mut self, path: &str, reason: &str) -> Result<Vec<Withdrawn>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::new();
        let origin: Option<i64> = tx
            .query_row("SELECT id FROM origins WHERE path = ?1", [path], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(origin) = origin {
            let runs: Vec<(i64, String, i64)> = tx
                .prepare(
                    "SELECT r.id, r.name, count(*) FROM points p JOIN runs r ON r.id = p.run_id
                     WHERE p.origin = ?1 GROUP BY r.id ORDER BY r.name",
                )?
                .query_map([origin], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute("DELETE FROM points WHERE origin = ?1", [origin])?;
            tx.execute("DELETE FROM origins WHERE id = ?1", [origin])?;
            let time = super::now();
            for (id, run, points) in runs {
                let left: i64 =
                    tx.query_row("SELECT count(*) FROM points WHERE run_id = ?1", [id], |r| {
                        r.get(0)
                    })?;
                tx.execute(
                    "INSERT INTO events(run_id, time, kind, source, detail)
                     VALUES (?1, ?2, 'withdrawn', ?3, ?4)",
                    params![
                        id,
                        time,
                        path,
                        format!("{points} points taken out: {reason}")
                    ],
                )?;
                out.push(Withdrawn {
                    run,
                    points: points as u64,
                    left: left as u64,
                });
            }
        }
        tx.execute("DELETE FROM sources WHERE path = ?1", [path])?;
        tx.commit()?;
        Ok(out)
    }

    /// Forget the read position of `path` (a file that is gone for good).
    pub fn forget_source(&mut self, path: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM sources WHERE path = ?1", [path])?;
        Ok(())
    }

    /// Where reading the file `path` (absolute) stopped, if it was followed before.
    pub fn source_position(&self, path: &str) -> Result<Option<SourcePosition>> {
        let pos = self
            .conn
            .prepare_cached(
                "SELECT run, format, offset, size, dev, inode, head, reading FROM sources
                 WHERE path = ?1",
            )?
            .query_row([path], |r| {
                Ok(SourcePosition {
                    path: path.to_owned(),
                    run: r.get(0)?,
                    format: r.get(1)?,
                    offset: r.get::<_, i64>(2)? as u64,
                    size: r.get::<_, i64>(3)? as u64,
                    dev: r.get::<_, Option<i64>>(4)?.unwrap_or(0) as u64,
                    inode: r.get::<_, Option<i64>>(5)?.unwrap_or(0) as u64,
                    head: r.get(6)?,
                    reading: r.get(7)?,
                })
            })
            .optional()?;
        Ok(pos)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Batch;
    use crate::model::SourcePosition;
    use crate::store::Store;

    #[test]
    fn a_position_is_saved_with_its_points_and_read_back() {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = Batch::new();
        let m = batch.metric("loss");
        batch.push(0, m, 1, 0.5, None);
        let pos = SourcePosition {
            path: "/x/m.jsonl".into(),
            run: "r".into(),
            format: Some("jsonl".into()),
            offset: 20,
            size: 25,
            dev: 1,
            inode: u64::MAX,
            head: b"{\"step\"".to_vec(),
            reading: Some("a reference".into()),
        };
        let mut w = store.writer("/x/m.jsonl", "r");
        w.write_with_offset(&batch, &pos).unwrap();
        // An empty batch still moves the position (lines without metrics were read).
        let later = SourcePosition {
            offset: 25,
            ..pos.clone()
        };
        batch.clear();
        w.write_with_offset(&batch, &later).unwrap();
        w.finish().unwrap();
        assert_eq!(store.source_position("/x/m.jsonl").unwrap(), Some(later));
        assert_eq!(store.source_position("/y").unwrap(), None);
        assert_eq!(store.series("r", "loss").unwrap().values, [0.5]);
    }

    #[test]
    fn what_a_followed_file_wrote_is_taken_out_and_nothing_else() {
        let mut store = Store::open_in_memory().unwrap();
        let at = |path: &str| SourcePosition {
            path: path.into(),
            run: "r".into(),
            format: None,
            offset: 1,
            size: 1,
            dev: 1,
            inode: 1,
            head: vec![],
            reading: None,
        };
        let write = |store: &mut Store, pos: Option<SourcePosition>, points: &[(i64, f64)]| {
            let mut batch = Batch::new();
            let m = batch.metric("loss");
            for &(step, v) in points {
                batch.push(0, m, step, v, None);
            }
            let mut w = store.writer("x", "r");
            match pos {
                Some(p) => w.write_with_offset(&batch, &p).unwrap(),
                None => w.write(&batch).unwrap(),
            };
            w.finish().unwrap();
        };
        write(
            &mut store,
            Some(at("/a.log")),
            &[(1, 0.1), (2, 0.2), (3, 0.3)],
        );
        // Another file writes step 2 anew and step 3 again as it was: both are its own now.
        write(
            &mut store,
            Some(at("/b.json")),
            &[(2, 0.25), (3, 0.3), (4, 0.4)],
        );
        // An import owns what it writes, even a value already there.
        write(&mut store, None, &[(1, 0.1), (5, 0.5)]);
        let gone = store
            .withdraw_source("/a.log", "b.json is read instead")
            .unwrap();
        assert_eq!(gone, []);
        write(&mut store, Some(at("/a.log")), &[(6, 0.6), (7, 0.7)]);
        let gone = store
            .withdraw_source("/a.log", "b.json is read instead")
            .unwrap();
        let s = store.series("r", "loss").unwrap();
        assert_eq!(s.steps, [1, 2, 3, 4, 5]);
        assert_eq!(s.values, [0.1, 0.25, 0.3, 0.4, 0.5]);
        let expected = super::Withdrawn {
            run: "r".into(),
            points: 2,
            left: 5,
        };
        assert_eq!(gone, [expected]);
        assert_eq!(store.source_position("/a.log").unwrap(), None);
        assert!(store.source_position("/b.json").unwrap().is_some());
        let history = store.run_detail("r").unwrap().history;
        let last = history.last().unwrap();
        assert_eq!(last.kind, "withdrawn");
        assert_eq!(
            last.detail.as_deref(),
            Some("2 points taken out: b.json is read instead")
        );
    }
}
