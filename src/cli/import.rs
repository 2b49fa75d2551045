//! `tracker import PATH...`: read log files and directories into the database.

use super::discover::{self, Source};
use super::open_store;
use crate::defs::yaml;
use crate::ingest::{self, Batch, Format, Options, detect::HEAD_LEN, detect::HEAD_MAX};
use crate::store::{Store, WriteStats, Writer};
use anyhow::{Context, Result, bail};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

pub const AFTER_HELP: &str = "\
Formats (detected from the name and content; --format forces one):
  jsonl     one JSON object per line: {\"step\": 10, \"loss\": 0.42, \"val_f1\": 0.8}
  csv       Lightning/Keras CSVLogger, YOLO results.csv, any CSV/TSV with a step-like column
  hf-log    what the Hugging Face Trainer prints: {'loss': 0.69, 'epoch': 0.08}
  hf-state  the Trainer's trainer_state.json
  kv        log lines with key=value or key: value pairs: epoch 3 step 120 loss=0.43
  tfevents  TensorBoard event files (events.out.tfevents.*): scalars under their tags

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
    /// Read the input as this format: jsonl, csv, hf-log, hf-state, kv, tfevents
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

/// Points parsed before they are written in one transaction.
const FLUSH_POINTS: usize = 50_000;
const CHUNK: usize = 1 << 20;

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
            sources.push(Source {
                path: p.clone(),
                more: vec![],
                run: a.run.clone().unwrap_or_default(),
                passed_over: vec![],
            });
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
            sources.push(Source {
                path: p.clone(),
                more: vec![],
                run: discover::file_run_name(p),
                passed_over: vec![],
            });
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
        "imported {} values ({} points new or changed) into {} run{} from {} file{}{}",
        totals.stats.offered,
        totals.stats.changed,
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

/// The steps of the `trainer_state.json` beside an HF stdout log (or in its newest
/// `checkpoint-*/`), so the log's points land on the same steps.
pub(super) fn hf_reference(log: &Path) -> Option<Vec<ingest::hf_log::Reference>> {
    let bytes = std::fs::read(hf_reference_file(log)?).ok()?;
    ingest::hf_state::reference(&bytes).ok()
}

/// The `trainer_state.json` an HF stdout log takes its steps from: the one beside it, else
/// the newest `checkpoint-*/`'s.
pub(super) fn hf_reference_file(log: &Path) -> Option<PathBuf> {
    let dir = log.parent()?;
    let mut candidates = vec![dir.join("trainer_state.json")];
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut cps: Vec<(u64, PathBuf)> = rd
            .filter_map(Result::ok)
            .filter_map(|e| {
                let n = e
                    .file_name()
                    .to_string_lossy()
                    .strip_prefix("checkpoint-")?
                    .parse()
                    .ok()?;
                Some((n, e.path().join("trainer_state.json")))
            })
            .collect();
        cps.sort_by_key(|c| std::cmp::Reverse(c.0));
        candidates.extend(cps.into_iter().map(|c| c.1));
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// Lightning's `hparams.yaml` beside the file, as run params.
pub(super) fn hparams(path: &Path) -> Option<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(path.parent()?.join("hparams.yaml")).ok()?;
    match yaml::to_json(&text) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// What importing one input did.
#[derive(Debug)]
pub struct Outcome {
    pub format: Format,
    pub stats: WriteStats,
    /// The runs that received points.
    pub runs: Vec<String>,
    pub skipped: u64,
}

/// Import one input (a file or a pipe) into `store` (see [`read_input`]), as one source.
#[allow(clippy::too_many_arguments)]
pub fn import_stream(
    store: &mut Store,
    input: &mut dyn Read,
    source: &str,
    file_name: &str,
    run: &str,
    format: Option<Format>,
    options: impl FnOnce(Format) -> Options,
    params: Option<serde_json::Map<String, serde_json::Value>>,
    on_skip: &mut dyn FnMut(&ingest::Skip) -> Result<()>,
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome> {
    let mut batch = Batch::new();
    let mut writer = store.writer(source, run);
    let mut skipped = 0u64;
    let mut count = |s: &ingest::Skip| {
        skipped += 1;
        on_skip(s)
    };
    let format = read_input(
        input,
        source,
        file_name,
        format,
        options,
        &mut batch,
        &mut writer,
        &mut count,
        progress,
    )?;
    let runs = writer.runs_written(&batch);
    write_params(&mut writer, &mut batch, &runs, params, source)?;
    let stats = writer.finish()?;
    Ok(Outcome {
        format,
        stats,
        runs,
        skipped,
    })
}

/// Read one input into `batch`, writing its points through `writer` in transactions of
/// [`FLUSH_POINTS`]: detect the format from `file_name` and the first bytes unless `format` is
/// given, and stream the input through the parser in chunks. Each skipped piece goes to
/// `on_skip` (an error from it stops the import); `progress` gets the bytes consumed. Several
/// inputs read into one batch and writer are one stream (a run's event files in order).
#[allow(clippy::too_many_arguments)]
pub fn read_input(
    input: &mut dyn Read,
    source: &str,
    file_name: &str,
    format: Option<Format>,
    options: impl FnOnce(Format) -> Options,
    batch: &mut Batch,
    writer: &mut Writer<'_>,
    on_skip: &mut dyn FnMut(&ingest::Skip) -> Result<()>,
    progress: &mut dyn FnMut(u64),
) -> Result<Format> {
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    let mut eof =
        fill(input, &mut pending, HEAD_LEN).with_context(|| format!("reading {source}"))?;
    let format = match format {
        Some(f) => f,
        None => {
            let mut f = ingest::detect(file_name, &pending);
            // Console logs may print their first metrics after a long preamble: look further.
            if f == Format::KeyValue && !eof {
                eof = fill(input, &mut pending, HEAD_MAX - HEAD_LEN)
                    .with_context(|| format!("reading {source}"))?;
                f = ingest::detect(file_name, &pending);
            }
            f
        }
    };
    let mut parser = ingest::parser(format, &options(format));
    loop {
        let consumed = parser.feed(&pending, eof, batch);
        progress(consumed as u64);
        pending.drain(..consumed);
        for skip in &batch.skips {
            on_skip(skip)?;
        }
        if batch.points.len() >= FLUSH_POINTS || eof {
            writer
                .write(batch)
                .with_context(|| format!("writing {source} to the database"))?;
            batch.clear();
        } else {
            batch.skips.clear();
        }
        if eof {
            return Ok(format);
        }
        eof = fill(input, &mut pending, CHUNK).with_context(|| format!("reading {source}"))?;
    }
}

/// Write a source's params once its values are written: a source without values never leaves
/// a run that holds params alone.
fn write_params(
    writer: &mut Writer<'_>,
    batch: &mut Batch,
    runs: &[String],
    params: Option<serde_json::Map<String, serde_json::Value>>,
    source: &str,
) -> Result<()> {
    let Some(p) = params.filter(|_| !runs.is_empty()) else {
        return Ok(());
    };
    batch.clear();
    batch.params.push((0, p));
    writer
        .write(batch)
        .with_context(|| format!("writing {source} to the database"))?;
    Ok(())
}

fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Import one source: its file, and the further files of the same stream (`s.more`).
fn import_source(
    store: &mut Store,
    s: &Source,
    a: &Args,
    totals: &mut Totals,
    progress: &Progress,
) -> Result<()> {
    let mut batch = Batch::new();
    let label = shown(&s.path);
    // One writer and one batch for all the files of the source: they are one stream.
    let mut writer = store.writer(&label, &s.run);
    let mut skipped = 0u64;
    let mut format = None;
    for path in std::iter::once(&s.path).chain(&s.more) {
        let stdin = path.as_os_str() == "-";
        let name = shown(path);
        writer.set_file(&name);
        let mut input: Box<dyn Read> = if stdin {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(
                std::fs::File::open(path)
                    .with_context(|| format!("{name}: cannot open it; check its permissions"))?,
            )
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let options = |format: Format| Options {
            logging_steps: a.read.logging_steps,
            hf_reference: (format == Format::HfLog && !stdin)
                .then(|| hf_reference(path))
                .flatten(),
        };
        let strict = a.strict;
        let mut on_skip = |skip: &ingest::Skip| -> Result<()> {
            skipped += 1;
            let line = format!("{name}:{}: {}", skip.location, skip.reason);
            progress.suspend(|| eprintln!("{line}"));
            if strict {
                bail!("{line} (stopped by --strict; without it the line is skipped)");
            }
            Ok(())
        };
        let f = read_input(
            &mut input,
            &name,
            &file_name,
            a.read.format,
            options,
            &mut batch,
            &mut writer,
            &mut on_skip,
            &mut |n| progress.advance(n),
        )
        .map_err(|e| match e.downcast_ref::<crate::Error>() {
            Some(crate::Error::Unnamed) => anyhow::anyhow!(
                "{name}: some lines name no run (no \"run\" field): add --run NAME to name it"
            ),
            _ => e,
        })?;
        format.get_or_insert(f);
    }
    let format = format.map(Format::name).unwrap_or_default();
    let label = match s.more.len() {
        0 => label,
        1 => format!("{label} and 1 more file"),
        n => format!("{label} and {n} more files"),
    };
    let runs = writer.runs_written(&batch);
    // Params go with the run's values: a source without any never leaves a run of params alone.
    if let Some(p) = (s.path.as_os_str() != "-" && !runs.is_empty())
        .then(|| hparams(&s.path))
        .flatten()
    {
        batch.params.push((0, p));
        writer
            .write(&batch)
            .with_context(|| format!("writing {label} to the database"))?;
    }
    let stats = writer.finish()?;
    let twice = batch.replaced_in_stream;
    totals.files += 1 + s.more.len() as u64;
    totals.skipped += skipped;
    totals.stats += stats;
    progress.suspend(|| {
        let runs_text = if runs.is_empty() {
            "no metrics found".to_string()
        } else {
            format!("run {}", runs.join(", "))
        };
        eprintln!(
            "{label} ({format}) → {runs_text}: {} values, {} points new or changed{}",
            stats.offered,
            stats.changed,
            if stats.restarts > 0 {
                format!(
                    "; {} restart{} recorded (see `tracker show`)",
                    stats.restarts,
                    if stats.restarts == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        );
        if twice > 0 {
            eprintln!(
                "  {twice} value{} logged again at a step that already had one: the last kept",
                if twice == 1 { " was" } else { "s were" }
            );
        }
        if let Some(r) = a
            .run
            .as_ref()
            .filter(|r| !runs.is_empty() && !runs.contains(r))
        {
            eprintln!("  --run {r} was not used: every line names its run (its \"run\" field)");
        }
        for p in &s.passed_over {
            eprintln!("  also there, not imported (same run): {}", p.display());
        }
    });
    totals.runs.extend(runs);
    Ok(())
}

/// Read until `buf` holds `want` more bytes or the input ends; true at the end.
fn fill(input: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let start = buf.len();
    buf.resize(start + want, 0);
    let mut got = 0;
    while got < want {
        match input.read(&mut buf[start + got..]) {
            Ok(0) => {
                buf.truncate(start + got);
                return Ok(true);
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(start + got);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// A progress bar for imports that take more than a second, on a terminal only.
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
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ) {
                bar.set_style(style);
            }
            let _ = self.bar.set(bar);
        }
        if let Some(b) = self.bar.get() {
            b.set_position(self.done.get());
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
