//! Checks that serde cannot express, and the values filled in at load (defaults, verdicts).

use super::error::ErrorKind;
use super::infer::pattern_verdict;
use super::model::{Condition, Definition, ExamplePoint};

/// A problem at a field path; fatal ones become a `DefsError`, the others warnings.
pub(crate) struct Issue {
    pub field: String,
    pub kind: ErrorKind,
    pub message: String,
    pub fatal: bool,
}

fn error(field: impl Into<String>, message: impl Into<String>) -> Issue {
    Issue {
        field: field.into(),
        kind: ErrorKind::Value,
        message: message.into(),
        fatal: true,
    }
}

fn warning(field: impl Into<String>, message: impl Into<String>) -> Issue {
    Issue {
        field: field.into(),
        kind: ErrorKind::Value,
        message: message.into(),
        fatal: false,
    }
}

/// Fills defaults and resolved verdicts, returns the problems (fatal first).
pub(crate) fn check(def: &mut Definition) -> Vec<Issue> {
    let mut out = Vec::new();
    check_id(def, &mut out);
    if def.name.trim().is_empty() {
        def.name = def.id.clone();
    }
    for (i, alias) in def.aliases.iter().enumerate() {
        if alias.trim().is_empty() {
            out.push(error(
                format!("aliases[{i}]"),
                "empty alias; expected a metric name such as 'val_f1'",
            ));
        }
    }
    if let Some([lo, hi]) = def.visualizations.y_domain {
        check_bounds("visualizations.yDomain", Some(lo), Some(hi), &mut out);
    }
    if let Some([lo, hi]) = def.range {
        check_bounds("range", lo, hi, &mut out);
    }
    if let Some(h) = &def.visualizations.healthy {
        check_points("visualizations.healthy.data", &h.data, &mut out);
    }
    for (key, pattern) in &mut def.visualizations.unhealthy {
        let field = format!("visualizations.unhealthy.{key}");
        check_points(&format!("{field}.data"), &pattern.data, &mut out);
        match pattern_verdict(key, pattern) {
            Some((v, _)) => pattern.verdict = v,
            None => out.push(error(
                field,
                "cannot tell which verdict this pattern shows; expected a 'verdict' field \
                 (stagnant, oscillating, diverging, insufficient_data or healthy), a verdict \
                 word as its key, or one in its label or analysis",
            )),
        }
    }
    check_thresholds(def, &mut out);
    if let Some(pair) = &def.pair
        && (pair.train.trim().is_empty() || pair.val.trim().is_empty())
    {
        out.push(error(
            "pair",
            "expected two logged metric names, e.g. '{ train: loss, val: eval_loss }'",
        ));
    }
    for (i, band) in def.bands.iter().enumerate() {
        let field = format!("bands[{i}]");
        if !band.min.is_finite() || !band.max.is_finite() || band.min > band.max {
            out.push(error(
                field,
                format!(
                    "expected finite min <= max, found min {} and max {}",
                    band.min, band.max
                ),
            ));
        } else if band.label.trim().is_empty() {
            out.push(error(
                format!("{field}.label"),
                "empty label; expected a word such as 'excellent'",
            ));
        }
    }
    let id = def.id.clone();
    for (i, hint) in def.hints.iter_mut().enumerate() {
        let field = format!("hints[{i}]");
        if hint.id.trim().is_empty() {
            hint.id = format!("{id}-{i}");
        }
        if hint.when.is_empty() {
            out.push(error(
                format!("{field}.when"),
                "no conditions; expected at least one, e.g. '{ metric: f1, op: \"<\", value: 0.5 }'",
            ));
        }
        if hint.message.trim().is_empty() {
            out.push(error(
                format!("{field}.message"),
                "empty message; expected the text to show",
            ));
        }
        for (j, cond) in hint.when.iter().enumerate() {
            check_condition(&format!("{field}.when[{j}]"), cond, &mut out);
        }
    }
    out.sort_by_key(|i| !i.fatal);
    out
}

fn check_id(def: &Definition, out: &mut Vec<Issue>) {
    let ok = !def.id.is_empty()
        && def
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        out.push(error(
            "id",
            format!(
                "invalid id '{}'; expected lower-case letters, digits, '_' or '-'",
                def.id
            ),
        ));
    }
}

fn check_bounds(field: &str, lo: Option<f64>, hi: Option<f64>, out: &mut Vec<Issue>) {
    let show = |v: Option<f64>| v.map_or("null".to_string(), |v| v.to_string());
    let finite = lo.is_none_or(f64::is_finite) && hi.is_none_or(f64::is_finite);
    let ordered = match (lo, hi) {
        (Some(lo), Some(hi)) => lo < hi,
        _ => true,
    };
    if !finite || !ordered {
        out.push(error(
            field,
            format!(
                "expected [lo, hi] with lo < hi, found [{}, {}]",
                show(lo),
                show(hi)
            ),
        ));
    }
}

fn check_points(field: &str, data: &[ExamplePoint], out: &mut Vec<Issue>) {
    if data.is_empty() {
        out.push(warning(
            field,
            "no points; expected 11-20 points drawing the example",
        ));
    }
    for (i, p) in data.iter().enumerate() {
        if !p.value.is_finite() {
            out.push(error(
                format!("{field}[{i}].value"),
                format!("expected a finite number, found {}", p.value),
            ));
        }
    }
    if let Some(i) = data.windows(2).position(|w| w[1].step <= w[0].step) {
        out.push(error(
            format!("{field}[{}].step", i + 1),
            format!(
                "steps must increase; expected a step above {}, found {}",
                data[i].step,
                data[i + 1].step
            ),
        ));
    }
}

fn check_thresholds(def: &Definition, out: &mut Vec<Issue>) {
    let t = &def.thresholds;
    if t.min_points == Some(0) {
        out.push(error(
            "thresholds.min_points",
            "expected a whole number >= 1, found 0",
        ));
    }
    let non_negative = [
        ("min_delta", t.min_delta),
        ("oscillation_threshold", t.oscillation_threshold),
    ];
    for (name, v) in non_negative {
        if let Some(v) = v
            && (!v.is_finite() || v < 0.0)
        {
            out.push(error(
                format!("thresholds.{name}"),
                format!("expected a number >= 0, found {v}"),
            ));
        }
    }
    if let Some(v) = t.divergence_threshold
        && !v.is_finite()
    {
        out.push(error(
            "thresholds.divergence_threshold",
            format!("expected a finite number, found {v}"),
        ));
    }
}

fn check_condition(field: &str, c: &Condition, out: &mut Vec<Issue>) {
    let comparison = c.left.is_some() || c.right.is_some();
    if comparison {
        if c.left.is_none() || c.right.is_none() || c.op.is_none() {
            out.push(error(
                field,
                "incomplete comparison; expected '{ left: METRIC, op: \">\", right: METRIC }' \
                 (with optional factor, offset, stat, right_stat)",
            ));
        } else if c.metric.is_some() || c.value.is_some() || c.verdict.is_some() {
            out.push(error(
                field,
                "a comparison takes left, op, right (factor, offset); expected no \
                 'metric', 'value' or 'verdict' beside them",
            ));
        }
    } else if c.verdict.is_some() {
        if c.value.is_some() || c.factor.is_some() || c.offset.is_some() {
            out.push(error(
                field,
                "a verdict condition takes metric, verdict (op '==' or '!='); expected no \
                 'value', 'factor' or 'offset'",
            ));
        }
        if matches!(c.op, Some(op) if !matches!(op, super::model::Op::Eq | super::model::Op::Ne)) {
            out.push(error(
                format!("{field}.op"),
                "expected '==' or '!=' with a verdict",
            ));
        }
    } else if c.op.is_none() || c.value.is_none() {
        out.push(error(
            field,
            "incomplete condition; expected '{ metric: METRIC, stat: last, op: \"<\", value: N }', \
             '{ left: METRIC, op: \">\", right: METRIC }' or '{ metric: METRIC, verdict: WORD }'",
        ));
    }
    for (name, v) in [
        ("value", c.value),
        ("factor", c.factor),
        ("offset", c.offset),
    ] {
        if v.is_some_and(|v| !v.is_finite()) {
            out.push(error(format!("{field}.{name}"), "expected a finite number"));
        }
    }
}
