//! Importing TensorBoard event files: real ones beside the CSV / trainer_state.json of the same
//! runs, damaged copies, wild ones (read in place), and directories of runs.

use crate::util::{Env, needs_wild_logs, pairs, real_logs, wild_logs};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tracker::ingest::tfevents::record::{Frame, frame};
use tracker::ingest::tfevents::write::EventWriter;
use tracker::ingest::{Format, Options, parse_all};

fn lightning_dir() -> PathBuf {
    real_logs().join("lightning/digits_sgd_lr0.05/version_0")
}

fn hf_dir() -> PathBuf {
    real_logs().join("hf/bert_tiny_lr5e-4")
}

/// The event files of the real-logs runs.
fn lightning_events() -> PathBuf {
    lightning_dir().join("events.out.tfevents.1795342626.vm.444.0")
}

fn hf_events() -> PathBuf {
    hf_dir().join("runs/Nov22_10-19-59_vm/events.out.tfevents.1795342799.vm.648.0")
}

fn metric_names(env: &Env, run: &str) -> Vec<String> {
    env.show(run)["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["metric"].as_str().unwrap().to_string())
        .collect()
}

/// Each stored value of `tb_metric` in run `tb` is the f32 of the value `other` holds for
/// `other_metric` at the same step (TensorBoard stores float32).
fn assert_same_curve(env: &Env, tb: (&str, &str), other: (&str, &str)) {
    let a = pairs(&env.series(tb.0, tb.1));
    let b = pairs(&env.series(other.0, other.1));
    assert!(!a.is_empty(), "{}: no points", tb.1);
    assert_eq!(a.len(), b.len(), "{}: point counts differ", tb.1);
    for ((sa, va), (sb, vb)) in a.iter().zip(&b) {
        assert_eq!(sa, sb, "{}: steps differ", tb.1);
        assert_eq!(*va, f64::from(*vb as f32), "{} at step {sa}", tb.1);
    }
}

/// `imported N values` from the import's summary line.
fn values_imported(stderr: &str) -> usize {
    let line = stderr.lines().find(|l| l.starts_with("imported ")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn import(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().arg("import").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "import {args:?} failed: {stderr}");
    stderr
}

#[test]
fn lightning_event_file_matches_its_metrics_csv() {
    let env = Env::new();
    let dir = lightning_dir();
    let ev = lightning_events();
    import(&env, &["--run", "tb", ev.to_str().unwrap()]);
    import(
        &env,
        &["--run", "csv", dir.join("metrics.csv").to_str().unwrap()],
    );
    let csv = metric_names(&env, "csv");
    let mut tb = metric_names(&env, "tb");
    // Lightning's TensorBoardLogger also writes its hp_metric placeholder.
    tb.retain(|m| m != "hp_metric");
    assert_eq!(tb, csv);
    for m in &csv {
        assert_same_curve(&env, ("tb", m), ("csv", m));
    }
    // hparams.yaml beside the event file became the run's params too.
    assert_eq!(env.show("tb")["params"]["lr"], 0.05);
}

/// The name the Trainer's `log_history` gives a TensorBoard tag: `train/loss` → `loss`,
/// `eval/f1` → `eval_f1`.
fn hf_key(tag: &str) -> String {
    match tag.split_once('/') {
        Some(("train", k)) => k.to_string(),
        Some((split, k)) => format!("{split}_{k}"),
        None => tag.to_string(),
    }
}

#[test]
fn hf_event_file_matches_its_trainer_state() {
    let env = Env::new();
    let dir = hf_dir();
    import(&env, &["--run", "tb", hf_events().to_str().unwrap()]);
    import(
        &env,
        &[
            "--run",
            "state",
            dir.join("trainer_state.json").to_str().unwrap(),
        ],
    );
    let tags = metric_names(&env, "tb");
    assert!(tags.contains(&"train/loss".to_string()) && tags.contains(&"eval/f1".to_string()));
    let mut keys: Vec<String> = tags.iter().map(|t| hf_key(t)).collect();
    keys.sort();
    assert_eq!(keys, metric_names(&env, "state"));
    for tag in &tags {
        assert_same_curve(&env, ("tb", tag), ("state", &hf_key(tag)));
    }
}

/// The end offset of each record of an event file.
fn record_ends(data: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut at = 0;
    while let Frame::Record { len } = frame(&data[at..]) {
        at += Frame::total(len);
        ends.push(at);
    }
    assert_eq!(at, data.len(), "the original is whole");
    ends
}

fn values_in(data: &[u8]) -> usize {
    parse_all(Format::TfEvents, &Options::default(), data)
        .points
        .len()
}

#[test]
fn a_truncated_file_keeps_every_complete_record() {
    let env = Env::new();
    let full = std::fs::read(lightning_events()).unwrap();
    let ends = record_ends(&full);
    let cuts = [
        5,
        ends[0],
        ends[0] + 7,
        ends[10] + 13,
        full.len() / 2,
        ends[ends.len() - 2],
        full.len() - 1,
    ];
    for (i, cut) in cuts.into_iter().enumerate() {
        let file = env
            .dir
            .path()
            .join(format!("cut{i}/events.out.tfevents.1.h.0"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &full[..cut]).unwrap();
        let stderr = import(&env, &["--run", &format!("cut{i}"), file.to_str().unwrap()]);
        let whole = ends
            .iter()
            .copied()
            .filter(|&e| e <= cut)
            .max()
            .unwrap_or(0);
        assert_eq!(
            values_imported(&stderr),
            values_in(&full[..whole]),
            "cut at {cut}"
        );
        if whole < cut {
            let shown = format!("{}:offset {whole}: truncated record", file.display());
            assert!(stderr.contains(&shown), "cut at {cut}: {stderr}");
        } else {
            assert!(!stderr.contains("truncated"), "cut at {cut}: {stderr}");
        }
    }
}

#[test]
fn a_flipped_byte_is_reported_at_its_offset_and_the_rest_kept() {
    let env = Env::new();
    let full = std::fs::read(lightning_events()).unwrap();
    let ends = record_ends(&full);
    let (start, end) = (ends[99], ends[100]);
    let mut bad = full.clone();
    bad[start + 20] ^= 0x01;
    let file = env.dir.path().join("events.out.tfevents.1.h.0");
    std::fs::write(&file, &bad).unwrap();
    let stderr = import(&env, &["--run", "bad", file.to_str().unwrap()]);
    let shown = format!("{}:offset {start}: corrupt record", file.display());
    assert!(stderr.contains(&shown), "{stderr}");
    assert!(
        stderr.contains(&format!("resumed at offset {end}")),
        "{stderr}"
    );
    let lost = values_in(&full[start..end]);
    assert!(lost >= 1);
    assert_eq!(values_imported(&stderr), values_in(&full) - lost);
    // --strict stops there instead.
    let out = env
        .cmd()
        .args(["import", "--strict", "--run", "s", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn an_empty_event_file_imports_nothing_without_error() {
    let env = Env::new();
    let file = env.dir.path().join("events.out.tfevents.1.h.0");
    std::fs::write(&file, b"").unwrap();
    let stderr = import(&env, &[file.to_str().unwrap()]);
    assert!(stderr.contains("(tfevents) → no metrics found"), "{stderr}");
    assert_eq!(values_imported(&stderr), 0);
}

/// Values read and distinct steps per tag.
fn counts(path: &Path) -> BTreeMap<String, (usize, usize)> {
    let b = parse_all(
        Format::TfEvents,
        &Options::default(),
        &std::fs::read(path).unwrap(),
    );
    assert!(b.skips.is_empty(), "{:?}", b.skips);
    let mut steps: BTreeMap<String, (usize, std::collections::BTreeSet<i64>)> = BTreeMap::new();
    for p in &b.points {
        let e = steps
            .entry(b.metric_name(p.metric).to_string())
            .or_default();
        e.0 += 1;
        e.1.insert(p.step);
    }
    steps
        .into_iter()
        .map(|(k, (n, s))| (k, (n, s.len())))
        .collect()
}

/// The one file of a wild-logs directory (read in place).
fn wild(dir: &str) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(wild_logs().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn wild_keras_tf2_scalars_come_from_tensor_summaries() {
    needs_wild_logs!();
    let env = Env::new();
    let file = wild("23_keras_tf2_mnist_tb");
    import(&env, &["--run", "keras", file.to_str().unwrap()]);
    // Histograms, images and the graph are passed over without a word.
    assert_eq!(
        metric_names(&env, "keras"),
        ["epoch_accuracy", "epoch_loss"]
    );
    for m in ["epoch_accuracy", "epoch_loss"] {
        assert_eq!(env.series("keras", m).steps, (0..10).collect::<Vec<i64>>());
    }
    let loss = env.series("keras", "epoch_loss").values;
    assert!(loss[9] < loss[0] && loss[0] < 1.0, "{loss:?}");
}

#[test]
fn wild_yolo_per_batch_values_on_epoch_steps_keep_the_last_value() {
    needs_wild_logs!();
    let env = Env::new();
    let file = wild("26_yolov8_fire_tb");
    let c = counts(&file);
    for tag in ["train/box_loss", "train/cls_loss", "train/dfl_loss"] {
        assert_eq!(c[tag], (1375, 25), "{tag}");
    }
    assert_eq!(c.len(), 10);
    import(&env, &["--run", "yolo", file.to_str().unwrap()]);
    // One value per step is stored: the last one logged at that step.
    let b = parse_all(
        Format::TfEvents,
        &Options::default(),
        &std::fs::read(&file).unwrap(),
    );
    let m = b
        .metric_names()
        .iter()
        .position(|n| n == "train/box_loss")
        .unwrap() as u32;
    let mut last = BTreeMap::new();
    for p in b.points.iter().filter(|p| p.metric == m) {
        last.insert(p.step, p.value);
    }
    assert_eq!(
        pairs(&env.series("yolo", "train/box_loss")),
        last.into_iter().collect::<Vec<_>>()
    );
    assert_eq!(
        env.series("yolo", "train/box_loss").steps,
        (1..=25).collect::<Vec<i64>>()
    );
}

#[test]
fn wild_lightning_and_rl_event_files() {
    needs_wild_logs!();
    // (values read, distinct steps) per tag. 08's and 10's epoch tags repeat steps: one point
    // per step is stored.
    let expected = [
        ("08_satd_hmer_tb", "epoch", (360, 240)),
        ("08_satd_hmer_tb", "train_loss", (240, 240)),
        ("08_satd_hmer_tb", "val_loss", (120, 120)),
        ("08_satd_hmer_tb", "val_ExpRate", (120, 120)),
        ("08_satd_hmer_tb", "lr-SGD", (240, 240)),
        ("09_lstm_textgen_tb", "train_loss", (7691, 7691)),
        ("09_lstm_textgen_tb", "val_loss", (29, 29)),
        ("10_naf_dqn_rl_tb", "episode/Return", (21780, 21780)),
        ("10_naf_dqn_rl_tb", "episode/MSE Loss", (1742, 1742)),
        ("10_naf_dqn_rl_tb", "epoch", (23522, 22651)),
    ];
    for (dir, tag, n) in expected {
        assert_eq!(counts(&wild(dir))[tag], n, "{dir} {tag}");
    }
    let env = Env::new();
    for dir in ["08_satd_hmer_tb", "09_lstm_textgen_tb", "10_naf_dqn_rl_tb"] {
        let stderr = import(&env, &["--run", dir, wild(dir).to_str().unwrap()]);
        assert!(!stderr.contains("offset"), "{stderr}");
    }
    assert_eq!(env.series("08_satd_hmer_tb", "epoch").len(), 240);
    assert_eq!(env.series("10_naf_dqn_rl_tb", "epoch").len(), 22651);
    assert_eq!(
        env.series("10_naf_dqn_rl_tb", "episode/Return").len(),
        21780
    );
}

#[test]
fn a_logdir_gives_one_run_per_directory_and_merges_restarted_files() {
    let env = Env::new();
    let logdir = env.dir.path().join("logdir");
    let write = |rel: &str, w: EventWriter| {
        let p = logdir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, w.into_bytes()).unwrap();
    };
    let mut a = EventWriter::new(100.0);
    for s in 0..=5 {
        a.scalar("train/loss", s * 100, 1.0, 100.0 + s as f64);
    }
    write("exp1/events.out.tfevents.100.h.1", a);
    // exp2 was restarted: its second file (older name, later wall time) logs again from 400.
    let mut first = EventWriter::new(200.0);
    for s in 0..=5 {
        first.scalar("eval/f1", s * 100, 0.5, 200.0 + s as f64);
    }
    let mut second = EventWriter::new(300.0);
    for s in 4..=7 {
        second.scalar("eval/f1", s * 100, 0.75, 300.0 + s as f64);
    }
    write("exp2/events.out.tfevents.900.h.2", second);
    write("exp2/events.out.tfevents.200.h.1", first);
    let stderr = import(&env, &[logdir.to_str().unwrap()]);
    assert!(
        stderr.contains("and 1 more file (tfevents) → run exp2"),
        "{stderr}"
    );
    assert_eq!(env.run_names(), ["exp1", "exp2"]);
    assert_eq!(metric_names(&env, "exp1"), ["train/loss"]);
    let f1 = pairs(&env.series("exp2", "eval/f1"));
    assert_eq!(f1.len(), 8);
    assert_eq!(f1[3], (300, 0.5));
    assert_eq!(f1[4], (400, 0.75));
    let history = env.show("exp2")["history"].to_string();
    assert!(history.contains("restart"), "{history}");
}

#[test]
fn a_directory_import_prefers_structured_logs_and_format_tfevents_takes_events() {
    let env = Env::new();
    let stderr = import(&env, &[real_logs().to_str().unwrap()]);
    for ev in [lightning_events(), hf_events()] {
        let shown = format!("also there, not imported (same run): {}", ev.display());
        assert!(stderr.contains(&shown), "{stderr}");
    }
    let env = Env::new();
    let stderr = import(
        &env,
        &["--format", "tfevents", real_logs().to_str().unwrap()],
    );
    assert!(
        stderr.contains("(tfevents) → run hf/bert_tiny_lr5e-4:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(tfevents) → run lightning/digits_sgd_lr0.05/version_0:"),
        "{stderr}"
    );
    assert!(
        env.show("hf/")["source"]
            .as_str()
            .unwrap()
            .contains("events.out.tfevents")
    );
}
