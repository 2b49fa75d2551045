//! Watching runs while they are written: which curves changed since they were last looked at,
//! and their verdicts then. `tracker watch`, and `tail`/`exec` with `--watch`, print them.

use crate::Result;
use crate::classify::Verdict;
use crate::defs::Registry;
use crate::store::{CurveSignature, Store};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A curve looked at again: its verdict before (`None` the first time) and now.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub run: String,
    pub metric: String,
    /// The curve's last step when it was looked at.
    pub step: i64,
    pub old: Option<Verdict>,
    pub new: Verdict,
    pub reason: String,
}

#[derive(Default)]
struct Run {
    curves: BTreeMap<String, (CurveSignature, Verdict)>,
    dirty: bool,
}

/// The verdicts of the runs being watched. A curve is classified again only when its
/// signature (points, last step, values) changed, and at most once per interval.
pub struct Watch {
    /// Watch bookkeeping metrics too (learning rate, runtime…).
    pub all: bool,
    registry: Registry,
    interval: Duration,
    runs: BTreeMap<String, Run>,
    last: Option<Instant>,
}

impl Watch {
    pub fn new(registry: Registry, interval: Duration) -> Self {
        Watch {
            all: false,
            registry,
            interval,
            runs: BTreeMap::new(),
            last: None,
        }
    }

    /// Run `run` has new points: look at it at the next check.
    pub fn touch(&mut self, run: &str) {
        self.runs.entry(run.to_owned()).or_default().dirty = true;
    }

    /// How long until a check is due (`None`: nothing to check).
    pub fn due_in(&self) -> Option<Duration> {
        if !self.runs.values().any(|r| r.dirty) {
            return None;
        }
        Some(self.last.map_or(Duration::ZERO, |t| {
            self.interval.saturating_sub(t.elapsed())
        }))
    }

    /// Classify the changed curves of the touched runs, if due (or `now`): every curve looked
    /// at again, in run and metric order (bookkeeping metrics left out unless [`Watch::all`]).
    pub fn check(&mut self, store: &Store, now: bool) -> Result<Vec<Change>> {
        match self.due_in() {
            Some(d) if now || d.is_zero() => {}
            _ => return Ok(vec![]),
        }
        self.last = Some(Instant::now());
        let names: Vec<String> = self
            .runs
            .iter()
            .filter(|(_, r)| r.dirty)
            .map(|(n, _)| n.clone())
            .collect();
        let mut changes = Vec::new();
        for name in names {
            self.check_run(store, &name, &mut changes)?;
        }
        Ok(changes)
    }

    fn check_run(&mut self, store: &Store, name: &str, out: &mut Vec<Change>) -> Result<()> {
        let signatures = store.curve_signatures(name)?;
        let Some(run) = self.runs.get_mut(name) else {
            return Ok(());
        };
        run.dirty = false;
        for (metric, sig) in signatures {
            if !self.all && super::is_bookkeeping(&metric) {
                continue;
            }
            let before = run.curves.get(&metric).copied();
            if before.is_some_and(|(s, _)| s == sig) {
                continue;
            }
            let series = store.series(name, &metric)?;
            let report = super::curve(&metric, &series, &self.registry);
            let verdict = report.diagnosis.verdict;
            run.curves.insert(metric.clone(), (sig, verdict));
            out.push(Change {
                run: name.to_owned(),
                metric,
                step: sig.last_step,
                old: before.map(|(_, v)| v),
                new: verdict,
                reason: report.diagnosis.reason,
            });
        }
        Ok(())
    }
}
