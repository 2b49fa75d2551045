//! What reaches the loop (one channel: keys, ticks, data, resizes), what a key means
//! ([`Action`]), and what the app asks the loop to do ([`Effect`]). Also the two producer
//! threads that read the terminal and tick.

use crate::classify::Verdict;
use crate::diagnose::{CurveReport, RunReport};
use crate::model::Series;
use ratatui::crossterm::event::{self as term, KeyEvent, KeyEventKind};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Everything the loop reacts to, in the order it arrived.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    /// Time to redraw if something changed (gping: the frame rate does not follow the data).
    Tick,
    Data(Data),
    Resize(u16, u16),
    /// A signal that ends the UI (SIGTERM, SIGHUP, …), by its number: the loop stops so that
    /// the terminal is restored.
    Signal(i32),
}

/// A run as the run list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub name: String,
    /// Seconds since the Unix epoch (orders the list, newest first).
    pub created: f64,
    /// Stored points: when this changes, the run has new data.
    pub points: u64,
    pub last_step: Option<i64>,
}

/// A run's curves and their diagnosis, as the loader read them.
#[derive(Debug, Clone)]
pub struct LoadedRun {
    pub name: String,
    /// The stored point count the curves were read at.
    pub points: u64,
    /// Every logged curve, sorted by name.
    pub curves: Vec<(String, Arc<Series>)>,
    /// The diagnosis of its training curves (bookkeeping ones left out: the badge).
    pub report: RunReport,
    /// Verdicts of the bookkeeping curves (`epoch`, runtimes), for the diagnosis panel.
    pub others: Vec<CurveReport>,
}

impl LoadedRun {
    /// The verdict and evidence of one curve.
    pub fn curve_report(&self, metric: &str) -> Option<&CurveReport> {
        self.report
            .metrics
            .iter()
            .chain(&self.others)
            .find(|m| m.metric == metric)
    }

    pub fn series(&self, metric: &str) -> Option<&Arc<Series>> {
        self.curves
            .iter()
            .find(|(n, _)| n == metric)
            .map(|(_, s)| s)
    }
}

/// What the loader thread reports.
#[derive(Debug, Clone)]
pub enum Data {
    /// All runs (sent at start and whenever the database changed).
    Runs(Vec<RunRow>),
    /// One run, loaded on request (boxed: it is large).
    Run(Box<LoadedRun>),
    /// A run's badge (its worst curve's verdict), for runs not loaded.
    Badge {
        run: String,
        points: u64,
        verdict: Verdict,
    },
    /// Something went wrong reading the database; shown in the status line.
    Error(String),
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    /// Esc: close help, leave or clear the filter, clear the overlay.
    Back,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    Top,
    Bottom,
    /// PgUp, PgDn: scroll the help by a screen.
    PageUp,
    PageDown,
    /// Space: add the run under the cursor to the overlay, or take it out.
    ToggleRun,
    Enter,
    StartFilter,
    FilterChar(char),
    FilterBackspace,
    CycleAlign,
    CycleSmoothing,
    ToggleLog,
    ZoomIn,
    ZoomOut,
    PanLeft,
    PanRight,
    ResetView,
}

/// What the app asks of the loop: the app itself does no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read this run's curves and diagnosis (the loader answers with [`Data::Run`]).
    Load(String),
    Quit,
}

/// A thread that reads the terminal and sends keys and resizes; it ends when the channel
/// closes or the terminal fails.
pub fn spawn_input(tx: Sender<Event>) {
    std::thread::spawn(move || {
        while let Ok(ev) = term::read() {
            let sent = match ev {
                term::Event::Key(k) if k.kind != KeyEventKind::Release => tx.send(Event::Key(k)),
                term::Event::Resize(w, h) => tx.send(Event::Resize(w, h)),
                _ => Ok(()),
            };
            if sent.is_err() {
                break;
            }
        }
    });
}

/// A thread that sends [`Event::Tick`] every `every`, until the channel closes.
pub fn spawn_ticker(tx: Sender<Event>, every: Duration) {
    std::thread::spawn(move || {
        while tx.send(Event::Tick).is_ok() {
            std::thread::sleep(every);
        }
    });
}
