//! A private tmux server for driving the real binary: one session named `ui`, its screen, keys,
//! and the processes in its pane.

use std::process::Command;
use std::time::{Duration, Instant};

/// A private tmux server, killed when dropped.
pub struct Tmux {
    socket: String,
}

/// Whether tmux can be run here (the tests that need it are `#[ignore = "needs tmux"]`).
pub fn installed() -> bool {
    Command::new("tmux").arg("-V").output().is_ok()
}

impl Tmux {
    /// A new server (its socket named after `tag` and this process) running `script` under
    /// `sh -c` in a `width`×`height` pane whose working directory is `dir`.
    pub fn start(tag: &str, dir: &std::path::Path, size: (u16, u16), script: &str) -> Tmux {
        let tmux = Tmux {
            socket: format!("tracker-{tag}-{}", std::process::id()),
        };
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let dir = dir.to_string_lossy();
        let out = tmux.cmd(&[
            "new-session",
            "-d",
            "-s",
            "ui",
            "-c",
            &dir,
            "-x",
            &w,
            "-y",
            &h,
            "sh",
            "-c",
            script,
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    pub fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "ui"]).stdout).into()
    }

    /// A format variable of the pane (`alternate_on`, `pane_pid`), empty once it is gone.
    pub fn pane(&self, var: &str) -> String {
        let format = format!("#{{{var}}}");
        let out = self.cmd(&["display-message", "-p", "-t", "ui", &format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Wait until the screen shows `what` (up to 30 s: the machine may be busy); returns the
    /// screen.
    pub fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited for '{what}'; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Send keys, then wait until the screen differs from `before` and settles.
    pub fn keys(&self, keys: &[&str], before: &str) -> String {
        self.send(keys);
        let start = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(150));
            let s = self.screen();
            if s != before {
                std::thread::sleep(Duration::from_millis(150));
                return self.screen();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "keys {keys:?} changed nothing:\n{s}"
            );
        }
    }

    /// Send keys and do not wait.
    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "ui"];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// The pid of the child of `parent` whose command name is `name` (from /proc), waiting up to
/// 30 s for it to appear.
pub fn child_named(parent: u32, name: &str) -> u32 {
    let start = Instant::now();
    loop {
        if let Some(pid) = find_child(parent, name) {
            return pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no process '{name}' under pid {parent}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn find_child(parent: u32, name: &str) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let (comm, ppid, _) = stat(pid)?;
        (ppid == parent && comm == name).then_some(pid)
    })
}

/// (command name, parent pid, state) of a process, from /proc/PID/stat.
fn stat(pid: u32) -> Option<(String, u32, char)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let comm = text[open + 1..close].to_owned();
    let mut rest = text[close + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((comm, ppid, state))
}

/// Whether a process has ended (gone, or a zombie not yet reaped).
pub fn ended(pid: u32) -> bool {
    stat(pid).is_none_or(|(_, _, state)| state == 'Z' || state == 'X')
}
