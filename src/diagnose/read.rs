//! A stored run's curves read and diagnosed.

use super::RunReport;
use crate::defs::Registry;
use crate::model::Series;
use crate::store::Store;
use crate::{Error, Result};

/// The metrics of a run to diagnose: every one (bookkeeping ones only with `all`), or just
/// `only`.
pub fn chosen_metrics(
    store: &Store,
    run: &str,
    only: Option<&str>,
    all: bool,
) -> Result<Vec<String>> {
    let names = store.metric_names(run)?;
    Ok(match only {
        Some(m) => {
            if !names.iter().any(|n| n == m) {
                return Err(Error::Invalid(format!(
                    "run '{run}' has no metric '{m}'; its metrics: {}",
                    names.join(", ")
                )));
            }
            vec![m.to_owned()]
        }
        None => names
            .into_iter()
            .filter(|n| all || !super::is_bookkeeping(n))
            .collect(),
    })
}

/// Read and diagnose a run's curves. Reading and classifying overlap: this thread reads each
/// curve from the database while a second one classifies the curve before it.
pub fn read_run(store: &Store, run: &str, names: Vec<String>, reg: &Registry) -> Result<RunReport> {
    let (tx, rx) = std::sync::mpsc::channel::<(String, Series)>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let mut curves = Vec::new();
            let mut metrics = Vec::new();
            for (name, series) in rx {
                metrics.push(super::curve(&name, &series, reg));
                curves.push((name, series));
            }
            (metrics, curves)
        });
        for name in names {
            let s = store.series(run, &name)?;
            if tx.send((name, s)).is_err() {
                break;
            }
        }
        drop(tx);
        let (metrics, curves) = worker
            .join()
            .map_err(|_| Error::Invalid("the classifier thread failed".into()))?;
        Ok(super::with_hints(run, metrics, &curves, reg))
    })
}
