//! `tracker compare RUN RUN...`: which run is better, and why.

use super::diagnose::style;
use super::{defs::registry, open_reader, output};
use crate::compare::{self, Align, Comparison, Gate, MetricRow, RunData};
use crate::diagnose::chosen_metrics;
use crate::model::format_value;
use anyhow::{Result, anyhow, bail};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
The first run is the baseline: differences are to it. Runs are named in full, by a unique
prefix, or as @latest / @latest~N. Metrics match by logged name, then through their
definitions (val_f1 in one run meets eval_f1 in another).

Exit status 3 when a --fail-if-worse gate fails, e.g.
  tracker compare main-run my-change --fail-if-worse val_f1:0.005")]
pub struct Args {
    /// The runs to compare; the first is the baseline
    #[arg(required = true, num_args = 2.., value_name = "RUN")]
    runs: Vec<String>,
    /// Align curves by step, relative step (each run's first step as 0) or wall time
    #[arg(long, value_enum, default_value = "step")]
    by: AlignArg,
    /// Also compare the values at this aligned position: a step (--by step), a step from each
    /// run's first (--by relative), or seconds from each run's start (--by time: the last
    /// value at or before it)
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    at: Option<f64>,
    /// Show every parameter, not only those that differ
    #[arg(long)]
    all_params: bool,
    /// Print one JSON object (shape in the README)
    #[arg(long, conflicts_with = "md")]
    json: bool,
    /// Print a Markdown table to paste into a pull request
    #[arg(long)]
    md: bool,
    /// Exit 3 when a later run's best METRIC is worse than the baseline's by more than TOL
    /// (absolute, or N% of the baseline's best); may be repeated
    #[arg(long, value_name = "METRIC[:TOL]", value_parser = parse_gate)]
    fail_if_worse: Vec<Gate>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum AlignArg {
    Step,
    Relative,
    Time,
}

fn parse_gate(s: &str) -> Result<Gate, String> {
    s.parse()
}

pub fn run(db: Option<&PathBuf>, defs_dir: Option<&PathBuf>, a: Args) -> Result<ExitCode> {
    let store = open_reader(db)?;
    let reg = registry(defs_dir.map(PathBuf::as_path))?;
    let mut runs = Vec::new();
    for r in &a.runs {
        let name = store.resolve_run(r)?;
        if runs.iter().any(|x: &RunData| x.name == name) {
            bail!("run '{name}' is given twice");
        }
        let mut curves = Vec::new();
        for m in chosen_metrics(&store, &name, None, false)? {
            let s = store.series(&name, &m)?;
            curves.push((m, s));
        }
        runs.push(RunData {
            params: store.run_params(&name)?,
            name,
            curves,
        });
    }
    let align = match a.by {
        AlignArg::Step => Align::Step,
        AlignArg::Relative => Align::Relative,
        AlignArg::Time => Align::Time,
    };
    let c = compare::compare(&runs, &reg, align, a.at, a.all_params).map_err(|e| anyhow!(e))?;
    if a.json {
        output::json(&c)?;
    } else if a.md {
        print!("{}", markdown(&c));
    } else {
        print_table(&c)?;
    }
    let mut failed = false;
    for g in &a.fail_if_worse {
        for msg in g.check(&c).map_err(|e| anyhow!(e))? {
            eprintln!("{msg}");
            failed = true;
        }
    }
    Ok(if failed {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn opt(v: Option<f64>) -> String {
    v.map_or("-".into(), format_value)
}

fn delta(m: &compare::RunMetric) -> (String, Option<bool>) {
    match m.delta {
        None => (String::new(), None),
        Some(d) => {
            let word = match m.better {
                Some(true) => " ▲ better",
                Some(false) => " ▼ worse",
                None => " = same",
            };
            (
                format!(
                    "{}{}{word}",
                    if d > 0.0 { "+" } else { "" },
                    format_value(d)
                ),
                m.better,
            )
        }
    }
}

fn definition(r: &MetricRow) -> String {
    r.definition.clone().unwrap_or_else(|| "-".into())
}

fn print_table(c: &Comparison) -> Result<()> {
    let mut out = anstream::stdout().lock();
    let h = output::HEADER;
    let names: Vec<String> = c
        .runs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if i == 0 {
                format!("{r} (baseline)")
            } else {
                r.clone()
            }
        })
        .collect();
    writeln!(out, "{h}runs{h:#}  {}", names.join(", "))?;
    let align = match c.align {
        Align::Step => "step",
        Align::Relative => "relative step",
        Align::Time => "wall time (s)",
    };
    writeln!(out, "{h}aligned by{h:#}  {align}")?;
    let wm = c
        .metrics
        .iter()
        .map(|r| r.metric.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let wd = c
        .metrics
        .iter()
        .map(|r| definition(r).chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    let wr = c
        .runs
        .iter()
        .map(|r| r.chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    let unit = if c.align == compare::Align::Time {
        " s"
    } else {
        ""
    };
    let at_head = c.at.map(|s| format!("AT {s}{unit}")).unwrap_or_default();
    let header = format!(
        "{:wm$}  {:wd$}  {:wr$}  {:>10}  {:>10}  {:>9}  {:18}  {:17}  {:16}  {}",
        "METRIC", "DEF", "RUN", "FINAL", "BEST", "BEST STEP", "Δ BEST", "VERDICT", "CURVE", at_head
    );
    let mut shared_done = false;
    writeln!(out, "\n{h}{}{h:#}", header.trim_end())?;
    for row in &c.metrics {
        if !row.shared && !shared_done {
            shared_done = true;
            writeln!(out, "\n{h}only in some runs{h:#}")?;
        }
        for (i, m) in row.runs.iter().enumerate() {
            let (d, better) = delta(m);
            let ds = match better {
                Some(true) => anstyle::AnsiColor::Green.on_default(),
                Some(false) => anstyle::AnsiColor::Red.on_default(),
                None => anstyle::Style::new(),
            };
            let vs = style(m.verdict);
            let (metric, def) = if i == 0 {
                (row.metric.clone(), definition(row))
            } else if m.metric != row.metric {
                (format!("  ({})", m.metric), String::new())
            } else {
                (String::new(), String::new())
            };
            let line = format!(
                "{metric:wm$}  {def:wd$}  {:wr$}  {:>10}  {:>10}  {:>9}  {ds}{d:18}{ds:#}  {vs}{:17}{vs:#}  {}  {}",
                m.run,
                output::format_value(m.last),
                opt(m.best),
                m.best_step.map_or("-".into(), |s| s.to_string()),
                m.verdict.as_str(),
                m.sparkline,
                if c.at.is_some() {
                    opt(m.at)
                } else {
                    String::new()
                },
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    if !c.params.is_empty() {
        writeln!(out, "\n{h}params{h:#}")?;
        let wp = c
            .params
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(5);
        for (k, vals) in &c.params {
            let vals: Vec<String> = vals.iter().map(|v| v.to_string()).collect();
            writeln!(out, "  {k:wp$}  {}", vals.join("  "))?;
        }
    }
    Ok(())
}

/// A Markdown table (GitHub flavour) of the comparison.
pub fn markdown(c: &Comparison) -> String {
    let mut s = String::new();
    let baseline = &c.runs[0];
    s.push_str(&format!("Baseline: `{baseline}`\n\n"));
    let at = c.at.map(|a| format!(" at {a} |")).unwrap_or_default();
    s.push_str(&format!(
        "| metric | run | final | best | best step | Δ best | verdict | curve |{at}\n"
    ));
    s.push_str(&format!(
        "|---|---|---:|---:|---:|---|---|---|{}\n",
        if c.at.is_some() { "---:|" } else { "" }
    ));
    for row in &c.metrics {
        for (i, m) in row.runs.iter().enumerate() {
            let metric = if i == 0 {
                format!("`{}`", row.metric)
            } else if m.metric != row.metric {
                format!("(`{}`)", m.metric)
            } else {
                String::new()
            };
            let at = if c.at.is_some() {
                format!(" {} |", opt(m.at))
            } else {
                String::new()
            };
            s.push_str(&format!(
                "| {metric} | `{}` | {} | {} | {} | {} | {} | `{}` |{at}\n",
                m.run,
                output::format_value(m.last),
                opt(m.best),
                m.best_step.map_or("-".into(), |s| s.to_string()),
                delta(m).0,
                m.verdict.as_str(),
                m.sparkline,
            ));
        }
    }
    if !c.params.is_empty() {
        s.push_str("\n| param |");
        for r in &c.runs {
            s.push_str(&format!(" `{r}` |"));
        }
        s.push_str("\n|---|");
        s.push_str(&"---|".repeat(c.runs.len()));
        s.push('\n');
        for (k, vals) in &c.params {
            s.push_str(&format!("| `{k}` |"));
            for v in vals {
                s.push_str(&format!(" {v} |"));
            }
            s.push('\n');
        }
    }
    s
}
