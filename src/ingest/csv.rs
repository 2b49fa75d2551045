//! CSV and TSV with a header row: PyTorch Lightning's `CSVLogger` (sparse rows, several rows per
//! step), Keras' `CSVLogger` (`epoch` column), YOLO's `results.csv` (space-padded cells), and any
//! table with a step-like column, chosen once for the whole file (see [`super::step_source`]);
//! without one the step is the row number.
//!
//! Columns that are not numbers have roles ([`super::csv_roles`]): pandas' unnamed index, label
//! columns prefixing their rows' metrics (`train_loss`), the long form's `metric` and `value`,
//! and a `Monitor` file's `t`. When the first line is a `#` comment, every `#` line is one.
//!
//! A row that looks like a new header switches the columns (a logger that added a metric
//! halfway). Git merge-conflict markers and rows with the wrong number of cells are skipped and
//! reported; empty cells are simply absent values.

use super::csv_roles::{self, Role};
use super::lines::LineParser;
use super::step_source::{Field, Record, StepSource};
use super::{Batch, Location, jsonl, number, step};

#[derive(Debug, Default)]
pub struct Csv {
    delimiter: u8,
    /// A non-empty line has been seen (the first one decides whether `#` lines are comments).
    started: bool,
    /// The first line was a `#` comment: every `#` line is one.
    comments: bool,
    /// The `t_start` of a `Monitor` file's comment line.
    t_start: Option<f64>,
    columns: Vec<Column>,
    /// Whether the first data row under the current header has been seen.
    first_row: bool,
    /// Rows (0-based line index, cells) held while a column of words is undecided.
    held: Vec<(u64, Vec<String>)>,
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
    role: Role,
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
        let names: Vec<String> = self.cells.iter().map(|c| c.trim().to_owned()).collect();
        let roles = csv_roles::from_header(&names, self.t_start);
        self.columns = names
            .into_iter()
            .zip(roles)
            .map(|(name, role)| Column {
                metric: out.metric(&name),
                rank: step::rank(&name),
                name,
                role,
            })
            .collect();
        self.first_row = false;
    }

    /// The header in `self.cells` replaces the current one, after the rows held under it.
    fn new_header(&mut self, out: &mut Batch) {
        let header = std::mem::take(&mut self.cells);
        self.release(out);
        self.cells = header;
        self.set_header(out);
    }

    /// Every cell names a column; only the first may be empty (pandas' index).
    fn looks_like_header(&self) -> bool {
        let named = |c: &String| {
            let c = c.trim();
            !c.is_empty() && number::parse(c).is_none()
        };
        match self.cells.split_first() {
            Some((first, rest)) if !rest.is_empty() && first.trim().is_empty() => {
                rest.iter().all(named)
            }
            _ => self.cells.iter().all(named),
        }
    }

    /// A data row in `self.cells`: hold it while a column is undecided, else import it.
    fn data_row(&mut self, index: u64, out: &mut Batch) {
        if !self.first_row {
            self.first_row = true;
            for (col, cell) in self.columns.iter_mut().zip(&self.cells) {
                if col.role == Role::Value && col.rank.is_none() {
                    col.role = csv_roles::first_cell(&col.name, cell);
                }
            }
        }
        if !self.columns.iter().any(|c| c.role == Role::Undecided) {
            return self.row(index, out);
        }
        self.held.push((index, self.cells.clone()));
        if self.held.len() >= csv_roles::LOOKAHEAD {
            self.release(out);
        }
    }

    /// Decide the undecided columns from the held rows and import those rows.
    fn release(&mut self, out: &mut Batch) {
        let held = std::mem::take(&mut self.held);
        // Each held row's step cells, to tell whether a column of words separates rows at
        // one step.
        let steps: Vec<String> = held
            .iter()
            .map(|(_, cells)| {
                let mut key = String::new();
                for (cell, col) in cells.iter().zip(&self.columns) {
                    if col.rank.is_some() {
                        key.push_str(cell.trim());
                        key.push(',');
                    }
                }
                key
            })
            .collect();
        for (i, col) in self.columns.iter_mut().enumerate() {
            if col.role == Role::Undecided {
                let rows = held.iter().zip(&steps);
                col.role = csv_roles::decide(rows.map(|((_, c), s)| (c[i].as_str(), s.clone())));
            }
        }
        for (index, cells) in held {
            self.cells = cells;
            self.row(index, out);
        }
    }

    fn row(&mut self, index: u64, out: &mut Batch) {
        let row = self.rows;
        self.rows += 1;
        let mut wall = None;
        let mut label = String::new();
        let mut name = None;
        for (cell, col) in self.cells.iter().zip(&self.columns) {
            let v = number::parse(cell);
            match col.role {
                Role::Label if !cell.trim().is_empty() => {
                    label.push_str(cell.trim());
                    label.push('_');
                }
                Role::Name if !cell.trim().is_empty() => name = Some(cell.trim()),
                Role::WallOffset => wall = v.zip(self.t_start).map(|(v, t)| t + v),
                Role::Value => {
                    if let Some(t) = v.and_then(|v| jsonl::wall_time(&col.name, v)) {
                        wall = Some(t);
                    }
                }
                _ => {}
            }
        }
        let rec = &mut self.record;
        rec.fields.clear();
        rec.long = None;
        for (cell, col) in self.cells.iter().zip(&self.columns) {
            let Some(v) = number::parse(cell) else {
                continue;
            };
            let metric = |out: &mut Batch, base: &str| {
                if label.is_empty() {
                    out.metric(base)
                } else {
                    out.metric(&format!("{label}{base}"))
                }
            };
            match col.role {
                Role::LongValue => {
                    if let Some(n) = name {
                        rec.long = Some((metric(out, n), v));
                    }
                }
                Role::Value => {
                    if wall.is_some() && jsonl::wall_time(&col.name, v).is_some() {
                        continue;
                    }
                    let m = if label.is_empty() || col.rank.is_some() {
                        col.metric
                    } else {
                        metric(out, &col.name)
                    };
                    rec.fields.push(Field {
                        metric: m,
                        value: v,
                        rank: col.rank,
                    });
                }
                _ => {}
            }
        }
        if name.is_some() && rec.long.is_none() {
            // A long-form row without a value holds no point.
            return;
        }
        rec.index = row;
        rec.at = Some(Location::Line(index + 1));
        rec.wall = wall;
        self.steps.record(&self.record, out);
    }
}

impl LineParser for Csv {
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String> {
        if line.trim().is_empty() {
            return Ok(());
        }
        let comment = line.trim_start().starts_with('#');
        if !self.started {
            self.started = true;
            self.comments = comment;
        }
        if comment && self.comments {
            if self.columns.is_empty() && self.t_start.is_none() {
                self.t_start = csv_roles::t_start(line);
            }
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
                self.new_header(out);
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
            self.new_header(out);
            return Ok(());
        }
        self.data_row(index, out);
        Ok(())
    }

    fn finish(&mut self, out: &mut Batch) {
        self.release(out);
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

    #[test]
    fn stable_baselines_steps_are_total_timesteps() {
        let (_, v) = points(
            "rollout/ep_rew_mean,time/iterations,time/total_timesteps,train/loss\n\
             22.4,1,2048,\n27.9,2,4096,5.8\n",
        );
        assert_eq!(v[0], ("rollout/ep_rew_mean".into(), 2048, 22.4));
        assert_eq!(v[4], ("train/loss".into(), 4096, 5.8));
        assert!(!v.iter().any(|p| p.0 == "time/total_timesteps"));
    }

    #[test]
    fn monitor_files_skip_comments_and_take_wall_times() {
        let text = "#{\"t_start\": 1690000000.5, \"env_id\": \"CartPole-v1\"}\n\
                    r,l,t\n18.0,18,0.25\n# a note\n14.0,14,0.5\n";
        let (b, v) = points(text);
        assert_eq!(
            v,
            vec![
                ("r".into(), 0, 18.0),
                ("l".into(), 0, 18.0),
                ("r".into(), 1, 14.0),
                ("l".into(), 1, 14.0)
            ]
        );
        assert_eq!(b.points[0].wall_time, Some(1690000000.75));
        assert!(b.skips.is_empty());
    }

    #[test]
    fn label_columns_prefix_their_rows() {
        let (_, v) = points("epoch,set,loss\n1,train,0.5\n1,val,0.6\n2,train,0.4\n2,val,0.5\n");
        assert_eq!(
            v,
            vec![
                ("train_loss".into(), 1, 0.5),
                ("val_loss".into(), 1, 0.6),
                ("train_loss".into(), 2, 0.4),
                ("val_loss".into(), 2, 0.5)
            ]
        );
        // Other words repeating from a small set, found by looking ahead.
        let (_, v) = points("step,model,loss\n1,teacher,0.5\n1,student,0.9\n2,teacher,0.4\n");
        assert_eq!(v[1], ("student_loss".into(), 1, 0.9));
        // A constant word is not a label, nor a phase that changes between steps.
        let (_, v) = points("step,model,loss\n1,resnet,0.5\n2,resnet,0.4\n");
        assert_eq!(v[1], ("loss".into(), 2, 0.4));
        let (_, v) = points(
            "epoch,phase_name,loss\n1,warmup,0.9\n2,warmup,0.7\n3,cosine,0.5\n4,cosine,0.4\n",
        );
        assert_eq!(v[3], ("loss".into(), 4, 0.4));
    }

    #[test]
    fn long_form_one_point_per_row() {
        let (b, v) = points("step,metric,value\n0,loss,2.3\n0,acc,0.1\n100,loss,1.4\n");
        assert_eq!(
            v,
            vec![
                ("loss".into(), 0, 2.3),
                ("acc".into(), 0, 0.1),
                ("loss".into(), 100, 1.4)
            ]
        );
        assert!(b.skips.is_empty());
        let (_, v) = points("key,value,step\nval/f1,0.5,3\n");
        assert_eq!(v, vec![("val/f1".into(), 3, 0.5)]);
        let (_, v) = points("epoch,split,metric,value\n1,train,loss,0.5\n1,val,loss,0.6\n");
        assert_eq!(v[1], ("val_loss".into(), 1, 0.6));
    }

    #[test]
    fn pandas_index_column_is_not_a_metric() {
        let (b, v) = points(",epoch,loss\n0,1,0.5\n1,2,0.4\n");
        assert_eq!(v, vec![("loss".into(), 1, 0.5), ("loss".into(), 2, 0.4)]);
        assert!(b.skips.is_empty());
        let (_, v) = points(",loss\n0,0.5\n1,0.4\n");
        assert_eq!(v, vec![("loss".into(), 0, 0.5), ("loss".into(), 1, 0.4)]);
    }
}
