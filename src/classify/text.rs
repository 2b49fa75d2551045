//! Number formatting for reasons and flag messages: three significant digits, no trailing
//! zeros, scientific notation for very large or very small magnitudes.

/// `0.21`, `2.3`, `1100`, `1.23e-5`, `NaN`.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let mag = v.abs().log10().floor();
    if !(-3.0..6.0).contains(&mag) {
        return format!("{v:.2e}");
    }
    let decimals = (2.0 - mag).max(0.0) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `+0.21` / `-0.21`.
pub fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", num(v))
    } else {
        num(v)
    }
}

/// `p < 0.001` or `p = 0.012`.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {}", num(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(num(0.21), "0.21");
        assert_eq!(num(2.3), "2.3");
        assert_eq!(num(1100.0), "1100");
        assert_eq!(num(0.123456), "0.123");
        assert_eq!(num(87.0), "87");
        assert_eq!(num(1.234e-5), "1.23e-5");
        assert_eq!(signed(0.5), "+0.5");
        assert_eq!(signed(-0.5), "-0.5");
        assert_eq!(p_text(0.0001), "p < 0.001");
        assert_eq!(p_text(0.0123), "p = 0.0123");
    }
}
