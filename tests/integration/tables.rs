//! Tables other libraries write (Stable-Baselines3, gym `Monitor`, YOLO's `results.txt`, long
//! and pandas CSVs), imported through the binary without `--format`.

use crate::util::{Env, fixture, pairs};

/// Import a fixture as run `r`; returns what the import printed (stdout and stderr).
fn import(env: &Env, name: &str) -> String {
    let path = fixture(&format!("formats/{name}"));
    import_path(env, &path)
}

fn import_path(env: &Env, path: &std::path::Path) -> String {
    let out = env
        .cmd()
        .args(["import", "--run", "r", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// (metric, points) as `show --json` lists them.
fn counts(env: &Env, run: &str) -> Vec<(String, u64)> {
    let show = env.show(run);
    let metrics = show["metrics"].as_array().unwrap();
    metrics
        .iter()
        .map(|m| {
            let name = m["metric"].as_str().unwrap().to_owned();
            (name, m["points"].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn sb3_progress_csv_steps_are_total_timesteps() {
    let env = Env::new();
    let out = import(&env, "sb3/progress.csv");
    assert!(out.contains("(csv)"), "{out}");
    assert_eq!(
        pairs(&env.series("r", "rollout/ep_rew_mean")),
        [(2048, 22.4), (4096, 27.9), (6144, 36.6), (8192, 49.0)]
    );
    // Sparse cells: the first row has no train/ values.
    assert_eq!(
        pairs(&env.series("r", "train/loss")),
        [(4096, 5.872), (6144, 13.21), (8192, 21.95)]
    );
    let names = env.metric_names("r");
    assert!(!names.contains(&"time/total_timesteps".to_string()));
    assert!(names.contains(&"time/iterations".to_string()));
    assert_eq!(names.len(), 11);
}

#[test]
fn sb3_console_tables_inside_a_log() {
    let env = Env::new();
    let out = import(&env, "sb3/console.log");
    assert!(out.contains("(kv)"), "{out}");
    assert_eq!(
        pairs(&env.series("r", "rollout/ep_rew_mean")),
        [(2048, 21.9), (4096, 26.5), (6144, 34.1)]
    );
    assert_eq!(
        pairs(&env.series("r", "train/value_loss")),
        [(4096, 48.3), (6144, 36.9)]
    );
    assert_eq!(pairs(&env.series("r", "eval/mean_reward")), [(6144, 87.4)]);
    // The evaluation lines between the tables are at the timesteps they name.
    assert_eq!(pairs(&env.series("r", "episode_reward")), [(5000, 87.4)]);
    assert_eq!(pairs(&env.series("r", "episode_length")), [(5000, 87.4)]);
    let c = counts(&env, "r");
    let tabled: Vec<_> = c.iter().filter(|(n, _)| n.contains('/')).collect();
    // 5 rollout/ and time/ rows but total_timesteps, 11 train/ rows, 2 eval/ rows.
    assert_eq!(tabled.len(), 4 + 11 + 2, "{c:?}");
    assert!(tabled.iter().all(|(n, p)| match n.split('/').next() {
        Some("rollout" | "time") => *p == 3,
        Some("train") => *p == 2,
        _ => *p == 1,
    }));
}

#[test]
fn monitor_files_one_step_per_episode_with_wall_times() {
    let env = Env::new();
    import(&env, "sb3/0.monitor.csv");
    assert_eq!(env.metric_names("r"), ["l", "r"]);
    let r = env.series("r", "r");
    assert_eq!(pairs(&r), [(0, 18.0), (1, 14.0), (2, 33.0), (3, 21.0)]);
    let wall = r.wall_times[2].unwrap();
    assert!((wall - (1690000000.1 + 0.071503)).abs() < 1e-3, "{wall}");
}

#[test]
fn yolov5_results_txt_by_shape() {
    let env = Env::new();
    let out = import(&env, "yolov5/results.txt");
    assert!(out.contains("(yolo-txt)"), "{out}");
    assert_eq!(
        pairs(&env.series("r", "metrics/mAP_0.5:0.95")),
        [(0, 0.0007712), (1, 0.009816), (2, 0.04037)]
    );
    assert_eq!(
        pairs(&env.series("r", "train/box_loss")),
        [(0, 0.07943), (1, 0.06913), (2, 0.06322)]
    );
    assert_eq!(
        pairs(&env.series("r", "gpu_mem")),
        [(0, 3.29), (1, 4.12), (2, 4.12)]
    );
    let c = counts(&env, "r");
    assert_eq!(c.len(), 14);
    assert!(c.iter().all(|(_, p)| *p == 3));
}

#[test]
fn a_headerless_table_of_another_width_gets_no_yolo_names() {
    let env = Env::new();
    let file = env.dir.path().join("results.txt");
    std::fs::write(&file, "0/9 0.5 0.6 0.7\n1/9 0.4 0.5 0.6\n2/9 0.3 0.4 0.5\n").unwrap();
    let out = import_path(&env, &file);
    assert!(!out.contains("yolo-txt"), "{out}");
    if env.run_names().contains(&"r".to_string()) {
        assert!(!env.metric_names("r").iter().any(|n| n.contains("mAP")));
    }
}

#[test]
fn long_csvs_split_labels_and_metric_names() {
    let env = Env::new();
    import(&env, "long_split.csv");
    assert_eq!(
        env.metric_names("r"),
        ["train_acc", "train_loss", "val_acc", "val_loss"]
    );
    assert_eq!(
        pairs(&env.series("r", "val_loss")),
        [(1, 0.61), (2, 0.55), (3, 0.53)]
    );
    assert_eq!(
        pairs(&env.series("r", "train_acc")),
        [(1, 0.81), (2, 0.85), (3, 0.88)]
    );

    let env = Env::new();
    let out = import(&env, "long_metric.csv");
    assert!(!out.contains("logged again"), "{out}");
    assert_eq!(env.metric_names("r"), ["accuracy", "loss"]);
    assert_eq!(
        pairs(&env.series("r", "loss")),
        [(0, 2.31), (100, 1.42), (200, 0.98)]
    );
    assert_eq!(
        pairs(&env.series("r", "accuracy")),
        [(0, 0.11), (100, 0.52), (200, 0.67)]
    );
}

#[test]
fn pandas_index_column_is_not_a_metric() {
    let env = Env::new();
    import(&env, "pandas_index.csv");
    assert_eq!(env.metric_names("r"), ["loss", "val_loss"]);
    assert_eq!(
        pairs(&env.series("r", "val_loss")),
        [(1, 0.603), (2, 0.551), (3, 0.529)]
    );
}

#[test]
fn a_directory_of_tables_is_discovered() {
    let env = Env::new();
    let dir = env.dir.path().join("logs");
    for (from, to) in [
        ("sb3/progress.csv", "ppo/progress.csv"),
        ("sb3/0.monitor.csv", "ppo/0.monitor.csv"),
        ("sb3/console.log", "ppo_stdout/console.log"),
        ("yolov5/results.txt", "yolo/exp/results.txt"),
        ("long_split.csv", "keras/long_split.csv"),
        ("long_metric.csv", "custom/long_metric.csv"),
        ("pandas_index.csv", "pandas/pandas_index.csv"),
    ] {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture(&format!("formats/{from}")), to).unwrap();
    }
    let out = env.ok(&["import", dir.to_str().unwrap()]);
    let runs = env.run_names();
    assert_eq!(runs.len(), 7, "{runs:?}\n{out}");
    let points = |run: &str, metric: &str| {
        let s = env.series(run, metric);
        (s.len(), s.steps.last().copied())
    };
    let of = |file: &str| {
        runs.iter()
            .find(|r| r.contains(file))
            .unwrap_or_else(|| panic!("no run for {file} in {runs:?}"))
            .clone()
    };
    assert_eq!(points(&of("yolo"), "metrics/recall"), (3, Some(2)));
    assert_eq!(points(&of("monitor"), "r"), (4, Some(3)));
    assert_eq!(points(&of("progress"), "train/loss"), (3, Some(8192)));
    assert_eq!(points(&of("ppo_stdout"), "time/fps"), (3, Some(6144)));
    assert_eq!(points(&of("keras"), "val_acc"), (3, Some(3)));
    assert_eq!(points(&of("custom"), "loss"), (3, Some(200)));
    assert_eq!(points(&of("pandas"), "loss"), (3, Some(3)));
}
