//! `tracker exec [--run NAME] -- COMMAND ARGS...`: run a training command, pass its output
//! through byte for byte, and record the metrics it prints on stdout and stderr.
//!
//! The command runs under an output relay ([`crate::relay`], this binary re-run as
//! `tracker exec-relay`), which holds its pipes (or pseudo-terminals), copies its output to
//! the terminal and into a spool directory, and records how it ended there. This process
//! records the spool into the database. Killed, it takes nothing down with it: the relay and
//! the command go on, the run reads `stalled` meanwhile, and when the command ends the relay
//! records the rest of the output and how it ended.

mod name;
mod record;
mod relay;

pub use relay::{RelayArgs, run as relay};

use super::import::ReadArgs;
use super::signals::{self, Signal};
use super::watch::{Failure, Inline, Monitors};
use crate::relay::{End, Job, Spool};
use crate::store::{HEARTBEAT, RunEnd, Store, Trouble, WriterId, passing};
use anyhow::{Context, Result};
use name::{default_run_name, display_command};
use record::Recording;
use signal_hook::consts::{SIGKILL, SIGTERM};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const AFTER_HELP: &str = "\
The command's stdout and stderr are passed through unchanged, as they arrive, and parsed as
import would (the format is detected from the first lines of each: Trainer dicts, key=value
lines, JSON lines). When tracker's stdout (stderr) is a terminal, the command's is a
pseudo-terminal, so colours and progress bars stay. PYTHONUNBUFFERED=1 is set unless already
set, so Python prints lines as they happen.

The run (default: the script's name and the start time, `python train.py` →
train-20250102-150405) records the command line, start and end time and exit status; its
status is running, then finished (exit 0), failed, or killed (by a signal). SIGINT and SIGTERM
sent to tracker are passed on to the command; Ctrl-C at the terminal reaches it directly; a
signal ignored when tracker started (nohup) stays ignored by the command.
tracker exits with the command's status (128 + N when killed by signal N), or 3 when --fail-on
stopped it.

The command does not depend on tracker: if tracker is killed, the command runs on with its
output, the run reads stalled, and when the command ends its output and status are recorded.
A database that cannot be written for a while (locked, disk full) is said once; the output is
kept and recorded when it can be.";

/// The hidden subcommand that runs the output relay.
pub const RELAY: &str = "exec-relay";

/// After --fail-on sent SIGTERM, how long before SIGKILL.
const KILL_AFTER: Duration = Duration::from_secs(10);

/// After the command ended, how long to go on trying a database that cannot be written.
const PATIENCE: Duration = Duration::from_secs(600);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The run to record into (default: the script's name and the start time)
    #[arg(long, value_parser = crate::cli::run_name_arg)]
    run: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    watch: Inline,
    /// The command to run and its arguments (after --)
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    command: Vec<OsString>,
}

pub fn run(db: Option<&PathBuf>, defs: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let shown = display_command(&a.command);
    let started = chrono::Local::now();
    let name = a
        .run
        .clone()
        .unwrap_or_else(|| default_run_name(&a.command, &started));
    let db_path = crate::store::absolute(&super::db_path(db)?)?;
    let mut store = Store::open(&db_path)?;
    let source = format!("exec: {shown}");
    let mut params = serde_json::Map::new();
    params.insert("command".into(), shown.clone().into());
    params.insert("started".into(), started.to_rfc3339().into());
    store.begin_run(&name, &source, &params, "started")?;
    store.claim_run(&name, &WriterId::current())?;
    if std::io::stderr().is_terminal() {
        eprintln!("tracker: recording into run '{name}'");
    }
    let spool = Spool::create().context("creating a spool directory for the command's output")?;
    let job = Job {
        db: db_path,
        run: name.clone(),
        command: shown,
        format: a.read.format.map(|f| f.name().to_owned()),
        logging_steps: a.read.logging_steps,
        recorder: std::process::id(),
        started: started.timestamp_millis() as f64 / 1000.0,
    };
    spool
        .write_job(&job)
        .with_context(|| format!("writing to {}", spool.dir().display()))?;
    let mut monitors = Monitors::inline(&a.watch, defs, false, true)?;
    let exe = std::env::current_exe().context("finding the tracker binary")?;
    // Started before this process handles any signal: it finds them as they were given (an
    // ignored SIGHUP under nohup stays ignored, by the command too).
    let mut relay = Command::new(exe)
        .arg(RELAY)
        .arg(spool.dir())
        .arg("--")
        .args(&a.command)
        .spawn()
        .context("starting the output relay")?;
    let (tx, rx) = mpsc::channel::<Signal>();
    signals::forward(tx, |s| s).context("installing signal handlers")?;
    let mut rec = Recording::new(&store, &spool, &job);
    let mut failure: Option<Failure> = None;
    let mut term_sent: Option<Instant> = None;
    let mut beat = Instant::now();
    // A signal to pass on before the relay has said which process the command is.
    let mut pending: Option<i32> = None;
    loop {
        if let Ok(s) = rx.recv_timeout(Duration::from_millis(50))
            && !s.from_terminal
        {
            // Ctrl-C at the terminal already reached the command (same process group).
            pending = Some(s.number);
        }
        if let Some(n) = pending
            && signal_command(&spool, n)
        {
            pending = None;
        }
        let relay_done = relay
            .try_wait()
            .context("waiting for the output relay")?
            .is_some();
        let written = rec.poll(&mut store, &mut monitors);
        if written
            && failure.is_none()
            && let Some(m) = monitors.as_mut()
        {
            match m.check(&store, false) {
                Ok(Some(f)) => {
                    eprintln!("{f}: stopping the command");
                    signal_command(&spool, SIGTERM);
                    term_sent = Some(Instant::now());
                    failure = Some(f);
                }
                Ok(None) => {}
                Err(e) => {
                    if let Some(line) = rec.trouble.failed(&super::live::trouble_reason(&e)) {
                        eprintln!("{line}");
                    }
                }
            }
        }
        if term_sent.is_some_and(|t| t.elapsed() > KILL_AFTER) && spool.end().is_none() {
            signal_command(&spool, SIGKILL);
            term_sent = None;
        }
        if written && beat.elapsed() >= HEARTBEAT {
            // Missing one is harmless: the next comes soon.
            let _ = store.heartbeat(&name);
            beat = Instant::now();
        }
        if relay_done {
            break;
        }
    }
    let end = spool.end();
    let done = rec.finish(&mut store, &mut monitors, PATIENCE, || {
        rx.try_recv().is_ok()
    });
    if done
        && failure.is_none()
        && let Some(m) = monitors.as_mut()
    {
        match m.check(&store, true) {
            Ok(Some(f)) => {
                eprintln!("{f}");
                failure = Some(f);
            }
            Ok(None) => {}
            Err(e) => eprintln!("tracker: {e:#}"),
        }
    }
    if let Err(e) = rec.close(&mut store, done) {
        eprintln!("tracker: {e:#}");
    }
    if let Some(End::NotStarted { message, .. }) = &end {
        eprintln!("error: {message}");
    }
    let (run_end, code) = describe(end.as_ref(), failure.as_ref(), job.started);
    // The command's status is the exit status, whatever the database says.
    let recorded = end_run(&mut store, &name, &source, &run_end, || {
        rx.try_recv().is_ok()
    });
    if done && recorded {
        let _ = spool.remove();
    } else {
        eprintln!(
            "tracker: not all of the command's output could be recorded; it is kept in {}",
            spool.dir().display()
        );
    }
    if failure.is_some() {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::from(code.clamp(0, 255) as u8))
}

/// Send signal `number` to the command. False while it cannot be sent yet: the relay has not
/// started the command (nor said that it could not).
fn signal_command(spool: &Spool, number: i32) -> bool {
    if spool.end().is_some() {
        return true;
    }
    let Some(pid) = spool.pid() else {
        return false;
    };
    if let (Some(pid), Some(sig)) = (
        rustix::process::Pid::from_raw(pid as i32),
        rustix::process::Signal::from_named_raw(number),
    ) {
        let _ = rustix::process::kill_process(pid, sig);
    }
    true
}

/// Record how the run ended, trying again while the database cannot be written for now (for
/// up to [`PATIENCE`], or until `give_up`). True when recorded.
fn end_run(
    store: &mut Store,
    name: &str,
    source: &str,
    end: &RunEnd,
    mut give_up: impl FnMut() -> bool,
) -> bool {
    let deadline = Instant::now() + PATIENCE;
    let mut trouble = Trouble::new();
    loop {
        if trouble.ready() {
            match store.end_run(name, source, end) {
                Ok(()) => return true,
                Err(e) => match passing(&e) {
                    Some(why) => {
                        if let Some(line) = trouble.failed(&why) {
                            eprintln!("{line}");
                        }
                    }
                    None => {
                        eprintln!("tracker: could not record how the command ended: {e}");
                        return false;
                    }
                },
            }
        }
        if Instant::now() >= deadline || give_up() {
            eprintln!("tracker: could not record how the command ended");
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The run's end from how the command ended (`None`: the relay did not say) and whether
/// --fail-on stopped it; with the exit status tracker gives.
fn describe(end: Option<&End>, failure: Option<&Failure>, started: f64) -> (RunEnd, i32) {
    let (word, code, mut detail) = match end {
        Some(End::Exited { code: 0 }) => ("finished", 0, "exited with status 0".to_owned()),
        Some(End::Exited { code }) => ("failed", *code, format!("exited with status {code}")),
        Some(e @ End::Signaled { signal }) => (
            "killed",
            e.code(),
            format!("killed by signal {}", signal_name(*signal)),
        ),
        Some(End::NotStarted { code, message }) => ("failed", *code, message.clone()),
        None => (
            "failed",
            1,
            "the output relay ended without saying how the command ended".to_owned(),
        ),
    };
    let word = if failure.is_some() { "killed" } else { word };
    if let Some(f) = failure {
        detail = format!("stopped by tracker: {f}");
    }
    let mut params = serde_json::Map::new();
    params.insert("ended".into(), chrono::Local::now().to_rfc3339().into());
    params.insert("exit_status".into(), code.into());
    let secs = ((crate::store::now() - started) * 1000.0).round() / 1000.0;
    params.insert("duration_s".into(), secs.max(0.0).into());
    if let Some(End::Signaled { signal }) = end {
        params.insert("signal".into(), signal_name(*signal).into());
    }
    let end = RunEnd {
        status: word,
        params,
        detail,
    };
    (end, code)
}

fn signal_name(sig: i32) -> String {
    nix::sys::signal::Signal::try_from(sig)
        .map_or_else(|_| sig.to_string(), |s| s.as_str().to_owned())
}
