//! `tracker diagnose RUN`: a verdict for every curve, with its reason, and the run's hints.

use super::{defs::registry, open_reader, output};
use crate::classify::Verdict;
use crate::diagnose::{self, RunReport};
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The run: full name, unique prefix, @latest or @latest~N
    run: String,
    /// Only this metric (its logged name)
    #[arg(long)]
    metric: Option<String>,
    /// Print one JSON object: {"run", "metrics": [{"metric", "definition", "split", "verdict",
    /// "reason", "flags", "evidence", …}], "hints": [{"id", "message", "metrics", "steps"}]}
    #[arg(long)]
    json: bool,
    /// Exit with status 3 when a curve gets one of these verdicts (e.g. diverging,oscillating)
    #[arg(long, value_delimiter = ',', value_parser = parse_verdict, value_name = "VERDICT")]
    fail_on: Vec<Verdict>,
    /// Also diagnose bookkeeping curves (epoch, runtimes, throughput)
    #[arg(long)]
    all: bool,
}

pub fn parse_verdict(s: &str) -> Result<Verdict, String> {
    Verdict::from_word(s).ok_or_else(|| {
        format!(
            "unknown verdict '{s}'; expected one of: healthy, stagnant, oscillating, diverging, insufficient_data"
        )
    })
}

/// The color of a verdict word.
pub fn style(v: Verdict) -> anstyle::Style {
    use anstyle::AnsiColor::*;
    match v {
        Verdict::Healthy => Green.on_default(),
        Verdict::Stagnant => Yellow.on_default(),
        Verdict::Oscillating => Magenta.on_default(),
        Verdict::Diverging => Red.on_default().bold(),
        Verdict::InsufficientData => anstyle::Style::new().dimmed(),
    }
}

pub fn run(db: Option<&PathBuf>, defs_dir: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let store = open_reader(db)?;
    let name = store.resolve_run(&a.run)?;
    let reg = registry(defs_dir.map(PathBuf::as_path))?;
    let names = diagnose::chosen_metrics(&store, &name, a.metric.as_deref(), a.all)?;
    let report = diagnose::read_run(&store, &name, names, &reg)?;
    if a.json {
        output::json(&report)?;
    } else {
        print_report(&report)?;
    }
    let failed = report
        .metrics
        .iter()
        .any(|m| a.fail_on.contains(&m.diagnosis.verdict));
    Ok(if failed {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(r: &RunReport) -> Result<()> {
    let mut out = anstream::stdout().lock();
    let (h, badge) = (output::HEADER, r.badge());
    let b = style(badge);
    writeln!(
        out,
        "{h}run{h:#} {}   {b}{}{b:#}   {}",
        r.run,
        badge,
        output::count(r.metrics.len() as u64, "curve")
    )?;
    if r.metrics.is_empty() {
        writeln!(out, "no curves to diagnose")?;
        return Ok(());
    }
    let definition = |m: &diagnose::CurveReport| match (&m.definition, m.split) {
        (Some(d), Some(s)) => format!("{d} ({})", s.as_str()),
        (Some(d), None) => d.clone(),
        (None, _) => "-".into(),
    };
    let wm = r
        .metrics
        .iter()
        .map(|m| output::escaped(&m.metric).chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let wd = r
        .metrics
        .iter()
        .map(|m| definition(m).chars().count())
        .max()
        .unwrap_or(10)
        .max(10);
    let wv = r
        .metrics
        .iter()
        .map(|m| m.diagnosis.verdict.as_str().len())
        .max()
        .unwrap_or(7)
        .max(7);
    writeln!(
        out,
        "\n{h}{:wm$}  {:wd$}  {:wv$}  REASON{h:#}",
        "METRIC", "DEFINITION", "VERDICT"
    )?;
    let dim = anstyle::Style::new().dimmed();
    for m in &r.metrics {
        let v = m.diagnosis.verdict;
        let s = style(v);
        let word = v.as_str();
        writeln!(
            out,
            "{:wm$}  {:wd$}  {s}{word}{s:#}{}  {}",
            output::escaped(&m.metric),
            definition(m),
            " ".repeat(wv.saturating_sub(word.len())),
            m.diagnosis.reason
        )?;
        let indent = " ".repeat(wm + wd + wv + 6);
        for warning in m.diagnosis.flags.iter().filter_map(|f| f.warning()) {
            writeln!(out, "{indent}⚠ {warning}")?;
        }
        if let Some(look) = &m.look_for {
            writeln!(out, "{indent}{dim}↳ {look}{dim:#}")?;
        }
        if let Some(band) = &m.band {
            writeln!(out, "{indent}{dim}↳ {band}{dim:#}")?;
        }
    }
    if !r.hints.is_empty() {
        writeln!(out, "\n{h}hints{h:#}")?;
        for hint in &r.hints {
            writeln!(out, "  • {}", hint.message)?;
        }
    }
    Ok(())
}
