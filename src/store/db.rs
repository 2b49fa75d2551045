//! One way to speak SQL to either engine. The store's statements are written once, with `?N`
//! placeholders, in the SQL that SQLite and PostgreSQL share; [`Conn`] runs them on a SQLite
//! connection or a PostgreSQL client, values go in as [`P`] and come back as [`Val`]. Where
//! the engines differ (a merge of JSON objects, the number that changes on every commit) the
//! store asks [`Conn::engine`].

use crate::{Error, Result};

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engine {
    Sqlite,
    Postgres,
}

/// A value to bind to a placeholder.
#[derive(Debug, Clone, Copy)]
pub(crate) enum P<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
    /// A metric's value: NaN and infinities kept as they came (SQLite stores NaN as text).
    Metric(f64),
}

impl From<i64> for P<'_> {
    fn from(v: i64) -> Self {
        P::Int(v)
    }
}

impl From<f64> for P<'_> {
    fn from(v: f64) -> Self {
        P::Real(v)
    }
}

impl<'a> From<&'a str> for P<'a> {
    fn from(v: &'a str) -> Self {
        P::Text(v)
    }
}

impl<'a> From<&'a String> for P<'a> {
    fn from(v: &'a String) -> Self {
        P::Text(v)
    }
}

impl<'a> From<&'a [u8]> for P<'a> {
    fn from(v: &'a [u8]) -> Self {
        P::Blob(v)
    }
}

impl<'a, T: Into<P<'a>>> From<Option<T>> for P<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(P::Null, Into::into)
    }
}

/// A value read back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

fn unexpected(what: &str, v: &Val) -> Error {
    Error::Invalid(format!(
        "the database holds {v:?} where {what} was expected; is it a tracker database?"
    ))
}

impl Val {
    pub fn int(&self) -> Result<i64> {
        self.opt_int()
            .ok_or_else(|| unexpected("a whole number", self))
    }

    pub fn opt_int(&self) -> Option<i64> {
        match *self {
            Val::Int(i) => Some(i),
            Val::Real(x) if x.fract() == 0.0 => Some(x as i64),
            _ => None,
        }
    }

    pub fn real(&self) -> Result<f64> {
        self.opt_real().ok_or_else(|| unexpected("a number", self))
    }

    pub fn opt_real(&self) -> Option<f64> {
        match *self {
            Val::Real(x) => Some(x),
            Val::Int(i) => Some(i as f64),
            _ => None,
        }
    }

    pub fn text(&self) -> Result<String> {
        self.opt_text().ok_or_else(|| unexpected("text", self))
    }

    pub fn opt_text(&self) -> Option<String> {
        match self {
            Val::Text(s) => Some(s.clone()),
            _ => None,
        }
    }

    pub fn blob(&self) -> Vec<u8> {
        match self {
            Val::Blob(b) => b.clone(),
            Val::Text(s) => s.as_bytes().to_vec(),
            _ => Vec::new(),
        }
    }

    /// A stored metric value: NaN where SQLite keeps the text `'NaN'` (or anything else).
    pub fn metric(&self) -> f64 {
        match self {
            Val::Real(x) => *x,
            Val::Int(i) => *i as f64,
            Val::Text(t) => t.parse().unwrap_or(f64::NAN),
            Val::Null | Val::Blob(_) => f64::NAN,
        }
    }
}

/// A point to insert, by ids.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PointRow {
    pub run: i64,
    pub metric: i64,
    pub step: i64,
    pub value: f64,
    pub wall_time: Option<f64>,
    pub origin: Option<i64>,
}

impl PointRow {
    /// The row bound to [`INSERT_POINT`]'s placeholders.
    pub fn params(&self) -> [P<'static>; 6] {
        [
            P::Int(self.run),
            P::Int(self.metric),
            P::Int(self.step),
            P::Metric(self.value),
            self.wall_time.into(),
            self.origin.into(),
        ]
    }
}

/// [`INSERT_POINT`] once per row; whether each was new.
pub(crate) fn insert_each(conn: &(impl Conn + ?Sized), rows: &[PointRow]) -> Result<Vec<bool>> {
    rows.iter()
        .map(|r| Ok(conn.execute(INSERT_POINT, &r.params())? == 1))
        .collect()
}

/// Insert a point unless its (run, metric, step) is stored.
pub(crate) const INSERT_POINT: &str =
    "INSERT INTO points(run_id, metric_id, step, value, wall_time, origin)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT(run_id, metric_id, step) DO NOTHING";

/// A connection to one database.
pub(crate) trait Conn: Send {
    fn engine(&self) -> Engine;
    /// Run one statement; returns the rows it changed.
    fn execute(&self, sql: &str, params: &[P<'_>]) -> Result<u64>;
    /// Run one query, handing each row to `each`.
    fn each(
        &self,
        sql: &str,
        params: &[P<'_>],
        each: &mut dyn FnMut(&[Val]) -> Result<()>,
    ) -> Result<()>;
    /// Run statements without parameters (schema changes, transaction control).
    fn batch(&self, sql: &str) -> Result<()>;

    /// Insert the points whose (run, metric, step) is not stored yet ([`INSERT_POINT`]);
    /// says for each whether it was new. The rows' keys are distinct.
    fn insert_points(&self, rows: &[PointRow]) -> Result<Vec<bool>> {
        insert_each(self, rows)
    }
}

impl dyn Conn + '_ {
    /// Every row of a query.
    pub fn rows(&self, sql: &str, params: &[P<'_>]) -> Result<Vec<Vec<Val>>> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |r| {
            out.push(r.to_vec());
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query, if any.
    pub fn row(&self, sql: &str, params: &[P<'_>]) -> Result<Option<Vec<Val>>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }

    /// The first column of the first row of a query (`Val::Null` without a row).
    pub fn value(&self, sql: &str, params: &[P<'_>]) -> Result<Val> {
        Ok(self
            .row(sql, params)?
            .and_then(|r| r.into_iter().next())
            .unwrap_or(Val::Null))
    }

    /// Begin a transaction that will write: SQLite takes the write lock at once (a
    /// transaction that read first could not wait for it).
    pub fn begin(&self) -> Result<Tx<'_>> {
        self.batch(match self.engine() {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN",
        })?;
        Ok(Tx {
            conn: self,
            open: true,
        })
    }

    /// `target` with the keys of the JSON object bound at `param` merged in (SQL text).
    pub fn merge_json(&self, target: &str, param: &str) -> String {
        match self.engine() {
            Engine::Sqlite => format!("json_patch({target}, {param})"),
            Engine::Postgres => {
                format!("CAST(CAST({target} AS jsonb) || CAST({param} AS jsonb) AS TEXT)")
            }
        }
    }
}

/// An open transaction: rolled back when dropped without [`Tx::commit`].
pub(crate) struct Tx<'c> {
    conn: &'c (dyn Conn + 'c),
    open: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.batch("COMMIT")
    }
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = dyn Conn + 'c;
    fn deref(&self) -> &Self::Target {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            // A failed rollback leaves nothing to do: the connection ends the transaction.
            let _ = self.conn.batch("ROLLBACK");
        }
    }
}
