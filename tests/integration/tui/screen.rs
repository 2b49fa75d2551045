//! Screens at small sizes and without colors, drawn on a `TestBackend` through the real loop
//! (`tui::handle`: keymap, `App::apply`, redraw): run markers in the legend and the run list,
//! the status line at 80×24, the help at 40×12.

use super::{registry, seeded};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Cell;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use std::sync::mpsc::{Receiver, Sender, channel};
use tracker::tui::cache::ChartCache;
use tracker::tui::{self, App, Data, Event, Request};

/// The app on a test terminal, fed the seeded runs, drawn once.
struct Screen {
    terminal: Terminal<TestBackend>,
    app: App,
    cache: ChartCache,
    loader: Sender<Request>,
    _requests: Receiver<Request>,
}

impl Screen {
    fn new(width: u16, height: u16, no_color: bool) -> Screen {
        let reg = registry();
        let mut app = App::new(reg.clone(), Vec::new(), no_color);
        for d in seeded(&reg) {
            app.update(d);
        }
        let (loader, requests) = channel();
        let mut s = Screen {
            terminal: Terminal::new(TestBackend::new(width, height)).expect("test terminal"),
            app,
            cache: ChartCache::default(),
            loader,
            _requests: requests,
        };
        tui::draw(&mut s.terminal, &mut s.app, &mut s.cache).expect("draw");
        s
    }

    /// Press a key; false when the app quit.
    fn key(&mut self, code: KeyCode) -> bool {
        let key = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        tui::handle(
            &mut self.terminal,
            &mut self.app,
            &mut self.cache,
            key,
            &self.loader,
        )
        .expect("handle")
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            assert!(self.key(KeyCode::Char(c)), "'{c}' quit the app");
        }
    }

    fn data(&mut self, data: Data) {
        tui::handle(
            &mut self.terminal,
            &mut self.app,
            &mut self.cache,
            Event::Data(data),
            &self.loader,
        )
        .expect("handle");
        tui::draw(&mut self.terminal, &mut self.app, &mut self.cache).expect("draw");
    }

    fn rows(&self) -> Vec<String> {
        let buf = self.terminal.backend().buffer();
        (0..buf.area.height)
            .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    fn text(&self) -> String {
        self.rows().join("\n")
    }

    fn cell(&self, x: u16, y: u16) -> &Cell {
        &self.terminal.backend().buffer()[(x, y)]
    }

    /// Where `what` starts on screen, in a column from `from` on.
    fn find(&self, what: &str, from: u16) -> Option<(u16, u16)> {
        self.rows().iter().enumerate().find_map(|(y, row)| {
            let chars: Vec<char> = row.chars().collect();
            let want: Vec<char> = what.chars().collect();
            (usize::from(from)..chars.len().saturating_sub(want.len() - 1))
                .find(|&x| chars[x..x + want.len()] == want[..])
                .map(|x| (x as u16, y as u16))
        })
    }

    /// Put the three runs on the chart (newest first) and draw their `train_loss`.
    fn overlay_three(&mut self) {
        self.keys(" j j ");
        assert_eq!(self.app.shown_runs(), ["overfit", "stuck", "baseline"]);
        self.key(KeyCode::Tab);
        while self.app.selected_group().map(|g| g.label.as_str()) != Some("train_loss") {
            let before = self.app.metric_cursor;
            self.keys("j");
            assert_ne!(before, self.app.metric_cursor, "no train_loss row");
        }
    }
}

/// Columns of the run list at 100 columns (the rest is the chart and the diagnosis).
const LEFT: u16 = 32;

#[test]
fn without_colors_the_legend_and_run_list_show_each_runs_marker() {
    let mut s = Screen::new(100, 30, true);
    s.overlay_three();
    let rows = s.rows();
    for (run, marker) in [("overfit", '⣿'), ("stuck", '•'), ("baseline", '█')] {
        let key = format!("{marker} {run}");
        let (x, _) = s
            .find(&format!("● {key}"), 0)
            .unwrap_or_else(|| panic!("run list lacks '● {key}':\n{}", s.text()));
        assert!(x < LEFT);
        let (x, _) = s
            .find(&key, LEFT)
            .unwrap_or_else(|| panic!("legend lacks '{key}':\n{}", s.text()));
        assert!(x > LEFT);
        // The diagnosis names each run with its marker too.
        assert!(
            rows.iter().filter(|r| r.contains(&key)).count() >= 3,
            "'{key}' not in the run list, legend and diagnosis:\n{}",
            s.text()
        );
    }
    // The curves are drawn with those markers (more than the legend's one each).
    let chart: String = rows
        .iter()
        .take(17)
        .map(|r| r.chars().skip(32).collect::<String>())
        .collect();
    for marker in ['•', '█'] {
        let n = chart.chars().filter(|c| *c == marker).count();
        assert!(n > 5, "only {n} '{marker}' on the chart:\n{}", s.text());
    }
    insta::assert_snapshot!("tui_no_color_overlay", s.terminal.backend());
}

#[test]
fn with_colors_each_run_keeps_its_marker_in_its_color() {
    let mut s = Screen::new(100, 30, false);
    s.overlay_three();
    let mut colors = Vec::new();
    for run in ["overfit", "stuck", "baseline"] {
        let key = format!("⣿ {run}");
        let (lx, ly) = s.find(&key, 0).expect("run list marker");
        let (cx, cy) = s.find(&key, LEFT).expect("legend marker");
        let list = s.cell(lx, ly).fg;
        assert_ne!(
            list,
            Color::Reset,
            "{run}: the run list marker has no color"
        );
        assert_eq!(s.cell(cx, cy).fg, list, "{run}: legend and run list differ");
        colors.push(list);
    }
    colors.dedup();
    assert_eq!(colors.len(), 3, "runs share a color: {colors:?}");
}

/// The bottom row split into the left text and the hints; panics unless a blank column
/// separates them.
fn halves(row: &str) -> (String, String) {
    let at = ["/ filter", "… space overlay", "… ? help", "… q quit"]
        .iter()
        .find_map(|h| row.rfind(h))
        .unwrap_or_else(|| panic!("no hints in '{row}'"));
    let (l, r) = row.split_at(at);
    assert!(at == 0 || l.ends_with(' '), "the halves touch: '{row}'");
    (l.trim_end().to_owned(), r.trim_end().to_owned())
}

#[test]
fn the_status_line_at_80x24_never_runs_together() {
    let mut s = Screen::new(80, 24, false);
    s.keys(" j ");
    let status = s.rows().last().cloned().expect("a status line");
    assert!(
        status.starts_with(" x align step · s smoothing off · l linear · overlay 2 "),
        "the state is cut: '{status}'"
    );
    assert!(status.ends_with("… ? help · q quit "), "'{status}'");
    insta::assert_snapshot!("tui_status_80x24", s.terminal.backend());

    // A long message is cut with an ellipsis beside the last hint.
    let long = "the database is locked by another process; retrying every second until it is free";
    s.data(Data::Error(long.into()));
    let status = s.rows().last().cloned().expect("a status line");
    let (left, right) = halves(&status);
    assert!(
        left.ends_with('…') && long.starts_with(left.trim_start().trim_end_matches('…')),
        "'{status}'"
    );
    assert_eq!(right, "… q quit", "'{status}'");

    // At every width the hints end the line and the state is whole or cut with an ellipsis.
    let s = Screen::new(80, 24, false);
    for width in 12..=120u16 {
        let mut t = Terminal::new(TestBackend::new(width, 24)).expect("test terminal");
        let mut cache = ChartCache::default();
        t.draw(|f| {
            tui::view::render(f, &s.app, &mut cache);
        })
        .expect("draw");
        let buf = t.backend().buffer();
        let status: String = (0..width).map(|x| buf[(x, 23)].symbol()).collect();
        let (left, right) = halves(&status);
        assert!(right.ends_with("q quit"), "{width}: '{status}'");
        let state = " x align step · s smoothing off · l linear";
        assert!(
            left == state
                || (left.ends_with('…') && state.starts_with(left.trim_end_matches('…')))
                || left.is_empty(),
            "{width}: '{status}'"
        );
    }
}

#[test]
fn q_closes_the_help_and_only_then_quits() {
    let mut s = Screen::new(100, 30, false);
    assert!(s.key(KeyCode::Char('?')));
    assert!(s.text().contains("Keys"));
    assert!(s.key(KeyCode::Char('q')), "q in the help quit the app");
    assert!(!s.app.help);
    assert!(
        !s.text().contains("Keys ("),
        "the help is still drawn:\n{}",
        s.text()
    );
    assert!(!s.key(KeyCode::Char('q')), "q without the help must quit");
}

/// The help's bottom count, "↓ 1–9 of 23" → (first, last, total).
fn count(text: &str) -> (usize, usize, usize) {
    let at = text
        .find(" of ")
        .unwrap_or_else(|| panic!("no line count:\n{text}"));
    let before: String = text[..at].chars().rev().take_while(|c| *c != ' ').collect();
    let before: String = before.chars().rev().collect();
    let (first, last) = before.split_once('–').expect("first–last");
    let total: String = text[at + 4..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (
        first.parse().expect("first"),
        last.parse().expect("last"),
        total.parse().expect("total"),
    )
}

#[test]
fn the_help_at_40x12_scrolls_and_says_there_is_more() {
    let mut s = Screen::new(40, 12, false);
    assert!(s.key(KeyCode::Char('?')));
    let first = s.text();
    assert!(first.contains("↓ 1–"), "no sign of more below:\n{first}");
    assert!(first.contains("j k scroll"), "{first}");
    insta::assert_snapshot!("tui_help_40x12_top", s.terminal.backend());
    let (_, last, total) = count(&first);
    assert!(last < total);
    // Every word of every description shows on some page, none cut at the border.
    let mut seen = first.clone();
    for _ in 0..total {
        assert!(s.key(KeyCode::Char('j')));
        seen.push_str(&s.text());
    }
    let end = s.text();
    assert_eq!(count(&end).1, total, "j stops at the end:\n{end}");
    assert!(end.contains("↑ "), "no sign of more above:\n{end}");
    insta::assert_snapshot!("tui_help_40x12_end", s.terminal.backend());
    for (key, what) in tracker::tui::keymap::KEYS {
        assert!(seen.contains(key), "help never shows '{key}'");
        for word in what.split(' ') {
            assert!(seen.contains(word), "help never shows '{word}' of '{what}'");
        }
    }
    assert!(seen.contains("insufficient_data;"));
    // PgUp goes back a screen, Home to the top, PgDn forward, arrows one line.
    let (a, _, _) = count(&end);
    assert!(s.key(KeyCode::PageUp));
    let (b, _, _) = count(&s.text());
    assert!(b < a && a - b >= 5, "PgUp moved {a} → {b}");
    assert!(s.key(KeyCode::Home));
    assert_eq!(count(&s.text()).0, 1);
    assert!(s.key(KeyCode::PageDown));
    let (c, _, _) = count(&s.text());
    assert!(c > 5, "PgDn moved to {c}");
    assert!(s.key(KeyCode::Up));
    assert_eq!(count(&s.text()).0, c - 1);
    assert!(s.key(KeyCode::Down));
    assert_eq!(count(&s.text()).0, c);
    // The status line says how to scroll and leave.
    assert!(s.rows().last().expect("status").contains("back"));
    assert!(s.key(KeyCode::Esc));
    assert!(!s.app.help);
}
