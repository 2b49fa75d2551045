//! Whether the process recording a running run is still there: its identity (pid, host, start
//! time) and heartbeat, and the `stalled` status of a run whose writer vanished.

use super::db::P;
use super::{Db, now};
use crate::Result;

/// How often a live writer says it is alive (at most).
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5);

/// A writer on another host (whose process cannot be looked at) is taken to be gone when its
/// heartbeat is this old: twelve heartbeats missed.
pub const STALE_AFTER: f64 = 60.0;

/// The process that records a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterId {
    pub pid: u32,
    pub host: String,
    /// When the process started (clock ticks after boot, from `/proc`): another process that
    /// gets the same pid later has another start time.
    pub start: Option<u64>,
}

impl WriterId {
    /// This process.
    pub fn current() -> WriterId {
        let pid = std::process::id();
        WriterId {
            pid,
            host: host_name(),
            start: start_time(pid),
        }
    }

    /// Whether the process is gone for sure (only a process on this host can be looked at).
    fn gone(&self) -> Option<bool> {
        if self.host != host_name() {
            return None;
        }
        let Some(pid) = rustix::process::Pid::from_raw(self.pid as i32) else {
            return Some(true);
        };
        let exists = match rustix::process::test_kill_process(pid) {
            Ok(()) => true,
            Err(e) => e == rustix::io::Errno::PERM,
        };
        if !exists {
            return Some(true);
        }
        Some(match (self.start, start_time(self.pid)) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        })
    }
}

fn host_name() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

/// Field 22 of `/proc/PID/stat`: the process's start time (Linux; `None` elsewhere).
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// What a run's stored status reads as now: `running` becomes `stalled` when its writer is
/// gone (its process ended, or, on another host, its heartbeat is older than [`STALE_AFTER`]).
pub(super) fn effective(
    status: String,
    writer: Option<WriterId>,
    heartbeat: Option<f64>,
    at: f64,
) -> String {
    if status != "running" {
        return status;
    }
    let Some(w) = writer else {
        return status;
    };
    let gone = w
        .gone()
        .unwrap_or_else(|| heartbeat.is_none_or(|h| at - h > STALE_AFTER));
    if gone { "stalled".into() } else { status }
}

/// The writer columns of `runs`, as read by `SELECT ... writer_pid, writer_host, writer_start`.
pub(super) fn writer_from(
    pid: Option<i64>,
    host: Option<String>,
    start: Option<i64>,
) -> Option<WriterId> {
    Some(WriterId {
        pid: u32::try_from(pid?).ok()?,
        host: host?,
        start: start.and_then(|s| u64::try_from(s).ok()),
    })
}

impl Db {
    /// From now on `writer` records run `name`: its status is `running` while the writer lives.
    pub fn claim_run(&mut self, name: &str, writer: &WriterId) -> Result<()> {
        self.conn.execute(
            "UPDATE runs SET writer_pid = ?2, writer_host = ?3, writer_start = ?4, heartbeat = ?5
             WHERE name = ?1",
            &[
                name.into(),
                P::Int(i64::from(writer.pid)),
                (&writer.host).into(),
                writer.start.map(|s| s as i64).into(),
                P::Real(now()),
            ],
        )?;
        Ok(())
    }

    /// The writer of run `name` is alive.
    pub fn heartbeat(&mut self, name: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE runs SET heartbeat = ?2 WHERE name = ?1",
            &[name.into(), P::Real(now())],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_whose_writer_is_gone_is_stalled() {
        let me = WriterId::current();
        assert!(me.start.is_some() || !std::path::Path::new("/proc/self/stat").exists());
        let t = now();
        let st = |w: Option<WriterId>, h: Option<f64>| effective("running".into(), w, h, t);
        assert_eq!(st(Some(me.clone()), Some(t)), "running");
        assert_eq!(st(None, None), "running");
        // A pid used again: the start time differs.
        let reused = WriterId {
            start: me.start.map(|s| s + 1),
            ..me.clone()
        };
        if me.start.is_some() {
            assert_eq!(st(Some(reused), Some(t)), "stalled");
        }
        let dead = WriterId {
            pid: i32::MAX as u32,
            ..me.clone()
        };
        assert_eq!(st(Some(dead), Some(t)), "stalled");
        let remote = WriterId {
            host: format!("{}-elsewhere", me.host),
            ..me.clone()
        };
        assert_eq!(st(Some(remote.clone()), Some(t - 5.0)), "running");
        assert_eq!(st(Some(remote), Some(t - 600.0)), "stalled");
        assert_eq!(
            effective("finished".into(), Some(me), Some(0.0), t),
            "finished"
        );
    }

    #[test]
    fn the_status_read_back_says_stalled_when_the_writer_is_gone() {
        let mut store = crate::store::Store::open_in_memory().unwrap();
        store
            .begin_run("r", "exec", &serde_json::Map::new(), "started")
            .unwrap();
        store.claim_run("r", &WriterId::current()).unwrap();
        store.heartbeat("r").unwrap();
        assert_eq!(store.run_status("r").unwrap().as_deref(), Some("running"));
        let dead = WriterId {
            pid: i32::MAX as u32,
            ..WriterId::current()
        };
        store.claim_run("r", &dead).unwrap();
        assert_eq!(store.run_status("r").unwrap().as_deref(), Some("stalled"));
        assert_eq!(store.runs().unwrap()[0].status, "stalled");
    }
}
