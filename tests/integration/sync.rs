//! `tracker sync`: runs pushed from a local file to another database, only what differs.

use crate::util::{Env, on_both, pairs};
use std::time::{Duration, Instant};

/// A local database beside `env`'s, with two runs (NaN and infinity among the values).
fn local(env: &Env) -> std::path::PathBuf {
    let db = env.dir.path().join("local.db");
    let log = |run: &str, step: &str, kv: &str| {
        env.ok(&[
            "--db",
            db.to_str().unwrap(),
            "log",
            "--run",
            run,
            "--step",
            step,
            kv,
        ]);
    };
    for (step, loss) in [("1", "0.9"), ("2", "0.7"), ("3", "nan"), ("4", "inf")] {
        log("a", step, &format!("loss={loss}"));
    }
    log("b", "10", "acc=0.5");
    db
}

fn sync(env: &Env, from: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec!["sync", "--from", from.to_str().unwrap(), "--to"];
    let to = env.db();
    args.push(to.to_str().unwrap());
    args.extend_from_slice(extra);
    env.ok(&args)
}

on_both! {
    fn a_second_sync_sends_nothing_and_values_arrive_as_they_were(env) {
        let from = local(env);
        // One run first, as if a sync had stopped after it; then the rest.
        let first = sync(env, &from, &["a"]);
        assert!(first.contains("a: 1 curve sent, 4 points new or changed"), "{first}");
        assert_eq!(env.run_names(), ["a"]);
        let rest = sync(env, &from, &[]);
        assert!(rest.contains("b: 1 curve sent, 1 point new or changed"), "{rest}");
        assert!(!rest.contains("a:"), "{rest}");
        let again = sync(env, &from, &[]);
        assert_eq!(again.trim(), "nothing to send: 2 runs already the same on both sides");
        let s = env.series("a", "loss");
        assert_eq!(s.steps, [1, 2, 3, 4]);
        assert_eq!(&s.values[..2], [0.9, 0.7]);
        assert!(s.values[2].is_nan() && s.values[3] == f64::INFINITY);
        assert_eq!(pairs(&env.series("b", "acc")), [(10, 0.5)]);
        let history = env.show("a")["history"].clone();
        assert_eq!(history[0]["kind"], "sync", "{history}");
        // The local file was only read.
        let local_runs = env.ok(&["--db", from.to_str().unwrap(), "runs", "--json"]);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&local_runs).unwrap().as_array().unwrap().len(), 2);
    }
}

on_both! {
    fn follow_pushes_what_a_job_writes_locally(env) {
        let from = local(env);
        /// Stopped however the test ends.
        struct Killed(std::process::Child);
        impl Drop for Killed {
            fn drop(&mut self) {
                let _ = self.0.kill();
                let _ = self.0.wait();
            }
        }
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("tracker"))
            .args(["sync", "--follow", "--from", from.to_str().unwrap(), "--to"])
            .arg(env.db())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let child = Killed(child);
        env.ok(&["--db", from.to_str().unwrap(), "log", "--run", "c", "--step", "1", "loss=0.3"]);
        let deadline = Instant::now() + Duration::from_secs(30);
        // (Until the first sync made it, the database may not exist or be half made.)
        let has_c = || {
            let out = env.cmd().args(["runs", "--json"]).output().unwrap();
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("\"c\"")
        };
        while !has_c() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        drop(child);
        assert_eq!(env.run_names(), ["a", "b", "c"]);
        assert_eq!(pairs(&env.series("c", "loss")), [(1, 0.3)]);
    }
}
