//! Printing: aligned tables, times, numbers, JSON. Colors go through anstream, which drops
//! them when the output is not a terminal or `NO_COLOR` is set.

use anstyle::{AnsiColor, Style};
use std::io::Write;

pub const HEADER: Style = Style::new().bold();
pub const WARN: Style = AnsiColor::Yellow.on_default();

/// A Unix time as local `YYYY-MM-DD HH:MM`.
/// `n` and its noun, singular for one: `1 point`, `3 points`.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

pub fn time(t: f64) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_opt(t as i64, 0)
        .single()
        .map_or_else(
            || format!("{t}"),
            |d| d.format("%Y-%m-%d %H:%M").to_string(),
        )
}

pub use crate::model::format_value;

/// Print rows as a table with a bold header; columns are left-aligned except those in `right`.
/// A cell holds no control character: newlines, tabs and escapes are shown escaped (`\n`).
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[usize]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| escaped(c)).collect())
        .collect();
    let rows = &rows;
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            width[i] = width[i].max(cell.chars().count());
        }
    }
    let mut out = anstream::stdout().lock();
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = width[i] - c.chars().count();
            if i > 0 {
                s.push_str("  ");
            }
            if right.contains(&i) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s
    };
    let head: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    writeln!(out, "{HEADER}{}{HEADER:#}", line(&head))?;
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}

/// `text` with its control characters escaped as Rust writes them (`\n`, `\t`, `\u{1b}`).
pub fn escaped(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// Print one JSON document on stdout.
pub fn json(v: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_well() {
        assert_eq!(format_value(0.5), "0.5");
        assert_eq!(format_value(2.0), "2");
        assert_eq!(format_value(0.123456), "0.1235");
        assert_eq!(format_value(1.5e-5), "1.500e-5");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_value(-0.0), "0");
    }
}
