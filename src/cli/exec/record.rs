//! Recording a spool's output streams into the run, as files followed (their positions saved
//! with their points, so that another recorder can take over exactly where one stopped), and
//! riding out a database that cannot be written for a while: the spool keeps the output,
//! writing is tried again with a growing delay, and everything is caught up when it clears.

use crate::cli::live::trouble_reason;
use crate::cli::watch::Monitors;
use crate::ingest::{Format, Options};
use crate::live::Sink;
use crate::relay::{Job, Pipe, Spool};
use crate::store::{Store, Trouble, is_transient};
use crate::tail::Follow;
use std::time::{Duration, Instant};

/// The two streams of a spool, followed into the job's run.
pub struct Recording {
    streams: Vec<(Follow, Sink)>,
    keys: Vec<String>,
    pub trouble: Trouble,
    /// Whether the last failure was trouble that clears by itself (worth waiting for).
    passing: bool,
}

impl Recording {
    /// Follow `spool`'s streams, from where an earlier recorder stopped (if one did).
    pub fn new(store: &Store, spool: &Spool, job: &Job) -> Recording {
        let format = job.format.as_deref().and_then(|f| f.parse::<Format>().ok());
        let options = Options {
            logging_steps: job.logging_steps,
            hf_reference: None,
        };
        let mut streams = Vec::new();
        let mut keys = Vec::new();
        for pipe in Pipe::BOTH {
            let path = spool.output(pipe);
            let key = path.display().to_string();
            let mut follow = Follow::new(&path, &key, &job.run, format, options.clone(), None);
            if let Ok(Some(pos)) = store.source_position(&key) {
                follow.resume_from(pos);
            }
            let source = format!("exec: {} ({})", job.command, pipe.name());
            let mut sink = Sink::new(&source, &job.run, "exec");
            sink.report_skips = false;
            streams.push((follow, sink));
            keys.push(key);
        }
        Recording {
            streams,
            keys,
            trouble: Trouble::new(),
            passing: false,
        }
    }

    /// Write what is new in the streams. False while the database cannot be written (said
    /// once on stderr; the output waits in the spool).
    pub fn poll(&mut self, store: &mut Store, monitors: &mut Option<Monitors>) -> bool {
        self.each(store, monitors, None)
    }

    fn each(
        &mut self,
        store: &mut Store,
        monitors: &mut Option<Monitors>,
        finish: Option<bool>,
    ) -> bool {
        if !self.trouble.ready() {
            return false;
        }
        for (follow, sink) in &mut self.streams {
            let mut write =
                |c: crate::tail::Chunk<'_>| Ok::<_, anyhow::Error>(sink.chunk(store, monitors, c)?);
            let r = match finish {
                None => follow.poll(&mut write),
                Some(partial) => follow.finish(partial, &mut write),
            };
            // Notes ("resuming at byte N") are about spool files the user never sees.
            follow.take_notes();
            if let Err(e) = r {
                if let Some(line) = self.trouble.failed(&trouble_reason(&e)) {
                    eprintln!("{line}");
                }
                self.passing = e
                    .chain()
                    .find_map(|c| c.downcast_ref::<crate::Error>())
                    .is_some_and(is_transient);
                return false;
            }
        }
        self.trouble.cleared();
        true
    }

    /// The command has ended: write the rest (its unterminated last lines too), trying for
    /// up to `patience` while the database cannot be written for now (a lock, a full disk),
    /// or until `give_up` says so. True when everything was written.
    pub fn finish(
        &mut self,
        store: &mut Store,
        monitors: &mut Option<Monitors>,
        patience: Duration,
        mut give_up: impl FnMut() -> bool,
    ) -> bool {
        let deadline = Instant::now() + patience;
        loop {
            if self.trouble.ready()
                && self.each(store, monitors, None)
                && self.each(store, monitors, Some(true))
            {
                return true;
            }
            if !self.passing || Instant::now() >= deadline || give_up() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Record the work in the run's history; with `done` (everything written), forget the
    /// spool files' positions.
    pub fn close(self, store: &mut Store, done: bool) -> anyhow::Result<()> {
        for (_, sink) in self.streams {
            sink.close(store)?;
        }
        if done {
            for k in &self.keys {
                store.forget_source(k)?;
            }
        }
        Ok(())
    }
}
