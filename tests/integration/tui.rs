//! The terminal UI: whole frames on a `TestBackend` (insta snapshots of seeded synthetic
//! curves), an event script pushed through the real loop, and the real binary driven in tmux.

mod screen;
mod signals;
mod tmux;

use crate::util::{Env, real_logs};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};
use tmux::Tmux;
use tracker::defs::Registry;
use tracker::model::Series;
use tracker::tui::event::RunRow;
use tracker::tui::loader::{Request, diagnosed};
use tracker::tui::{self, Action, App, Data, Event};

/// A small deterministic noise source (no rand dependency, same numbers everywhere).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    }
}

fn curve(n: i64, seed: u64, f: impl Fn(f64) -> f64, noise: f64) -> Arc<Series> {
    let mut rng = Lcg(seed);
    let steps: Vec<i64> = (0..n).map(|i| i * 10).collect();
    Arc::new(Series {
        values: steps
            .iter()
            .map(|&s| f(s as f64) + noise * rng.next())
            .collect(),
        wall_times: steps
            .iter()
            .map(|&s| Some(1000.0 + s as f64 * 0.5))
            .collect(),
        steps,
    })
}

fn registry() -> Arc<Registry> {
    Arc::new(Registry::builtin().expect("shipped definitions load"))
}

/// Three runs: `baseline` (healthy losses), `overfit` (its validation loss turns back up),
/// `stuck` (flat): names differ by split spelling so the overlay must match aliases.
fn seeded(reg: &Registry) -> Vec<Data> {
    let runs = vec![
        row("baseline", 1.0),
        row("stuck", 2.0),
        row("overfit", 3.0), // newest
    ];
    let baseline = vec![
        (
            "train_loss".to_owned(),
            curve(200, 1, |s| 2.0 * (-s / 500.0).exp() + 0.1, 0.05),
        ),
        (
            "val_acc".to_owned(),
            curve(200, 2, |s| 0.9 - 0.6 * (-s / 400.0).exp(), 0.01),
        ),
        (
            "val_loss".to_owned(),
            curve(200, 3, |s| 2.0 * (-s / 600.0).exp() + 0.2, 0.02),
        ),
    ];
    let overfit = vec![
        (
            "epoch".to_owned(),
            curve(200, 4, |s| (s / 100.0).floor(), 0.0),
        ),
        (
            "eval_accuracy".to_owned(),
            curve(200, 5, |s| 0.8 - 0.5 * (-s / 300.0).exp(), 0.01),
        ),
        (
            "eval_loss".to_owned(),
            curve(
                200,
                6,
                |s| 1.5 * (-s / 300.0).exp() + 0.3 + (s - 800.0).max(0.0) / 800.0,
                0.02,
            ),
        ),
        (
            "train_loss".to_owned(),
            curve(200, 7, |s| 2.0 * (-s / 250.0).exp() + 0.02, 0.03),
        ),
    ];
    let stuck = vec![("train_loss".to_owned(), curve(200, 8, |_| 1.2, 0.05))];
    vec![
        Data::Runs(runs),
        Data::Run(Box::new(diagnosed("overfit", overfit, reg))),
        Data::Run(Box::new(diagnosed("baseline", baseline, reg))),
        Data::Run(Box::new(diagnosed("stuck", stuck, reg))),
    ]
}

fn row(name: &str, created: f64) -> RunRow {
    RunRow {
        name: name.into(),
        created,
        points: 600,
        last_step: Some(1990),
    }
}

fn app_with_data() -> App {
    let reg = registry();
    let mut app = App::new(reg.clone(), Vec::new(), false);
    for d in seeded(&reg) {
        app.update(d);
    }
    app
}

fn frame(app: &App) -> TestBackend {
    let mut t = Terminal::new(TestBackend::new(100, 30)).expect("test terminal");
    let mut cache = tracker::tui::cache::ChartCache::default();
    t.draw(|f| {
        tui::view::render(f, app, &mut cache);
    })
    .expect("draw");
    t.backend().clone()
}

fn apply(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.apply(*a);
    }
}

#[test]
fn first_frame_shows_the_newest_run_a_chart_and_a_verdict() {
    let app = app_with_data();
    insta::assert_snapshot!("tui_first_frame", frame(&app));
}

#[test]
fn overlay_of_two_runs_matches_aliases() {
    let mut app = app_with_data();
    // overfit (newest) and baseline, their validation loss (eval_loss = val_loss).
    apply(
        &mut app,
        &[
            Action::ToggleRun,
            Action::Bottom,
            Action::ToggleRun,
            Action::FocusNext,
            Action::Down,
        ],
    );
    assert_eq!(app.shown_runs(), ["overfit", "baseline"]);
    insta::assert_snapshot!("tui_overlay", frame(&app));
    apply(
        &mut app,
        &[
            Action::CycleSmoothing,
            Action::CycleSmoothing,
            Action::ToggleLog,
        ],
    );
    insta::assert_snapshot!("tui_overlay_smoothed_log", frame(&app));
}

#[test]
fn diagnosis_panel_of_a_diverging_curve() {
    let mut app = app_with_data();
    apply(
        &mut app,
        &[Action::FocusNext, Action::Down, Action::FocusNext],
    );
    let g = app.selected_group().expect("a metric");
    assert_eq!(g.label, "eval_loss");
    insta::assert_snapshot!("tui_diagnosis", frame(&app));
}

#[test]
fn help_lists_every_key() {
    let mut app = app_with_data();
    app.apply(Action::Help);
    let text = frame(&app).to_string();
    for (key, _) in tracker::tui::keymap::KEYS {
        assert!(text.contains(key), "help lacks {key}");
    }
    insta::assert_snapshot!("tui_help", frame(&app));
}

#[test]
fn empty_database_says_how_to_import() {
    let mut app = App::new(registry(), Vec::new(), false);
    app.update(Data::Runs(Vec::new()));
    insta::assert_snapshot!("tui_empty", frame(&app));
}

#[test]
fn an_event_script_runs_through_the_loop() {
    let reg = registry();
    let mut app = App::new(reg.clone(), Vec::new(), false);
    let (tx, rx) = channel();
    let (req_tx, req_rx) = channel::<Request>();
    let key = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let mut data = seeded(&reg).into_iter();
    if let Some(runs) = data.next() {
        tx.send(Event::Data(runs)).expect("send");
    }
    tx.send(Event::Tick).expect("send");
    for d in data {
        tx.send(Event::Data(d)).expect("send");
    }
    for ev in [
        Event::Tick,
        key('s'),
        key('x'),
        Event::Resize(100, 30),
        key('q'),
    ] {
        tx.send(ev).expect("send");
    }
    // Never read: `q` must end the loop first.
    tx.send(key('?')).expect("send");
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("test terminal");
    tui::run(&mut terminal, &mut app, &rx, &req_tx).expect("the loop runs");
    assert_eq!(
        req_rx.try_recv().ok(),
        Some(Request::Load("overfit".into()))
    );
    let screen = terminal.backend().to_string();
    assert!(screen.contains("smoothing 0.6"), "{screen}");
    assert!(screen.contains("by relative step"), "{screen}");
    assert!(!app.help);
}

#[test]
#[ignore = "needs tmux"]
fn the_real_binary_in_tmux() {
    assert!(
        tmux::installed(),
        "tmux is not installed (apt-get install tmux)"
    );
    let env = Env::new();
    env.ok(&["import", &real_logs().to_string_lossy()]);
    let bin = assert_cmd::cargo::cargo_bin!("tracker");
    // After the UI exits, the shell reports its status and whether the terminal is back in
    // cooked mode (raw mode shows as -icanon).
    let script = format!(
        "env -u TRACKER_DEFS TRACKER_DB='{}' NO_COLOR=1 '{}' ui; echo \"EXITED $?\"; stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'; sleep 60",
        env.db().display(),
        bin.display()
    );
    let tmux = Tmux::start("tui-test", env.dir.path(), (120, 40), &script);
    let first = tmux.wait_for("Diagnosis");
    let first = if first.contains("healthy") || first.contains("stagnant") {
        first
    } else {
        tmux.wait_for("healthy")
    };
    // The newest run (Lightning) is drawn: its first defined metric, a verdict, the others.
    for want in ["Runs (2)", "train_f1", "val_loss", "val_acc", "healthy"] {
        assert!(first.contains(want), "no '{want}' in:\n{first}");
    }
    let smoothed = tmux.keys(&["s"], &first);
    assert!(smoothed.contains("smoothing 0.6"), "{smoothed}");
    let logged = tmux.keys(&["l"], &smoothed);
    assert!(logged.contains("· log"), "{logged}");
    let aligned = tmux.keys(&["x"], &logged);
    assert!(aligned.contains("by relative step"), "{aligned}");
    let help = tmux.keys(&["?"], &aligned);
    assert!(help.contains("Keys ("), "{help}");
    // `q` in the help closes the help, not the app.
    let back = tmux.keys(&["q"], &help);
    assert!(
        !back.contains("Keys (") && back.contains("Diagnosis") && !back.contains("EXITED"),
        "q in the help did not just close it:\n{back}"
    );
    // Both runs on the chart, on a metric both have: without colors each run's marker keys
    // its curve in the run list and in the legend.
    let both = tmux.keys(&["Space", "j", "Space"], &back);
    let both = if both.contains("overlay 2") {
        both
    } else {
        tmux.wait_for("overlay 2")
    };
    // Focus the metric list (without colors the screen does not change).
    tmux.send(&["Tab"]);
    let mut both = both;
    let keyed = |screen: &str| {
        let chart = screen.split("╭ Diagnosis").next().unwrap_or_default();
        [("⣿", "lightning/"), ("•", "hf/")].iter().all(|(m, run)| {
            let (list, legend) = (format!("│● {m} {run}"), format!("│{m} {run}"));
            chart.lines().any(|l| l.starts_with(&list))
                && chart
                    .lines()
                    .any(|l| l.contains(&legend) && !l.starts_with(&list))
        })
    };
    for _ in 0..15 {
        if keyed(&both) {
            break;
        }
        both = tmux.keys(&["j"], &both);
    }
    assert!(
        keyed(&both),
        "the markers are not in the run list and legend:\n{both}"
    );
    let done = tmux.keys(&["q"], &both);
    let done = if done.contains("EXITED") {
        done
    } else {
        tmux.wait_for("EXITED")
    };
    assert!(done.contains("EXITED 0"), "{done}");
    assert!(
        done.lines().any(|l| l.trim() == "icanon"),
        "the terminal was left in raw mode:\n{done}"
    );
    assert!(
        !done.contains("Diagnosis"),
        "the UI is still on screen:\n{done}"
    );
}

/// Wait for the first event `want` accepts (up to 10 s).
fn wait_for<T>(rx: &std::sync::mpsc::Receiver<Event>, want: impl Fn(Data) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Event::Data(d)) => {
                if let Some(t) = want(d) {
                    return t;
                }
            }
            Ok(_) => {}
            Err(e) => panic!("no such event from the loader: {e}"),
        }
    }
}

#[test]
fn the_loader_sees_another_process_write() {
    let env = Env::new();
    env.ok(&["log", "--run", "live", "--step", "0", "loss=1.0"]);
    let (tx, rx) = channel();
    let requests =
        tracker::tui::loader::spawn(env.store(), registry(), tx, Duration::from_millis(50));
    let points = |d: Data| match d {
        Data::Runs(rows) => rows.iter().find(|r| r.name == "live").map(|r| r.points),
        _ => None,
    };
    assert_eq!(wait_for(&rx, points), 1);
    requests.send(Request::Load("live".into())).expect("send");
    let loaded = wait_for(&rx, |d| match d {
        Data::Run(r) => Some(r),
        _ => None,
    });
    assert_eq!(loaded.series("loss").map(|s| s.len()), Some(1));
    // Another process writes: the next poll lists the new point.
    env.ok(&["log", "--run", "live", "--step", "1", "loss=0.5"]);
    assert_eq!(wait_for(&rx, points), 2);
}

#[test]
fn ui_needs_a_terminal_and_known_runs() {
    let env = Env::new();
    env.ok(&["log", "--run", "r1", "--step", "0", "loss=1.0"]);
    let out = env.cmd().args(["ui", "nope"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'r1'"));
    let out = env.cmd().args(["ui", "r1"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("terminal"));
}
