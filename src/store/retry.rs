//! Trouble that clears by itself (a lock held past the busy timeout, a full disk): which
//! errors those are, and a reporter that says so once and paces the retries.

use crate::Error;
use std::time::{Duration, Instant};

/// First wait before trying again; it doubles up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(5);

/// Whether `e` may go away without anyone doing anything: another process holding the lock,
/// a full disk, a failing read or write of the file.
pub fn is_transient(e: &Error) -> bool {
    passing(e).is_some()
}

/// What is wrong, in a few words, when `e` is trouble that may go away by itself.
pub fn passing(e: &Error) -> Option<String> {
    use rusqlite::ErrorCode::*;
    let full = || "the disk holding it is full".to_owned();
    match e {
        Error::Sqlite(s) => match s.sqlite_error_code()? {
            DatabaseBusy | DatabaseLocked => Some(format!(
                "another process held its lock for more than {} s",
                super::busy_timeout().as_secs_f64()
            )),
            DiskFull => Some(full()),
            SystemIoFailure => Some(format!("reading or writing the file failed: {s}")),
            CannotOpen => Some(format!("it cannot be opened: {s}")),
            _ => None,
        },
        Error::Server {
            message,
            transient: true,
            ..
        } => Some(format!("the server failed: {message}")),
        Error::Io { source, .. }
            if source.raw_os_error() == Some(rustix::io::Errno::NOSPC.raw_os_error()) =>
        {
            Some(full())
        }
        _ => None,
    }
}

/// One episode of trouble writing: reported once, retried with a growing delay.
#[derive(Debug, Default)]
pub struct Trouble {
    /// The delay before the next try, while in trouble.
    delay: Option<Duration>,
    next_try: Option<Instant>,
    /// How many times writing failed since the trouble began.
    pub failures: u64,
}

impl Trouble {
    pub fn new() -> Self {
        Trouble::default()
    }

    /// Whether writing is failing now.
    pub fn active(&self) -> bool {
        self.delay.is_some()
    }

    /// Whether it is time to try (always, unless in trouble and waiting).
    pub fn ready(&self) -> bool {
        self.next_try.is_none_or(|t| Instant::now() >= t)
    }

    /// Try at the next chance, whatever the delay says (the last chance before stopping).
    pub fn try_now(&mut self) {
        self.next_try = None;
    }

    /// Writing failed: returns the line to print the first time in this episode.
    pub fn failed(&mut self, error: &dyn std::fmt::Display) -> Option<String> {
        self.failures += 1;
        let first = self.delay.is_none();
        let delay = self.delay.map_or(FIRST_DELAY, |d| (d * 2).min(MAX_DELAY));
        self.delay = Some(delay);
        self.next_try = Some(Instant::now() + delay);
        first.then(|| {
            format!("tracker: cannot write to the database ({error}); trying again, and catching up when it can")
        })
    }

    /// Writing worked: the trouble, if any, is over. Returns the line to print when it was.
    pub fn cleared(&mut self) -> Option<String> {
        let was = self.active();
        self.delay = None;
        self.next_try = None;
        self.failures = 0;
        was.then(|| "tracker: the database can be written again; caught up".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trouble_is_reported_once_and_retried_later_and_later() {
        let mut t = Trouble::new();
        assert!(t.ready() && !t.active());
        assert!(t.failed(&"locked").is_some());
        assert!(!t.ready() && t.active());
        assert_eq!(t.failed(&"locked"), None);
        assert_eq!(t.delay, Some(FIRST_DELAY * 2));
        for _ in 0..10 {
            t.failed(&"locked");
        }
        assert_eq!(t.delay, Some(MAX_DELAY));
        assert!(t.cleared().is_some());
        assert!(t.ready() && !t.active());
        assert_eq!(t.cleared(), None, "said once");
        assert!(t.failed(&"full").is_some(), "a new episode is reported");
    }

    #[test]
    fn busy_and_full_are_transient_and_corruption_is_not() {
        let sqlite = |code: i32| {
            Error::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
        };
        assert!(is_transient(&sqlite(rusqlite::ffi::SQLITE_BUSY)));
        assert!(is_transient(&sqlite(rusqlite::ffi::SQLITE_FULL)));
        assert!(!is_transient(&sqlite(rusqlite::ffi::SQLITE_CORRUPT)));
        assert!(!is_transient(&Error::NoSuchRun("r".into())));
    }
}
