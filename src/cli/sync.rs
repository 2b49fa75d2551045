//! `tracker sync --from LOCAL.db --to URL [RUN…] [--follow]`.

use crate::store::{Store, Trouble, is_transient};
use crate::sync::{Report, sync};
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

pub const AFTER_HELP: &str = "\
A job on a node without network records into a local file (tracker --db job.db exec -- …);
`tracker sync --from job.db --to postgres://ann@db-host/tracker` pushes its runs to the team's
server. Only curves that differ are sent, each run in one transaction: a second sync sends
nothing, and a sync stopped halfway sends the rest the next time. With --follow it keeps
pushing while the local database changes, and catches up when the server can be reached
again (stop it with Ctrl-C).";

/// How often --follow looks at the local database.
const POLL: Duration = Duration::from_millis(500);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The database to read (a file, or a server's URL); it is never changed
    #[arg(long, value_name = "DB")]
    from: PathBuf,
    /// The database to write (a server's postgres:// URL, or a file) [default: --db /
    /// TRACKER_DB]
    #[arg(long, value_name = "DB")]
    to: Option<PathBuf>,
    /// The runs to send (full names, unique prefixes, @latest); all when none is given
    #[arg(value_name = "RUN")]
    runs: Vec<String>,
    /// Keep pushing: look at the local database twice a second and send what changed
    #[arg(long)]
    follow: bool,
    /// Print JSON: {"sent": [{"run", "metrics", "points"}], "unchanged": [RUN…]}
    #[arg(long)]
    json: bool,
}

fn print(report: &Report, json: bool, quiet_when_nothing: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string(report)?);
        return Ok(());
    }
    for r in &report.sent {
        println!(
            "{}: {} curve{} sent, {} point{} new or changed",
            r.run,
            r.metrics,
            if r.metrics == 1 { "" } else { "s" },
            r.points,
            if r.points == 1 { "" } else { "s" }
        );
    }
    if report.sent.is_empty() && !quiet_when_nothing {
        let n = report.unchanged.len();
        println!(
            "nothing to send: {n} run{} already the same on both sides",
            if n == 1 { "" } else { "s" }
        );
    }
    Ok(())
}

pub fn run(db: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let target = match (&a.to, db) {
        (Some(to), _) => to.clone(),
        (None, Some(db)) => db.clone(),
        (None, None) => anyhow::bail!(
            "say where to send the runs: --to DB (a postgres:// URL or a file), or --db / TRACKER_DB"
        ),
    };
    let from = Store::open_read_only(&a.from)?;
    if !a.follow {
        let mut to = Store::open(&target)?;
        let report = sync(&from, &mut to, &a.runs).context("syncing")?;
        print(&report, a.json, false)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut to: Option<Store> = None;
    let mut trouble = Trouble::new();
    let mut seen = None;
    let mut first = true;
    loop {
        let version = from.data_version()?;
        if seen != Some(version) && trouble.ready() {
            let result = match to.as_mut() {
                Some(store) => sync(&from, store, &a.runs),
                None => Store::open(&target).and_then(|mut store| {
                    let r = sync(&from, &mut store, &a.runs);
                    to = Some(store);
                    r
                }),
            };
            match result {
                Ok(report) => {
                    if let Some(line) = trouble.cleared() {
                        eprintln!("{line}");
                    }
                    print(&report, a.json, !first)?;
                    first = false;
                    seen = Some(version);
                }
                // An unreachable server is waited for (a node without network); a refusal
                // that will not pass by itself (a wrong password, no such database) ends here.
                Err(e) if is_transient(&e) => {
                    if let Some(line) = trouble.failed(&e) {
                        eprintln!("{line}");
                    }
                }
                Err(e) => return Err(e).context("syncing"),
            }
        }
        std::thread::sleep(POLL);
    }
}
