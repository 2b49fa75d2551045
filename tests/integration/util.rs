//! Shared test helpers: a temporary database, the `tracker` binary, paths to fixtures.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tracker::model::Series;
use tracker::store::Store;

/// `../shared` beside the repository: real and wild logs, seeds.
pub fn shared() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(
        p.join("DECISIONS.md").exists(),
        "the tests read ../shared (real logs, seeds): put the shared folder beside the checkout"
    );
    p
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch directory with its own database.
pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("tracker.db")
    }

    /// The `tracker` binary, pointed at this database, with no colors.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin!("tracker"));
        c.env("TRACKER_DB", self.db())
            .env("NO_COLOR", "1")
            .env_remove("TRACKER_DEFS");
        c
    }

    /// Run `tracker ARGS` and require success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run tracker");
        assert!(
            out.status.success(),
            "tracker {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// The names of the runs (`tracker runs --json`), sorted.
    pub fn run_names(&self) -> Vec<String> {
        let runs: serde_json::Value =
            serde_json::from_str(&self.ok(&["runs", "--json"])).expect("runs --json is JSON");
        let mut names: Vec<String> = runs
            .as_array()
            .expect("an array of runs")
            .iter()
            .map(|r| r["name"].as_str().expect("a name").to_owned())
            .collect();
        names.sort();
        names
    }

    /// `tracker show RUN --json`.
    pub fn show(&self, run: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["show", run, "--json"])).expect("show --json is JSON")
    }

    pub fn store(&self) -> Store {
        Store::open(&self.db()).expect("open db")
    }

    pub fn series(&self, run: &str, metric: &str) -> Series {
        self.store().series(run, metric).expect("series")
    }
}

/// (step, value) pairs of a series.
pub fn pairs(s: &Series) -> Vec<(i64, f64)> {
    s.steps
        .iter()
        .copied()
        .zip(s.values.iter().copied())
        .collect()
}
