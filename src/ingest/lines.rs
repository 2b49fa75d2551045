//! Turns a byte stream into lines for the line-based formats: waits for a partial last line,
//! skips (and reports) lines over the length limit, and decodes non-UTF-8 bytes lossily.

use super::{Batch, Location, Parser};
use std::borrow::Cow;

/// Longest line parsed; a longer one is skipped and reported.
pub const MAX_LINE: usize = 1 << 20;

/// A parser of one format that reads line by line.
pub trait LineParser: Send {
    /// Parse one line (without its line ending). `index` is 0-based. `Err` skips the line with
    /// the reason given; lines that simply hold no metrics return `Ok`.
    fn line(&mut self, line: &str, index: u64, out: &mut Batch) -> Result<(), String>;

    /// End of input (a batch import); formats that look ahead flush here.
    fn finish(&mut self, _out: &mut Batch) {}
}

/// Adapts a [`LineParser`] to the byte-stream [`Parser`] interface.
pub struct Lines<P> {
    inner: P,
    index: u64,
    skipping_long: bool,
    finished: bool,
}

impl<P: LineParser> Lines<P> {
    pub fn new(inner: P) -> Self {
        Lines {
            inner,
            index: 0,
            skipping_long: false,
            finished: false,
        }
    }

    pub fn inner(&self) -> &P {
        &self.inner
    }

    fn one(&mut self, raw: &[u8], out: &mut Batch) {
        let index = self.index;
        self.index += 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if index == 0 {
            super::strip_bom(raw)
        } else {
            raw
        };
        if raw.len() > MAX_LINE {
            out.skip(
                Location::Line(index + 1),
                format!("line of {} bytes is longer than the 1 MiB limit", raw.len()),
            );
            return;
        }
        let text = match std::str::from_utf8(raw) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(raw),
        };
        if let Err(reason) = self.inner.line(&text, index, out) {
            out.skip(Location::Line(index + 1), reason);
        }
    }
}

impl<P: LineParser> Parser for Lines<P> {
    fn feed(&mut self, data: &[u8], eof: bool, out: &mut Batch) -> usize {
        let mut pos = 0;
        while let Some(i) = memchr::memchr(b'\n', &data[pos..]) {
            let end = pos + i;
            if self.skipping_long {
                self.skipping_long = false;
                self.index += 1;
            } else {
                self.one(&data[pos..end], out);
            }
            pos = end + 1;
        }
        let rest = &data[pos..];
        if eof {
            if !rest.is_empty() && !self.skipping_long {
                self.one(rest, out);
            }
            if !self.finished {
                self.finished = true;
                self.inner.finish(out);
            }
            return data.len();
        }
        if rest.len() > MAX_LINE && !self.skipping_long {
            out.skip(
                Location::Line(self.index + 1),
                "line is longer than the 1 MiB limit",
            );
            self.skipping_long = true;
        }
        if self.skipping_long {
            return data.len();
        }
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Collect(Vec<(u64, String)>);
    impl LineParser for Collect {
        fn line(&mut self, line: &str, index: u64, _out: &mut Batch) -> Result<(), String> {
            if line == "bad" {
                return Err("bad line".into());
            }
            self.0.push((index, line.to_owned()));
            Ok(())
        }
    }

    #[test]
    fn waits_for_the_rest_of_a_partial_line() {
        let mut p = Lines::new(Collect(vec![]));
        let mut b = Batch::new();
        let n = p.feed(b"a\r\nbc", false, &mut b);
        assert_eq!(n, 3);
        assert_eq!(p.inner().0, vec![(0, "a".to_string())]);
        let n = p.feed(b"bcd\nbad\n", false, &mut b);
        assert_eq!(n, 8);
        assert_eq!(p.inner().0[1], (1, "bcd".to_string()));
        assert_eq!(b.skips[0].location, Location::Line(3));
        assert_eq!(p.feed(b"last", true, &mut b), 4);
        assert_eq!(p.inner().0[2], (3, "last".to_string()));
    }

    #[test]
    fn skips_over_long_lines_and_non_utf8_is_lossy() {
        let mut p = Lines::new(Collect(vec![]));
        let mut b = Batch::new();
        let long = vec![b'x'; MAX_LINE + 10];
        assert_eq!(p.feed(&long, false, &mut b), long.len());
        assert_eq!(p.feed(b"xx\nok\n\xff\xfe\n", true, &mut b), 9);
        assert_eq!(b.skips.len(), 1);
        assert_eq!(b.skips[0].location, Location::Line(1));
        assert_eq!(p.inner().0[0], (1, "ok".to_string()));
        assert_eq!(p.inner().0[1].1, "\u{fffd}\u{fffd}");
    }
}
