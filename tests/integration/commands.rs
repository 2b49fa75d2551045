//! runs, show, rm, rename, log; run references; the library logger.

use crate::util::{on_both, pairs};

on_both! {
    fn log_from_a_shell_script_then_show(env) {
        env.ok(&["log", "--run", "sh", "--step", "1", "loss=0.5", "acc=0.7"]);
        env.ok(&["log", "--run", "sh", "--step", "2", "loss=0.4", "acc=nan"]);
        let show = env.show("sh");
        assert_eq!(show["run"], "sh");
        let loss = &show["metrics"][1];
        assert_eq!(loss["metric"], "loss");
        assert_eq!(loss["points"], 2);
        assert_eq!(loss["first_step"], 1);
        assert_eq!(loss["last_step"], 2);
        assert_eq!(loss["last"], 0.4);
        assert_eq!(show["metrics"][0]["non_finite"], 1);
        assert_eq!(show["metrics"][0]["last"], "NaN");
        let text = env.ok(&["show", "sh"]);
        assert!(text.contains("METRIC") && text.contains("loss"), "{text}");
    }
}

on_both! {
    fn log_rejects_what_is_not_a_number(env) {
        let out = env
            .cmd()
            .args(["log", "--run", "sh", "--step", "1", "loss=abc"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("'abc' is not a number"));
    }
}

on_both! {
    fn run_references_prefix_latest_and_errors_listing_candidates(env) {
        for name in ["alpha-1", "alpha-2", "beta"] {
            env.ok(&["log", "--run", name, "--step", "0", "x=1"]);
        }
        assert_eq!(env.show("beta")["run"], "beta");
        assert_eq!(env.show("b")["run"], "beta");
        assert_eq!(env.show("@latest")["run"], "beta");
        assert_eq!(env.show("@latest~2")["run"], "alpha-1");
        let out = env.cmd().args(["show", "alpha"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("'alpha-1', 'alpha-2'"), "{err}");
        let out = env.cmd().args(["show", "gamma"]).output().unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("runs: 'alpha-1'"));
    }
}

on_both! {
    fn rename_and_rm(env) {
        env.ok(&["log", "--run", "old", "--step", "0", "x=1"]);
        env.ok(&["log", "--run", "other", "--step", "0", "x=1"]);
        let out = env.cmd().args(["rename", "old", "other"]).output().unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
        env.ok(&["rename", "old", "new"]);
        let show = env.show("new");
        assert!(
            show["history"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["kind"] == "rename")
        );
        env.ok(&["rm", "new"]);
        let runs: serde_json::Value = serde_json::from_str(&env.ok(&["runs", "--json"])).unwrap();
        assert_eq!(runs.as_array().unwrap().len(), 1);
        assert_eq!(runs[0]["name"], "other");
        assert_eq!(runs[0]["points"], 1);
        assert!(runs[0]["created"].as_f64().unwrap() > 1.7e9);
        assert_eq!(runs[0]["source"], "log");
    }
}

on_both! {
    fn the_library_logger_writes_what_the_cli_reads(env) {
        let mut log = tracker::Logger::open(&env.db(), "lib").unwrap();
        log.log(10, &[("loss", 0.3)]).unwrap();
        log.log(20, &[("loss", 0.2)]).unwrap();
        log.flush().unwrap();
        assert_eq!(pairs(&env.series("lib", "loss")), [(10, 0.3), (20, 0.2)]);
    }
}

on_both! {
    fn bad_database_paths_say_what_to_do(env) {
        let file = env.dir.path().join("not-a-dir");
        std::fs::write(&file, "x").unwrap();
        let out = env
            .cmd()
            .env("TRACKER_DB", file.join("db.sqlite"))
            .args(["runs"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("does not exist"), "{err}");
        let garbage = env.dir.path().join("garbage.db");
        std::fs::write(&garbage, vec![7u8; 4096]).unwrap();
        let out = env
            .cmd()
            .env("TRACKER_DB", &garbage)
            .args(["runs"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a tracker database"), "{err}");
        assert_eq!(std::fs::read(&garbage).unwrap(), vec![7u8; 4096]);
    }
}

on_both! {
    fn the_readme_quick_start_runs_on_the_bundled_demo(env) {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let line = readme
            .lines()
            .find(|l| l.starts_with("cargo run --release -q -- "))
            .expect("the README's quick start runs tracker with cargo run");
        let steps: Vec<&str> = line.split(" && ").collect();
        assert!(steps.len() >= 2, "{line}");
        for step in steps {
            let args: Vec<&str> = step
                .strip_prefix("cargo run --release -q -- ")
                .expect("each step runs tracker")
                .split_whitespace()
                .collect();
            let (db, args) = args.split_at(2);
            assert_eq!(db[0], "--db", "{step}");
            let out = env
                .cmd()
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{step}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

on_both! {
    fn run_listings_agree_with_the_points_after_every_kind_of_write(env) {
        // New points, values replaced at steps already stored, NaN and infinities, a second
        // run, then a run deleted: `runs` (kept per curve) says what `show` counts point by point.
        let dir = env.dir.path();
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let a = write("a.jsonl", "{\"step\": 1, \"loss\": 0.9}\n{\"step\": 2, \"loss\": NaN}\n{\"step\": 3, \"loss\": Infinity, \"acc\": 0.5}\n");
        let b = write("b.jsonl", "{\"step\": 2, \"loss\": 0.7}\n{\"step\": 3, \"loss\": 0.6}\n{\"step\": 9, \"acc\": 0.8}\n");
        let c = write("c.jsonl", "{\"step\": 1, \"loss\": 1.0}\n");
        for (file, run) in [(&a, "r"), (&b, "r"), (&c, "gone"), (&c, "other")] {
            env.ok(&["import", "--run", run, file.to_str().unwrap()]);
        }
        env.ok(&["rm", "gone", "--yes"]);
        let runs: serde_json::Value = serde_json::from_str(&env.ok(&["runs", "--json"])).unwrap();
        let runs = runs.as_array().unwrap();
        assert_eq!(runs.len(), 2);
        for r in runs {
            let name = r["name"].as_str().unwrap();
            let show = env.show(name);
            let metrics = show["metrics"].as_array().unwrap();
            let (mut points, mut last) = (0, i64::MIN);
            for m in metrics {
                // Each curve's summary against its points, read one by one.
                let s = env.series(name, m["metric"].as_str().unwrap());
                let finite: Vec<f64> = s.values.iter().copied().filter(|v| v.is_finite()).collect();
                assert_eq!(m["points"].as_u64(), Some(s.steps.len() as u64), "{m}");
                assert_eq!(m["first_step"].as_i64(), s.steps.first().copied(), "{m}");
                assert_eq!(m["last_step"].as_i64(), s.steps.last().copied(), "{m}");
                let min = finite.iter().copied().reduce(f64::min);
                let max = finite.iter().copied().reduce(f64::max);
                assert_eq!(m["min"].as_f64(), min, "{m}");
                assert_eq!(m["max"].as_f64(), max, "{m}");
                let nf = (s.values.len() - finite.len()) as u64;
                assert_eq!(m["non_finite"].as_u64(), Some(nf), "{m}");
                points += s.steps.len() as u64;
                last = last.max(*s.steps.last().unwrap());
            }
            assert_eq!(r["points"].as_u64(), Some(points), "{name}: {r}");
            assert_eq!(r["metrics"].as_u64(), Some(metrics.len() as u64), "{name}: {r}");
            assert_eq!(r["last_step"].as_i64(), Some(last), "{name}: {r}");
        }
        // The values replaced at steps 2 and 3 changed the last value and the extremes.
        let loss = env.show("r")["metrics"].as_array().unwrap().iter().find(|m| m["metric"] == "loss").unwrap().clone();
        assert_eq!((loss["last"].as_f64(), loss["min"].as_f64(), loss["max"].as_f64()), (Some(0.6), Some(0.6), Some(0.9)), "{loss}");
        assert_eq!(loss["non_finite"].as_u64(), Some(0), "{loss}");
        let r = runs.iter().find(|r| r["name"] == "r").unwrap();
        assert_eq!((r["points"].as_u64(), r["metrics"].as_u64(), r["last_step"].as_i64()), (Some(5), Some(2), Some(9)));
    }
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    let env = crate::util::Env::new();
    let bash = env.ok(&["completions", "bash"]);
    // The script is valid bash.
    let dir = env.dir.path();
    std::fs::write(dir.join("c.bash"), &bash).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(dir.join("c.bash"))
        .status()
        .unwrap();
    assert!(check.success());
    let fish = env.ok(&["completions", "fish"]);
    let zsh = env.ok(&["completions", "zsh"]);
    let man = env.ok(&["man"]);
    assert!(
        man.starts_with(".ie") && man.contains(".TH tracker 1"),
        "{}",
        &man[..200]
    );
    for command in [
        "import", "runs", "show", "diagnose", "compare", "tail", "exec", "watch", "sync", "ui",
    ] {
        assert!(bash.contains(command), "bash: {command}");
        assert!(
            fish.contains(&format!("-a \"{command}\"")),
            "fish: {command}"
        );
        assert!(zsh.contains(&format!("'{command}:")), "zsh: {command}");
        assert!(
            man.contains(&format!("tracker\\-{command}")),
            "man: {command}"
        );
    }
    // Neither writes a database.
    assert!(!env.db().exists());
}
