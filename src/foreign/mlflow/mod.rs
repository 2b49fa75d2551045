//! MLflow's local stores: the file store (`mlruns/EXPERIMENT_ID/RUN_ID/`, one directory per
//! run, read by [`files`]) and the SQLite tracking database (`mlflow.db`, every run in one
//! file, read by [`database`]).
//!
//! Both are named alike: one run here per MLflow run, `EXPERIMENT/RUN_NAME`, its run name being
//! MLflow's (`run_name`, else tag `mlflow.runName`, else the run id). Where one experiment holds
//! several live runs of one name, each is told apart by the start of its run id, so a run's
//! name depends only on the store, not on the path it was reached by. Params are params; tags
//! go under the params key `tags` (`mlflow.tags` when a param is itself named `tags`), less
//! `mlflow.log-model.history` (a bulky record of logged models, not a setting). Deleted runs
//! (`lifecycle_stage: deleted`, or an experiment moved to `.trash`) are not imported, and
//! each is reported as skipped.

pub mod database;
pub mod files;

use serde_json::{Map, Value};
use std::collections::HashMap;

/// The tag that holds the run's name in older MLflow, where the run itself has none.
const RUN_NAME_TAG: &str = "mlflow.runName";

/// Tags not kept: MLflow's record of the models a run logged, bulky JSON that is no setting.
const TAGS_LEFT_OUT: &[&str] = &["mlflow.log-model.history"];

/// How many characters of a run id tell apart runs that share a name.
const ID_CHARS: usize = 8;

/// One run as MLflow knows it, before it is named here.
#[derive(Debug, Clone)]
struct RunInfo {
    experiment: String,
    /// MLflow's run name (empty when it has none).
    name: String,
    id: String,
}

impl RunInfo {
    /// The run's own name: MLflow's run name, else its id.
    fn shown(&self) -> &str {
        match self.name.is_empty() {
            true => &self.id,
            false => &self.name,
        }
    }
}

/// Each run's full name, in the order given: `EXPERIMENT/NAME`, or `EXPERIMENT/NAME-ID8` where
/// that experiment holds several runs of one name.
fn full_names(runs: &[RunInfo]) -> Vec<String> {
    let mut count: HashMap<(&str, &str), usize> = HashMap::new();
    for r in runs {
        *count.entry((&r.experiment, r.shown())).or_default() += 1;
    }
    runs.iter()
        .map(|r| {
            let base = format!("{}/{}", r.experiment, r.shown());
            match count[&(r.experiment.as_str(), r.shown())] {
                1 => base,
                _ => format!("{base}-{}", r.id.chars().take(ID_CHARS).collect::<String>()),
            }
        })
        .collect()
}

/// A run's params with its tags added under `tags` (or `mlflow.tags` when a param is named
/// `tags`), less the tags left out. `None` when there is neither.
fn with_tags(
    mut params: Map<String, Value>,
    tags: Map<String, Value>,
) -> Option<Map<String, Value>> {
    let tags: Map<String, Value> = tags
        .into_iter()
        .filter(|(k, _)| !TAGS_LEFT_OUT.contains(&k.as_str()))
        .collect();
    if !tags.is_empty() {
        let key = match params.contains_key("tags") {
            true => "mlflow.tags",
            false => "tags",
        };
        params.insert(key.to_string(), Value::Object(tags));
    }
    (!params.is_empty()).then_some(params)
}

/// A YAML or database scalar as text (`run_name: 123` is the name `123`).
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(experiment: &str, name: &str, id: &str) -> RunInfo {
        RunInfo {
            experiment: experiment.into(),
            name: name.into(),
            id: id.into(),
        }
    }

    #[test]
    fn runs_sharing_a_name_in_one_experiment_are_told_apart_by_their_id() {
        let runs = [
            info("a", "base", "0123456789abcdef"),
            info("a", "base", "fedcba9876543210"),
            info("b", "base", "aaaaaaaaaaaaaaaa"),
            info("b", "", "bbbbbbbbbbbbbbbb"),
        ];
        assert_eq!(
            full_names(&runs),
            [
                "a/base-01234567",
                "a/base-fedcba98",
                "b/base",
                "b/bbbbbbbbbbbbbbbb"
            ]
        );
    }

    #[test]
    fn tags_go_under_tags_and_never_over_a_param() {
        let mut params = Map::new();
        params.insert("lr".into(), "0.1".into());
        let mut tags = Map::new();
        tags.insert("mlflow.user".into(), "x".into());
        tags.insert("mlflow.log-model.history".into(), "[...]".into());
        let out = with_tags(params.clone(), tags.clone()).unwrap();
        assert_eq!(out["tags"], serde_json::json!({"mlflow.user": "x"}));
        params.insert("tags".into(), "mine".into());
        let out = with_tags(params, tags).unwrap();
        assert_eq!(out["tags"], "mine");
        assert_eq!(out["mlflow.tags"]["mlflow.user"], "x");
        assert!(with_tags(Map::new(), Map::new()).is_none());
    }
}
