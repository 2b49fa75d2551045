//! `tracker compare`: matching, differences, alignment, gates; golden table, JSON, Markdown.

use crate::util::{Env, on_both, real_logs};
use std::path::Path;

/// Two Lightning-style runs under `logs/`: `base` and `change` (higher lr: better loss, worse
/// F1), plus a metric only `change` logs.
fn two_runs(env: &Env) -> std::path::PathBuf {
    let logs = env.dir.path().join("logs");
    let write = |name: &str, lr: f64, f1_top: f64, loss_floor: f64, extra: bool| {
        let dir = logs.join(name).join("version_0");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("hparams.yaml"),
            format!("lr: {lr}\nbatch_size: 64\n"),
        )
        .unwrap();
        let mut csv = String::from("epoch,step,val_f1,val_loss,train_acc\n");
        for e in 0..20 {
            let t = f64::from(e) / 19.0;
            let f1 = 0.3 + (f1_top - 0.3) * (1.0 - (-5.0 * t).exp());
            let loss = loss_floor + 1.5 * (-4.0 * t).exp();
            let acc = if extra {
                format!("{:.4}", 0.5 + 0.4 * t)
            } else {
                String::new()
            };
            csv.push_str(&format!("{e},{},{f1:.4},{loss:.4},{acc}\n", 100 * (e + 1)));
        }
        std::fs::write(dir.join("metrics.csv"), csv).unwrap();
    };
    write("base", 0.01, 0.90, 0.30, false);
    write("change", 0.05, 0.85, 0.20, true);
    env.ok(&["import", logs.to_str().unwrap()]);
    logs
}

on_both! {
    fn golden_table_json_and_markdown(env) {
        two_runs(env);
        let table = env.ok(&["compare", "base", "change"]);
        insta::assert_snapshot!("compare_table", table);
        let md = env.ok(&["compare", "base", "change", "--md"]);
        insta::assert_snapshot!("compare_markdown", md);
        let json: serde_json::Value =
            serde_json::from_str(&env.ok(&["compare", "base", "change", "--json"])).unwrap();
        insta::assert_json_snapshot!("compare_json", json);
        // The documented shape.
        assert_eq!(
            json["runs"],
            serde_json::json!(["base/version_0", "change/version_0"])
        );
        let f1 = &json["metrics"][0];
        assert_eq!(f1["metric"], "val_f1");
        assert_eq!(f1["definition"], "f1");
        assert_eq!(f1["direction"], "maximize");
        assert_eq!(f1["runs"][1]["run"], "change/version_0");
        assert!(f1["runs"][1]["best"].as_f64().unwrap() < f1["runs"][0]["best"].as_f64().unwrap());
        assert_eq!(f1["runs"][1]["better"], false);
        assert_eq!(json["params"]["lr"], serde_json::json!([0.01, 0.05]));
        assert!(
            json["params"].get("batch_size").is_none(),
            "equal params are left out"
        );
        let all: serde_json::Value =
            serde_json::from_str(&env.ok(&["compare", "base", "change", "--json", "--all-params"]))
                .unwrap();
        assert_eq!(all["params"]["batch_size"], serde_json::json!([64, 64]));
    }
}

on_both! {
    fn fail_if_worse_gates_on_the_best_value(env) {
        two_runs(env);
        let code = |args: &[&str]| {
            let mut a = vec!["compare", "base", "change"];
            a.extend_from_slice(args);
            env.cmd().args(&a).output().unwrap().status.code()
        };
        assert_eq!(code(&["--fail-if-worse", "val_f1"]), Some(3));
        assert_eq!(code(&["--fail-if-worse", "val_f1:0.1"]), Some(0));
        assert_eq!(code(&["--fail-if-worse", "val_f1:1%"]), Some(3));
        assert_eq!(code(&["--fail-if-worse", "val_f1:10%"]), Some(0));
        // Lower loss is better: the change passes.
        assert_eq!(code(&["--fail-if-worse", "val_loss"]), Some(0));
        let out = env
            .cmd()
            .args(["compare", "base", "change", "--fail-if-worse", "val_f1"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("val_f1: run 'change/version_0' is worse than 'base/version_0'"),
            "{err}"
        );
        // A gate that cannot be evaluated fails.
        assert_eq!(code(&["--fail-if-worse", "nope"]), Some(3));
        assert_eq!(code(&["--fail-if-worse", "val_f1:x"]), Some(2));
    }
}

on_both! {
    fn run_references_and_errors(env) {
        two_runs(env);
        let out = env.cmd().args(["compare", "base"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "one run is not a comparison");
        let j: serde_json::Value =
            serde_json::from_str(&env.ok(&["compare", "@latest~1", "@latest", "--json"])).unwrap();
        assert_eq!(
            j["runs"],
            serde_json::json!(["base/version_0", "change/version_0"])
        );
        let out = env
            .cmd()
            .args(["compare", "base", "nope"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("'base/version_0', 'change/version_0'"),
            "{err}"
        );
    }
}

fn jsonl(path: &Path, first_step: i64, scale: f64) {
    let mut s = String::new();
    for i in 0..30 {
        let loss = scale * (1.0 + (-(i as f64) / 8.0).exp());
        s.push_str(&format!(
            "{{\"step\": {}, \"loss\": {loss}}}\n",
            first_step + i
        ));
    }
    std::fs::write(path, s).unwrap();
}

on_both! {
    fn relative_alignment_and_values_at_a_step(env) {
        let (a, b) = (
            env.dir.path().join("a.jsonl"),
            env.dir.path().join("b.jsonl"),
        );
        jsonl(&a, 0, 1.0);
        jsonl(&b, 1000, 0.5);
        env.ok(&["import", "--run", "fresh", a.to_str().unwrap()]);
        env.ok(&["import", "--run", "resumed", b.to_str().unwrap()]);
        let out = env
            .cmd()
            .args(["compare", "fresh", "resumed", "--at", "5"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "no shared step 5 when aligned by step"
        );
        let j: serde_json::Value = serde_json::from_str(&env.ok(&[
            "compare", "fresh", "resumed", "--by", "relative", "--at", "5", "--json",
        ]))
        .unwrap();
        let runs = &j["metrics"][0]["runs"];
        let at0 = runs[0]["at"].as_f64().unwrap();
        let at1 = runs[1]["at"].as_f64().unwrap();
        assert!((at0 - 2.0 * at1).abs() < 1e-9, "{at0} vs {at1}");
        assert_eq!(runs[1]["better"], true);
        assert_eq!(j["align"], "relative");
    }
}

on_both! {
    fn real_runs_match_through_the_registry(env) {
        env.ok(&["import", real_logs().to_str().unwrap()]);
        let j: serde_json::Value =
            serde_json::from_str(&env.ok(&["compare", "hf/", "lightning/", "--json"])).unwrap();
        let f1 = j["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "eval_f1")
            .unwrap();
        assert_eq!(
            f1["runs"][1]["metric"], "val_f1",
            "eval_f1 (HF) meets val_f1 (Lightning)"
        );
        assert_eq!(f1["runs"].as_array().unwrap().len(), 2);
    }
}
