//! Console logs in the styles training libraries print, imported through the binary.

use crate::util::{Env, fixture, pairs};

fn import(env: &Env, name: &str) -> String {
    let path = fixture(&format!("formats/{name}"));
    env.ok(&["import", "--run", "r", path.to_str().unwrap()])
}

#[test]
fn xgboost_cv_rounds_with_their_standard_deviation() {
    let env = Env::new();
    import(&env, "xgboost_cv.log");
    assert_eq!(
        pairs(&env.series("r", "test-logloss")),
        [(0, 0.62), (1, 0.56), (2, 0.51)]
    );
    assert_eq!(
        pairs(&env.series("r", "train-logloss_std")),
        [(0, 0.002), (1, 0.003), (2, 0.003)]
    );
}

#[test]
fn lightgbm_fits_in_one_log_are_run_parts_and_best_rounds_are_not_repeated() {
    let env = Env::new();
    import(&env, "lightgbm_folds.log");
    assert_eq!(env.run_names(), ["r", "r-2"]);
    assert_eq!(
        pairs(&env.series("r", "valid_0_binary_logloss")),
        [(1, 0.68), (2, 0.65), (3, 0.66)]
    );
    assert_eq!(
        pairs(&env.series("r-2", "valid_0_auc")),
        [(1, 0.72), (2, 0.76)]
    );
}

#[test]
fn nanogpt_iterations_and_evaluations() {
    let env = Env::new();
    import(&env, "nanogpt.log");
    assert_eq!(
        pairs(&env.series("r", "loss")),
        [(0, 10.988), (10, 9.624), (20, 8.3511), (250, 6.0455)]
    );
    assert_eq!(
        pairs(&env.series("r", "val_loss")),
        [(0, 10.9901), (250, 6.21)]
    );
    assert_eq!(
        pairs(&env.series("r", "time")),
        [(0, 13425.03), (10, 1338.85), (20, 1341.1), (250, 15820.47)]
    );
}

#[test]
fn megatron_iterations_with_whole_cell_keys() {
    let env = Env::new();
    import(&env, "megatron.log");
    assert_eq!(
        pairs(&env.series("r", "lm_loss")),
        [(10, 10.8456), (20, 9.91234)]
    );
    assert_eq!(
        pairs(&env.series("r", "elapsed_time_per_iteration_ms")),
        [(10, 612.4), (20, 450.1)]
    );
}

#[test]
fn fairseq_training_and_validation_apart() {
    let env = Env::new();
    import(&env, "fairseq.log");
    assert_eq!(pairs(&env.series("r", "loss")), [(1, 9.512), (2, 7.844)]);
    assert_eq!(
        pairs(&env.series("r", "valid_loss")),
        [(1, 8.103), (2, 7.012)]
    );
}

#[test]
fn progress_meters_keep_value_and_average() {
    let env = Env::new();
    import(&env, "imagenet_meters.log");
    assert_eq!(
        pairs(&env.series("r", "loss")),
        [(0, 6.9921), (10, 6.9063), (5005, 5.1)]
    );
    assert_eq!(
        pairs(&env.series("r", "loss_avg")),
        [(0, 6.9921), (10, 6.9201), (5005, 5.1)]
    );
    assert_eq!(
        pairs(&env.series("r", "epoch")),
        [(0, 0.0), (10, 0.0), (5005, 1.0)]
    );
}
