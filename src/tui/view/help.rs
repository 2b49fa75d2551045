//! `?`: every key, over the middle of the screen.

use crate::tui::app::App;
use crate::tui::keymap::KEYS;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, _app: &App) {
    let key_w = KEYS.iter().map(|(k, _)| k.len()).max().unwrap_or(8);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:key_w$}  "), bold),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(
        " Verdicts: healthy, stagnant, oscillating, diverging, insufficient_data;",
    ));
    lines.push(Line::from(" a run's badge is its worst curve's verdict."));
    let width = lines.iter().map(Line::width).max().unwrap_or(40) as u16 + 4;
    let height = lines.len() as u16 + 2;
    let [_, mid, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(height),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, mid, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(width),
        Constraint::Fill(1),
    ])
    .areas(mid);
    frame.render_widget(Clear, mid);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(" Keys (any key closes) ");
    frame.render_widget(Paragraph::new(lines).block(block), mid);
}
