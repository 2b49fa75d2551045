//! A run directory that comes to prefer another file while `tail` follows it: the Hugging Face
//! Trainer prints `train.log` (no global steps in its lines), writes its event files, and
//! saves `checkpoint-N/trainer_state.json` later. Whatever appeared when, the run must end as
//! `tracker import` of the final directory leaves it, never with two step scales mixed.

use super::harness::{Bg, Curves, append, curves, eventually, imported};
use crate::util::{Env, real_logs};
use std::path::{Path, PathBuf};

const RUN: &str = "bert_tiny_lr5e-4";

/// The real HF run, and an empty output directory named like it to copy it into.
fn hf_run(env: &Env) -> (PathBuf, PathBuf) {
    let real = real_logs().join("hf").join(RUN);
    assert!(
        real.join("train.log").exists(),
        "{}: the real HF run is missing",
        real.display()
    );
    let out = env.dir.path().join(RUN);
    std::fs::create_dir_all(&out).unwrap();
    (real, out)
}

/// The real run's event file, copied where the Trainer writes it.
fn copy_events(real: &Path, out: &Path) {
    let runs = real.join("runs");
    let dir = std::fs::read_dir(&runs).unwrap().next().unwrap().unwrap();
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let to = out.join("runs").join(dir.file_name());
    std::fs::create_dir_all(&to).unwrap();
    std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
}

/// The real run's `trainer_state.json`, saved as a checkpoint's.
fn copy_checkpoint(real: &Path, out: &Path) {
    let to = out.join("checkpoint-500");
    std::fs::create_dir_all(&to).unwrap();
    let state = std::fs::read(real.join("trainer_state.json")).unwrap();
    // Written whole at once, as the Trainer's save does.
    std::fs::write(to.join("trainer_state.json.tmp"), state).unwrap();
    std::fs::rename(
        to.join("trainer_state.json.tmp"),
        to.join("trainer_state.json"),
    )
    .unwrap();
}

fn wait_for(env: &Env, bg: &Bg, what: &str, expected: &Curves) {
    eventually(what, Some(bg), || curves(&env.db()) == *expected);
}

fn eval_f1(c: &Curves) -> usize {
    c.get(RUN)
        .and_then(|m| m.get("eval_f1"))
        .map_or(0, Vec::len)
}

#[test]
fn a_growing_hf_log_gives_way_to_event_files_then_to_the_trainer_state() {
    let env = Env::new();
    let (real, out) = hf_run(&env);
    let log = std::fs::read_to_string(real.join("train.log")).unwrap();
    let lines: Vec<&str> = log.split_inclusive('\n').collect();
    let (first, rest) = lines.split_at(lines.len() / 3);
    std::fs::write(out.join("train.log"), first.concat()).unwrap();
    let out_s = out.to_str().unwrap();
    let bg = Bg::spawn(&env, &["tail", out_s]);
    wait_for(
        &env,
        &bg,
        "the first third of train.log",
        &imported(&env, &[out_s]),
    );
    // The job goes on printing.
    let (second, third) = rest.split_at(rest.len() / 2);
    append(&out.join("train.log"), &second.concat());
    append(&out.join("train.log"), &third.concat());
    let log_only = imported(&env, &[out_s]);
    wait_for(&env, &bg, "all of train.log", &log_only);
    // Event files are preferred to a console log.
    copy_events(&real, &out);
    let events = imported(&env, &[out_s]);
    assert_ne!(events, log_only);
    wait_for(&env, &bg, "the event file instead of train.log", &events);
    // And a trainer_state.json to both.
    copy_checkpoint(&real, &out);
    let expected = imported(&env, &[out_s]);
    assert_eq!(eval_f1(&expected), 21, "{:?}", expected[RUN].keys());
    wait_for(&env, &bg, "the trainer state instead", &expected);
    assert!(bg.stop().success());
    let live = curves(&env.db());
    assert_eq!(eval_f1(&live), 21);
    assert_eq!(live, expected);
    assert!(
        super::bg_said(&env, "is read instead"),
        "the switch is told on stderr"
    );
}

#[test]
fn a_trainer_state_saved_while_tail_was_stopped_replaces_the_log_it_had_read() {
    let env = Env::new();
    let (real, out) = hf_run(&env);
    let log = std::fs::read_to_string(real.join("train.log")).unwrap();
    let half = log.len() / 2;
    let cut = log[..half].rfind('\n').unwrap() + 1;
    std::fs::write(out.join("train.log"), &log[..cut]).unwrap();
    let out_s = out.to_str().unwrap();
    let tail = |env: &Env| {
        let o = env.cmd().args(["tail", "--once", out_s]).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    tail(&env);
    assert_eq!(curves(&env.db()), imported(&env, &[out_s]));
    append(&out.join("train.log"), &log[cut..]);
    copy_checkpoint(&real, &out);
    tail(&env);
    let live = curves(&env.db());
    assert_eq!(eval_f1(&live), 21);
    assert_eq!(live, imported(&env, &[out_s]));
}

/// `tail out/train.log`: the log is read on its own, and once a trainer_state.json is saved
/// beside it, on that file's steps, as `import out/train.log` reads it.
#[test]
fn a_log_named_alone_takes_the_steps_of_a_trainer_state_saved_later() {
    let env = Env::new();
    let (real, out) = hf_run(&env);
    let log = std::fs::read_to_string(real.join("train.log")).unwrap();
    let cut = log[..log.len() / 2].rfind('\n').unwrap() + 1;
    let file = out.join("train.log");
    let file_s = file.to_str().unwrap();
    std::fs::write(&file, &log[..cut]).unwrap();
    let bg = Bg::spawn(&env, &["tail", file_s]);
    wait_for(&env, &bg, "half of train.log", &imported(&env, &[file_s]));
    append(&file, &log[cut..]);
    let estimated = imported(&env, &[file_s]);
    wait_for(&env, &bg, "all of train.log", &estimated);
    copy_checkpoint(&real, &out);
    let expected = imported(&env, &[file_s]);
    assert_ne!(expected, estimated, "the trainer state gives other steps");
    assert_eq!(eval_f1(&expected), 21);
    wait_for(&env, &bg, "the trainer state's steps", &expected);
    assert!(bg.stop().success());
    assert_eq!(curves(&env.db()), expected);
    // Started again, it resumes: its position was saved against the same trainer state.
    let o = env.cmd().args(["tail", "--once", file_s]).output().unwrap();
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(said.contains("resuming at byte"), "{said}");
    assert_eq!(curves(&env.db()), expected);
}

/// A trainer_state.json saved while `tail out/train.log` was stopped: the position it stored
/// holds the log's own steps, so the log is read again on the trainer state's.
#[test]
fn a_log_resumed_after_its_trainer_state_appeared_is_read_again_on_its_steps() {
    let env = Env::new();
    let (real, out) = hf_run(&env);
    let log = std::fs::read_to_string(real.join("train.log")).unwrap();
    let cut = log[..log.len() / 2].rfind('\n').unwrap() + 1;
    let file = out.join("train.log");
    let file_s = file.to_str().unwrap();
    std::fs::write(&file, &log[..cut]).unwrap();
    let once = || {
        let o = env.cmd().args(["tail", "--once", file_s]).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    once();
    append(&file, &log[cut..]);
    copy_checkpoint(&real, &out);
    once();
    let live = curves(&env.db());
    assert_eq!(eval_f1(&live), 21);
    assert_eq!(live, imported(&env, &[file_s]));
}

/// The Trainer saves `checkpoint-250/`, then `checkpoint-500/` (whose state holds all of the
/// first one's history and more), then deletes the older one (`save_total_limit`).
#[test]
fn a_newer_checkpoint_replaces_the_older_one_which_is_then_deleted() {
    let env = Env::new();
    let (real, out) = hf_run(&env);
    std::fs::copy(real.join("train.log"), out.join("train.log")).unwrap();
    let state = std::fs::read(real.join("trainer_state.json")).unwrap();
    let mut early: serde_json::Value = serde_json::from_slice(&state).unwrap();
    let history = early["log_history"].as_array_mut().unwrap();
    history.truncate(history.len() / 2);
    let older = out.join("checkpoint-250");
    std::fs::create_dir_all(&older).unwrap();
    std::fs::write(older.join("trainer_state.json"), early.to_string()).unwrap();
    let out_s = out.to_str().unwrap();
    let bg = Bg::spawn(&env, &["tail", out_s]);
    wait_for(&env, &bg, "checkpoint-250", &imported(&env, &[out_s]));
    copy_checkpoint(&real, &out);
    let expected = imported(&env, &[out_s]);
    wait_for(&env, &bg, "checkpoint-500 instead", &expected);
    std::fs::remove_dir_all(&older).unwrap();
    assert_eq!(imported(&env, &[out_s]), expected);
    assert!(bg.stop().success());
    let live = curves(&env.db());
    assert_eq!(eval_f1(&live), 21);
    assert_eq!(live, expected);
}
