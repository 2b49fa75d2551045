//! Helpers shared by the classifier tests.

use tracker::classify::{Diagnosis, Direction, Spec, classify};

/// Steps 0, 10, 20, … like the definitions' example curves.
pub fn steps_for(values: &[f64]) -> Vec<i64> {
    (0..values.len() as i64).map(|i| i * 10).collect()
}

/// Classifies an example curve with steps 0, 10, 20, …
pub fn run(values: &[f64], spec: &Spec) -> Diagnosis {
    classify(&steps_for(values), values, spec)
}

pub fn spec(direction: Direction, domain: Option<(f64, f64)>) -> Spec {
    Spec {
        direction,
        domain,
        ..Spec::default()
    }
}

pub fn minimize() -> Spec {
    spec(Direction::Minimize, None)
}

pub fn maximize01() -> Spec {
    spec(Direction::Maximize, Some((0.0, 1.0)))
}

pub fn unknown() -> Spec {
    spec(Direction::Unknown, None)
}
