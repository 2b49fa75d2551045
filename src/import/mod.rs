//! The import pipeline: files (or a pipe) read through their parser into the store, in
//! transactions of [`FLUSH_POINTS`] points. `tracker import`, the benchmarks and anything else
//! that imports a whole input go through [`import_source`] or [`import_reader`]; what happens
//! along the way (skipped lines, bytes read, warnings) goes to a [`Report`].

use crate::discover::{Source, sidecar};
use crate::foreign;
use crate::ingest::{self, Batch, Format, Options, Skip, detect::HEAD_LEN, detect::HEAD_MAX};
use crate::store::{Store, WriteStats, Writer};
use crate::{Error, Result};
use std::io::Read;
use std::path::Path;

/// Points parsed before they are written in one transaction.
pub const FLUSH_POINTS: usize = 50_000;
const CHUNK: usize = 1 << 20;

/// How input is read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// The format to read (default: detected from each file's name and first bytes).
    pub format: Option<Format>,
    /// The Trainer's `logging_steps`, for console logs without a `trainer_state.json`.
    pub logging_steps: Option<u64>,
}

/// What an import tells along the way; every method has a default that does nothing.
pub trait Report {
    /// A piece of `file` that was not imported. An error stops the import.
    fn skip(&mut self, _file: &str, _skip: &Skip) -> Result<()> {
        Ok(())
    }
    /// `bytes` more bytes were read.
    fn read(&mut self, _bytes: u64) {}
    /// `file` has been read to its end.
    fn file_done(&mut self, _file: &str) {}
    /// Something the user should know that does not stop the import.
    fn warn(&mut self, _message: &str) {}
}

/// A report that tells nothing.
pub struct Quiet;
impl Report for Quiet {}

/// What importing one source did.
#[derive(Debug)]
pub struct Outcome {
    /// The format of its (first) file; `None` when it had none.
    pub format: Option<Format>,
    pub stats: WriteStats,
    /// The runs that received points.
    pub runs: Vec<String>,
    pub skipped: u64,
    /// Values that replaced a different value logged earlier at the same step.
    pub replaced_in_stream: u64,
}

/// How a path is shown in messages and history (`-` is standard input).
pub fn shown(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// Import a discovered source: its file (`-` reads standard input), then the further files of
/// the same stream, into its run, with the params of an `hparams.yaml` beside it.
pub fn import_source(
    store: &mut Store,
    source: &Source,
    settings: &Settings,
    report: &mut dyn Report,
) -> Result<Outcome> {
    if let Some(kind) = source.store {
        return import_store(store, kind, source, report);
    }
    let label = shown(&source.path);
    let mut stream = Stream::new(store, &label, &source.run);
    for path in std::iter::once(&source.path).chain(&source.more) {
        let name = shown(path);
        let stdin = path.as_os_str() == "-";
        let mut input: Box<dyn Read> = if stdin {
            Box::new(std::io::stdin().lock())
        } else {
            Box::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?)
        };
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let options = |format: Format| Options {
            logging_steps: settings.logging_steps,
            hf_reference: (format == Format::HfLog && !stdin)
                .then(|| sidecar::hf_reference(path))
                .flatten(),
        };
        stream.read(
            &mut input,
            &name,
            &file_name,
            settings.format,
            options,
            report,
        )?;
    }
    let params = match (source.path.as_os_str() != "-")
        .then(|| sidecar::hparams(&source.path))
        .transpose()
    {
        Ok(p) => p.flatten(),
        Err(why) => {
            report.warn(&format!("{why}; params left out"));
            None
        }
    };
    stream.finish(params)
}

/// Import another tracker's store: its runs with their params, in transactions of
/// [`FLUSH_POINTS`] points.
fn import_store(
    store: &mut Store,
    kind: foreign::Kind,
    source: &Source,
    report: &mut dyn Report,
) -> Result<Outcome> {
    let label = shown(&source.path);
    let mut writer = store.writer(&label, &source.run);
    writer.set_file(&label);
    let mut batch = Batch::new();
    let mut skipped = 0;
    // Params wait for their run's first value: a run of theirs without values (a crashed
    // or empty run) never becomes a run that holds params alone.
    let mut with_values = std::collections::HashSet::new();
    let mut held = Vec::new();
    let mut flush = |b: &mut Batch| -> Result<()> {
        for skip in &b.skips {
            skipped += 1;
            report.skip(&label, skip)?;
        }
        with_values.extend(b.points.iter().map(|p| p.run));
        held.append(&mut b.params);
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut held)
            .into_iter()
            .partition(|(run, _)| with_values.contains(run));
        held = waiting;
        b.params = ready;
        writer.write(b)?;
        b.clear();
        Ok(())
    };
    foreign::read(
        kind,
        &source.path,
        &mut foreign::Sink::new(&mut batch, &mut flush),
    )?;
    let bytes =
        std::fs::metadata(&source.path).map_or(0, |m| if m.is_file() { m.len() } else { 0 });
    report.read(bytes);
    report.file_done(&label);
    let runs = writer.runs_written(&batch);
    Ok(Outcome {
        format: None,
        stats: writer.finish()?,
        runs,
        skipped,
        replaced_in_stream: batch.replaced_in_stream,
    })
}

/// Import one input read from `input` (a pipe, a buffer) into run `run` (unless its lines name
/// theirs): `label` names it in messages and history, `file_name` helps detect its format.
pub fn import_reader(
    store: &mut Store,
    input: &mut dyn Read,
    label: &str,
    file_name: &str,
    run: &str,
    settings: &Settings,
    report: &mut dyn Report,
) -> Result<Outcome> {
    let mut stream = Stream::new(store, label, run);
    let options = |_| Options {
        logging_steps: settings.logging_steps,
        hf_reference: None,
    };
    stream.read(input, label, file_name, settings.format, options, report)?;
    stream.finish(None)
}

/// One source being imported: one batch and one writer for all its files (one stream).
struct Stream<'s> {
    batch: Batch,
    writer: Writer<'s>,
    format: Option<Format>,
    skipped: u64,
}

impl<'s> Stream<'s> {
    fn new(store: &'s mut Store, label: &str, run: &str) -> Self {
        Stream {
            batch: Batch::new(),
            writer: store.writer(label, run),
            format: None,
            skipped: 0,
        }
    }

    fn read(
        &mut self,
        input: &mut dyn Read,
        name: &str,
        file_name: &str,
        format: Option<Format>,
        options: impl FnOnce(Format) -> Options,
        report: &mut dyn Report,
    ) -> Result<()> {
        self.writer.set_file(name);
        let f = read_input(
            input,
            name,
            file_name,
            format,
            options,
            &mut self.batch,
            &mut self.writer,
            &mut Counted {
                report,
                skipped: &mut self.skipped,
            },
        )?;
        report.file_done(name);
        self.format.get_or_insert(f);
        Ok(())
    }

    /// Write the params once the values are written: a source without values never leaves a
    /// run that holds params alone.
    fn finish(mut self, params: Option<sidecar::Params>) -> Result<Outcome> {
        let runs = self.writer.runs_written(&self.batch);
        let replaced_in_stream = self.batch.replaced_in_stream;
        if let Some(p) = params.filter(|_| !runs.is_empty()) {
            self.batch.clear();
            self.batch.params.push((0, p));
            self.writer.write(&self.batch)?;
        }
        Ok(Outcome {
            format: self.format,
            stats: self.writer.finish()?,
            runs,
            skipped: self.skipped,
            replaced_in_stream,
        })
    }
}

/// A report that also counts the skipped pieces.
struct Counted<'r> {
    report: &'r mut dyn Report,
    skipped: &'r mut u64,
}

impl Report for Counted<'_> {
    fn skip(&mut self, file: &str, skip: &Skip) -> Result<()> {
        *self.skipped += 1;
        self.report.skip(file, skip)
    }
    fn read(&mut self, bytes: u64) {
        self.report.read(bytes);
    }
}

/// Read one input into `batch`, writing its points through `writer` in transactions of
/// [`FLUSH_POINTS`]: detect the format from `file_name` and the first bytes unless `format` is
/// given, and stream the input through the parser in chunks. Each skipped piece goes to the
/// report (an error from it stops the import), and the bytes consumed. Several inputs read
/// into one batch and writer are one stream (a run's event files in order).
#[allow(clippy::too_many_arguments)]
fn read_input(
    input: &mut dyn Read,
    source: &str,
    file_name: &str,
    format: Option<Format>,
    options: impl FnOnce(Format) -> Options,
    batch: &mut Batch,
    writer: &mut Writer<'_>,
    report: &mut dyn Report,
) -> Result<Format> {
    let io = |e| Error::io(source, e);
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    let mut eof = fill(input, &mut pending, HEAD_LEN).map_err(io)?;
    let format = match format {
        Some(f) => f,
        None => {
            let mut f = ingest::detect(file_name, &pending);
            // Console logs may print their first metrics after a long preamble: look further.
            if f == Format::KeyValue && !eof {
                eof = fill(input, &mut pending, HEAD_MAX - HEAD_LEN).map_err(io)?;
                f = ingest::detect(file_name, &pending);
            }
            f
        }
    };
    let mut parser = ingest::parser(format, &options(format));
    loop {
        let consumed = parser.feed(&pending, eof, batch);
        report.read(consumed as u64);
        pending.drain(..consumed);
        for skip in &batch.skips {
            report.skip(source, skip)?;
        }
        if batch.points.len() >= FLUSH_POINTS || eof {
            writer.write(batch)?;
            batch.clear();
        } else {
            batch.skips.clear();
        }
        if eof {
            return Ok(format);
        }
        eof = fill(input, &mut pending, CHUNK).map_err(io)?;
    }
}

/// Read until `buf` holds `want` more bytes or the input ends; true at the end.
fn fill(input: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let start = buf.len();
    buf.resize(start + want, 0);
    let mut filled = start;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => {
                buf.truncate(filled);
                return Ok(true);
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(filled);
                return Err(e);
            }
        }
    }
    Ok(false)
}
