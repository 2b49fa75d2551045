//! YOLOv5's older `results.txt` (and the ultralytics YOLOv3 of the same era): one line per
//! epoch, white-space separated, no header:
//!
//! ```text
//!       0/299     3.29G   0.07943   0.03068   0.02766    0.1378        15       640    0.0138 …
//! ```
//!
//! The 15 columns are the epoch as `EPOCH/LAST`, the GPU memory (with a `G` unit), the mean
//! train box, objectness, class and total losses, the number of targets in the last batch, the
//! image size, then precision, recall, mAP@0.5, mAP@0.5:0.95 and the validation box, objectness
//! and class losses. The metrics take the names YOLOv5's `results.csv` gives them
//! (`train/box_loss`, `metrics/mAP_0.5:0.95`, …) so old and new runs compare. The step is the
//! epoch. Early YOLOv3 versions wrote the mean F1 where the mAP@0.5:0.95 is; nothing in the file
//! tells the two apart.

use super::lines::LineParser;
use super::{Batch, Location, number};

/// The names of the columns after the epoch.
pub const COLUMNS: [&str; 14] = [
    "gpu_mem",
    "train/box_loss",
    "train/obj_loss",
    "train/cls_loss",
    "train/total_loss",
    "targets",
    "img_size",
    "metrics/precision",
    "metrics/recall",
    "metrics/mAP_0.5",
    "metrics/mAP_0.5:0.95",
    "val/box_loss",
    "val/obj_loss",
    "val/cls_loss",
];

#[derive(Debug, Default)]
pub struct YoloTxt {
    metrics: Vec<u32>,
}

/// The epoch and values of a row, or `None` when the line is not one: `N/M` with `N <= M`,
/// then exactly 14 numbers, the first of which may carry a `G`.
pub fn row(line: &str) -> Option<(i64, [f64; 14])> {
    let mut words = line.split_whitespace();
    let (n, m) = words.next()?.split_once('/')?;
    let epoch: i64 = n.parse().ok()?;
    let last: i64 = m.parse().ok()?;
    if epoch < 0 || epoch > last {
        return None;
    }
    let mut values = [0.0; 14];
    for (i, v) in values.iter_mut().enumerate() {
        let w = words.next()?;
        let w = if i == 0 {
            w.strip_suffix('G').unwrap_or(w)
        } else {
            w
        };
        *v = number::parse(w)?;
    }
    words.next().is_none().then_some((epoch, values))
}

/// Whether the (trimmed, non-empty) first lines of a file are such rows.
pub fn looks_like(lines: &[&str]) -> bool {
    let sample = &lines[..lines.len().min(20)];
    !sample.is_empty()
        && row(sample[0]).is_some()
        && sample.iter().filter(|l| row(l).is_some()).count() * 10 >= sample.len() * 9
}

impl LineParser for YoloTxt {
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let Some((epoch, values)) = row(line) else {
            return Err(format!(
                "not a results.txt row (EPOCH/LAST then 14 numbers): {} columns",
                line.split_whitespace().count()
            ));
        };
        if self.metrics.is_empty() {
            self.metrics = COLUMNS.iter().map(|c| out.metric(c)).collect();
        }
        let at = Location::Line(index + 1);
        for (&m, v) in self.metrics.iter().zip(values) {
            out.push_at(0, m, epoch, v, None, at);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, Options, detect, parse_all};

    const ROWS: &str = "      0/299     3.29G   0.07943   0.03068   0.02766    0.1378        15       640    0.0138   0.02941  0.003152 0.0007712   0.06706   0.03062    0.0249\n\
        \x20     1/299     4.12G   0.06913   0.03249   0.02412    0.1257        22       640   0.08211    0.1093   0.03148  0.009816   0.05911   0.02921   0.02177\n";

    #[test]
    fn rows_by_epoch_with_results_csv_names() {
        assert_eq!(detect("results.txt", ROWS.as_bytes()), Format::YoloTxt);
        let b = parse_all(Format::YoloTxt, &Options::default(), ROWS.as_bytes());
        assert_eq!(b.points.len(), 28);
        let get = |name: &str, step: i64| {
            b.points
                .iter()
                .find(|p| b.metric_name(p.metric) == name && p.step == step)
                .map(|p| p.value)
        };
        assert_eq!(get("gpu_mem", 0), Some(3.29));
        assert_eq!(get("train/box_loss", 1), Some(0.06913));
        assert_eq!(get("metrics/mAP_0.5:0.95", 0), Some(0.0007712));
        assert_eq!(get("val/cls_loss", 1), Some(0.02177));
        assert!(b.skips.is_empty());
    }

    #[test]
    fn other_whitespace_tables_are_not_results_txt() {
        // A headerless table of another width.
        let narrow = "0/9 0.5 0.6 0.7\n1/9 0.4 0.5 0.6\n";
        assert_ne!(detect("results.txt", narrow.as_bytes()), Format::YoloTxt);
        assert!(row("0/9 0.5 0.6 0.7").is_none());
        // Numbers without the `N/M` epoch, and an epoch past its last.
        assert!(row(&ROWS.lines().next().unwrap().replacen("0/299", "0", 1)).is_none());
        assert!(row(&ROWS.lines().next().unwrap().replacen("0/299", "300/299", 1)).is_none());
        let b = parse_all(Format::YoloTxt, &Options::default(), narrow.as_bytes());
        assert!(b.points.is_empty() && b.skips.len() == 2);
    }
}
