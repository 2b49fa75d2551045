//! Followed files (`tracker tail`): their read positions, saved with the points they covered,
//! and the points they wrote, which can be taken out again.

use super::Db;
use super::db::{Conn, P};
use crate::Result;
use crate::model::SourcePosition;

/// Save `pos` inside the transaction that wrote the points it covers.
pub(super) fn save(tx: &dyn Conn, pos: &SourcePosition, time: f64) -> Result<()> {
    tx.execute(
        "INSERT INTO sources(path, run, format, \"offset\", size, dev, inode, head, updated, reading)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(path) DO UPDATE SET run = excluded.run, format = excluded.format,
             \"offset\" = excluded.\"offset\", size = excluded.size, dev = excluded.dev,
             inode = excluded.inode, head = excluded.head, updated = excluded.updated,
             reading = excluded.reading",
        &[
            (&pos.path).into(),
            (&pos.run).into(),
            pos.format.as_ref().into(),
            P::Int(pos.offset as i64),
            P::Int(pos.size as i64),
            P::Int(pos.dev as i64),
            P::Int(pos.inode as i64),
            P::Blob(&pos.head),
            P::Real(time),
            pos.reading.as_ref().into(),
        ],
    )?;
    Ok(())
}

/// The id of followed file `path` in `origins`, added when new.
pub(super) fn origin_id(tx: &dyn Conn, path: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO origins(path) VALUES (?1) ON CONFLICT(path) DO NOTHING",
        &[path.into()],
    )?;
    tx.value("SELECT id FROM origins WHERE path = ?1", &[path.into()])?
        .int()
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

impl Db {
    /// Take out everything the followed file `path` (absolute) wrote and is still the last
    /// writer of, and forget its read position, in one transaction; each run it touched records
    /// why in its history. Another file now gives those runs their points (`reason` says
    /// which).
    pub fn withdraw_source(&mut self, path: &str, reason: &str) -> Result<Vec<Withdrawn>> {
        let tx = self.conn.begin()?;
        let mut out = Vec::new();
        let origin = tx
            .value("SELECT id FROM origins WHERE path = ?1", &[path.into()])?
            .opt_int();
        if let Some(origin) = origin {
            let runs = tx.rows(
                "SELECT r.id, r.name, count(*) FROM points p JOIN runs r ON r.id = p.run_id
                 WHERE p.origin = ?1 GROUP BY r.id, r.name ORDER BY r.name",
                &[P::Int(origin)],
            )?;
            tx.execute("DELETE FROM points WHERE origin = ?1", &[P::Int(origin)])?;
            tx.execute("DELETE FROM origins WHERE id = ?1", &[P::Int(origin)])?;
            let time = super::now();
            for r in runs {
                let (id, run, points) = (r[0].int()?, r[1].text()?, r[2].int()?);
                super::curves::recount(&*tx, id, None)?;
                let left = tx
                    .value(
                        "SELECT count(*) FROM points WHERE run_id = ?1",
                        &[P::Int(id)],
                    )?
                    .int()?;
                tx.execute(
                    "INSERT INTO events(run_id, time, kind, source, detail)
                     VALUES (?1, ?2, 'withdrawn', ?3, ?4)",
                    &[
                        P::Int(id),
                        P::Real(time),
                        path.into(),
                        P::Text(&format!("{points} points taken out: {reason}")),
                    ],
                )?;
                out.push(Withdrawn {
                    run,
                    points: points as u64,
                    left: left as u64,
                });
            }
        }
        tx.execute("DELETE FROM sources WHERE path = ?1", &[path.into()])?;
        tx.commit()?;
        Ok(out)
    }

    /// Forget the read position of `path` (a file that is gone for good).
    pub fn forget_source(&mut self, path: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM sources WHERE path = ?1", &[path.into()])?;
        Ok(())
    }

    /// Where reading the file `path` (absolute) stopped, if it was followed before.
    pub fn source_position(&self, path: &str) -> Result<Option<SourcePosition>> {
        let Some(r) = self.conn.row(
            "SELECT run, format, \"offset\", size, dev, inode, head, reading FROM sources
             WHERE path = ?1",
            &[path.into()],
        )?
        else {
            return Ok(None);
        };
        Ok(Some(SourcePosition {
            path: path.to_owned(),
            run: r[0].text()?,
            format: r[1].opt_text(),
            offset: r[2].int()? as u64,
            size: r[3].int()? as u64,
            dev: r[4].opt_int().unwrap_or(0) as u64,
            inode: r[5].opt_int().unwrap_or(0) as u64,
            head: r[6].blob(),
            reading: r[7].opt_text(),
        }))
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
        // The run's listing counts what is left.
        let runs = store.runs().unwrap();
        assert_eq!((runs[0].points, runs[0].last_step), (5, Some(5)));
        let checksum = store.curve_signatures("r").unwrap()[0].1.checksum;
        assert!((checksum - 1.55).abs() < 1e-12, "{checksum}");
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
