//! The wild logs (../shared/wild-logs, see its README): real training logs from public
//! repositories, each imported the way a user of its framework would expect. TensorBoard event
//! files (08, 09, 10, 23, 26) are not covered here.
//!
//! - [`structured`]: `trainer_state.json`, CSV and JSONL files.
//! - [`text`]: console and logging output (plain lines, Hugging Face Trainer dicts).

mod structured;
mod text;

use crate::util::{Env, needs_wild_logs, pairs, wild_logs};
use serde_json::Value;
use std::path::PathBuf;

/// The log file of a wild-log directory such as `12_emonet_tcn_kvlog`.
pub fn wild(dir: &str) -> PathBuf {
    let d = wild_logs().join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{}: one log expected", d.display());
    files.remove(0)
}

/// One wild log imported on its own into a fresh database.
pub struct Imported {
    pub env: Env,
    pub stderr: String,
}

pub fn import(dir: &str) -> Imported {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["import", wild(dir).to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{dir}: {stderr}");
    Imported { env, stderr }
}

impl Imported {
    pub fn runs(&self) -> Vec<String> {
        self.env.run_names()
    }

    pub fn metrics(&self, run: &str) -> Vec<Value> {
        self.env.show(run)["metrics"].as_array().unwrap().clone()
    }

    pub fn names(&self, run: &str) -> Vec<String> {
        self.metrics(run)
            .iter()
            .map(|m| m["metric"].as_str().unwrap().to_string())
            .collect()
    }

    pub fn metric(&self, run: &str, name: &str) -> Value {
        let all = self.metrics(run);
        all.iter()
            .find(|m| m["metric"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{run}: no metric {name} in {:?}", self.names(run)))
    }

    /// Assert a curve's point count and first and last step.
    pub fn curve(&self, run: &str, name: &str, points: u64, first: i64, last: i64) -> &Self {
        let m = self.metric(run, name);
        assert_eq!(
            (
                m["points"].as_u64(),
                m["first_step"].as_i64(),
                m["last_step"].as_i64()
            ),
            (Some(points), Some(first), Some(last)),
            "{run}/{name}: points, first and last step"
        );
        self
    }

    /// Assert the first and last (step, value) of a curve.
    pub fn ends(&self, run: &str, name: &str, first: (i64, f64), last: (i64, f64)) -> &Self {
        let p = pairs(&self.env.series(run, name));
        assert_eq!(
            (p[0], p[p.len() - 1]),
            (first, last),
            "{run}/{name}: first and last point"
        );
        self
    }

    pub fn value(&self, run: &str, name: &str, step: i64) -> f64 {
        let s = self.env.series(run, name);
        let i = s.steps.iter().position(|&x| x == step);
        s.values[i.unwrap_or_else(|| panic!("{run}/{name}: no step {step}"))]
    }

    pub fn absent(&self, run: &str, names: &[&str]) -> &Self {
        let have = self.names(run);
        for n in names {
            assert!(
                !have.iter().any(|h| h == n),
                "{run}: {n} should not be a metric"
            );
        }
        self
    }

    pub fn restarts(&self, run: &str) -> Vec<Value> {
        self.env.show(run)["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "restart")
            .cloned()
            .collect()
    }

    /// Nothing skipped, no restart: a clean import of one run.
    pub fn clean(&self, run: &str) -> &Self {
        assert!(!self.stderr.contains("skipped"), "{}", self.stderr);
        assert_eq!(self.restarts(run), Vec::<Value>::new(), "{run}: restarts");
        self
    }
}

/// The TensorBoard logs, read in another branch.
const TENSORBOARD: &[&str] = &["08_", "09_", "10_", "23_", "26_"];

#[test]
fn the_whole_directory_one_run_per_log() {
    needs_wild_logs!();
    let env = Env::new();
    let root = wild_logs();
    let out = env
        .cmd()
        .args(["import", root.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Every skipped line is reported as FILE:LINE: reason, and counted.
    let skips: Vec<(String, u64)> = stderr
        .lines()
        .filter_map(|l| {
            let (place, reason) = l.split_once(": ")?;
            let (file, line) = place.rsplit_once(':')?;
            let line: u64 = line.parse().ok()?;
            assert!(!reason.trim().is_empty(), "{l}");
            assert!(std::path::Path::new(file).is_file(), "{l}");
            Some((file.to_string(), line))
        })
        .collect();
    let total = format!("{} lines skipped", skips.len());
    assert!(stderr.contains(&total), "{total}: {stderr}");
    // Outside the TensorBoard logs, only 17's merge-conflict markers and 28's final
    // evaluation, which has no step of its own and repeats the last one.
    let conflict = "17_tetris_rl_merge_conflict_csv/training_log.csv";
    let final_eval = "28_gpt2_lora_custom_kvlog/train.log";
    let mut ours: Vec<(&str, u64)> = skips
        .iter()
        .filter(|(f, _)| !TENSORBOARD.iter().any(|t| f.contains(&format!("/{t}"))))
        .map(|(f, l)| {
            (
                [conflict, final_eval]
                    .into_iter()
                    .find(|k| f.ends_with(k))
                    .unwrap_or(f.as_str()),
                *l,
            )
        })
        .collect();
    ours.sort();
    assert_eq!(
        ours,
        [
            (conflict, 4),
            (conflict, 55),
            (conflict, 2364),
            (final_eval, 1703),
            (final_eval, 1704),
            (final_eval, 1705)
        ],
        "{stderr}"
    );
    let runs: Value = serde_json::from_str(&env.ok(&["runs", "--json"])).unwrap();
    let mut names: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .inspect(|r| assert!(r["points"].as_u64() > Some(0), "{r}"))
        // A log whose file name says something is named DIRECTORY/STEM, as when imported alone.
        .map(|r| r["name"].as_str().unwrap().split('/').next().unwrap())
        .filter(|n| !TENSORBOARD.iter().any(|t| n.starts_with(t)))
        .collect();
    names.sort();
    let mut expected: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !TENSORBOARD.iter().any(|t| n.starts_with(t)))
        .collect();
    expected.push("30_hf_stdout_two_runs-2".into());
    expected.sort();
    assert_eq!(names, expected);
}
