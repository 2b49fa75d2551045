//! The tables Stable-Baselines3 and OpenAI baselines print to stdout, one per logger dump:
//!
//! ```text
//! ---------------------------------
//! | rollout/           |          |
//! |    ep_rew_mean     | -1.2e+03 |
//! | time/              |          |
//! |    total_timesteps | 2048     |
//! ---------------------------------
//! ```
//!
//! A block of `| name | value |` rows between two rules of dashes is one record. A row with a
//! name ending in `/` and no value opens a group: the indented rows below it are `group/name`
//! (`rollout/ep_rew_mean`); a row that is not indented is named in full, as older baselines
//! print every row (`| rollout/ep_rew_mean | 200 |`). Names are kept as printed, a name cut
//! short with `...` included. The step is the row counting environment steps
//! (`time/total_timesteps`, `total_timesteps`, `timesteps`, see [`crate::ingest::step`]), else
//! the 0-based number of the block. Values that are not numbers are left out.

use crate::ingest::{Batch, Location, number, step};

/// Shortest rule of dashes that opens or closes a table (a table is at least `| a | 1 |`).
const MIN_RULE: usize = 9;

#[derive(Debug, Default)]
pub struct Tables {
    /// A rule was seen and the block it opened has not ended.
    open: bool,
    /// The group the indented rows below belong to (`rollout/`).
    group: Option<String>,
    /// The block's rows: name, value, 0-based line index.
    rows: Vec<(String, f64, u64)>,
    /// A table row was seen in the open block (with a value or not).
    any_row: bool,
    /// Blocks read so far.
    blocks: i64,
}

fn is_rule(t: &str) -> bool {
    t.len() >= MIN_RULE && t.bytes().all(|b| b == b'-')
}

/// The name cell (as printed, with its padding) and value cell of a `| name | value |` row.
/// A value is one word (or none, for a group): `| epoch 3 | loss 0.5 |` is a line of pairs,
/// not a table row. A name may hold spaces (`| mean 100 episode reward | 25.8 |`).
fn cells(t: &str) -> Option<(&str, &str)> {
    let inner = t.strip_prefix('|')?.strip_suffix('|')?;
    let (name, value) = inner.split_once('|')?;
    let value = value.trim();
    let row = !value.contains(['|', ' ', '\t']) && !name.trim().is_empty();
    row.then_some((name, value))
}

impl Tables {
    /// Read `line` if it belongs to a table; `false` hands it on to the other readers.
    pub fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> bool {
        let t = super::prefix::strip_log_prefix(line).trim();
        if is_rule(t) {
            if self.open && self.any_row {
                self.close(out);
            } else {
                self.open = true;
            }
            return true;
        }
        if !self.open {
            return false;
        }
        let Some((cell, value)) = cells(t) else {
            // A block that never closed (a log cut short, or a rule that opened no table).
            if self.any_row {
                self.close(out);
            }
            self.open = false;
            return false;
        };
        self.any_row = true;
        let name = cell.trim();
        if value.is_empty() && name.ends_with('/') {
            self.group = Some(name.to_owned());
            return true;
        }
        // SB3 pads every name cell with one space and indents a group's rows by four more.
        let indented = cell.len() - cell.trim_start().len() > 1;
        let full = match (&self.group, indented) {
            (Some(g), true) => format!("{g}{name}"),
            _ => {
                self.group = None;
                name.to_owned()
            }
        };
        if let Some(v) = number::parse(value) {
            self.rows.push((full, v, index));
        }
        true
    }

    /// End of input: a block still open is read as it stands.
    pub fn finish(&mut self, out: &mut Batch) {
        if self.any_row {
            self.close(out);
        }
    }

    fn close(&mut self, out: &mut Batch) {
        let rows = std::mem::take(&mut self.rows);
        let at_step = rows
            .iter()
            .position(|(n, v, _)| step::counts_timesteps(n) && number::as_step(*v).is_some());
        let s = match at_step {
            Some(i) => rows[i].1 as i64,
            None => self.blocks,
        };
        self.blocks += 1;
        for (i, (name, v, index)) in rows.into_iter().enumerate() {
            if Some(i) != at_step {
                let m = out.metric(&name);
                out.push_at(0, m, s, v, None, Location::Line(index + 1));
            }
        }
        self.open = false;
        self.any_row = false;
        self.group = None;
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{Batch, Format, Options, detect, parse_all};

    fn points(text: &str) -> (Batch, Vec<(String, i64, f64)>) {
        let b = parse_all(Format::KeyValue, &Options::default(), text.as_bytes());
        let v = b
            .points
            .iter()
            .map(|p| (b.metric_name(p.metric).to_string(), p.step, p.value))
            .collect();
        (b, v)
    }

    const SB3: &str = "Using cuda device\n\
        ---------------------------------\n\
        | rollout/           |          |\n\
        |    ep_len_mean     | 200      |\n\
        |    ep_rew_mean     | -1.2e+03 |\n\
        | time/              |          |\n\
        |    fps             | 1234     |\n\
        |    total_timesteps | 2048     |\n\
        | train/             |          |\n\
        |    loss            | 0.5      |\n\
        |    policy_gradi... | -0.01    |\n\
        ---------------------------------\n\
        Eval num_timesteps=2048\n\
        ---------------------------------\n\
        | rollout/           |          |\n\
        |    ep_rew_mean     | -900     |\n\
        | time/              |          |\n\
        |    total_timesteps | 4096     |\n\
        ---------------------------------\n";

    #[test]
    fn sb3_groups_and_total_timesteps() {
        assert_eq!(detect("stdout.log", SB3.as_bytes()), Format::KeyValue);
        let (b, v) = points(SB3);
        let at = |n: &str| -> Vec<(i64, f64)> {
            v.iter().filter(|p| p.0 == n).map(|p| (p.1, p.2)).collect()
        };
        assert_eq!(at("rollout/ep_rew_mean"), [(2048, -1200.0), (4096, -900.0)]);
        assert_eq!(at("train/loss"), [(2048, 0.5)]);
        assert_eq!(at("train/policy_gradi..."), [(2048, -0.01)]);
        assert!(at("time/total_timesteps").is_empty());
        // SB3's evaluation line between the tables is at its timesteps too.
        assert_eq!(at("eval_num_timesteps"), []);
        assert!(b.skips.is_empty());
    }

    #[test]
    fn baselines_full_names_and_block_numbers() {
        let text = "-------------------------------\n\
            | eplenmean          | 200    |\n\
            | rollout/ep_rew_mean| 12.5   |\n\
            | env_id             | CartPole |\n\
            | mean 100 episode reward | 25.8 |\n\
            -------------------------------\n\
            -------------------------------\n\
            | rollout/ep_rew_mean| 13.5   |\n\
            -------------------------------\n";
        let (_, v) = points(text);
        assert_eq!(
            v,
            vec![
                ("eplenmean".into(), 0, 200.0),
                ("rollout/ep_rew_mean".into(), 0, 12.5),
                ("mean 100 episode reward".into(), 0, 25.8),
                ("rollout/ep_rew_mean".into(), 1, 13.5)
            ]
        );
        // Lines of pairs between rules are not table rows.
        let (_, v) = points("----------\n| epoch 3 | loss 0.5 |\n----------\n");
        assert_eq!(v, vec![("loss".into(), 3, 0.5)]);
    }
}
