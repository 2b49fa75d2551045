//! Which field of a record is the step.
//!
//! In order: `step`, `global_step`, `current_steps` (LLaMA-Factory), `iteration` (Detectron2),
//! `iter`, `_step` (Weights & Biases), `episode` (reinforcement learning), then `epoch` when it
//! is a whole number. Without any of them the step is the 0-based record number. Names match
//! case-insensitively after trimming spaces (YOLO pads its CSV headers).

/// Candidate step fields, most specific first. `epoch` is last and counts only when whole.
pub const STEP_KEYS: &[&str] = &[
    "step",
    "global_step",
    "current_steps",
    "iteration",
    "iter",
    "_step",
    "episode",
    "epoch",
];

/// The rank of `name` in [`STEP_KEYS`] (lower is preferred), or `None` if it is not step-like.
pub fn rank(name: &str) -> Option<usize> {
    let n = name.trim();
    STEP_KEYS.iter().position(|k| k.eq_ignore_ascii_case(n))
}

/// Tracks the best step candidate within one record.
#[derive(Debug, Default, Clone, Copy)]
pub struct Choice {
    best: Option<(usize, i64)>,
}

impl Choice {
    /// Offer field `name` with value `v`; returns true if the field is step-like (whether or not
    /// it was taken). A step-like field that is not a whole number is not taken.
    pub fn offer(&mut self, name: &str, v: f64) -> bool {
        let Some(r) = rank(name) else { return false };
        if let Some(step) = super::number::as_step(v)
            && self.best.is_none_or(|(br, _)| r < br)
        {
            self.best = Some((r, step));
        }
        true
    }

    /// The chosen step and its rank.
    pub fn get(&self) -> Option<(usize, i64)> {
        self.best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_step_over_epoch() {
        let mut c = Choice::default();
        assert!(c.offer("epoch", 3.0));
        assert!(c.offer("step", 120.0));
        assert!(!c.offer("loss", 0.5));
        assert_eq!(c.get(), Some((0, 120)));
    }

    #[test]
    fn fractional_epoch_is_not_a_step() {
        let mut c = Choice::default();
        c.offer("epoch", 0.08);
        assert_eq!(c.get(), None);
        c.offer(" Epoch ", 2.0);
        assert_eq!(c.get().map(|x| x.1), Some(2));
    }
}
