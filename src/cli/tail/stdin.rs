//! `tracker tail -`: standard input, written as it arrives until it ends.

use super::{Args, RESCAN, Wake};
use crate::cli::live::Live;
use crate::cli::open_store;
use crate::cli::signals;
use crate::cli::watch::Monitors;
use crate::ingest::Options;
use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};

/// Follow standard input into `--run`.
pub(super) fn run(db: Option<&PathBuf>, defs: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    if a.paths.len() > 1 {
        bail!("- (standard input) cannot be followed together with other paths");
    }
    let Some(run) = a.run.clone() else {
        bail!("reading standard input needs a run name: add --run NAME");
    };
    let mut store = open_store(db)?;
    let mut monitors = Monitors::inline(&a.watch, defs, false, false)?;
    let options = Options {
        logging_steps: a.read.logging_steps,
        hf_reference: None,
    };
    let mut live = Live::new("<stdin>", &run, "tail", a.read.format, options);
    let (tx, rx) = mpsc::channel();
    signals::forward(tx.clone(), |_| Wake::Stop).context("installing signal handlers")?;
    read_stdin(tx);
    let mut failure = None;
    let mut partial = false;
    loop {
        let wait = monitors
            .as_ref()
            .and_then(Monitors::due_in)
            .unwrap_or(RESCAN);
        match rx.recv_timeout(wait) {
            Ok(Wake::Input(data)) => live.push(&mut store, &mut monitors, &data)?,
            Ok(Wake::InputEnd(err)) => {
                if let Some(e) = err {
                    eprintln!("reading standard input: {e}");
                }
                partial = true;
                break;
            }
            Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Ok(Wake::Changed(_)) | Err(RecvTimeoutError::Timeout) => {}
        }
        if let Some(m) = monitors.as_mut()
            && let Some(f) = m.check(&store, false)?
        {
            failure = Some(f);
            break;
        }
    }
    live.finish(&mut store, &mut monitors, partial)?;
    if failure.is_none()
        && let Some(m) = monitors.as_mut()
    {
        failure = m.check(&store, true)?;
    }
    let total = live.sink.total;
    live.sink.close(&mut store)?;
    eprintln!(
        "read {} values ({} points new or changed) into run {run}",
        total.offered, total.changed
    );
    if let Some(f) = failure {
        eprintln!("{f}");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

fn read_stdin(tx: Sender<Wake>) {
    std::thread::spawn(move || {
        let mut input = std::io::stdin().lock();
        let mut buf = vec![0; 64 * 1024];
        loop {
            match input.read(&mut buf) {
                Ok(0) => {
                    let _ = tx.send(Wake::InputEnd(None));
                    return;
                }
                Ok(n) => {
                    if tx.send(Wake::Input(buf[..n].to_vec())).is_err() {
                        return;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = tx.send(Wake::InputEnd(Some(e)));
                    return;
                }
            }
        }
    });
}
