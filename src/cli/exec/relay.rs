//! `tracker exec-relay SPOOL -- COMMAND...` (hidden): the output relay `tracker exec` starts
//! (see [`crate::relay`]). When the command has ended and the recorder that started it is
//! gone (killed), the relay records the rest of the spool and how the command ended.

use super::record::Recording;
use super::{PATIENCE, describe, end_run};
use crate::relay::{End, Spool};
use crate::store::{Store, WriterId};
use anyhow::Result;
use std::ffi::OsString;
use std::os::unix::process::parent_id;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct RelayArgs {
    /// The spool directory `tracker exec` made
    spool: PathBuf,
    /// The command and its arguments (after --)
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    command: Vec<OsString>,
}

pub fn run(a: RelayArgs) -> Result<ExitCode> {
    let spool = Spool::open(&a.spool);
    let recorder = parent_id();
    let end = crate::relay::run(&spool, &a.command);
    if parent_id() != recorder {
        catch_up(&spool, &end);
    }
    Ok(ExitCode::from(end.code().clamp(0, 255) as u8))
}

/// The recorder is gone: record what it had not, and how the command ended.
fn catch_up(spool: &Spool, end: &End) {
    let kept = || {
        eprintln!(
            "tracker: the command's output is kept in {}",
            spool.dir().display()
        );
    };
    let Ok(job) = spool.job() else {
        return kept();
    };
    let mut store = match Store::open(&job.db) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tracker: tracker exec was stopped and the run cannot be recorded: {e}");
            return kept();
        }
    };
    let _ = store.claim_run(&job.run, &WriterId::current());
    let mut rec = Recording::new(&store, spool, &job);
    let done = rec.finish(&mut store, &mut None, PATIENCE, || false);
    if let Err(e) = rec.close(&mut store, done) {
        eprintln!("tracker: {e:#}");
    }
    let (mut run_end, _) = describe(Some(end), None, job.started);
    run_end.detail += &format!(
        "; recorded by the output relay (tracker exec, pid {}, was gone)",
        job.recorder
    );
    let source = format!("exec: {}", job.command);
    if end_run(&mut store, &job.run, &source, &run_end, || false) && done {
        let _ = spool.remove();
    } else {
        kept();
    }
}
