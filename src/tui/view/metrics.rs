//! The metrics of the runs on the chart, grouped under their definition; aliases of different
//! runs share a row (`val_acc = eval_accuracy`). Each row shows its verdict in the primary run.

use super::{fit, focused, pane, verdict_span};
use crate::tui::app::{App, Focus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let block = pane(" Metrics ", focused(app, Focus::Metrics), app);
    if app.groups.is_empty() {
        let text = if app.shown_runs().is_empty() {
            "no run selected"
        } else {
            "reading…"
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    let shown = app.shown_runs();
    let primary = app.primary_run();
    let p = shown
        .iter()
        .position(|r| Some(r) == primary.as_ref())
        .unwrap_or(0);
    let loaded = primary.as_ref().and_then(|r| app.loaded.get(r));
    let inner = usize::from(area.width.saturating_sub(2));
    let dim = Style::new().add_modifier(Modifier::DIM);
    let mut items = Vec::new();
    let mut selected = 0;
    let mut header: Option<Option<&str>> = None;
    for (i, g) in app.groups.iter().enumerate() {
        let this = if g.bookkeeping {
            Some("bookkeeping")
        } else {
            g.definition.as_deref().or(Some("no definition"))
        };
        if header != Some(this) {
            header = Some(this);
            let h = this.unwrap_or_default();
            items.push(ListItem::new(Line::from(Span::styled(
                h.to_owned(),
                dim.add_modifier(Modifier::BOLD),
            ))));
        }
        if i == app.metric_cursor {
            selected = items.len();
        }
        let member = g.members.get(p).cloned().flatten();
        let name = member.clone().unwrap_or(g.label.clone());
        let aliases: Vec<&str> = g
            .members
            .iter()
            .flatten()
            .map(String::as_str)
            .filter(|n| *n != name)
            .collect();
        let verdict = loaded
            .and_then(|l| l.curve_report(&name))
            .map(|c| c.diagnosis.verdict);
        let badge = match member {
            Some(_) => verdict_span(app, verdict),
            None => Span::styled("-", dim),
        };
        let mut label = name.clone();
        if !aliases.is_empty() {
            label.push_str(" = ");
            label.push_str(&aliases.join(" = "));
        }
        let room = inner.saturating_sub(2 + badge.content.chars().count() + 1);
        let label = fit(&label, room);
        let pad = room.saturating_sub(label.chars().count()) + 1;
        items.push(ListItem::new(Line::from(vec![
            Span::raw("  "),
            Span::raw(label),
            Span::raw(" ".repeat(pad)),
            badge,
        ])));
    }
    let highlight = if focused(app, Focus::Metrics) || focused(app, Focus::Chart) {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    };
    let list = List::new(items).block(block).highlight_style(highlight);
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, area, &mut state);
}
