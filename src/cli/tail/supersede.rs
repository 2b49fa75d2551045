//! A run directory that comes to prefer another file while it is followed: a
//! `trainer_state.json` appears beside the `train.log` being read, a `metrics.csv` beside an
//! event file. Import takes one source per run directory, and the lesser file has its own
//! step scale (a console log counts its records), so what it wrote is taken out before the
//! preferred file is read: the run ends as `tracker import` of the same files leaves it.

use super::{Kind, Tail, absolute};
use crate::cli::live::trouble_reason;
use crate::store::is_transient;
use anyhow::Result;
use std::path::Path;

impl Tail<'_> {
    /// Stop following `lesser`, a file of run `run` that `preferred` replaces, and take out
    /// what it wrote (in this `tail` or an earlier one). False when the database cannot be
    /// written for now: `preferred` waits, and the next look tries again.
    pub(super) fn supersede(&mut self, lesser: &Path, preferred: &Path, run: &str) -> Result<bool> {
        let abs = absolute(lesser);
        // A file named on the command line is always read.
        if self
            .targets
            .iter()
            .any(|t| t.kind == Kind::File && t.absolute == abs)
        {
            return Ok(true);
        }
        let key = abs.display().to_string();
        if !self.followed.contains(&abs) && self.store.source_position(&key)?.is_none() {
            return Ok(true);
        }
        let reason = format!(
            "{} is read instead, as import reads this directory",
            preferred.display()
        );
        let gone = match self.store.withdraw_source(&key, &reason) {
            Ok(gone) => gone,
            Err(e) if is_transient(&e) => {
                let e = anyhow::Error::from(e);
                if let Some(line) = self.trouble.failed(&trouble_reason(&e)) {
                    eprintln!("{line}");
                }
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        };
        self.entries.retain(|e| absolute(e.follow.path()) != abs);
        self.followed.remove(&abs);
        eprintln!("{}: {reason}", lesser.display());
        for w in gone {
            eprintln!(
                "  took out the {} points it wrote into run {}",
                w.points, w.run
            );
            // A run that only it gave points to is not one an import would make.
            if w.left == 0 && w.run != run {
                self.store.delete_run(&w.run)?;
                eprintln!("  run {} is left without points: removed", w.run);
            } else if let Some(m) = self.monitors.as_mut() {
                m.touch(&w.run);
            }
        }
        Ok(true)
    }
}
