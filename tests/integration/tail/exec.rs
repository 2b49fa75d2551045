//! `tracker exec`: output passed through byte for byte, exit status propagated, metrics parsed
//! from stdout and stderr as they arrive, the run's status and command recorded.

use super::harness::{Bg, cmd, eventually, points};
use crate::util::Env;

#[test]
fn output_passes_through_unchanged_and_the_exit_status_is_the_commands() {
    let env = Env::new();
    // Colors, carriage returns of a progress bar, no final newline, bytes that are not UTF-8.
    let script = r#"printf '\033[31mred\033[0m\r 50%%\r100%%\n'; printf 'bar \342\226\210 \377' >&2; printf 'tail'; exit 7"#;
    let out = cmd(&env)
        .args(["exec", "--run", "p", "--", "sh", "-c", script])
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"\x1b[31mred\x1b[0m\r 50%\r100%\ntail");
    assert_eq!(out.stderr, b"bar \xe2\x96\x88 \xff");
    assert_eq!(out.status.code(), Some(7));
    let show = env.show("p");
    assert_eq!(show["status"], "failed");
    assert_eq!(show["params"]["exit_status"], 7);
    assert!(
        show["params"]["command"]
            .as_str()
            .unwrap()
            .starts_with("sh -c ")
    );

    let out = cmd(&env)
        .args(["exec", "--run", "k", "--", "sh", "-c", "kill -TERM $$"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(128 + 15));
    let show = env.show("k");
    assert_eq!(show["status"], "killed");
    assert_eq!(show["params"]["signal"], "SIGTERM");

    let out = cmd(&env)
        .args(["exec", "--run", "n", "--", "no-such-program-here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    assert_eq!(env.show("n")["status"], "failed");
}

#[test]
fn metrics_are_recorded_while_the_command_runs() {
    let env = Env::new();
    let go = env.dir.path().join("go");
    // JSON lines on stdout, key=value lines on stderr; then wait for the test to say go.
    let script = format!(
        "echo '{{\"step\": 1, \"loss\": 0.5}}'; echo '{{\"step\": 2, \"loss\": 0.25}}'; \
         echo 'step=1 grad_norm=3.5' >&2; \
         while [ ! -e '{}' ]; do sleep 0.02; done; echo '{{\"step\": 3, \"loss\": 0.125}}'",
        go.display()
    );
    let mut bg = Bg::spawn(&env, &["exec", "--run", "e", "--", "sh", "-c", &script]);
    eventually("points while running", Some(&bg), || points(&env, "e") == 3);
    assert_eq!(env.show("e")["status"], "running");
    std::fs::write(&go, "").unwrap();
    assert!(bg.wait().success());
    let show = env.show("e");
    assert_eq!(show["status"], "finished");
    assert_eq!(points(&env, "e"), 4);
    let kinds: Vec<&str> = show["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"start"));
    assert_eq!(kinds.last(), Some(&"finished"));
}

#[test]
fn fail_on_stops_a_diverging_command_with_status_3() {
    let env = Env::new();
    let mut lines = String::new();
    for i in 0..40 {
        lines += &format!("echo 'step={} loss={}'; ", i * 10, 2.0 * 0.93f64.powi(i));
    }
    for i in 40..60 {
        let v = 2.0 * 0.93f64.powi(39) * 1.25f64.powi(i - 39);
        lines += &format!("echo 'step={} loss={v}'; ", i * 10);
    }
    lines += "sleep 30";
    let out = cmd(&env)
        .args([
            "exec",
            "--run",
            "d",
            "--fail-on",
            "diverging",
            "--",
            "sh",
            "-c",
            &lines,
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("step 590  loss  ") && err.contains("diverging  ("),
        "{err}"
    );
    assert_eq!(env.show("d")["status"], "killed");
}
