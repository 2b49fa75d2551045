//! `tracker ui [RUN...]`: the terminal UI. Wires the loader (its own database connection),
//! the key, tick and signal threads and the terminal; the terminal is restored on exit, on a
//! panic, and on every signal that ends the UI (SIGTERM, SIGHUP, SIGINT, SIGQUIT).

use super::{defs::registry, open_reader, signals};
use crate::tui::{self, App, Ended, Event, event, loader};
use anyhow::{Context, Result, bail};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::channel;
use std::time::Duration;

/// How long after a signal the loop has to end before the signal thread restores the terminal
/// and exits itself (the loop may be stuck writing to a terminal that stopped reading).
const GRACE: Duration = Duration::from_secs(2);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Runs to draw together at start: full name, unique prefix, @latest or @latest~N
    /// [default: the most recent run]
    runs: Vec<String>,
}

pub fn run(db: Option<&PathBuf>, defs_dir: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let store = open_reader(db)?;
    let overlay = a
        .runs
        .iter()
        .map(|r| store.resolve_run(r))
        .collect::<crate::Result<Vec<_>>>()?;
    let reg = Arc::new(registry(defs_dir.map(PathBuf::as_path))?);
    if !std::io::stdout().is_terminal() {
        bail!("tracker ui draws on a terminal; run it in one (for scripts: tracker diagnose)");
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (tx, rx) = channel();
    // Before the terminal turns raw: from then on no signal can end the process unrestored.
    signals::forward_these(&signals::ENDING_UI, tx.clone(), |s| {
        restore_later(s.number);
        Event::Signal(s.number)
    })
    .context("installing signal handlers")?;
    let requests = loader::spawn(store, reg.clone(), tx.clone(), loader::POLL);
    event::spawn_ticker(tx.clone(), tui::TICK);
    event::spawn_input(tx);
    let mut app = App::new(reg, overlay, no_color);
    let mut terminal = ratatui::try_init().context("setting up the terminal")?;
    let result = tui::run(&mut terminal, &mut app, &rx, &requests);
    let restored = ratatui::try_restore();
    match result.context("drawing the terminal UI")? {
        // The terminal may be gone (SIGHUP): nothing to report on it.
        Ended::Signal(number) => Ok(signal_status(number)),
        Ended::Quit => {
            if let Err(e) = restored {
                let _ = writeln!(std::io::stderr(), "error: restoring the terminal: {e}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The status of a process ended by signal `number`, as a shell reports it (128 + number).
fn signal_status(number: i32) -> ExitCode {
    ExitCode::from(u8::try_from(128 + number).unwrap_or(u8::MAX))
}

/// If the loop has not ended the process `GRACE` after a signal, restore the terminal from
/// here and exit.
fn restore_later(number: i32) {
    std::thread::spawn(move || {
        std::thread::sleep(GRACE);
        let _ = ratatui::try_restore();
        std::process::exit(128 + number);
    });
}
