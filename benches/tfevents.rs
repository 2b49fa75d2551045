//! Parsing an event file of 100,000 scalars held in memory (framing, checksums, protobuf
//! decoding and batching; no database). `cargo bench --bench tfevents`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tracker::ingest::tfevents::record::{Frame, frame};
use tracker::ingest::tfevents::write::synthetic;
use tracker::ingest::{Format, Options, parse_all};

fn parse(c: &mut Criterion) {
    // 10 tags × 10,000 steps, one event per value, as tensorboardX writes them.
    let data = synthetic(10, 10_000);
    let points = parse_all(Format::TfEvents, &Options::default(), &data)
        .points
        .len();
    assert_eq!(points, 100_000);
    let mut g = c.benchmark_group("tfevents");
    g.throughput(Throughput::Elements(points as u64));
    g.bench_function("parse_100k_scalars", |b| {
        b.iter(|| parse_all(Format::TfEvents, &Options::default(), black_box(&data)))
    });
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("frame_and_checksum_only", |b| {
        b.iter(|| {
            let mut rest = black_box(&data[..]);
            let mut n = 0usize;
            while let Frame::Record { len } = frame(rest) {
                rest = &rest[Frame::total(len)..];
                n += 1;
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
