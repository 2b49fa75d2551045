//! Running `tracker` in the background while a test writes files, and comparing databases.

use crate::util::Env;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tracker::store::Store;

/// Longest wait for anything; a loaded 2-core machine needs far less.
const DEADLINE: Duration = Duration::from_secs(20);

/// A `tracker` child process, killed if the test fails.
pub struct Bg {
    child: Child,
    pub log: PathBuf,
}

impl Bg {
    /// Start `tracker ARGS` on `env`'s database; stderr goes to a file (shown on failure).
    pub fn spawn(env: &Env, args: &[&str]) -> Bg {
        let mut c = cmd(env);
        c.args(args).stdin(Stdio::null()).stdout(Stdio::null());
        Bg::start(env, c)
    }

    /// Start `c` (made by [`cmd`]) with its stderr going to a file.
    pub fn start(env: &Env, mut c: Command) -> Bg {
        let log = env.dir.path().join(format!("bg-{}.log", unique()));
        let child = c
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start tracker");
        Bg { child, log }
    }

    /// Whether it is still running.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Its standard input, if piped.
    pub fn stdin(&mut self) -> Option<std::process::ChildStdin> {
        self.child.stdin.take()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, and its exit status.
    pub fn stop(mut self) -> ExitStatus {
        signal(&self.child, nix::sys::signal::Signal::SIGTERM);
        self.wait()
    }

    pub fn wait(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "tracker did not exit:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `kill -9`: no chance to flush anything.
    pub fn kill9(mut self) {
        signal(&self.child, nix::sys::signal::Signal::SIGKILL);
        self.child.wait().unwrap();
    }
}

impl Drop for Bg {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn signal(child: &Child, s: nix::sys::signal::Signal) {
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let _ = nix::sys::signal::kill(pid, s);
}

/// The `tracker` binary on `env`'s database, as a plain `std::process::Command`.
pub fn cmd(env: &Env) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("tracker"));
    c.env("TRACKER_DB", env.db())
        .env("NO_COLOR", "1")
        .env_remove("TRACKER_DEFS")
        .current_dir(env.dir.path());
    c
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A write lock on a database, held until dropped (another writer waits its busy timeout,
/// then fails with "database is locked").
pub struct Lock(rusqlite::Connection);

impl Lock {
    pub fn take(db: &Path) -> Lock {
        let c = rusqlite::Connection::open(db).unwrap();
        c.execute_batch("BEGIN IMMEDIATE").unwrap();
        Lock(c)
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}

/// How many times `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Wait until `f` holds.
pub fn eventually(what: &str, bg: Option<&Bg>, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < DEADLINE,
            "timed out waiting for {what}; tracker said:\n{}",
            bg.map(Bg::stderr).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(15));
    }
}

/// Every curve of every run: run → metric → (step, value bits).
pub type Curves = BTreeMap<String, BTreeMap<String, Vec<(i64, u64)>>>;

pub fn curves(db: &Path) -> Curves {
    let Ok(store) = Store::open(db) else {
        return Curves::new();
    };
    let mut all = Curves::new();
    for run in store.runs().unwrap() {
        let metrics = all.entry(run.name.clone()).or_default();
        for m in store.metric_names(&run.name).unwrap() {
            let s = store.series(&run.name, &m).unwrap();
            let pts = s
                .steps
                .iter()
                .zip(&s.values)
                .map(|(a, v)| (*a, v.to_bits()));
            metrics.insert(m, pts.collect());
        }
    }
    all
}

/// Number of points stored in `run`, all metrics together.
pub fn points(env: &Env, run: &str) -> usize {
    curves(&env.db())
        .get(run)
        .map_or(0, |m| m.values().map(Vec::len).sum())
}

/// What `tracker import ARGS` of the same files puts in a fresh database.
pub fn imported(env: &Env, args: &[&str]) -> Curves {
    let fresh = env.dir.path().join(format!("import-{}.db", unique()));
    let out = cmd(env)
        .env("TRACKER_DB", &fresh)
        .arg("import")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    curves(&fresh)
}

pub fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}
