//! Run names from paths: a run directory relative to the directory given, a file that is a run
//! of its own by its stem unless the stem is generic.

use super::{Kind, Source, content, file_name};
use std::path::Path;

/// File stems that say nothing about the run; a file with one is named after its directory.
/// Stable-Baselines3 writes `progress.csv` and `monitor.csv` (or `0.monitor.csv`, one per env).
pub(super) fn generic_stem(stem: &str) -> bool {
    let s = stem.to_ascii_lowercase();
    s.starts_with("events.out.tfevents")
        || s.ends_with(".monitor")
        || matches!(
            s.as_str(),
            "metrics"
                | "train"
                | "training"
                | "train_log"
                | "training_log"
                | "trainer_log"
                | "trainer_state"
                | "log"
                | "logs"
                | "results"
                | "output"
                | "stdout"
                | "console"
                | "scalars"
                | "progress"
                | "monitor"
        )
}

/// The name of a directory itself, resolving `.` and `..`.
fn dir_name(dir: &Path) -> String {
    let named = file_name(dir);
    if !named.is_empty() && named != "." && named != ".." {
        return named;
    }
    std::fs::canonicalize(dir)
        .ok()
        .map(|p| file_name(&p))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "run".into())
}

/// The run name for run directory `dir` found under `root`.
pub fn run_name(root: &Path, dir: &Path) -> String {
    let rel: Vec<String> = dir
        .strip_prefix(root)
        .unwrap_or(dir)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|c| c != ".")
        .collect();
    let mut parts = rel;
    let mut dir = dir;
    if parts.is_empty() {
        // MMEngine's `vis_data/` given alone names its run directory.
        dir = content::run_dir(dir);
        parts.push(dir_name(dir));
    }
    // Lightning's NAME/version_N and MMEngine's NAME/TIMESTAMP keep both parts.
    if parts.len() == 1 && (parts[0].starts_with("version_") || content::keeps_parent(dir)) {
        let parent = if dir == root || dir.strip_prefix(root).is_err() {
            dir.parent().map(dir_name)
        } else {
            Some(dir_name(root))
        };
        if let Some(p) = parent.filter(|p| !p.is_empty()) {
            parts.insert(0, p);
        }
    }
    parts.join("/")
}

/// The name of a file that is a run of its own in run directory `run`.
pub(super) fn own_name(run: &str, path: &Path) -> String {
    let stem = stem(path);
    if stem.is_empty() || generic_stem(&stem) {
        run.to_string()
    } else {
        format!("{run}/{stem}")
    }
}

/// Name the sources of run directory `run`. A log or data file is a run of its own, named as
/// [`file_run_name`] names it alone; a preferred source (trainer state, `metrics.csv`, event
/// files) is the directory's run. Where two would get one name, each log or data file is
/// named with its stem.
pub(super) fn name_sources(run: &str, found: &mut [(Kind, Source)]) {
    let own = |k: Kind| matches!(k, Kind::Log | Kind::Data);
    for (k, s) in found.iter_mut() {
        s.run = match own(*k) {
            true => own_name(run, &s.path),
            false => run.to_string(),
        };
    }
    let taken =
        |found: &[(Kind, Source)], name: &str| found.iter().filter(|(_, s)| s.run == name).count();
    let clashing: Vec<usize> = (0..found.len())
        .filter(|&i| own(found[i].0) && taken(found, &found[i].1.run) > 1)
        .collect();
    for i in clashing {
        found[i].1.run = named_file(run, &found[i].1.path);
    }
}

fn named_file(run: &str, path: &Path) -> String {
    format!("{run}/{}", stem(path))
}

/// A file's stem without a `.log` before its extension (`X.log.json` is `X`).
fn stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.strip_suffix(".log") {
        Some(s) if !s.is_empty() => s.to_owned(),
        _ => stem,
    }
}
