//! SIGINT and SIGTERM, delivered as messages instead of ending the process, with whether the
//! terminal sent them (Ctrl-C reaches the whole foreground process group, a child included).

use signal_hook::consts::{SIGINT, SIGTERM};
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

/// From now on, SIGINT and SIGTERM are sent on `tx` (wrapped by `wrap`) instead of ending the
/// process.
pub fn forward<T: Send + 'static>(
    tx: Sender<T>,
    wrap: impl Fn(Signal) -> T + Send + 'static,
) -> std::io::Result<()> {
    let mut signals = SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM])?;
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
