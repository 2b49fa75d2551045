//! Practical significance: a change too small to matter against the metric's own scale (its
//! domain, or the distance from the start to its floor) is never progress, divergence or
//! oscillation, however significant its trend test.

use super::util::{maximize01, run};
use tracker::classify::{Flag, Spec, Verdict};
use tracker::defs::Registry;

/// The loss's spec as the shipped definitions give it (floor 0 from its range `[0, null]`).
fn loss_spec() -> Spec {
    let registry = Registry::builtin().unwrap();
    tracker::diagnose::spec(registry.definition_for("val_loss"), "val_loss")
}

/// A small deterministic wobble of amplitude `a` (a hash of the index, no PRNG state).
fn wobble(i: usize, a: f64) -> f64 {
    let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    a * ((h % 1000) as f64 / 500.0 - 1.0)
}

#[test]
fn the_shipped_loss_and_perplexity_have_their_floors() {
    let registry = Registry::builtin().unwrap();
    let floor = |name: &str| tracker::diagnose::spec(registry.definition_for(name), name).floor;
    assert_eq!(floor("val_loss"), Some(0.0));
    assert_eq!(floor("eval_perplexity"), Some(1.0));
    // An accuracy has a domain instead; a learning rate is not judged for progress.
    assert_eq!(floor("val_accuracy"), None);
}

#[test]
fn a_loss_that_closes_a_negligible_share_of_its_way_to_the_floor_is_stagnant() {
    // 2.3072 → 2.3069 over 1,300 steps: a trend every test calls significant, 0.01% of the way
    // to 0 (learning rates of 1e-5, dead ReLUs).
    let n = 131;
    let v: Vec<f64> = (0..n)
        .map(|i| 2.3072 - 0.0003 * i as f64 / (n - 1) as f64 + wobble(i, 0.00002))
        .collect();
    let d = run(&v, &loss_spec());
    assert_eq!(d.verdict, Verdict::Stagnant, "{}", d.reason);
    assert!(d.reason.contains("negligible progress"), "{}", d.reason);
    assert!(d.reason.contains("floor (0)"), "{}", d.reason);
    // Without a floor the same curve is a steady improvement: the floor is what changed it.
    let free = Spec {
        floor: None,
        ..loss_spec()
    };
    assert_eq!(run(&v, &free).verdict, Verdict::Healthy);
}

#[test]
fn a_real_loss_descent_is_still_healthy() {
    let v: Vec<f64> = (0..100)
        .map(|i| 0.4 + 1.9 * (-(i as f64) / 20.0).exp() + wobble(i, 0.01))
        .collect();
    assert_eq!(run(&v, &loss_spec()).verdict, Verdict::Healthy);
}

#[test]
fn an_f1_that_never_leaves_the_failure_band_is_stagnant_not_diverging() {
    let v: Vec<f64> = (0..40)
        .map(|i| 0.066 - 0.029 * i as f64 / 39.0 + wobble(i, 0.001))
        .collect();
    let d = run(&v, &maximize01());
    assert_eq!(d.verdict, Verdict::Stagnant, "{}", d.reason);
}

#[test]
fn swings_of_a_twentieth_of_a_percent_of_a_flat_loss_are_not_oscillating() {
    let v: Vec<f64> = (0..200)
        .map(|i| 1.5 + if i % 2 == 0 { 0.0004 } else { -0.0004 })
        .collect();
    let d = run(&v, &loss_spec());
    assert_eq!(d.verdict, Verdict::Stagnant, "{}", d.reason);
}

#[test]
fn a_loss_below_its_floor_is_judged_without_one_and_flagged() {
    let v: Vec<f64> = (0..50).map(|i| 1.0 - 0.03 * i as f64).collect();
    let d = run(&v, &loss_spec());
    assert!(
        d.flags.iter().any(|f| matches!(f, Flag::PastFloor { .. })),
        "{:?}",
        d.flags
    );
    assert_eq!(d.verdict, Verdict::Healthy, "{}", d.reason);
}
