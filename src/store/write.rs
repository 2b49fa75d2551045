//! Writing parsed batches: one transaction per batch, cached statements, upserts.

use super::{Store, now, value};
use crate::Result;
use crate::ingest::{Batch, Location, RunKey};
use crate::model::SourcePosition;
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
    state: WriteState,
}

/// What a [`Writer`] remembers between batches (its source, run and metric ids, counts),
/// without holding the store: a process following many sources keeps one per source and lends
/// it the store for each write ([`Store::resume_writer`], [`Writer::suspend`]).
///
/// The ids are cached by the indices of one [`Batch`]: use a state with one batch only (a new
/// batch needs a new state).
#[derive(Debug, Default)]
pub struct WriteState {
    source: String,
    default_run: String,
    event_kind: &'static str,
    run_ids: Vec<Option<i64>>,
    metric_ids: Vec<Option<i64>>,
    changed_per_run: Vec<u64>,
    total: WriteStats,
}

impl WriteState {
    /// A state for points from `source` into runs named after `default_run`.
    pub fn new(source: &str, default_run: &str) -> Self {
        WriteState {
            source: source.to_owned(),
            default_run: default_run.to_owned(),
            event_kind: "import",
            ..WriteState::default()
        }
    }

    /// The kind of the history event [`Writer::finish`] records (`import` unless set).
    pub fn with_event_kind(mut self, kind: &'static str) -> Self {
        self.event_kind = kind;
        self
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

    fn write(
        &mut self,
        store: &mut Store,
        batch: &Batch,
        position: Option<&SourcePosition>,
    ) -> Result<WriteStats> {
        // A failed transaction (a lock, a full disk) is rolled back: so are the ids it cached
        // and the counts it made, so that the batch can be offered again.
        let before = (
            self.run_ids.clone(),
            self.metric_ids.clone(),
            self.changed_per_run.clone(),
        );
        let r = self.write_once(store, batch, position);
        if r.is_err() {
            (self.run_ids, self.metric_ids, self.changed_per_run) = before;
        }
        r
    }

    fn write_once(
        &mut self,
        store: &mut Store,
        batch: &Batch,
        position: Option<&SourcePosition>,
    ) -> Result<WriteStats> {
        let mut stats = WriteStats {
            offered: batch.points.len() as u64,
            ..WriteStats::default()
        };
        if batch.points.is_empty()
            && batch.restarts.is_empty()
            && batch.params.is_empty()
            && position.is_none()
        {
            return Ok(stats);
        }
        let names: Vec<String> = batch.run_keys().iter().map(|k| self.run_name(k)).collect();
        self.run_ids.resize(names.len(), None);
        self.changed_per_run.resize(names.len(), 0);
        self.metric_ids.resize(batch.metric_names().len(), None);
        let time = now();
        let tx = store.conn.transaction()?;
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
            for p in batch.latest_points() {
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
            if let Some(pos) = position {
                super::sources::save(&tx, pos, time)?;
            }
        }
        tx.commit()?;
        self.total += stats;
        Ok(stats)
    }

    fn finish(&self, store: &mut Store) -> Result<WriteStats> {
        let time = now();
        for (r, id) in self.run_ids.iter().enumerate() {
            let changed = self.changed_per_run[r];
            if let (Some(id), true) = (id, changed > 0) {
                store.conn.execute(
                    "INSERT INTO events(run_id, time, kind, source, detail)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        id,
                        time,
                        self.event_kind,
                        self.source,
                        format!("{changed} points new or changed")
                    ],
                )?;
            }
        }
        Ok(self.total)
    }
}

impl<'s> Writer<'s> {
    pub(super) fn new(store: &'s mut Store, state: WriteState) -> Self {
        Writer { store, state }
    }

    /// The run name a [`RunKey`] gets.
    pub fn run_name(&self, key: &RunKey) -> String {
        self.state.run_name(key)
    }

    /// Everything written so far.
    pub fn total(&self) -> WriteStats {
        self.state.total
    }

    /// Names of the runs this writer has written to so far.
    pub fn runs_written(&self, batch: &Batch) -> Vec<String> {
        batch
            .run_keys()
            .iter()
            .enumerate()
            .filter(|(i, _)| self.state.run_ids.get(*i).is_some_and(Option::is_some))
            .map(|(_, k)| self.run_name(k))
            .collect()
    }

    /// Write the batch's points, restarts and params in one transaction.
    pub fn write(&mut self, batch: &Batch) -> Result<WriteStats> {
        self.state.write(self.store, batch, None)
    }

    /// [`Writer::write`], and in the same transaction record that the source has been read up
    /// to `position`: after a crash, reading resumes there, with nothing lost or read twice.
    pub fn write_with_offset(
        &mut self,
        batch: &Batch,
        position: &SourcePosition,
    ) -> Result<WriteStats> {
        self.state.write(self.store, batch, Some(position))
    }

    /// Give back the state, to write more of the same batch later.
    pub fn suspend(self) -> WriteState {
        self.state
    }

    /// Record the import in each touched run's history (only where something changed).
    pub fn finish(self) -> Result<WriteStats> {
        self.state.finish(self.store)
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
