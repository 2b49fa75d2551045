//! The command line: the composition root that wires ingest, store and the rest together.
//! One file per subcommand.

mod compare;
mod completions;
mod defs;
mod diagnose;
mod exec;
mod import;
mod live;
mod log;
mod output;
mod runs;
mod signals;
mod sync;
mod tail;
mod ui;
mod watch;

use crate::store::Store;
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Record machine-learning training metrics and tell, in plain words, whether each curve is
/// healthy.
///
/// tracker reads the logs a training job already writes (JSONL, CSV, Hugging Face Trainer
/// output, key=value log lines) into one database, per run, per metric, per step: a SQLite
/// file, or a team's PostgreSQL server.
#[derive(Debug, Parser)]
#[command(name = "tracker", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The database: a SQLite file, or a PostgreSQL server's postgres://USER@HOST:PORT/DB URL
    /// [default: ~/.local/share/tracker/tracker.db]
    #[arg(
        long,
        global = true,
        env = "TRACKER_DB",
        hide_env_values = true,
        value_name = "PATH|URL"
    )]
    pub db: Option<PathBuf>,

    /// A directory of metric definitions (.yaml / .md) that add to or override the shipped ones
    #[arg(long, global = true, env = "TRACKER_DEFS", value_name = "DIR")]
    pub defs: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import log files or directories (recursively) into the database
    #[command(after_help = import::AFTER_HELP)]
    Import(import::Args),
    /// List the runs
    Runs(runs::ListArgs),
    /// Show a run: its metrics (points, steps, last/min/max value), params and history
    Show(runs::ShowArgs),
    /// Delete a run and all its points
    Rm(runs::RmArgs),
    /// Rename a run
    Rename(runs::RenameArgs),
    /// Bring the database to this tracker's schema (read-only commands never change it)
    Migrate,
    /// Log values from a shell script: tracker log --run NAME --step N loss=0.4 acc=0.8
    Log(log::Args),
    /// Metric definitions: list, show, check, resolve a logged name
    Defs(defs::Args),
    /// Diagnose a run: a verdict for every curve (healthy, stagnant, oscillating, diverging,
    /// insufficient_data) with its reason, and cross-metric hints
    Diagnose(diagnose::Args),
    /// Compare runs: final and best values, differences to the first run, verdicts, params
    Compare(compare::Args),
    /// Follow log files and directories while a job writes them (resumes where it stopped)
    #[command(after_help = tail::AFTER_HELP)]
    Tail(tail::Args),
    /// Run a training command, pass its output through, and record the metrics it prints
    #[command(after_help = exec::AFTER_HELP)]
    Exec(exec::Args),
    /// Print each change of a run's verdicts while another process writes it
    Watch(watch::Args),
    /// Push runs from a local database to another (a team's server): only what differs is
    /// sent; --follow keeps pushing while a job writes locally
    #[command(after_help = sync::AFTER_HELP)]
    Sync(sync::Args),
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell)
    #[command(after_help = completions::AFTER_HELP)]
    Completions(completions::Args),
    /// Print the manual page (roff): tracker man > ~/.local/share/man/man1/tracker.1
    Man(completions::ManArgs),
    /// The output relay `exec` starts (internal)
    #[command(name = "exec-relay", hide = true)]
    ExecRelay(exec::RelayArgs),
    /// The terminal UI: runs with badges, metrics, a live chart with overlays, diagnoses
    Ui(ui::Args),
}

/// Open the database named by `--db` / `TRACKER_DB`, or the default one.
pub fn open_store(db: Option<&PathBuf>) -> Result<Store> {
    Ok(Store::open(&db_path(db)?)?)
}

/// Open the database only to read it (commands that never record): nothing is created or
/// changed.
pub fn open_reader(db: Option<&PathBuf>) -> Result<Store> {
    Ok(Store::open_read_only(&db_path(db)?)?)
}

/// The database named by `--db` / `TRACKER_DB`, or the default one.
pub fn db_path(db: Option<&PathBuf>) -> Result<PathBuf> {
    match db {
        Some(p) => Ok(p.clone()),
        None => crate::store::default_path().context(
            "cannot find a data directory for the default database; pass --db PATH or set TRACKER_DB",
        ),
    }
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let db = cli.db.as_ref();
    match cli.command {
        Command::Import(a) => import::run(db, a),
        Command::Runs(a) => runs::list(db, a),
        Command::Show(a) => runs::show(db, a),
        Command::Rm(a) => runs::rm(db, a),
        Command::Rename(a) => runs::rename(db, a),
        Command::Migrate => {
            let store = open_store(db)?;
            eprintln!(
                "{}: schema version {}",
                store.path(),
                crate::store::schema_version()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Log(a) => log::run(db, a),
        Command::Defs(a) => defs::run(cli.defs.as_ref(), a),
        Command::Diagnose(a) => diagnose::run(db, cli.defs.as_ref(), a),
        Command::Compare(a) => compare::run(db, cli.defs.as_ref(), a),
        Command::Tail(a) => tail::run(db, cli.defs.as_ref(), a),
        Command::Exec(a) => exec::run(db, cli.defs.as_ref(), a),
        Command::Watch(a) => watch::run(db, cli.defs.as_ref(), a),
        Command::Sync(a) => sync::run(db, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => completions::man(a),
        Command::ExecRelay(a) => exec::relay(a),
        Command::Ui(a) => ui::run(db, cli.defs.as_ref(), a),
    }
}

/// A `--run NAME` argument: refused as `rename` refuses it.
fn run_name_arg(s: &str) -> Result<String, String> {
    crate::model::check_run_name(s).map(|()| s.to_owned())
}
