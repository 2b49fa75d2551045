//! `tracker runs`, `show`, `rm`, `rename`.

use super::{open_reader, open_store, output};
use anyhow::{Result, anyhow, bail};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print JSON: an array of runs
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The run: full name, unique prefix, @latest or @latest~N
    run: String,
    /// Print JSON: {"run": NAME, "metrics": [...], "params": {...}, "history": [...]}
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct RmArgs {
    /// The runs to delete, by exact name (no prefixes, no @latest); a glob such as 'sweep/*'
    /// deletes every run it matches, with --yes
    #[arg(required = true, value_name = "RUN")]
    runs: Vec<String>,
    /// Delete every run a glob matches
    #[arg(long)]
    yes: bool,
}

#[derive(Debug, clap::Args)]
pub struct RenameArgs {
    /// The run to rename (full name, unique prefix, @latest or @latest~N)
    old: String,
    /// Its new name
    new: String,
}

pub fn list(db: Option<&PathBuf>, a: ListArgs) -> Result<ExitCode> {
    let store = open_reader(db)?;
    let runs = store.runs()?;
    if a.json {
        output::json(&runs)?;
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        eprintln!("no runs yet: import some logs with `tracker import PATH`");
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.metrics.to_string(),
                r.points.to_string(),
                r.last_step.map_or("-".into(), |s| s.to_string()),
                output::time(r.created),
                r.source.clone(),
            ]
        })
        .collect();
    output::table(
        &["RUN", "METRICS", "POINTS", "LAST STEP", "CREATED", "SOURCE"],
        &rows,
        &[1, 2, 3],
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn show(db: Option<&PathBuf>, a: ShowArgs) -> Result<ExitCode> {
    let store = open_reader(db)?;
    let name = store.resolve_run(&a.run)?;
    let d = store.run_detail(&name)?;
    if a.json {
        output::json(&serde_json::json!({
            "run": d.summary.name,
            "created": d.summary.created,
            "source": d.summary.source,
            "status": d.summary.status,
            "params": d.params,
            "metrics": d.metrics.iter().map(|m| serde_json::json!({
                "metric": m.metric,
                "points": m.points,
                "first_step": m.first_step,
                "last_step": m.last_step,
                "last": json_value(m.last),
                "min": m.min,
                "max": m.max,
                "non_finite": m.non_finite,
            })).collect::<Vec<_>>(),
            "history": d.history,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = anstream::stdout().lock();
    let (h, hr) = (output::HEADER, output::HEADER);
    writeln!(out, "{h}run{hr:#}      {}", d.summary.name)?;
    writeln!(out, "{h}created{hr:#}  {}", output::time(d.summary.created))?;
    writeln!(out, "{h}source{hr:#}   {}", d.summary.source)?;
    writeln!(out, "{h}status{hr:#}   {}", d.summary.status)?;
    if let Some(p) = d.params.as_object().filter(|p| !p.is_empty()) {
        let shown: Vec<String> = p.iter().map(|(k, v)| format!("{k}={v}")).collect();
        writeln!(out, "{h}params{hr:#}   {}", shown.join(" "))?;
    }
    writeln!(out)?;
    drop(out);
    let rows: Vec<Vec<String>> = d
        .metrics
        .iter()
        .map(|m| {
            vec![
                m.metric.clone(),
                m.points.to_string(),
                m.first_step.to_string(),
                m.last_step.to_string(),
                output::format_value(m.last),
                m.min.map_or("-".into(), output::format_value),
                m.max.map_or("-".into(), output::format_value),
                m.non_finite.to_string(),
            ]
        })
        .collect();
    output::table(
        &[
            "METRIC",
            "POINTS",
            "FIRST STEP",
            "LAST STEP",
            "LAST",
            "MIN",
            "MAX",
            "NON-FINITE",
        ],
        &rows,
        &[1, 2, 3, 4, 5, 6, 7],
    )?;
    if !d.history.is_empty() {
        let mut out = anstream::stdout().lock();
        writeln!(out, "\n{h}history{hr:#}")?;
        for e in &d.history {
            let (w, wr) = if e.kind == "restart" {
                (output::WARN, output::WARN)
            } else {
                (anstyle::Style::new(), anstyle::Style::new())
            };
            writeln!(
                out,
                "  {}  {w}{:<8}{wr:#} {}{}",
                output::time(e.time),
                e.kind,
                e.source
                    .as_deref()
                    .map_or(String::new(), |s| format!("{s}: ")),
                e.detail.as_deref().unwrap_or("")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn json_value(v: f64) -> serde_json::Value {
    if v.is_finite() {
        serde_json::json!(v)
    } else {
        serde_json::json!(output::format_value(v))
    }
}

pub fn rm(db: Option<&PathBuf>, a: RmArgs) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    let names = store.run_names()?;
    // Every argument is checked before anything is deleted.
    let mut doomed: Vec<&str> = Vec::new();
    for arg in &a.runs {
        for name in rm_targets(&names, arg, a.yes)? {
            if !doomed.contains(&name) {
                doomed.push(name);
            }
        }
    }
    for name in doomed {
        let n = store.delete_run(name)?;
        eprintln!("deleted run '{name}' ({})", output::count(n, "point"));
    }
    Ok(ExitCode::SUCCESS)
}

/// The runs `arg` deletes: the run of exactly that name, else the runs a glob matches (only
/// with `yes`).
fn rm_targets<'n>(names: &'n [String], arg: &str, yes: bool) -> Result<Vec<&'n str>> {
    if let Some(n) = names.iter().find(|n| *n == arg) {
        return Ok(vec![n]);
    }
    let listed = |runs: &[&str]| runs.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>();
    if arg.contains(['*', '?', '[']) {
        let pattern = glob::Pattern::new(arg).map_err(|e| anyhow!("'{arg}': not a glob: {e}"))?;
        let hits: Vec<&str> = names
            .iter()
            .filter(|n| pattern.matches(n))
            .map(String::as_str)
            .collect();
        if hits.is_empty() {
            bail!("no run matches '{arg}'; `tracker runs` lists them");
        }
        if !yes {
            bail!(
                "'{arg}' matches {} run{}: {}; add --yes to delete {}",
                hits.len(),
                if hits.len() == 1 { "" } else { "s" },
                listed(&hits).join(", "),
                if hits.len() == 1 { "it" } else { "them all" }
            );
        }
        return Ok(hits);
    }
    let near: Vec<&str> = names
        .iter()
        .filter(|n| n.starts_with(arg))
        .map(String::as_str)
        .collect();
    match near.len() {
        0 => bail!("no run named '{arg}'; `tracker runs` lists them"),
        _ => bail!(
            "no run named '{arg}': rm takes exact names (or a glob with --yes); did you mean {}?",
            listed(&near).join(", ")
        ),
    }
}

pub fn rename(db: Option<&PathBuf>, a: RenameArgs) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    let name = store.resolve_run(&a.old)?;
    store.rename_run(&name, &a.new)?;
    eprintln!("renamed '{name}' to '{}'", a.new);
    Ok(ExitCode::SUCCESS)
}
