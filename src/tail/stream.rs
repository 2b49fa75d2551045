//! A byte stream that arrives in pieces (a growing file, a pipe) turned into points: the
//! format is detected as import would, from the name and the first bytes, and the parser is fed
//! what arrived; bytes it did not consume (an incomplete last line or record) wait for more.
//!
//! Detection waits for evidence: while the parser it chose has produced no point, the format
//! is detected again as more of the head arrives (a console log's first Trainer dict may follow
//! a banner), and a different answer starts a new parser over the same bytes. Once a point has
//! come out (or the head reached [`HEAD_MAX`]), the format is settled.

use crate::ingest::detect::{HEAD_LEN, HEAD_MAX};
use crate::ingest::{self, Batch, Format, Options, Parser};

/// Run params found beside the data (Lightning's `hparams.yaml`).
pub type Params = serde_json::Map<String, serde_json::Value>;

/// One input being parsed as it arrives.
pub struct Stream {
    name: String,
    forced: Option<Format>,
    options: Options,
    params: Option<Params>,
    parser: Option<Box<dyn Parser>>,
    format: Option<Format>,
    settled: bool,
    /// Every byte from the start, kept while the format is not settled.
    head: Vec<u8>,
    /// Bytes the parser has not consumed yet.
    pending: Vec<u8>,
    /// Stream offset of `pending[0]`: everything before it has been parsed.
    consumed: u64,
    batch: Batch,
    generation: u64,
}

impl Stream {
    /// A stream named `name` (a file name, for detection; may be empty), read as `forced` if
    /// given.
    pub fn new(name: &str, forced: Option<Format>, options: Options) -> Self {
        Stream {
            name: name.to_owned(),
            forced,
            options,
            params: None,
            parser: None,
            format: None,
            settled: forced.is_some(),
            head: Vec::new(),
            pending: Vec::new(),
            consumed: 0,
            batch: Batch::new(),
            generation: 0,
        }
    }

    /// Params to attach to the default run with the first points.
    pub fn with_params(mut self, params: Option<Params>) -> Self {
        self.params = params;
        self.new_batch();
        self
    }

    /// Read as `format` from now on (a resumed file keeps the format it was read as).
    pub fn force(&mut self, format: Format) {
        if self.forced != Some(format) {
            self.forced = Some(format);
            self.settled = true;
            self.start_over();
        }
    }

    /// The format given or detected so far.
    pub fn format(&self) -> Option<Format> {
        self.format.or(self.forced)
    }

    /// The format once it can no longer change.
    pub fn settled_format(&self) -> Option<Format> {
        self.format.filter(|_| self.settled)
    }

    /// Offset (in the stream) up to which the input has been parsed: the end of the last
    /// complete line or record.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// What was parsed since the last [`Stream::clear`].
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    /// Changes whenever the stream starts over with a new [`Batch`] (whose name indices differ).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Drop the output handed on (or replayed); keep names and restart detection.
    pub fn clear(&mut self) {
        self.batch.clear();
    }

    /// Forget everything and read the input again from its first byte (a truncated or rotated
    /// file). A detected format is detected again.
    pub fn start_over(&mut self) {
        self.parser = None;
        self.format = None;
        self.settled = self.forced.is_some();
        self.head.clear();
        self.pending.clear();
        self.consumed = 0;
        self.new_batch();
    }

    fn new_batch(&mut self) {
        self.generation += 1;
        self.batch = Batch::new();
        if let Some(p) = self.params.clone() {
            self.batch.params.push((0, p));
        }
    }

    fn detect(&self) -> Format {
        if let Some(f) = self.forced {
            return f;
        }
        let h = &self.head;
        let f = ingest::detect(&self.name, &h[..h.len().min(HEAD_LEN)]);
        if f == Format::KeyValue && h.len() > HEAD_LEN {
            ingest::detect(&self.name, &h[..h.len().min(HEAD_MAX)])
        } else {
            f
        }
    }

    /// (Re)choose the parser from what the head shows now.
    fn choose(&mut self) {
        let f = self.detect();
        if self.parser.is_some() && self.format == Some(f) {
            return;
        }
        self.parser = Some(ingest::parser(f, &self.options));
        self.format = Some(f);
        if !self.settled {
            // A new parser reads from the start: nothing came out of the old one.
            self.pending.clone_from(&self.head);
            self.consumed = 0;
            self.new_batch();
        }
    }

    /// Append `data` and parse what is complete.
    pub fn push(&mut self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        self.pending.extend_from_slice(data);
        if !self.settled {
            self.head.extend_from_slice(data);
            self.choose();
        } else if self.parser.is_none() {
            self.choose();
        }
        self.feed(false);
        if !self.settled && (!self.batch.points.is_empty() || self.head.len() >= HEAD_MAX) {
            self.settled = true;
            self.head = Vec::new();
        }
    }

    fn feed(&mut self, eof: bool) {
        let Some(parser) = self.parser.as_mut() else {
            return;
        };
        let n = parser.feed(&self.pending, eof, &mut self.batch);
        self.pending.drain(..n);
        self.consumed += n as u64;
    }

    /// The input has ended, or reading stops: flush what the parser holds back. With
    /// `partial`, an incomplete last line or record is parsed as it is (the input is known to
    /// be complete); without, it is left for a later reader, and [`Stream::consumed`] stays at
    /// the end of the last complete one either way.
    pub fn finish(&mut self, partial: bool) {
        if self.parser.is_none() {
            if self.pending.is_empty() {
                return;
            }
            self.choose();
        }
        self.feed(false);
        let rest = if partial {
            std::mem::take(&mut self.pending)
        } else {
            Vec::new()
        };
        if let Some(parser) = self.parser.as_mut() {
            parser.feed(&rest, true, &mut self.batch);
        }
    }

    /// Parse a whole document (a `trainer_state.json`, rewritten whole each time) into a new
    /// batch. False when it does not parse at all (it is being written): try again later.
    pub fn document(&mut self, format: Format, data: &[u8]) -> bool {
        let mut batch = Batch::new();
        if let Some(p) = self.params.clone() {
            batch.params.push((0, p));
        }
        let mut parser = ingest::parser(format, &self.options);
        parser.feed(data, true, &mut batch);
        if batch.points.is_empty() && !batch.skips.is_empty() {
            return false;
        }
        self.generation += 1;
        self.batch = batch;
        self.format = Some(format);
        self.settled = true;
        self.consumed = data.len() as u64;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parse_all;

    fn values(b: &Batch) -> Vec<(String, i64, f64)> {
        b.points
            .iter()
            .map(|p| (b.metric_name(p.metric).to_owned(), p.step, p.value))
            .collect()
    }

    #[test]
    fn a_partial_line_waits_for_the_rest() {
        let mut s = Stream::new("m.jsonl", None, Options::default());
        s.push(b"{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"lo");
        assert_eq!(values(s.batch()), [("loss".into(), 1, 0.5)]);
        assert_eq!(s.consumed(), 25);
        s.clear();
        s.push(b"ss\": 0.25}\n");
        assert_eq!(values(s.batch()), [("loss".into(), 2, 0.25)]);
        assert_eq!(s.consumed(), 51);
        assert_eq!(s.settled_format(), Some(Format::Jsonl));
    }

    #[test]
    fn detection_waits_until_the_parser_finds_points() {
        // A console log: a banner, then the Trainer's dicts. Fed a byte at a time, it ends up
        // read exactly as import reads the whole file.
        let log = b"wandb: Tracking run with wandb version 0.16\nloading model...\n\
            {'loss': 0.9, 'learning_rate': 5e-05, 'epoch': 0.1}\n\
            {'loss': 0.7, 'learning_rate': 4e-05, 'epoch': 0.2}\n";
        let mut s = Stream::new("train.log", None, Options::default());
        let mut got = Vec::new();
        let mut generation = s.generation();
        for b in log.iter() {
            s.push(std::slice::from_ref(b));
            if s.generation() != generation {
                got.clear();
                generation = s.generation();
            }
            got.extend(values(s.batch()));
            s.clear();
        }
        s.finish(false);
        got.extend(values(s.batch()));
        let whole = parse_all(Format::HfLog, &Options::default(), log);
        assert_eq!(s.format(), Some(Format::HfLog));
        assert_eq!(got, values(&whole));
    }

    #[test]
    fn finish_flushes_and_parses_the_last_line_only_when_told() {
        let mut s = Stream::new("m.jsonl", None, Options::default());
        s.push(b"{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"loss\": 0.25}");
        s.clear();
        s.finish(false);
        assert!(s.batch().points.is_empty());
        let mut s2 = Stream::new("m.jsonl", None, Options::default());
        s2.push(b"{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"loss\": 0.25}");
        s2.clear();
        s2.finish(true);
        assert_eq!(values(s2.batch()), [("loss".into(), 2, 0.25)]);
        assert_eq!(s2.consumed(), 25);
    }

    #[test]
    fn starting_over_reads_from_the_first_byte_with_a_new_batch() {
        let mut s = Stream::new("m.csv", None, Options::default());
        s.push(b"step,loss\n1,0.5\n");
        let g = s.generation();
        s.start_over();
        assert_ne!(s.generation(), g);
        s.push(b"step,acc\n1,0.9\n");
        assert_eq!(values(s.batch()), [("acc".into(), 1, 0.9)]);
    }

    #[test]
    fn a_document_is_parsed_whole_or_not_at_all() {
        let mut s = Stream::new("trainer_state.json", None, Options::default());
        assert!(!s.document(Format::HfState, b"{\"log_history\": [{\"loss\""));
        let doc = br#"{"global_step": 10, "log_history": [{"loss": 0.5, "step": 10}]}"#;
        assert!(s.document(Format::HfState, doc));
        assert_eq!(values(s.batch()), [("loss".into(), 10, 0.5)]);
    }
}
