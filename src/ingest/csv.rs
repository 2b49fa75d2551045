//! CSV and TSV with a header row: PyTorch Lightning's `CSVLogger` (sparse rows, several rows per
//! step), Keras' `CSVLogger` (`epoch` column), YOLO's `results.csv` (space-padded cells), and any
//! table with a step-like column, chosen once for the whole file (see [`super::step_source`]);
//! without one the step is the row number.
//!
//! A row that looks like a new header switches the columns (a logger that added a metric
//! halfway). Git merge-conflict markers and rows with the wrong number of cells are skipped and
//! reported; empty cells are simply absent values.

use super::lines::LineParser;
use super::step_source::{Field, Record, StepSource};
use super::{Batch, Location, jsonl, number, step};

#[derive(Debug, Default)]
pub struct Csv {
    delimiter: u8,
    columns: Vec<Column>,
    rows: u64,
    cells: Vec<String>,
    record: Record,
    steps: StepSource,
}

#[derive(Debug)]
struct Column {
    name: String,
    metric: u32,
    rank: Option<usize>,
}

/// Split one CSV line into cells, honouring double quotes (`"a,b"`, `""` for a quote).
pub fn split(line: &str, delimiter: u8, cells: &mut Vec<String>) {
    cells.clear();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cell.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
        } else if c == '"' && cell.trim().is_empty() {
            cell.clear();
            quoted = true;
        } else if c as u32 == u32::from(delimiter) {
            cells.push(std::mem::take(&mut cell));
        } else {
            cell.push(c);
        }
    }
    cells.push(cell);
}

fn is_conflict_marker(line: &str) -> bool {
    ["<<<<<<<", "=======", ">>>>>>>", "|||||||"]
        .iter()
        .any(|m| line.starts_with(m))
}

impl Csv {
    fn set_header(&mut self, out: &mut Batch) {
        self.columns = self
            .cells
            .iter()
            .map(|c| {
                let name = c.trim().to_owned();
                Column {
                    metric: out.metric(&name),
                    rank: step::rank(&name),
                    name,
                }
            })
            .collect();
    }

    fn looks_like_header(&self) -> bool {
        self.cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && number::parse(c).is_none()
        })
    }
}

impl LineParser for Csv {
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        if is_conflict_marker(line) {
            return Err("git merge-conflict marker".into());
        }
        if self.columns.is_empty() {
            self.delimiter = if line.contains('\t') && !line.contains(',') {
                b'\t'
            } else {
                b','
            };
            split(line, self.delimiter, &mut self.cells);
            if !self.looks_like_header() {
                return Err("the first row is not a header (every column needs a name)".into());
            }
            self.set_header(out);
            return Ok(());
        }
        split(line, self.delimiter, &mut self.cells);
        if self.cells.len() != self.columns.len() {
            if self.looks_like_header() {
                self.set_header(out);
                return Ok(());
            }
            return Err(format!(
                "row has {} cells, the header has {}",
                self.cells.len(),
                self.columns.len()
            ));
        }
        if self.looks_like_header() {
            // A repeated or changed header (a logger restarted and wrote its header again).
            self.set_header(out);
            return Ok(());
        }
        let row = self.rows;
        self.rows += 1;
        let mut wall = None;
        for (cell, col) in self.cells.iter().zip(&self.columns) {
            if let Some(v) = number::parse(cell)
                && let Some(t) = jsonl::wall_time(&col.name, v)
            {
                wall = Some(t);
            }
        }
        let rec = &mut self.record;
        rec.fields.clear();
        for (cell, col) in self.cells.iter().zip(&self.columns) {
            let Some(v) = number::parse(cell) else {
                continue;
            };
            if wall.is_some() && jsonl::wall_time(&col.name, v).is_some() {
                continue;
            }
            rec.fields.push(Field {
                metric: col.metric,
                value: v,
                rank: col.rank,
            });
        }
        rec.index = row;
        rec.at = Some(Location::Line(index + 1));
        rec.wall = wall;
        self.steps.record(&self.record, out);
        Ok(())
    }

    fn finish(&mut self, out: &mut Batch) {
        self.steps.finish(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Format, Options, parse_all};

    fn points(text: &str) -> (Batch, Vec<(String, i64, f64)>) {
        let b = parse_all(Format::Csv, &Options::default(), text.as_bytes());
        let v = b
            .points
            .iter()
            .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
            .collect();
        (b, v)
    }

    #[test]
    fn split_honours_quotes() {
        let mut c = vec![];
        split(r#"a,"b,c",,"d""e""#, b',', &mut c);
        assert_eq!(c, vec!["a", "b,c", "", "d\"e"]);
    }

    #[test]
    fn lightning_sparse_rows() {
        let (_, v) = points("epoch,step,train_loss,val_f1\n0,4,2.3,\n0,9,,0.5\n");
        assert_eq!(
            v,
            vec![
                ("epoch".into(), 4, 0.0),
                ("train_loss".into(), 4, 2.3),
                ("epoch".into(), 9, 0.0),
                ("val_f1".into(), 9, 0.5),
            ]
        );
    }

    #[test]
    fn keras_epoch_is_the_step() {
        let (_, v) = points("epoch,acc,loss\n0,0.5,1.0\n1,0.6,NaN\n");
        assert_eq!(v.len(), 4);
        assert_eq!(v[2].0, "acc");
        assert_eq!(v[2].1, 1);
        assert!(v[3].2.is_nan());
    }

    #[test]
    fn padded_yolo_cells_and_tsv() {
        let (_, v) = points("  epoch,  train/box_loss\n    0,  1.5\n");
        assert_eq!(v, vec![("train/box_loss".into(), 0, 1.5)]);
        let (_, v) = points("step\tloss\n3\t0.5\n");
        assert_eq!(v, vec![("loss".into(), 3, 0.5)]);
    }

    #[test]
    fn columns_change_halfway_and_bad_rows_are_reported() {
        let text = "step,loss\n1,0.5\n<<<<<<< HEAD\nstep,loss,acc\n2,0.4,0.9\n3,0.3\n";
        let (b, v) = points(text);
        assert_eq!(
            v,
            vec![
                ("loss".into(), 1, 0.5),
                ("loss".into(), 2, 0.4),
                ("acc".into(), 2, 0.9)
            ]
        );
        assert_eq!(b.skips.len(), 2);
        assert_eq!(b.skips[0].reason, "git merge-conflict marker");
        assert_eq!(b.skips[1].location, Location::Line(6));
        assert_eq!(b.skips[1].reason, "row has 2 cells, the header has 3");
    }

    #[test]
    fn header_only_and_no_step_column() {
        let (b, v) = points("epoch,loss\n");
        assert!(v.is_empty() && b.skips.is_empty());
        let (_, v) = points("Score,Reward\n10,1\n20,2\n");
        assert_eq!(v[2], ("Score".into(), 1, 20.0));
    }
}
