//! Writing what `tail` and `exec` parse: a stream's batches into the store as they come, and
//! the runs that changed (and the lines skipped) told to an [`Observer`].

use crate::Result;
use crate::ingest::{Batch, Format, Options};
use crate::store::{Store, WriteState, WriteStats};
use crate::tail::{Chunk, Stream};
use std::collections::BTreeSet;

/// What watches live writing: the verdict monitors, the terminal.
pub trait Observer {
    /// Run `run` received new or changed points.
    fn touched(&mut self, _run: &str) {}
    /// A piece of input was skipped: `SOURCE:LOCATION: reason`.
    fn skipped(&mut self, _line: &str) {}
}

/// Nobody watches.
impl Observer for () {}

/// One source's writer state, renewed when its stream starts over with a new batch.
pub struct Sink {
    source: String,
    run: String,
    kind: &'static str,
    state: WriteState,
    generation: u64,
    /// Report skipped lines on stderr (not while passing a command's output through).
    pub report_skips: bool,
    pub skipped: u64,
    pub total: WriteStats,
}

impl Sink {
    pub fn new(source: &str, run: &str, kind: &'static str) -> Self {
        Sink {
            source: source.to_owned(),
            run: run.to_owned(),
            kind,
            state: WriteState::new(source, run).with_event_kind(kind),
            generation: 0,
            report_skips: true,
            skipped: 0,
            total: WriteStats::default(),
        }
    }

    /// The run its points go to (unless the data names one).
    pub fn run(&self) -> &str {
        &self.run
    }

    /// Write a batch of stream generation `generation`, with the read position if any.
    pub fn write(
        &mut self,
        store: &mut Store,
        observer: &mut dyn Observer,
        batch: &Batch,
        generation: u64,
        position: Option<&crate::model::SourcePosition>,
    ) -> Result<()> {
        if generation != self.generation {
            // A new batch has new name indices: a new state (recording what the old wrote).
            let old = std::mem::replace(
                &mut self.state,
                WriteState::new(&self.source, &self.run).with_event_kind(self.kind),
            );
            store.resume_writer(old).finish()?;
            self.generation = generation;
        }
        let mut w = store.resume_writer(std::mem::take(&mut self.state));
        let r = match position {
            Some(p) => w.write_with_offset(batch, p),
            None => w.write(batch),
        };
        self.state = w.suspend();
        // On failure the caller keeps the batch and offers it again: skips are told once.
        let stats = r?;
        for s in &batch.skips {
            self.skipped += 1;
            if self.report_skips {
                observer.skipped(&format!("{}:{}: {}", self.source, s.location, s.reason));
            }
        }
        self.total += stats;
        if stats.changed > 0 {
            let runs: BTreeSet<u32> = batch.points.iter().map(|p| p.run).collect();
            for r in runs {
                observer.touched(&self.state.run_name(batch.run_key(r)));
            }
        }
        Ok(())
    }

    /// A followed file's chunk.
    pub fn chunk(
        &mut self,
        store: &mut Store,
        observer: &mut dyn Observer,
        c: Chunk<'_>,
    ) -> Result<()> {
        self.write(store, observer, c.batch, c.generation, Some(&c.position))
    }

    /// Record the source's work in the history of the runs it changed.
    pub fn close(self, store: &mut Store) -> Result<()> {
        store.resume_writer(self.state).finish()?;
        Ok(())
    }
}

/// A stream without a position (standard input, a command's output) written as it arrives.
pub struct Live {
    pub stream: Stream,
    pub sink: Sink,
}

impl Live {
    pub fn new(
        source: &str,
        run: &str,
        kind: &'static str,
        format: Option<Format>,
        options: Options,
    ) -> Self {
        Live {
            stream: Stream::new("", format, options),
            sink: Sink::new(source, run, kind),
        }
    }

    /// Parse `data` (written by the next [`Live::flush`]).
    pub fn feed(&mut self, data: &[u8]) {
        self.stream.push(data);
    }

    /// Write what was parsed and not yet written. On failure it is kept, and the next flush
    /// writes it with whatever came since.
    pub fn flush(&mut self, store: &mut Store, observer: &mut dyn Observer) -> Result<()> {
        let b = self.stream.batch();
        if b.points.is_empty() && b.skips.is_empty() && b.restarts.is_empty() && b.params.is_empty()
        {
            return Ok(());
        }
        let generation = self.stream.generation();
        self.sink
            .write(store, observer, self.stream.batch(), generation, None)?;
        // Cleared only once written: after a failure the next write takes it all.
        self.stream.clear();
        Ok(())
    }

    /// The input ended (`partial`: its unterminated last line counts) or reading stops: what
    /// the parser held back is parsed, for the next [`Live::flush`].
    pub fn end(&mut self, partial: bool) {
        self.stream.finish(partial);
    }
}
