//! `tracker defs list | show ID | check [DIR] | resolve NAME`.

use super::output;
use crate::defs::{self, Registry};
use anyhow::{Result, anyhow};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// List the definitions: id, name, direction, where it came from, aliases
    List {
        /// Print JSON: an array of definitions
        #[arg(long)]
        json: bool,
    },
    /// Show one definition: description, what to look for, example curves, hints
    Show {
        /// The definition's id (see `tracker defs list`)
        id: String,
        /// Print the definition as JSON
        #[arg(long)]
        json: bool,
    },
    /// Validate the shipped definitions and DIR (default: --defs / TRACKER_DEFS)
    Check {
        /// A directory of .yaml / .md definitions
        dir: Option<PathBuf>,
    },
    /// Explain how a logged metric name resolves to a definition
    Resolve {
        /// A logged name, e.g. val_f1_macro or train/loss
        name: String,
        /// Print JSON: {"name", "definition", "split", "average", "granularity", "steps"}
        #[arg(long)]
        json: bool,
    },
}

/// The registry: shipped definitions plus the user's directory. Warnings go to stderr.
pub fn registry(dir: Option<&Path>) -> Result<Registry> {
    let r = Registry::load(dir).map_err(|e| anyhow!("{e}"))?;
    for w in r.warnings() {
        eprintln!("{w}");
    }
    Ok(r)
}

/// Classify every example curve of every definition; returns how many were checked and a line
/// for each that did not get its own label.
pub fn check_examples(r: &Registry) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (d, key, expected, points) in r.examples() {
        if points.is_empty() {
            continue;
        }
        checked += 1;
        let steps: Vec<i64> = points.iter().map(|p| p.step).collect();
        let values: Vec<f64> = points.iter().map(|p| p.value).collect();
        let spec = crate::diagnose::spec(Some(d), &d.id);
        let got = crate::classify::classify(&steps, &values, &spec);
        if got.verdict != expected {
            wrong.push(format!(
                "{}: example '{key}' should be {} but is classified {}: {}",
                d.origin.file.display(),
                expected.as_str(),
                got.verdict,
                got.reason
            ));
        }
    }
    (checked, wrong)
}

pub fn run(dir: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let dir = dir.map(PathBuf::as_path);
    match a.command {
        Command::List { json } => {
            let r = registry(dir)?;
            if json {
                output::json(&r.definitions())?;
            } else {
                print!("{}", defs::text(|o| defs::render_list(o, &r)));
            }
        }
        Command::Show { id, json } => {
            let r = registry(dir)?;
            let d = r.get(&id).ok_or_else(|| {
                let ids: Vec<&str> = r.definitions().iter().map(|d| d.id.as_str()).collect();
                anyhow!("no definition '{id}'; definitions: {}", ids.join(", "))
            })?;
            if json {
                output::json(d)?;
            } else {
                print!("{}", defs::text(|o| defs::render_show(o, d)));
            }
        }
        Command::Check { dir: given } => {
            let dir = given.as_deref().or(dir);
            let report = defs::check(dir);
            let text = defs::text(|o| defs::render_check(o, &report));
            if !report.is_ok() {
                let _ = std::io::stdout().flush();
                eprint!("{text}");
                return Ok(ExitCode::FAILURE);
            }
            print!("{text}");
            let r = Registry::load(dir).map_err(|e| anyhow!("{e}"))?;
            let (checked, wrong) = check_examples(&r);
            for w in &wrong {
                eprintln!("{w}");
            }
            println!(
                "{checked} example curves classified: {} got their own label, {} did not",
                checked - wrong.len(),
                wrong.len()
            );
            if !wrong.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Resolve { name, json } => {
            let r = registry(dir)?;
            let res = r.resolve(&name);
            if json {
                output::json(&res)?;
            } else {
                print!("{}", defs::text(|o| defs::render_resolution(o, &res)));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
