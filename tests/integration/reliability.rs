//! Reliability: imports killed at random moments, readers and writers at the same time, full
//! and read-only disks, databases from a newer tracker. Nothing stored is ever lost, nothing
//! is stored twice, and every failure says what to do.

use crate::util::{Env, pairs};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tracker() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("tracker"));
    c.env("NO_COLOR", "1").env_remove("TRACKER_DEFS");
    c
}

/// A JSONL log of `lines` steps × 10 metrics.
fn big_log(path: &Path, lines: usize, seed: u64) {
    let mut s = String::with_capacity(lines * 200);
    let mut x = seed;
    for step in 0..lines {
        s.push_str(&format!("{{\"step\": {step}"));
        for m in 0..10 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let v = (x >> 11) as f64 / (1u64 << 53) as f64;
            s.push_str(&format!(", \"m{m}\": {v}"));
        }
        s.push_str("}\n");
    }
    std::fs::write(path, s).unwrap();
}

/// One curve: run, metric, and its (step, value bits).
type Curve = (String, String, Vec<(i64, u64)>);

/// Every metric of every run, point by point.
fn contents(db: &Path) -> Vec<Curve> {
    let store = tracker::store::Store::open(db).unwrap();
    let mut out = Vec::new();
    for run in store.run_names().unwrap() {
        for m in store.metric_names(&run).unwrap() {
            let s = store.series(&run, &m).unwrap();
            let pts = pairs(&s)
                .into_iter()
                .map(|(a, b)| (a, b.to_bits()))
                .collect();
            out.push((run.clone(), m, pts));
        }
    }
    out
}

fn integrity_ok(db: &Path) -> bool {
    let c = rusqlite::Connection::open(db).unwrap();
    let r: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    r == "ok"
}

/// A small deterministic generator for kill times.
struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn an_import_killed_50_times_loses_nothing_and_stores_nothing_twice() {
    let env = Env::new();
    let log = env.dir.path().join("train.jsonl");
    big_log(&log, 6_000, 1);
    let reference = env.dir.path().join("ref.db");
    let start = Instant::now();
    let ok = tracker()
        .args(["--db", reference.to_str().unwrap(), "import", "--run", "r"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(ok.status.success());
    let full = start.elapsed().as_millis() as u64;
    let db = env.dir.path().join("killed.db");
    let mut rng = Lcg(2026);
    let (mut kills, mut mid) = (0, 0);
    for _ in 0..50 {
        let mut child = tracker()
            .args(["--db", db.to_str().unwrap(), "import", "--run", "r"])
            .arg(&log)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.below(full + full / 4)));
        if child.try_wait().unwrap().is_none() {
            mid += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        assert!(integrity_ok(&db), "database damaged after kill {kills}");
    }
    let last = tracker()
        .args(["--db", db.to_str().unwrap(), "import", "--run", "r"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    let (a, b) = (contents(&reference), contents(&db));
    let points: usize = a.iter().map(|c| c.2.len()).sum();
    assert_eq!(points, 60_000);
    assert!(
        a == b,
        "the killed-and-resumed database differs from a clean import"
    );
    println!(
        "kills survived: {kills} ({mid} in the middle of the import); points compared: {points}"
    );
}

#[test]
fn readers_and_a_second_writer_never_see_a_locked_database() {
    let env = Env::new();
    let db = env.db();
    for (run, seed) in [("a", 3), ("b", 4)] {
        let f = env.dir.path().join(format!("{run}.jsonl"));
        big_log(&f, 500, seed);
        env.ok(&["import", "--run", run, f.to_str().unwrap()]);
    }
    let (x, y) = (
        env.dir.path().join("x.jsonl"),
        env.dir.path().join("y.jsonl"),
    );
    big_log(&x, 20_000, 5);
    big_log(&y, 20_000, 6);
    let spawn = |run: &str, f: &PathBuf| {
        tracker()
            .args(["--db", db.to_str().unwrap(), "import", "--run", run])
            .arg(f)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (mut w1, mut w2) = (spawn("x", &x), spawn("y", &y));
    let mut reads = 0;
    let readers: [&[&str]; 4] = [
        &["runs", "--json"],
        &["diagnose", "a", "--json"],
        &["compare", "a", "b", "--json"],
        &["show", "b", "--json"],
    ];
    while w1.try_wait().unwrap().is_none() || w2.try_wait().unwrap().is_none() {
        let args = readers[reads % readers.len()];
        let out = tracker()
            .args(["--db", db.to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && !err.contains("locked"),
            "{args:?}: {err}"
        );
        reads += 1;
    }
    for w in [&mut w1, &mut w2] {
        assert!(w.wait().unwrap().success());
    }
    let store = env.store();
    for run in ["x", "y"] {
        assert_eq!(store.series(run, "m0").unwrap().len(), 20_000);
    }
    println!("reads while two imports wrote: {reads}");
}

/// A small tmpfs, when this machine lets the tests mount one (root in a VM or CI runner): the
/// tests that need it are `#[ignore = "needs root: ..."]`, run by `.ci/run`.
pub struct Tmpfs(pub PathBuf);
impl Tmpfs {
    pub fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let p = dir.join("mnt");
        std::fs::create_dir_all(&p).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&p)
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
        Some(Tmpfs(p))
    }
    fn remount_read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success())
    }
}
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
#[ignore = "needs root: mounts a 600 kB tmpfs and fills it"]
fn a_full_disk_is_a_clear_error_and_the_stored_data_is_intact() {
    let env = Env::new();
    let fs = Tmpfs::mount(env.dir.path(), "600k").expect("mounting a tmpfs needs root");
    let db = fs.0.join("t.db");
    let small = env.dir.path().join("small.jsonl");
    big_log(&small, 200, 7);
    let run = |run: &str, f: &Path| {
        tracker()
            .args(["--db", db.to_str().unwrap(), "import", "--run", run])
            .arg(f)
            .output()
            .unwrap()
    };
    assert!(run("kept", &small).status.success());
    let before = contents(&db);
    let big = env.dir.path().join("big.jsonl");
    big_log(&big, 20_000, 8);
    let out = run("big", &big);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("full") && err.contains("free some space"),
        "{err}"
    );
    let after = contents(&db);
    assert!(after.iter().filter(|c| c.0 == "kept").eq(before.iter()));
    assert!(integrity_ok(&db));
}

#[test]
#[ignore = "needs root: mounts a tmpfs and remounts it read-only"]
fn a_read_only_database_is_a_clear_error() {
    let env = Env::new();
    let fs = Tmpfs::mount(env.dir.path(), "4m").expect("mounting a tmpfs needs root");
    let db = fs.0.join("t.db");
    let f = env.dir.path().join("f.jsonl");
    big_log(&f, 50, 9);
    let args = |run: &str| {
        let mut a = vec!["--db".to_string(), db.display().to_string()];
        a.extend(["import", "--run", run].map(String::from));
        a.push(f.display().to_string());
        a
    };
    assert!(tracker().args(args("a")).output().unwrap().status.success());
    assert!(fs.remount_read_only());
    let out = tracker().args(args("b")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot be written") || err.contains("pass --db"),
        "{err}"
    );
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let env = Env::new();
    env.ok(&["log", "--run", "r", "--step", "1", "x=1"]);
    {
        let c = rusqlite::Connection::open(env.db()).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let bytes = std::fs::read(env.db()).unwrap();
    let out = env.cmd().args(["runs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("newer tracker") && err.contains("upgrade"),
        "{err}"
    );
    assert!(
        std::fs::read(env.db()).unwrap() == bytes,
        "the database file was changed"
    );
}

#[test]
fn a_database_in_a_directory_that_does_not_exist_yet_is_created() {
    let env = Env::new();
    let db = env.dir.path().join("a/b/c/t.db");
    let out = tracker()
        .args([
            "--db",
            db.to_str().unwrap(),
            "log",
            "--run",
            "r",
            "--step",
            "0",
            "x=1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(db.exists());
}

#[test]
fn tail_killed_50_times_while_files_grow_loses_nothing_and_a_second_tail_writes_beside_it() {
    use crate::tail::harness::{Bg, append, curves, imported};
    let env = Env::new();
    let dir = env.dir.path().join("logs");
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b, c) = (dir.join("a.jsonl"), dir.join("b.csv"), dir.join("c.jsonl"));
    append(&b, "step,acc,loss\n");
    // The job: appends lines in small pieces (often cutting a line in two) until done.
    let writer = {
        let (a, b, c) = (a.clone(), b.clone(), c.clone());
        std::thread::spawn(move || {
            let mut rng = Lcg(77);
            let mut pending = [String::new(), String::new(), String::new()];
            for step in 0..1500 {
                pending[0].push_str(&format!(
                    "{{\"step\": {step}, \"loss\": {}}}\n",
                    1.0 / f64::from(step + 1)
                ));
                pending[1].push_str(&format!(
                    "{step},{},{}\n",
                    f64::from(step) / 1500.0,
                    2.0 - f64::from(step) / 1000.0
                ));
                pending[2].push_str(&format!("{{\"step\": {step}, \"x\": {step}}}\n"));
                if step % 25 == 24 {
                    for (text, path) in pending.iter_mut().zip([&a, &b, &c]) {
                        let cut = rng.below(text.len() as u64) as usize;
                        let cut = (0..=cut)
                            .rev()
                            .find(|&i| text.is_char_boundary(i))
                            .unwrap_or(0);
                        append(path, &text[..cut]);
                        text.drain(..cut);
                    }
                    std::thread::sleep(Duration::from_millis(20 + rng.below(80)));
                }
            }
            for (text, path) in pending.iter().zip([&a, &b, &c]) {
                append(path, text);
            }
        })
    };
    let (sa, sb, sc) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        c.to_str().unwrap(),
    );
    // A second tail, never killed, writes another run into the same database throughout.
    let other = Bg::spawn(&env, &["tail", sc]);
    let mut rng = Lcg(99);
    let (mut kills, mut while_growing) = (0, 0);
    while kills < 50 {
        if !writer.is_finished() {
            while_growing += 1;
        }
        let bg = Bg::spawn(&env, &["tail", sa, sb]);
        std::thread::sleep(Duration::from_millis(20 + rng.below(120)));
        bg.kill9();
        kills += 1;
    }
    writer.join().unwrap();
    let done = tracker()
        .args(["--db", env.db().to_str().unwrap(), "tail", "--once", sa, sb])
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let want_c = imported(&env, &[sc]);
    crate::tail::harness::eventually("the second tail to catch up", Some(&other), || {
        curves(&env.db()).get("logs/c") == want_c.get("logs/c")
    });
    assert!(other.stop().success());
    let mut want = imported(&env, &[sa, sb]);
    want.extend(want_c);
    let got = curves(&env.db());
    let points: usize = got.values().flat_map(|m| m.values()).map(Vec::len).sum();
    assert!(
        got == want,
        "the database differs from a one-shot import of the final files"
    );
    assert!(integrity_ok(&env.db()));
    println!(
        "tail kills survived: {kills} ({while_growing} while the files grew); points compared: {points}"
    );
}
