//! Writing parsed batches: one transaction per batch, cached statements, upserts.

use super::{Store, now, value};
use crate::Result;
use crate::ingest::{Batch, Location, RunKey};
use rusqlite::{OptionalExtension, params};

/// What a write changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Points parsed and offered to the database.
    pub offered: u64,
    /// Points that were new or changed a stored value.
    pub changed: u64,
    /// Restarts newly recorded.
    pub restarts: u64,
}

impl std::ops::AddAssign for WriteStats {
    fn add_assign(&mut self, o: Self) {
        self.offered += o.offered;
        self.changed += o.changed;
        self.restarts += o.restarts;
    }
}

/// Writes the batches of one source (a file, a command, a script) into the store.
///
/// Runs are created on first use and named from the batch's [`RunKey`]s: `Default` is the
/// writer's default name, `Named(n)` is `n`, `Part(k)` is `DEFAULT-k`. A point at a step
/// already stored replaces the stored value; re-writing an identical value changes nothing.
pub struct Writer<'s> {
    store: &'s mut Store,
    source: String,
    default_run: String,
    run_ids: Vec<Option<i64>>,
    metric_ids: Vec<Option<i64>>,
    changed_per_run: Vec<u64>,
    total: WriteStats,
}

impl<'s> Writer<'s> {
    pub(super) fn new(store: &'s mut Store, source: &str, default_run: &str) -> Self {
        Writer {
            store,
            source: source.to_owned(),
            default_run: default_run.to_owned(),
            run_ids: Vec::new(),
            metric_ids: Vec::new(),
            changed_per_run: Vec::new(),
            total: WriteStats::default(),
        }
    }

    /// The run name a [`RunKey`] gets.
    pub fn run_name(&self, key: &RunKey) -> String {
        match key {
            RunKey::Default => self.default_run.clone(),
            RunKey::Named(n) => n.clone(),
            RunKey::Part(k) => format!("{}-{k}", self.default_run),
        }
    }

    /// Everything written so far.
    pub fn total(&self) -> WriteStats {
        self.total
    }

    /// Names of the runs this writer has written to so far.
    pub fn runs_written(&self, batch: &Batch) -> Vec<String> {
        batch
            .run_keys()
            .iter()
            .enumerate()
            .filter(|(i, _)| self.run_ids.get(*i).is_some_and(Option::is_some))
            .map(|(_, k)| self.run_name(k))
            .collect()
    }

    /// Write the batch's points, restarts and params in one transaction.
    pub fn write(&mut self, batch: &Batch) -> Result<WriteStats> {
        let mut stats = WriteStats {
            offered: batch.points.len() as u64,
            ..WriteStats::default()
        };
        if batch.points.is_empty() && batch.restarts.is_empty() && batch.params.is_empty() {
            return Ok(stats);
        }
        let names: Vec<String> = batch.run_keys().iter().map(|k| self.run_name(k)).collect();
        self.run_ids.resize(names.len(), None);
        self.changed_per_run.resize(names.len(), 0);
        self.metric_ids.resize(batch.metric_names().len(), None);
        let time = now();
        let tx = self.store.conn.transaction()?;
        {
            let run_id = |ids: &mut Vec<Option<i64>>, r: usize| -> Result<i64> {
                if let Some(id) = ids[r] {
                    return Ok(id);
                }
                let mut ins = tx.prepare_cached(
                    "INSERT INTO runs(name, created, source) VALUES (?1, ?2, ?3)
                     ON CONFLICT(name) DO NOTHING",
                )?;
                ins.execute(params![names[r], time, self.source])?;
                let id: i64 =
                    tx.query_row("SELECT id FROM runs WHERE name = ?1", [&names[r]], |row| {
                        row.get(0)
                    })?;
                ids[r] = Some(id);
                Ok(id)
            };
            let mut insert = tx.prepare_cached(
                "INSERT INTO points(run_id, metric_id, step, value, wall_time)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(run_id, metric_id, step) DO UPDATE
                 SET value = excluded.value, wall_time = coalesce(excluded.wall_time, wall_time)
                 WHERE value IS NOT excluded.value",
            )?;
            for i in batch.latest_points() {
                let p = &batch.points[i];
                let run = run_id(&mut self.run_ids, p.run as usize)?;
                let metric = match self.metric_ids[p.metric as usize] {
                    Some(id) => id,
                    None => {
                        let id = metric_id(&tx, batch.metric_name(p.metric))?;
                        self.metric_ids[p.metric as usize] = Some(id);
                        id
                    }
                };
                let n = insert.execute(params![
                    run,
                    metric,
                    p.step,
                    value::to_sql(p.value),
                    p.wall_time
                ])?;
                stats.changed += n as u64;
                self.changed_per_run[p.run as usize] += n as u64;
            }
            for r in &batch.restarts {
                let run = run_id(&mut self.run_ids, r.run as usize)?;
                let n = tx.execute(
                    "INSERT OR IGNORE INTO events(run_id, time, kind, source, step, detail)
                     VALUES (?1, ?2, 'restart', ?3, ?4, ?5)",
                    params![
                        run,
                        time,
                        self.source,
                        r.step,
                        format!(
                            "steps went back from {} to {} ({}): newer values replace older ones",
                            r.previous_step,
                            r.step,
                            match r.location {
                                Location::Offset(n) => format!("offset {n}"),
                                other => format!("line {other}"),
                            }
                        )
                    ],
                )?;
                stats.restarts += n as u64;
            }
            for (r, params) in &batch.params {
                let run = run_id(&mut self.run_ids, *r as usize)?;
                tx.execute(
                    "UPDATE runs SET params = json_patch(params, ?2) WHERE id = ?1",
                    params![run, serde_json::Value::Object(params.clone()).to_string()],
                )?;
            }
        }
        tx.commit()?;
        self.total += stats;
        Ok(stats)
    }

    /// Record the import in each touched run's history (only where something changed).
    pub fn finish(self) -> Result<WriteStats> {
        let time = now();
        for (r, id) in self.run_ids.iter().enumerate() {
            let changed = self.changed_per_run[r];
            if let (Some(id), true) = (id, changed > 0) {
                self.store.conn.execute(
                    "INSERT INTO events(run_id, time, kind, source, detail)
                     VALUES (?1, ?2, 'import', ?3, ?4)",
                    params![
                        id,
                        time,
                        self.source,
                        format!("{changed} points new or changed")
                    ],
                )?;
            }
        }
        Ok(self.total)
    }
}

fn metric_id(tx: &rusqlite::Transaction<'_>, name: &str) -> Result<i64> {
    let existing: Option<i64> = tx
        .prepare_cached("SELECT id FROM metrics WHERE name = ?1")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    tx.prepare_cached("INSERT INTO metrics(name) VALUES (?1)")?
        .execute([name])?;
    Ok(tx.last_insert_rowid())
}
