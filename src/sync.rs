//! Pushing runs from one database to another (`tracker sync`): a job on a node without network
//! records into a local SQLite file, and its runs go to the team's server when it can be
//! reached.
//!
//! A curve is sent when the two databases disagree on it (its [`CurveSignature`]: points, last
//! step, sum of its finite values); each run goes in one transaction with its params. So a
//! second sync sends nothing, and a sync killed halfway sends, the next time, what did not
//! arrive: points are upserted by (run, metric, step), never doubled.

use crate::Result;
use crate::model::{Batch, RunKey};
use crate::store::{CurveSignature, Store, WriteState};

/// What syncing one run did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunSent {
    pub run: String,
    /// Curves sent (new or different on the other side).
    pub metrics: usize,
    /// Points new or changed on the other side.
    pub points: u64,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub sent: Vec<RunSent>,
    /// Runs already the same on both sides.
    pub unchanged: Vec<String>,
}

/// Whether two signatures describe the same curve (sums of the same values may differ in the
/// last bits between engines, which add in their own order).
fn same(a: &CurveSignature, b: &CurveSignature) -> bool {
    let scale = a.checksum.abs().max(b.checksum.abs()).max(1.0);
    a.points == b.points
        && a.last_step == b.last_step
        && (a.checksum - b.checksum).abs() <= 1e-9 * scale
}

/// Send the runs named in `runs` (all of them when empty) from `from` to `to`.
pub fn sync(from: &Store, to: &mut Store, runs: &[String]) -> Result<Report> {
    let names = match runs.is_empty() {
        true => from.run_names()?,
        false => runs
            .iter()
            .map(|r| from.resolve_run(r))
            .collect::<Result<_>>()?,
    };
    let there = to.run_names()?;
    let mut report = Report::default();
    for run in names {
        let local = from.curve_signatures(&run)?;
        let exists = there.binary_search(&run).is_ok();
        let remote = match exists {
            true => to.curve_signatures(&run)?,
            false => Vec::new(),
        };
        let params = from.run_params(&run)?;
        let params_differ = !exists || to.run_params(&run)? != params;
        let changed: Vec<&String> = local
            .iter()
            .filter(|(name, sig)| {
                !remote
                    .iter()
                    .any(|(n, theirs)| n == name && same(sig, theirs))
            })
            .map(|(name, _)| name)
            .collect();
        if changed.is_empty() && !params_differ {
            report.unchanged.push(run);
            continue;
        }
        let mut batch = Batch::new();
        let r = batch.run(RunKey::Default);
        for metric in &changed {
            let m = batch.metric(metric);
            let s = from.series(&run, metric)?;
            for i in 0..s.steps.len() {
                batch.push(r, m, s.steps[i], s.values[i], s.wall_times[i]);
            }
        }
        if let serde_json::Value::Object(p) = params
            && !p.is_empty()
        {
            batch.params.push((r, p));
        }
        let source = format!("sync from {}", from.path());
        let mut writer = to.resume_writer(WriteState::new(&source, &run).with_event_kind("sync"));
        writer.write(&batch)?;
        let stats = writer.finish()?;
        report.sent.push(RunSent {
            run,
            metrics: changed.len(),
            points: stats.changed,
        });
    }
    Ok(report)
}
