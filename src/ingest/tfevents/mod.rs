//! TensorBoard event files (`events.out.tfevents.*`): TFRecord-framed `Event` protos.
//!
//! Scalars come from `simple_value` (TF1, tensorboardX, PyTorch, Lightning) and from `tensor`
//! summaries of the `scalars` plugin holding one number (TF2 and Keras). Images, histograms,
//! audio, text, graphs and other tensors are passed over silently. Each value is stored under
//! its tag as written (`train/loss`), at the event's step, with its wall time.
//!
//! Damage is reported and stepped over: a record whose checksums do not match is reported at
//! its byte offset and reading resumes at the next offset where a whole valid record starts.
//! A partial record at the end (a file still being written) is left unconsumed while more input
//! may come, and reported as a skip at the end of the input.

pub mod proto;
pub mod record;
#[doc(hidden)]
pub mod write;

use super::{Batch, Location, Parser};
use proto::{DATA_CLASS_SCALAR, Event, SummaryMetadata};
use record::{Damage, Frame, HEADER_LEN};
use std::collections::HashMap;

/// The parser of one event file.
#[derive(Debug, Default)]
pub struct TfEvents {
    /// Offset in the input of the next byte to be fed.
    offset: u64,
    /// Damage being stepped over: where it began and why.
    damaged: Option<(u64, Damage)>,
    /// Whether each tag seen with a tensor is a scalar, from metadata that writers often put on
    /// a tag's first value only.
    scalar_tags: HashMap<String, bool>,
}

/// Whether a tag with this metadata holds scalars; `None` when the metadata does not say.
fn says_scalar(m: &SummaryMetadata) -> Option<bool> {
    if m.data_class == DATA_CLASS_SCALAR {
        return Some(true);
    }
    m.plugin_data
        .as_ref()
        .filter(|p| !p.plugin_name.is_empty())
        .map(|p| p.plugin_name == "scalars")
}

impl TfEvents {
    pub fn new() -> Self {
        Self::default()
    }

    fn event(&mut self, ev: Event, at: u64, out: &mut Batch) {
        let Some(summary) = ev.summary else { return };
        for v in summary.value {
            let value = if let Some(x) = v.simple_value {
                Some(f64::from(x))
            } else if let Some(t) = &v.tensor {
                let scalar = match v.metadata.as_ref().and_then(says_scalar) {
                    Some(s) => {
                        if self.scalar_tags.get(&v.tag) != Some(&s) {
                            self.scalar_tags.insert(v.tag.clone(), s);
                        }
                        s
                    }
                    None => self.scalar_tags.get(&v.tag).copied().unwrap_or(false),
                };
                if scalar { t.scalar() } else { None }
            } else {
                None
            };
            if let Some(x) = value {
                let m = out.metric(&v.tag);
                let wall_time = (ev.wall_time > 0.0).then_some(ev.wall_time);
                out.push_at(0, m, ev.step, x, wall_time, Location::Offset(at));
            }
        }
    }

    fn record(&mut self, payload: &[u8], at: u64, out: &mut Batch) {
        match proto::decode(payload) {
            Ok(ev) => self.event(ev, at, out),
            Err(e) => out.skip(
                Location::Offset(at),
                format!("record is not a TensorBoard event ({e})"),
            ),
        }
    }

    /// Report the damage being stepped over, now that reading resumes at `resumed` (or, with
    /// `None`, that nothing valid followed it).
    fn report_damage(&mut self, resumed: Option<u64>, end: u64, out: &mut Batch) {
        let Some((start, why)) = self.damaged.take() else {
            return;
        };
        let why = why.describe();
        let reason = match resumed {
            Some(at) => format!(
                "corrupt record ({why}); skipped {} bytes, resumed at offset {at}",
                at - start
            ),
            None => format!(
                "corrupt record ({why}); no valid record in the {} bytes after it",
                end - start
            ),
        };
        out.skip(Location::Offset(start), reason);
    }

    fn parse(&mut self, data: &[u8], eof: bool, out: &mut Batch) -> usize {
        let base = self.offset;
        let abs = |pos: usize| base + pos as u64;
        let mut pos = 0;
        loop {
            if self.damaged.is_some() {
                match record::resync(data, pos) {
                    Some(p) => {
                        pos = p;
                        let whole = matches!(record::frame(&data[p..]), Frame::Record { .. });
                        if whole || eof {
                            self.report_damage(Some(abs(p)), abs(p), out);
                        } else {
                            // Whether this is a record is told by bytes still to come.
                            return pos;
                        }
                    }
                    None if eof => {
                        self.report_damage(None, abs(data.len()), out);
                        return data.len();
                    }
                    None => return pos.max(data.len().saturating_sub(HEADER_LEN - 1)),
                }
            }
            match record::frame(&data[pos..]) {
                Frame::Record { len } => {
                    let payload = &data[pos + HEADER_LEN..pos + HEADER_LEN + len];
                    self.record(payload, abs(pos), out);
                    pos += Frame::total(len);
                }
                Frame::Incomplete if eof => {
                    if pos < data.len() {
                        out.skip(
                            Location::Offset(abs(pos)),
                            format!(
                                "truncated record (file still being written?): {} bytes at the end",
                                data.len() - pos
                            ),
                        );
                    }
                    return data.len();
                }
                Frame::Incomplete => return pos,
                Frame::Corrupt(why) => {
                    self.damaged = Some((abs(pos), why));
                    pos += 1;
                }
            }
        }
    }
}

impl Parser for TfEvents {
    fn feed(&mut self, data: &[u8], eof: bool, out: &mut Batch) -> usize {
        let consumed = self.parse(data, eof, out);
        self.offset += consumed as u64;
        consumed
    }
}

/// Whether `head` starts with a TFRecord header: a length and its valid masked CRC.
pub fn looks_like(head: &[u8]) -> bool {
    record::header(head).is_some()
}

/// The wall time of the first event in `head` (the start of an event file), if readable.
pub fn first_wall_time(head: &[u8]) -> Option<f64> {
    let Frame::Record { len } = record::frame(head) else {
        return None;
    };
    let ev = proto::decode(&head[HEADER_LEN..HEADER_LEN + len]).ok()?;
    (ev.wall_time > 0.0).then_some(ev.wall_time)
}

#[cfg(test)]
mod tests;
