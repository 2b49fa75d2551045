//! How values cross into SQLite and back: NaN as the text `'NaN'`, everything else as REAL.

use rusqlite::types::{ToSqlOutput, Value, ValueRef};

/// A metric value ready to bind.
pub fn to_sql(v: f64) -> ToSqlOutput<'static> {
    if v.is_nan() {
        ToSqlOutput::Borrowed(ValueRef::Text(b"NaN"))
    } else {
        ToSqlOutput::Owned(Value::Real(v))
    }
}

/// A stored metric value.
pub fn from_sql(v: ValueRef<'_>) -> f64 {
    match v {
        ValueRef::Real(x) => x,
        ValueRef::Integer(i) => i as f64,
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::NAN),
        ValueRef::Null | ValueRef::Blob(_) => f64::NAN,
    }
}
