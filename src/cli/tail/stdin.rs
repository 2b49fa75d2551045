//! `tracker tail -`: standard input, written as it arrives until it ends.
//!
//! Standard input is read whatever happens to the database, so that the job writing into the
//! pipe never blocks or dies because of tracker: while the database cannot be written, what
//! was read waits in memory and is written when it can be.

use super::{Args, RESCAN, Wake};
use crate::cli::live::trouble_reason;
use crate::cli::open_store;
use crate::cli::signals;
use crate::cli::watch::Monitors;
use crate::ingest::Options;
use crate::live::Live;
use crate::store::{Store, Trouble};
use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// After standard input ended, how long to go on trying a database that cannot be written.
const PATIENCE: Duration = Duration::from_secs(600);

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
    let mut trouble = Trouble::new();
    loop {
        let wait = monitors
            .as_ref()
            .and_then(Monitors::due_in)
            .unwrap_or(RESCAN);
        match rx.recv_timeout(wait) {
            Ok(Wake::Input(data)) => live.feed(&data),
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
        if !write(&mut live, &mut store, &mut monitors, &mut trouble) {
            continue;
        }
        match monitors.as_mut().map(|m| m.check(&store, false)) {
            Some(Ok(Some(f))) => {
                failure = Some(f);
                break;
            }
            Some(Err(e)) => report(&mut trouble, &e),
            Some(Ok(None)) | None => {}
        }
    }
    live.end(partial);
    if !finish(
        &mut live,
        &mut store,
        &mut monitors,
        &mut trouble,
        partial,
        &rx,
    ) {
        bail!(
            "{} values read from standard input could not be written: the database could not \
             be written",
            live.stream.batch().points.len()
        );
    }
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

/// Write what was read, unless the database is in trouble and the next try is not due. True
/// when everything read is written.
fn write(
    live: &mut Live,
    store: &mut Store,
    monitors: &mut Option<Monitors>,
    trouble: &mut Trouble,
) -> bool {
    if !trouble.ready() {
        return false;
    }
    match live.flush(store, monitors).map_err(anyhow::Error::from) {
        Ok(()) => {
            if let Some(line) = trouble.cleared() {
                eprintln!("{line}");
            }
            true
        }
        Err(e) => {
            report(trouble, &e);
            false
        }
    }
}

fn report(trouble: &mut Trouble, e: &anyhow::Error) {
    if let Some(line) = trouble.failed(&trouble_reason(e)) {
        eprintln!("{line}");
    }
}

/// The input ended (or tail was stopped): write the rest. After the end of the input, keep
/// trying for up to [`PATIENCE`] (a signal gives up); stopped, try once more.
fn finish(
    live: &mut Live,
    store: &mut Store,
    monitors: &mut Option<Monitors>,
    trouble: &mut Trouble,
    ended: bool,
    rx: &Receiver<Wake>,
) -> bool {
    trouble.try_now();
    let deadline = Instant::now() + PATIENCE;
    loop {
        if write(live, store, monitors, trouble) {
            return true;
        }
        let stop = matches!(rx.try_recv(), Ok(Wake::Stop));
        if !ended || stop || Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
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
