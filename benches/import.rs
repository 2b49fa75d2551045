#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Import throughput: JSONL parsing alone, and parsing plus storing into a fresh database
//! (what `tracker import` does). `bench/import.sh` runs the 1,000,000-point file through the
//! release binary and its peers.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tracker::import::{self, Settings};
use tracker::ingest::{self, Format, Options};
use tracker::store::Store;

/// 10 runs × 10 metrics × `steps` steps, one object per run and step (as bench/gen_jsonl.py).
fn jsonl(steps: usize) -> Vec<u8> {
    let mut out = String::new();
    let mut x: u64 = 42;
    for run in 0..10 {
        for step in 0..steps {
            out.push_str(&format!("{{\"run\": \"run_{run}\", \"step\": {step}"));
            for m in 0..10 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let noise = (x >> 11) as f64 / (1u64 << 53) as f64 * 0.02 - 0.01;
                let v = (-(step as f64) / 3000.0).exp() * (1.0 + m as f64 / 10.0) + noise;
                out.push_str(&format!(", \"metric_{m}\": {v}"));
            }
            out.push_str("}\n");
        }
    }
    out.into_bytes()
}

fn import(c: &mut Criterion) {
    let data = jsonl(1000);
    let points = 100_000u64;
    let mut g = c.benchmark_group("import_jsonl_100k_points");
    g.throughput(Throughput::Elements(points));
    g.sample_size(20);
    g.bench_function("parse", |b| {
        b.iter(|| {
            let batch = ingest::parse_all(Format::Jsonl, &Options::default(), black_box(&data));
            assert_eq!(batch.points.len() as u64, points);
        })
    });
    g.bench_function("parse_and_store", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = Store::open(&dir.path().join("bench.db")).expect("open");
                (dir, store)
            },
            |(dir, mut store)| {
                let settings = Settings {
                    format: Some(Format::Jsonl),
                    ..Settings::default()
                };
                let outcome = import::import_reader(
                    &mut store,
                    &mut data.as_slice(),
                    "bench",
                    "bench.jsonl",
                    "bench",
                    &settings,
                    &mut import::Quiet,
                )
                .expect("import");
                assert_eq!(outcome.stats.changed, points);
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
