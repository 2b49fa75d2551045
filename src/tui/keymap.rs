//! Keys become [`Action`]s; nothing else looks at key codes. The table in [`KEYS`] is what
//! `?` shows and what the README lists.

use super::event::Action;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How keys are read: typing into the run filter takes every printable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Help,
}

/// Every key and what it does, for the help screen.
pub const KEYS: &[(&str, &str)] = &[
    ("q, Ctrl-C", "quit"),
    ("?", "show or hide this help"),
    (
        "j k, PgUp PgDn",
        "in this help: scroll (any other key closes it)",
    ),
    (
        "Tab, Shift-Tab",
        "next / previous pane (runs, metrics, chart)",
    ),
    (
        "j k, Down Up",
        "move in the list (in the chart: the metric)",
    ),
    ("g G, Home End", "first / last in the list"),
    ("Space", "add the run to the overlay, or take it out"),
    ("Enter", "runs: go to its metrics; metrics: go to the chart"),
    (
        "/",
        "filter the runs by name (Enter keeps it, Esc clears it)",
    ),
    ("Esc", "close help, clear the filter, or empty the overlay"),
    ("x", "align runs by step, relative step or wall time"),
    (
        "s",
        "smoothing: off, 0.6, 0.9, 0.99 (raw curve stays faint)",
    ),
    ("l", "logarithmic value axis (values <= 0 become gaps)"),
    ("+ -", "zoom in / out on the steps"),
    ("Left Right", "pan along the steps"),
    ("0", "reset zoom and pan"),
];

/// The action of a key in a mode; `None` for keys that do nothing.
pub fn action(mode: Mode, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Some(Action::Quit);
    }
    match mode {
        Mode::Filter => match key.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Backspace => Some(Action::FilterBackspace),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Char(c) if !ctrl => Some(Action::FilterChar(c)),
            _ => None,
        },
        Mode::Help => Some(match key.code {
            KeyCode::Char('j') | KeyCode::Down => Action::Down,
            KeyCode::Char('k') | KeyCode::Up => Action::Up,
            KeyCode::PageDown => Action::PageDown,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::Char('g') | KeyCode::Home => Action::Top,
            KeyCode::Char('G') | KeyCode::End => Action::Bottom,
            // Every other key closes the help, `q` too: it never quits from here.
            _ => Action::Help,
        }),
        Mode::Normal => normal(key.code),
    }
}

fn normal(code: KeyCode) -> Option<Action> {
    Some(match code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Esc => Action::Back,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Char(' ') => Action::ToggleRun,
        KeyCode::Enter => Action::Enter,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('x') => Action::CycleAlign,
        KeyCode::Char('s') => Action::CycleSmoothing,
        KeyCode::Char('l') => Action::ToggleLog,
        KeyCode::Char('+' | '=') => Action::ZoomIn,
        KeyCode::Char('-' | '_') => Action::ZoomOut,
        KeyCode::Left => Action::PanLeft,
        KeyCode::Right => Action::PanRight,
        KeyCode::Char('0') => Action::ResetView,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(
            action(Mode::Normal, key(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(
            action(Mode::Normal, key(KeyCode::Char('s'))),
            Some(Action::CycleSmoothing)
        );
        assert_eq!(action(Mode::Normal, key(KeyCode::Up)), Some(Action::Up));
        assert_eq!(action(Mode::Normal, key(KeyCode::Char('z'))), None);
        // Typing a filter: letters are text, not commands.
        assert_eq!(
            action(Mode::Filter, key(KeyCode::Char('q'))),
            Some(Action::FilterChar('q'))
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action(Mode::Filter, ctrl_c), Some(Action::Quit));
        assert_eq!(action(Mode::Help, key(KeyCode::Esc)), Some(Action::Help));
        // In the help, `q` closes it and the list keys scroll it.
        assert_eq!(
            action(Mode::Help, key(KeyCode::Char('q'))),
            Some(Action::Help)
        );
        assert_eq!(
            action(Mode::Help, key(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            action(Mode::Help, key(KeyCode::PageDown)),
            Some(Action::PageDown)
        );
        assert_eq!(action(Mode::Help, key(KeyCode::Up)), Some(Action::Up));
        assert_eq!(action(Mode::Normal, key(KeyCode::PageDown)), None);
    }
}
