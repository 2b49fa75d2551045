//! Which field of a record is the step.
//!
//! In order: `step`, `global_step`, `current_steps` (LLaMA-Factory), `iteration` (Detectron2),
//! `iter`, `_step` (Weights & Biases), `episode` (reinforcement learning), then `epoch` when it
//! holds whole numbers. [`super::step_source`] chooses one of them per stream. Names match
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_in_order_ignoring_case_and_padding() {
        assert_eq!(rank("step"), Some(0));
        assert!(rank(" Epoch ") > rank("global_step"));
        assert_eq!(rank("loss"), None);
    }
}
