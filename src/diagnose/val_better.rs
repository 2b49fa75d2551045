//! Validation better than training for the whole run: at every validation point, the training
//! curve at that step (its latest value logged at or before it) is worse. Common early (a
//! training loss averaged over an epoch while the weights improve), telling when it lasts:
//! training is measured with dropout, augmentation or a regulariser on, the validation set is
//! easier, or it leaks into training.

use crate::classify::Direction;

/// Validation points needed before "the whole run" can be said.
const MIN_ALIGNED: usize = 5;
/// The median gap, relative to the training value, that matters (2%).
const MIN_GAP: f64 = 0.02;

/// How many validation points were compared, when validation was better at every one.
pub fn throughout(
    train: (&[i64], &[f64]),
    val: (&[i64], &[f64]),
    direction: Direction,
) -> Option<usize> {
    let sign = match direction {
        Direction::Minimize => -1.0,
        Direction::Maximize => 1.0,
        Direction::Unknown => return None,
    };
    let (ts, tv) = train;
    let mut aligned = 0;
    let mut gaps = Vec::new();
    for (&step, &v) in val.0.iter().zip(val.1) {
        if !v.is_finite() {
            continue;
        }
        // The training value logged last at or before this validation step.
        let i = ts.partition_point(|&s| s <= step);
        let Some(t) = (0..i).rev().map(|k| tv[k]).find(|t| t.is_finite()) else {
            continue;
        };
        if sign * v <= sign * t {
            return None;
        }
        aligned += 1;
        gaps.push((v - t).abs() / t.abs().max(f64::MIN_POSITIVE));
    }
    // A gap of a hair (two curves both stuck at chance) says nothing.
    gaps.sort_by(f64::total_cmp);
    let median = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
    (aligned >= MIN_ALIGNED && median >= MIN_GAP).then_some(aligned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_below_training_at_every_point_is_found_and_one_crossing_is_not() {
        let ts: Vec<i64> = (0..100).collect();
        let tv: Vec<f64> = ts
            .iter()
            .map(|&s| 1.0 / (1.0 + s as f64 / 10.0) + 0.1)
            .collect();
        let vs: Vec<i64> = (1..10).map(|k| k * 10).collect();
        let below: Vec<f64> = vs.iter().map(|&s| tv[s as usize] - 0.05).collect();
        assert_eq!(
            throughout((&ts, &tv), (&vs, &below), Direction::Minimize),
            Some(9)
        );
        // Once above training: not the whole run.
        let mut crossing = below.clone();
        crossing[8] = tv[90] + 0.01;
        assert_eq!(
            throughout((&ts, &tv), (&vs, &crossing), Direction::Minimize),
            None
        );
        // For a metric to maximise, better is above.
        assert_eq!(
            throughout((&ts, &tv), (&vs, &below), Direction::Maximize),
            None
        );
        // Too few validation points to say.
        assert_eq!(
            throughout((&ts, &tv), (&vs[..3], &below[..3]), Direction::Minimize),
            None
        );
    }
}
