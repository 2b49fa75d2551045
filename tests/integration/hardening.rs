//! Regression tests for defects found by trying `tracker` as a new user would: each drives the
//! binary the way a user does.

use crate::util::{Env, pairs};
use std::path::PathBuf;

impl Env {
    /// Write `text` to `name` in the scratch directory; returns its path.
    pub fn file(&self, name: &str, text: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, text).unwrap();
        p
    }

    /// `tracker import --run RUN PATH`; returns stderr.
    pub fn import_as(&self, run: &str, path: &std::path::Path) -> String {
        let out = self
            .cmd()
            .args(["import", "--run", run])
            .arg(path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        err
    }

    fn history_kinds(&self, run: &str) -> Vec<String> {
        self.show(run)["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[test]
fn fractional_epochs_keep_every_value_in_jsonl_and_csv() {
    let env = Env::new();
    let jsonl = env.file(
        "e.jsonl",
        b"{\"epoch\":0.5,\"loss\":1}\n{\"epoch\":1.0,\"loss\":2}\n\
          {\"epoch\":1.5,\"loss\":3}\n{\"epoch\":2.0,\"loss\":4}\n",
    );
    let csv = env.file("e.csv", b"epoch,loss\n0.5,1\n1.0,2\n1.5,3\n2.0,4\n");
    for (run, path) in [("j", jsonl), ("c", csv)] {
        let err = env.import_as(run, &path);
        assert!(!err.contains("restart"), "{err}");
        let loss = pairs(&env.series(run, "loss"));
        assert_eq!(
            loss.iter().map(|p| p.1).collect::<Vec<_>>(),
            [1.0, 2.0, 3.0, 4.0]
        );
        let epoch = env.series(run, "epoch").values;
        assert_eq!(epoch, [0.5, 1.0, 1.5, 2.0]);
        assert!(!env.history_kinds(run).contains(&"restart".to_owned()));
    }
}

#[test]
fn a_line_without_the_files_step_field_never_overwrites_a_value() {
    let env = Env::new();
    let path = env.file(
        "s.jsonl",
        b"{\"step\":10,\"loss\":1}\n{\"loss\":0.9}\n{\"step\":20,\"loss\":0.8}\n",
    );
    let err = env.import_as("s", &path);
    assert!(
        err.contains("s.jsonl:2:") && err.contains("step 10"),
        "{err}"
    );
    assert_eq!(pairs(&env.series("s", "loss")), [(10, 1.0), (20, 0.8)]);
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_name_or_line() {
    let env = Env::new();
    let csv = env.file("b.csv", b"\xef\xbb\xbfstep,loss\n1,0.5\n2,0.4\n");
    let jsonl = env.file(
        "b.jsonl",
        b"\xef\xbb\xbf{\"step\":1,\"loss\":0.5}\n{\"step\":2,\"loss\":0.4}\n",
    );
    // Without an extension the format is detected from the content, after the mark.
    let bare = env.file(
        "b.log",
        b"\xef\xbb\xbf{\"step\":1,\"loss\":0.5}\n{\"step\":2,\"loss\":0.4}\n",
    );
    for (run, path) in [("c", csv), ("j", jsonl), ("l", bare)] {
        let err = env.import_as(run, &path);
        assert!(!err.contains("skipped"), "{err}");
        assert_eq!(pairs(&env.series(run, "loss")), [(1, 0.5), (2, 0.4)]);
        let names: Vec<String> = env.show(run)["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["metric"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names, ["loss"], "{run}");
    }
    let state = env.file(
        "hf/trainer_state.json",
        b"\xef\xbb\xbf{\"log_history\": [{\"step\": 5, \"loss\": 1.5}]}",
    );
    env.import_as("h", &state);
    assert_eq!(pairs(&env.series("h", "loss")), [(5, 1.5)]);
}

#[test]
fn reimporting_a_restarted_tensorboard_run_changes_nothing_and_names_the_restarting_file() {
    use tracker::ingest::tfevents::write::EventWriter;
    let env = Env::new();
    let run_dir = env.dir.path().join("logdir/exp");
    std::fs::create_dir_all(&run_dir).unwrap();
    // The job was restarted: its second file (later wall time) logs again from step 400.
    let mut first = EventWriter::new(200.0);
    for s in 0..=5 {
        first.scalar("eval/f1", s * 100, 0.5, 200.0 + s as f64);
    }
    let mut second = EventWriter::new(300.0);
    for s in 4..=7 {
        second.scalar("eval/f1", s * 100, 0.75, 300.0 + s as f64);
    }
    let second_name = "events.out.tfevents.900.h.2";
    std::fs::write(
        run_dir.join("events.out.tfevents.200.h.1"),
        first.into_bytes(),
    )
    .unwrap();
    std::fs::write(run_dir.join(second_name), second.into_bytes()).unwrap();
    let import = || {
        let out = env.cmd().arg("import").arg(&run_dir).output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = import();
    assert!(err.contains("8 points new or changed"), "{err}");
    let once = env.show("exp")["history"].as_array().unwrap().clone();
    let restarts: Vec<_> = once.iter().filter(|e| e["kind"] == "restart").collect();
    assert_eq!(restarts.len(), 1, "{once:?}");
    let source = restarts[0]["source"].as_str().unwrap();
    assert!(source.ends_with(second_name), "{source}");
    let err = import();
    assert!(err.contains("0 points new or changed"), "{err}");
    assert!(!err.contains("restart"), "{err}");
    assert_eq!(env.show("exp")["history"].as_array().unwrap(), &once);
    assert_eq!(
        pairs(&env.series("exp", "eval/f1"))[3..5],
        [(300, 0.5), (400, 0.75)]
    );
}

#[test]
fn a_run_is_named_the_same_however_its_path_is_spelled() {
    let env = Env::new();
    let root = env.dir.path();
    let version = env.file(
        "exp/lightning_logs/version_1/metrics.csv",
        b"step,loss\n1,0.5\n",
    );
    let version_dir = version.parent().unwrap();
    let log = b"epoch 1 loss: 0.5\nepoch 2 loss: 0.4\n";
    let alone = env.file("det/log.txt", log);
    // Two logs in one directory: each a run, named as when imported alone.
    let first = env.file("two/log.txt", log);
    let second = env.file("two/finetune.txt", log);
    // Two logs whose names say nothing: named with their stems, alone or not.
    env.file("clash/train.log", log);
    env.file("clash/log.txt", log);
    let spellings: [(&std::path::Path, &str, &str); 10] = [
        (version_dir, ".", "lightning_logs/version_1"),
        (version_dir, "metrics.csv", "lightning_logs/version_1"),
        (
            root,
            "exp/lightning_logs/version_1",
            "lightning_logs/version_1",
        ),
        (
            root,
            version_dir.to_str().unwrap(),
            "lightning_logs/version_1",
        ),
        (version_dir, "../version_1/./", "lightning_logs/version_1"),
        (root, "det", "det"),
        (root, alone.to_str().unwrap(), "det"),
        (root, first.to_str().unwrap(), "two"),
        (root, second.to_str().unwrap(), "two/finetune"),
        (root, "clash/log.txt", "clash/log"),
    ];
    for (cwd, path, run) in spellings {
        let out = env
            .cmd()
            .current_dir(cwd)
            .args(["import", path])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("→ run {run}:")), "{path}: {err}");
    }
    let out = env
        .cmd()
        .current_dir(root)
        .args(["import", "two", "clash"])
        .output();
    let err = String::from_utf8_lossy(&out.unwrap().stderr).into_owned();
    assert!(err.contains("→ run two:"), "{err}");
    assert!(err.contains("→ run two/finetune:"), "{err}");
    assert!(err.contains("→ run clash/train:"), "{err}");
    assert_eq!(
        env.run_names(),
        [
            "clash/log",
            "clash/train",
            "det",
            "lightning_logs/version_1",
            "two",
            "two/finetune"
        ]
    );
}

#[test]
fn a_format_given_with_a_directory_takes_the_files_of_that_format_and_no_empty_run() {
    let real = crate::util::real_logs();
    for (format, runs) in [
        ("hf-log", &["hf/bert_tiny_lr5e-4"][..]),
        ("csv", &["lightning/digits_sgd_lr0.05/version_0"]),
        (
            "tfevents",
            &[
                "hf/bert_tiny_lr5e-4",
                "lightning/digits_sgd_lr0.05/version_0",
            ],
        ),
        ("jsonl", &[]),
    ] {
        let env = Env::new();
        let out = env
            .cmd()
            .args(["import", "--format", format])
            .arg(&real)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.contains("no metrics found"), "{format}: {err}");
        assert_eq!(env.run_names(), runs, "{format}: {err}");
        for run in runs {
            assert!(!env.show(run)["metrics"].as_array().unwrap().is_empty());
        }
        if runs.is_empty() {
            assert!(err.contains("no jsonl files found"), "{err}");
        }
    }
}

#[test]
fn jsonl_on_standard_input_naming_its_runs_needs_no_run_name() {
    let env = Env::new();
    let import = |args: &[&str], input: &str| {
        let out = env
            .cmd()
            .arg("import")
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let named = "{\"run\":\"a\",\"step\":1,\"loss\":1}\n{\"run\":\"b\",\"step\":1,\"loss\":2}\n";
    let (code, err) = import(&["-"], named);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(env.run_names(), ["a", "b"]);
    // A --run that no line needs is said to be unused.
    let (code, err) = import(&["--run", "x", "-"], named);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("--run x was not used"), "{err}");
    // A line without a run of its own needs --run, and nothing of the input is stored.
    let (code, err) = import(
        &["-"],
        "{\"run\":\"c\",\"step\":1,\"loss\":1}\n{\"step\":1,\"loss\":2}\n",
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("add --run NAME"), "{err}");
    assert_eq!(env.run_names(), ["a", "b"]);
}

#[test]
fn a_gate_on_a_metric_a_run_lacks_fails_and_names_the_run() {
    let env = Env::new();
    let base = env.file(
        "a.jsonl",
        b"{\"step\":1,\"val_f1\":0.5}\n{\"step\":2,\"val_f1\":0.6}\n",
    );
    let none = env.file(
        "b.jsonl",
        b"{\"step\":1,\"loss\":0.5}\n{\"step\":2,\"loss\":0.4}\n",
    );
    let nan = env.file(
        "c.jsonl",
        b"{\"step\":1,\"val_f1\":NaN}\n{\"step\":2,\"val_f1\":NaN}\n",
    );
    env.import_as("a", &base);
    env.import_as("b", &none);
    env.import_as("c", &nan);
    let gate = |runs: &[&str]| {
        let out = env
            .cmd()
            .arg("compare")
            .args(runs)
            .args(["--fail-if-worse", "val_f1"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), err)
    };
    let (code, err) = gate(&["a", "b"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("run 'b' never logged it"), "{err}");
    let (code, err) = gate(&["a", "c"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("run 'c' has no finite value"), "{err}");
    let (code, err) = gate(&["b", "a"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains("run 'b' never logged it (the baseline)"),
        "{err}"
    );
}

#[test]
fn rm_deletes_exact_names_only_and_globs_with_yes() {
    let env = Env::new();
    let log = env.file("l.jsonl", b"{\"step\":1,\"loss\":1}\n");
    for run in ["lr0.1", "lr0.2", "sweep/a", "sweep/b"] {
        env.import_as(run, &log);
    }
    let rm = |args: &[&str]| {
        let out = env.cmd().arg("rm").args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), err)
    };
    for refused in [&["l"][..], &["@latest"], &["sweep/*"], &["lr0.1", "nope"]] {
        let (code, err) = rm(refused);
        assert_eq!(code, Some(1), "{refused:?}: {err}");
    }
    assert!(rm(&["l"]).1.contains("did you mean 'lr0.1', 'lr0.2'"));
    assert!(rm(&["sweep/*"]).1.contains("add --yes"));
    assert_eq!(
        env.run_names().len(),
        4,
        "nothing is deleted by a refused rm"
    );
    assert_eq!(rm(&["lr0.1"]).0, Some(0));
    assert_eq!(rm(&["sweep/*", "--yes"]).0, Some(0));
    assert_eq!(env.run_names(), ["lr0.2"]);
}

#[test]
fn a_run_name_is_refused_where_rename_refuses_it() {
    let env = Env::new();
    let log = env.file("l.jsonl", b"{\"step\":1,\"loss\":1}\n");
    for bad in ["", " ", "@latest", "a\nb"] {
        let import = env.cmd().args(["import", "--run", bad]).arg(&log).output();
        let out = import.unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let logged = env
            .cmd()
            .args(["log", "--run", bad, "--step", "1", "loss=1"])
            .output();
        assert_eq!(logged.unwrap().status.code(), Some(2), "{bad:?}");
        let exec = env
            .cmd()
            .args(["exec", "--run", bad, "--", "true"])
            .output();
        assert_eq!(exec.unwrap().status.code(), Some(2), "{bad:?}");
    }
    env.import_as("ok", &log);
    for bad in ["", "@latest", "a\nb"] {
        let out = env.cmd().args(["rename", "ok", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
    }
    assert_eq!(env.run_names(), ["ok"]);
}

#[test]
fn read_only_commands_create_nothing_and_leave_other_databases_untouched() {
    let env = Env::new();
    let other = env.dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE notes(text); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    drop(conn);
    let before = std::fs::read(&other).unwrap();
    let typo = env.dir.path().join("typo/dir/t.db");
    for db in [&other, &typo] {
        for args in [
            &["runs"][..],
            &["show", "x"],
            &["diagnose", "x"],
            &["compare", "x", "y"],
            &["watch", "x"],
        ] {
            let out = env.cmd().arg("--db").arg(db).args(args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(err.contains(&db.display().to_string()), "{err}");
        }
    }
    assert_eq!(std::fs::read(&other).unwrap(), before);
    assert!(!env.dir.path().join("typo").exists());
    // A tracker database is read, and reading does not change it.
    let log = env.file(
        "l.jsonl",
        b"{\"step\":1,\"loss\":1}\n{\"step\":2,\"loss\":0.5}\n",
    );
    env.import_as("r", &log);
    let db = std::fs::read(env.db()).unwrap();
    env.ok(&["runs"]);
    env.ok(&["show", "r"]);
    env.ok(&["diagnose", "r"]);
    assert_eq!(std::fs::read(env.db()).unwrap(), db);
}

#[test]
#[ignore = "needs root: mounts a read-only file system"]
fn a_database_on_a_read_only_file_system_is_read() {
    let env = Env::new();
    let log = env.file(
        "l.jsonl",
        b"{\"step\":1,\"loss\":1}\n{\"step\":2,\"loss\":0.5}\n",
    );
    env.import_as("r", &log);
    let mnt = env.dir.path().join("ro");
    std::fs::create_dir(&mnt).unwrap();
    let sh = |script: &str| {
        let ok = std::process::Command::new("sh")
            .args(["-c", script])
            .status()
            .unwrap();
        assert!(ok.success(), "{script}");
    };
    let (m, db) = (mnt.display(), env.db());
    sh(&format!(
        "mount -t tmpfs tmpfs {m} && cp {} {m}/t.db && mount -o remount,ro {m}",
        db.display()
    ));
    let out = env
        .cmd()
        .arg("--db")
        .arg(mnt.join("t.db"))
        .args(["show", "r"])
        .output();
    let out = out.unwrap();
    sh(&format!("umount {m}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("loss"), "{text}");
}

#[test]
fn consecutive_logging_into_a_run_is_one_history_entry() {
    let env = Env::new();
    for step in 0..5 {
        env.ok(&[
            "log",
            "--run",
            "r",
            "--step",
            &step.to_string(),
            "loss=1",
            "acc=0.5",
        ]);
    }
    {
        let mut log = tracker::Logger::open(&env.db(), "r").unwrap();
        for step in 5..20_000 {
            log.log(step, &[("loss", 1.0 / step as f64)]).unwrap();
        }
    }
    let history = env.show("r")["history"].as_array().unwrap().clone();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["kind"], "log");
    assert_eq!(history[0]["points"], 10 + 19_995);
    assert_eq!(
        (history[0]["step"].clone(), history[0]["last_step"].clone()),
        (0.into(), 19_999.into())
    );
    assert_eq!(
        env.series("r", "loss").values.len(),
        20_000,
        "the logger flushes when dropped"
    );
    // Something else in between starts a new entry.
    let file = env.file("more.jsonl", b"{\"step\":30000,\"loss\":0.1}\n");
    env.import_as("r", &file);
    env.ok(&["log", "--run", "r", "--step", "30001", "loss=0.1"]);
    let kinds = env.history_kinds("r");
    assert_eq!(kinds, ["log", "import", "log"]);
    let shown = env.ok(&["show", "r"]);
    assert!(
        shown.contains("20005 points new or changed, steps 0…19999"),
        "{shown}"
    );
}

#[test]
fn compare_at_a_time_takes_the_last_value_before_it_and_relative_best_steps_are_relative() {
    let env = Env::new();
    let t0 = 1_700_000_000.0;
    let lines = |first_step: i64, every: f64, f1: &[f64]| {
        let text: String = f1
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let (step, t) = (first_step + i as i64 * 10, t0 + i as f64 * every);
                format!("{{\"step\":{step},\"time\":{t},\"val_f1\":{v}}}\n")
            })
            .collect();
        text.into_bytes()
    };
    let a = env.file("a.jsonl", &lines(0, 50.0, &[0.5, 0.6, 0.7, 0.65]));
    let b = env.file("b.jsonl", &lines(1000, 70.0, &[0.4, 0.5, 0.8, 0.7]));
    env.import_as("a", &a);
    env.import_as("b", &b);
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["compare", "a", "b", "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&env.ok(&all)).unwrap()
    };
    // At 120 s: a logged at 0, 50, 100 (0.7); b at 0, 70 (0.5).
    let c = json(&["--by", "time", "--at", "120"]);
    let f1 = &c["metrics"][0]["runs"];
    assert_eq!(
        (f1[0]["at"].as_f64(), f1[1]["at"].as_f64()),
        (Some(0.7), Some(0.5)),
        "{c}"
    );
    // Past a run's end there is no value, and the message speaks of time.
    let out = env
        .cmd()
        .args(["compare", "a", "b", "--by", "time", "--at", "190"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("at or before 190 s"), "{err}");
    let c = json(&["--by", "relative"]);
    let f1 = &c["metrics"][0]["runs"];
    assert_eq!(
        (f1[0]["best_step"].as_i64(), f1[1]["best_step"].as_i64()),
        (Some(20), Some(20)),
        "{c}"
    );
}

#[test]
fn small_things_a_new_user_meets() {
    let env = Env::new();
    // A metric name holding a newline stays on its row of the table, escaped.
    let log = env.file(
        "n.jsonl",
        b"{\"step\":1,\"a\\nb\":1}\n{\"step\":2,\"a\\nb\":2}\n",
    );
    env.import_as("n", &log);
    let shown = env.ok(&["show", "n"]);
    assert!(shown.contains("a\\nb "), "{shown}");
    assert!(!shown.contains("a\nb"), "{shown}");
    // A binary file: a few dozen skipped lines, then a count.
    let junk: Vec<u8> = (0..20_000u32)
        .flat_map(|i| [(i % 251) as u8, b'\n'])
        .collect();
    let bin = env.file("junk.log", &junk);
    let out = env
        .cmd()
        .args(["import", "--format", "jsonl"])
        .arg(&bin)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let lines = err.lines().filter(|l| l.contains("junk.log:")).count();
    assert!(lines <= 31, "{lines} lines: {err}");
    assert!(err.contains("more lines skipped"), "{err}");
    // A broken hparams.yaml is said, not silently dropped.
    env.file("hp/hparams.yaml", b"lr: [0.1\n");
    let csv = env.file("hp/metrics.csv", b"step,loss\n1,0.5\n");
    let out = env.cmd().arg("import").arg(&csv).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("hparams.yaml") && err.contains("params left out"),
        "{err}"
    );
    // An empty definitions directory says so.
    let defs = env.dir.path().join("defs");
    std::fs::create_dir(&defs).unwrap();
    let out = env
        .cmd()
        .arg("--defs")
        .arg(&defs)
        .args(["defs", "list"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("holds no definitions"), "{err}");
}

#[test]
fn an_older_database_is_refused_by_readers_until_migrated() {
    let env = Env::new();
    // As the first tracker left it: its schema, and one run.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(include_str!("../../src/store/sql/0001_init.sql"))
        .unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 1;
         INSERT INTO runs(name, created, source) VALUES ('r', 1.7e9, 'old');",
    )
    .unwrap();
    drop(conn);
    let out = env.cmd().arg("runs").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("tracker migrate"), "{err}");
    env.ok(&["migrate"]);
    assert_eq!(env.run_names(), ["r"]);
}

#[test]
fn a_database_from_before_the_curves_table_gets_it_filled_from_its_points() {
    let env = Env::new();
    // Schema 7, as the tracker before per-curve listings left it, with points already in it.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    for sql in [
        include_str!("../../src/store/sql/0001_init.sql"),
        include_str!("../../src/store/sql/0002_sources.sql"),
        include_str!("../../src/store/sql/0003_writers.sql"),
        include_str!("../../src/store/sql/0004_history_extent.sql"),
        include_str!("../../src/store/sql/0005_origins.sql"),
        include_str!("../../src/store/sql/0006_source_reading.sql"),
        include_str!("../../src/store/sql/0007_restart_per_place.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(
        "PRAGMA user_version = 7;
         INSERT INTO runs(id, name, created, source) VALUES (1, 'r', 1.7e9, 'old');
         INSERT INTO metrics(id, name) VALUES (1, 'loss'), (2, 'acc');
         INSERT INTO points(run_id, metric_id, step, value) VALUES
             (1, 1, 1, 0.9), (1, 1, 2, 'NaN'), (1, 1, 3, 0.5), (1, 2, 5, 0.7);",
    )
    .unwrap();
    drop(conn);
    env.ok(&["migrate"]);
    let show = env.show("r");
    let loss = &show["metrics"][1];
    assert_eq!(loss["metric"], "loss");
    assert_eq!(
        (loss["points"].as_u64(), loss["last_step"].as_i64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        (loss["min"].as_f64(), loss["max"].as_f64()),
        (Some(0.5), Some(0.9))
    );
    assert_eq!(loss["non_finite"].as_u64(), Some(1));
    let runs: serde_json::Value = serde_json::from_str(&env.ok(&["runs", "--json"])).unwrap();
    assert_eq!(runs[0]["points"], 4);
    assert_eq!(runs[0]["last_step"], 5);
}
