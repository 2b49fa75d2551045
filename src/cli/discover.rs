//! What to import from a path: the files of a directory grouped into runs, and run names.
//!
//! One run per run directory, named from its path relative to the directory given (Lightning's
//! `NAME/version_N` keeps both parts). Where one directory holds the same data in several
//! formats, one source is taken: `trainer_state.json` (the run directory's own, else the newest
//! checkpoint's) > `metrics.csv` > stdout logs; other data files (`*.jsonl`, other `*.csv`)
//! are runs of their own. Markdown files count as stdout logs only when their content is one.

use std::path::{Path, PathBuf};

/// One file to import and the run it goes to.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub path: PathBuf,
    pub run: String,
    /// Files of the same run passed over because `path` was preferred.
    pub passed_over: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Preferred source of a run directory, best first.
    HfState,
    MetricsCsv,
    Log,
    /// A data file that is a run of its own.
    Data,
}

fn kind(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match (name.as_str(), ext) {
        ("trainer_state.json", _) => Some(Kind::HfState),
        ("metrics.csv", _) => Some(Kind::MetricsCsv),
        (_, "jsonl" | "ndjson" | "csv" | "tsv") => Some(Kind::Data),
        ("metrics.json", _) => Some(Kind::Data),
        (_, "log" | "txt" | "out") => Some(Kind::Log),
        // Notes that hold a console log (`run_notes.md`); other Markdown is documentation.
        (_, "md" | "markdown") => holds_a_log(path).then_some(Kind::Log),
        _ => None,
    }
}

/// Whether the start of a file reads as a training log rather than prose.
fn holds_a_log(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| {
        f.take(crate::ingest::detect::HEAD_LEN as u64)
            .read_to_end(&mut head)
    });
    read.is_ok() && crate::ingest::detect::looks_like_log(&head)
}

/// File stems that say nothing about the run; a file with one is named after its directory.
fn generic_stem(stem: &str) -> bool {
    let s = stem.to_ascii_lowercase();
    s.starts_with("events.out.tfevents")
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
        )
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
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
    if parts.is_empty() {
        parts.push(dir_name(dir));
    }
    // Lightning's NAME/version_N keeps both parts.
    if parts.len() == 1 && parts[0].starts_with("version_") {
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

/// The run name for a file given on its own: its directory's name, joined with the file's stem
/// when the stem says something (`runs/exp1.jsonl` → `runs/exp1`).
pub fn file_run_name(path: &Path) -> String {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = run_name(dir, dir);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() || generic_stem(&stem) {
        base
    } else {
        format!("{base}/{stem}")
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > 32 {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() && !hidden && name != "__pycache__" && name != "node_modules" {
            walk(&e.path(), files, depth + 1)?;
        } else if ft.is_file() && !hidden {
            files.push(e.path());
        }
    }
    Ok(())
}

/// The checkpoint number of a `checkpoint-N` directory.
fn checkpoint(dir: &Path) -> Option<u64> {
    file_name(dir).strip_prefix("checkpoint-")?.parse().ok()
}

/// The sources of a directory, in a stable order.
pub fn directory(root: &Path) -> std::io::Result<Vec<Source>> {
    let mut files = Vec::new();
    walk(root, &mut files, 0)?;
    // Group candidate files by run directory.
    let mut groups: std::collections::BTreeMap<PathBuf, Vec<(Kind, PathBuf)>> = Default::default();
    for f in files {
        let Some(k) = kind(&f) else { continue };
        let mut dir = f.parent().unwrap_or(root).to_path_buf();
        if k == Kind::HfState && checkpoint(&dir).is_some() {
            dir = dir.parent().unwrap_or(root).to_path_buf();
        }
        groups.entry(dir).or_default().push((k, f));
    }
    let mut out = Vec::new();
    for (dir, mut cands) in groups {
        // Best source first; among trainer states, the run directory's own, then the newest
        // checkpoint.
        cands.sort_by_key(|(k, p)| {
            let ck = p.parent().and_then(checkpoint).map_or(u64::MAX, |n| n);
            (*k, std::cmp::Reverse(ck))
        });
        let name = run_name(root, &dir);
        let primary = cands.iter().position(|(k, _)| *k != Kind::Data);
        let mut passed = Vec::new();
        if let Some(i) = primary {
            let (pk, path) = cands[i].clone();
            for (k, p) in &cands {
                if *k != Kind::Data && *p != path && (pk != Kind::Log || *k != Kind::Log) {
                    passed.push(p.clone());
                }
            }
            let logs_alone = pk == Kind::Log;
            out.push(Source {
                path: path.clone(),
                run: if logs_alone && cands.iter().filter(|(k, _)| *k == Kind::Log).count() > 1 {
                    named_file(&name, &path)
                } else {
                    name.clone()
                },
                passed_over: passed,
            });
            if logs_alone {
                // Several stdout logs and nothing structured: each log is a run.
                for (k, p) in &cands {
                    if *k == Kind::Log && *p != path {
                        out.push(Source {
                            path: p.clone(),
                            run: named_file(&name, p),
                            passed_over: vec![],
                        });
                    }
                }
            }
        }
        let data: Vec<_> = cands.iter().filter(|(k, _)| *k == Kind::Data).collect();
        for (_, p) in &data {
            let alone = primary.is_none() && data.len() == 1;
            out.push(Source {
                path: p.clone(),
                run: if alone {
                    name.clone()
                } else {
                    named_file(&name, p)
                },
                passed_over: vec![],
            });
        }
    }
    Ok(out)
}

fn named_file(run: &str, path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{run}/{stem}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_paths() {
        let root = Path::new("/x/logs");
        assert_eq!(
            run_name(root, Path::new("/x/logs/mnist/version_0")),
            "mnist/version_0"
        );
        assert_eq!(
            run_name(root, Path::new("/x/logs/version_3")),
            "logs/version_3"
        );
        assert_eq!(run_name(root, Path::new("/x/logs")), "logs");
        let v = Path::new("/a/lightning_logs/version_3");
        assert_eq!(run_name(v, v), "lightning_logs/version_3");
        assert_eq!(file_run_name(Path::new("/r/exp/metrics.csv")), "exp");
        assert_eq!(file_run_name(Path::new("/r/runs/exp1.jsonl")), "runs/exp1");
        assert_eq!(
            file_run_name(Path::new("/r/digits/version_0/metrics.csv")),
            "digits/version_0"
        );
    }
}
