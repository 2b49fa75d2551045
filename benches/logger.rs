#![allow(clippy::unwrap_used)]
//! `tracker::Logger`: 1,000 steps of 3 values logged into a database file, committed in batches
//! (as `Logger` does) against one transaction per call (`flush` after every `log`). The target:
//! batches at least 10× faster.
//!
//! `cargo bench --bench logger`

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tracker::Logger;

const STEPS: i64 = 1000;

fn log_all(log: &mut Logger, flush_each: bool) {
    for step in 0..STEPS {
        let x = step as f64;
        log.log(
            step,
            &[("loss", 1.0 / (x + 1.0)), ("acc", x / 1e3), ("lr", 1e-3)],
        )
        .unwrap();
        if flush_each {
            log.flush().unwrap();
        }
    }
    log.flush().unwrap();
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("logger 1000 steps x 3 values");
    g.sample_size(10);
    for (name, flush_each) in [("batched", false), ("one transaction per call", true)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().unwrap();
                    let log = Logger::open(&dir.path().join("t.db"), "run").unwrap();
                    (dir, log)
                },
                |(dir, mut log)| {
                    log_all(&mut log, flush_each);
                    (dir, log)
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
