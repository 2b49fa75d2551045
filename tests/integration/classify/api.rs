//! The public API: verdict words, flags, evidence, `Spec` overrides, edge cases, and the
//! train/validation overfitting hint.

use tracker::classify::{Direction, Flag, Spec, Verdict, classify, overfitting, smooth_ema};

use super::util::{maximize01, minimize, run, spec, steps_for, unknown};

const HEALTHY_LOSS: [f64; 15] = [
    2.30, 1.85, 1.50, 1.22, 1.00, 0.84, 0.72, 0.63, 0.57, 0.52, 0.49, 0.47, 0.45, 0.44, 0.43,
];

#[test]
fn verdict_words_round_trip_and_severity() {
    for v in Verdict::ALL {
        assert_eq!(Verdict::from_word(v.as_str()), Some(v));
        assert_eq!(serde_json::to_value(v).expect("json"), v.as_str());
        assert_eq!(v.to_string(), v.as_str());
    }
    assert_eq!(
        Verdict::from_word("Insufficient-Data"),
        Some(Verdict::InsufficientData)
    );
    assert_eq!(Verdict::from_word("fine"), None);
    let order: Vec<u8> = Verdict::ALL.iter().map(|v| v.severity()).collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "ALL is sorted by severity"
    );
    assert!(Verdict::Diverging.severity() > Verdict::Oscillating.severity());
    assert!(Verdict::Healthy.severity() > Verdict::InsufficientData.severity());
    assert_eq!(Direction::from_word("minimize"), Some(Direction::Minimize));
    assert_eq!(Direction::default(), Direction::Unknown);
}

#[test]
fn insufficient_below_eight_points_and_min_points_override() {
    assert_eq!(
        run(&HEALTHY_LOSS[..7], &minimize()).verdict,
        Verdict::InsufficientData
    );
    assert_eq!(
        run(&HEALTHY_LOSS[..8], &minimize()).verdict,
        Verdict::Healthy
    );
    let strict = Spec {
        min_points: Some(20),
        ..minimize()
    };
    assert_eq!(
        run(&HEALTHY_LOSS, &strict).verdict,
        Verdict::InsufficientData
    );
    assert_eq!(
        classify(&[], &[], &minimize()).verdict,
        Verdict::InsufficientData
    );
    // NaNs do not count as points.
    let mut v = HEALTHY_LOSS.to_vec();
    for x in v.iter_mut().take(8) {
        *x = f64::NAN;
    }
    let d = run(&v, &minimize());
    assert_eq!(d.verdict, Verdict::InsufficientData, "{}", d.reason);
}

#[test]
fn non_finite_values() {
    // In the recent window (not last): diverging.
    let mut v = HEALTHY_LOSS.to_vec();
    v[13] = f64::INFINITY;
    let d = run(&v, &minimize());
    assert_eq!(d.verdict, Verdict::Diverging, "{}", d.reason);
    assert!(d.flags.contains(&Flag::NonFinite {
        count: 1,
        first_step: 130
    }));
    // Early, then recovered: flagged, not a verdict.
    let mut v = HEALTHY_LOSS.to_vec();
    v[1] = f64::NAN;
    let d = run(&v, &minimize());
    assert_eq!(d.verdict, Verdict::Healthy, "{}", d.reason);
    assert_eq!(d.evidence.non_finite, 1);
    // All NaN.
    let d = run(&[f64::NAN; 20], &minimize());
    assert_eq!(d.verdict, Verdict::Diverging);
    assert_eq!(d.reason, "all 20 values are NaN or infinite");
}

#[test]
fn unsorted_steps_and_duplicates() {
    let steps: Vec<i64> = steps_for(&HEALTHY_LOSS).into_iter().rev().collect();
    let values: Vec<f64> = HEALTHY_LOSS.iter().rev().copied().collect();
    assert_eq!(
        classify(&steps, &values, &minimize()).verdict,
        Verdict::Healthy
    );
    // A resumed log: the re-logged steps replace the old ones (last writer wins).
    let mut steps = steps_for(&HEALTHY_LOSS);
    let mut values = HEALTHY_LOSS.to_vec();
    steps.extend([120, 130, 140]);
    values.extend([0.45, 0.44, 0.43]);
    let d = classify(&steps, &values, &minimize());
    assert_eq!(d.verdict, Verdict::Healthy);
    assert_eq!(d.evidence.window.1, 140);
}

#[test]
fn flags_spikes_plateau_domain() {
    // A converged loss with one spike: still healthy, spike and plateau flagged.
    let mut v: Vec<f64> = (0..60)
        .map(|i| 0.3 + 2.0 * (-(i as f64) / 6.0).exp())
        .collect();
    for (i, x) in v.iter_mut().enumerate() {
        *x += if i % 2 == 0 { 0.004 } else { -0.004 };
    }
    v[40] += 1.5;
    let d = run(&v, &minimize());
    assert_eq!(d.verdict, Verdict::Healthy, "{}", d.reason);
    assert!(
        d.flags.contains(&Flag::Spikes { steps: vec![400] }),
        "{:?}",
        d.flags
    );
    let plateau = d.flags.iter().find_map(|f| match f {
        Flag::Plateau { from_step } => Some(*from_step),
        _ => None,
    });
    assert!(
        plateau.is_some_and(|s| (150..=400).contains(&s)),
        "{:?}",
        d.flags
    );
    assert_eq!(d.evidence.plateau_step, plateau);

    // Values outside a non-percentage domain.
    let d = run(
        &[0.5, 0.8, 1.2, 1.5, 1.7, 1.8, 1.9, 1.9, 1.9],
        &maximize01(),
    );
    let msg = d.flags.iter().find_map(|f| match f {
        Flag::OutOfDomain { message, min, max } => Some((message.clone(), *min, *max)),
        _ => None,
    });
    assert_eq!(
        msg,
        Some((
            "values from 0.5 to 1.9 fall outside the domain 0–1".into(),
            0.5,
            1.9
        ))
    );
    assert!(
        run(&HEALTHY_LOSS, &unknown())
            .flags
            .contains(&Flag::DirectionUnknown)
    );
}

#[test]
fn spec_overrides() {
    // Lightning's divergence_threshold.
    let past = Spec {
        divergence_threshold: Some(0.4),
        ..minimize()
    };
    let d = run(&HEALTHY_LOSS, &past);
    assert_eq!(d.verdict, Verdict::Diverging, "{}", d.reason);
    assert!(
        d.reason.contains("divergence threshold 0.4"),
        "{}",
        d.reason
    );
    // A large min_delta: the last gains no longer count as progress still being made.
    let slow = Spec {
        min_delta: Some(0.5),
        ..minimize()
    };
    let d = run(&HEALTHY_LOSS, &slow);
    assert!(!d.reason.starts_with("still improving"), "{}", d.reason);
    // A higher oscillation threshold turns the seed's tradeoff curve into something else.
    let tradeoff = [
        0.15, 0.40, 0.55, 0.62, 0.58, 0.65, 0.55, 0.68, 0.52, 0.60, 0.58,
    ];
    assert_eq!(run(&tradeoff, &maximize01()).verdict, Verdict::Oscillating);
    let lenient = Spec {
        oscillation_threshold: Some(0.9),
        ..maximize01()
    };
    assert_ne!(run(&tradeoff, &lenient).verdict, Verdict::Oscillating);
    // Patience: a short patience sees the plateau of a converged curve.
    let flat_end: Vec<f64> = (0..30)
        .map(|i| if i < 10 { 2.0 - 0.15 * i as f64 } else { 0.5 })
        .collect();
    let d = run(
        &flat_end,
        &Spec {
            patience: Some(3),
            ..minimize()
        },
    );
    assert_eq!(d.evidence.plateau_step, Some(100), "{:?}", d.flags);
}

#[test]
fn evidence_is_in_plotted_units() {
    let d = run(&HEALTHY_LOSS, &minimize());
    let e = &d.evidence;
    assert!(
        e.slope < 0.0 && e.tail_change < 0.0,
        "a falling loss has a negative slope"
    );
    assert!(e.trend_z < 0.0 && e.trend_p < 0.05);
    assert_eq!((e.best, e.best_step), (0.43, 140));
    assert_eq!((e.start, e.current), (2.3, 0.44));
    assert_eq!(e.window, (90, 140));
    assert_eq!(e.points, 6);
    assert!(e.progress > 1.8 && e.noise >= 0.0 && e.swing_ratio < 0.1);
    let json = serde_json::to_value(&d).expect("json");
    assert_eq!(json["flags"], serde_json::json!([]));
    let f = run(
        &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9],
        &maximize01(),
    );
    assert_eq!(f.evidence.domain_position, Some(0.9));
}

#[test]
fn long_curves_are_bucketed() {
    let n = 200_000;
    let steps: Vec<i64> = (0..n).collect();
    let values: Vec<f64> = (0..n)
        .map(|i| {
            0.3 + 2.0 * (-(i as f64) / 30_000.0).exp() + 0.05 * ((i * 7919 % 97) as f64 / 97.0)
        })
        .collect();
    let d = classify(&steps, &values, &minimize());
    assert_eq!(d.verdict, Verdict::Healthy, "{}", d.reason);
    assert!(d.evidence.bucketed);
    assert_eq!(d.evidence.analysis_points, 1024);
}

#[test]
fn smooth_ema_is_tensorboards() {
    let out = smooth_ema(&[1.0, 2.0, 3.0], 0.5);
    // last: 0.5 → 1.25 → 2.125; debias 0.5, 0.75, 0.875
    assert_eq!(out, vec![1.0, 1.25 / 0.75, 2.125 / 0.875]);
}

#[test]
fn overfitting_hint() {
    let steps: Vec<i64> = (0..30).map(|i| i * 100).collect();
    let train: Vec<f64> = (0..30)
        .map(|i| 2.0 * (-(i as f64) / 8.0).exp() + 0.1)
        .collect();
    let val: Vec<f64> = (0..30)
        .map(|i| {
            let t = i as f64;
            if i <= 10 {
                2.0 * (-t / 5.0).exp() + 0.5
            } else {
                0.77 + 0.02 * (t - 10.0)
            }
        })
        .collect();
    let o = overfitting((&steps, &train), (&steps, &val), Direction::Minimize).expect("overfits");
    assert!((900..=1100).contains(&o.best_val_step), "{o:?}");
    assert!(
        o.from_step > o.best_val_step && o.generalization_loss > 20.0,
        "{o:?}"
    );
    assert!(o.message.contains("likely overfitting"), "{}", o.message);
    // The validation curve itself is diverging.
    assert_eq!(
        classify(&steps, &val, &spec(Direction::Minimize, None)).verdict,
        Verdict::Diverging
    );
    // No direction, or a validation curve that keeps improving: no hint.
    assert_eq!(
        overfitting((&steps, &train), (&steps, &val), Direction::Unknown),
        None
    );
    assert_eq!(
        overfitting((&steps, &train), (&steps, &train), Direction::Minimize),
        None
    );
    assert_eq!(
        overfitting(
            (&steps[..5], &train[..5]),
            (&steps[..5], &val[..5]),
            Direction::Minimize
        ),
        None
    );
}

#[test]
fn a_steady_metric_holding_still_is_healthy() {
    let steps: Vec<i64> = (0..20).collect();
    let flat = vec![1e-3; 20];
    let judged = classify(&steps, &flat, &Spec::default());
    assert_eq!(judged.verdict, Verdict::Stagnant);
    let steady = Spec {
        steady: true,
        ..Spec::default()
    };
    let d = classify(&steps, &flat, &steady);
    assert_eq!(d.verdict, Verdict::Healthy, "{}", d.reason);
    assert!(d.reason.starts_with("steady at 0.001"), "{}", d.reason);
    // Steady does not hide a blow-up of a metric that should stay low (a gradient norm).
    let norm = Spec {
        direction: Direction::Minimize,
        steady: true,
        ..Spec::default()
    };
    let mut exploding: Vec<f64> = (0..20).map(|i| 1.0 + 0.05 * f64::from(i % 3)).collect();
    for (i, v) in exploding.iter_mut().enumerate().skip(12) {
        *v = 10f64.powi(i as i32 - 11);
    }
    assert_eq!(
        classify(&steps, &exploding, &norm).verdict,
        Verdict::Diverging
    );
}
