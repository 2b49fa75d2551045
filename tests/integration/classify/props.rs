//! Invariance properties of verdicts (docs/classifier.md §1, step 5):
//! * shifting or scaling a curve together with its domain changes no verdict;
//! * shifting or scaling a curve together with its floor changes no verdict;
//! * for metrics with neither, shifting or scaling alone changes none;
//! * negating a curve together with its direction (and domain) changes none.
//!
//! Curves are drawn from a mixture of shapes (saturating, linear, flat, zig-zag, rise then
//! fall, blow-up) plus noise, on a dyadic grid (multiples of 2⁻¹⁰), and the transforms are
//! exact in floating point: scales are powers of two and shifts multiples of 2⁻¹⁰. The
//! classifier only ever compares differences of values, so on exactly transformed inputs
//! its verdict must be bit-for-bit the same. (With arbitrary factors the inputs themselves
//! are rounded differently, and a curve sitting exactly on a threshold could flip; that is
//! rounding, not scale dependence.)

use proptest::prelude::*;
use tracker::classify::{Direction, Spec, Verdict, classify};

const GRID: f64 = 1024.0;

/// A curve on the dyadic grid.
fn curve() -> impl Strategy<Value = Vec<f64>> {
    (
        0u8..6,
        8usize..80,
        1i64..4000,
        prop::collection::vec(-300i64..300, 80),
        0i64..2,
        -2000i64..2000,
    )
        .prop_map(|(shape, n, amp, noise, noisy, base)| {
            let a = amp as f64;
            (0..n)
                .map(|i| {
                    let t = i as f64 / (n - 1) as f64;
                    let y = match shape {
                        0 => a * (1.0 - (-t * 5.0).exp()),
                        1 => a * t,
                        2 => 0.0,
                        3 => a * (1.0 - (-t * 8.0).exp()) + if i % 2 == 0 { a / 5.0 } else { 0.0 },
                        4 => a * (1.0 - (2.0 * t - 1.0).abs()),
                        _ => {
                            if t < 0.8 {
                                a * t
                            } else {
                                -3.0 * a
                            }
                        }
                    };
                    let grid = y.round() as i64 + base + noisy * noise[i];
                    grid as f64 / GRID
                })
                .collect()
        })
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::Maximize),
        Just(Direction::Minimize),
        Just(Direction::Unknown)
    ]
}

fn verdict(values: &[f64], direction: Direction, domain: Option<(f64, f64)>) -> Verdict {
    verdict_with(values, direction, domain, None)
}

fn verdict_with(
    values: &[f64],
    direction: Direction,
    domain: Option<(f64, f64)>,
    floor: Option<f64>,
) -> Verdict {
    let steps: Vec<i64> = (0..values.len() as i64).map(|i| i * 10).collect();
    let spec = Spec {
        direction,
        domain,
        floor,
        ..Spec::default()
    };
    classify(&steps, values, &spec).verdict
}

/// A floor beyond the curve's best end (below a minimized curve, above a maximized one), with
/// a dyadic margin.
fn floor_beyond(values: &[f64], direction: Direction, margin: i64) -> f64 {
    let m = margin as f64 / GRID * 64.0;
    match direction {
        Direction::Maximize => values.iter().copied().fold(f64::NEG_INFINITY, f64::max) + m,
        _ => values.iter().copied().fold(f64::INFINITY, f64::min) - m,
    }
}

/// A domain around the curve, with dyadic margins.
fn domain_around(values: &[f64], below: i64, above: i64) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (
        lo - below as f64 / GRID * 64.0,
        hi + above as f64 / GRID * 64.0,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn shift_and_scale_with_domain(
        v in curve(),
        dir in direction(),
        k in -8i32..=8,
        shift in -100_000i64..100_000,
        below in 0i64..2000,
        above in 0i64..2000,
    ) {
        let (lo, hi) = domain_around(&v, below, above);
        let scale = 2f64.powi(k);
        let c = shift as f64 / GRID;
        let t: Vec<f64> = v.iter().map(|x| x * scale + c).collect();
        let before = verdict(&v, dir, Some((lo, hi)));
        let after = verdict(&t, dir, Some((lo * scale + c, hi * scale + c)));
        prop_assert_eq!(before, after);
    }

    #[test]
    fn shift_and_scale_with_floor(
        v in curve(),
        dir in direction(),
        k in -8i32..=8,
        shift in -100_000i64..100_000,
        margin in 0i64..4000,
    ) {
        let floor = floor_beyond(&v, dir, margin);
        let scale = 2f64.powi(k);
        let c = shift as f64 / GRID;
        let t: Vec<f64> = v.iter().map(|x| x * scale + c).collect();
        prop_assert_eq!(
            verdict_with(&v, dir, None, Some(floor)),
            verdict_with(&t, dir, None, Some(floor * scale + c))
        );
    }

    #[test]
    fn shift_and_scale_without_domain(
        v in curve(),
        dir in direction(),
        k in -8i32..=8,
        shift in -100_000i64..100_000,
    ) {
        let scale = 2f64.powi(k);
        let c = shift as f64 / GRID;
        let t: Vec<f64> = v.iter().map(|x| x * scale + c).collect();
        prop_assert_eq!(verdict(&v, dir, None), verdict(&t, dir, None));
    }

    #[test]
    fn negate_with_direction_and_domain(
        v in curve(),
        dir in direction(),
        with_domain in any::<bool>(),
        below in 0i64..2000,
        above in 0i64..2000,
    ) {
        let domain = with_domain.then(|| domain_around(&v, below, above));
        let neg: Vec<f64> = v.iter().map(|x| -x).collect();
        let neg_domain = domain.map(|(lo, hi)| (-hi, -lo));
        prop_assert_eq!(verdict(&v, dir, domain), verdict(&neg, dir.flipped(), neg_domain));
    }
}

#[test]
fn arbitrary_factors_on_textbook_curves() {
    // Away from thresholds, non-dyadic transforms change nothing either.
    let curves: [(&[f64], Direction); 3] = [
        (
            &[
                2.3, 1.85, 1.5, 1.22, 1.0, 0.84, 0.72, 0.63, 0.57, 0.52, 0.49, 0.47,
            ],
            Direction::Minimize,
        ),
        (
            &[
                0.15, 0.40, 0.55, 0.62, 0.58, 0.65, 0.55, 0.68, 0.52, 0.60, 0.58,
            ],
            Direction::Maximize,
        ),
        (
            &[2.3, 1.9, 1.6, 1.4, 1.3, 1.35, 1.5, 1.8, 2.3, 3.1, 4.2, 5.8],
            Direction::Minimize,
        ),
    ];
    for (v, dir) in curves {
        let base = verdict(v, dir, None);
        for (scale, shift) in [(3.7, -12.25), (0.013, 1e4), (123.0, 0.1)] {
            let t: Vec<f64> = v.iter().map(|x| x * scale + shift).collect();
            assert_eq!(verdict(&t, dir, None), base, "{v:?} ×{scale} +{shift}");
        }
    }
}

fn wild_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        -10.0..10.0f64,
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(0.0),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Hostile input (NaN, ±Inf, ±f64::MAX, unsorted and repeated steps, odd specs) never
    /// panics, and every verdict comes with a reason.
    #[test]
    fn never_panics(
        steps in prop::collection::vec(prop_oneof![0i64..50, any::<i64>()], 0..70),
        values in prop::collection::vec(wild_value(), 0..70),
        dir in direction(),
        min_points in prop::option::of(0usize..12),
        patience in prop::option::of(0usize..12),
        domain in prop::option::of((wild_value(), wild_value())),
        floor in prop::option::of(wild_value()),
        min_delta in prop::option::of(wild_value()),
        threshold in prop::option::of(wild_value()),
        steady in any::<bool>(),
    ) {
        let spec = Spec {
            direction: dir,
            domain,
            floor,
            min_points,
            patience,
            min_delta,
            divergence_threshold: threshold,
            oscillation_threshold: threshold,
            steady,
        };
        let d = classify(&steps, &values, &spec);
        prop_assert!(!d.reason.is_empty());
        prop_assert!(serde_json::to_string(&d).is_ok());
        let _ = tracker::classify::smooth_ema(&values, min_delta.unwrap_or(0.6));
        let _ = tracker::classify::overfitting((&steps, &values), (&steps, &values), dir);
    }
}
