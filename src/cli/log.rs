//! `tracker log --run NAME --step N key=value...`: log from a shell script.

use super::open_store;
use crate::Logger;
use crate::ingest::number;
use anyhow::{Result, bail};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The run to log into (created if it does not exist)
    #[arg(long, value_parser = super::run_name_arg)]
    run: String,
    /// The step these values belong to
    #[arg(long, allow_negative_numbers = true)]
    step: i64,
    /// Values as key=value (`loss=0.42`, `val_f1=0.81`; `nan` and `inf` are accepted)
    #[arg(required = true, value_name = "KEY=VALUE")]
    values: Vec<String>,
}

pub fn run(db: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let mut values = Vec::with_capacity(a.values.len());
    for kv in &a.values {
        let Some((k, v)) = kv.split_once('=') else {
            bail!("'{kv}': expected KEY=VALUE, e.g. loss=0.42");
        };
        let k = k.trim();
        if k.is_empty() {
            bail!("'{kv}': the key is empty; expected KEY=VALUE, e.g. loss=0.42");
        }
        let Some(x) = number::parse(v) else {
            bail!("'{kv}': '{v}' is not a number; expected KEY=VALUE, e.g. loss=0.42");
        };
        values.push((k, x));
    }
    let store = open_store(db)?;
    let mut logger = Logger::with_store(store, &a.run);
    logger.log(a.step, &values)?;
    logger.flush()?;
    Ok(ExitCode::SUCCESS)
}
