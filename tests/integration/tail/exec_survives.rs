//! `tracker exec` never takes the job down: killed with SIGKILL, the job runs on with its
//! output and the run reads `stalled`, then everything is recorded when the job ends; a
//! database locked past the busy timeout is ridden out; on a terminal the job gets one (a
//! pseudo-terminal) and its bytes pass unchanged; `nohup` keeps working.

use super::harness::{Bg, Lock, cmd, count, eventually, points};
use crate::util::Env;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

fn status(env: &Env, run: &str) -> String {
    env.show(run)["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |s| s.lines().count())
}

/// Shell code that waits for `file` to exist.
fn wait_for(file: &Path) -> String {
    format!("while [ ! -e '{}' ]; do sleep 0.02; done", file.display())
}

#[test]
fn killing_exec_leaves_the_job_running_and_the_run_stalled_then_recorded() {
    let env = Env::new();
    let go = env.dir.path().join("go");
    let out = env.dir.path().join("out.txt");
    // A point every 20 ms until the test says go, then three more.
    let script = format!(
        "i=0; while [ ! -e '{}' ]; do echo \"step=$i loss=0.5\"; i=$((i+1)); sleep 0.02; done; \
         for j in 1 2 3; do echo \"step=$((i+j)) loss=0.25\"; done",
        go.display()
    );
    let mut c = cmd(&env);
    c.args(["exec", "--run", "k", "--", "sh", "-c", &script])
        .env("TMPDIR", env.dir.path())
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap());
    let bg = Bg::start(&env, c);
    eventually("points while running", Some(&bg), || points(&env, "k") >= 5);
    assert_eq!(status(&env, "k"), "running");

    bg.kill9();
    eventually("the run to read stalled", None, || {
        status(&env, "k") == "stalled"
    });
    // watch ends instead of waiting forever.
    let mut watch = Bg::spawn(&env, &["watch", "k"]);
    assert!(watch.wait().success());
    assert!(
        watch.stderr().contains("run 'k' stalled"),
        "{}",
        watch.stderr()
    );
    // The job goes on printing, its output still passed through.
    let before = lines(&out);
    eventually("the job to go on", None, || lines(&out) > before + 10);

    std::fs::write(&go, "").unwrap();
    eventually("the end recorded", None, || status(&env, "k") == "finished");
    let printed = lines(&out);
    assert_eq!(
        points(&env, "k"),
        printed,
        "every line the job printed is recorded"
    );
    let show = env.show("k");
    assert_eq!(show["params"]["exit_status"], 0);
    // The spool is gone once everything is recorded.
    let left: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("tracker-exec-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn exec_rides_out_a_lock_held_past_the_busy_timeout() {
    let env = Env::new();
    let (locked, go) = (env.dir.path().join("locked"), env.dir.path().join("go"));
    let out = env.dir.path().join("out.txt");
    let script = format!(
        "echo 'step=0 loss=1'; {}; for i in 1 2 3 4 5; do echo \"step=$i loss=0.5\"; done; {}; \
         echo 'step=6 loss=0.25'",
        wait_for(&locked),
        wait_for(&go)
    );
    let mut c = cmd(&env);
    c.args(["exec", "--run", "l", "--", "sh", "-c", &script])
        .env("TRACKER_BUSY_TIMEOUT", "0.2")
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap());
    let mut bg = Bg::start(&env, c);
    eventually("the first point", Some(&bg), || points(&env, "l") == 1);

    let lock = Lock::take(&env.db());
    std::fs::write(&locked, "").unwrap();
    eventually("the output passed through", Some(&bg), || lines(&out) == 6);
    let said = "cannot write to the database";
    eventually("the trouble said", Some(&bg), || bg.stderr().contains(said));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(count(&bg.stderr(), said), 1, "{}", bg.stderr());
    assert!(bg.running());
    assert_eq!(points(&env, "l"), 1);

    drop(lock);
    eventually("the caught up", Some(&bg), || points(&env, "l") == 6);
    std::fs::write(&go, "").unwrap();
    assert!(bg.wait().success(), "{}", bg.stderr());
    assert_eq!(points(&env, "l"), 7);
    assert_eq!(status(&env, "l"), "finished");
    assert_eq!(count(&bg.stderr(), said), 1, "{}", bg.stderr());
}

#[test]
fn on_a_terminal_the_command_gets_a_terminal_and_its_bytes_pass_unchanged() {
    let env = Env::new();
    let pty = tracker::relay::pty::open(std::io::stdout())
        .expect("this machine gives no pseudo-terminals (/dev/ptmx)");
    let size = rustix::termios::Winsize {
        ws_row: 33,
        ws_col: 101,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    rustix::termios::tcsetwinsize(&pty.master, size).unwrap();
    let script = r#"echo 'step=1 loss=0.5'; [ -t 1 ] && echo 'stdout: a terminal'; [ -t 2 ] || echo 'stderr: not a terminal' >&2; stty size <&1; printf '\033[32mgreen\033[0m\r 50%%\r100%%\n'; echo 'step=2 loss=0.25'; printf 'no newline'"#;
    let err = env.dir.path().join("err.txt");
    let mut c = cmd(&env);
    c.args(["exec", "--run", "t", "--", "sh", "-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::from(pty.slave))
        .stderr(File::create(&err).unwrap());
    let mut child = c.spawn().unwrap();
    // Only the child holds the terminal now: its end is the end of the output.
    drop(c);
    let mut master = File::from(pty.master);
    let reader = std::thread::spawn(move || {
        let mut got = Vec::new();
        let mut buf = [0; 4096];
        loop {
            match master.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if tracker::relay::pty::is_hangup(&e) => break,
                Err(e) => panic!("{e}"),
            }
        }
        got
    });
    eventually("tracker to exit", None, || {
        child.try_wait().unwrap().is_some()
    });
    assert!(child.wait().unwrap().success());
    let got = reader.join().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&got),
        "step=1 loss=0.5\nstdout: a terminal\n33 101\n\
         \x1b[32mgreen\x1b[0m\r 50%\r100%\nstep=2 loss=0.25\nno newline"
    );
    assert_eq!(
        std::fs::read_to_string(&err).unwrap(),
        "stderr: not a terminal\n"
    );
    assert_eq!(points(&env, "t"), 2);
}

#[test]
fn a_command_run_under_nohup_still_ignores_hangups() {
    let env = Env::new();
    let tracker = assert_cmd::cargo::cargo_bin!("tracker");
    // `trap '' HUP` is what nohup does: the signal is ignored, and stays ignored in children.
    let script = format!(
        "trap '' HUP; exec '{}' exec --run h -- sh -c 'kill -HUP $$; echo survived'",
        tracker.display()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .env("TRACKER_DB", env.db())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "survived\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success());
    assert_eq!(status(&env, "h"), "finished");
}

#[test]
fn sigterm_sent_to_exec_reaches_the_command() {
    let env = Env::new();
    let out = env.dir.path().join("out.txt");
    let script = "trap 'echo got-term; exit 5' TERM; echo started; while true; do sleep 0.05; done";
    let mut c = cmd(&env);
    c.args(["exec", "--run", "s", "--", "sh", "-c", script])
        .stdin(Stdio::null())
        .stdout(File::create(&out).unwrap());
    let bg = Bg::start(&env, c);
    eventually("the command to start", Some(&bg), || lines(&out) == 1);
    assert_eq!(bg.stop().code(), Some(5));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "started\ngot-term\n"
    );
    assert_eq!(status(&env, "s"), "failed");
}
