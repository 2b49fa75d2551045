//! The relay's signals: what it passes on to the command, what it survives, and what it
//! leaves as it found it.
//!
//! - SIGINT and SIGTERM sent by a process are passed on to the command; the terminal's
//!   (Ctrl-C) already reached it. Neither ends the relay: it ends with the command.
//! - SIGHUP (the terminal went away) does not end the relay while the command runs.
//! - A signal ignored when the relay started (`nohup` ignores SIGHUP, a shell's background job
//!   SIGINT) stays ignored, by the relay and so by the command, as it would without tracker.
//! - SIGTTOU is blocked: left in the background (its recorder killed, the shell given the
//!   terminal back) the relay goes on writing the command's output to the terminal, even with
//!   `stty tostop`. The command starts with no signal blocked.

use nix::sys::signal::{SigSet, Signal as Sig};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::SignalsInfo;
use signal_hook::iterator::exfiltrator::WithOrigin;
use signal_hook::low_level::siginfo::Cause;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// Set the relay's signals up (before any other thread starts, and before the command);
/// `child_pid` is the command's pid once started (0 before and after).
pub fn install(child_pid: Arc<AtomicI32>) -> std::io::Result<()> {
    let mut ttou = SigSet::empty();
    ttou.add(Sig::SIGTTOU);
    ttou.thread_block().map_err(std::io::Error::from)?;
    let ignored = ignored_signals();
    let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|s| !is_set(ignored, *s))
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let mut signals = SignalsInfo::<WithOrigin>::new(wanted)?;
    std::thread::Builder::new()
        .name("relay-signals".into())
        .spawn(move || {
            for origin in signals.forever() {
                let pid = child_pid.load(Ordering::SeqCst);
                if origin.signal == SIGHUP || origin.cause == Cause::Kernel || pid <= 0 {
                    continue;
                }
                if let (Some(pid), Some(sig)) = (
                    rustix::process::Pid::from_raw(pid),
                    rustix::process::Signal::from_named_raw(origin.signal),
                ) {
                    let _ = rustix::process::kill_process(pid, sig);
                }
            }
        })?;
    Ok(())
}

/// The signals this process ignores, as a mask (bit N-1 for signal N), from `/proc` (Linux;
/// elsewhere none are taken to be ignored).
fn ignored_signals() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| parse_mask(&s, "SigIgn:"))
        .unwrap_or(0)
}

fn parse_mask(status: &str, field: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(field))?;
    u64::from_str_radix(line[field.len()..].trim(), 16).ok()
}

fn is_set(mask: u64, signal: i32) -> bool {
    (1..=64).contains(&signal) && mask & (1 << (signal - 1)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ignored_signals_are_read_from_proc() {
        let status = "Name:\tx\nSigBlk:\t0000000000000000\nSigIgn:\t0000000000001001\n";
        let mask = parse_mask(status, "SigIgn:").unwrap();
        assert!(is_set(mask, SIGHUP));
        assert!(is_set(mask, 13), "SIGPIPE");
        assert!(!is_set(mask, SIGINT) && !is_set(mask, SIGTERM));
        assert_eq!(parse_mask("Name:\tx\n", "SigIgn:"), None);
        // Rust ignores SIGPIPE in its own processes.
        if std::path::Path::new("/proc/self/status").exists() {
            assert!(is_set(ignored_signals(), 13));
        }
    }
}
