//! Shared test helpers: a temporary database, the `tracker` binary, paths to fixtures.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tracker::model::Series;
use tracker::store::Store;

/// Our own training runs (`tests/fixtures/real-logs`): files real frameworks wrote, kept byte
/// for byte (see its README).
pub fn real_logs() -> PathBuf {
    fixture("real-logs")
}

/// The folder of logs we do not redistribute: `$TRACKER_SHARED/wild-logs` when
/// `TRACKER_SHARED` is set, else `../shared/wild-logs` beside the checkout (where CI puts it).
pub fn wild_logs() -> PathBuf {
    let shared = match std::env::var_os("TRACKER_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    shared.join("wild-logs")
}

/// Whether the test `test` must stop because [`wild_logs`] is not there. It then says so on
/// one line of the real standard error (the test harness shows it, unlike `eprintln!`), or
/// panics under `TRACKER_REQUIRE_SHARED=1` (as `.ci/run` sets), so nothing passes unchecked.
pub fn wild_logs_missing(test: &str) -> bool {
    use std::io::Write;
    if wild_logs().is_dir() {
        return false;
    }
    assert!(
        std::env::var_os("TRACKER_REQUIRE_SHARED").is_none_or(|v| v.is_empty() || v == "0"),
        "{test}: {} is not there, and TRACKER_REQUIRE_SHARED is set",
        wild_logs().display()
    );
    let line = match std::env::var_os("TRACKER_SHARED") {
        None => format!("skipped: {test}: ../shared/wild-logs is not beside the checkout\n"),
        Some(_) => format!("skipped: {test}: {} is not there\n", wild_logs().display()),
    };
    let _ = std::io::stderr().write_all(line.as_bytes());
    true
}

/// The path of the enclosing function below the crate (`wild::w01_whisper_trainer_state`).
macro_rules! test_name {
    () => {{
        fn f() {}
        fn name_of<T>(_: T) -> &'static str {
            std::any::type_name::<T>()
        }
        let name = name_of(f);
        let name = name.strip_suffix("::f").unwrap_or(name);
        name.split_once("::").map_or(name, |(_, rest)| rest)
    }};
}
pub(crate) use test_name;

/// The first statement of a test over the wild logs: returns from the test, after one
/// `skipped:` line, when they are not there (see [`wild_logs_missing`]).
macro_rules! needs_wild_logs {
    () => {
        if $crate::util::wild_logs_missing($crate::util::test_name!()) {
            return;
        }
    };
}
pub(crate) use needs_wild_logs;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A scratch directory with its own database: a SQLite file in it, or a fresh database on
/// the PostgreSQL server of `TRACKER_TEST_PG` ([`Env::postgres`]), dropped afterwards.
pub struct Env {
    pub dir: TempDir,
    db: PathBuf,
    /// The server's URL (without a database) and the database made for this test.
    server: Option<(String, String)>,
}

/// The server tests may use: `TRACKER_TEST_PG`, a URL without a database
/// (`postgres://USER@HOST:PORT`), as `.ci/run` sets it.
fn test_server() -> Option<String> {
    std::env::var("TRACKER_TEST_PG")
        .ok()
        .filter(|v| !v.is_empty())
        .map(|v| v.trim_end_matches('/').to_owned())
}

/// A connection to the server's maintenance database.
fn admin(server: &str) -> postgres::Client {
    postgres::Client::connect(&format!("{server}/postgres"), postgres::NoTls)
        .expect("connect to TRACKER_TEST_PG")
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("tracker.db");
        Env {
            dir,
            db,
            server: None,
        }
    }

    /// An environment whose database is a new, empty database on the test server; `None`,
    /// after one `skipped:` line, when there is none (a panic under `TRACKER_REQUIRE_PG=1`, as
    /// `.ci/run` sets, so nothing passes unchecked).
    pub fn postgres(test: &str) -> Option<Env> {
        use std::io::Write;
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let Some(server) = test_server() else {
            assert!(
                std::env::var_os("TRACKER_REQUIRE_PG").is_none_or(|v| v.is_empty() || v == "0"),
                "{test}: TRACKER_TEST_PG is not set, and TRACKER_REQUIRE_PG is"
            );
            let line = format!("skipped: {test}: no PostgreSQL server (set TRACKER_TEST_PG)\n");
            let _ = std::io::stderr().write_all(line.as_bytes());
            return None;
        };
        let name = format!(
            "tracker_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = admin(&server);
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop an old test database");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        let mut env = Env::new();
        env.db = PathBuf::from(format!("{server}/{name}"));
        env.server = Some((server, name));
        Some(env)
    }

    /// The server's URL (without a database) and this test's database on it.
    pub fn server(&self) -> Option<(&str, &str)> {
        self.server.as_ref().map(|(s, n)| (s.as_str(), n.as_str()))
    }

    /// The database: a file's path, or a server's URL.
    pub fn db(&self) -> PathBuf {
        self.db.clone()
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

    /// The names of a run's metrics, as `show --json` lists them.
    pub fn metric_names(&self, run: &str) -> Vec<String> {
        let show = self.show(run);
        let metrics = show["metrics"].as_array().expect("a list of metrics");
        metrics
            .iter()
            .map(|m| m["metric"].as_str().expect("a metric name").to_owned())
            .collect()
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

impl Drop for Env {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.server {
            let _ = admin(server)
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// A test written once and run on both engines: `NAME::sqlite` always, `NAME::postgres`
/// (ignored by a plain `cargo test`) on the server of `TRACKER_TEST_PG`.
macro_rules! on_both {
    ($(#[$meta:meta])* fn $name:ident($env:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($env: &$crate::util::Env) $body

            #[test]
            fn sqlite() {
                body(&$crate::util::Env::new());
            }

            #[test]
            #[ignore = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG"]
            fn postgres() {
                if let Some(env) = $crate::util::Env::postgres(module_path!()) {
                    body(&env);
                }
            }
        }
    };
}
pub(crate) use on_both;

/// (step, value) pairs of a series.
pub fn pairs(s: &Series) -> Vec<(i64, f64)> {
    s.steps
        .iter()
        .copied()
        .zip(s.values.iter().copied())
        .collect()
}

/// Copy a file or a directory tree (symbolic links kept as links).
pub fn copy_dir(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::copy(from, to).expect("copy a file");
        return;
    }
    std::fs::create_dir_all(to).expect("make a directory");
    for e in std::fs::read_dir(from).expect("list a directory") {
        let e = e.expect("a directory entry");
        let (p, t) = (e.path(), to.join(e.file_name()));
        if e.file_type().expect("a file type").is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&p).expect("a link"), &t)
                .expect("make a link");
        } else {
            copy_dir(&p, &t);
        }
    }
}

/// Every file under `dir` with its bytes, in path order: two equal snapshots mean nothing
/// was created, removed or changed.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list a directory") {
            let p = e.expect("a directory entry").path();
            match p.is_dir() {
                true => stack.push(p),
                false => out.push((p.clone(), std::fs::read(&p).expect("read a file"))),
            }
        }
    }
    out.sort();
    out
}
