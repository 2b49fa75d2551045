//! Reading numbers the way training scripts print them.

/// Parse a number written as text: plain decimals, exponents, `NaN`/`nan`, `inf`, `Infinity`,
/// `-Infinity` (any case), with surrounding spaces. Out-of-range values such as `1e999` become
/// ±infinity, as Python would read them. Returns `None` for anything that is not a number.
pub fn parse(text: &str) -> Option<f64> {
    let t = text.trim();
    let first = *t.as_bytes().first()?;
    // Quick reject: a number starts with a digit, a sign, a dot, or n/i (nan, inf).
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.' | b'n' | b'N' | b'i' | b'I'))
    {
        return None;
    }
    // Rust accepts "inf", "infinity" and "nan" in any case, with an optional sign.
    t.parse::<f64>().ok()
}

/// An integral value usable as a step: finite, whole, and within i64.
pub fn as_step(v: f64) -> Option<i64> {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        Some(v as i64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_python_prints() {
        assert_eq!(parse("0.6742"), Some(0.6742));
        assert_eq!(parse(" 3 "), Some(3.0));
        assert_eq!(parse("-1.5e-3"), Some(-1.5e-3));
        assert!(parse("NaN").is_some_and(f64::is_nan));
        assert!(parse("nan").is_some_and(f64::is_nan));
        assert_eq!(parse("Infinity"), Some(f64::INFINITY));
        assert_eq!(parse("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse("inf"), Some(f64::INFINITY));
        assert_eq!(parse("1e999"), Some(f64::INFINITY));
        assert_eq!(parse("-0"), Some(-0.0));
        assert_eq!(parse("1e-400"), Some(0.0));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for t in [
            "", "abc", "0:00:24", "1.2.3", "0x10", "True", "None", "12%", "--1",
        ] {
            assert_eq!(parse(t), None, "{t:?}");
        }
    }

    #[test]
    fn steps_are_whole_numbers() {
        assert_eq!(as_step(5.0), Some(5));
        assert_eq!(as_step(-0.0), Some(0));
        assert_eq!(as_step(0.5), None);
        assert_eq!(as_step(f64::NAN), None);
        assert_eq!(as_step(1e300), None);
    }
}
