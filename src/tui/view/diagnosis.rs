//! The diagnosis of the chosen curve: its verdict in each run on the chart, the reason and
//! evidence in the primary run, the definition's short description and what to look for, and
//! the run's cross-metric hints.

use super::{focused, pane, run_swatch, verdict_span};
use crate::classify::{Evidence, Flag};
use crate::diagnose::CurveReport;
use crate::model::format_value;
use crate::tui::app::{App, Focus};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let block = pane(" Diagnosis ", focused(app, Focus::Chart), app);
    let lines = lines(app);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

fn lines(app: &App) -> Vec<Line<'static>> {
    let Some(group) = app.selected_group() else {
        return vec![Line::from("no curve selected")];
    };
    let dim = Style::new().add_modifier(Modifier::DIM);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let shown = app.shown_runs();
    let primary = app.primary_run();
    let mut out = Vec::new();
    let mut detail: Option<&CurveReport> = None;
    for (run, member) in shown.iter().zip(&group.members) {
        let Some(name) = member else { continue };
        let report = app.loaded.get(run).and_then(|l| l.curve_report(name));
        let mut spans = Vec::new();
        if shown.len() > 1 {
            spans.push(run_swatch(app, run));
            spans.push(Span::raw(format!("{run}  ")));
        }
        spans.push(Span::styled(name.clone(), bold));
        spans.push(Span::raw("  "));
        spans.push(verdict_span(app, report.map(|r| r.diagnosis.verdict)));
        if shown.len() > 1
            && let Some(r) = report
        {
            spans.push(Span::styled(format!("  {}", r.diagnosis.reason), dim));
        }
        out.push(Line::from(spans));
        if Some(run) == primary.as_ref() {
            detail = report;
        }
    }
    if let Some(r) = detail {
        if shown.len() == 1 {
            out.push(Line::from(r.diagnosis.reason.clone()));
        }
        out.push(Line::styled(
            evidence(&r.diagnosis.evidence, &r.diagnosis.flags),
            dim,
        ));
        if let Some(band) = &r.band {
            out.push(Line::styled(format!("level {band}"), dim));
        }
        if let Some(look) = &r.look_for {
            out.push(Line::from(format!("↳ {look}")));
        }
    }
    if let Some(def) = group
        .definition
        .as_deref()
        .and_then(|d| app.registry.get(d))
    {
        out.push(Line::default());
        let name = if def.name.is_empty() {
            &def.id
        } else {
            &def.name
        };
        out.push(Line::from(vec![
            Span::styled(format!("{name}: "), bold),
            Span::raw(def.short_description.trim().to_owned()),
        ]));
        for look in def.what_to_look_for.iter().take(3) {
            out.push(Line::from(format!("• {}", look.trim())));
        }
    }
    let hints = primary
        .as_ref()
        .and_then(|p| app.loaded.get(p))
        .map(|l| &l.report.hints[..])
        .unwrap_or_default();
    if !hints.is_empty() {
        out.push(Line::default());
        out.push(Line::styled("Hints", bold));
        for h in hints {
            out.push(Line::from(format!("• {}", h.message)));
        }
    }
    out
}

/// The numbers behind a verdict, in one line.
fn evidence(e: &Evidence, flags: &[Flag]) -> String {
    let mut parts = vec![format!(
        "trend z {} (p {}) over steps {}–{}",
        format_value(e.trend_z),
        format_value(e.trend_p),
        e.window.0,
        e.window.1
    )];
    parts.push(format!("slope {}/step", format_value(e.slope)));
    parts.push(format!("noise {}", format_value(e.noise)));
    if e.best.is_finite() {
        parts.push(format!("best {} at {}", format_value(e.best), e.best_step));
    }
    for f in flags {
        match f {
            Flag::Plateau { from_step } => parts.push(format!("plateau since {from_step}")),
            Flag::Spikes { steps } => parts.push(format!("{} spikes", steps.len())),
            Flag::NonFinite { count, first_step } => {
                parts.push(format!("{count} non-finite from {first_step}"))
            }
            Flag::OutOfDomain { message, .. } | Flag::PastFloor { message, .. } => {
                parts.push(message.clone())
            }
            Flag::DirectionUnknown => parts.push("direction unknown".into()),
        }
    }
    parts.join(" · ")
}
