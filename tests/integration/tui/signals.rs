//! The real binary in tmux, ended by a signal instead of `q`: the terminal must come back as
//! after a panic (out of the alternate screen, cooked, echoing), and a closed terminal must end
//! the process. These need tmux: `cargo test --test integration -- --ignored tui`.

use super::tmux::{self, Tmux};
use crate::util::Env;
use std::process::Command;
use std::time::{Duration, Instant};

/// After the UI, the shell prints its status and the terminal's echo and icanon flags, then
/// reads a line, so a test can type and see whether the terminal echoes.
fn script(env: &Env) -> String {
    format!(
        "env -u TRACKER_DEFS TRACKER_DB='{}' NO_COLOR=1 '{}' ui; echo \"EXITED $?\"; \
         echo \"STTY $(stty -a | tr ' ;' '\\n\\n' | grep -E -x -- '-?(echo|icanon)' | tr '\\n' ' ')\"; \
         printf 'TYPE: '; read line; echo \"GOT $line\"; sleep 60",
        env.db().display(),
        assert_cmd::cargo::cargo_bin!("tracker").display()
    )
}

fn env_with_a_run() -> Env {
    let env = Env::new();
    for (step, loss) in [("0", "loss=1.0"), ("1", "loss=0.7"), ("2", "loss=0.5")] {
        env.ok(&["log", "--run", "sig", "--step", step, loss]);
    }
    env
}

/// `tracker ui` in a fresh pane, drawn; returns the server and the tracker's pid.
fn ui_in_tmux(tag: &str, env: &Env) -> (Tmux, u32) {
    let tmux = Tmux::start(tag, env.dir.path(), (100, 30), &script(env));
    tmux.wait_for("Runs (1)");
    tmux.wait_for("Diagnosis");
    assert_eq!(
        tmux.pane("alternate_on"),
        "1",
        "the UI draws on the alternate screen"
    );
    let shell: u32 = tmux.pane("pane_pid").parse().expect("a pane pid");
    let pid = tmux::child_named(shell, "tracker");
    (tmux, pid)
}

fn kill(signal: &str, pid: u32) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -{signal} {pid} failed");
}

/// Send `signal` to the UI; the terminal must be restored and the status 128 + its number.
fn signal_restores_the_terminal(tag: &str, signal: &str, status: u8) {
    let env = env_with_a_run();
    let (tmux, pid) = ui_in_tmux(tag, &env);
    kill(signal, pid);
    let screen = tmux.wait_for("TYPE:");
    assert!(
        screen.contains(&format!("EXITED {status}")),
        "SIG{signal}: wrong exit status:\n{screen}"
    );
    assert_eq!(
        tmux.pane("alternate_on"),
        "0",
        "SIG{signal} left the alternate screen on:\n{screen}"
    );
    let stty = screen
        .lines()
        .find(|l| l.starts_with("STTY"))
        .unwrap_or_default();
    let flags: Vec<&str> = stty.split_whitespace().skip(1).collect();
    assert!(
        flags.contains(&"echo") && flags.contains(&"icanon"),
        "SIG{signal} left the terminal raw (want echo icanon): {stty}\n{screen}"
    );
    assert!(
        !screen.contains("Diagnosis"),
        "SIG{signal}: the UI is still on screen:\n{screen}"
    );
    // Typed text echoes, and a line is read when Enter comes (cooked mode).
    tmux.send(&["-l", "hello"]);
    tmux.wait_for("TYPE: hello");
    tmux.send(&["Enter"]);
    tmux.wait_for("GOT hello");
}

#[test]
#[ignore = "needs tmux"]
fn sigterm_restores_the_terminal() {
    assert!(
        tmux::installed(),
        "tmux is not installed (apt-get install tmux)"
    );
    signal_restores_the_terminal("sigterm", "TERM", 128 + 15);
}

#[test]
#[ignore = "needs tmux"]
fn sighup_restores_the_terminal() {
    assert!(
        tmux::installed(),
        "tmux is not installed (apt-get install tmux)"
    );
    signal_restores_the_terminal("sighup", "HUP", 128 + 1);
}

#[test]
#[ignore = "needs tmux"]
fn sigint_and_sigquit_restore_the_terminal() {
    assert!(
        tmux::installed(),
        "tmux is not installed (apt-get install tmux)"
    );
    signal_restores_the_terminal("sigint", "INT", 128 + 2);
    signal_restores_the_terminal("sigquit", "QUIT", 128 + 3);
}

/// A closed SSH session: the terminal goes away under the UI, which must end, not linger.
#[test]
#[ignore = "needs tmux"]
fn ends_when_its_terminal_closes() {
    assert!(
        tmux::installed(),
        "tmux is not installed (apt-get install tmux)"
    );
    let env = env_with_a_run();
    let (tmux, pid) = ui_in_tmux("closed", &env);
    tmux.cmd(&["kill-server"]);
    let start = Instant::now();
    while !tmux::ended(pid) {
        if start.elapsed() > Duration::from_secs(30) {
            kill("KILL", pid);
            panic!("tracker ui (pid {pid}) still ran 30 s after its terminal closed");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
