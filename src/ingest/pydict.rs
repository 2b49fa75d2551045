//! Reading a Python dict literal as `print(dict)` writes it: `{'loss': 0.69, 'epoch': '0.08'}`.
//! Values may be numbers, `nan`/`inf`, quoted strings, `True`/`False`/`None`, numpy scalars such
//! as `np.float64(0.5)` or `tensor(0.5)`, and nested containers (skipped).

use std::borrow::Cow;

/// A value of a dict entry.
#[derive(Debug, Clone, PartialEq)]
pub enum PyVal<'a> {
    Num(f64),
    Str(Cow<'a, str>),
    Other,
}

/// A dict's entries, in order.
pub type Entries<'a> = Vec<(Cow<'a, str>, PyVal<'a>)>;

const MAX_DEPTH: usize = 32;

struct Cursor<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at column {}", c as char, self.i + 1))
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, String> {
        let quote = self.b[self.i];
        let start = self.i + 1;
        let mut j = start;
        let mut escaped = false;
        while j < self.b.len() && self.b[j] != quote {
            if self.b[j] == b'\\' {
                escaped = true;
                j += 1;
            }
            j += 1;
        }
        if j >= self.b.len() {
            return Err("unterminated string".into());
        }
        self.i = j + 1;
        let raw = &self.s[start..j];
        if !escaped {
            return Ok(Cow::Borrowed(raw));
        }
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Ok(Cow::Owned(out))
    }

    fn skip_container(&mut self, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        self.i += 1;
        loop {
            self.ws();
            match self.peek() {
                None => return Err("unterminated container".into()),
                Some(b'}' | b']' | b')') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'{' | b'[' | b'(') => self.skip_container(depth + 1)?,
                Some(b'\'' | b'"') => {
                    self.string()?;
                }
                Some(_) => self.i += 1,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<PyVal<'a>, String> {
        self.ws();
        match self.peek() {
            None => Err("missing value".into()),
            Some(b'\'' | b'"') => Ok(PyVal::Str(self.string()?)),
            Some(b'{' | b'[' | b'(') => {
                self.skip_container(depth + 1)?;
                Ok(PyVal::Other)
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.b.len()
                    && (self.b[self.i].is_ascii_alphanumeric()
                        || matches!(self.b[self.i], b'.' | b'-' | b'+' | b'_'))
                {
                    self.i += 1;
                }
                let tok = &self.s[start..self.i];
                if tok.is_empty() {
                    return Err(format!("unexpected character at column {}", self.i + 1));
                }
                if self.peek() == Some(b'(') {
                    // A call such as np.float64(0.5) or tensor(0.5, device='cuda:0'):
                    // take its first argument.
                    self.i += 1;
                    let inner = self.value(depth + 1)?;
                    self.ws();
                    while self.peek() != Some(b')') {
                        match self.peek() {
                            None => return Err("unterminated call".into()),
                            Some(b'\'' | b'"') => {
                                self.string()?;
                            }
                            Some(b'{' | b'[' | b'(') => self.skip_container(depth + 1)?,
                            Some(_) => self.i += 1,
                        }
                    }
                    self.i += 1;
                    return Ok(inner);
                }
                Ok(match super::number::parse(tok) {
                    Some(v) => PyVal::Num(v),
                    None => PyVal::Other,
                })
            }
        }
    }
}

/// Parse the dict literal at the start of `text` (after optional spaces). Returns its entries
/// and the length of `text` it spans.
pub fn parse(text: &str) -> Result<(Entries<'_>, usize), String> {
    let mut c = Cursor {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    c.expect(b'{')?;
    let mut entries = Vec::new();
    c.ws();
    if c.peek() == Some(b'}') {
        return Ok((entries, c.i + 1));
    }
    loop {
        c.ws();
        let key = match c.peek() {
            Some(b'\'' | b'"') => c.string()?,
            _ => return Err(format!("expected a quoted key at column {}", c.i + 1)),
        };
        c.expect(b':')?;
        let v = c.value(0)?;
        entries.push((key, v));
        c.ws();
        match c.peek() {
            Some(b',') => c.i += 1,
            Some(b'}') => return Ok((entries, c.i + 1)),
            _ => return Err(format!("expected ',' or '}}' at column {}", c.i + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transformers_4_and_5_lines() {
        let (e, n) =
            parse("{'loss': 0.6742, 'learning_rate': 4.96e-05, 'epoch': 0.08} tail").unwrap();
        assert_eq!(n, 58);
        assert_eq!(e[0], (Cow::Borrowed("loss"), PyVal::Num(0.6742)));
        let (e, _) = parse("{'loss': '0.6742', 'grad_norm': 'nan'}").unwrap();
        assert_eq!(e[0].1, PyVal::Str(Cow::Borrowed("0.6742")));
        assert_eq!(e[1].1, PyVal::Str(Cow::Borrowed("nan")));
    }

    #[test]
    fn odd_values() {
        let (e, _) = parse(
            "{'a': nan, 'b': -inf, 'c': True, 'd': None, 'e': [1, {'x': 2}], \
             'f': np.float64(0.5), 'g': tensor(1.5, device='cuda:0'), \"h\": 'it\\'s'}",
        )
        .unwrap();
        assert!(matches!(e[0].1, PyVal::Num(v) if v.is_nan()));
        assert_eq!(e[1].1, PyVal::Num(f64::NEG_INFINITY));
        assert_eq!(e[2].1, PyVal::Other);
        assert_eq!(e[3].1, PyVal::Other);
        assert_eq!(e[4].1, PyVal::Other);
        assert_eq!(e[5].1, PyVal::Num(0.5));
        assert_eq!(e[6].1, PyVal::Num(1.5));
        assert_eq!(e[7].1, PyVal::Str(Cow::Owned("it's".into())));
    }

    #[test]
    fn broken_input_is_an_error_not_a_panic() {
        for t in [
            "{'loss': 0.5",
            "{'loss' 0.5}",
            "{loss: 1}",
            "{'a': [1, 2}",
            "{'a': '",
            "{",
        ] {
            assert!(parse(t).is_err(), "{t}");
        }
        let deep = format!("{{'a': {}{}}}", "[".repeat(40), "]".repeat(40));
        assert!(parse(&deep).unwrap_err().contains("nesting"));
    }
}
