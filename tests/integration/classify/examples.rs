//! The seed definition's example curves (F1, tests/fixtures/seeds/004) and textbook example curves
//! of the kind metric definitions carry (10–20 points each, steps 0, 10, 20, …). Each must
//! get its own label.

use tracker::classify::{Direction, Spec, Verdict};

use super::util::{maximize01, minimize, run, spec, unknown};

const NAN: f64 = f64::NAN;

struct Case {
    name: &'static str,
    spec: Spec,
    values: &'static [f64],
    want: Verdict,
}

fn case(name: &'static str, spec: Spec, values: &'static [f64], want: Verdict) -> Case {
    Case {
        name,
        spec,
        values,
        want,
    }
}

/// Runs every case and reports all mismatches at once.
fn check(cases: &[Case]) {
    let mut bad = Vec::new();
    for c in cases {
        let d = run(c.values, &c.spec);
        println!("{:28} {:18} {}", c.name, d.verdict.as_str(), d.reason);
        if d.verdict != c.want {
            bad.push(format!(
                "{}: got {} ({}), want {}",
                c.name, d.verdict, d.reason, c.want
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn seed_f1_examples() {
    use Verdict::*;
    check(&[
        case(
            "f1 healthy",
            maximize01(),
            &[
                0.15, 0.35, 0.55, 0.68, 0.76, 0.82, 0.86, 0.88, 0.90, 0.91, 0.91,
            ],
            Healthy,
        ),
        case(
            "f1 stagnant",
            maximize01(),
            &[
                0.15, 0.22, 0.28, 0.32, 0.35, 0.36, 0.37, 0.36, 0.38, 0.37, 0.38,
            ],
            Stagnant,
        ),
        case(
            "f1 precision/recall tradeoff",
            maximize01(),
            &[
                0.15, 0.40, 0.55, 0.62, 0.58, 0.65, 0.55, 0.68, 0.52, 0.60, 0.58,
            ],
            Oscillating,
        ),
    ]);
}

#[test]
fn loss_examples() {
    use Verdict::*;
    let bounded = || spec(Direction::Minimize, Some((0.0, 2.5)));
    check(&[
        case(
            "loss healthy",
            minimize(),
            &[
                2.30, 1.85, 1.50, 1.22, 1.00, 0.84, 0.72, 0.63, 0.57, 0.52, 0.49, 0.47, 0.45, 0.44,
                0.43,
            ],
            Healthy,
        ),
        case(
            "loss still falling, noisy",
            minimize(),
            &[
                2.3, 2.1, 2.15, 1.9, 1.95, 1.7, 1.75, 1.6, 1.62, 1.45, 1.5, 1.35, 1.38, 1.25, 1.3,
            ],
            Healthy,
        ),
        case(
            "loss diverging",
            minimize(),
            &[2.3, 1.9, 1.6, 1.4, 1.3, 1.35, 1.5, 1.8, 2.3, 3.1, 4.2, 5.8],
            Diverging,
        ),
        case(
            "loss blows up at the end",
            minimize(),
            &[
                2.3, 1.7, 1.3, 1.0, 0.8, 0.7, 0.65, 0.6, 0.58, 0.57, 4.5, 9.0, 15.0,
            ],
            Diverging,
        ),
        case(
            "loss oscillating",
            minimize(),
            &[2.3, 1.6, 2.0, 1.3, 1.9, 1.2, 1.8, 1.1, 1.9, 1.2, 1.7, 1.3],
            Oscillating,
        ),
        case(
            // No domain, no progress: a zig-zag as large as the curve's band oscillates.
            "loss zig-zag without a domain",
            minimize(),
            &[2.0, 3.5, 1.9, 3.6, 2.1, 3.4, 2.0, 3.5, 1.9, 3.6, 2.0, 3.5],
            Oscillating,
        ),
        case(
            // A flat loss printed with two decimals flickers between two digits: stagnant.
            "loss stagnant",
            minimize(),
            &[
                2.31, 2.30, 2.30, 2.29, 2.30, 2.29, 2.29, 2.30, 2.29, 2.29, 2.30, 2.29,
            ],
            Stagnant,
        ),
        case(
            "loss stuck high (domain)",
            bounded(),
            &[
                2.30, 2.20, 2.15, 2.13, 2.12, 2.12, 2.11, 2.12, 2.11, 2.11, 2.12, 2.11,
            ],
            Stagnant,
        ),
        case(
            "loss healthy (domain)",
            bounded(),
            &[
                2.30, 1.60, 1.10, 0.80, 0.60, 0.48, 0.40, 0.36, 0.33, 0.31, 0.30, 0.30,
            ],
            Healthy,
        ),
        case(
            "loss NaN at the end",
            minimize(),
            &[2.3, 1.8, 1.5, 1.3, 1.2, 1.1, 1.05, 1.0, NAN, NAN],
            Diverging,
        ),
        case(
            "loss too short",
            minimize(),
            &[2.3, 1.8, 1.5, 1.3, 1.2],
            InsufficientData,
        ),
        case(
            "val loss overfitting",
            minimize(),
            &[
                1.2, 0.9, 0.7, 0.6, 0.55, 0.56, 0.58, 0.61, 0.64, 0.67, 0.70, 0.74,
            ],
            Diverging,
        ),
    ]);
}

#[test]
fn accuracy_examples() {
    use Verdict::*;
    check(&[
        case(
            "accuracy healthy",
            maximize01(),
            &[
                0.10, 0.35, 0.55, 0.68, 0.76, 0.81, 0.85, 0.87, 0.89, 0.90, 0.91, 0.91,
            ],
            Healthy,
        ),
        case(
            "accuracy at chance",
            maximize01(),
            &[0.10, 0.11, 0.10, 0.12, 0.11, 0.10, 0.11, 0.12, 0.11, 0.11],
            Stagnant,
        ),
        case(
            "accuracy at chance, noisy",
            maximize01(),
            &[
                0.10, 0.16, 0.07, 0.13, 0.09, 0.15, 0.08, 0.12, 0.14, 0.09, 0.11, 0.13,
            ],
            Stagnant,
        ),
        case(
            "accuracy oscillating",
            maximize01(),
            &[
                0.10, 0.45, 0.62, 0.55, 0.70, 0.52, 0.72, 0.50, 0.71, 0.53, 0.69, 0.55,
            ],
            Oscillating,
        ),
        case(
            "accuracy collapses",
            maximize01(),
            &[
                0.10, 0.50, 0.70, 0.80, 0.84, 0.82, 0.75, 0.60, 0.42, 0.25, 0.12, 0.10,
            ],
            Diverging,
        ),
        case(
            "val accuracy declining after peak",
            maximize01(),
            &[
                0.50, 0.70, 0.80, 0.85, 0.86, 0.85, 0.84, 0.83, 0.82, 0.81, 0.80, 0.79,
            ],
            Diverging,
        ),
        case(
            "accuracy noisy but improving",
            maximize01(),
            &[
                0.20, 0.35, 0.30, 0.48, 0.42, 0.55, 0.50, 0.63, 0.58, 0.70, 0.66, 0.76,
            ],
            Healthy,
        ),
        case(
            "accuracy in percent",
            spec(Direction::Maximize, Some((0.0, 1.0))),
            &[
                10.0, 35.0, 55.0, 68.0, 76.0, 81.0, 85.0, 87.0, 89.0, 90.0, 91.0, 91.0,
            ],
            Healthy,
        ),
    ]);
}

#[test]
fn perplexity_examples() {
    use Verdict::*;
    check(&[
        case(
            "perplexity healthy",
            minimize(),
            &[
                900.0, 420.0, 250.0, 170.0, 130.0, 105.0, 90.0, 80.0, 74.0, 70.0, 67.0, 65.0,
            ],
            Healthy,
        ),
        case(
            "perplexity exploding",
            minimize(),
            &[
                120.0, 80.0, 60.0, 52.0, 50.0, 55.0, 75.0, 130.0, 280.0, 900.0,
            ],
            Diverging,
        ),
        case(
            "perplexity stuck near its start",
            minimize(),
            &[
                1000.0, 996.0, 1001.0, 997.0, 999.0, 1000.0, 996.0, 998.0, 1001.0, 997.0,
            ],
            Stagnant,
        ),
    ]);
}

#[test]
fn learning_rate_and_grad_norm_examples() {
    use Verdict::*;
    check(&[
        case(
            "lr warmup + cosine",
            unknown(),
            &[
                0.0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3, 9.8e-4, 9.0e-4, 7.9e-4, 6.5e-4, 5e-4, 3.5e-4,
                2.1e-4, 1e-4, 2.4e-5,
            ],
            Healthy,
        ),
        case(
            "lr step decay",
            unknown(),
            &[
                1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-5, 1e-5, 1e-5, 1e-5,
                1e-5,
            ],
            Healthy,
        ),
        case("lr constant", unknown(), &[1e-3; 12], Stagnant),
        case(
            "grad norm settling",
            unknown(),
            &[8.0, 5.2, 3.9, 3.1, 2.7, 2.5, 2.4, 2.3, 2.35, 2.3, 2.25, 2.3],
            Healthy,
        ),
        case(
            "grad norm exploding",
            unknown(),
            &[2.0, 2.1, 2.3, 2.2, 2.6, 3.5, 6.0, 14.0, 40.0, 150.0],
            Diverging,
        ),
        case(
            "grad norm exploding (minimize)",
            minimize(),
            &[2.0, 2.1, 2.3, 2.2, 2.6, 3.5, 6.0, 14.0, 40.0, 150.0],
            Diverging,
        ),
        case(
            "grad norm inf",
            unknown(),
            &[2.0, 2.1, 2.3, 2.2, 2.6, 3.5, 6.0, 14.0, f64::INFINITY],
            Diverging,
        ),
    ]);
}

#[test]
fn flags_and_evidence() {
    let d = run(
        &[
            10.0, 35.0, 55.0, 68.0, 76.0, 81.0, 85.0, 87.0, 89.0, 90.0, 91.0, 91.0,
        ],
        &maximize01(),
    );
    let msg = d.flags.iter().find_map(|f| match f {
        tracker::classify::Flag::OutOfDomain { message, .. } => Some(message.clone()),
        _ => None,
    });
    assert_eq!(
        msg.as_deref(),
        Some("values up to 91 in a 0–1 domain look like percentages")
    );
    let d = run(&[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], &unknown());
    assert!(d.flags.contains(&tracker::classify::Flag::DirectionUnknown));
    let json = serde_json::to_value(&d).expect("serializes");
    assert_eq!(json["verdict"], "healthy");
    assert!(json["evidence"]["best"].is_null(), "NaN serializes as null");
    let _ = NAN;
}
