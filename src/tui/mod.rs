//! The terminal UI (`tracker ui`): a run list with badges, the metrics of the runs on the
//! chart, a large Braille chart, and the chosen curve's diagnosis, live while other processes
//! write to the database.
//!
//! - `event`: the one channel's [`Event`]s (keys, ticks, data, resizes, signals), [`Action`]s
//!   and [`Effect`]s, and the threads that read the terminal and tick.
//! - `keymap`: keys → actions. `app`: the state; `App::apply` and `App::update` are pure.
//! - `loader`: the only reader of the database, on its own thread (polls `data_version`).
//! - `groups`: the metric list (matching as `compare` does). `downsample`, `cache`: curves
//!   fitted to the chart's width, computed once. `view`: one file per screen region.
//!
//! Drawing reads: `view::render(frame, &App, &mut ChartCache)`. The loop owns the cache,
//! fills what a frame needs before drawing (on all cores), and hands the app back how much of
//! the help the frame showed; drawing neither changes the app nor starts a thread.
//!
//! The loop is generic over ratatui's `Backend`, so tests drive it on a `TestBackend`.

pub mod app;
pub mod cache;
pub mod downsample;
pub mod event;
pub mod groups;
pub mod keymap;
pub mod loader;
pub mod view;

pub use app::App;
pub use event::{Action, Data, Effect, Event};
pub use loader::Request;

use cache::ChartCache;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::io;
use std::sync::mpsc::{Receiver, Sender};

/// How often the screen may redraw for new data.
pub const TICK: std::time::Duration = std::time::Duration::from_millis(250);

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// `q`, Ctrl-C, or the channel closed.
    Quit,
    /// This signal arrived ([`Event::Signal`]).
    Signal(i32),
}

/// Run the UI until `q`, a signal, or the channel closes: keys are applied and drawn at once;
/// data is taken in as it comes and drawn on the next tick; load requests go to `loader`.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    rx: &Receiver<Event>,
    loader: &Sender<Request>,
) -> io::Result<Ended> {
    // The loop owns what frames keep between them; drawing only reads the app.
    let mut cache = ChartCache::default();
    draw(terminal, app, &mut cache)?;
    for event in rx {
        if let Event::Signal(number) = event {
            return Ok(Ended::Signal(number));
        }
        if !handle(terminal, app, &mut cache, event, loader)? {
            break;
        }
    }
    Ok(Ended::Quit)
}

/// One event: false when the app is to quit (a signal included).
pub fn handle<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    cache: &mut ChartCache,
    event: Event,
    loader: &Sender<Request>,
) -> io::Result<bool> {
    let (effects, redraw) = match event {
        Event::Key(key) => match keymap::action(app.mode(), key) {
            Some(action) => (app.apply(action), true),
            None => (Vec::new(), false),
        },
        Event::Tick => (Vec::new(), app.take_dirty()),
        Event::Data(data) => (app.update(data), false),
        Event::Resize(..) => {
            terminal.autoresize().map_err(other)?;
            (Vec::new(), true)
        }
        Event::Signal(_) => return Ok(false),
    };
    for effect in effects {
        match effect {
            Effect::Quit => return Ok(false),
            // A closed loader only means no more data; the screen still works.
            Effect::Load(run) => {
                let _ = loader.send(Request::Load(run));
            }
        }
    }
    if redraw {
        draw(terminal, app, cache)?;
    }
    Ok(true)
}

/// Draw one frame: what the chart needs is computed first (on all cores), then the frame is
/// drawn from `&App`, and how much of the help it showed is handed to the app.
pub fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    cache: &mut ChartCache,
) -> io::Result<()> {
    app.take_dirty();
    view::chart::prepare(app, cache);
    let mut room = app.help_room;
    terminal
        .draw(|frame| room = view::render(frame, app, cache))
        .map_err(other)?;
    app.help_room = room;
    Ok(())
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}
