//! A pseudo-terminal for one of the command's output streams, so that a program that colours
//! its output or draws progress bars only on a terminal still does.
//!
//! Only the output goes through it: the command keeps tracker's standard input and stays in the
//! terminal's foreground process group (Ctrl-C reaches it, a debugger prompt can read), and
//! the pty is not its controlling terminal. Output processing is off (no `\n` → `\r\n`), so
//! the bytes passed through are exactly the bytes written.

use rustix::fs::{Mode, OFlags};
use rustix::pty::OpenptFlags;
use rustix::termios::{OptionalActions, OutputModes};
use std::os::fd::{AsFd, OwnedFd};

/// The two ends: the command writes to `slave`, the relay reads `master`.
pub struct Pty {
    pub master: OwnedFd,
    pub slave: OwnedFd,
}

/// A new pty with the window size of the terminal `like`.
pub fn open(like: impl AsFd) -> std::io::Result<Pty> {
    let master = rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY)?;
    rustix::io::fcntl_setfd(&master, rustix::io::FdFlags::CLOEXEC)?;
    rustix::pty::grantpt(&master)?;
    rustix::pty::unlockpt(&master)?;
    let name = rustix::pty::ptsname(&master, Vec::new())?;
    let slave = rustix::fs::open(
        name.as_c_str(),
        OFlags::RDWR | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut t = rustix::termios::tcgetattr(&slave)?;
    t.output_modes.remove(OutputModes::OPOST);
    rustix::termios::tcsetattr(&slave, OptionalActions::Now, &t)?;
    if let Ok(size) = rustix::termios::tcgetwinsize(like) {
        let _ = rustix::termios::tcsetwinsize(&master, size);
    }
    Ok(Pty { master, slave })
}

/// From now on, when the terminal is resized (SIGWINCH), give each pty (`master`) the new size
/// of its terminal (`like`), so that a progress bar drawn to the width follows it.
pub fn follow_size(pairs: Vec<(OwnedFd, OwnedFd)>) -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])?;
    std::thread::Builder::new()
        .name("relay-winch".into())
        .spawn(move || {
            for _ in signals.forever() {
                for (master, like) in &pairs {
                    if let Ok(size) = rustix::termios::tcgetwinsize(like) {
                        let _ = rustix::termios::tcsetwinsize(master, size);
                    }
                }
            }
        })?;
    Ok(())
}

/// Whether a read error of the master means the other end is closed (Linux says EIO).
pub fn is_hangup(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{IsTerminal, Read, Write};

    #[test]
    fn bytes_written_to_the_slave_come_out_of_the_master_unchanged() {
        let p = open(std::io::stdout()).unwrap();
        let mut slave = std::fs::File::from(p.slave);
        assert!(slave.is_terminal());
        slave.write_all(b"a\nb\r\x1b[31mc").unwrap();
        drop(slave);
        let mut master = std::fs::File::from(p.master);
        let mut got = Vec::new();
        let mut buf = [0; 64];
        loop {
            match master.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if is_hangup(&e) => break,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(got, b"a\nb\r\x1b[31mc");
    }
}
