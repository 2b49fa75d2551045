//! CatBoost's training directory (`catboost_info/`, its `train_dir`): `learn_error.tsv` and
//! `test_error.tsv` hold one row per iteration (`iter`, then a column per metric), beside
//! `time_left.tsv`, `catboost_training.json` and event files under `learn/` and `test/` that
//! hold the same values again. One run, one source: the TSVs, read as `learn/NAME` and
//! `test/NAME` (the tags TensorBoard shows for CatBoost's event files).

use super::{Sink, read_optional};
use crate::Result;
use crate::ingest::{self, Format, Options};
use crate::model::{Location, RunKey};
use std::path::Path;

/// The error tables of a training directory and the prefix of their metrics.
const TABLES: &[(&str, &str)] = &[("learn_error.tsv", "learn/"), ("test_error.tsv", "test/")];

/// Whether `dir` is a CatBoost training directory: an error table beside
/// `catboost_training.json` or `time_left.tsv`, which only CatBoost writes there, or in a
/// directory named `catboost_info` (CatBoost's default `train_dir`, often kept with its
/// tables alone).
pub fn is_train_dir(dir: &Path) -> bool {
    TABLES.iter().any(|(t, _)| dir.join(t).is_file())
        && (dir.join("catboost_training.json").is_file()
            || dir.join("time_left.tsv").is_file()
            || dir.file_name().is_some_and(|n| n == "catboost_info"))
}

/// Read the error tables of `dir` into the sink's default run.
pub fn read(dir: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let run = sink.batch.run(RunKey::Default);
    for (table, prefix) in TABLES {
        let path = dir.join(table);
        let Some(bytes) = read_optional(&path)? else {
            continue;
        };
        let parsed = ingest::parse_all(Format::Csv, &Options::default(), &bytes);
        for skip in &parsed.skips {
            let reason = format!("{table}: {}", skip.reason);
            sink.batch.skip(skip.location, reason);
        }
        if parsed.points.is_empty() && !bytes.is_empty() {
            sink.batch
                .skip(Location::Whole, format!("{table}: no values in it"));
        }
        for p in &parsed.points {
            let name = format!("{prefix}{}", parsed.metric_name(p.metric));
            let m = sink.batch.metric(&name);
            sink.batch.push(run, m, p.step, p.value, p.wall_time);
        }
        sink.flush_at(super::FLUSH_POINTS)?;
    }
    Ok(())
}
