//! Files beside a log that say more about its run: Lightning's `hparams.yaml` (the run's
//! params) and the Hugging Face Trainer's `trainer_state.json` (the global steps its console
//! log leaves out).

use crate::defs::yaml;
use crate::ingest::{hf_log, hf_state};
use std::path::{Path, PathBuf};

/// Run params: the parameters of the file's run found beside it.
pub type Params = serde_json::Map<String, serde_json::Value>;

/// The `hparams.yaml` beside `path` as run params: `Ok(None)` when there is none, `Err` with
/// what is wrong when it cannot be read or is not a mapping (it is then left out).
pub fn hparams(path: &Path) -> Result<Option<Params>, String> {
    let Some(file) = path.parent().map(|d| d.join("hparams.yaml")) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: cannot read it ({e})", file.display())),
    };
    match yaml::to_json(&text) {
        Ok(serde_json::Value::Object(m)) => Ok(Some(m)),
        Ok(serde_json::Value::Null) => Ok(None),
        Ok(_) => Err(format!(
            "{}: it is not a mapping of names to values",
            file.display()
        )),
        Err(e) => Err(format!("{}: {e}", file.display())),
    }
}

/// The steps of the `trainer_state.json` beside an HF console log (or in its newest
/// `checkpoint-*/`), so the log's points land on the same steps.
pub fn hf_reference(log: &Path) -> Option<Vec<hf_log::Reference>> {
    let bytes = std::fs::read(hf_reference_file(log)?).ok()?;
    hf_state::reference(&bytes).ok()
}

/// The `trainer_state.json` an HF console log takes its steps from: the one beside it, else
/// the newest `checkpoint-*/`'s.
pub fn hf_reference_file(log: &Path) -> Option<PathBuf> {
    let dir = log.parent()?;
    let mut candidates = vec![dir.join("trainer_state.json")];
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut cps: Vec<(u64, PathBuf)> = rd
            .filter_map(Result::ok)
            .filter_map(|e| {
                let n = e
                    .file_name()
                    .to_string_lossy()
                    .strip_prefix("checkpoint-")?
                    .parse()
                    .ok()?;
                Some((n, e.path().join("trainer_state.json")))
            })
            .collect();
        cps.sort_by_key(|c| std::cmp::Reverse(c.0));
        candidates.extend(cps.into_iter().map(|c| c.1));
    }
    candidates.into_iter().find(|p| p.is_file())
}
