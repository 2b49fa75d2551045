//! Signals delivered as messages instead of ending the process, with whether the terminal sent
//! them (Ctrl-C reaches the whole foreground process group, a child included): SIGINT and
//! SIGTERM for the recorders, [`ENDING_UI`] for the terminal UI.

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::SignalsInfo;
use signal_hook::iterator::exfiltrator::WithOrigin;
use signal_hook::low_level::siginfo::Cause;
use std::sync::mpsc::Sender;

/// A signal received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal {
    pub number: i32,
    /// Sent by the kernel (the terminal's Ctrl-C), not by a process calling kill(2).
    pub from_terminal: bool,
}

/// The signals that end a full-screen program: a kill, a closed terminal (SSH session), an
/// interrupt or a quit sent by another process (in raw mode Ctrl-C and Ctrl-\ are keys).
pub const ENDING_UI: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// From now on, SIGINT and SIGTERM are sent on `tx` (wrapped by `wrap`) instead of ending the
/// process.
pub fn forward<T: Send + 'static>(
    tx: Sender<T>,
    wrap: impl Fn(Signal) -> T + Send + 'static,
) -> std::io::Result<()> {
    forward_these(&[SIGINT, SIGTERM], tx, wrap)
}

/// From now on, `which` signals are sent on `tx` (wrapped by `wrap`) instead of ending the
/// process.
pub fn forward_these<T: Send + 'static>(
    which: &[i32],
    tx: Sender<T>,
    wrap: impl Fn(Signal) -> T + Send + 'static,
) -> std::io::Result<()> {
    let mut signals = SignalsInfo::<WithOrigin>::new(which)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for origin in signals.forever() {
                let s = Signal {
                    number: origin.signal,
                    from_terminal: origin.cause == Cause::Kernel,
                };
                if tx.send(wrap(s)).is_err() {
                    break;
                }
            }
        })?;
    Ok(())
}
