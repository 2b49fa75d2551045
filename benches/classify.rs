//! One 1,000,000-point curve classified (target: well under 50 ms).
//!
//! `cargo bench --bench classify`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tracker::classify::{Direction, Spec, classify, smooth_ema};

/// A noisy, saturating training loss with occasional spikes (deterministic).
fn loss_curve(n: usize) -> (Vec<i64>, Vec<f64>) {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let steps = (0..n as i64).collect();
    let values = (0..n)
        .map(|i| {
            let t = i as f64 / n as f64;
            let spike = if uniform() < 1e-4 { 3.0 } else { 0.0 };
            0.3 + 2.0 * (-t * 6.0).exp() + 0.1 * (uniform() - 0.5) + spike
        })
        .collect();
    (steps, values)
}

fn bench(c: &mut Criterion) {
    let (steps, values) = loss_curve(1_000_000);
    let spec = Spec {
        direction: Direction::Minimize,
        ..Spec::default()
    };
    c.bench_function("classify 1M points", |b| {
        b.iter(|| classify(black_box(&steps), black_box(&values), black_box(&spec)))
    });
    c.bench_function("smooth_ema 1M points", |b| {
        b.iter(|| smooth_ema(black_box(&values), black_box(0.6)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
