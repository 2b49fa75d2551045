//! `tracker watch RUN`: print a line each time a curve's verdict changes while another process
//! writes the run; and [`Monitors`], which `tail --watch` and `exec --watch` use inline.
//!
//! Only curves whose points changed are classified again, and not more often than every
//! [`INTERVAL`].

use super::diagnose::{parse_verdict, style};
use super::{defs::registry, open_reader};
use crate::classify::Verdict;
use crate::defs::Registry;
use crate::diagnose;
use crate::store::Store;
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Least time between two classifications of the same run.
pub const INTERVAL: Duration = Duration::from_millis(500);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The run: full name, unique prefix, @latest or @latest~N (waited for if no run has
    /// that name yet)
    run: String,
    /// Exit with status 3 as soon as a curve gets one of these verdicts (e.g. diverging)
    #[arg(long, value_delimiter = ',', value_parser = parse_verdict, value_name = "VERDICT")]
    fail_on: Vec<Verdict>,
    /// Also watch bookkeeping curves (epoch, runtimes, throughput)
    #[arg(long)]
    all: bool,
}

/// `--watch` and `--fail-on` of `tail` and `exec`.
#[derive(Debug, Clone, clap::Args)]
pub struct Inline {
    /// Print a line each time a curve's verdict changes (as `tracker watch` does)
    #[arg(long)]
    pub watch: bool,
    /// Stop with exit status 3 as soon as a curve gets one of these verdicts (implies --watch)
    #[arg(long, value_delimiter = ',', value_parser = parse_verdict, value_name = "VERDICT")]
    pub fail_on: Vec<Verdict>,
}

impl Inline {
    pub fn enabled(&self) -> bool {
        self.watch || !self.fail_on.is_empty()
    }
}

/// A curve that got a verdict listed in `--fail-on`.
#[derive(Debug, Clone)]
pub struct Failure {
    pub run: String,
    pub metric: String,
    pub verdict: Verdict,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of run '{}' is {} (--fail-on)",
            self.metric, self.run, self.verdict
        )
    }
}

/// The verdicts of the runs being watched ([`diagnose::Watch`]), and what prints their
/// changes and stops at a `--fail-on` verdict.
pub struct Monitors {
    watch: diagnose::Watch,
    fail_on: Vec<Verdict>,
    /// Print the run's name first (several runs are watched).
    prefix: bool,
    to_stderr: bool,
}

impl Monitors {
    pub fn new(registry: Registry, fail_on: Vec<Verdict>, prefix: bool, to_stderr: bool) -> Self {
        Monitors {
            watch: diagnose::Watch::new(registry, INTERVAL),
            fail_on,
            prefix,
            to_stderr,
        }
    }

    /// Monitors for `tail`/`exec`, when `--watch` or `--fail-on` asks for them.
    pub fn inline(
        a: &Inline,
        defs_dir: Option<&PathBuf>,
        prefix: bool,
        to_stderr: bool,
    ) -> Result<Option<Self>> {
        if !a.enabled() {
            return Ok(None);
        }
        let reg = registry(defs_dir.map(PathBuf::as_path))?;
        Ok(Some(Monitors::new(
            reg,
            a.fail_on.clone(),
            prefix,
            to_stderr,
        )))
    }

    /// Run `run` has new points: look at it at the next check.
    pub fn touch(&mut self, run: &str) {
        self.watch.touch(run);
    }

    /// How long until a check is due (`None`: nothing to check).
    pub fn due_in(&self) -> Option<Duration> {
        self.watch.due_in()
    }

    /// Classify the changed curves of the touched runs, if due (or `now`), printing each
    /// verdict that changed. Returns the first curve with a `--fail-on` verdict.
    pub fn check(&mut self, store: &Store, now: bool) -> Result<Option<Failure>> {
        let changes = self.watch.check(store, now)?;
        let lines: Vec<String> = changes
            .iter()
            .filter(|c| c.old != Some(c.new))
            .map(|c| {
                let run = self.prefix.then_some(c.run.as_str());
                line(run, c.step, &c.metric, c.old, c.new, &c.reason)
            })
            .collect();
        self.print(&lines)?;
        Ok(changes
            .into_iter()
            .find(|c| self.fail_on.contains(&c.new))
            .map(|c| Failure {
                run: c.run,
                metric: c.metric,
                verdict: c.new,
            }))
    }

    fn print(&self, lines: &[String]) -> std::io::Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        if self.to_stderr {
            let mut out = anstream::stderr().lock();
            lines.iter().try_for_each(|l| writeln!(out, "{l}"))?;
            out.flush()
        } else {
            let mut out = anstream::stdout().lock();
            lines.iter().try_for_each(|l| writeln!(out, "{l}"))?;
            out.flush()
        }
    }
}

/// `step 1200  val_loss  healthy → diverging  (reason)`; a curve's first verdict alone.
fn line(
    run: Option<&str>,
    step: i64,
    metric: &str,
    old: Option<Verdict>,
    new: Verdict,
    reason: &str,
) -> String {
    let s = style(new);
    let change = match old {
        Some(o) => {
            let so = style(o);
            format!("{so}{o}{so:#} → {s}{new}{s:#}")
        }
        None => format!("{s}{new}{s:#}"),
    };
    let run = run.map_or(String::new(), |r| format!("{r}  "));
    format!("{run}step {step}  {metric}  {change}  ({reason})")
}

/// Statuses after which a run gets no more points (`stalled`: its writer is gone).
fn ended(status: &str) -> bool {
    matches!(status, "finished" | "failed" | "killed" | "stalled")
}

pub fn run(db: Option<&PathBuf>, defs_dir: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let store = open_reader(db)?;
    let reg = registry(defs_dir.map(PathBuf::as_path))?;
    let name = wait_for_run(&store, &a.run)?;
    let mut monitors = Monitors::new(reg, a.fail_on.clone(), false, false);
    monitors.watch.all = a.all;
    let mut version = store.data_version()?;
    monitors.touch(&name);
    loop {
        // Read the status first: points committed before the run ended are then seen below.
        let status = store.run_status(&name)?.unwrap_or_default();
        if let Some(f) = monitors.check(&store, true)? {
            eprintln!("{f}");
            return Ok(ExitCode::from(3));
        }
        if ended(&status) {
            eprintln!("run '{name}' {status}");
            return Ok(ExitCode::SUCCESS);
        }
        std::thread::sleep(INTERVAL);
        let v = store.data_version()?;
        if v != version {
            version = v;
            monitors.touch(&name);
        }
    }
}

/// The run `reference` names; while no run's name starts with it, wait for one.
fn wait_for_run(store: &Store, reference: &str) -> Result<String> {
    let mut said = false;
    loop {
        let exists = reference.starts_with('@')
            || store.run_names()?.iter().any(|n| n.starts_with(reference));
        if exists {
            return Ok(store.resolve_run(reference)?);
        }
        if !said {
            eprintln!("waiting for run '{reference}'…");
            said = true;
        }
        std::thread::sleep(INTERVAL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_old_arrow_new_with_the_reason() {
        // NO_COLOR is not set in unit tests: strip styles by comparing the plain parts.
        let l = line(
            None,
            1200,
            "val_loss",
            Some(Verdict::Healthy),
            Verdict::Diverging,
            "2.3× its best since step 1100",
        );
        let plain = anstream::adapter::strip_str(&l).to_string();
        assert_eq!(
            plain,
            "step 1200  val_loss  healthy → diverging  (2.3× its best since step 1100)"
        );
        let first = line(Some("r"), 3, "acc", None, Verdict::Healthy, "rising");
        assert_eq!(
            anstream::adapter::strip_str(&first).to_string(),
            "r  step 3  acc  healthy  (rising)"
        );
    }
}
