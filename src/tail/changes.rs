//! File-system notifications, reduced to "something changed here" (the only file using
//! notify). Events are debounced by notify-debouncer-mini; `--poll` uses notify's
//! `PollWatcher`, which notify recommends for network filesystems and containers, where
//! inotify sees nothing.
//!
//! What to watch follows the paths asked for: a directory recursively (a new `version_N/` or
//! event file is noticed); a file through its parent directory, non-recursively, because
//! editors and loggers replace files; a path that does not exist yet through its nearest
//! existing ancestor, re-armed by [`Watcher::sync`] as the missing directories appear.

use notify_debouncer_mini::notify::{self, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{Config, DebounceEventResult, Debouncer, new_debouncer_opt};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long events are gathered before they are handed on.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// How often `--poll` looks for changes (in whole seconds of modification time: the caller
/// looks at the files it follows more often).
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);

enum Inner {
    Notify(Debouncer<RecommendedWatcher>),
    Poll(Debouncer<PollWatcher>),
}

/// Watches the paths given to `tail` and calls back with the paths that changed (empty when
/// notify reported an error: look at everything).
pub struct Watcher {
    inner: Inner,
    watched: BTreeMap<PathBuf, bool>,
}

impl Watcher {
    /// Start watching nothing yet; `on_change` runs on notify's thread.
    pub fn new(
        poll: bool,
        on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
    ) -> notify::Result<Self> {
        let handler = move |r: DebounceEventResult| match r {
            Ok(events) => on_change(events.into_iter().map(|e| e.path).collect()),
            Err(_) => on_change(Vec::new()),
        };
        let config = Config::default()
            .with_timeout(DEBOUNCE)
            .with_batch_mode(false);
        let inner = if poll {
            let notify_config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
            Inner::Poll(new_debouncer_opt(
                config.with_notify_config(notify_config),
                handler,
            )?)
        } else {
            Inner::Notify(new_debouncer_opt(config, handler)?)
        };
        Ok(Watcher {
            inner,
            watched: BTreeMap::new(),
        })
    }

    fn watcher(&mut self) -> &mut dyn notify::Watcher {
        match &mut self.inner {
            Inner::Notify(d) => d.watcher(),
            Inner::Poll(d) => d.watcher(),
        }
    }

    /// Watch what `targets` need now (see the module docs), and stop watching what they no
    /// longer need. Cheap when nothing changed: call it after every change.
    pub fn sync(&mut self, targets: &[PathBuf]) {
        let mut want: BTreeMap<PathBuf, bool> = BTreeMap::new();
        for t in targets {
            let (dir, recursive) = watch_point(t);
            let r = want.entry(dir).or_insert(false);
            *r |= recursive;
        }
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|(p, r)| want.get(*p) != Some(*r))
            .map(|(p, _)| p.clone())
            .collect();
        for p in stale {
            let _ = self.watcher().unwatch(&p);
            self.watched.remove(&p);
        }
        for (dir, recursive) in want {
            if self.watched.contains_key(&dir) {
                continue;
            }
            let mode = if recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            // A directory that vanished in between is watched again on the next sync.
            if self.watcher().watch(&dir, mode).is_ok() {
                self.watched.insert(dir, recursive);
            }
        }
    }
}

/// The directory to watch for `target`, and whether recursively.
fn watch_point(target: &Path) -> (PathBuf, bool) {
    if target.is_dir() {
        return (target.to_owned(), true);
    }
    let mut dir = target.parent();
    while let Some(d) = dir {
        let d = if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        };
        if d.is_dir() {
            return (d.to_owned(), false);
        }
        dir = d.parent();
    }
    (PathBuf::from("."), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watch_points_follow_what_exists() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert_eq!(watch_point(root), (root.to_owned(), true));
        let file = root.join("m.jsonl");
        assert_eq!(watch_point(&file), (root.to_owned(), false));
        let deep = root.join("a/b/m.jsonl");
        assert_eq!(watch_point(&deep), (root.to_owned(), false));
        std::fs::create_dir_all(root.join("a")).unwrap();
        assert_eq!(watch_point(&deep), (root.join("a"), false));
        assert_eq!(watch_point(Path::new("x.log")), (PathBuf::from("."), false));
    }
}
