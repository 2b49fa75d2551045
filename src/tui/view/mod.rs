//! Drawing: one file per screen region, each a `render(frame, area, &App)` that draws nothing
//! outside its rectangle (the trippy pattern). This file lays the regions out.

pub mod chart;
pub mod diagnosis;
pub mod help;
pub mod metrics;
pub mod runs;
pub mod status;
mod ticks;

use super::app::{App, Focus};
use crate::classify::Verdict;
use crate::tui::app::HelpRoom;
use crate::tui::cache::ChartCache;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

/// Run colors, by [`App::color_slot`].
const PALETTE: [Color; 8] = [
    Color::Cyan,
    Color::Yellow,
    Color::Magenta,
    Color::LightBlue,
    Color::LightGreen,
    Color::LightRed,
    Color::White,
    Color::Blue,
];

/// Draw the whole screen from `app`, the chart's curves through the loop's `cache`. Returns
/// how much of the help shows (the default when it is closed), for the loop to hand the app.
pub fn render(frame: &mut Frame, app: &App, cache: &mut ChartCache) -> HelpRoom {
    let area = frame.area();
    let [main, bottom] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    match app.runs.as_deref() {
        None => message(frame, main, &["Reading the database…"]),
        Some([]) => message(frame, main, EMPTY),
        Some(_) => {
            let left_w = (area.width * 32 / 100).clamp(24, 44);
            let [left, right] =
                Layout::horizontal([Constraint::Length(left_w), Constraint::Min(0)]).areas(main);
            let [runs_area, metrics_area] =
                Layout::vertical([Constraint::Percentage(45), Constraint::Min(0)]).areas(left);
            let [chart_area, diag_area] =
                Layout::vertical([Constraint::Percentage(60), Constraint::Min(0)]).areas(right);
            runs::render(frame, runs_area, app);
            metrics::render(frame, metrics_area, app);
            chart::render(frame, chart_area, app, cache);
            diagnosis::render(frame, diag_area, app);
        }
    }
    status::render(frame, bottom, app);
    match app.help {
        true => help::render(frame, main, app),
        false => HelpRoom::default(),
    }
}

/// What an empty database shows.
const EMPTY: &[&str] = &[
    "No runs yet.",
    "",
    "Import the logs a training job wrote (JSONL, CSV, Lightning, Hugging Face, key=value lines):",
    "    tracker import PATH...",
    "Or record a job while it runs:",
    "    tracker tail FILE",
    "    tracker exec -- python train.py",
    "",
    "Runs appear here as they are written. Press q to quit.",
];

fn message(frame: &mut Frame, area: Rect, lines: &[&str]) {
    let text: Vec<Line> = lines.iter().map(|l| Line::from(*l)).collect();
    let height = text.len() as u16 + 2;
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let p = Paragraph::new(text).wrap(Wrap { trim: false }).block(
        Block::bordered()
            .border_type(BorderType::Rounded)
            .title(" tracker "),
    );
    frame.render_widget(p, mid);
}

/// A pane's frame, brighter when it has the focus.
pub(crate) fn pane<'a>(title: impl Into<Line<'a>>, focused: bool, app: &App) -> Block<'a> {
    let style = if !focused {
        Style::new().add_modifier(Modifier::DIM)
    } else if app.no_color {
        Style::new().add_modifier(Modifier::BOLD)
    } else {
        Style::new().fg(Color::Cyan)
    };
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(style)
        .title(title)
}

pub(crate) fn focused(app: &App, f: Focus) -> bool {
    app.focus == f
}

/// Markers that tell the runs on the chart apart under `NO_COLOR`, by their place there.
const MARKERS: [Marker; 8] = [
    Marker::Braille,
    Marker::Dot,
    Marker::Block,
    Marker::Bar,
    Marker::Custom('+'),
    Marker::Custom('x'),
    Marker::Custom('o'),
    Marker::Custom('#'),
];

/// The marker of a run's curve: Braille for every run when colors tell them apart; under
/// `NO_COLOR` one per place among the runs on the chart. The legend, the run list and the
/// diagnosis show it too ([`marker_symbol`]).
pub(crate) fn run_marker(app: &App, run: &str) -> Marker {
    if !app.no_color {
        return Marker::Braille;
    }
    let place = app.shown_runs().iter().position(|r| r == run).unwrap_or(0);
    MARKERS[place % MARKERS.len()]
}

/// The character a marker draws with, to stand for a curve beside its run's name.
pub(crate) fn marker_symbol(marker: Marker) -> char {
    match marker {
        Marker::Dot => '•',
        Marker::Block => '█',
        Marker::Bar => '▄',
        Marker::Custom(c) => c,
        _ => '⣿',
    }
}

/// A run's marker symbol in its color, then a space: its key in the run list and diagnosis.
pub(crate) fn run_swatch(app: &App, run: &str) -> Span<'static> {
    let symbol = marker_symbol(run_marker(app, run));
    Span::styled(format!("{symbol} "), Style::new().fg(run_color(app, run)))
}

/// A run's color (`Reset` under `NO_COLOR`).
pub(crate) fn run_color(app: &App, run: &str) -> Color {
    if app.no_color {
        Color::Reset
    } else {
        PALETTE[app.color_slot(run) % PALETTE.len()]
    }
}

/// The verdict word, colored as in `tracker diagnose`.
pub(crate) fn verdict_span(app: &App, v: Option<Verdict>) -> Span<'static> {
    let Some(v) = v else {
        return Span::styled("…", Style::new().add_modifier(Modifier::DIM));
    };
    let style = if app.no_color {
        match v {
            Verdict::Diverging => Style::new().add_modifier(Modifier::BOLD),
            _ => Style::new(),
        }
    } else {
        match v {
            Verdict::Healthy => Style::new().fg(Color::Green),
            Verdict::Stagnant => Style::new().fg(Color::Yellow),
            Verdict::Oscillating => Style::new().fg(Color::Magenta),
            Verdict::Diverging => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Verdict::InsufficientData => Style::new().fg(Color::DarkGray),
        }
    };
    Span::styled(v.as_str(), style)
}

/// `name` cut to `width` characters, with `…` when cut.
pub(crate) fn fit(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_owned();
    }
    let mut s: String = name.chars().take(width.saturating_sub(1)).collect();
    s.push('…');
    s
}
