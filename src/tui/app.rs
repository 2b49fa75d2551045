//! The terminal UI's state and its two pure transitions: [`App::apply`] for what a key asks,
//! [`App::update`] for what the loader read. Neither does I/O: loading is returned as an
//! [`Effect`] for the loop to carry out.

use super::event::{Action, Data, Effect, LoadedRun, RunRow};
use super::groups::{self, Group};
use super::keymap::Mode;
use crate::classify::Verdict;
use crate::compare::Align;
use crate::defs::Registry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The smoothing weights `s` cycles through (TensorBoard's debiased EMA; 0 is off).
pub const SMOOTHING: [f64; 4] = [0.0, 0.6, 0.9, 0.99];

/// Smallest share of the steps a zoom shows.
const MIN_SPAN: f64 = 1e-6;

/// Which pane takes the arrows and `j`/`k`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Runs,
    Metrics,
    Chart,
}

/// The help as last drawn: how many of its lines fit and how many it has. Drawing sets it;
/// scrolling reads it, so that a page is what the screen shows and the end is where it stops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpRoom {
    pub visible: usize,
    pub total: usize,
}

impl HelpRoom {
    /// The first line shown when scrolled to the end.
    pub fn max_scroll(self) -> usize {
        self.total.saturating_sub(self.visible)
    }
}

/// The whole state of the terminal UI.
pub struct App {
    pub registry: Arc<Registry>,
    /// `NO_COLOR`: no colors; runs differ by their markers.
    pub no_color: bool,
    /// All runs, newest first; `None` until the loader has answered.
    pub runs: Option<Vec<RunRow>>,
    /// Badges of runs not loaded: (the point count it was computed at, verdict).
    badges: HashMap<String, (u64, Verdict)>,
    /// Runs read in full.
    pub loaded: HashMap<String, LoadedRun>,
    pending: HashSet<String>,
    pub filter: String,
    pub filtering: bool,
    /// Index into [`App::visible_runs`].
    pub run_cursor: usize,
    /// Runs chosen with space, in the order chosen; empty: the chart follows the cursor.
    pub overlay: Vec<String>,
    /// The metric list of the runs on the chart.
    pub groups: Vec<Group>,
    pub metric_cursor: usize,
    /// The label of the metric on the chart, kept while the list changes.
    chosen: Option<String>,
    pub focus: Focus,
    pub help: bool,
    /// The first line of the help on screen.
    pub help_scroll: usize,
    /// How much of the help the last frame showed (the loop sets it after drawing).
    pub help_room: HelpRoom,
    /// Index into [`SMOOTHING`].
    pub smoothing: usize,
    pub log: bool,
    pub align: Align,
    /// The part of the steps on screen, as fractions of all of them (0..1).
    pub view: (f64, f64),
    /// A message for the status line (errors from the loader).
    pub message: Option<String>,
    dirty: bool,
}

impl App {
    /// A new app; `overlay` names the runs to start with on the chart (already resolved).
    pub fn new(registry: Arc<Registry>, overlay: Vec<String>, no_color: bool) -> App {
        App {
            registry,
            no_color,
            runs: None,
            badges: HashMap::new(),
            loaded: HashMap::new(),
            pending: HashSet::new(),
            filter: String::new(),
            filtering: false,
            run_cursor: 0,
            overlay,
            groups: Vec::new(),
            metric_cursor: 0,
            chosen: None,
            focus: Focus::Runs,
            help: false,
            help_scroll: 0,
            help_room: HelpRoom::default(),
            smoothing: 0,
            log: false,
            align: Align::Step,
            view: (0.0, 1.0),
            message: None,
            dirty: true,
        }
    }

    /// How keys are read now.
    pub fn mode(&self) -> Mode {
        if self.help {
            Mode::Help
        } else if self.filtering {
            Mode::Filter
        } else {
            Mode::Normal
        }
    }

    /// Whether something changed since the last call (the loop redraws on ticks only then).
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// The runs the filter lets through, newest first.
    pub fn visible_runs(&self) -> Vec<&RunRow> {
        let needle = self.filter.to_lowercase();
        self.runs
            .iter()
            .flatten()
            .filter(|r| needle.is_empty() || r.name.to_lowercase().contains(&needle))
            .collect()
    }

    /// The run under the cursor.
    pub fn cursor_run(&self) -> Option<&str> {
        self.visible_runs()
            .get(self.run_cursor)
            .map(|r| r.name.as_str())
    }

    /// The runs on the chart: the overlay, or else the run under the cursor.
    pub fn shown_runs(&self) -> Vec<String> {
        if self.overlay.is_empty() {
            self.cursor_run().map(str::to_owned).into_iter().collect()
        } else {
            self.overlay.clone()
        }
    }

    /// The run whose diagnosis the panel details: the cursor's if on the chart, else the first.
    pub fn primary_run(&self) -> Option<String> {
        let shown = self.shown_runs();
        match self.cursor_run() {
            Some(c) if shown.iter().any(|s| s == c) => Some(c.to_owned()),
            _ => shown.into_iter().next(),
        }
    }

    /// The metric on the chart.
    pub fn selected_group(&self) -> Option<&Group> {
        self.groups.get(self.metric_cursor)
    }

    /// A run's badge (its worst curve's verdict), when known.
    pub fn badge(&self, run: &str) -> Option<Verdict> {
        match self.loaded.get(run) {
            Some(l) => Some(l.report.badge()),
            None => self.badges.get(run).map(|b| b.1),
        }
    }

    /// A run's color slot: its place among all runs, oldest first, so it never changes.
    pub fn color_slot(&self, run: &str) -> usize {
        let runs = self.runs.as_deref().unwrap_or_default();
        runs.iter()
            .position(|r| r.name == run)
            .map_or(0, |p| runs.len() - 1 - p)
    }

    /// Do what a key asks.
    pub fn apply(&mut self, action: Action) -> Vec<Effect> {
        self.dirty = true;
        match action {
            Action::Quit => return vec![Effect::Quit],
            Action::Help => {
                self.help = !self.help;
                self.help_scroll = 0;
            }
            a @ (Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::PageUp
            | Action::PageDown)
                if self.help =>
            {
                self.scroll_help(a);
            }
            // Pages only mean something in the help.
            Action::PageUp | Action::PageDown => {}
            Action::Back => self.back(),
            Action::FocusNext | Action::FocusPrev => {
                let order = [Focus::Runs, Focus::Metrics, Focus::Chart];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if action == Action::FocusNext { 1 } else { 2 };
                self.focus = order[(i + step) % 3];
            }
            Action::Up => self.move_cursor(-1),
            Action::Down => self.move_cursor(1),
            Action::Top => self.move_cursor(i64::MIN / 2),
            Action::Bottom => self.move_cursor(i64::MAX / 2),
            Action::ToggleRun => {
                if let Some(run) = self.cursor_run().map(str::to_owned) {
                    match self.overlay.iter().position(|r| *r == run) {
                        Some(i) => {
                            self.overlay.remove(i);
                        }
                        None => self.overlay.push(run),
                    }
                }
            }
            Action::Enter => {
                if self.filtering {
                    self.filtering = false;
                } else {
                    self.focus = match self.focus {
                        Focus::Runs => Focus::Metrics,
                        _ => Focus::Chart,
                    };
                }
            }
            Action::StartFilter => {
                self.filtering = true;
                self.focus = Focus::Runs;
            }
            Action::FilterChar(c) => {
                self.filter.push(c);
                self.run_cursor = 0;
            }
            Action::FilterBackspace => {
                self.filter.pop();
                self.run_cursor = 0;
            }
            Action::CycleAlign => {
                self.align = match self.align {
                    Align::Step => Align::Relative,
                    Align::Relative => Align::Time,
                    Align::Time => Align::Step,
                }
            }
            Action::CycleSmoothing => self.smoothing = (self.smoothing + 1) % SMOOTHING.len(),
            Action::ToggleLog => self.log = !self.log,
            Action::ZoomIn => self.zoom(0.5),
            Action::ZoomOut => self.zoom(2.0),
            Action::PanLeft => self.pan(-0.25),
            Action::PanRight => self.pan(0.25),
            Action::ResetView => self.view = (0.0, 1.0),
        }
        self.sync()
    }

    /// Take in what the loader read.
    pub fn update(&mut self, data: Data) -> Vec<Effect> {
        self.dirty = true;
        match data {
            Data::Runs(mut rows) => {
                rows.sort_by(|a, b| b.created.total_cmp(&a.created).then(a.name.cmp(&b.name)));
                let cursor = self.cursor_run().map(str::to_owned);
                let shown = self.shown_runs();
                let mut effects = Vec::new();
                for row in &rows {
                    let stale = self
                        .loaded
                        .get(&row.name)
                        .is_some_and(|l| l.points != row.points);
                    if stale && shown.contains(&row.name) {
                        if self.pending.insert(row.name.clone()) {
                            effects.push(Effect::Load(row.name.clone()));
                        }
                    } else if stale {
                        self.loaded.remove(&row.name);
                    }
                }
                let names: HashSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
                self.overlay.retain(|r| names.contains(r.as_str()));
                self.loaded.retain(|n, _| names.contains(n.as_str()));
                self.runs = Some(rows);
                if let Some(c) = cursor
                    && let Some(i) = self.visible_runs().iter().position(|r| r.name == c)
                {
                    self.run_cursor = i;
                }
                effects.extend(self.sync());
                effects
            }
            Data::Run(run) => {
                self.pending.remove(&run.name);
                self.badges.remove(&run.name);
                self.loaded.insert(run.name.clone(), *run);
                self.sync()
            }
            Data::Badge {
                run,
                points,
                verdict,
            } => {
                self.badges.insert(run, (points, verdict));
                Vec::new()
            }
            Data::Error(message) => {
                self.message = Some(message);
                Vec::new()
            }
        }
    }

    fn back(&mut self) {
        if self.help {
            self.help = false;
        } else if self.filtering || !self.filter.is_empty() {
            let cursor = self.cursor_run().map(str::to_owned);
            self.filtering = false;
            self.filter.clear();
            self.run_cursor = cursor
                .and_then(|c| self.visible_runs().iter().position(|r| r.name == c))
                .unwrap_or(0);
        } else {
            self.overlay.clear();
        }
    }

    fn scroll_help(&mut self, action: Action) {
        let room = self.help_room;
        let page = room.visible.saturating_sub(1).max(1) as i64;
        let by = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Top => i64::MIN / 2,
            _ => i64::MAX / 2,
        };
        let max = room.max_scroll() as i64;
        let from = (self.help_scroll as i64).min(max);
        self.help_scroll = from.saturating_add(by).clamp(0, max) as usize;
    }

    fn move_cursor(&mut self, by: i64) {
        let on_runs = self.focus == Focus::Runs || self.filtering;
        let len = if on_runs {
            self.visible_runs().len()
        } else {
            self.groups.len()
        };
        let cursor = if on_runs {
            &mut self.run_cursor
        } else {
            &mut self.metric_cursor
        };
        let last = len.saturating_sub(1) as i64;
        *cursor = (*cursor as i64).saturating_add(by).clamp(0, last) as usize;
        if !on_runs {
            self.chosen = self.groups.get(self.metric_cursor).map(|g| g.label.clone());
        }
    }

    fn zoom(&mut self, factor: f64) {
        let (lo, hi) = self.view;
        let center = (lo + hi) / 2.0;
        let span = ((hi - lo) * factor).clamp(MIN_SPAN, 1.0);
        let lo = (center - span / 2.0).clamp(0.0, 1.0 - span);
        self.view = (lo, lo + span);
    }

    fn pan(&mut self, by: f64) {
        let (lo, hi) = self.view;
        let span = hi - lo;
        let lo = (lo + by * span).clamp(0.0, 1.0 - span);
        self.view = (lo, lo + span);
    }

    /// After any change: clamp cursors, ask for the runs the chart needs, rebuild the metric
    /// list and keep the chosen metric on it (at start: the first with a definition).
    fn sync(&mut self) -> Vec<Effect> {
        self.run_cursor = self
            .run_cursor
            .min(self.visible_runs().len().saturating_sub(1));
        let shown = self.shown_runs();
        let mut effects = Vec::new();
        for run in &shown {
            if !self.loaded.contains_key(run) && self.pending.insert(run.clone()) {
                effects.push(Effect::Load(run.clone()));
            }
        }
        let names: Vec<Vec<&str>> = shown
            .iter()
            .map(|r| {
                self.loaded.get(r).map_or_else(Vec::new, |l| {
                    l.curves.iter().map(|(n, _)| n.as_str()).collect()
                })
            })
            .collect();
        self.groups = groups::build(&names, &self.registry);
        let keep = self
            .chosen
            .as_ref()
            .and_then(|c| self.groups.iter().position(|g| &g.label == c));
        self.metric_cursor = match keep {
            Some(i) => i,
            None => {
                let first = self
                    .groups
                    .iter()
                    .position(|g| g.definition.is_some() && !g.bookkeeping)
                    .unwrap_or(0);
                if self.chosen.is_none()
                    && let Some(g) = self.groups.get(first)
                {
                    self.chosen = Some(g.label.clone());
                }
                first
            }
        };
        // Unloaded runs no one looks at are let go (at most a few kept for going back).
        if self.loaded.len() > 16 {
            self.loaded.retain(|n, _| shown.contains(n));
        }
        effects
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
