//! The output relay of `tracker exec`: a small process between the training command and the
//! terminal, so that the job never depends on the process that records it.
//!
//! The recorder (`tracker exec`) starts the relay (the same binary, re-run with a hidden
//! subcommand) and reads what it leaves in a [`Spool`]. The relay starts the command, copies
//! each of its output streams byte for byte to its own (tracker's) stdout and stderr as they
//! arrive and appends them to the spool, and when the command ends writes how it ended. It
//! touches no database while the command runs: a recorder killed, stuck on a lock or out of
//! disk changes nothing for the command, whose pipes the relay holds. When tracker's stdout
//! (stderr) is a terminal, the command writes it to a pseudo-terminal ([`pty`]).
//!
//! The relay stays in tracker's process group, so Ctrl-C at the terminal reaches the command
//! directly as before; for the other signals see [`signals`].

pub mod pty;
mod signals;
mod spool;

pub use spool::{End, Job, Pipe, Spool};

use std::ffi::OsString;
use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// After the command exits, how long its output may still arrive (a child process holding it).
const DRAIN: Duration = Duration::from_secs(2);

/// How long output the spool could not take (a full disk) is offered again at the end.
const SPOOL_PATIENCE: Duration = Duration::from_secs(10);

/// Run `command` with its output relayed into `spool`; returns how it ended (also written to
/// the spool).
pub fn run(spool: &Spool, command: &[OsString]) -> End {
    let child_pid = Arc::new(AtomicI32::new(0));
    if let Err(e) = signals::install(Arc::clone(&child_pid)) {
        eprintln!("tracker: cannot handle signals in the output relay: {e}");
    }
    let end = relay(spool, command, &child_pid);
    if let Err(e) = spool.write_end(&end) {
        eprintln!(
            "tracker: cannot record how the command ended in {}: {e}",
            spool.dir().display()
        );
    }
    end
}

fn relay(spool: &Spool, command: &[OsString], child_pid: &AtomicI32) -> End {
    let Some(program) = command.first() else {
        return End::NotStarted {
            code: 127,
            message: "no command given".into(),
        };
    };
    let mut cmd = Command::new(program);
    cmd.args(&command[1..]).stdin(Stdio::inherit());
    if std::env::var_os("PYTHONUNBUFFERED").is_none() {
        cmd.env("PYTHONUNBUFFERED", "1");
    }
    let out_pty = std::io::stdout()
        .is_terminal()
        .then(|| pty::open(std::io::stdout()).ok())
        .flatten();
    let err_pty = std::io::stderr()
        .is_terminal()
        .then(|| pty::open(std::io::stderr()).ok())
        .flatten();
    let resize: Vec<(OwnedFd, OwnedFd)> = [
        (&out_pty, std::io::stdout().as_fd()),
        (&err_pty, std::io::stderr().as_fd()),
    ]
    .into_iter()
    .filter_map(|(p, like)| {
        let p = p.as_ref()?;
        Some((p.master.try_clone().ok()?, like.try_clone_to_owned().ok()?))
    })
    .collect();
    if !resize.is_empty()
        && let Err(e) = pty::follow_size(resize)
    {
        eprintln!("tracker: the command's terminal will not follow resizes: {e}");
    }
    let out_master = out_pty.map(|p| {
        cmd.stdout(Stdio::from(p.slave));
        p.master
    });
    let err_master = err_pty.map(|p| {
        cmd.stderr(Stdio::from(p.slave));
        p.master
    });
    if out_master.is_none() {
        cmd.stdout(Stdio::piped());
    }
    if err_master.is_none() {
        cmd.stderr(Stdio::piped());
    }
    let spawned = cmd.spawn();
    // The Command holds the slave ends: close them, or the masters never see the end.
    drop(cmd);
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            let shown = program.to_string_lossy();
            return End::NotStarted {
                code,
                message: format!("cannot run {shown}: {e}"),
            };
        }
    };
    child_pid.store(child.id() as i32, Ordering::SeqCst);
    if let Err(e) = spool.write_pid(child.id()) {
        eprintln!("tracker: cannot write to {}: {e}", spool.dir().display());
    }
    let (done_tx, done_rx) = mpsc::channel();
    let out: Option<Box<dyn Read + Send>> = match out_master {
        Some(m) => Some(Box::new(File::from(m))),
        None => child.stdout.take().map(|s| Box::new(s) as _),
    };
    let err: Option<Box<dyn Read + Send>> = match err_master {
        Some(m) => Some(Box::new(File::from(m))),
        None => child.stderr.take().map(|s| Box::new(s) as _),
    };
    let mut open = 0;
    for (pipe, from) in [(Pipe::Stdout, out), (Pipe::Stderr, err)] {
        if let Some(from) = from {
            open += 1;
            let to = spool.output(pipe);
            let tx = done_tx.clone();
            std::thread::spawn(move || {
                copy(from, pipe, &to);
                let _ = tx.send(());
            });
        }
    }
    let status = loop {
        match child.wait() {
            Ok(s) => break Some(s),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break None,
        }
    };
    child_pid.store(0, Ordering::SeqCst);
    // Reaped, its pid may be given to another process: nobody must signal it any more.
    let _ = spool.clear_pid();
    let deadline = Instant::now() + DRAIN;
    while open > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        if done_rx.recv_timeout(left).is_err() {
            break;
        }
        open -= 1;
    }
    match status {
        Some(s) => match (s.code(), s.signal()) {
            (Some(code), _) => End::Exited { code },
            (None, Some(signal)) => End::Signaled { signal },
            (None, None) => End::Exited { code: 1 },
        },
        None => End::Exited { code: 1 },
    }
}

/// Copy one stream to ours as bytes arrive, and append them to `spool_file`.
fn copy(mut from: Box<dyn Read + Send>, pipe: Pipe, spool_file: &Path) {
    let mut spool = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(spool_file);
    let mut buf = vec![0; 64 * 1024];
    let mut pass = true;
    // What the spool could not take yet (a full disk): offered again with the next bytes.
    let mut held: Vec<u8> = Vec::new();
    let mut told = false;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let data = &buf[..n];
        if pass {
            // A closed stdout (`| head`) stops the copy, not the command.
            pass = match pipe {
                Pipe::Stdout => {
                    let mut o = std::io::stdout().lock();
                    o.write_all(data).and_then(|()| o.flush()).is_ok()
                }
                Pipe::Stderr => std::io::stderr().lock().write_all(data).is_ok(),
            };
        }
        held.extend_from_slice(data);
        if let Err(e) = append(&mut spool, spool_file, &mut held)
            && !told
        {
            eprintln!(
                "tracker: cannot keep the command's {} in {} ({e}); holding it in memory",
                pipe.name(),
                spool_file.display()
            );
            told = true;
        }
    }
    let deadline = Instant::now() + SPOOL_PATIENCE;
    while !held.is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        let _ = append(&mut spool, spool_file, &mut held);
    }
}

/// Write as much of `held` as the spool file takes, removing what was written.
fn append(
    spool: &mut std::io::Result<File>,
    path: &Path,
    held: &mut Vec<u8>,
) -> std::io::Result<()> {
    if spool.is_err() {
        *spool = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path);
    }
    let file = match spool {
        Ok(f) => f,
        Err(e) => return Err(std::io::Error::new(e.kind(), e.to_string())),
    };
    while !held.is_empty() {
        match file.write(held) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                held.drain(..n);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
