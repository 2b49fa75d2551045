//! Weights & Biases run directories (`wandb/run-DATE-ID/`, `wandb/offline-run-DATE-ID/`): the
//! binary transaction log `run-ID.wandb` the SDK writes whether online or offline, read as it
//! is left (a run still being written ends in a partial record, reported and left out).
//! `files/output.log` is the run's console: the same run, not read again. The summary
//! (`wandb-summary.json`, summary records) holds final values, never extra points.

pub mod legacy;
pub mod log;
pub mod proto;

use super::Sink;
use crate::model::{Location, RunKey};
use crate::{Error, Result};
use prost::Message;
use serde_json::{Map, Value};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Whether `dir` is a W&B run directory: named `run-*`, `offline-run-*` (or `dryrun-*`, as
/// SDKs before 0.10 named offline runs), holding a transaction log, a history file, or the
/// `files/wandb-metadata.json` every run writes (a run directory kept without its binary log,
/// as repositories often commit them: its console is then its only record).
pub fn is_run_dir(dir: &Path) -> bool {
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return false;
    };
    ["run-", "offline-run-", "dryrun-"]
        .iter()
        .any(|p| name.starts_with(p))
        && (log_file(dir).is_some()
            || legacy::history_file(dir).is_some()
            || dir.join("files").join(METADATA).is_file())
}

/// The file of run metadata (host, program, start time) W&B writes in every run's `files/`.
const METADATA: &str = "wandb-metadata.json";

/// Whether `dir` is W&B's own directory (`wandb/`, holding run directories). Besides them it
/// holds `latest-run` (a link to the newest run, or a copy of it where links were not kept)
/// and `debug*.log` (the newest run's own logs): not runs of their own.
pub fn is_wandb_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| e.file_name() != "latest-run" && is_run_dir(&e.path()))
    })
}

/// Whether the entry `name` of W&B's own directory is one of its pointers to the newest run.
pub fn is_pointer(name: &str) -> bool {
    name == "latest-run" || (name.starts_with("debug") && name.ends_with(".log"))
}

/// The run's transaction log in `dir`: its `*.wandb` file that starts with the log's header.
pub fn log_file(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wandb") && p.is_file())
        .filter(|p| {
            let mut head = [0u8; log::FILE_HEADER_LEN];
            std::fs::File::open(p)
                .and_then(|mut f| f.read_exact(&mut head))
                .is_ok()
                && log::is_log(&head)
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// The run's id from its directory's name (`run-DATE-ID`), the part after the last `-`.
fn dir_id(dir: &Path) -> Option<String> {
    let name = dir.file_name()?.to_string_lossy().into_owned();
    Some(name.rsplit('-').next()?.to_string())
}

/// W&B's name for the run in `dir`: its display name, else its id.
pub fn run_name(dir: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let run = log_file(&dir).and_then(|p| first_run_record(&p));
    let id = run
        .as_ref()
        .map(|r| r.run_id.clone())
        .filter(|s| !s.is_empty())
        .or_else(|| dir_id(&dir))?;
    match run.map(|r| r.display_name).filter(|s| !s.trim().is_empty()) {
        Some(name) => Some(name),
        None => Some(id),
    }
}

/// The first run record of a log (written at the run's start).
fn first_run_record(path: &Path) -> Option<proto::RunRecord> {
    let mut found = None;
    let _ = stream(
        path,
        &mut |_, payload| {
            if let Ok(r) = proto::Record::decode(payload)
                && let Some(run) = r.run
            {
                found = Some(run);
                return false;
            }
            true
        },
        &mut |_, _| {},
    );
    found
}

/// Read `path` block by block, handing each payload (with its offset) to `each` until it
/// returns `false`, and each damaged piece to `damage`.
fn stream(
    path: &Path,
    each: &mut dyn FnMut(u64, &[u8]) -> bool,
    damage: &mut dyn FnMut(u64, &'static str),
) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = log::Reader::new();
    let mut buf = Vec::with_capacity(log::BLOCK);
    let mut items = Vec::new();
    let mut index = 0u64;
    loop {
        buf.clear();
        let got = (&mut file)
            .take(log::BLOCK as u64)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(path, e))?;
        if index == 0 && !log::is_log(&buf[..got]) {
            damage(0, "not a W&B transaction log (no ':W&B' header)");
            return Ok(());
        }
        reader.block(index, &buf[..got], &mut items);
        if got < log::BLOCK {
            reader.finish(&mut items);
        }
        for item in items.drain(..) {
            match item {
                log::Item::Payload(at, p) => {
                    if !each(at, &p) {
                        return Ok(());
                    }
                }
                log::Item::Damage(at, why) => damage(at, why),
            }
        }
        if got < log::BLOCK {
            return Ok(());
        }
        index += 1;
    }
}

/// Read the run in `dir` into the sink's default run: every number of its history at its
/// step, its config and tags as params. A run whose history holds no numbers (a job that
/// only printed its metrics) is read from its console: the output its log holds, else
/// `files/output.log`.
pub fn read(dir: &Path, sink: &mut Sink<'_>) -> Result<()> {
    let run = sink.batch.run(RunKey::Default);
    let mut params = Map::new();
    let mut pushed = 0;
    let mut console = Vec::new();
    let history = legacy::history_file(dir);
    let log = log_file(dir);
    match &log {
        Some(path) => pushed += read_log(path, run, sink, &mut params, &mut console)?,
        None if history.is_none() && !legacy::has_console(dir) => sink.batch.skip(
            Location::Whole,
            "no W&B transaction log (run-ID.wandb), wandb-history.jsonl or files/output.log",
        ),
        None => {}
    }
    if pushed == 0
        && let Some(history) = history
    {
        pushed += legacy::read_history(&history, sink)?;
    }
    if pushed == 0 {
        match &log {
            Some(log) if !console.is_empty() => {
                legacy::read_console(&mut console.as_slice(), log, sink)?
            }
            _ => legacy::read_output_log(dir, sink)?,
        }
    }
    if params.is_empty() {
        params = legacy::config(dir);
    }
    if !params.is_empty() {
        sink.batch.params.push((run, params));
    }
    Ok(())
}

/// Read the transaction log at `path`: its history into `run`, its config and tags into
/// `params`, its console output into `console` while the history holds no numbers. Returns
/// how many values it pushed.
fn read_log(
    path: &Path,
    run: u32,
    sink: &mut Sink<'_>,
    params: &mut Map<String, Value>,
    console: &mut Vec<u8>,
) -> Result<usize> {
    let mut skips = Vec::new();
    let mut damaged = Vec::new();
    let mut failed = None;
    let mut pushed = 0;
    stream(
        path,
        &mut |at, payload| {
            let record = match proto::Record::decode(payload) {
                Ok(r) => r,
                Err(e) => {
                    skips.push((at, format!("record not decodable ({e})")));
                    return true;
                }
            };
            if let Some(h) = record.history {
                pushed += history(&h, at, run, sink, &mut skips);
                if let Err(e) = sink.flush_at(super::FLUSH_POINTS) {
                    failed = Some(e);
                    return false;
                }
            }
            if let Some(r) = record.run {
                config(r.config.iter().flat_map(|c| &c.update), params);
                if !r.tags.is_empty() {
                    params.insert(
                        "tags".into(),
                        r.tags.iter().cloned().map(Value::from).collect(),
                    );
                }
            }
            if let Some(c) = record.config {
                config(&c.update, params);
            }
            if pushed == 0 {
                for out in [record.output, record.output_raw].into_iter().flatten() {
                    console.extend_from_slice(out.line.as_bytes());
                }
            } else {
                console.clear();
            }
            true
        },
        &mut |at, why| damaged.push((at, why.to_string())),
    )?;
    if let Some(e) = failed {
        return Err(e);
    }
    skips.extend(damaged);
    skips.sort_by_key(|s| s.0);
    for (at, why) in skips {
        sink.batch.skip(Location::Offset(at), why);
    }
    Ok(pushed)
}

/// The key an item names: its key, or its nested key joined with `/`.
fn key_of(item: &proto::Item) -> String {
    if item.nested_key.is_empty() {
        item.key.clone()
    } else {
        item.nested_key.join("/")
    }
}

/// A JSON value as the SDK writes it (`NaN`, `Infinity` accepted).
fn json(text: &str) -> Option<Value> {
    super::parse_json(Path::new("value_json"), text.as_bytes()).ok()
}

/// Config items into params: a `{desc, value}` pair gives its value; `_wandb` is left out.
fn config<'a>(items: impl IntoIterator<Item = &'a proto::Item>, params: &mut Map<String, Value>) {
    for item in items {
        let key = key_of(item);
        if key == "_wandb" || key.starts_with("_wandb/") {
            continue;
        }
        let Some(mut v) = json(&item.value_json) else {
            continue;
        };
        if let Some(inner) = v.as_object_mut().and_then(|o| o.remove("value")) {
            v = inner;
        }
        params.insert(key, v);
    }
}

/// Push one history record's numbers; `_step` is its step, `_timestamp` its wall time,
/// `_runtime` not a metric. Strings and media are not metrics either.
fn history(
    h: &proto::HistoryRecord,
    at: u64,
    run: u32,
    sink: &mut Sink<'_>,
    skips: &mut Vec<(u64, String)>,
) -> usize {
    let mut step = h.step.as_ref().map(|s| s.num);
    let mut wall = None;
    let mut values = Vec::new();
    for item in &h.item {
        let key = key_of(item);
        let Some(v) = json(&item.value_json) else {
            skips.push((at, format!("'{key}': value not JSON")));
            continue;
        };
        match key.as_str() {
            "_step" => step = v.as_i64().or(step),
            "_timestamp" => wall = v.as_f64(),
            "_runtime" => {}
            _ => flatten(&key, &v, &mut values),
        }
    }
    let Some(step) = step else {
        if !values.is_empty() {
            skips.push((at, "history record without a step".into()));
        }
        return 0;
    };
    let pushed = values.len();
    for (name, value) in values {
        let metric = sink.batch.metric(&name);
        sink.batch
            .push_at(run, metric, step, value, wall, Location::Offset(at));
    }
    pushed
}

/// The numbers of a value: itself, or a dict's numbers under `key/sub`.
pub(crate) fn flatten(key: &str, v: &Value, out: &mut Vec<(String, f64)>) {
    match v {
        Value::Object(o) if !o.contains_key("_type") => {
            for (k, sub) in o {
                flatten(&format!("{key}/{k}"), sub, out);
            }
        }
        Value::Number(_) | Value::String(_) => {
            if let Some(x) = super::value_of(v)
                && (v.is_number() || !x.is_finite())
            {
                out.push((key.to_string(), x));
            }
        }
        _ => {}
    }
}
