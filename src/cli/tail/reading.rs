//! A console log takes its steps from the `trainer_state.json` beside it (or in its newest
//! `checkpoint-*/`) when there is one, as import reads it. When that file appears or changes
//! while the log is followed (the Trainer saves a checkpoint), the log is read again from the
//! start against it, and what it wrote on the old steps is taken out first. A position an
//! earlier `tail` stored against another reference is not resumed, for the same reason.

use super::Tail;
use crate::discover::sidecar::hf_reference_file;
use crate::ingest::{Format, hf_log::Reference, hf_state};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The reference file, its size and modification time.
type Stamp = (PathBuf, u64, Option<SystemTime>);

/// What a log's steps are read against.
pub(super) struct Reading {
    /// How the reference file looked before it was read: it is read again only when this
    /// changes.
    stamp: Option<Stamp>,
    pub reference: Option<Vec<Reference>>,
}

fn stamp(log: &Path) -> Option<Stamp> {
    let file = hf_reference_file(log)?;
    let meta = std::fs::metadata(&file).ok()?;
    Some((file, meta.len(), meta.modified().ok()))
}

impl Reading {
    pub fn of(log: &Path) -> Reading {
        let stamp = stamp(log);
        let reference = stamp
            .as_ref()
            .and_then(|(file, _, _)| std::fs::read(file).ok())
            .and_then(|bytes| hf_state::reference(&bytes).ok());
        Reading { stamp, reference }
    }

    /// The reference file, if there is one.
    pub fn file(&self) -> Option<&Path> {
        self.stamp.as_ref().map(|s| s.0.as_path())
    }

    /// What the steps are read against, in a few words that change when the reference does
    /// (saved with the log's position).
    pub fn fingerprint(&self) -> Option<String> {
        let r = self.reference.as_ref()?;
        // FNV-1a over the logging calls: stable across builds, unlike std's hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        for call in r {
            eat(&call.step.to_le_bytes());
            eat(&call.epoch.map_or(u64::MAX, f64::to_bits).to_le_bytes());
            for k in &call.keys {
                eat(k.as_bytes());
                eat(&[0]);
            }
        }
        let last = r.last().map_or(0, |c| c.step);
        Some(format!(
            "trainer_state: {} logging calls to step {last}, {h:016x}",
            r.len()
        ))
    }
}

impl Tail<'_> {
    /// Look again at the references of the logs followed; a log whose reference changed is
    /// read again from the start (what it wrote is taken out first, see `Entry::withdraw`).
    pub(super) fn refresh_readings(&mut self) {
        for i in 0..self.entries.len() {
            let e = &mut self.entries[i];
            let Some(old) = e.reading.as_ref() else {
                continue;
            };
            let path = e.follow.path().to_owned();
            if stamp(&path) == old.stamp {
                continue;
            }
            let new = Reading::of(&path);
            if new.fingerprint() == old.fingerprint()
                || e.follow.format().is_some_and(|f| f != Format::HfLog)
            {
                // Only a console log of the Trainer takes its steps from it.
                e.follow.set_reading(new.fingerprint());
                e.reading = Some(new);
                continue;
            }
            let run = e.sink.run().to_owned();
            if let Some(file) = new.file() {
                eprintln!(
                    "{}: its steps now come from {}: reading it again from the start",
                    path.display(),
                    file.display()
                );
            }
            self.entries[i] = self.entry(&path, &run, Some(new), true);
        }
    }
}

/// Take out what `follow`'s file wrote on the steps it was read against before.
pub(super) fn withdraw(
    store: &mut crate::store::Store,
    follow: &crate::tail::Follow,
) -> anyhow::Result<()> {
    let path = follow.path();
    let key = super::absolute(path).display().to_string();
    let reason = "read again from the start on the steps of its trainer_state.json";
    for w in store.withdraw_source(&key, reason)? {
        eprintln!(
            "{}: took out the {} points it wrote into run {} on other steps",
            path.display(),
            w.points,
            w.run
        );
    }
    Ok(())
}
