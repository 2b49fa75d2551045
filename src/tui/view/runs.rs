//! The run list: newest first, the filter, a badge per run (its worst curve's verdict), a
//! mark for runs in the overlay and, for the runs on the chart, their curve's marker in its
//! color (the key to the chart without colors too).

use super::{fit, focused, pane, run_swatch, verdict_span};
use crate::tui::app::{App, Focus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let visible = app.visible_runs();
    let total = app.runs.as_ref().map_or(0, Vec::len);
    let title = if app.filtering || !app.filter.is_empty() {
        let cursor = if app.filtering { "▏" } else { "" };
        format!(" Runs /{}{cursor} ({}/{total}) ", app.filter, visible.len())
    } else {
        format!(" Runs ({total}) ")
    };
    let shown = app.shown_runs();
    let inner = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem> = visible
        .iter()
        .map(|r| {
            let badge = verdict_span(app, app.badge(&r.name));
            let marked = app.overlay.contains(&r.name);
            let on_chart = shown.contains(&r.name);
            let mark = if marked { "● " } else { "  " };
            let swatch = if on_chart {
                run_swatch(app, &r.name)
            } else {
                Span::raw("  ")
            };
            let room = inner.saturating_sub(4 + badge.content.chars().count() + 1);
            let name = fit(&r.name, room);
            let pad = room.saturating_sub(name.chars().count()) + 1;
            ListItem::new(Line::from(vec![
                Span::raw(mark),
                swatch,
                Span::raw(name),
                Span::raw(" ".repeat(pad)),
                badge,
            ]))
        })
        .collect();
    let highlight = if focused(app, Focus::Runs) {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    };
    let list = List::new(items)
        .block(pane(title, focused(app, Focus::Runs), app))
        .highlight_style(highlight);
    let mut state =
        ListState::default().with_selected((!visible.is_empty()).then_some(app.run_cursor));
    frame.render_stateful_widget(list, area, &mut state);
}
