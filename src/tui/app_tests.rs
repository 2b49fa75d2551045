//! `App::apply` and `App::update`: state changes and effects, no terminal.

use super::*;
use crate::model::Series;
use crate::tui::loader::diagnosed;

fn registry() -> Arc<Registry> {
    Arc::new(Registry::builtin().expect("shipped definitions load"))
}

fn row(name: &str, created: f64, points: u64) -> RunRow {
    RunRow {
        name: name.into(),
        created,
        points,
        last_step: None,
    }
}

fn series(f: impl Fn(f64) -> f64) -> Arc<Series> {
    let steps: Vec<i64> = (0..40).collect();
    Arc::new(Series {
        values: steps.iter().map(|&s| f(s as f64)).collect(),
        wall_times: steps.iter().map(|&s| Some(s as f64)).collect(),
        steps,
    })
}

fn loaded(name: &str, reg: &Registry) -> Box<LoadedRun> {
    let curves = vec![
        ("epoch".to_owned(), series(|s| (s / 10.0).floor())),
        ("train_loss".to_owned(), series(|s| 1.0 / (1.0 + s))),
        ("val_acc".to_owned(), series(|s| 1.0 - 0.5 / (1.0 + s))),
    ];
    Box::new(diagnosed(name, curves, reg))
}

/// An app that has listed runs `a` (older) and `b` (newer) and loaded `b`.
fn started() -> App {
    let reg = registry();
    let mut app = App::new(reg.clone(), Vec::new(), false);
    let effects = app.update(Data::Runs(vec![row("a", 1.0, 120), row("b", 2.0, 120)]));
    assert_eq!(effects, vec![Effect::Load("b".into())]);
    assert!(app.update(Data::Run(loaded("b", &reg))).is_empty());
    app
}

#[test]
fn starts_on_the_newest_run_and_its_first_defined_metric() {
    let app = started();
    assert_eq!(app.cursor_run(), Some("b"));
    assert_eq!(app.shown_runs(), vec!["b".to_owned()]);
    let g = app.selected_group().expect("a metric is chosen");
    assert_eq!(g.label, "train_loss");
    assert!(app.badge("b").is_some());
}

#[test]
fn moving_the_cursor_loads_the_run_under_it() {
    let mut app = started();
    assert_eq!(app.apply(Action::Down), vec![Effect::Load("a".into())]);
    // Asked once only.
    assert!(app.apply(Action::Top).is_empty());
    assert!(app.apply(Action::Down).is_empty());
    assert_eq!(app.shown_runs(), vec!["a".to_owned()]);
}

#[test]
fn space_builds_an_overlay_and_esc_empties_it() {
    let mut app = started();
    app.apply(Action::ToggleRun);
    app.apply(Action::Down);
    let effects = app.apply(Action::ToggleRun);
    assert_eq!(effects, vec![Effect::Load("a".into())]);
    assert_eq!(app.shown_runs(), vec!["b".to_owned(), "a".to_owned()]);
    app.apply(Action::ToggleRun);
    assert_eq!(app.shown_runs(), vec!["b".to_owned()]);
    app.apply(Action::Back);
    assert!(app.overlay.is_empty());
}

#[test]
fn the_metric_choice_survives_reloads() {
    let reg = registry();
    let mut app = started();
    app.apply(Action::FocusNext);
    assert_eq!(app.focus, Focus::Metrics);
    app.apply(Action::Down);
    let chosen = app.selected_group().map(|g| g.label.clone());
    assert_eq!(chosen.as_deref(), Some("val_acc"));
    app.update(Data::Run(loaded("b", &reg)));
    assert_eq!(app.selected_group().map(|g| g.label.clone()), chosen);
}

#[test]
fn modes_cycle() {
    let mut app = started();
    let smoothing: Vec<usize> = (0..4)
        .map(|_| {
            app.apply(Action::CycleSmoothing);
            app.smoothing
        })
        .collect();
    assert_eq!(smoothing, [1, 2, 3, 0]);
    app.apply(Action::CycleAlign);
    assert_eq!(app.align, Align::Relative);
    app.apply(Action::CycleAlign);
    assert_eq!(app.align, Align::Time);
    app.apply(Action::CycleAlign);
    assert_eq!(app.align, Align::Step);
    app.apply(Action::ToggleLog);
    assert!(app.log);
    app.apply(Action::Help);
    assert_eq!(app.mode(), Mode::Help);
    app.apply(Action::Back);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.apply(Action::Quit), vec![Effect::Quit]);
}

#[test]
fn zoom_and_pan_stay_inside_the_steps() {
    let mut app = started();
    app.apply(Action::ZoomIn);
    assert_eq!(app.view, (0.25, 0.75));
    app.apply(Action::PanRight);
    assert_eq!(app.view, (0.375, 0.875));
    for _ in 0..10 {
        app.apply(Action::PanRight);
    }
    assert_eq!(app.view, (0.5, 1.0));
    app.apply(Action::ZoomOut);
    app.apply(Action::ZoomOut);
    assert_eq!(app.view, (0.0, 1.0));
    app.apply(Action::ZoomIn);
    app.apply(Action::ResetView);
    assert_eq!(app.view, (0.0, 1.0));
}

#[test]
fn the_filter_narrows_the_list() {
    let mut app = started();
    app.apply(Action::StartFilter);
    assert_eq!(app.mode(), Mode::Filter);
    let effects = app.apply(Action::FilterChar('a'));
    assert_eq!(app.visible_runs().len(), 1);
    assert_eq!(effects, vec![Effect::Load("a".into())]);
    app.apply(Action::Enter);
    assert_eq!(app.mode(), Mode::Normal);
    assert_eq!(app.filter, "a");
    app.apply(Action::Back);
    assert!(app.filter.is_empty());
    assert_eq!(app.visible_runs().len(), 2);
    assert_eq!(app.cursor_run(), Some("a"));
}

#[test]
fn new_points_reload_the_runs_on_the_chart_only() {
    let reg = registry();
    let mut app = started();
    app.update(Data::Run(loaded("a", &reg)));
    let effects = app.update(Data::Runs(vec![row("a", 1.0, 999), row("b", 2.0, 999)]));
    assert_eq!(effects, vec![Effect::Load("b".into())]);
    // `a` was not on the chart: let go, read again when it is.
    assert!(!app.loaded.contains_key("a"));
    assert!(app.take_dirty());
    assert!(!app.take_dirty());
}

#[test]
fn an_empty_database_has_nothing_to_load() {
    let mut app = App::new(registry(), Vec::new(), false);
    assert!(app.update(Data::Runs(Vec::new())).is_empty());
    assert!(app.shown_runs().is_empty());
    assert!(app.apply(Action::Down).is_empty());
}

#[test]
fn the_help_scrolls_within_what_was_drawn() {
    let mut app = started();
    app.apply(Action::Help);
    // Nothing drawn yet: nothing to scroll.
    app.apply(Action::Down);
    assert_eq!(app.help_scroll, 0);
    app.help_room = HelpRoom {
        visible: 8,
        total: 20,
    };
    app.apply(Action::Down);
    app.apply(Action::Down);
    assert_eq!(app.help_scroll, 2);
    app.apply(Action::Up);
    assert_eq!(app.help_scroll, 1);
    app.apply(Action::PageDown);
    assert_eq!(app.help_scroll, 8, "a page keeps one line of the last");
    app.apply(Action::PageDown);
    assert_eq!(app.help_scroll, 12, "stops where the last line shows");
    app.apply(Action::Down);
    assert_eq!(app.help_scroll, 12);
    app.apply(Action::Top);
    assert_eq!(app.help_scroll, 0);
    app.apply(Action::Bottom);
    assert_eq!(app.help_scroll, 12);
    // Scrolling the help moves no list cursor; closing and opening starts at the top.
    assert_eq!(app.cursor_run(), Some("b"));
    app.apply(Action::Help);
    assert_eq!(app.mode(), Mode::Normal);
    app.apply(Action::Help);
    assert_eq!(app.help_scroll, 0);
}
