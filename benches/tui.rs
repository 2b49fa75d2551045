//! The terminal UI's render path with 10 runs × 1,000,000 points on the chart (smoothing on,
//! so 20 curves), on ratatui's `TestBackend` at 160×48. Target: a frame under 16 ms.
//!
//! - `frame_cached`: what every tick and key costs: nothing changed in the data, so the
//!   downsampled curves come from the cache.
//! - `key_then_frame`: a key that changes the view (pan right, pan left) and its frame; the
//!   viewport's points are re-downsampled from the cached smoothed values.
//! - `smoothing_key_then_frame`: `s`, whose new smoothing is computed for all 10 curves.
//! - `frame_cold`: the first frame after the data changed: x positions, smoothing (O(n))
//!   and downsampling of all 10 million points, twice (raw and smoothed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;
use tracker::defs::Registry;
use tracker::model::Series;
use tracker::tui::cache::ChartCache;
use tracker::tui::event::RunRow;
use tracker::tui::loader::diagnosed;
use tracker::tui::{Action, App, Data};

const RUNS: usize = 10;
const POINTS: usize = 1_000_000;

fn series(run: usize) -> Arc<Series> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ run as u64;
    let steps: Vec<i64> = (0..POINTS as i64).collect();
    let values = steps
        .iter()
        .map(|&s| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            2.0 * (-(s as f64) / (200_000.0 + run as f64 * 30_000.0)).exp() + 0.1 + 0.05 * noise
        })
        .collect();
    let wall_times = steps.iter().map(|&s| Some(s as f64 * 0.01)).collect();
    Arc::new(Series {
        steps,
        values,
        wall_times,
    })
}

fn app() -> App {
    let reg = Arc::new(Registry::builtin().expect("shipped definitions"));
    let names: Vec<String> = (0..RUNS).map(|i| format!("run_{i:02}")).collect();
    let mut app = App::new(reg.clone(), names.clone(), false);
    app.update(Data::Runs(
        names
            .iter()
            .enumerate()
            .map(|(i, n)| RunRow {
                name: n.clone(),
                created: i as f64,
                points: POINTS as u64,
                last_step: Some(POINTS as i64 - 1),
            })
            .collect(),
    ));
    for (i, n) in names.iter().enumerate() {
        let run = diagnosed(n, vec![("train_loss".to_owned(), series(i))], &reg);
        app.update(Data::Run(Box::new(run)));
    }
    app.apply(Action::CycleSmoothing);
    app.apply(Action::CycleSmoothing);
    app
}

fn bench(c: &mut Criterion) {
    let mut app = app();
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    // One cache across frames, as the UI's loop keeps it.
    let mut cache = ChartCache::default();
    fn frame(app: &App, t: &mut Terminal<TestBackend>, cache: &mut ChartCache) {
        tracker::tui::view::chart::prepare(app, cache);
        t.draw(|f| {
            tracker::tui::view::render(f, app, cache);
        })
        .unwrap();
    }
    frame(&app, &mut terminal, &mut cache);
    let mut g = c.benchmark_group("tui_10x1M");
    g.sample_size(30);
    g.bench_function("frame_cached", |b| {
        b.iter(|| frame(black_box(&app), &mut terminal, &mut cache))
    });
    app.apply(Action::ZoomIn);
    let mut right = true;
    g.bench_function("key_then_frame", |b| {
        b.iter(|| {
            let action = if right {
                Action::PanRight
            } else {
                Action::PanLeft
            };
            right = !right;
            app.apply(action);
            cache.forget_points();
            frame(black_box(&app), &mut terminal, &mut cache);
        })
    });
    app.apply(Action::ResetView);
    g.sample_size(10);
    g.bench_function("smoothing_key_then_frame", |b| {
        b.iter(|| {
            // `s` to a smoothing not in the cache: 10 EMAs of 1M points, their index, a frame.
            cache.forget_smoothed();
            app.apply(Action::CycleSmoothing);
            if app.smoothing == 0 {
                app.apply(Action::CycleSmoothing);
            }
            frame(black_box(&app), &mut terminal, &mut cache);
        })
    });
    g.bench_function("frame_cold", |b| {
        b.iter(|| {
            cache.clear();
            frame(black_box(&app), &mut terminal, &mut cache);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
