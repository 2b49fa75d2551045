use super::proto::{TensorProto, dtype};
use super::write::{EventWriter, float_tensor};
use super::*;
use crate::ingest::{Format, Options, parse_all};

/// Feed `data` the way the importer does, `chunk` bytes at a time, re-offering what was not
/// consumed.
fn feed_in_chunks(data: &[u8], chunk: usize) -> Batch {
    let mut p = TfEvents::new();
    let mut b = Batch::new();
    let mut pending = Vec::new();
    let mut rest = data;
    loop {
        let n = chunk.min(rest.len());
        pending.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
        let eof = rest.is_empty();
        let used = p.feed(&pending, eof, &mut b);
        pending.drain(..used);
        if eof {
            assert!(pending.is_empty(), "everything is consumed at eof");
            return b;
        }
    }
}

fn triples(b: &Batch) -> Vec<(String, i64, f64)> {
    b.points
        .iter()
        .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
        .collect()
}

/// Three scalars per step for `steps` steps; returns the file and each record's end offset.
fn sample(steps: i64) -> (Vec<u8>, Vec<usize>) {
    let mut w = EventWriter::new(1000.0);
    let mut ends = vec![w.len()];
    for s in 0..steps {
        for tag in ["train/loss", "eval/f1", "lr"] {
            w.scalar(tag, s, s as f32 * 0.5, 1000.0 + s as f64);
            ends.push(w.len());
        }
    }
    (w.into_bytes(), ends)
}

#[test]
fn simple_values_keep_their_tags_steps_and_wall_times() {
    let (data, _) = sample(4);
    let b = parse_all(Format::TfEvents, &Options::default(), &data);
    assert!(b.skips.is_empty(), "{:?}", b.skips);
    assert_eq!(b.points.len(), 12);
    assert_eq!(
        triples(&b)[..4],
        [
            ("train/loss".to_string(), 0, 0.0),
            ("eval/f1".to_string(), 0, 0.0),
            ("lr".to_string(), 0, 0.0),
            ("train/loss".to_string(), 1, 0.5),
        ]
    );
    assert_eq!(b.points[11].wall_time, Some(1003.0));
    assert_eq!(b.points[3].step, 1);
}

#[test]
fn tensor_scalars_count_and_other_tensors_do_not() {
    let mut w = EventWriter::new(1.0);
    // Metadata on the first value of a tag only, as TF2 writers do.
    w.tensor_scalar("epoch_loss", 0, 0.75, 2.0, true);
    w.tensor_scalar("epoch_loss", 1, 0.5, 3.0, false);
    let double = TensorProto {
        dtype: dtype::DOUBLE,
        double_val: vec![0.125],
        ..TensorProto::default()
    };
    w.tensor("epoch_acc", 1, double, 3.0, Some("scalars"));
    let half = TensorProto {
        dtype: dtype::HALF,
        half_val: vec![0x3c00], // 1.0
        ..TensorProto::default()
    };
    w.tensor("half", 1, half, 3.0, Some("scalars"));
    // Not scalars: a histogram's tensor, several numbers, a tensor without any metadata.
    w.tensor("kernel", 1, float_tensor(&[1.0]), 3.0, Some("histograms"));
    w.tensor("many", 1, float_tensor(&[1.0, 2.0]), 3.0, Some("scalars"));
    w.tensor("bare", 1, float_tensor(&[1.0]), 3.0, None);
    let b = parse_all(Format::TfEvents, &Options::default(), &w.into_bytes());
    assert!(b.skips.is_empty(), "{:?}", b.skips);
    assert_eq!(
        triples(&b),
        [
            ("epoch_loss".to_string(), 0, 0.75),
            ("epoch_loss".to_string(), 1, 0.5),
            ("epoch_acc".to_string(), 1, 0.125),
            ("half".to_string(), 1, 1.0),
        ]
    );
}

#[test]
fn any_chunking_gives_the_same_points() {
    let (data, _) = sample(20);
    let whole = parse_all(Format::TfEvents, &Options::default(), &data);
    for chunk in [1, 2, 7, 12, 13, 100, data.len()] {
        let b = feed_in_chunks(&data, chunk);
        assert_eq!(b.points, whole.points, "chunk {chunk}");
        assert!(b.skips.is_empty(), "chunk {chunk}: {:?}", b.skips);
    }
}

#[test]
fn a_partial_last_record_waits_for_more_then_is_reported_at_the_end() {
    let (data, ends) = sample(3);
    for cut in 0..=data.len() {
        let part = &data[..cut];
        let complete = ends.iter().filter(|&&e| e <= cut).count();
        let points = complete.saturating_sub(1); // the first record is the file version
        let boundary = complete > 0 && ends[complete - 1] == cut || cut == 0;
        // Not at the end yet: the partial record is left for later.
        let mut p = TfEvents::new();
        let mut b = Batch::new();
        let used = p.feed(part, false, &mut b);
        assert_eq!(used, if complete == 0 { 0 } else { ends[complete - 1] });
        assert_eq!(b.points.len(), points, "cut {cut}");
        assert!(b.skips.is_empty());
        // At the end: the same points and one skip for the partial record.
        let b = parse_all(Format::TfEvents, &Options::default(), part);
        assert_eq!(b.points.len(), points, "cut {cut}");
        if boundary {
            assert!(b.skips.is_empty(), "cut {cut}: {:?}", b.skips);
        } else {
            assert_eq!(b.skips.len(), 1, "cut {cut}");
            assert!(b.skips[0].reason.starts_with("truncated record"));
            assert_eq!(b.skips[0].location, Location::Offset(used as u64));
        }
    }
}

#[test]
fn a_flipped_byte_loses_one_record_and_reports_its_offset() {
    let (data, ends) = sample(10);
    let whole = parse_all(Format::TfEvents, &Options::default(), &data);
    // Damage the 6th record in its payload, then in its length.
    for (k, at) in [(5, ends[5] + 15), (5, ends[5] + 2)] {
        let mut bad = data.clone();
        bad[at] ^= 0x40;
        for chunk in [5, 64, bad.len()] {
            let b = feed_in_chunks(&bad, chunk);
            assert_eq!(b.skips.len(), 1, "{:?}", b.skips);
            assert_eq!(b.skips[0].location, Location::Offset(ends[k] as u64));
            assert!(
                b.skips[0]
                    .reason
                    .contains(&format!("resumed at offset {}", ends[k + 1])),
                "{}",
                b.skips[0].reason
            );
            let mut expected = whole.points.clone();
            expected.remove(k); // record k+1 is point k (record 0 is the file version)
            assert_eq!(b.points, expected);
        }
    }
}

#[test]
fn garbage_in_the_middle_is_stepped_over() {
    let mut w = EventWriter::new(1.0);
    w.scalar("loss", 1, 1.0, 2.0);
    let start = w.len();
    w.raw(&[0xff; 100]);
    w.scalar("loss", 2, 0.5, 3.0);
    w.raw(b"tail garbage that is not a record");
    let b = parse_all(Format::TfEvents, &Options::default(), &w.into_bytes());
    assert_eq!(b.points.len(), 2);
    assert_eq!(b.skips.len(), 2);
    assert_eq!(b.skips[0].location, Location::Offset(start as u64));
    assert!(b.skips[1].reason.contains("no valid record"));
}

#[test]
fn absurd_lengths_and_empty_input() {
    let b = parse_all(Format::TfEvents, &Options::default(), b"");
    assert!(b.points.is_empty() && b.skips.is_empty());
    let len = u64::MAX.to_le_bytes();
    let mut data = len.to_vec();
    data.extend_from_slice(&record::masked_crc(&len).to_le_bytes());
    data.extend_from_slice(&[0; 64]);
    let b = parse_all(Format::TfEvents, &Options::default(), &data);
    assert!(b.points.is_empty());
    assert_eq!(b.skips[0].location, Location::Offset(0));
    assert!(b.skips[0].reason.contains("bad length checksum"));
}

#[test]
fn a_record_that_is_not_an_event_is_reported() {
    let mut w = EventWriter::new(1.0);
    // Field 1 (`wall_time`, a double) cut short.
    let mut junk = Vec::new();
    record::encode(&[0x09, 0x01], &mut junk);
    w.raw(&junk);
    w.scalar("loss", 1, 1.0, 2.0);
    let b = parse_all(Format::TfEvents, &Options::default(), &w.into_bytes());
    assert_eq!(b.points.len(), 1);
    assert_eq!(b.skips.len(), 1, "{:?}", b.skips);
    assert!(b.skips[0].reason.contains("not a TensorBoard event"));
}

#[test]
fn detection_helpers() {
    let (data, _) = sample(1);
    assert!(looks_like(&data));
    assert_eq!(first_wall_time(&data), Some(1000.0));
    assert!(!looks_like(b"step,loss\n1,0.5\n"));
    assert_eq!(first_wall_time(&data[..5]), None);
}
