//! `tracker ui [RUN...]`: the terminal UI. Wires the loader (its own database connection),
//! the key and tick threads and the terminal; the terminal is restored on exit and on panic.

use super::{defs::registry, open_store};
use crate::tui::{self, App, event, loader};
use anyhow::{Context, Result, bail};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::channel;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Runs to draw together at start: full name, unique prefix, @latest or @latest~N
    /// [default: the most recent run]
    runs: Vec<String>,
}

pub fn run(db: Option<&PathBuf>, defs_dir: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let store = open_store(db)?;
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
    let requests = loader::spawn(store, reg.clone(), tx.clone(), loader::POLL);
    event::spawn_ticker(tx.clone(), tui::TICK);
    event::spawn_input(tx);
    let mut app = App::new(reg, overlay, no_color);
    let mut terminal = ratatui::try_init().context("setting up the terminal")?;
    let result = tui::run(&mut terminal, &mut app, &rx, &requests);
    ratatui::restore();
    result.context("drawing the terminal UI")?;
    Ok(ExitCode::SUCCESS)
}
