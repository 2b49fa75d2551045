//! `?`: every key, over the middle of the screen. On a small screen the descriptions wrap and
//! the help scrolls (`j`/`k`, arrows, PgUp/PgDn, `g`/`G`), with a scroll bar and a line count
//! saying there is more.

use crate::tui::app::{App, HelpRoom};
use crate::tui::keymap::KEYS;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};

const VERDICTS: &str = "Verdicts: healthy, stagnant, oscillating, diverging, insufficient_data; \
                        a run's badge is its worst curve's verdict.";

/// Returns how much of the help shows, for the app to scroll within it.
pub fn render(frame: &mut Frame, area: Rect, app: &App) -> HelpRoom {
    let key_w = key_width();
    // Wide enough for the longest key line (a space before, one after, two borders).
    let natural = KEYS
        .iter()
        .map(|(_, what)| key_w + 3 + what.chars().count())
        .max()
        .unwrap_or(40)
        + 4;
    let width = u16::try_from(natural).unwrap_or(u16::MAX).min(area.width);
    let lines = lines(usize::from(width.saturating_sub(2)));
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
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
    let room = HelpRoom {
        visible: usize::from(height.saturating_sub(2)),
        total: lines.len(),
    };
    let scroll = app.help_scroll.min(room.max_scroll());
    let more = room.total > room.visible;
    let title = if more {
        " Keys (j k scroll, other keys close) "
    } else {
        " Keys (q or Esc closes) "
    };
    let mut block = Block::bordered()
        .border_type(BorderType::Rounded)
        .title(title);
    if more {
        let first = scroll + 1;
        let last = (scroll + room.visible).min(room.total);
        let arrows = match (scroll > 0, last < room.total) {
            (true, true) => "↑↓ ",
            (false, true) => "↓ ",
            (true, false) => "↑ ",
            (false, false) => "",
        };
        let count = format!(" {arrows}{first}–{last} of {} ", room.total);
        block = block.title_bottom(Line::from(count).right_aligned());
    }
    frame.render_widget(Clear, mid);
    let top = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((top, 0)), mid);
    if more {
        let mut state = ScrollbarState::new(room.max_scroll() + 1)
            .position(scroll)
            .viewport_content_length(room.visible);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight);
        let track = mid.inner(Margin {
            horizontal: 0,
            vertical: 1,
        });
        frame.render_stateful_widget(bar, track, &mut state);
    }
    room
}

fn key_width() -> usize {
    KEYS.iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(8)
}

/// The help's lines for `width` columns: each key, its description wrapped beside it, then
/// what the verdicts are; the last column stays blank (the scroll bar's neighbour).
fn lines(width: usize) -> Vec<Line<'static>> {
    let key_w = key_width();
    let text_w = width.saturating_sub(key_w + 4).max(12);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut out = Vec::new();
    for (key, what) in KEYS {
        for (i, part) in wrap(what, text_w).into_iter().enumerate() {
            let left = if i == 0 {
                Span::styled(format!(" {key:key_w$}  "), bold)
            } else {
                Span::raw(" ".repeat(key_w + 3))
            };
            out.push(Line::from(vec![left, Span::raw(part)]));
        }
    }
    out.push(Line::default());
    for part in wrap(VERDICTS, width.saturating_sub(3).max(12)) {
        out.push(Line::from(format!(" {part}")));
    }
    out
}

/// `text` cut into lines of at most `width` characters, at spaces where it can be.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        let used = line.chars().count();
        if used > 0 && used + 1 + word.len() > width {
            out.push(std::mem::take(&mut line));
        }
        // A word longer than a line is cut.
        while word.len() > width {
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            out.push(word.drain(..width).collect());
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("a bb ccc dd", 6), ["a bb", "ccc dd"]);
        assert_eq!(wrap("abcdefgh ij", 3), ["abc", "def", "gh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("fits", 10), ["fits"]);
    }
}
