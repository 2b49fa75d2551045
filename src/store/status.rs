//! A run's life while a command writes it (`tracker exec`), and what `watch` polls.

use super::db::P;
use super::{Db, liveness, now};
use crate::Result;

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct RunEnd {
    /// `finished`, `failed` or `killed`.
    pub status: &'static str,
    /// Params to add (e.g. the exit status).
    pub params: serde_json::Map<String, serde_json::Value>,
    /// For the history: what happened.
    pub detail: String,
}

/// What changes when a curve gets points: compared between polls so that only changed curves
/// are classified again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurveSignature {
    pub points: u64,
    pub last_step: i64,
    /// Sum of the finite values: notices a value replaced at a step already stored.
    pub checksum: f64,
}

impl Db {
    /// Mark run `name` as running (creating it), add `params`, and record the start.
    pub fn begin_run(
        &mut self,
        name: &str,
        source: &str,
        params: &serde_json::Map<String, serde_json::Value>,
        detail: &str,
    ) -> Result<()> {
        let time = now();
        let tx = self.conn.begin()?;
        tx.execute(
            "INSERT INTO runs(name, created, source, status) VALUES (?1, ?2, ?3, 'running')
             ON CONFLICT(name) DO UPDATE SET status = 'running'",
            &[name.into(), P::Real(time), source.into()],
        )?;
        let params = serde_json::Value::Object(params.clone()).to_string();
        tx.execute(
            &format!(
                "UPDATE runs SET params = {} WHERE name = ?1",
                tx.merge_json("params", "?2")
            ),
            &[name.into(), P::Text(&params)],
        )?;
        tx.execute(
            "INSERT INTO events(run_id, time, kind, source, detail)
             SELECT id, CAST(?2 AS DOUBLE PRECISION), 'start', CAST(?3 AS TEXT), CAST(?4 AS TEXT)
             FROM runs WHERE name = ?1",
            &[name.into(), P::Real(time), source.into(), detail.into()],
        )?;
        tx.commit()
    }

    /// Record how run `name` ended.
    pub fn end_run(&mut self, name: &str, source: &str, end: &RunEnd) -> Result<()> {
        let tx = self.conn.begin()?;
        let params = serde_json::Value::Object(end.params.clone()).to_string();
        tx.execute(
            &format!(
                "UPDATE runs SET status = ?2, params = {} WHERE name = ?1",
                tx.merge_json("params", "?3")
            ),
            &[name.into(), end.status.into(), P::Text(&params)],
        )?;
        tx.execute(
            "INSERT INTO events(run_id, time, kind, source, detail)
             SELECT id, CAST(?2 AS DOUBLE PRECISION), CAST(?3 AS TEXT), CAST(?4 AS TEXT),
                    CAST(?5 AS TEXT)
             FROM runs WHERE name = ?1",
            &[
                name.into(),
                P::Real(now()),
                end.status.into(),
                source.into(),
                (&end.detail).into(),
            ],
        )?;
        tx.commit()
    }

    /// A run's status (`imported`, `running`, `finished`, `failed`, `killed`, or `stalled`: a
    /// running run whose writer is gone), if it exists.
    pub fn run_status(&self, name: &str) -> Result<Option<String>> {
        let Some(r) = self.conn.row(
            "SELECT status, writer_pid, writer_host, writer_start, heartbeat
             FROM runs WHERE name = ?1",
            &[name.into()],
        )?
        else {
            return Ok(None);
        };
        let writer = liveness::writer_from(r[1].opt_int(), r[2].opt_text(), r[3].opt_int());
        Ok(Some(liveness::effective(
            r[0].text()?,
            writer,
            r[4].opt_real(),
            now(),
        )))
    }

    /// Every curve of a run with its [`CurveSignature`], by name.
    pub fn curve_signatures(&self, run: &str) -> Result<Vec<(String, CurveSignature)>> {
        let rows = self.conn.rows(
            "SELECT m.name, c.points, c.last_step, c.checksum
             FROM curves c JOIN metrics m ON m.id = c.metric_id
             WHERE c.run_id = (SELECT id FROM runs WHERE name = ?1)
             ORDER BY m.name",
            &[run.into()],
        )?;
        rows.iter()
            .map(|r| {
                Ok((
                    r[0].text()?,
                    CurveSignature {
                        points: r[1].int()? as u64,
                        last_step: r[2].int()?,
                        checksum: r[3].real()?,
                    },
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_begins_and_ends_with_its_history() {
        let mut store = crate::store::Store::open_in_memory().unwrap();
        let mut p = serde_json::Map::new();
        p.insert("command".into(), "python train.py".into());
        store.begin_run("r", "exec", &p, "started").unwrap();
        assert_eq!(store.run_status("r").unwrap().as_deref(), Some("running"));
        let mut q = serde_json::Map::new();
        q.insert("exit_status".into(), 1.into());
        let end = RunEnd {
            status: "failed",
            params: q,
            detail: "exit status 1".into(),
        };
        store.end_run("r", "exec", &end).unwrap();
        let d = store.run_detail("r").unwrap();
        assert_eq!(d.summary.status, "failed");
        assert_eq!(d.params["command"], "python train.py");
        assert_eq!(d.params["exit_status"], 1);
        let kinds: Vec<_> = d.history.iter().map(|h| h.kind.as_str()).collect();
        assert_eq!(kinds, ["start", "failed"]);
        assert_eq!(store.run_status("nope").unwrap(), None);
    }

    #[test]
    fn signatures_change_with_new_and_replaced_points() {
        let mut store = crate::store::Store::open_in_memory().unwrap();
        let mut w = store.writer("t", "r");
        let mut b = crate::model::Batch::new();
        let m = b.metric("loss");
        b.push(0, m, 1, 0.5, None);
        b.push(0, m, 2, f64::NAN, None);
        w.write(&b).unwrap();
        w.finish().unwrap();
        let s1 = store.curve_signatures("r").unwrap();
        assert_eq!(s1[0].0, "loss");
        assert_eq!(s1[0].1.points, 2);
        assert_eq!(s1[0].1.last_step, 2);
        assert_eq!(s1[0].1.checksum, 0.5);
        let mut w = store.writer("t", "r");
        let mut b = crate::model::Batch::new();
        let m = b.metric("loss");
        b.push(0, m, 1, 0.25, None);
        w.write(&b).unwrap();
        assert_ne!(store.curve_signatures("r").unwrap(), s1);
    }
}
