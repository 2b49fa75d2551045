use super::*;

/// Feed records given as `[(field, value)]` lists; return (metric, step, value) and the batch.
fn run(records: &[&[(&str, f64)]]) -> (Vec<(String, i64, f64)>, Batch) {
    let mut out = Batch::new();
    let mut src = StepSource::default();
    for (i, fields) in records.iter().enumerate() {
        let rec = Record {
            index: i as u64,
            at: Some(Location::Line(i as u64 + 1)),
            fields: fields
                .iter()
                .map(|&(n, v)| Field {
                    metric: out.metric(n),
                    value: v,
                    rank: step::rank(n),
                })
                .collect(),
            ..Record::default()
        };
        src.record(&rec, &mut out);
    }
    src.finish(&mut out);
    let pts = out
        .points
        .iter()
        .map(|p| (out.metric_name(p.metric).to_owned(), p.step, p.value))
        .collect();
    (pts, out)
}

fn steps_of(pts: &[(String, i64, f64)], metric: &str) -> Vec<i64> {
    pts.iter().filter(|p| p.0 == metric).map(|p| p.1).collect()
}

#[test]
fn fractional_epochs_make_the_record_number_the_step() {
    let (pts, b) = run(&[
        &[("epoch", 0.5), ("loss", 1.0)],
        &[("epoch", 1.0), ("loss", 2.0)],
        &[("epoch", 1.5), ("loss", 3.0)],
        &[("epoch", 2.0), ("loss", 4.0)],
    ]);
    assert_eq!(steps_of(&pts, "loss"), [0, 1, 2, 3]);
    assert_eq!(steps_of(&pts, "epoch"), [0, 1, 2, 3]);
    assert!(b.restarts.is_empty() && b.skips.is_empty());
}

#[test]
fn whole_epochs_that_turn_fractional_later_are_decided_by_the_first_ones() {
    // Two whole epochs decide; a fractional one afterwards is reported, not collapsed.
    let (pts, b) = run(&[
        &[("epoch", 1.0), ("loss", 1.0)],
        &[("epoch", 2.0), ("loss", 2.0)],
        &[("epoch", 2.5), ("loss", 3.0)],
    ]);
    assert_eq!(steps_of(&pts, "loss"), [1, 2]);
    assert_eq!(b.skips.len(), 1);
    assert_eq!(b.skips[0].location, Location::Line(3));
    assert!(b.skips[0].reason.contains("not a whole number"));
}

#[test]
fn a_metric_logged_twice_in_the_first_epoch_means_epoch_is_not_the_step() {
    let (pts, b) = run(&[
        &[("epoch", 0.0), ("loss", 1.0)],
        &[("epoch", 0.0), ("loss", 0.9)],
        &[("epoch", 1.0), ("loss", 0.8)],
    ]);
    assert_eq!(steps_of(&pts, "loss"), [0, 1, 2]);
    assert_eq!(steps_of(&pts, "epoch"), [0, 1, 2]);
    assert!(b.replaced_in_stream == 0 && b.restarts.is_empty());
}

#[test]
fn a_train_and_a_val_record_of_one_epoch_share_its_step() {
    let (pts, _) = run(&[
        &[("epoch", 0.0), ("loss", 1.0)],
        &[("epoch", 0.0), ("val_loss", 1.2)],
        &[("epoch", 1.0), ("loss", 0.8)],
        &[("epoch", 1.0), ("val_loss", 1.1)],
    ]);
    assert_eq!(steps_of(&pts, "loss"), [0, 1]);
    assert_eq!(steps_of(&pts, "val_loss"), [0, 1]);
    assert!(steps_of(&pts, "epoch").is_empty());
}

#[test]
fn one_whole_epoch_at_the_end_of_input_is_the_step() {
    let (pts, _) = run(&[&[("epoch", 3.0), ("acc", 0.5)]]);
    assert_eq!(pts, [("acc".into(), 3, 0.5)]);
}

#[test]
fn a_step_field_decides_and_records_without_it_take_the_last_step() {
    let (pts, b) = run(&[
        &[("lr", 0.1)],
        &[("step", 10.0), ("loss", 1.0)],
        &[("epoch", 1.0), ("val_f1", 0.5)],
        &[("step", 20.0), ("loss", 0.5)],
        &[("loss", 0.4)],
    ]);
    assert_eq!(steps_of(&pts, "lr"), [10]);
    assert_eq!(steps_of(&pts, "val_f1"), [10]);
    assert_eq!(steps_of(&pts, "epoch"), [10]);
    assert_eq!(steps_of(&pts, "loss"), [10, 20]);
    // The last record's loss would replace the one at step 20: reported instead.
    assert_eq!(b.skips.len(), 1);
    assert_eq!(b.skips[0].location, Location::Line(5));
    assert!(
        b.skips[0].reason.contains("step 20"),
        "{}",
        b.skips[0].reason
    );
    assert_eq!(b.replaced_in_stream, 0);
}

#[test]
fn a_fractional_step_value_skips_its_line() {
    let (pts, b) = run(&[
        &[("step", 1.0), ("loss", 1.0)],
        &[("step", 1.5), ("loss", 2.0)],
    ]);
    assert_eq!(pts, [("loss".into(), 1, 1.0)]);
    assert_eq!(b.skips[0].location, Location::Line(2));
}

#[test]
fn without_step_fields_the_record_number_is_the_step() {
    let (pts, _) = run(&[&[("a", 1.0)], &[("a", 2.0)], &[("a", 3.0)], &[("a", 4.0)]]);
    assert_eq!(steps_of(&pts, "a"), [0, 1, 2, 3]);
}

#[test]
fn records_waiting_for_a_step_that_never_comes_keep_their_record_number() {
    let (pts, _) = run(&[&[("step", 5.0)], &[("a", 1.0)]]);
    // The first record names a step but logs nothing; the second inherits it.
    assert_eq!(pts, [("a".into(), 5, 1.0)]);
    let mut out = Batch::new();
    let mut src = StepSource::default();
    let named = out.named_run("b");
    let m = out.metric("x");
    let k = out.metric("step");
    let rec = |run, index, fields: Vec<Field>| Record {
        run,
        index,
        fields,
        ..Record::default()
    };
    let step_field = Field {
        metric: k,
        value: 7.0,
        rank: Some(0),
    };
    let x = Field {
        metric: m,
        value: 1.0,
        rank: None,
    };
    src.record(&rec(0, 0, vec![step_field, x]), &mut out);
    src.record(&rec(named, 1, vec![x]), &mut out);
    src.finish(&mut out);
    let got: Vec<(u32, i64)> = out.points.iter().map(|p| (p.run, p.step)).collect();
    assert_eq!(got, [(0, 7), (named, 1)]);
}
