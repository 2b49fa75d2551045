//! `tracker tail PATH...`: follow files and directories while a job writes them.

mod reading;
mod stdin;
mod supersede;

use super::import::ReadArgs;
use super::live::trouble_reason;
use super::open_store;
use super::signals;
use super::watch::{Failure, Inline, Monitors};
use crate::discover::{self, sidecar};
use crate::ingest::Options;
use crate::live::Sink;
use crate::store::{Store, Trouble, is_transient};
use crate::tail::{Follow, changes::Watcher};
use anyhow::{Context, Result, bail};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

pub const AFTER_HELP: &str = "\
Every format import reads is followed. A partial last line waits for the rest; a truncated,
rotated or rewritten file is read again from the start; a directory is searched as import
searches it (one run per run directory), and files that appear later are followed too; paths
that do not exist yet are waited for. The position in each file is committed with its points,
so tail can be stopped (Ctrl-C) or killed and started again: it resumes where it stopped.
Use - to read standard input (give --run).

A database that cannot be written for a while (a lock held past the busy timeout, a full disk)
does not end tail: it says so once, tries again, and catches up when it can.";

/// Look at every file and directory at least this often, whatever the notifications say.
const RESCAN: Duration = Duration::from_secs(1);

/// With `--poll`, how often the followed files are looked at. (notify's `PollWatcher` notices
/// a file's change only when its modification time moves on by a whole second, so it is left
/// to notice new files and directories.)
const POLL_FILES: Duration = Duration::from_millis(150);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to follow (they may not exist yet); - reads standard input
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Put everything into this run (default: a name derived from each path, as import does)
    #[arg(long, value_parser = crate::cli::run_name_arg)]
    run: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    /// Poll the files instead of waiting for notifications (network filesystems, containers)
    #[arg(long)]
    poll: bool,
    /// Read what is there now, then exit
    #[arg(long)]
    once: bool,
    #[command(flatten)]
    watch: Inline,
}

enum Wake {
    Changed(Vec<PathBuf>),
    Stop,
    Input(Vec<u8>),
    InputEnd(Option<std::io::Error>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Does not exist yet.
    Waiting,
    File,
    Dir,
}

struct Target {
    path: PathBuf,
    absolute: PathBuf,
    kind: Kind,
}

struct Entry {
    follow: Follow,
    sink: Sink,
    /// Reading the file failed last time (reported once, tried again at every look).
    failing: bool,
    /// A console log's reference (`None` for structured files).
    reading: Option<reading::Reading>,
    /// What the file wrote before (on other steps) is to be taken out before it is read.
    withdraw: bool,
}

struct Tail<'a> {
    a: &'a Args,
    store: Store,
    targets: Vec<Target>,
    entries: Vec<Entry>,
    followed: HashSet<PathBuf>,
    monitors: Option<Monitors>,
    /// The database cannot be written for now (said once, tried again with a growing delay).
    trouble: Trouble,
}

fn is_io(e: &crate::Error) -> bool {
    matches!(e, crate::Error::Io { .. })
}

/// Whether writing failed on trouble that clears by itself (a lock, a full disk).
fn is_passing(e: &anyhow::Error) -> bool {
    e.downcast_ref::<crate::Error>().is_some_and(is_transient)
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}

pub fn run(db: Option<&PathBuf>, defs: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    if a.paths.iter().any(|p| p.as_os_str() == "-") {
        return stdin::run(db, defs, a);
    }
    let prefix = a.paths.len() > 1 || a.paths.iter().any(|p| p.is_dir());
    let mut tail = Tail {
        a: &a,
        store: open_store(db)?,
        targets: a
            .paths
            .iter()
            .map(|p| Target {
                path: p.clone(),
                absolute: absolute(p),
                kind: Kind::Waiting,
            })
            .collect(),
        entries: Vec::new(),
        followed: HashSet::new(),
        monitors: Monitors::inline(&a.watch, defs, prefix, false)?,
        trouble: Trouble::new(),
    };
    let (tx, rx) = mpsc::channel();
    let mut watcher = None;
    if !a.once {
        signals::forward(tx.clone(), |_| Wake::Stop).context("installing signal handlers")?;
        let t = tx.clone();
        let w = Watcher::new(a.poll, move |paths| {
            let _ = t.send(Wake::Changed(paths));
        })
        .context("starting to watch files")?;
        watcher = Some(w);
    }
    let tick = if a.poll { POLL_FILES } else { RESCAN };
    let mut failure: Option<Failure> = None;
    let mut rescan = true;
    let mut last_scan = Instant::now();
    loop {
        tail.settle_targets()?;
        if let Some(w) = watcher.as_mut() {
            let paths: Vec<PathBuf> = tail.targets.iter().map(|t| t.absolute.clone()).collect();
            w.sync(&paths);
        }
        if rescan {
            tail.discover()?;
            tail.refresh_readings();
            last_scan = Instant::now();
        }
        tail.poll()?;
        if let Some(m) = tail.monitors.as_mut()
            && let Some(f) = m.check(&tail.store, a.once)?
        {
            failure = Some(f);
            break;
        }
        if a.once {
            for t in tail.targets.iter().filter(|t| t.kind == Kind::Waiting) {
                eprintln!("{}: does not exist (yet)", t.path.display());
            }
            break;
        }
        let wait = tail
            .monitors
            .as_ref()
            .and_then(Monitors::due_in)
            .map_or(tick, |d| d.min(tick));
        rescan = match rx.recv_timeout(wait) {
            Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Ok(Wake::Changed(paths)) => {
                let mut all = paths;
                let mut stop = false;
                while let Ok(w) = rx.try_recv() {
                    match w {
                        Wake::Changed(p) => all.extend(p),
                        _ => stop = true,
                    }
                }
                if stop {
                    break;
                }
                all.is_empty() || all.iter().any(|p| !tail.followed.contains(p))
            }
            Ok(_) => false,
            Err(RecvTimeoutError::Timeout) => false,
        } || last_scan.elapsed() >= RESCAN;
    }
    let last = tail.finish(a.once && failure.is_none(), failure.is_none())?;
    if let Some(f) = failure.or(last) {
        eprintln!("{f}");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

impl Tail<'_> {
    /// Targets that appeared become files to follow or directories to search.
    fn settle_targets(&mut self) -> Result<()> {
        let mut files = Vec::new();
        for t in &mut self.targets {
            if t.kind != Kind::Waiting {
                continue;
            }
            match std::fs::metadata(&t.path) {
                Ok(m) if m.is_dir() => t.kind = Kind::Dir,
                Ok(_) => {
                    t.kind = Kind::File;
                    files.push(t.path.clone());
                }
                Err(_) => {}
            }
        }
        for p in files {
            if let Some((kind, _)) = crate::foreign::owner(&p) {
                self.not_followed(&p, kind);
                continue;
            }
            let run = discover::file_run_name(&p);
            self.add(&p, &run)?;
        }
        Ok(())
    }

    /// Find the files of the directories, as import would, and follow the new ones.
    fn discover(&mut self) -> Result<()> {
        let dirs: Vec<PathBuf> = self
            .targets
            .iter()
            .filter(|t| t.kind == Kind::Dir)
            .map(|t| t.path.clone())
            .collect();
        for d in dirs {
            let Ok(sources) = discover::directory(&d, self.a.read.format) else {
                continue;
            };
            'sources: for s in sources {
                if let Some(kind) = s.store {
                    self.not_followed(&s.path, kind);
                    continue;
                }
                let run = self.a.run.as_deref().unwrap_or(&s.run).to_owned();
                for lesser in &s.passed_over {
                    if !self.supersede(lesser, &s.path, &run)? {
                        continue 'sources;
                    }
                }
                // A run's event files, each followed on its own into the run, oldest first.
                for path in std::iter::once(&s.path).chain(&s.more) {
                    if !self.followed.contains(&absolute(path)) {
                        self.add(path, &s.run)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Another tracker's store is read whole by `import`, not followed: say so once.
    fn not_followed(&mut self, path: &Path, kind: crate::foreign::Kind) {
        if self.followed.insert(absolute(path)) {
            eprintln!(
                "{} is a {}: tail follows growing logs; `tracker import {}` reads it",
                path.display(),
                kind.what(),
                path.display()
            );
        }
    }

    fn add(&mut self, path: &Path, run: &str) -> Result<()> {
        let abs = absolute(path);
        if !self.followed.insert(abs.clone()) {
            return Ok(());
        }
        let run = self.a.run.clone().unwrap_or_else(|| run.to_owned());
        let key = abs.display().to_string();
        // Only a console log takes its steps from a trainer_state.json beside it.
        let structured = path.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_ascii_lowercase();
            matches!(e.as_str(), "jsonl" | "ndjson" | "json" | "csv" | "tsv")
        });
        let reading = (!structured).then(|| reading::Reading::of(path));
        let mut entry = self.entry(path, &run, reading, false);
        if let Some(pos) = self.store.source_position(&key)?
            && pos.run == run
        {
            // Read against another trainer_state.json before: read again, on its steps.
            match pos.reading == entry.reading.as_ref().and_then(|r| r.fingerprint()) {
                true => entry.follow.resume_from(pos),
                false => entry.withdraw = true,
            }
        }
        eprintln!("following {} → run {run}", path.display());
        // --watch starts with the current verdicts of a run that already has points.
        if let Some(m) = self.monitors.as_mut()
            && self.store.run_status(&run)?.is_some()
        {
            m.touch(&run);
        }
        self.entries.push(entry);
        Ok(())
    }

    /// A new entry following `path` into `run` from the start, its steps read against
    /// `reading`; with `withdraw`, what the file wrote before is taken out first.
    fn entry(
        &self,
        path: &Path,
        run: &str,
        reading: Option<reading::Reading>,
        withdraw: bool,
    ) -> Entry {
        let key = absolute(path).display().to_string();
        let options = Options {
            logging_steps: self.a.read.logging_steps,
            hf_reference: reading.as_ref().and_then(|r| r.reference.clone()),
        };
        let params = sidecar::hparams(path).unwrap_or_else(|why| {
            eprintln!("warning: {why}; params left out");
            None
        });
        let follow = Follow::new(path, &key, run, self.a.read.format, options, params)
            .with_reading(reading.as_ref().and_then(|r| r.fingerprint()));
        let shown = path.display().to_string();
        Entry {
            follow,
            sink: Sink::new(&shown, run, "tail"),
            failing: false,
            reading,
            withdraw,
        }
    }

    /// Read what is new in every file.
    fn poll(&mut self) -> Result<bool> {
        self.each(None)
    }

    /// Read every file (`finish`: for the last time) and write what is new. While the database
    /// cannot be written, each file keeps what it read and the next call tries again (when
    /// the retry delay allows); true once everything read is written.
    fn each(&mut self, finish: Option<bool>) -> Result<bool> {
        if !self.trouble.ready() {
            return Ok(false);
        }
        let (store, monitors) = (&mut self.store, &mut self.monitors);
        for e in &mut self.entries {
            let Entry {
                follow,
                sink,
                failing,
                withdraw,
                ..
            } = e;
            let mut r = Ok(());
            if *withdraw {
                r = reading::withdraw(store, follow).map(|()| *withdraw = false);
            }
            if r.is_ok() {
                let mut write = |c: crate::tail::Chunk<'_>| {
                    Ok::<_, anyhow::Error>(sink.chunk(store, monitors, c)?)
                };
                r = match finish {
                    None => follow.poll(&mut write),
                    Some(partial) => follow.finish(partial, &mut write),
                };
            }
            for n in follow.take_notes() {
                eprintln!("{n}");
            }
            match r {
                Ok(()) => *failing = false,
                // A file that cannot be read (permissions, a vanished directory) is tried
                // again.
                Err(err) if err.downcast_ref::<crate::Error>().is_some_and(is_io) => {
                    if !*failing {
                        eprintln!("{err:#}; trying again");
                    }
                    *failing = true;
                }
                // So is a database that cannot be written for now: the file keeps the chunk.
                Err(err) if is_passing(&err) => {
                    if let Some(line) = self.trouble.failed(&trouble_reason(&err)) {
                        eprintln!("{line}");
                    }
                    return Ok(false);
                }
                Err(err) => return Err(err),
            }
        }
        if let Some(line) = self.trouble.cleared() {
            eprintln!("{line}");
        }
        Ok(true)
    }

    /// Stop: flush what parsers hold back and record the work in the runs' history. With
    /// `check`, the verdicts of what that wrote are looked at once more.
    fn finish(mut self, partial: bool, check: bool) -> Result<Option<Failure>> {
        // Stopping is the last chance to write: try now, whatever the retry delay says.
        self.trouble.try_now();
        if !(self.poll()? && self.each(Some(partial))?) {
            bail!(
                "stopped before everything read could be written (the database could not be \
                 written); run the same tail again: it resumes where the database stopped"
            );
        }
        let mut failure = None;
        if check && let Some(m) = self.monitors.as_mut() {
            failure = m.check(&self.store, true)?;
        }
        let mut runs = std::collections::BTreeSet::new();
        let (mut values, mut changed, mut skipped) = (0, 0, 0);
        for e in self.entries {
            values += e.sink.total.offered;
            changed += e.sink.total.changed;
            skipped += e.sink.skipped;
            if e.sink.total.offered > 0 {
                runs.insert(e.sink.run().to_owned());
            }
            e.sink.close(&mut self.store)?;
        }
        eprintln!(
            "read {values} values ({changed} points new or changed) into {} run{}{}",
            runs.len(),
            if runs.len() == 1 { "" } else { "s" },
            if skipped > 0 {
                format!("; {skipped} lines skipped (see above)")
            } else {
                String::new()
            }
        );
        Ok(failure)
    }
}
