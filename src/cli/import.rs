//! `tracker import PATH...`: read log files and directories into the database.

use super::open_store;
use crate::discover::{self, Source};
use crate::import::{self, Outcome, Report, Settings};
use crate::ingest::{Format, Skip};
use crate::store::{Store, WriteStats};
use anyhow::{Context, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub const AFTER_HELP: &str = "\
Formats (detected from the name and content; --format forces one):
  jsonl     one JSON object per line: {\"step\": 10, \"loss\": 0.42, \"val_f1\": 0.8}
  csv       Lightning/Keras CSVLogger, YOLO results.csv, SB3 progress.csv and monitor.csv,
            long (epoch,split,loss / step,metric,value) and pandas CSVs, any CSV/TSV
  hf-log    what the Hugging Face Trainer prints: {'loss': 0.69, 'epoch': 0.08}
  hf-state  the Trainer's trainer_state.json
  columns   a JSON dict of lists, one step per index: Keras History.history, {\"loss\": [0.9, 0.7]}
  kv        log lines with key=value or key: value pairs: epoch 3 step 120 loss=0.43,
            and the tables Stable-Baselines3 prints (| rollout/ | |)
  tfevents  TensorBoard event files (events.out.tfevents.*): scalars under their tags
  yolo-txt  YOLOv5's older headerless results.txt (0/299  3.29G  0.07943 ...), step = epoch

A directory is searched recursively: one run per run directory, named from its path.
Bad lines are reported as FILE:LINE: reason and skipped; the rest is imported.
Use - to read standard input (give --run).";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to import; - reads standard input
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Put everything into this run (default: a name derived from each path)
    #[arg(long, value_parser = super::run_name_arg)]
    run: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    /// Stop with an error at the first line that cannot be read
    #[arg(long)]
    strict: bool,
}

/// How input is read: shared by `import`, `tail` and `exec`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReadArgs {
    /// Read the input as this format: jsonl, csv, hf-log, hf-state, columns, kv, tfevents,
    /// yolo-txt
    /// (default: detected from each file's name and first bytes)
    #[arg(long, value_parser = parse_format)]
    pub format: Option<Format>,
    /// The Trainer's logging_steps, for stdout logs without a trainer_state.json beside them
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub logging_steps: Option<u64>,
}

pub(super) fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// Skipped lines reported one by one per file; the rest are counted.
const SKIPS_SHOWN: u64 = 30;

struct Totals {
    files: u64,
    stats: WriteStats,
    skipped: u64,
    runs: std::collections::BTreeSet<String>,
}

pub fn run(db: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let mut sources = Vec::new();
    for p in &a.paths {
        if p.as_os_str() == "-" {
            // Without --run, the lines name their runs (JSONL `run` fields).
            sources.push(Source::file(p.clone(), a.run.clone().unwrap_or_default()));
            continue;
        }
        let meta = std::fs::metadata(p)
            .with_context(|| format!("{}: cannot read it; check the path", p.display()))?;
        if meta.is_dir() {
            let found = discover::directory(p, a.read.format)
                .with_context(|| format!("{}: cannot list the directory", p.display()))?;
            if found.is_empty() {
                let kind = a.read.format.map_or("log", Format::name);
                eprintln!("{}: no {kind} files found", p.display());
            }
            sources.extend(found);
        } else {
            sources.push(discover::file_source(p));
        }
    }
    if let Some(run) = &a.run {
        for s in &mut sources {
            s.run.clone_from(run);
        }
    }
    let mut store = open_store(db)?;
    let total_bytes: u64 = sources
        .iter()
        .flat_map(|s| std::iter::once(&s.path).chain(&s.more))
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let mut progress = Progress::new(total_bytes);
    let mut totals = Totals {
        files: 0,
        stats: WriteStats::default(),
        skipped: 0,
        runs: Default::default(),
    };
    for s in &sources {
        import_source(&mut store, s, &a, &mut totals, &progress)?;
    }
    progress.finish();
    eprintln!(
        "imported {} ({} new or changed) into {} run{} from {} file{}{}",
        super::output::count(totals.stats.offered, "value"),
        super::output::count(totals.stats.changed, "point"),
        totals.runs.len(),
        if totals.runs.len() == 1 { "" } else { "s" },
        totals.files,
        if totals.files == 1 { "" } else { "s" },
        if totals.skipped > 0 {
            format!("; {} lines skipped (see above)", totals.skipped)
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// What `tracker import` prints along the way: the first skipped lines of each file, then a
/// count; warnings; the progress bar. With `--strict` the first skipped line stops it.
struct Printer<'p> {
    progress: &'p Progress,
    strict: bool,
    in_file: u64,
}

impl Report for Printer<'_> {
    fn skip(&mut self, file: &str, skip: &Skip) -> crate::Result<()> {
        self.in_file += 1;
        let line = format!("{file}:{}: {}", skip.location, skip.reason);
        if self.strict {
            return Err(crate::Error::Invalid(format!(
                "{line} (stopped by --strict; without it the line is skipped)"
            )));
        }
        if self.in_file <= SKIPS_SHOWN {
            self.progress.suspend(|| eprintln!("{line}"));
        }
        Ok(())
    }

    fn read(&mut self, bytes: u64) {
        self.progress.advance(bytes);
    }

    fn file_done(&mut self, file: &str) {
        if self.in_file > SKIPS_SHOWN {
            let more = self.in_file - SKIPS_SHOWN;
            self.progress
                .suspend(|| eprintln!("{file}: … and {more} more lines skipped"));
        }
        self.in_file = 0;
    }

    fn warn(&mut self, message: &str) {
        self.progress.suspend(|| eprintln!("warning: {message}"));
    }
}

/// Import one source and print what it did.
fn import_source(
    store: &mut Store,
    s: &Source,
    a: &Args,
    totals: &mut Totals,
    progress: &Progress,
) -> Result<()> {
    let settings = Settings {
        format: a.read.format,
        logging_steps: a.read.logging_steps,
    };
    let mut printer = Printer {
        progress,
        strict: a.strict,
        in_file: 0,
    };
    let label = import::shown(&s.path);
    let o = import::import_source(store, s, &settings, &mut printer).map_err(|e| match e {
        crate::Error::Unnamed => anyhow::anyhow!(
            "{label}: some lines name no run (no \"run\" field): add --run NAME to name it"
        ),
        crate::Error::Invalid(message) => anyhow::anyhow!(message),
        e => anyhow::Error::new(e).context(format!("importing {label}")),
    })?;
    let label = match s.more.len() {
        0 => label,
        1 => format!("{label} and 1 more file"),
        n => format!("{label} and {n} more files"),
    };
    totals.files += 1 + s.more.len() as u64;
    totals.skipped += o.skipped;
    totals.stats += o.stats;
    progress.suspend(|| print_outcome(&label, &o, s, a));
    totals.runs.extend(o.runs);
    Ok(())
}

fn print_outcome(label: &str, o: &Outcome, s: &Source, a: &Args) {
    let format = match s.store {
        Some(kind) => kind.what(),
        None => o.format.map(Format::name).unwrap_or_default(),
    };
    let runs_text = if o.runs.is_empty() {
        "no metrics found".to_string()
    } else {
        format!("run {}", o.runs.join(", "))
    };
    let restarts = match o.stats.restarts {
        0 => String::new(),
        1 => "; 1 restart recorded (see `tracker show`)".into(),
        n => format!("; {n} restarts recorded (see `tracker show`)"),
    };
    eprintln!(
        "{label} ({format}) → {runs_text}: {}, {} new or changed{restarts}",
        super::output::count(o.stats.offered, "value"),
        super::output::count(o.stats.changed, "point"),
    );
    let twice = o.replaced_in_stream;
    if twice > 0 {
        eprintln!(
            "  {twice} value{} logged again at a step that already had one: the last kept",
            if twice == 1 { " was" } else { "s were" }
        );
    }
    if let Some(r) = a
        .run
        .as_ref()
        .filter(|r| !o.runs.is_empty() && !o.runs.contains(r))
    {
        match s.store {
            Some(kind) => eprintln!("  --run {r} was not used: a {} names its runs", kind.what()),
            None => {
                eprintln!("  --run {r} was not used: every line names its run (its \"run\" field)")
            }
        }
    }
    for p in &s.passed_over {
        eprintln!("  also there, not imported (same run): {}", p.display());
    }
}

/// "12.3 MiB/s, about 25s left", from the average rate since the start, once that means
/// something (two seconds and 1% in); empty before.
fn rate_and_eta(done: u64, total: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs < 2.0 || done == 0 || done.saturating_mul(100) < total {
        return String::new();
    }
    let rate = done as f64 / secs;
    let left = Duration::from_secs_f64(total.saturating_sub(done) as f64 / rate);
    format!(
        "{}/s, about {} left",
        indicatif::HumanBytes(rate as u64),
        indicatif::HumanDuration(left)
    )
}

struct Progress {
    total: u64,
    done: std::cell::Cell<u64>,
    started: Instant,
    bar: std::cell::OnceCell<indicatif::ProgressBar>,
}

impl Progress {
    fn new(total: u64) -> Self {
        Progress {
            total,
            done: std::cell::Cell::new(0),
            started: Instant::now(),
            bar: std::cell::OnceCell::new(),
        }
    }

    fn advance(&self, n: u64) {
        self.done.set(self.done.get() + n);
        if self.bar.get().is_none()
            && self.started.elapsed() > Duration::from_secs(1)
            && std::io::stderr().is_terminal()
        {
            let bar = indicatif::ProgressBar::new(self.total);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
            {
                bar.set_style(style);
            }
            let _ = self.bar.set(bar);
        }
        if let Some(b) = self.bar.get() {
            b.set_position(self.done.get());
            b.set_message(rate_and_eta(
                self.done.get(),
                self.total,
                self.started.elapsed(),
            ));
        }
    }

    fn suspend(&self, f: impl FnOnce()) {
        match self.bar.get() {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rate_and_eta;
    use std::time::Duration;

    #[test]
    fn rate_and_eta_wait_until_they_mean_something() {
        let mib = 1 << 20;
        // A second in, 39 MiB already read at once: no rate yet.
        assert_eq!(rate_and_eta(39 * mib, 80 * mib, Duration::from_secs(1)), "");
        assert_eq!(rate_and_eta(0, 80 * mib, Duration::from_secs(5)), "");
        assert_eq!(rate_and_eta(mib / 2, 80 * mib, Duration::from_secs(5)), "");
        assert_eq!(
            rate_and_eta(40 * mib, 80 * mib, Duration::from_secs(4)),
            "10.00 MiB/s, about 4 seconds left"
        );
    }
}
