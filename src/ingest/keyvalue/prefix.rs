//! Logging prefixes: what a logging library prints before the message (timestamps, levels,
//! logger names, bracketed fields, source locations).

use super::scan::LEVELS;

/// The message of a line written through a logging library: timestamps, levels, logger names
/// and bracketed fields at the start are skipped. Indentation after them is kept.
pub fn strip_log_prefix(line: &str) -> &str {
    let mut rest = line;
    for i in 0..8 {
        if i > 0
            && let Some(after) = fields_before_level(rest)
        {
            rest = after;
            continue;
        }
        let Some((after, separated)) = prefix_element(rest.trim_start()) else {
            break;
        };
        rest = if separated {
            [" - ", " | ", " "]
                .iter()
                .find_map(|sep| after.strip_prefix(sep))
                .unwrap_or(after)
        } else {
            after
        };
    }
    rest
}

/// After a timestamp, the fields a logging format puts before the level (a host and rank, a
/// logger and its source line: `host-03:0\tolmo.train:990\tINFO\t…`) when a level word stands
/// as a field of its own among the next four: the message follows it.
fn fields_before_level(t: &str) -> Option<&str> {
    let mut rest = t.trim_start();
    for i in 0..4 {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let field = &rest[..end];
        if LEVELS.contains(&field) {
            // A level first is an element of its own (`INFO - …`).
            return (i > 0).then_some(&rest[end..]);
        }
        if field.is_empty() || field.contains('=') || !field.contains(':') {
            return None;
        }
        rest = rest[end..].trim_start();
    }
    None
}

/// The text after one logging-prefix element at the start of `t`, if there is one, and
/// whether a separator (` - `, a space) may follow it.
fn prefix_element(t: &str) -> Option<(&str, bool)> {
    let b = t.as_bytes();
    let digits = |from: usize| {
        b.get(from..)
            .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    // A date: 2025-03-02 or 2025/03/02, maybe with a time.
    if digits(0) == 4
        && matches!(b.get(4), Some(b'-' | b'/'))
        && digits(5) == 2
        && b.get(7) == b.get(4)
        && digits(8) == 2
    {
        let rest = &t[10..];
        let time = rest.strip_prefix([' ', 'T']).and_then(prefix_element_time);
        return Some((time.unwrap_or(rest), true));
    }
    if let Some(r) = prefix_element_time(t) {
        return Some((r, true));
    }
    if let Some(r) = glog_header(t).or_else(|| severity_location(t)) {
        return Some((r, true));
    }
    if let Some(inner) = t.strip_prefix('[') {
        let close = inner.find(']')?;
        let content = &inner[..close];
        let level = LEVELS
            .iter()
            .any(|l| content.trim().eq_ignore_ascii_case(l));
        if close <= 40 && (content.starts_with(|c: char| c.is_ascii_digit()) || level)
            || is_code_location(content)
        {
            return Some((&inner[close + 1..], true));
        }
        return None;
    }
    let word_end = t
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    if !LEVELS.contains(&&t[..word_end]) {
        return None;
    }
    let after = &t[word_end..];
    // Python's default format: LEVEL:logger.name:message.
    if let Some(r) = after.strip_prefix(':') {
        if let Some(n) = r.find(':')
            && n > 0
            && r[..n]
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.'))
        {
            return Some((&r[n + 1..], false));
        }
        return Some((r.strip_prefix(' ').unwrap_or(r), false));
    }
    (after.is_empty() || after.starts_with([' ', ']', '\t'])).then_some((after, true))
}

/// Whether `t` names a place in source code, as logging formats print it: `logging.py:96`,
/// `timer.py:199:stop`, `engine/train.cc:12`.
fn is_code_location(t: &str) -> bool {
    let Some((file, rest)) = t.split_once(':') else {
        return false;
    };
    let line = rest.split(':').next().unwrap_or("");
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    !line.is_empty()
        && line.bytes().all(|c| c.is_ascii_digit())
        && !ext.is_empty()
        && ext.bytes().all(|c| c.is_ascii_alphabetic())
        && file
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"_./-".contains(&c))
}

/// The text after the header of glog and absl logging (TensorFlow, JAX): a severity letter and
/// the date, a time, a thread id and a source location closed by `]`:
/// `I0429 20:20:04.287605 139761460909888 train.py:224] `.
fn glog_header(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let dated = matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F'))
        && b.get(1..5)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
        && b.get(5) == Some(&b' ');
    if !dated {
        return None;
    }
    let rest = prefix_element_time(&t[6..])?.trim_start();
    let thread = rest.find(|c: char| !c.is_ascii_digit())?;
    let rest = rest[thread..].trim_start();
    let (location, after) = rest.split_once(']')?;
    (thread > 0 && is_code_location(location)).then_some(after)
}

/// The text after TensorFlow's C++ logging header, once its date and time are read: a colon,
/// a severity letter and a source location closed by `]`
/// (`2022-04-29 20:19:39.100872: I tensorflow/compiler/jit/xla_gpu_device.cc:99] `).
fn severity_location(t: &str) -> Option<&str> {
    let t = t.strip_prefix(':').unwrap_or(t).trim_start();
    let rest = t.strip_prefix(['I', 'W', 'E', 'F'])?.strip_prefix(' ')?;
    let (location, after) = rest.split_once(']')?;
    is_code_location(location).then_some(after)
}

/// The text after a time of day (`05:16:20`, `05:16:20,348`, `05:16:20.348Z`) at the start.
fn prefix_element_time(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let two = |i: usize| {
        b.get(i).is_some_and(u8::is_ascii_digit) && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    };
    if !(two(0) && b.get(2) == Some(&b':') && two(3) && b.get(5) == Some(&b':') && two(6)) {
        return None;
    }
    let mut i = 8;
    if matches!(b.get(i), Some(b',' | b'.')) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if b.get(i) == Some(&b'Z') {
        i += 1;
    }
    Some(&t[i..])
}
