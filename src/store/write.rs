//! Writing parsed batches: one transaction per batch, cached statements, upserts.

use super::db::{Conn, P, PointRow, Val};
use super::{Db, Store, now};
use crate::Result;
use crate::model::SourcePosition;
use crate::model::{Batch, Location, RunKey};
use std::collections::HashMap;

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
/// The ids are cached by the indices of one [`Batch`]: a state serves the batch it first
/// wrote, and refuses another (a new batch needs a new state).
#[derive(Debug, Default)]
pub struct WriteState {
    /// The [`Batch::identity`] of the batch this state writes.
    batch: Option<u64>,
    source: String,
    default_run: String,
    event_kind: &'static str,
    /// The file of the stream being read (several files can be one stream): restarts name it.
    file: Option<String>,
    run_ids: Vec<Option<i64>>,
    /// Whether this writer created the run (then no stored value predates it).
    created: Vec<bool>,
    metric_ids: Vec<Option<i64>>,
    /// Points inserted per run (new steps).
    inserted_per_run: Vec<u64>,
    /// The first and last step written per run.
    extent: Vec<Option<(i64, i64)>>,
    /// Whether this writing goes on the run's last history entry when that is of the same
    /// kind and source (consecutive logging is one entry).
    coalesce: bool,
    /// Stored values this writer replaced: (run index, value before the writer, latest value),
    /// so that a stream writing a step twice (a restarted job) counts it once, and not at all
    /// when the step ends as it was.
    replaced: HashMap<(i64, i64, i64), (u32, f64, f64)>,
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

    /// Add to the run's last history entry when it is this writer's kind and source, rather
    /// than making a new one.
    pub fn coalescing(mut self) -> Self {
        self.coalesce = true;
        self
    }

    /// The file now being read, when a source's stream spans several files.
    pub fn set_file(&mut self, file: &str) {
        self.file = Some(file.to_owned());
    }

    /// Points new or changed per run so far, counted against the values stored before this
    /// writer started.
    fn changed_per_run(&self) -> Vec<u64> {
        let mut n = self.inserted_per_run.clone();
        for &(r, before, latest) in self.replaced.values() {
            if !same(before, latest) {
                n[r as usize] += 1;
            }
        }
        n
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

    pub(super) fn write(
        &mut self,
        store: &mut Db,
        batch: &Batch,
        position: Option<&SourcePosition>,
    ) -> Result<WriteStats> {
        // A failed transaction (a lock, a full disk) is rolled back: so are the ids it cached
        // and the counts it made, so that the batch can be offered again.
        if *self.batch.get_or_insert(batch.identity()) != batch.identity() {
            return Err(crate::Error::Invalid(
                "a writer's state serves one batch: start a new writer for another".into(),
            ));
        }
        // (Replacements are kept by `write_once` only once its transaction commits.)
        let before = (
            self.run_ids.clone(),
            self.metric_ids.clone(),
            self.created.clone(),
            self.inserted_per_run.clone(),
            self.extent.clone(),
        );
        let r = self.write_once(store, batch, position);
        if r.is_err() {
            (
                self.run_ids,
                self.metric_ids,
                self.created,
                self.inserted_per_run,
                self.extent,
            ) = before;
        }
        r
    }

    fn write_once(
        &mut self,
        store: &mut Db,
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
        self.created.resize(names.len(), false);
        self.inserted_per_run.resize(names.len(), 0);
        self.extent.resize(names.len(), None);
        self.metric_ids.resize(batch.metric_names().len(), None);
        let time = now();
        let mut replaced = Vec::new();
        let tx = store.conn.begin()?;
        {
            let run_id =
                |ids: &mut Vec<Option<i64>>, created: &mut Vec<bool>, r: usize| -> Result<i64> {
                    if let Some(id) = ids[r] {
                        return Ok(id);
                    }
                    if names[r].is_empty() {
                        return Err(crate::Error::Unnamed);
                    }
                    created[r] = tx.execute(
                        "INSERT INTO runs(name, created, source) VALUES (?1, ?2, ?3)
                         ON CONFLICT(name) DO NOTHING",
                        &[(&names[r]).into(), P::Real(time), (&self.source).into()],
                    )? == 1;
                    let id = tx
                        .value("SELECT id FROM runs WHERE name = ?1", &[(&names[r]).into()])?
                        .int()?;
                    ids[r] = Some(id);
                    Ok(id)
                };
            // A followed file's points remember it: the last writer of a point owns it.
            let origin = match position {
                Some(pos) => Some(super::sources::origin_id(&*tx, &pos.path)?),
                None => None,
            };
            let origin_p = P::from(origin);
            let points: Vec<_> = batch.latest_points().collect();
            let mut rows = Vec::with_capacity(points.len());
            for p in &points {
                let run = run_id(&mut self.run_ids, &mut self.created, p.run as usize)?;
                let metric = match self.metric_ids[p.metric as usize] {
                    Some(id) => id,
                    None => {
                        let id = metric_id(&*tx, batch.metric_name(p.metric))?;
                        self.metric_ids[p.metric as usize] = Some(id);
                        id
                    }
                };
                rows.push(PointRow {
                    run,
                    metric,
                    step: p.step,
                    value: p.value,
                    wall_time: p.wall_time,
                    origin,
                });
            }
            let inserted = tx.insert_points(&rows)?;
            let mut curves = super::curves::Deltas::default();
            for ((p, row), new) in points.iter().zip(&rows).zip(inserted) {
                let extent = &mut self.extent[p.run as usize];
                let (lo, hi) = extent.unwrap_or((p.step, p.step));
                if new {
                    curves.inserted(row.run, row.metric, p.step, p.value);
                    stats.changed += 1;
                    self.inserted_per_run[p.run as usize] += 1;
                    *extent = Some((lo.min(p.step), hi.max(p.step)));
                    continue;
                }
                let key = [P::Int(row.run), P::Int(row.metric), P::Int(p.step)];
                let row_now = tx.row(
                    "SELECT value, origin FROM points
                     WHERE run_id = ?1 AND metric_id = ?2 AND step = ?3",
                    &key,
                )?;
                let (old, was) =
                    row_now.map_or((f64::NAN, None), |r| (r[0].metric(), r[1].opt_int()));
                if same(old, p.value) {
                    // The same value, written again by another: it is that writer's now.
                    if was != origin {
                        tx.execute(
                            "UPDATE points SET origin = ?4
                             WHERE run_id = ?1 AND metric_id = ?2 AND step = ?3",
                            &[key[0], key[1], key[2], origin_p],
                        )?;
                    }
                    continue;
                }
                tx.execute(
                    "UPDATE points
                     SET value = ?4, wall_time = coalesce(?5, wall_time), origin = ?6
                     WHERE run_id = ?1 AND metric_id = ?2 AND step = ?3",
                    &row.params(),
                )?;
                curves.replaced(row.run, row.metric, p.step, old, p.value);
                stats.changed += 1;
                *extent = Some((lo.min(p.step), hi.max(p.step)));
                if !self.created[p.run as usize] {
                    replaced.push(((row.run, row.metric, p.step), p.run, old, p.value));
                }
            }
            curves.save(&*tx, time)?;
            for r in &batch.restarts {
                let run = run_id(&mut self.run_ids, &mut self.created, r.run as usize)?;
                let detail = format!(
                    "steps went back from {} to {} ({}): newer values replace older ones",
                    r.previous_step,
                    r.step,
                    match r.location {
                        Location::Offset(n) => format!("offset {n}"),
                        other => format!("line {other}"),
                    }
                );
                let n = tx.execute(
                    "INSERT INTO events(run_id, time, kind, source, step, detail)
                     VALUES (?1, ?2, 'restart', ?3, ?4, ?5)
                     ON CONFLICT DO NOTHING",
                    &[
                        P::Int(run),
                        P::Real(time),
                        self.file.as_ref().unwrap_or(&self.source).into(),
                        P::Int(r.step),
                        P::Text(&detail),
                    ],
                )?;
                stats.restarts += n;
            }
            for (r, params) in &batch.params {
                let run = run_id(&mut self.run_ids, &mut self.created, *r as usize)?;
                let params = serde_json::Value::Object(params.clone()).to_string();
                tx.execute(
                    &format!(
                        "UPDATE runs SET params = {} WHERE id = ?1",
                        tx.merge_json("params", "?2")
                    ),
                    &[P::Int(run), P::Text(&params)],
                )?;
            }
            if let Some(pos) = position {
                super::sources::save(&*tx, pos, time)?;
            }
        }
        tx.commit()?;
        for (key, r, old, new) in replaced {
            self.replaced.entry(key).or_insert((r, old, old)).2 = new;
        }
        self.total += stats;
        Ok(stats)
    }

    pub(super) fn finish(&self, store: &mut Db) -> Result<WriteStats> {
        let time = now();
        let changed_per_run = self.changed_per_run();
        // Immediate: a transaction that reads before it writes could not wait for the lock.
        let tx = store.conn.begin()?;
        for (r, id) in self.run_ids.iter().enumerate() {
            let changed = changed_per_run[r];
            let (Some(id), true) = (id, changed > 0) else {
                continue;
            };
            let (first, last) = self.extent[r].unwrap_or_default();
            let previous = match self.coalesce {
                true => tx.row(
                    "SELECT id, kind, source, points, step, last_step FROM events
                     WHERE run_id = ?1 ORDER BY time DESC, id DESC LIMIT 1",
                    &[P::Int(*id)],
                )?,
                false => None,
            };
            if let Some(p) = previous.filter(|p| {
                p[1] == Val::Text(self.event_kind.to_owned())
                    && p[2] == Val::Text(self.source.clone())
            }) {
                let points = p[3].opt_int().unwrap_or(0) + changed as i64;
                let first = p[4].opt_int().map_or(first, |s| s.min(first));
                let last = p[5].opt_int().map_or(last, |s| s.max(last));
                tx.execute(
                    "UPDATE events SET time = ?2, points = ?3, step = ?4, last_step = ?5,
                     detail = ?6 WHERE id = ?1",
                    &[
                        P::Int(p[0].int()?),
                        P::Real(time),
                        P::Int(points),
                        P::Int(first),
                        P::Int(last),
                        P::Text(&extent_detail(points, first, last)),
                    ],
                )?;
                continue;
            }
            let detail = match self.coalesce {
                true => extent_detail(changed as i64, first, last),
                false => format!("{changed} points new or changed"),
            };
            tx.execute(
                "INSERT INTO events(run_id, time, kind, source, detail, points, step, last_step)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                &[
                    P::Int(*id),
                    P::Real(time),
                    self.event_kind.into(),
                    (&self.source).into(),
                    P::Text(&detail),
                    P::Int(changed as i64),
                    P::Int(first),
                    P::Int(last),
                ],
            )?;
        }
        tx.commit()?;
        Ok(WriteStats {
            changed: changed_per_run.iter().sum(),
            ..self.total
        })
    }
}

/// The detail of a history entry covering `points` points from step `first` to `last`.
fn extent_detail(points: i64, first: i64, last: i64) -> String {
    let steps = match first == last {
        true => format!("step {first}"),
        false => format!("steps {first}…{last}"),
    };
    format!(
        "{points} point{} new or changed, {steps}",
        if points == 1 { "" } else { "s" }
    )
}

/// Two values are the same stored value (NaN equals NaN).
fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()) || a == b
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
        self.store.write_batch(&mut self.state, batch, None)
    }

    /// [`Writer::write`], and in the same transaction record that the source has been read up
    /// to `position`: after a crash, reading resumes there, with nothing lost or read twice.
    pub fn write_with_offset(
        &mut self,
        batch: &Batch,
        position: &SourcePosition,
    ) -> Result<WriteStats> {
        self.store
            .write_batch(&mut self.state, batch, Some(position))
    }

    /// See [`WriteState::set_file`].
    pub fn set_file(&mut self, file: &str) {
        self.state.set_file(file);
    }

    /// Give back the state, to write more of the same batch later.
    pub fn suspend(self) -> WriteState {
        self.state
    }

    /// Record the import in each touched run's history (only where something changed).
    pub fn finish(self) -> Result<WriteStats> {
        self.store.finish_writing(&self.state)
    }
}

fn metric_id(tx: &dyn Conn, name: &str) -> Result<i64> {
    let existing = tx.value("SELECT id FROM metrics WHERE name = ?1", &[name.into()])?;
    if let Some(id) = existing.opt_int() {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO metrics(name) VALUES (?1) ON CONFLICT(name) DO NOTHING",
        &[name.into()],
    )?;
    tx.value("SELECT id FROM metrics WHERE name = ?1", &[name.into()])?
        .int()
}

#[cfg(test)]
mod tests {
    use crate::model::Batch;
    use crate::store::Store;

    #[test]
    fn a_writer_refuses_a_second_batch_whose_indices_mean_other_things() {
        let mut store = Store::open_in_memory().unwrap();
        let mut first = Batch::new();
        let loss = first.metric("loss");
        first.push(0, loss, 1, 0.5, None);
        let mut other = Batch::new();
        let acc = other.metric("acc");
        other.push(0, acc, 1, 0.9, None);
        let mut w = store.writer("x", "r");
        w.write(&first).unwrap();
        assert!(w.write(&other).is_err());
        w.finish().unwrap();
        assert_eq!(store.metric_names("r").unwrap(), ["loss"]);
    }
}
