//! The bottom line: how the chart is drawn, the overlay, a message (left), and the keys that
//! matter now (right). The two never overlap: the key hints are the less important half and
//! give way first, from their front, behind an ellipsis (`… ? help · q quit`); only when the
//! last hint alone leaves too little room is the left half cut: after its last ` · ` part that
//! fits, with an ellipsis.

use super::fit;
use crate::tui::app::{App, SMOOTHING};
use crate::tui::keymap::Mode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let dim = Style::new().add_modifier(Modifier::DIM);
    let (left, left_style) = match &app.message {
        Some(m) if app.no_color => (format!(" {m} "), Style::new().add_modifier(Modifier::BOLD)),
        Some(m) => (format!(" {m} "), Style::new().fg(Color::Red)),
        None => (state(app), Style::new()),
    };
    let hints: &[&str] = match app.mode() {
        Mode::Filter => &["type to filter", "Enter keep", "Esc clear"],
        Mode::Help => &["j k PgUp PgDn scroll", "other keys: back"],
        Mode::Normal => &["/ filter", "space overlay", "? help", "q quit"],
    };
    let (left, right) = split(&left, hints, usize::from(area.width));
    let right_w = u16::try_from(right.chars().count()).unwrap_or(area.width);
    let right_w = right_w.min(area.width);
    let l = Rect {
        width: area.width - right_w,
        ..area
    };
    let r = Rect {
        x: area.x + area.width - right_w,
        width: right_w,
        ..area
    };
    frame.render_widget(Paragraph::new(Span::styled(left, left_style)), l);
    frame.render_widget(Paragraph::new(Span::styled(right, dim)), r);
}

/// How the chart is drawn: the keys that change it and their settings.
fn state(app: &App) -> String {
    let smoothing = match SMOOTHING[app.smoothing] {
        0.0 => "off".to_owned(),
        w => w.to_string(),
    };
    let overlay = match app.overlay.len() {
        0 => String::new(),
        n => format!(" · overlay {n}"),
    };
    format!(
        " x align {:?} · s smoothing {smoothing} · l {}{overlay}",
        app.align,
        if app.log { "log" } else { "linear" }
    )
    .to_lowercase()
}

/// The left text and the right hints (joined by ` · `, a space after) fitted into `width`
/// columns with at least one blank column between them.
fn split(left: &str, hints: &[&str], width: usize) -> (String, String) {
    let left_w = left.trim_end().chars().count();
    let hint_line = |from: usize| {
        let rest = hints[from..].join(" · ");
        if from == 0 {
            format!("{rest} ")
        } else {
            format!("… {rest} ")
        }
    };
    // Drop hints from the front until both fit; the last one stays.
    let last = hints.len().saturating_sub(1);
    let right = (0..=last)
        .map(hint_line)
        .find(|r| left_w + 1 + r.chars().count() <= width)
        .unwrap_or_else(|| hint_line(last));
    let right_w = right.chars().count();
    if right_w >= width {
        return (String::new(), fit(&right, width));
    }
    let room = width - right_w - 1;
    let left = if left_w <= room {
        left.to_owned()
    } else {
        cut(left.trim_end(), room)
    };
    (left, right)
}

/// `text` in `width` columns: its first ` · ` parts that fit, then ` …`; cut inside the first
/// part (with `…`) only when not even that fits.
fn cut(text: &str, width: usize) -> String {
    text.match_indices(" · ")
        .map(|(at, _)| format!("{} …", &text[..at]))
        .take_while(|head| head.chars().count() <= width)
        .last()
        .unwrap_or_else(|| fit(text, width))
}

#[cfg(test)]
mod tests {
    use super::split;

    const HINTS: &[&str] = &["/ filter", "space overlay", "? help", "q quit"];

    #[test]
    fn both_halves_whole_when_they_fit() {
        let (l, r) = split(" state", HINTS, 80);
        assert_eq!(l, " state");
        assert_eq!(r, "/ filter · space overlay · ? help · q quit ");
    }

    #[test]
    fn hints_give_way_from_the_front() {
        let left = " x align step · s smoothing off · l linear · overlay 2";
        let (l, r) = split(left, HINTS, 80);
        assert_eq!(l, left);
        assert_eq!(r, "… ? help · q quit ");
        assert!(l.chars().count() + r.chars().count() < 80);
    }

    #[test]
    fn a_long_message_is_cut_beside_the_last_hint() {
        let left = format!(" {} ", "error ".repeat(20));
        let (l, r) = split(&left, HINTS, 40);
        assert_eq!(r, "… q quit ");
        assert_eq!(l.chars().count(), 40 - r.chars().count() - 1);
        assert!(l.ends_with('…'), "{l}");
    }

    #[test]
    fn the_state_is_cut_between_its_parts() {
        let state = " x align step · s smoothing off · l linear";
        let (l, r) = split(state, &["j k scroll", "other keys: back"], 40);
        assert_eq!(r, "… other keys: back ");
        assert_eq!(l, " x align step …");
        // A first part too long for the room is cut inside.
        let (l, _) = split(state, HINTS, 14);
        assert_eq!(l, " x …");
    }

    #[test]
    fn a_tiny_screen_shows_what_fits() {
        let (l, r) = split(" state", HINTS, 5);
        assert_eq!(l, "");
        assert_eq!(r.chars().count(), 5);
    }
}
