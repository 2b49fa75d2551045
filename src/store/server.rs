//! A team's PostgreSQL server as the database: `postgres://USER@HOST:PORT/DB` (or
//! `postgresql://…`). Credentials come from the URL, the `PG*` variables or `~/.pgpass`, and
//! are never shown: messages name the server by its URL without the password.

use super::Db;
use super::db::{Conn, Engine, P, PointRow, Val};
use crate::{Error, Result};
use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Config, NoTls, Statement};
use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;

/// The migrations, matching SQLite's one for one ([`super::migrations::MIGRATIONS`]).
pub const MIGRATIONS: &[&str] = &[
    include_str!("sql/postgres/0001_init.sql"),
    include_str!("sql/postgres/0002_sources.sql"),
    include_str!("sql/postgres/0003_writers.sql"),
    include_str!("sql/postgres/0004_history_extent.sql"),
    include_str!("sql/postgres/0005_origins.sql"),
    include_str!("sql/postgres/0006_source_reading.sql"),
    include_str!("sql/postgres/0007_restart_per_place.sql"),
    include_str!("sql/postgres/0008_curves.sql"),
];

/// Taken while migrating, so that two processes upgrading one server do it one after the
/// other ("tracker" in ASCII).
const MIGRATION_LOCK: i64 = 0x0074_7261_636b_6572;

/// Whether `db` names a PostgreSQL server rather than a SQLite file: anything that starts
/// with `postgres:` or `postgresql:` (a URL mistyped `postgres:/host/db` is refused as a URL,
/// never taken for a file path).
pub fn is_server_url(db: &str) -> bool {
    db.starts_with("postgres:") || db.starts_with("postgresql:")
}

/// `url` without its password (in the user part or as a `password=` parameter), to show.
pub fn redact(url: &str) -> String {
    let url = match url.split_once('?') {
        Some((base, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| !kv.to_ascii_lowercase().starts_with("password="))
                .collect();
            match kept.is_empty() {
                true => base.to_owned(),
                false => format!("{base}?{}", kept.join("&")),
            }
        }
        None => url.to_owned(),
    };
    // After the scheme and its slashes (however many were typed) comes USER:PASSWORD@HOST.
    let Some((scheme, after)) = url.split_once(':') else {
        return url;
    };
    let rest = after.trim_start_matches('/');
    let scheme = format!("{scheme}:{}", &after[..after.len() - rest.len()]);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(u, _)| u);
            format!("{scheme}{user}@{host}{tail}")
        }
        None => url.clone(),
    }
}

/// A PostgreSQL client, as a [`Conn`], with its prepared statements.
struct PgConn {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    shown: String,
    config: Config,
    read_only: bool,
    /// Inside a transaction (a dropped connection then fails it: nothing half-written).
    in_transaction: std::cell::Cell<bool>,
}

impl PgConn {
    /// Connect again when the server dropped the connection (a restart, a network cut)
    /// between transactions: what was committed is there, and the caller's next statement
    /// goes to the new session.
    fn reconnect_if_closed(&self) -> Result<()> {
        if !self.client.borrow().is_closed() {
            return Ok(());
        }
        let client = connect(&self.config, &self.shown)?;
        *self.client.borrow_mut() = client;
        self.statements.borrow_mut().clear();
        if self.read_only {
            self.client
                .borrow_mut()
                .batch_execute("SET default_transaction_read_only = on")
                .map_err(|e| self.fail(e))?;
        }
        Ok(())
    }

    fn fail(&self, e: postgres::Error) -> Error {
        server_error(&self.shown, &e, None)
    }

    /// [`PgConn::fail`] for statement `sql`: a refused privilege is named after its verb.
    fn fail_in(&self, sql: &str, e: postgres::Error) -> Error {
        let verb = sql
            .split_whitespace()
            .next()
            .map(str::to_ascii_uppercase)
            .filter(|v| ["SELECT", "INSERT", "UPDATE", "DELETE", "COPY"].contains(&v.as_str()));
        let verb = match verb.as_deref() {
            Some("COPY") => Some("INSERT".to_owned()),
            _ => verb,
        };
        server_error(&self.shown, &e, verb.as_deref())
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if !self.in_transaction.get() {
            self.reconnect_if_closed()?;
        }
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let stmt = self
            .client
            .borrow_mut()
            .prepare(&placeholders(sql))
            .map_err(|e| self.fail(e))?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }
}

/// `?N` placeholders as PostgreSQL's `$N`.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

fn server_error(shown: &str, e: &postgres::Error, verb: Option<&str>) -> Error {
    let (message, transient) = match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            let mut m = format!("{} ({code})", db.message());
            if let Some(d) = db.detail() {
                m.push_str(&format!("; {d}"));
            }
            if let Some(h) = db.hint() {
                m.push_str(&format!("; {h}"));
            }
            if code == "42501" {
                m.push_str(&match verb {
                    Some(v) => format!(
                        "; this needs the {v} privilege, which the server's role lacks: ask its \
                         admin for a GRANT (the README lists the roles)"
                    ),
                    None => "; the server's role lacks this privilege: ask its admin for a GRANT"
                        .to_owned(),
                });
            }
            let transient = code.starts_with("08")
                || code.starts_with("57P")
                || matches!(code, "40001" | "40P01" | "53300");
            (m, transient)
        }
        None => {
            let mut m = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                m.push_str(&format!(": {s}"));
                source = s.source();
            }
            // The network or the socket failed (refused, reset, unreachable): that passes;
            // a configuration or a TLS refusal does not.
            let mut io = false;
            let mut cause = std::error::Error::source(e);
            while let Some(c) = cause {
                io |= c.is::<std::io::Error>();
                cause = c.source();
            }
            let transient = e.is_closed() || io;
            (m, transient)
        }
    };
    Error::Server {
        url: shown.to_owned(),
        message,
        transient,
    }
}

impl ToSql for P<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let wrong = || -> Box<dyn std::error::Error + Sync + Send> {
            format!("cannot store {self:?} in a column of type {ty}").into()
        };
        match *self {
            P::Null => Ok(IsNull::Yes),
            P::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => Err(wrong()),
            },
            P::Real(x) | P::Metric(x) => match *ty {
                Type::FLOAT8 => x.to_sql(ty, out),
                Type::FLOAT4 => (x as f32).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => x.to_string().to_sql(ty, out),
                _ => Err(wrong()),
            },
            P::Text(s) => match *ty {
                Type::JSONB => {
                    out.extend_from_slice(&[1]);
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                Type::JSON => {
                    out.extend_from_slice(s.as_bytes());
                    Ok(IsNull::No)
                }
                _ => s.to_sql(ty, out),
            },
            P::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Val {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT8 => Val::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Val::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Val::Int(i16::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Val::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Val::Real(f32::from_sql(ty, raw)?.into()),
            Type::BOOL => Val::Int(bool::from_sql(ty, raw)?.into()),
            Type::BYTEA => Val::Blob(raw.to_vec()),
            _ => Val::Text(String::from_utf8_lossy(raw).into_owned()),
        })
    }

    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Val::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

fn bound<'a>(params: &'a [P<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Conn for PgConn {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn execute(&self, sql: &str, params: &[P<'_>]) -> Result<u64> {
        let stmt = self.statement(sql)?;
        self.client
            .borrow_mut()
            .execute(&stmt, &bound(params))
            .map_err(|e| self.fail_in(sql, e))
    }

    fn each(
        &self,
        sql: &str,
        params: &[P<'_>],
        each: &mut dyn FnMut(&[Val]) -> Result<()>,
    ) -> Result<()> {
        let stmt = self.statement(sql)?;
        let rows = self
            .client
            .borrow_mut()
            .query(&stmt, &bound(params))
            .map_err(|e| self.fail_in(sql, e))?;
        let mut buf = Vec::new();
        for row in rows {
            buf.clear();
            for i in 0..row.len() {
                buf.push(row.try_get::<_, Val>(i).map_err(|e| self.fail(e))?);
            }
            each(&buf)?;
        }
        Ok(())
    }

    fn batch(&self, sql: &str) -> Result<()> {
        match sql {
            "BEGIN" => {
                self.reconnect_if_closed()?;
                self.in_transaction.set(true);
            }
            "COMMIT" | "ROLLBACK" => self.in_transaction.set(false),
            _ => {}
        }
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| self.fail(e))
    }

    /// A batch's points in three round trips (in key order, so that two writers of one run
    /// take their row locks in the same order and never deadlock): binary `COPY` into a temporary table, one
    /// `INSERT … ON CONFLICT DO NOTHING` that says which keys were new, and emptying the
    /// table. (One statement per point would wait for the network once per point.)
    fn insert_points(&self, rows: &[PointRow]) -> Result<Vec<bool>> {
        if rows.len() < 8 {
            return super::db::insert_each(self, rows);
        }
        self.batch(
            "CREATE TEMPORARY TABLE IF NOT EXISTS staged_points (
                 run_id BIGINT, metric_id BIGINT, step BIGINT, value DOUBLE PRECISION,
                 wall_time DOUBLE PRECISION, origin BIGINT)",
        )?;
        {
            let mut client = self.client.borrow_mut();
            let sink = client
                .copy_in("COPY staged_points FROM STDIN (FORMAT binary)")
                .map_err(|e| self.fail(e))?;
            let types = [
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::FLOAT8,
                Type::FLOAT8,
                Type::INT8,
            ];
            let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(sink, &types);
            for r in rows {
                writer
                    .write(&[
                        &r.run,
                        &r.metric,
                        &r.step,
                        &r.value,
                        &r.wall_time,
                        &r.origin,
                    ])
                    .map_err(|e| self.fail(e))?;
            }
            writer.finish().map_err(|e| self.fail(e))?;
        }
        let mut new = std::collections::HashSet::new();
        self.each(
            "INSERT INTO points(run_id, metric_id, step, value, wall_time, origin)
             SELECT run_id, metric_id, step, value, wall_time, origin FROM staged_points
             ORDER BY run_id, metric_id, step
             ON CONFLICT(run_id, metric_id, step) DO NOTHING
             RETURNING run_id, metric_id, step",
            &[],
            &mut |r| {
                new.insert((r[0].int()?, r[1].int()?, r[2].int()?));
                Ok(())
            },
        )?;
        self.batch("TRUNCATE staged_points")?;
        Ok(rows
            .iter()
            .map(|r| new.contains(&(r.run, r.metric, r.step)))
            .collect())
    }
}

/// Connect with `config`: TLS when the server offers it (`sslmode=prefer`, the default) or
/// must (`require`), none for `disable`.
fn connect(config: &Config, shown: &str) -> Result<Client> {
    // A Unix socket is local: libpq does not encrypt it either.
    let socket = config
        .get_hosts()
        .iter()
        .all(|h| matches!(h, postgres::config::Host::Unix(_)));
    let r = match config.get_ssl_mode() {
        postgres::config::SslMode::Disable => config.connect(NoTls),
        _ if socket => config.connect(NoTls),
        _ => {
            let tls = super::tls::connector().map_err(|e| Error::Server {
                url: shown.to_owned(),
                message: format!("cannot set up TLS: {e}"),
                transient: false,
            })?;
            config.connect(tls)
        }
    };
    r.map_err(|e| server_error(shown, &e, None))
}

/// The connection settings of `url`, completed from the `PG*` variables and `~/.pgpass` the
/// way libpq completes them.
fn config(url: &str) -> Result<Config> {
    let shown = redact(url);
    if !url.contains("://") {
        return Err(Error::Server {
            url: shown,
            message: "is not a PostgreSQL URL: write postgres://USER@HOST:PORT/DATABASE \
                      (two slashes after the colon)"
                .into(),
            transient: false,
        });
    }
    if url.contains("sslmode=verify") {
        return Err(Error::Server {
            url: shown,
            message: "asks for sslmode=verify-ca or verify-full, which this tracker does not \
                      support (it speaks TLS with sslmode=prefer or require, without checking the \
                      certificate against an authority); for that trust, reach the server \
                      through an SSH tunnel"
                .into(),
            transient: false,
        });
    }
    let mut config = Config::from_str(url).map_err(|e| Error::Server {
        url: shown.clone(),
        message: format!(
            "is not a PostgreSQL URL this tracker can use ({e}); write \
             postgres://USER@HOST:PORT/DATABASE, with sslmode disable, prefer or require"
        ),
        transient: false,
    })?;
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        config.host(&var("PGHOST").unwrap_or_else(|| "localhost".into()));
    }
    if config.get_ports().is_empty()
        && let Some(port) = var("PGPORT").and_then(|p| p.parse().ok())
    {
        config.port(port);
    }
    if config.get_user().is_none() {
        let user = var("PGUSER")
            .or_else(|| var("USER"))
            .unwrap_or_else(|| "postgres".into());
        config.user(&user);
    }
    if config.get_dbname().is_none()
        && let Some(db) = var("PGDATABASE")
    {
        config.dbname(&db);
    }
    if config.get_password().is_none()
        && let Some(pw) = var("PGPASSWORD").or_else(|| pgpass(&config))
    {
        config.password(pw);
    }
    Ok(config)
}

/// The password `~/.pgpass` (or `PGPASSFILE`) gives for this host, port, database and user.
fn pgpass(config: &Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first()? {
        postgres::config::Host::Tcp(h) => h.clone(),
        postgres::config::Host::Unix(p) => p.display().to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user()?.to_owned();
    let db = config.get_dbname().unwrap_or(&user).to_owned();
    let wanted = [host, port, db, user];
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let fields = pgpass_fields(line);
            (fields.len() == 5
                && fields[..4]
                    .iter()
                    .zip(&wanted)
                    .all(|(f, w)| f == "*" || f == w))
            .then(|| fields[4].clone())
        })
}

/// The `:`-separated fields of a `.pgpass` line (`\:` and `\\` escaped).
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields
                .last_mut()
                .into_iter()
                .for_each(|f| f.extend(chars.next())),
            ':' => fields.push(String::new()),
            c => fields.last_mut().into_iter().for_each(|f| f.push(c)),
        }
    }
    fields
}

impl Db {
    /// Connect to the server at `url`. To record, its schema is brought to this build's
    /// version (refused when newer, before anything changes); `read_only` connections change
    /// nothing and need a schema of this version.
    pub fn connect(url: &str, read_only: bool) -> Result<Db> {
        let shown = redact(url);
        let config = config(url)?;
        let client = connect(&config, &shown)?;
        let conn = PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            shown: shown.clone(),
            config,
            read_only,
            in_transaction: std::cell::Cell::new(false),
        };
        if read_only {
            conn.batch("SET default_transaction_read_only = on")?;
        }
        let version = version(&conn)?;
        let latest = MIGRATIONS.len() as i64;
        if version > latest {
            return Err(Error::NewerSchema {
                path: shown,
                found: version,
                known: latest,
            });
        }
        if version < latest {
            if read_only {
                return Err(Error::Server {
                    url: shown,
                    message: match version {
                        0 => "holds no tracker database yet; record some runs first \
                              (tracker --db URL import PATH)"
                            .into(),
                        v => format!(
                            "holds the schema of an older tracker (version {v}); any command \
                             that records upgrades it, then it can be read"
                        ),
                    },
                    transient: false,
                });
            }
            migrate(&conn)?;
        }
        Ok(Db::new(conn, shown))
    }
}

/// The schema version on the server (0 for none).
fn version(conn: &dyn Conn) -> Result<i64> {
    let exists = conn.value("SELECT CAST(to_regclass('tracker_schema') AS TEXT)", &[])?;
    if exists == Val::Null {
        return Ok(0);
    }
    Ok(conn
        .value("SELECT max(version) FROM tracker_schema", &[])?
        .opt_int()
        .unwrap_or(0))
}

/// Apply what is missing, one process at a time (an advisory lock held to the commit).
fn migrate(conn: &dyn Conn) -> Result<()> {
    let tx = conn.begin()?;
    tx.value(
        "SELECT CAST(pg_advisory_xact_lock(?1) AS TEXT)",
        &[P::Int(MIGRATION_LOCK)],
    )?;
    tx.batch("CREATE TABLE IF NOT EXISTS tracker_schema (version BIGINT NOT NULL)")?;
    let version = version(&*tx)?;
    let latest = MIGRATIONS.len() as i64;
    if version > latest {
        return Err(Error::NewerSchema {
            path: String::new(),
            found: version,
            known: latest,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch(sql)?;
        tx.execute(
            "INSERT INTO tracker_schema(version) VALUES (?1)",
            &[P::Int(i as i64 + 1)],
        )?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            redact("postgres://ann:s3cr:et@db.lab:5432/runs?sslmode=prefer"),
            "postgres://ann@db.lab:5432/runs?sslmode=prefer"
        );
        assert_eq!(
            redact("postgresql://db.lab/runs"),
            "postgresql://db.lab/runs"
        );
        assert_eq!(redact("postgres://ann@h/x"), "postgres://ann@h/x");
        assert_eq!(
            redact("postgres://ann@h/x?sslmode=require&password=hunter2"),
            "postgres://ann@h/x?sslmode=require"
        );
        assert_eq!(
            redact("postgres://ann@h/x?password=hunter2"),
            "postgres://ann@h/x"
        );
    }

    #[test]
    fn both_engines_have_the_same_migrations() {
        assert_eq!(MIGRATIONS.len(), super::super::migrations::MIGRATIONS.len());
    }

    #[test]
    fn placeholders_and_pgpass_lines_are_read() {
        assert_eq!(
            placeholders("a = ?1 AND b = ?12 OR c = '?'"),
            "a = $1 AND b = $12 OR c = '?'"
        );
        assert_eq!(
            pgpass_fields(r"h:5432:*:ann:p\:w\\d"),
            ["h", "5432", "*", "ann", r"p:w\d"]
        );
        assert!(is_server_url("postgresql://x/y") && !is_server_url("postgres.db"));
        assert!(is_server_url("postgres:/x/y"));
        assert_eq!(redact("postgres:/ann:pw@h/x"), "postgres:/ann@h/x");
    }
}
