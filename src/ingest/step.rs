//! Which field of a record is the step.
//!
//! In order: `step`, `global_step`, `current_steps` (LLaMA-Factory), `iteration` (Detectron2),
//! `iter`, `_step` (Weights & Biases), a count of environment steps (reinforcement learning:
//! Stable-Baselines3's `time/total_timesteps`, OpenAI baselines' `total_timesteps` or
//! `TimestepsSoFar`, `env_steps`; what their plots put on the x axis), `episode`, then `epoch`
//! when it holds whole numbers. [`super::step_source`] chooses one of them per stream. Names match
//! case-insensitively after trimming spaces (YOLO pads its CSV headers).

/// Candidate step fields, most specific first. `epoch` is last and counts only when whole.
pub const STEP_KEYS: &[&str] = &[
    "step",
    "global_step",
    "current_steps",
    "iteration",
    "iter",
    "_step",
    TIMESTEPS,
    "episode",
    "epoch",
];

/// The key in [`STEP_KEYS`] that stands for every count of environment steps (see
/// [`counts_timesteps`]).
pub const TIMESTEPS: &str = "total_timesteps";

/// Whether `name` counts environment steps: its last `/`-separated part, ignoring case, `_`,
/// `-` and spaces, is `total_timesteps`, `timesteps_so_far`, `num_timesteps`, `timesteps`,
/// `env_steps`, `total_env_steps` or `num_env_steps` (`time/total_timesteps`,
/// `TimestepsSoFar`, `misc/total_timesteps`).
pub fn counts_timesteps(name: &str) -> bool {
    let last = name.trim().rsplit('/').next().unwrap_or_default();
    let mut n = String::with_capacity(last.len());
    n.extend(
        last.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase()),
    );
    matches!(
        n.as_str(),
        "totaltimesteps"
            | "timestepssofar"
            | "numtimesteps"
            | "timesteps"
            | "envsteps"
            | "totalenvsteps"
            | "numenvsteps"
    )
}

/// The rank of `name` in [`STEP_KEYS`] (lower is preferred), or `None` if it is not step-like.
pub fn rank(name: &str) -> Option<usize> {
    let n = name.trim();
    STEP_KEYS
        .iter()
        .position(|k| k.eq_ignore_ascii_case(n))
        .or_else(|| {
            counts_timesteps(n)
                .then(|| STEP_KEYS.iter().position(|k| *k == TIMESTEPS))
                .flatten()
        })
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

    #[test]
    fn counts_of_environment_steps_rank_after_steps_and_before_episodes() {
        let t = rank("time/total_timesteps");
        assert!(t.is_some() && t > rank("_step") && t < rank("episode"));
        for n in [
            "total_timesteps",
            "TimestepsSoFar",
            "misc/total_timesteps",
            "env_steps",
        ] {
            assert_eq!(rank(n), t, "{n}");
        }
        for n in [
            "time/iterations",
            "serial_timesteps",
            "timesteps_per_second",
            "steps",
        ] {
            assert_eq!(rank(n), None, "{n}");
        }
    }
}
