//! The chart: the chosen metric of every run on it, one color per run (Braille lines), the raw
//! curve kept faint behind its smoothing, log scale by transforming the values, gaps where
//! values are not finite, round ticks. Curves come downsampled from the app's cache.

use super::{fit, focused, marker_symbol, pane, run_color, run_marker, ticks};
use crate::compare::Align;
use crate::model::Series;
use crate::tui::app::{App, Focus, SMOOTHING};
use crate::tui::cache::{ChartCache, Points, YKey};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, LegendPosition, Paragraph};
use std::sync::Arc;

/// Columns reserved for the value labels and the axis.
const Y_LABELS: u16 = 8;

struct Curve {
    run: String,
    raw: Option<Points>,
    main: Option<Points>,
}

/// The runs' curves of the metric on the chart.
fn shown_series(app: &App, group: &crate::tui::groups::Group) -> Vec<(String, Arc<Series>)> {
    app.shown_runs()
        .iter()
        .zip(&group.members)
        .filter_map(|(run, m)| {
            let s = app.loaded.get(run)?.series(m.as_deref()?)?;
            Some((run.clone(), s.clone()))
        })
        .collect()
}

/// The y values a frame draws: raw, and smoothed when smoothing is on.
fn keys(app: &App) -> (YKey, YKey) {
    let raw = YKey {
        smoothing: 0,
        log: app.log,
    };
    let main = YKey {
        smoothing: app.smoothing,
        log: app.log,
    };
    (raw, main)
}

/// Before a frame is drawn: compute what the chart will need that the cache lacks, on all
/// cores, so that drawing starts no thread.
pub fn prepare(app: &App, cache: &mut ChartCache) {
    cache.begin_frame();
    let Some(group) = app.selected_group() else {
        return;
    };
    let all: Vec<_> = shown_series(app, group)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let (raw, main) = keys(app);
    let keys: &[YKey] = if app.smoothing > 0 {
        &[raw, main]
    } else {
        &[raw]
    };
    cache.prepare(&all, app.align, keys);
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, cache: &mut ChartCache) {
    let mut title = String::from(" ");
    let Some(group) = app.selected_group() else {
        let block = pane(" Chart ", focused(app, Focus::Chart), app);
        frame.render_widget(Paragraph::new("no metric to draw").block(block), area);
        return;
    };
    title.push_str(&group.label);
    title.push_str(&format!(" · {}", align_word(app.align)));
    if app.smoothing > 0 {
        title.push_str(&format!(" · smoothing {}", SMOOTHING[app.smoothing]));
    }
    if app.log {
        title.push_str(" · log");
    }
    if app.view != (0.0, 1.0) {
        title.push_str(&format!(" · zoom {:.0}×", 1.0 / (app.view.1 - app.view.0)));
    }
    let series = shown_series(app, group);
    let (raw_key, main_key) = keys(app);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut untimed = Vec::new();
    for (run, s) in &series {
        match cache.xs(s, app.align) {
            Some(xs) => {
                if let (Some(a), Some(b)) = (xs.first(), xs.last()) {
                    lo = lo.min(*a);
                    hi = hi.max(*b);
                }
            }
            None if !s.is_empty() => untimed.push(run.as_str()),
            None => {}
        }
    }
    if !untimed.is_empty() {
        title.push_str(&format!(" · no wall times: {}", untimed.join(", ")));
    }
    title.push(' ');
    let block = pane(title, focused(app, Focus::Chart), app);
    if !(lo.is_finite() && hi.is_finite()) {
        let text = if series.is_empty() {
            "reading…"
        } else {
            "nothing to draw here (press x for another alignment)"
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    let span = hi - lo;
    let (x0, x1) = (lo + app.view.0 * span, lo + app.view.1 * span);
    let graph_w = area.width.saturating_sub(2 + Y_LABELS).max(1);
    let graph_h = area.height.saturating_sub(3).max(1);
    let (unit, suffix) = match app.align {
        Align::Time => ticks::time_unit(x1 - x0),
        _ => (1.0, ""),
    };
    let xt = ticks::nice(x0 / unit, x1 / unit, usize::from(graph_w / 12).clamp(2, 6));
    let xstep = xt.get(1).zip(xt.first()).map_or(1.0, |(b, a)| b - a);
    let (bx0, bx1) = (xt[0] * unit, xt[xt.len() - 1] * unit);
    let curves: Vec<Curve> = series
        .iter()
        .map(|(run, s)| {
            let raw = cache.points(s, app.align, raw_key, bx0, bx1, graph_w);
            let main = if app.smoothing > 0 {
                cache.points(s, app.align, main_key, bx0, bx1, graph_w)
            } else {
                None
            };
            Curve {
                run: run.clone(),
                raw,
                main,
            }
        })
        .collect();
    let (mut ylo, mut yhi) = (f64::INFINITY, f64::NEG_INFINITY);
    for c in &curves {
        for p in c.raw.iter().chain(&c.main).flat_map(|v| v.iter()) {
            if p.1.is_finite() && p.0 >= bx0 && p.0 <= bx1 {
                ylo = ylo.min(p.1);
                yhi = yhi.max(p.1);
            }
        }
    }
    if !(ylo.is_finite() && yhi.is_finite()) {
        let text = if app.log {
            "no positive values here: press l for a linear scale"
        } else {
            "no finite values here"
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    let pad = (yhi - ylo) * 0.05;
    // Padding never takes a non-negative curve below zero.
    let bottom = if !app.log && ylo >= 0.0 {
        (ylo - pad).max(0.0)
    } else {
        ylo - pad
    };
    let most = usize::from(graph_h / 3).clamp(2, 6);
    let yt = if app.log {
        ticks::nice_log(bottom, yhi + pad, most)
    } else {
        ticks::nice(bottom, yhi + pad, most)
    };
    let ystep = yt.get(1).zip(yt.first()).map_or(1.0, |(b, a)| b - a);
    // Faint curves first, so the colored ones are drawn over them.
    let (mut back, mut datasets) = (Vec::new(), Vec::new());
    let faint = if app.no_color {
        None
    } else {
        Some(Color::DarkGray)
    };
    for c in &curves {
        let marker = run_marker(app, &c.run);
        let color = run_color(app, &c.run);
        // The legend shows the marker too: without colors it is what tells the runs apart.
        let name = format!("{} {}", marker_symbol(marker), fit(&c.run, 24));
        match (&c.main, faint) {
            (Some(main), Some(faint)) => {
                if let Some(raw) = &c.raw {
                    push_line(&mut back, raw, None, marker, faint);
                }
                push_line(&mut datasets, main, Some(name), marker, color);
            }
            (Some(main), None) => push_line(&mut datasets, main, Some(name), marker, color),
            (None, _) => {
                if let Some(raw) = &c.raw {
                    push_line(&mut datasets, raw, Some(name), marker, color);
                }
            }
        }
    }
    back.append(&mut datasets);
    let datasets = back;
    let x_labels: Vec<String> = xt
        .iter()
        .map(|v| format!("{}{suffix}", ticks::number(*v, xstep)))
        .collect();
    let y_labels: Vec<Line> = yt
        .iter()
        .map(|v| Line::from(y_label(*v, ystep, app.log)))
        .collect();
    let ybounds = (yt[0], yt[yt.len() - 1]);
    let y_label_w = y_labels.iter().map(Line::width).max().unwrap_or(0) as u16;
    let chart = Chart::new(datasets)
        .block(block)
        // Two empty labels keep the row for ours (ratatui spaces labels by slots, not values).
        .x_axis(Axis::default().bounds([bx0, bx1]).labels(["", ""]))
        .y_axis(
            Axis::default()
                .bounds([yt[0], yt[yt.len() - 1]])
                .labels(y_labels),
        )
        .legend_position(Some(legend_corner(
            &curves,
            (bx0, bx1),
            (ybounds.0, ybounds.1),
        )))
        .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)));
    frame.render_widget(chart, area);
    x_axis_labels(frame, area, y_label_w, &xt, &x_labels);
}

/// The x labels, each centered under its value (the chart's own layout: a border, the y
/// labels, the axis line, then the graph; the label row is the last inside the border).
fn x_axis_labels(frame: &mut Frame, area: Rect, y_label_w: u16, ticks: &[f64], labels: &[String]) {
    let inner = Rect::new(
        area.x + 1,
        area.y + 1,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    if inner.height < 3 || inner.width < 4 {
        return;
    }
    let left = inner.x + y_label_w.min(inner.width / 3) + 1;
    let width = inner.right().saturating_sub(left);
    let (Some(first), Some(last)) = (ticks.first(), ticks.last()) else {
        return;
    };
    let span = last - first;
    let row = inner.bottom() - 1;
    let mut free_from = inner.x;
    let buf = frame.buffer_mut();
    for (i, (v, label)) in ticks.iter().zip(labels).enumerate() {
        let f = if span > 0.0 { (v - first) / span } else { 0.0 };
        let col = left + (f * f64::from(width.saturating_sub(1))).round() as u16;
        let w = label.chars().count() as u16;
        let start = if i + 1 == ticks.len() {
            col.saturating_sub(w.saturating_sub(1))
        } else if i == 0 {
            col
        } else {
            col.saturating_sub(w / 2)
        };
        let start = start.clamp(inner.x, inner.right().saturating_sub(w));
        if start < free_from {
            continue;
        }
        buf.set_string(start, row, label, Style::new());
        free_from = start + w + 1;
    }
}

/// The corner where the legend hides the fewest points (top right when tied).
fn legend_corner(curves: &[Curve], x: (f64, f64), y: (f64, f64)) -> LegendPosition {
    let corners = [
        (LegendPosition::TopRight, true, true),
        (LegendPosition::TopLeft, false, true),
        (LegendPosition::BottomRight, true, false),
        (LegendPosition::BottomLeft, false, false),
    ];
    let (w, h) = (x.1 - x.0, y.1 - y.0);
    let mut hidden = [0usize; 4];
    for p in curves
        .iter()
        .flat_map(|c| c.raw.iter().chain(&c.main))
        .flat_map(|v| v.iter())
    {
        let (fx, fy) = ((p.0 - x.0) / w, (p.1 - y.0) / h);
        for (k, (_, right, top)) in corners.iter().enumerate() {
            let in_x = if *right { fx >= 0.65 } else { fx <= 0.35 };
            let in_y = if *top { fy >= 0.7 } else { fy <= 0.3 };
            hidden[k] += usize::from(in_x && in_y);
        }
    }
    let best = (0..4).min_by_key(|&k| hidden[k]).unwrap_or(0);
    corners[best].0
}

fn align_word(a: Align) -> &'static str {
    match a {
        Align::Step => "by step",
        Align::Relative => "by relative step",
        Align::Time => "by wall time",
    }
}

fn y_label(v: f64, step: f64, log: bool) -> String {
    if log {
        ticks::log_label(v)
    } else {
        ticks::number(v, step)
    }
}

/// Add a curve as line datasets, one per stretch of finite values (a gap breaks the line).
fn push_line<'a>(
    out: &mut Vec<Dataset<'a>>,
    points: &'a [(f64, f64)],
    name: Option<String>,
    marker: Marker,
    color: Color,
) {
    let mut name = name;
    let mut start = 0;
    while start < points.len() {
        if !points[start].1.is_finite() {
            start += 1;
            continue;
        }
        let end = points[start..]
            .iter()
            .position(|p| !p.1.is_finite())
            .map_or(points.len(), |e| start + e);
        let mut d = Dataset::default()
            .data(&points[start..end])
            .marker(marker)
            .graph_type(GraphType::Line)
            .style(Style::new().fg(color));
        if let Some(n) = name.take() {
            d = d.name(n);
        }
        out.push(d);
        start = end;
    }
}
