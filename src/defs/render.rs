//! Plain text for `tracker defs list | show | check | resolve`.

use std::fmt::Write;

use super::infer::DirectionSource;
use super::model::{Condition, Definition, ExamplePoint};
use super::registry::{CheckReport, Registry};
use super::resolve::{Granularity, Resolution};

/// What a `render_*` function writes, as a `String`: `text(|o| render_list(o, &registry))`.
pub fn text(render: impl FnOnce(&mut String) -> std::fmt::Result) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = render(&mut out);
    out
}

/// One line per definition, sorted by id: id, name, direction, source, aliases.
pub fn render_list(out: &mut impl Write, registry: &Registry) -> std::fmt::Result {
    let mut defs: Vec<&Definition> = registry.definitions().iter().collect();
    defs.sort_by(|a, b| a.id.cmp(&b.id));
    let id_w = defs.iter().map(|d| d.id.len()).max().unwrap_or(2).max(2);
    let name_w = defs.iter().map(|d| d.name.len()).max().unwrap_or(4).max(4);
    writeln!(
        out,
        "{:id_w$}  {:name_w$}  {:9}  {:8}  ALIASES",
        "ID", "NAME", "DIRECTION", "SOURCE"
    )?;
    for d in defs {
        let direction = d.direction().map_or("unknown", |d| d.as_str());
        let source = match (&d.origin.overrides, d.origin.builtin) {
            (Some(_), _) => "override",
            (None, true) => "builtin",
            (None, false) => "user",
        };
        writeln!(
            out,
            "{:id_w$}  {:name_w$}  {direction:9}  {source:8}  {}",
            d.id,
            d.name,
            d.aliases.join(", ")
        )?;
    }
    Ok(())
}

/// Everything about one definition, for `tracker defs show ID`.
pub fn render_show(out: &mut impl Write, d: &Definition) -> std::fmt::Result {
    writeln!(out, "{} ({})", d.name, d.id)?;
    if !d.short_description.is_empty() {
        writeln!(out, "{}", d.short_description)?;
    }
    writeln!(out)?;
    writeln!(out, "file:        {}", d.origin.file.display())?;
    if let Some(o) = &d.origin.overrides {
        writeln!(out, "overrides:   {}", o.display())?;
    }
    writeln!(out, "aliases:     {}", d.aliases.join(", "))?;
    let (dir, source) = d.direction_with_source();
    let from = match source {
        DirectionSource::Declared => "the direction field",
        DirectionSource::WhatToLookFor => "what to look for",
        DirectionSource::NameRule => "the name rules",
        DirectionSource::Unknown => "nothing says which way is better",
    };
    writeln!(
        out,
        "direction:   {} ({})",
        dir.map_or("unknown", |d| d.as_str()),
        if dir.is_some() {
            format!("from {from}")
        } else {
            from.to_string()
        }
    )?;
    if let Some((lo, hi)) = d.domain() {
        writeln!(out, "domain:      [{lo}, {hi}]")?;
    } else if let Some([lo, hi]) = d.range {
        let show = |v: Option<f64>| v.map_or("∞".to_string(), |v| v.to_string());
        writeln!(out, "range:       [{}, {}]", show(lo), show(hi))?;
    }
    if let Some(p) = &d.pair {
        writeln!(out, "pair:        train {} / val {}", p.train, p.val)?;
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
        writeln!(out, "thresholds:  {}", set.join(", "))?;
    }
    if !d.what_to_look_for.is_empty() {
        writeln!(out, "\nWhat to look for:")?;
        for line in &d.what_to_look_for {
            writeln!(out, "  - {line}")?;
        }
    }
    if !d.bands.is_empty() {
        writeln!(out, "\nBands:")?;
        for b in &d.bands {
            write!(out, "  {:.2}–{:.2}  {}", b.min, b.max, b.label)?;
            if !b.meaning.is_empty() {
                write!(out, ": {}", b.meaning)?;
            }
            writeln!(out)?;
        }
    }
    writeln!(out, "\nExamples:")?;
    if let Some(h) = &d.visualizations.healthy {
        example(out, "healthy", "healthy", &h.data, &h.analysis)?;
    }
    for (key, p) in &d.visualizations.unhealthy {
        let title = if p.label.is_empty() { key } else { &p.label };
        example(out, title, p.verdict.as_str(), &p.data, &p.analysis)?;
    }
    if !d.hints.is_empty() {
        writeln!(out, "\nHints:")?;
        for h in &d.hints {
            let conds: Vec<String> = h.when.iter().map(|c| condition(d, c)).collect();
            writeln!(out, "  {}: when {}", h.id, conds.join(" and "))?;
            writeln!(out, "    → {}", h.message)?;
        }
    }
    if !d.body.is_empty() {
        writeln!(out, "\n{}", d.body)?;
    }
    Ok(())
}

fn example(
    out: &mut impl Write,
    title: &str,
    verdict: &str,
    data: &[ExamplePoint],
    analysis: &str,
) -> std::fmt::Result {
    let values: Vec<String> = data.iter().map(|p| format!("{}", p.value)).collect();
    writeln!(out, "  {title} → {verdict} ({} points)", data.len())?;
    writeln!(out, "    {}", values.join(" "))?;
    if !analysis.is_empty() {
        writeln!(out, "    {analysis}")?;
    }
    Ok(())
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
pub fn render_resolution(out: &mut impl Write, r: &Resolution) -> std::fmt::Result {
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
    write!(out, "{} → {target}", r.name)?;
    if !facets.is_empty() {
        write!(out, " ({})", facets.join(", "))?;
    }
    writeln!(out)?;
    for (i, step) in r.steps.iter().enumerate() {
        writeln!(out, "  {}. {step}", i + 1)?;
    }
    Ok(())
}

/// Errors, warnings and a summary line, for `tracker defs check`.
pub fn render_check(out: &mut impl Write, report: &CheckReport) -> std::fmt::Result {
    for e in &report.errors {
        writeln!(out, "{e}")?;
    }
    for w in &report.warnings {
        writeln!(out, "{w}")?;
    }
    writeln!(
        out,
        "{} files, {} definitions: {} errors, {} warnings",
        report.files,
        report.definitions,
        report.errors.len(),
        report.warnings.len()
    )?;
    Ok(())
}
