//! The bottom line: how the chart is drawn, the overlay, a message, and where help is.

use crate::tui::app::{App, SMOOTHING};
use crate::tui::keymap::Mode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let dim = Style::new().add_modifier(Modifier::DIM);
    let mut spans = Vec::new();
    if let Some(m) = &app.message {
        let style = if app.no_color {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Red)
        };
        spans.push(Span::styled(format!(" {m} "), style));
    } else {
        let smoothing = match SMOOTHING[app.smoothing] {
            0.0 => "off".to_owned(),
            w => w.to_string(),
        };
        let overlay = match app.overlay.len() {
            0 => String::new(),
            n => format!(" · overlay {n}"),
        };
        spans.push(Span::raw(
            format!(
                " x align {:?} · s smoothing {smoothing} · l {}{overlay}",
                app.align,
                if app.log { "log" } else { "linear" }
            )
            .to_lowercase(),
        ));
    }
    let right = match app.mode() {
        Mode::Filter => "type to filter · Enter keep · Esc clear ",
        Mode::Help => "any key: back ",
        Mode::Normal => "/ filter · space overlay · ? help · q quit ",
    };
    let [l, r] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(right.chars().count() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), l);
    frame.render_widget(Paragraph::new(Span::styled(right, dim)), r);
}
