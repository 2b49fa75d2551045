//! `tracker diagnose` end to end on a large run: 20 metrics × 100,000 points read from the
//! database, classified, and hints computed. Target: under 300 ms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use tracker::defs::Registry;
use tracker::store::Store;

const METRICS: [&str; 20] = [
    "train_loss",
    "val_loss",
    "train_acc",
    "val_acc",
    "val_f1",
    "val_precision",
    "val_recall",
    "lr",
    "grad_norm",
    "val_auc",
    "train_f1",
    "val_perplexity",
    "val_map",
    "val_iou",
    "val_bleu",
    "val_rouge",
    "m16",
    "m17",
    "m18",
    "m19",
];

fn build(dir: &std::path::Path, steps: usize) -> Store {
    let mut text = String::new();
    let mut x: u64 = 7;
    for step in 0..steps {
        text.push_str(&format!("{{\"step\": {step}"));
        for (i, m) in METRICS.iter().enumerate() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = (x >> 11) as f64 / (1u64 << 53) as f64 * 0.02;
            let v =
                0.5 + 0.4 * (1.0 - (-(step as f64) / 20_000.0).exp()) * (i as f64 / 20.0) + noise;
            text.push_str(&format!(", \"{m}\": {v}"));
        }
        text.push_str("}\n");
    }
    let mut store = Store::open(&dir.join("big.db")).unwrap();
    tracker::import::import_reader(
        &mut store,
        &mut text.as_bytes(),
        "bench",
        "big.jsonl",
        "big",
        &Default::default(),
        &mut tracker::import::Quiet,
    )
    .unwrap();
    store
}

fn diagnose(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = build(dir.path(), 100_000);
    let registry = Registry::builtin().unwrap();
    let mut g = c.benchmark_group("diagnose_run_20x100k");
    g.sample_size(10);
    g.bench_function("load_and_diagnose", |b| {
        b.iter(|| {
            // What `tracker diagnose big` does after opening the database.
            let names = tracker::diagnose::chosen_metrics(&store, "big", None, false).unwrap();
            let report = tracker::diagnose::read_run(&store, "big", names, &registry).unwrap();
            assert_eq!(black_box(report).metrics.len(), 20);
        })
    });
    g.bench_function("load_only", |b| {
        b.iter(|| {
            for n in store.metric_names("big").unwrap() {
                black_box(store.series("big", &n).unwrap());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, diagnose);
criterion_main!(benches);
