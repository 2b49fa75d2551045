//! `tracker tail` as a child process while the test writes the files: append, a partial line,
//! truncation, rotation, new files in a watched directory, paths created later, kill -9 and
//! restart. Each ends by requiring the database to hold what a one-shot `tracker import` of the
//! final files gives. Waits poll with a deadline, never a fixed sleep.

mod exec;
mod exec_survives;
mod exec_terminal;
pub mod harness;
mod preferred;
mod trouble;
mod watch;

use crate::util::{Env, on_both};
use harness::{Bg, append, cmd, curves, eventually, imported, points};
use std::io::Write;
use std::path::Path;
use std::process::Stdio;

fn jsonl(steps: impl IntoIterator<Item = i64>, scale: f64) -> String {
    steps
        .into_iter()
        .map(|s| {
            format!(
                "{{\"step\": {s}, \"loss\": {}}}\n",
                scale / (s as f64 + 1.0)
            )
        })
        .collect()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

on_both! {
    fn appended_lines_and_a_partial_line_then_the_rest(env) {
        let file = env.dir.path().join("exp/m.jsonl");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        append(&file, &jsonl(0..3, 1.0));
        let bg = Bg::spawn(env, &["tail", s(&file)]);
        eventually("3 points", Some(&bg), || points(env, "exp/m") == 3);
        append(&file, "{\"step\": 3, \"lo");
        // The partial line is read (the stored size reaches the end) but not committed.
        let len = std::fs::metadata(&file).unwrap().len();
        let key = s(&file).to_owned();
        eventually("the partial line read", Some(&bg), || {
            env.store()
                .source_position(&key)
                .unwrap()
                .is_some_and(|p| p.size == len)
        });
        let pos = env.store().source_position(&key).unwrap().unwrap();
        assert!(pos.offset < pos.size, "{pos:?}");
        assert_eq!(points(env, "exp/m"), 3);
        append(&file, "ss\": 0.125}\n");
        append(&file, &jsonl(4..6, 1.0));
        eventually("6 points", Some(&bg), || points(env, "exp/m") == 6);
        assert!(bg.stop().success());
        assert_eq!(curves(&env.db()), imported(env, &[s(&file)]));
        // Stopping recorded the work in the run's history.
        let show = env.show("exp/m");
        assert_eq!(show["history"][0]["kind"], "tail", "{show}");
    }
}

on_both! {
    fn a_truncated_file_is_read_again_from_the_start(env) {
        let file = env.dir.path().join("t.jsonl");
        append(&file, &jsonl(0..10, 1.0));
        let bg = Bg::spawn(env, &["tail", s(&file), "--run", "t"]);
        eventually("10 points", Some(&bg), || points(env, "t") == 10);
        // The job restarts and rewrites its log: shorter first, then longer than before.
        std::fs::write(&file, jsonl(0..3, 2.0)).unwrap();
        let two = 2.0f64.to_bits();
        eventually("the new first value", Some(&bg), || {
            curves(&env.db())["t"]["loss"][0].1 == two
        });
        append(&file, &jsonl(3..15, 2.0));
        eventually("15 points", Some(&bg), || points(env, "t") == 15);
        eventually("the new values", Some(&bg), || {
            curves(&env.db()) == imported(env, &[s(&file), "--run", "t"])
        });
        assert!(bg.stop().success());
        assert!(bg_said(env, "truncated") || bg_said(env, "rewritten"));
    }
}

/// Whether any background tracker of this test said `what`.
fn bg_said(env: &Env, what: &str) -> bool {
    std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("bg-"))
        .any(|e| std::fs::read_to_string(e.path()).unwrap().contains(what))
}

on_both! {
    fn a_rotated_file_is_finished_then_the_new_one_read_from_the_start(env) {
        let file = env.dir.path().join("r.jsonl");
        let old = env.dir.path().join("r.jsonl.1");
        append(&file, &jsonl(0..5, 1.0));
        let bg = Bg::spawn(env, &["tail", s(&file), "--run", "r"]);
        eventually("5 points", Some(&bg), || points(env, "r") == 5);
        std::fs::rename(&file, &old).unwrap();
        // The job writes one more line to the file it has open, then opens the new one, which
        // grows past the old offset at once.
        append(&old, &jsonl(5..6, 1.0));
        append(&file, &jsonl(100..130, 1.0));
        eventually("36 points", Some(&bg), || points(env, "r") == 36);
        assert!(bg.stop().success());
        let mut expected = imported(env, &[s(&old), "--run", "r"]);
        let new = imported(env, &[s(&file), "--run", "r"]);
        let loss = expected.get_mut("r").unwrap().get_mut("loss").unwrap();
        loss.extend(new["r"]["loss"].iter().copied());
        assert_eq!(curves(&env.db()), expected);
    }
}

on_both! {
    fn new_run_directories_and_paths_created_later_are_followed(env) {
        let root = env.dir.path().join("lightning_logs");
        let later = env.dir.path().join("later/exp/m.jsonl");
        let bg = Bg::spawn(env, &["tail", s(&root), s(&later)]);
        let v0 = root.join("version_0");
        std::fs::create_dir_all(&v0).unwrap();
        append(
            &v0.join("metrics.csv"),
            "epoch,step,train_loss\n0,9,0.9\n0,19,0.8\n",
        );
        eventually("version_0", Some(&bg), || {
            points(env, "lightning_logs/version_0") == 4
        });
        let v1 = root.join("version_1");
        std::fs::create_dir_all(&v1).unwrap();
        append(&v1.join("metrics.csv"), "epoch,step,train_loss\n0,9,0.7\n");
        append(&v0.join("metrics.csv"), "1,29,0.6\n");
        std::fs::create_dir_all(later.parent().unwrap()).unwrap();
        append(&later, &jsonl(0..4, 1.0));
        eventually("version_1", Some(&bg), || {
            points(env, "lightning_logs/version_1") == 2
        });
        eventually("the later file", Some(&bg), || points(env, "exp/m") == 4);
        eventually("version_0's new row", Some(&bg), || {
            points(env, "lightning_logs/version_0") == 6
        });
        assert!(bg.stop().success());
        let mut expected = imported(env, &[s(&root)]);
        expected.extend(imported(env, &[s(&later)]));
        assert_eq!(curves(&env.db()), expected);
    }
}

fn hf_line(i: u32) -> String {
    let loss = 2.0 / f64::from(i);
    format!(
        "{{'loss': {loss}, 'learning_rate': 5e-05, 'epoch': {}}}\n",
        f64::from(i) / 10.0
    )
}

#[test]
fn killed_with_sigkill_then_restarted_it_resumes_exactly() {
    // A Trainer console log (steps counted from its lines) and a CSV (read by its header):
    // resuming must go on counting and know the header, without reading anything twice.
    let env = Env::new();
    let log = env.dir.path().join("hf/train.log");
    let csv = env.dir.path().join("csv/metrics.csv");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    std::fs::create_dir_all(csv.parent().unwrap()).unwrap();
    append(&log, "***** Running training *****\n");
    append(&log, &(1..=5).map(hf_line).collect::<String>());
    append(&csv, "step,acc\n1,0.5\n2,0.6\n");
    let bg = Bg::spawn(&env, &["tail", s(&log), s(&csv)]);
    eventually("both files", Some(&bg), || {
        points(&env, "hf") == 15 && points(&env, "csv") == 2
    });
    bg.kill9();
    append(&log, &(6..=8).map(hf_line).collect::<String>());
    append(&log, "{'loss': 0.2");
    append(&csv, "3,0.7\n");
    let bg = Bg::spawn(&env, &["tail", s(&log), s(&csv)]);
    eventually("the new lines", Some(&bg), || {
        points(&env, "hf") == 24 && points(&env, "csv") == 3
    });
    append(&log, "2, 'learning_rate': 5e-05, 'epoch': 0.9}\n");
    append(&csv, "4,0.8\n");
    eventually("the completed line", Some(&bg), || {
        points(&env, "hf") == 27 && points(&env, "csv") == 4
    });
    assert!(bg.stderr().contains("resuming at byte"), "{}", bg.stderr());
    assert!(bg.stop().success());
    let mut expected = imported(&env, &[s(&log)]);
    expected.extend(imported(&env, &[s(&csv)]));
    assert_eq!(curves(&env.db()), expected);
}

on_both! {
    fn once_reads_what_is_there_and_stdin_is_read_until_it_ends(env) {
        let file = env.dir.path().join("o.jsonl");
        let mut text = jsonl(0..5, 1.0);
        text.pop(); // no newline after the last line: the file is complete, as import reads it
        append(&file, &text);
        let out = cmd(env)
            .args(["tail", "--once", s(&file), "--run", "o"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(curves(&env.db()), imported(env, &[s(&file), "--run", "o"]));
        // Again: nothing changes, nothing is read twice.
        let out = cmd(env)
            .args(["tail", "--once", s(&file), "--run", "o"])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("(0 points new or changed)"));

        let mut child = cmd(env)
            .args(["tail", "-", "--run", "piped"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(b"step=1 loss=0.5\nstep=2 loss=0.25\n")
            .unwrap();
        eventually("piped lines", None, || points(env, "piped") == 2);
        drop(stdin);
        assert!(child.wait().unwrap().success());
        let missing = cmd(env).args(["tail", "-"]).output().unwrap();
        assert_eq!(missing.status.code(), Some(1));
    }
}

on_both! {
    fn poll_mode_follows_too_and_watch_prints_the_current_verdict(env) {
        let file = env.dir.path().join("p.jsonl");
        append(&file, &jsonl(0..2, 1.0));
        let bg = Bg::spawn(env, &["tail", "--poll", s(&file), "--run", "p"]);
        eventually("2 points", Some(&bg), || points(env, "p") == 2);
        append(&file, &jsonl(2..4, 1.0));
        eventually("4 points", Some(&bg), || points(env, "p") == 4);
        assert!(bg.stop().success());
        // Started again over a run with points, --watch first prints its verdicts; --once stops.
        let out = cmd(env)
            .args(["tail", "--once", "--watch", s(&file), "--run", "p"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with("step 3  loss  insufficient_data  ("),
            "{stdout}"
        );
    }
}

#[test]
fn event_files_are_followed_record_by_record_and_resumed_after_kill_9() {
    use tracker::ingest::tfevents::write::EventWriter;
    // A TF2 writer: the scalars plugin is named only on a tag's first value, so a resumed
    // reader must have replayed the first records to know the later ones are scalars.
    let env = Env::new();
    let root = env.dir.path().join("tb");
    let dir = root.join("exp1");
    std::fs::create_dir_all(&dir).unwrap();
    let mut w = EventWriter::new(100.0);
    for step in 0..20 {
        let v = 1.0 / (step as f32 + 1.0);
        w.tensor_scalar("loss", step, v, 100.0 + step as f64, step == 0);
    }
    let bytes = w.into_bytes();
    let file = dir.join("events.out.tfevents.100.host.1.0");
    let (a, rest) = bytes.split_at(bytes.len() / 3);
    let (b, c) = rest.split_at(rest.len() / 2);
    std::fs::write(&file, a).unwrap();
    let bg = Bg::spawn(&env, &["tail", s(&root)]);
    eventually("the first records", Some(&bg), || points(&env, "exp1") > 0);
    bg.kill9();
    append_bytes(&file, b);
    let bg = Bg::spawn(&env, &["tail", s(&root)]);
    append_bytes(&file, c);
    eventually("every record", Some(&bg), || points(&env, "exp1") == 20);
    assert!(bg.stderr().contains("resuming at byte"), "{}", bg.stderr());
    assert!(bg.stop().success());
    assert_eq!(curves(&env.db()), imported(&env, &[s(&root)]));
}

fn append_bytes(path: &Path, bytes: &[u8]) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(bytes).unwrap();
}

#[test]
fn processes_opening_a_new_database_at_once_all_succeed() {
    // Recorders starting at once: each creates the database. SQLite answers the switch to
    // WAL with "database is locked" at once, without waiting: it must be retried.
    let env = Env::new();
    for round in 0..15 {
        let db = env.dir.path().join(format!("race-{round}.db"));
        let children: Vec<_> = (0..4)
            .map(|_| {
                cmd(&env)
                    .env("TRACKER_DB", &db)
                    .args(["log", "--run", "r", "--step", "1", "x=1"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "round {round}: {err}");
        }
    }
}
