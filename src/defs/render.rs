//! Plain text for `tracker defs list | show | check | resolve`.

use std::fmt::Write;

use super::infer::DirectionSource;
use super::model::{Condition, Definition, ExamplePoint};
use super::registry::{CheckReport, Registry};
use super::resolve::{Granularity, Resolution};

/// One line per definition, sorted by id: id, name, direction, source, aliases.
pub fn render_list(registry: &Registry) -> String {
    let mut defs: Vec<&Definition> = registry.definitions().iter().collect();
    defs.sort_by(|a, b| a.id.cmp(&b.id));
    let id_w = defs.iter().map(|d| d.id.len()).max().unwrap_or(2).max(2);
    let name_w = defs.iter().map(|d| d.name.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:id_w$}  {:name_w$}  {:9}  {:8}  ALIASES",
        "ID", "NAME", "DIRECTION", "SOURCE"
    );
    for d in defs {
        let direction = d.direction().map_or("unknown", |d| d.as_str());
        let source = match (&d.origin.overrides, d.origin.builtin) {
            (Some(_), _) => "override",
            (None, true) => "builtin",
            (None, false) => "user",
        };
        let _ = writeln!(
            out,
            "{:id_w$}  {:name_w$}  {direction:9}  {source:8}  {}",
            d.id,
            d.name,
            d.aliases.join(", ")
        );
    }
    out
}

/// Everything about one definition, for `tracker defs show ID`.
pub fn render_show(d: &Definition) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", d.name, d.id);
    if !d.short_description.is_empty() {
        let _ = writeln!(out, "{}", d.short_description);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "file:        {}", d.origin.file.display());
    if let Some(o) = &d.origin.overrides {
        let _ = writeln!(out, "overrides:   {}", o.display());
    }
    let _ = writeln!(out, "aliases:     {}", d.aliases.join(", "));
    let (dir, source) = d.direction_with_source();
    let from = match source {
        DirectionSource::Declared => "the direction field",
        DirectionSource::WhatToLookFor => "what to look for",
        DirectionSource::NameRule => "the name rules",
        DirectionSource::Unknown => "nothing says which way is better",
    };
    let _ = writeln!(
        out,
        "direction:   {} ({})",
        dir.map_or("unknown", |d| d.as_str()),
        if dir.is_some() {
            format!("from {from}")
        } else {
            from.to_string()
        }
    );
    if let Some((lo, hi)) = d.domain() {
        let _ = writeln!(out, "domain:      [{lo}, {hi}]");
    } else if let Some([lo, hi]) = d.range {
        let show = |v: Option<f64>| v.map_or("∞".to_string(), |v| v.to_string());
        let _ = writeln!(out, "range:       [{}, {}]", show(lo), show(hi));
    }
    if let Some(p) = &d.pair {
        let _ = writeln!(out, "pair:        train {} / val {}", p.train, p.val);
    }
    let t = &d.thresholds;
    let fields = [
        ("min_points", t.min_points.map(f64::from)),
        ("patience", t.patience.map(f64::from)),
        ("min_delta", t.min_delta),
        ("divergence_threshold", t.divergence_threshold),
        ("oscillation_threshold", t.oscillation_threshold),
    ];
    let set: Vec<String> = fields
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k} {v}")))
        .collect();
    if !set.is_empty() {
        let _ = writeln!(out, "thresholds:  {}", set.join(", "));
    }
    if !d.what_to_look_for.is_empty() {
        let _ = writeln!(out, "\nWhat to look for:");
        for line in &d.what_to_look_for {
            let _ = writeln!(out, "  - {line}");
        }
    }
    if !d.bands.is_empty() {
        let _ = writeln!(out, "\nBands:");
        for b in &d.bands {
            let _ = write!(out, "  {:.2}–{:.2}  {}", b.min, b.max, b.label);
            if !b.meaning.is_empty() {
                let _ = write!(out, ": {}", b.meaning);
            }
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(out, "\nExamples:");
    if let Some(h) = &d.visualizations.healthy {
        example(&mut out, "healthy", "healthy", &h.data, &h.analysis);
    }
    for (key, p) in &d.visualizations.unhealthy {
        let title = if p.label.is_empty() { key } else { &p.label };
        example(&mut out, title, p.verdict.as_str(), &p.data, &p.analysis);
    }
    if !d.hints.is_empty() {
        let _ = writeln!(out, "\nHints:");
        for h in &d.hints {
            let conds: Vec<String> = h.when.iter().map(|c| condition(d, c)).collect();
            let _ = writeln!(out, "  {}: when {}", h.id, conds.join(" and "));
            let _ = writeln!(out, "    → {}", h.message);
        }
    }
    if !d.body.is_empty() {
        let _ = writeln!(out, "\n{}", d.body);
    }
    out
}

fn example(out: &mut String, title: &str, verdict: &str, data: &[ExamplePoint], analysis: &str) {
    let values: Vec<String> = data.iter().map(|p| format!("{}", p.value)).collect();
    let _ = writeln!(out, "  {title} → {verdict} ({} points)", data.len());
    let _ = writeln!(out, "    {}", values.join(" "));
    if !analysis.is_empty() {
        let _ = writeln!(out, "    {analysis}");
    }
}

fn condition(d: &Definition, c: &Condition) -> String {
    let split = c
        .split
        .map(|s| format!("{} ", s.as_str()))
        .unwrap_or_default();
    let right_split = c
        .right_split
        .map(|s| format!("{} ", s.as_str()))
        .unwrap_or_else(|| split.clone());
    let stat = serde_json::to_value(c.stat)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let op = c.op.map_or("==", |o| o.as_str());
    if let (Some(l), Some(r)) = (&c.left, &c.right) {
        let factor = c.factor.map(|f| format!("{f} × ")).unwrap_or_default();
        let offset = c.offset.map(|o| format!(" + {o}")).unwrap_or_default();
        return format!("{split}{l}.{stat} {op} {factor}{right_split}{r}{offset}");
    }
    let metric = c.metric.as_deref().unwrap_or(&d.id);
    match (c.verdict, c.value) {
        (Some(v), _) => format!("{split}{metric} {op} {v}"),
        (None, Some(v)) => format!("{split}{metric}.{stat} {op} {v}"),
        (None, None) => format!("{split}{metric}"),
    }
}

/// `val_f1 → f1 (split val)` and the steps, for `tracker defs resolve NAME`.
pub fn render_resolution(r: &Resolution) -> String {
    let mut out = String::new();
    let target = r.definition.as_deref().unwrap_or("no definition");
    let mut facets = Vec::new();
    if let Some(s) = r.split {
        facets.push(format!("split {s}"));
    }
    if let Some(a) = &r.average {
        facets.push(format!("average {a}"));
    }
    if let Some(g) = r.granularity {
        facets.push(format!(
            "granularity {}",
            if g == Granularity::Step {
                "step"
            } else {
                "epoch"
            }
        ));
    }
    let _ = write!(out, "{} → {target}", r.name);
    if !facets.is_empty() {
        let _ = write!(out, " ({})", facets.join(", "));
    }
    let _ = writeln!(out);
    for (i, step) in r.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {step}", i + 1);
    }
    out
}

/// Errors, warnings and a summary line, for `tracker defs check`.
pub fn render_check(report: &CheckReport) -> String {
    let mut out = String::new();
    for e in &report.errors {
        let _ = writeln!(out, "{e}");
    }
    for w in &report.warnings {
        let _ = writeln!(out, "{w}");
    }
    let _ = writeln!(
        out,
        "{} files, {} definitions: {} errors, {} warnings",
        report.files,
        report.definitions,
        report.errors.len(),
        report.warnings.len()
    );
    out
}
