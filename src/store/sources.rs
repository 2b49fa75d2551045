//! Read positions of followed files (`tracker tail`), saved with the points they covered.

use super::Store;
use crate::Result;
use crate::model::SourcePosition;
use rusqlite::{OptionalExtension, params};

/// Save `pos` inside the transaction that wrote the points it covers.
pub(super) fn save(tx: &rusqlite::Transaction<'_>, pos: &SourcePosition, time: f64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sources(path, run, format, offset, size, dev, inode, head, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT(path) DO UPDATE SET run = excluded.run, format = excluded.format,
             offset = excluded.offset, size = excluded.size, dev = excluded.dev,
             inode = excluded.inode, head = excluded.head, updated = excluded.updated",
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
        time
    ])?;
    Ok(())
}

impl Store {
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
                "SELECT run, format, offset, size, dev, inode, head FROM sources WHERE path = ?1",
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
}
