//! `tracker exec` in a real terminal (tmux running an interactive bash, with `stty tostop`):
//! killed with SIGKILL, the shell takes the terminal back and the job, left in the background,
//! goes on printing to it; then its run is recorded.

use crate::util::Env;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A private tmux server running an interactive bash, killed when dropped.
struct Tmux(String);

impl Tmux {
    fn start() -> Option<Tmux> {
        let have = |p: &str| Command::new(p).arg("--version").output().is_ok();
        if !have("bash") || Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("skipped: needs tmux and bash");
            return None;
        }
        let t = Tmux(format!("tracker-exec-test-{}", std::process::id()));
        let shell = "bash --norc --noprofile -i";
        let out = t.cmd(&[
            "new-session",
            "-d",
            "-s",
            "x",
            "-x",
            "120",
            "-y",
            "40",
            shell,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(t)
    }

    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.0])
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn type_line(&self, line: &str) {
        self.cmd(&["send-keys", "-t", "x", "-l", line]);
        self.cmd(&["send-keys", "-t", "x", "Enter"]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "x"]).stdout).into()
    }

    /// Wait until `f` holds of the screen (up to 20 s); returns the screen.
    fn wait(&self, what: &str, f: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if f(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "waited for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// The last step the job printed on the screen.
fn last_step(screen: &str) -> i64 {
    screen
        .lines()
        .filter_map(|l| l.strip_prefix("step=")?.split(' ').next()?.parse().ok())
        .max()
        .unwrap_or(-1)
}

/// The pid of the process whose arguments are exactly `args`.
fn pid_of(args: &[&str]) -> Option<i32> {
    let want: Vec<u8> = args
        .iter()
        .flat_map(|a| [a.as_bytes(), b"\0"].concat())
        .collect();
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: i32 = e.file_name().to_str()?.parse().ok()?;
        let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
        (cmdline == want).then_some(pid)
    })
}

#[test]
#[ignore = "needs tmux and bash: drives exec in a real terminal"]
fn killed_in_a_real_terminal_exec_leaves_the_job_printing_to_it() {
    let tmux = Tmux::start().expect("tmux is needed (.ci/run installs it)");
    let env = Env::new();
    let go = env.dir.path().join("go");
    let bin = assert_cmd::cargo::cargo_bin!("tracker")
        .display()
        .to_string();
    let run = format!("term-{}", std::process::id());
    let job = format!(
        "[ -t 1 ] && echo on-a-terminal; i=0; while [ ! -e {} ]; do i=$((i+1)); \
         echo step=$i loss=1; sleep 0.05; done; echo job-done",
        go.display()
    );
    tmux.type_line(&format!(
        "export TRACKER_DB={} NO_COLOR=1; stty tostop; clear",
        env.db().display()
    ));
    tmux.type_line(&format!("{bin} exec --run {run} -- sh -c '{job}'"));
    tmux.wait("the job printing on a terminal", |s| {
        s.contains("on-a-terminal") && last_step(s) >= 5
    });

    let pid = pid_of(&[&bin, "exec", "--run", &run, "--", "sh", "-c", &job]).expect("exec's pid");
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    );
    let at_kill = last_step(&tmux.wait("the shell told of the kill", |s| s.contains("Killed")));
    tmux.wait("the job to go on printing", |s| last_step(s) > at_kill + 20);
    let show = |env: &Env| env.show(&run)["status"].as_str().unwrap().to_owned();
    assert_eq!(show(&env), "stalled");

    std::fs::write(&go, "").unwrap();
    tmux.wait("the job to end", |s| s.contains("job-done"));
    super::harness::eventually("the run recorded", None, || show(&env) == "finished");
    let points = super::harness::points(&env, &run) as i64;
    assert_eq!(points, last_step(&tmux.screen()));
}
