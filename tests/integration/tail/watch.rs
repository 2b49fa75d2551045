//! `tracker watch RUN`: the current verdicts first, then a line per change; `--fail-on` exits
//! with status 3 at the first curve that gets one of its verdicts.

use super::harness::{append, cmd, eventually};
use crate::util::Env;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};

#[test]
fn a_loss_that_starts_diverging_is_reported_and_fails_the_watch() {
    let env = Env::new();
    let healthy: String = (0..40)
        .map(|i| {
            format!(
                "{{\"step\": {}, \"loss\": {}}}\n",
                i * 10,
                2.0 * 0.93f64.powi(i)
            )
        })
        .collect();
    let file = env.dir.path().join("w.jsonl");
    append(&file, &healthy);
    env.ok(&["import", "--run", "w", file.to_str().unwrap()]);
    let mut child = cmd(&env)
        .args(["watch", "w", "--fail-on", "diverging"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let out = child.stdout.take().unwrap();
    let sink = lines.clone();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines() {
            sink.lock().unwrap().push(l.unwrap());
        }
    });
    eventually("the current verdict", None, || {
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("step 390  loss  healthy  ("))
    });
    // Another process writes the run: the loss turns and climbs.
    let div: String = (40..60)
        .map(|i| {
            let v = 2.0 * 0.93f64.powi(39) * 1.25f64.powi(i - 39);
            format!("{{\"step\": {}, \"loss\": {v}}}\n", i * 10)
        })
        .collect();
    let more = env.dir.path().join("more.jsonl");
    append(&more, &div);
    env.ok(&["import", "--run", "w", more.to_str().unwrap()]);
    eventually("watch to exit", None, || {
        child.try_wait().unwrap().is_some()
    });
    assert_eq!(child.wait().unwrap().code(), Some(3));
    let lines = lines.lock().unwrap();
    let change = lines.iter().find(|l| l.contains("healthy → diverging"));
    let change = change.unwrap_or_else(|| panic!("{lines:?}"));
    assert!(
        change.starts_with("step 590  loss  healthy → diverging  ("),
        "{change}"
    );
    assert!(change.contains("its best"), "{change}");
}

#[test]
fn tail_fail_on_exits_3_for_a_diverging_file() {
    let env = Env::new();
    let lines: String = (0..60)
        .map(|i| {
            let v = if i < 40 {
                2.0 * 0.93f64.powi(i)
            } else {
                2.0 * 0.93f64.powi(39) * 1.25f64.powi(i - 39)
            };
            format!("{{\"step\": {}, \"loss\": {v}}}\n", i * 10)
        })
        .collect();
    let file = env.dir.path().join("d.jsonl");
    append(&file, &lines);
    let out = cmd(&env)
        .args([
            "tail",
            "--once",
            "--fail-on",
            "diverging",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("step 590  loss  diverging  ("), "{stdout}");
}
