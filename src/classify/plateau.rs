//! Plateau detection by replaying PyTorch's `ReduceLROnPlateau` bookkeeping
//! (`threshold_mode="abs"`, `mode="max"` on the oriented curve, cooldown 0):
//! a value improves when it beats the best so far by more than `min_delta`; otherwise the
//! bad-epoch counter grows, and the scheduler would fire once it is `> patience`
//! (strictly greater, as PyTorch; Keras and Lightning fire at `>=`).
//!
//! The absolute threshold avoids PyTorch's `rel` mode bug for negative values
//! (pytorch/pytorch#38622), which matters here because minimized metrics are negated.

/// Where a plateau that lasts to the end of the curve began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plateau {
    /// Index of the last improvement: the plateau's first point.
    pub from_index: usize,
    /// Index at which the scheduler would have fired (`num_bad > patience`).
    pub fired_index: usize,
}

/// Replays the rule over oriented `values`; returns the plateau that is still running at
/// the last point, if the bad-epoch counter exceeded `patience` in it.
pub fn find_plateau(values: &[f64], min_delta: f64, patience: usize) -> Option<Plateau> {
    let mut best = f64::NEG_INFINITY;
    let mut best_index = 0usize;
    let mut num_bad = 0usize;
    let mut fired = None;
    for (i, &v) in values.iter().enumerate() {
        if v > best + min_delta {
            best = v;
            best_index = i;
            num_bad = 0;
            fired = None;
        } else {
            num_bad += 1;
            if num_bad > patience && fired.is_none() {
                fired = Some(i);
            }
        }
    }
    fired.map(|fired_index| Plateau {
        from_index: best_index,
        fired_index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_after_patience_plus_one_bad_points() {
        let v = [0.1, 0.5, 0.9, 0.9, 0.9, 0.9, 0.9];
        // patience 3: bad at indices 3,4,5,6 -> fires at index 6 (4 > 3)
        assert_eq!(
            find_plateau(&v, 0.0, 3),
            Some(Plateau {
                from_index: 2,
                fired_index: 6
            })
        );
        assert_eq!(find_plateau(&v, 0.0, 4), None);
    }

    #[test]
    fn a_late_improvement_ends_the_plateau() {
        let v = [0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0];
        assert_eq!(find_plateau(&v, 0.0, 2), None);
        // min_delta: a gain of 0.05 does not count as an improvement
        let w = [0.0, 1.0, 1.05, 1.0, 1.02, 1.04];
        assert_eq!(find_plateau(&w, 0.1, 3).map(|p| p.from_index), Some(1));
    }
}
