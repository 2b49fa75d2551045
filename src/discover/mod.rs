//! What to import from a path: the files of a directory grouped into runs, and run names.
//!
//! One run per run directory, named from its path relative to the directory given (Lightning's
//! `NAME/version_N` keeps both parts). Where one directory holds the same data in several
//! formats, one source is taken: `trainer_state.json` (the run directory's own, else the newest
//! checkpoint's) > `metrics.csv` > event files > stdout logs; other data files (`*.jsonl`, other
//! `*.csv`) are runs of their own, as are several stdout logs, each named as when imported
//! alone (a name never depends on how the path was spelled: paths are made canonical first,
//! and a file named alone is named as its directory's import names it). Markdown files count as stdout logs only when their content
//! is one.
//!
//! TensorBoard's convention holds for event files: one run per directory that holds
//! `events.out.tfevents.*`, its files (a restarted job writes a new one) read as one stream in
//! wall-time order. The Hugging Face Trainer writes them to `OUTPUT/runs/<date>_<host>/`, beside
//! `OUTPUT/trainer_state.json`: there they belong to the `OUTPUT` run.
//!
//! A `*.json` file is a candidate only when its content holds metrics (see [`content`]): an
//! MMEngine `vis_data/scalars.json` is its run directory's preferred source, and
//! `vis_data/TIMESTAMP.json`, a copy of it, is passed over; a log's structured twin
//! (MMDetection 2.x `X.log.json` beside `X.log`) is read instead of the log.

pub mod content;
mod naming;
pub mod sidecar;

pub use naming::run_name;
use naming::{name_sources, own_name};

use crate::foreign;
use crate::ingest::{Format, tfevents};
use std::io::Read;
use std::path::{Path, PathBuf};

/// One file to import and the run it goes to.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub path: PathBuf,
    /// Files read after `path` as one stream into the same run: the other event files of a run
    /// directory, in wall-time order.
    pub more: Vec<PathBuf>,
    pub run: String,
    /// Files of the same run passed over because `path` was preferred.
    pub passed_over: Vec<PathBuf>,
    /// Another tracker's store (`path` its run directory or database), read by
    /// [`crate::foreign`] rather than parsed as a file.
    pub store: Option<foreign::Kind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Preferred source of a run directory, best first.
    HfState,
    MetricsCsv,
    /// MMEngine's `vis_data/scalars.json`.
    Scalars,
    Events,
    Log,
    /// A data file that is a run of its own.
    Data,
}

fn kind(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.starts_with("events.out.tfevents") {
        return Some(Kind::Events);
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match (name.as_str(), ext) {
        ("trainer_state.json", _) => Some(Kind::HfState),
        ("metrics.csv", _) => Some(Kind::MetricsCsv),
        (_, "jsonl" | "ndjson" | "csv" | "tsv") => Some(Kind::Data),
        ("metrics.json", _) => Some(Kind::Data),
        ("scalars.json", _) => content::holds_metrics(path).then_some(Kind::Scalars),
        (_, "json") => content::holds_metrics(path).then_some(Kind::Data),
        (_, "log" | "txt" | "out") => Some(Kind::Log),
        // Notes that hold a console log (`run_notes.md`); other Markdown is documentation.
        (_, "md" | "markdown") => content::holds_a_log(path).then_some(Kind::Log),
        // Any other file (`lasttry`, `results.rb`, `train.log.1`) is a log when its content
        // reads as one; sources, notebooks and binary data never are, so they are not read.
        (_, ext) if content::never_a_log(ext) || content::in_use_by_sqlite(path) => None,
        _ => content::holds_a_log(path).then_some(Kind::Log),
    }
}

/// Whether a candidate file of kind `k` can be of `format`.
fn can_be(format: Format, k: Kind, path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match format {
        Format::TfEvents => k == Kind::Events,
        Format::HfState => k == Kind::HfState,
        Format::Columns => k == Kind::Data && ext == "json",
        Format::HfLog | Format::KeyValue | Format::YoloTxt => k == Kind::Log,
        Format::Csv => k == Kind::MetricsCsv || (k == Kind::Data && matches!(&*ext, "csv" | "tsv")),
        Format::Jsonl => {
            k == Kind::Scalars || (k == Kind::Data && matches!(&*ext, "jsonl" | "ndjson" | "json"))
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `path` absolute and canonical (symbolic links, `.` and `..` resolved) when it exists, so
/// that no name depends on how the path was spelled.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The run name for a file given on its own: its directory's name, joined with the file's stem
/// when the stem says something (`runs/exp1.jsonl` → `runs/exp1`). A directory import gives
/// the same name to a file that is a run of its own there.
pub fn file_run_name(path: &Path) -> String {
    let path = canonical(path);
    let mut dir = content::run_dir(path.parent().unwrap_or(Path::new("/"))).to_path_buf();
    if kind(&path) == Some(Kind::HfState) && checkpoint(&dir).is_some() {
        dir.pop();
    }
    let name = run_name(&dir, &dir);
    // Named as the directory names it, which its neighbours can change.
    let cands: Vec<(Kind, PathBuf)> = [dir.clone(), dir.join(content::VIS_DATA)]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.filter_map(Result::ok).map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter_map(|p| Some((kind(&p)?, p)))
        .collect();
    let listed = cands.iter().any(|(_, p)| *p == path);
    match kind(&path) {
        Some(k) if listed || k == Kind::HfState => {
            let mut cands = cands;
            if !listed {
                cands.push((k, path.clone()));
            }
            sources_of(&name, cands)
                .into_iter()
                .find(|s| s.path == path)
                .map(|s| s.run)
                .unwrap_or(name)
        }
        _ => own_name(&name, &path),
    }
}

/// The files under `dir`, and the run directories of other trackers' stores (not entered).
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    stores: Vec<(foreign::Kind, PathBuf)>,
}

fn walk(dir: &Path, found: &mut Found, depth: usize) -> std::io::Result<()> {
    if depth > 32 {
        return Ok(());
    }
    if let Some(kind) = foreign::of_dir(dir) {
        found.stores.push((kind, dir.to_path_buf()));
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    let wandb = foreign::wandb::is_wandb_dir(dir);
    for e in entries {
        let name = e.file_name();
        if wandb && foreign::wandb::is_pointer(&name.to_string_lossy()) {
            continue;
        }
        let hidden = name.to_string_lossy().starts_with('.');
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && !hidden && name != "__pycache__" && name != "node_modules" {
            walk(&e.path(), found, depth + 1)?;
        } else if ft.is_file() && !hidden {
            match foreign::of_file(&e.path()) {
                Some(kind) => found.stores.push((kind, e.path())),
                None => found.files.push(e.path()),
            }
        }
    }
    Ok(())
}

/// The checkpoint number of a `checkpoint-N` directory.
fn checkpoint(dir: &Path) -> Option<u64> {
    file_name(dir).strip_prefix("checkpoint-")?.parse().ok()
}

/// `OUTPUT` for a directory `OUTPUT/runs/NAME`, where the HF Trainer writes event files.
fn hf_output(dir: &Path) -> Option<&Path> {
    let runs = dir.parent()?;
    (file_name(runs) == "runs").then(|| runs.parent()).flatten()
}

/// When an event file was started: its first event's wall time, else the time in its name
/// (`events.out.tfevents.SECONDS.HOST...`).
fn started(path: &Path) -> Option<f64> {
    let mut head = Vec::new();
    let from_content = std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .ok()
        .and_then(|_| tfevents::first_wall_time(&head));
    from_content.or_else(|| {
        file_name(path)
            .strip_prefix("events.out.tfevents.")?
            .split('.')
            .next()?
            .parse()
            .ok()
    })
}

/// Event files in the order they were written.
fn in_time_order(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut keyed: Vec<(f64, PathBuf)> = paths
        .into_iter()
        .map(|p| (started(&p).unwrap_or(f64::INFINITY), p))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    keyed.into_iter().map(|(_, p)| p).collect()
}

type Groups = std::collections::BTreeMap<PathBuf, Vec<(Kind, PathBuf)>>;

/// Candidate files grouped by run directory.
fn group(root: &Path, files: Vec<PathBuf>) -> Groups {
    let mut groups = Groups::new();
    for f in files {
        let Some(k) = kind(&f) else { continue };
        let mut dir = f.parent().unwrap_or(root).to_path_buf();
        if dir != root {
            dir = content::run_dir(&dir).to_path_buf();
        }
        if k == Kind::HfState && checkpoint(&dir).is_some() {
            dir = dir.parent().unwrap_or(root).to_path_buf();
        }
        groups.entry(dir).or_default().push((k, f));
    }
    // HF's OUTPUT/runs/NAME/events.* belong to the OUTPUT run when OUTPUT holds its other logs.
    let event_dirs: Vec<PathBuf> = groups
        .iter()
        .filter(|(_, c)| c.iter().all(|(k, _)| *k == Kind::Events))
        .map(|(d, _)| d.clone())
        .collect();
    for dir in event_dirs {
        let Some(output) = hf_output(&dir).map(Path::to_path_buf) else {
            continue;
        };
        let is_run = groups.get(&output).is_some_and(|c| {
            c.iter()
                .any(|(k, _)| matches!(k, Kind::HfState | Kind::MetricsCsv | Kind::Log))
        });
        if is_run && let Some(moved) = groups.remove(&dir) {
            groups.entry(output).or_default().extend(moved);
        }
    }
    groups
}

/// The sources of a directory, in a stable order. With a `format` (`--format`), the files of
/// each run directory that can be of that format are taken, and nothing else.
pub fn directory(root: &Path, format: Option<Format>) -> std::io::Result<Vec<Source>> {
    let mut found = Found::default();
    walk(root, &mut found, 0)?;
    let canon = canonical(root);
    let mut out = Vec::new();
    if format.is_none() {
        out.extend(store_sources(&canon, found.stores));
    }
    for (dir, cands) in group(root, found.files) {
        let name = run_name(&canon, &canon.join(dir.strip_prefix(root).unwrap_or(&dir)));
        let (fit, other): (Vec<_>, Vec<_>) = cands
            .into_iter()
            .partition(|(k, p)| format.is_none_or(|f| can_be(f, *k, p)));
        let mut found = sources_of(&name, fit);
        if let Some(first) = found.first_mut() {
            let same_run = other.into_iter().filter(|(k, _)| *k != Kind::Data);
            first.passed_over.extend(same_run.map(|(_, p)| p));
        }
        out.extend(found);
    }
    Ok(out)
}

/// The sources of other trackers' stores found under `root` (canonical): each named as its
/// tracker names its run, or by its path where it names none or two would get one name.
fn store_sources(root: &Path, stores: Vec<(foreign::Kind, PathBuf)>) -> Vec<Source> {
    let mut out: Vec<Source> = stores
        .into_iter()
        .map(|(kind, p)| Source::store(kind, store_run_name(kind, &p, Some(root)), p))
        .collect();
    let names: Vec<String> = out.iter().map(|s| s.run.clone()).collect();
    for s in out.iter_mut() {
        let one_run = s.store.is_some_and(|k| !k.holds_runs());
        if one_run && names.iter().filter(|n| **n == s.run).count() > 1 {
            s.run = path_run_name(&s.path, Some(root));
        }
    }
    out
}

/// The run name of a one-run store at `at`: its tracker's name for it, else its path's (its
/// parent's, for a directory named for its kind such as `catboost_info`).
fn store_run_name(kind: foreign::Kind, at: &Path, root: Option<&Path>) -> String {
    if let Some(name) = foreign::run_name(kind, at) {
        return name;
    }
    match kind.named_by_parent() {
        true => path_run_name(at.parent().unwrap_or(at), root),
        false => path_run_name(at, root),
    }
}

/// The run name of directory `dir`: relative to `root` (canonical) when under it, else its own.
fn path_run_name(dir: &Path, root: Option<&Path>) -> String {
    let at = canonical(dir);
    match root {
        Some(root) if at.starts_with(root) => run_name(root, &at),
        _ => run_name(&at, &at),
    }
}

/// The sources of run directory `name` from its candidate files.
fn sources_of(name: &str, mut cands: Vec<(Kind, PathBuf)>) -> Vec<Source> {
    // Best source first; among trainer states, the run directory's own, then the newest
    // checkpoint.
    cands.sort_by_key(|(k, p)| {
        let ck = p.parent().and_then(checkpoint).map_or(u64::MAX, |n| n);
        (*k, std::cmp::Reverse(ck))
    });
    // A log with a structured twin beside it is read through the twin.
    let twins: Vec<PathBuf> = cands
        .iter()
        .filter(|(k, _)| *k == Kind::Data)
        .map(|(_, p)| p.clone())
        .collect();
    let (twinned, cands): (Vec<_>, Vec<_>) = cands
        .into_iter()
        .partition(|(k, p)| *k == Kind::Log && twins.contains(&twin(p)));
    let mut found = Vec::new();
    if let Some((k, _)) = cands.iter().find(|(k, _)| *k != Kind::Data) {
        found = primary_source(&cands, *k);
    }
    for (_, p) in cands.iter().filter(|(k, _)| *k == Kind::Data) {
        // A copy of the preferred source (MMEngine's `TIMESTAMP.json`) is passed over.
        if let Some((_, first)) = found.first_mut().filter(|(k, _)| *k != Kind::Data)
            && content::same_start(&first.path, p)
        {
            first.passed_over.push(p.clone());
            continue;
        }
        let mut source = Source::new(p.clone());
        source.passed_over = twinned
            .iter()
            .filter(|(_, l)| twin(l) == *p)
            .map(|(_, l)| l.clone())
            .collect();
        found.push((Kind::Data, source));
    }
    name_sources(name, &mut found);
    found.into_iter().map(|(_, s)| s).collect()
}

impl Source {
    fn new(path: PathBuf) -> Self {
        Source {
            path,
            more: vec![],
            run: String::new(),
            passed_over: vec![],
            store: None,
        }
    }

    /// One file (or `-`, standard input) read into run `run`.
    pub fn file(path: PathBuf, run: String) -> Self {
        Source {
            run,
            ..Source::new(path)
        }
    }

    /// Another tracker's store at `path`: a one-run store goes to `run`.
    fn store(kind: foreign::Kind, run: String, path: PathBuf) -> Self {
        Source {
            run,
            store: Some(kind),
            ..Source::new(path)
        }
    }
}

/// The source of a file given on its own: another tracker's store when the file is one (a
/// trackio database) or is the main file of one (Sacred's `metrics.json`), else the file
/// itself, named by [`file_run_name`].
pub fn file_source(path: &Path) -> Source {
    match foreign::owner(path) {
        Some((kind, at)) => Source::store(kind, store_run_name(kind, &at, None), at),
        None => Source::file(path.to_path_buf(), file_run_name(path)),
    }
}

/// The source(s) of a run directory from its candidates of kind `pk`, the others passed over.
fn primary_source(cands: &[(Kind, PathBuf)], pk: Kind) -> Vec<(Kind, Source)> {
    let mut of_kind = cands
        .iter()
        .filter(|(k, _)| *k == pk)
        .map(|(_, p)| p.clone());
    let (path, more) = match pk {
        // All event files of a run, as one stream in the order they were written.
        Kind::Events => {
            let mut ordered = in_time_order(of_kind.collect()).into_iter();
            let Some(first) = ordered.next() else {
                return vec![];
            };
            (first, ordered.collect())
        }
        _ => {
            let Some(first) = of_kind.next() else {
                return vec![];
            };
            (first, vec![])
        }
    };
    let passed = cands
        .iter()
        .filter(|(k, p)| {
            let same_kind = pk == *k && matches!(pk, Kind::Log | Kind::Events);
            *k != Kind::Data && *p != path && !same_kind
        })
        .map(|(_, p)| p.clone())
        .collect();
    let mut out = vec![(
        pk,
        Source {
            more,
            passed_over: passed,
            ..Source::new(path.clone())
        },
    )];
    if pk == Kind::Log {
        // Several stdout logs and nothing structured: each log is a run.
        let others = cands.iter().filter(|(k, p)| *k == Kind::Log && *p != path);
        out.extend(others.map(|(_, p)| (Kind::Log, Source::new(p.clone()))));
    }
    out
}

/// `path` with `.json` appended: the structured twin of a log.
fn twin(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".json");
    PathBuf::from(s)
}

#[cfg(test)]
mod tests;
