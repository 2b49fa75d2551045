//! The only part of the terminal UI that reads the database: a thread with its own
//! connection. It answers load requests, and every poll interval asks SQLite whether another
//! process committed (`PRAGMA data_version`); when one did, it re-reads the run list (the app
//! reloads the runs on its chart whose point counts moved) and recomputes changed badges.
//! Everything goes to the loop's one event channel.

use super::event::{Data, Event, LoadedRun, RunRow};
use crate::defs::Registry;
use crate::diagnose::{self, is_bookkeeping};
use crate::model::Series;
use crate::store::Store;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

/// What the app asks the loader for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Read a run in full and diagnose it.
    Load(String),
}

/// How often the database is asked whether it changed.
pub const POLL: Duration = Duration::from_millis(500);

/// Start the loader on its own thread; returns where to send requests. The thread ends when
/// the event channel or the request channel closes.
pub fn spawn(
    store: Store,
    registry: Arc<Registry>,
    events: Sender<Event>,
    poll: Duration,
) -> Sender<Request> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        Loader {
            store,
            registry,
            events,
            version: None,
            seen: HashMap::new(),
            badges: VecDeque::new(),
        }
        .run(&rx, poll);
    });
    tx
}

struct Loader {
    store: Store,
    registry: Arc<Registry>,
    events: Sender<Event>,
    version: Option<i64>,
    /// Point counts of the runs as last listed.
    seen: HashMap<String, u64>,
    /// Runs whose badge is to be (re)computed, newest first.
    badges: VecDeque<String>,
}

impl Loader {
    fn run(mut self, rx: &Receiver<Request>, poll: Duration) {
        let mut next_poll = Instant::now();
        loop {
            let now = Instant::now();
            let wait = if now >= next_poll || !self.badges.is_empty() {
                Duration::ZERO
            } else {
                next_poll - now
            };
            let request = match rx.recv_timeout(wait) {
                Ok(r) => Some(r),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            let alive = match request {
                Some(Request::Load(run)) => self.load(&run),
                None if Instant::now() >= next_poll => {
                    next_poll = Instant::now() + poll;
                    self.poll()
                }
                None => match self.badges.pop_front() {
                    Some(run) => self.badge(&run),
                    None => true,
                },
            };
            if !alive {
                return;
            }
        }
    }

    /// Send an event; false when the app is gone.
    fn send(&self, data: Data) -> bool {
        self.events.send(Event::Data(data)).is_ok()
    }

    fn poll(&mut self) -> bool {
        let version = match self.store.data_version() {
            Ok(v) => v,
            Err(e) => return self.send(Data::Error(format!("reading the database: {e}"))),
        };
        if self.version == Some(version) {
            return true;
        }
        self.version = Some(version);
        let runs = match self.store.runs() {
            Ok(r) => r,
            Err(e) => return self.send(Data::Error(format!("reading the runs: {e}"))),
        };
        let mut rows: Vec<RunRow> = runs
            .into_iter()
            .map(|r| RunRow {
                name: r.name,
                created: r.created,
                points: r.points,
                last_step: r.last_step,
            })
            .collect();
        rows.sort_by(|a, b| b.created.total_cmp(&a.created));
        for row in &rows {
            if self.seen.get(&row.name) != Some(&row.points) {
                self.seen.insert(row.name.clone(), row.points);
                if !self.badges.contains(&row.name) {
                    self.badges.push_back(row.name.clone());
                }
            }
        }
        self.send(Data::Runs(rows))
    }

    fn read(&self, run: &str) -> crate::Result<LoadedRun> {
        let mut curves = Vec::new();
        for name in self.store.metric_names(run)? {
            let s = self.store.series(run, &name)?;
            curves.push((name, Arc::new(s)));
        }
        Ok(diagnosed(run, curves, &self.registry))
    }

    fn load(&mut self, run: &str) -> bool {
        self.badges.retain(|r| r != run);
        match self.read(run) {
            Ok(l) => self.send(Data::Run(Box::new(l))),
            Err(e) => self.send(Data::Error(format!("reading run '{run}': {e}"))),
        }
    }

    fn badge(&mut self, run: &str) -> bool {
        match self.read(run) {
            Ok(l) => self.send(Data::Badge {
                run: run.to_owned(),
                points: l.points,
                verdict: l.report.badge(),
            }),
            // Deleted meanwhile: the next run list says so.
            Err(_) => true,
        }
    }
}

/// A run's curves with their diagnosis: training curves make the report (and the badge),
/// bookkeeping curves are classified on the side.
pub fn diagnosed(run: &str, curves: Vec<(String, Arc<Series>)>, registry: &Registry) -> LoadedRun {
    let (book, train): (Vec<_>, Vec<_>) = curves.iter().partition(|(n, _)| is_bookkeeping(n));
    let owned: Vec<(String, Series)> = train
        .iter()
        .map(|(n, s)| (n.clone(), Series::clone(s)))
        .collect();
    let report = diagnose::run(run, &owned, registry);
    let others = book
        .iter()
        .map(|(n, s)| diagnose::curve(n, s, registry))
        .collect();
    LoadedRun {
        name: run.to_owned(),
        points: curves.iter().map(|(_, s)| s.len() as u64).sum(),
        curves,
        report,
        others,
    }
}
