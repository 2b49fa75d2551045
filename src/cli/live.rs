//! What `tail` and `exec` show while they write (see [`crate::live`]): skipped lines on
//! stderr, changed runs handed to the verdict monitors.

use super::watch::Monitors;
use crate::live::Observer;

/// Why writing failed, for [`crate::store::Trouble::failed`]: in a few words when it is
/// trouble that clears by itself (a lock, a full disk), else the whole error.
pub fn trouble_reason(e: &anyhow::Error) -> String {
    e.chain()
        .find_map(|c| c.downcast_ref::<crate::Error>())
        .and_then(crate::store::passing)
        .unwrap_or_else(|| format!("{e:#}"))
}

impl Observer for Option<Monitors> {
    fn touched(&mut self, run: &str) {
        if let Some(m) = self.as_mut() {
            m.touch(run);
        }
    }

    fn skipped(&mut self, line: &str) {
        eprintln!("{line}");
    }
}
