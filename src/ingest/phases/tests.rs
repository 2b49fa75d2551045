use crate::ingest::{Batch, Format, Options, parse_all};

fn parse(text: &str) -> (Batch, Vec<(String, i64, f64)>) {
    let b = parse_all(Format::Jsonl, &Options::default(), text.as_bytes());
    let v = b
        .points
        .iter()
        .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
        .collect();
    (b, v)
}

fn of(v: &[(String, i64, f64)], name: &str) -> Vec<(i64, f64)> {
    v.iter()
        .filter(|(n, _, _)| n == name)
        .map(|&(_, s, x)| (s, x))
        .collect()
}

#[test]
fn mmdet_iterations_laid_end_to_end_over_epochs() {
    let text = r#"{"env_info": "sys.platform: linux", "config": "model = dict()", "seed": 0}
{"mode": "train", "epoch": 1, "iter": 50, "lr": 0.002, "loss": 1.2, "time": 0.4}
{"mode": "train", "epoch": 1, "iter": 100, "lr": 0.004, "loss": 1.0, "time": 0.4}
{"mode": "val", "epoch": 1, "iter": 625, "lr": 0.004, "bbox_mAP": 0.21}
{"mode": "train", "epoch": 2, "iter": 50, "lr": 0.004, "loss": 0.9, "time": 0.4}
{"mode": "train", "epoch": 2, "iter": 100, "lr": 0.004, "loss": 0.8, "time": 0.4}
{"mode": "val", "epoch": 2, "iter": 625, "lr": 0.004, "bbox_mAP": 0.25, "loss": 0.7}
"#;
    let (b, v) = parse(text);
    assert_eq!(
        of(&v, "loss"),
        [(50, 1.2), (100, 1.0), (150, 0.9), (200, 0.8)]
    );
    assert_eq!(of(&v, "val/bbox_mAP"), [(100, 0.21), (200, 0.25)]);
    assert_eq!(of(&v, "val/loss"), [(200, 0.7)]);
    assert_eq!(
        of(&v, "epoch"),
        [(50, 1.0), (100, 1.0), (150, 2.0), (200, 2.0)]
    );
    for gone in ["seed", "mode", "val/epoch", "val/iter", "step"] {
        assert!(of(&v, gone).is_empty(), "{gone}");
    }
    assert!(b.restarts.is_empty() && b.skips.is_empty());
    assert_eq!(b.params[0].1["seed"], 0.0);
}

#[test]
fn mmseg_iterations_that_keep_counting_are_the_steps() {
    let text = r#"{"mode": "train", "epoch": 1, "iter": 50, "lr": 0.01, "decode.loss_ce": 2.1}
{"mode": "train", "epoch": 1, "iter": 100, "lr": 0.01, "decode.loss_ce": 1.9}
{"mode": "val", "iter": 100, "aAcc": 0.7, "mIoU": 0.4}
{"mode": "train", "epoch": 2, "iter": 150, "lr": 0.01, "decode.loss_ce": 1.7}
"#;
    let (_, v) = parse(text);
    assert_eq!(
        of(&v, "decode.loss_ce"),
        [(50, 2.1), (100, 1.9), (150, 1.7)]
    );
    assert_eq!(of(&v, "val/mIoU"), [(100, 0.4)]);
}

#[test]
fn mmengine_validation_at_the_last_step_of_its_epoch() {
    let text = r#"{"lr": 0.01, "data_time": 0.1, "loss": 1.5, "time": 0.5, "epoch": 1, "iter": 50, "memory": 3000, "step": 50}
{"lr": 0.01, "data_time": 0.1, "loss": 1.3, "time": 0.5, "epoch": 1, "iter": 100, "memory": 3000, "step": 100}
{"coco/bbox_mAP": 0.3, "data_time": 0.02, "time": 0.1, "step": 1}
{"lr": 0.01, "data_time": 0.1, "loss": 1.1, "time": 0.5, "epoch": 2, "iter": 150, "memory": 3000, "step": 150}
{"coco/bbox_mAP": 0.35, "data_time": 0.03, "time": 0.2, "step": 2}
"#;
    let (b, v) = parse(text);
    assert_eq!(of(&v, "loss"), [(50, 1.5), (100, 1.3), (150, 1.1)]);
    assert_eq!(of(&v, "time"), [(50, 0.5), (100, 0.5), (150, 0.5)]);
    assert_eq!(of(&v, "coco/bbox_mAP"), [(100, 0.3), (150, 0.35)]);
    assert_eq!(of(&v, "val/time"), [(100, 0.1), (150, 0.2)]);
    assert_eq!(of(&v, "val/data_time"), [(100, 0.02), (150, 0.03)]);
    assert!(b.restarts.is_empty() && b.skips.is_empty());
}

#[test]
fn mmengine_iteration_based_validation_at_its_step() {
    let text = r#"{"lr": 0.01, "loss": 1.5, "time": 0.5, "iter": 8000, "memory": 3000, "step": 8000}
{"aAcc": 80.1, "mIoU": 40.2, "data_time": 0.01, "time": 0.2, "step": 8000}
{"lr": 0.01, "loss": 1.2, "time": 0.5, "iter": 16000, "memory": 3000, "step": 16000}
{"aAcc": 82.0, "mIoU": 43.5, "data_time": 0.01, "time": 0.2, "step": 16000}
"#;
    let (_, v) = parse(text);
    assert_eq!(of(&v, "val/mIoU"), [(8000, 40.2), (16000, 43.5)]);
    assert_eq!(of(&v, "time"), [(8000, 0.5), (16000, 0.5)]);
    assert_eq!(of(&v, "val/time"), [(8000, 0.2), (16000, 0.2)]);
}

#[test]
fn other_jsonl_passes_through() {
    let (_, v) = parse("{\"note\": \"x\"}\n{\"step\": 1, \"loss\": 1, \"mode\": \"fast\"}\n");
    assert_eq!(v, [("loss".to_string(), 1, 1.0)]);
    let (_, v) = parse("{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n{\"a\": 4}\n");
    assert_eq!(of(&v, "a"), [(0, 1.0), (1, 2.0), (2, 3.0), (3, 4.0)]);
}

#[test]
fn a_mode_beside_a_global_step_keeps_the_step() {
    let text = r#"{"mode": "train", "epoch": 1, "step": 10, "loss": 1.0}
{"mode": "train", "epoch": 2, "step": 20, "loss": 0.8}
{"mode": "val", "epoch": 2, "step": 15, "loss": 0.9}
"#;
    let (_, v) = parse(text);
    assert_eq!(of(&v, "loss"), [(10, 1.0), (20, 0.8)]);
    assert_eq!(of(&v, "val/loss"), [(15, 0.9)]);
}
