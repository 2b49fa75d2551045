//! `tracker exec [--run NAME] -- COMMAND ARGS...`: run a training command, pass its output
//! through byte for byte, and record the metrics it prints on stdout and stderr.

use super::import::ReadArgs;
use super::live::Live;
use super::open_store;
use super::signals::{self, Signal};
use super::watch::{Failure, Inline, Monitors};
use crate::ingest::Options;
use crate::store::RunEnd;
use anyhow::{Context, Result};
use nix::sys::signal::{Signal as Sig, kill};
use nix::unistd::Pid;
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};

pub const AFTER_HELP: &str = "\
The command's stdout and stderr are passed through unchanged, as they arrive, and parsed as
import would (the format is detected from the first lines of each: Trainer dicts, key=value
lines, JSON lines). PYTHONUNBUFFERED=1 is set unless already set, so Python prints lines as
they happen.

The run (default: the script's name and the start time, `python train.py` →
train-20250102-150405) records the command line, start and end time and exit status; its
status is running, then finished (exit 0), failed, or killed (by a signal). SIGINT and SIGTERM
sent to tracker are passed on to the command; Ctrl-C at the terminal reaches it directly.
tracker exits with the command's status (128 + N when killed by signal N), or 3 when --fail-on
stopped it.";

/// After the command exits, how long its output may still arrive (a child process holding it).
const DRAIN: Duration = Duration::from_secs(2);

/// After --fail-on sent SIGTERM, how long before SIGKILL.
const KILL_AFTER: Duration = Duration::from_secs(10);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The run to record into (default: the script's name and the start time)
    #[arg(long)]
    run: Option<String>,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    watch: Inline,
    /// The command to run and its arguments (after --)
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    command: Vec<OsString>,
}

enum Msg {
    Data(usize, Vec<u8>),
    Closed,
    Signal(Signal),
}

pub fn run(db: Option<&PathBuf>, defs: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let shown = display_command(&a.command);
    let started = chrono::Local::now();
    let clock = Instant::now();
    let name = a
        .run
        .clone()
        .unwrap_or_else(|| default_run_name(&a.command, &started));
    let mut store = open_store(db)?;
    let source = format!("exec: {shown}");
    let mut params = serde_json::Map::new();
    params.insert("command".into(), shown.clone().into());
    params.insert("started".into(), started.to_rfc3339().into());
    store.begin_run(&name, &source, &params, "started")?;
    if std::io::stderr().is_terminal() {
        eprintln!("tracker: recording into run '{name}'");
    }
    let (tx, rx) = mpsc::channel();
    signals::forward(tx.clone(), Msg::Signal).context("installing signal handlers")?;
    let mut cmd = Command::new(&a.command[0]);
    cmd.args(&a.command[1..])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if std::env::var_os("PYTHONUNBUFFERED").is_none() {
        cmd.env("PYTHONUNBUFFERED", "1");
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                127
            } else {
                126
            };
            let detail = format!("cannot run {shown}: {e}");
            let end = ended("failed", code, &clock, detail.clone());
            store.end_run(&name, &source, &end)?;
            eprintln!("error: {detail}");
            return Ok(ExitCode::from(code as u8));
        }
    };
    let pid = Pid::from_raw(child.id() as i32);
    if let Some(out) = child.stdout.take() {
        pump(out, 0, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        pump(err, 1, tx.clone());
    }
    drop(tx);
    let mut monitors = Monitors::inline(&a.watch, defs, false, true)?;
    let options = Options {
        logging_steps: a.read.logging_steps,
        hf_reference: None,
    };
    let mut live = ["stdout", "stderr"].map(|pipe| {
        let mut l = Live::new(
            &format!("{shown} ({pipe})"),
            &name,
            "exec",
            a.read.format,
            options.clone(),
        );
        l.sink.report_skips = false;
        l
    });
    let mut recording = true;
    let mut record = |r: Result<Option<Failure>>| match r {
        Ok(f) => f,
        Err(e) if recording => {
            eprintln!("tracker: no longer recording: {e:#}");
            recording = false;
            None
        }
        Err(_) => None,
    };
    let mut status: Option<ExitStatus> = None;
    let mut exited_at: Option<Instant> = None;
    let mut open_pipes = 2;
    let mut failure: Option<Failure> = None;
    let mut term_sent: Option<Instant> = None;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Msg::Data(i, data)) => {
                live[i].feed(&data);
                let r = live[i].flush(&mut store, &mut monitors);
                record(r.map(|()| None));
            }
            Ok(Msg::Closed) => open_pipes -= 1,
            Ok(Msg::Signal(s)) => {
                // Ctrl-C at the terminal already reached the command (same process group).
                if status.is_none()
                    && !s.from_terminal
                    && let Ok(sig) = Sig::try_from(s.number)
                {
                    let _ = kill(pid, sig);
                }
            }
            Err(_) => {}
        }
        if status.is_none()
            && let Some(st) = child.try_wait().context("waiting for the command")?
        {
            status = Some(st);
            exited_at = Some(Instant::now());
        }
        if failure.is_none()
            && let Some(m) = monitors.as_mut()
        {
            let r = m.check(&store, false);
            if let Some(f) = record(r) {
                eprintln!("{f}: stopping the command");
                let _ = kill(pid, Sig::SIGTERM);
                term_sent = Some(Instant::now());
                failure = Some(f);
            }
        }
        if status.is_none() && term_sent.is_some_and(|t| t.elapsed() > KILL_AFTER) {
            let _ = child.kill();
        }
        if exited_at.is_some_and(|t| open_pipes == 0 || t.elapsed() > DRAIN) {
            break;
        }
    }
    for l in &mut live {
        l.end(true);
        let r = l.flush(&mut store, &mut monitors);
        record(r.map(|()| None));
    }
    if failure.is_none()
        && let Some(m) = monitors.as_mut()
    {
        let r = m.check(&store, true);
        if let Some(f) = record(r) {
            eprintln!("{f}");
            failure = Some(f);
        }
    }
    for l in live {
        let r = l.sink.close(&mut store);
        record(r.map(|()| None));
    }
    let st = status.unwrap_or_else(|| ExitStatus::from_raw(1 << 8));
    let (word, code) = match (st.code(), st.signal()) {
        (Some(0), _) => ("finished", 0),
        (Some(c), _) => ("failed", c),
        (None, Some(sig)) => ("killed", 128 + sig),
        (None, None) => ("failed", 1),
    };
    let word = if failure.is_some() { "killed" } else { word };
    let detail = match (&failure, st.signal()) {
        (Some(f), _) => format!("stopped by tracker: {f}"),
        (None, Some(sig)) => format!("killed by signal {}", signal_name(sig)),
        (None, None) => format!("exited with status {code}"),
    };
    let mut end = ended(word, code, &clock, detail);
    if let Some(sig) = st.signal() {
        end.params.insert("signal".into(), signal_name(sig).into());
    }
    // The command's status is the exit status, whatever the database says.
    if let Err(e) = store.end_run(&name, &source, &end) {
        eprintln!("tracker: could not record how the command ended: {e:#}");
    }
    if failure.is_some() {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::from(code.clamp(0, 255) as u8))
}

fn ended(status: &'static str, code: i32, clock: &Instant, detail: String) -> RunEnd {
    let mut params = serde_json::Map::new();
    params.insert("ended".into(), chrono::Local::now().to_rfc3339().into());
    params.insert("exit_status".into(), code.into());
    let secs = (clock.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    params.insert("duration_s".into(), secs.into());
    RunEnd {
        status,
        params,
        detail,
    }
}

fn signal_name(sig: i32) -> String {
    Sig::try_from(sig).map_or_else(|_| sig.to_string(), |s| s.as_str().to_owned())
}

/// Copy a pipe of the command to ours as bytes arrive, and send them on to be parsed.
fn pump(mut from: impl Read + Send + 'static, which: usize, tx: Sender<Msg>) {
    std::thread::spawn(move || {
        let mut buf = vec![0; 64 * 1024];
        let mut pass = true;
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let data = &buf[..n];
            if pass {
                // A closed stdout (`| head`) stops the copy, not the command.
                pass = if which == 0 {
                    let mut o = std::io::stdout().lock();
                    o.write_all(data).and_then(|()| o.flush()).is_ok()
                } else {
                    std::io::stderr().lock().write_all(data).is_ok()
                };
            }
            let _ = tx.send(Msg::Data(which, data.to_vec()));
        }
        let _ = tx.send(Msg::Closed);
    });
}

/// The command as a shell would show it.
fn display_command(command: &[OsString]) -> String {
    let quote = |a: &OsString| {
        let s = a.to_string_lossy();
        let plain = !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
        if plain {
            s.into_owned()
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    };
    command.iter().map(quote).collect::<Vec<_>>().join(" ")
}

/// The default run name: the script's name (`python train.py` → `train`, `python -m pkg.train`
/// → `train`, else the program's name) and the start time, `train-20250102-150405`.
fn default_run_name(command: &[OsString], at: &chrono::DateTime<chrono::Local>) -> String {
    const SCRIPTS: &[&str] = &["py", "sh", "bash", "jl", "lua", "rb", "js", "ts", "r", "pl"];
    let args: Vec<String> = command
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let stem = |s: &str| {
        Path::new(s)
            .file_stem()
            .map(|x| x.to_string_lossy().into_owned())
    };
    let mut base = None;
    for (i, arg) in args.iter().enumerate() {
        if i > 0 && (arg == "-m" || arg == "--module") {
            base = args
                .get(i + 1)
                .and_then(|m| m.rsplit('.').next())
                .map(str::to_owned);
            break;
        }
        let ext = Path::new(arg)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if i > 0 && ext.is_some_and(|e| SCRIPTS.contains(&e.as_str())) {
            base = stem(arg);
            break;
        }
    }
    let base = base
        .or_else(|| args.first().and_then(|p| stem(p)))
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "run".into());
    format!("{base}-{}", at.format("%Y%m%d-%H%M%S"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn cmd(s: &str) -> Vec<OsString> {
        s.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn run_names_come_from_the_script() {
        let at = chrono::Local
            .with_ymd_and_hms(2025, 1, 2, 15, 4, 5)
            .single()
            .unwrap();
        let name = |s: &str| default_run_name(&cmd(s), &at);
        assert_eq!(name("python train.py --lr 0.1"), "train-20250102-150405");
        assert_eq!(name("torchrun --nproc 2 src/fit.py"), "fit-20250102-150405");
        assert_eq!(name("python -m pkg.finetune"), "finetune-20250102-150405");
        assert_eq!(name("./run --epochs 3"), "run-20250102-150405");
        assert_eq!(name("bash scripts/go.sh"), "go-20250102-150405");
    }

    #[test]
    fn commands_are_shown_quoted() {
        let c = vec![
            OsString::from("python"),
            OsString::from("-c"),
            OsString::from("print('hi there')"),
        ];
        assert_eq!(display_command(&c), r"python -c 'print('\''hi there'\'')'");
    }
}
