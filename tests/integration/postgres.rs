//! What only a PostgreSQL server does: a schema made by the first writer (several at once), a
//! newer schema refused, read-only sessions, and credentials that never show. The commands'
//! behaviour on both engines is checked by the tests written with `on_both!`.

use crate::util::Env;

/// A client on the test database of `env`.
fn client(env: &Env) -> postgres::Client {
    postgres::Client::connect(env.db().to_str().unwrap(), postgres::NoTls).unwrap()
}

fn count(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap().get(0)
}

const NEEDS_PG: &str = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG";

#[test]
#[ignore = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG"]
fn writers_starting_together_on_an_empty_database_make_one_schema() {
    let Some(env) = Env::postgres(NEEDS_PG) else {
        return;
    };
    let children: Vec<_> = (0..4)
        .map(|i| {
            env.cmd()
                .args(["log", "--run", &format!("r{i}"), "--step", "1", "loss=0.5"])
                .output()
        })
        .collect();
    for out in children {
        let out = out.unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(env.run_names(), ["r0", "r1", "r2", "r3"]);
    let mut c = client(&env);
    let versions: Vec<i64> = c
        .query("SELECT version FROM tracker_schema ORDER BY version", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        versions,
        (1..=tracker::store::schema_version()).collect::<Vec<_>>()
    );
}

#[test]
#[ignore = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG"]
fn a_newer_schema_on_the_server_is_refused_before_anything_changes() {
    let Some(env) = Env::postgres(NEEDS_PG) else {
        return;
    };
    env.ok(&["log", "--run", "r", "--step", "1", "loss=0.5"]);
    let mut c = client(&env);
    c.execute("INSERT INTO tracker_schema(version) VALUES (999)", &[])
        .unwrap();
    let out = env
        .cmd()
        .args(["log", "--run", "r", "--step", "2", "loss=0.4"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("newer tracker") && err.contains("999"),
        "{err}"
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM points"), 1);
}

#[test]
#[ignore = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG"]
fn reading_an_empty_server_database_creates_nothing() {
    let Some(env) = Env::postgres(NEEDS_PG) else {
        return;
    };
    for args in [&["runs"][..], &["show", "x"], &["diagnose", "x"]] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("no tracker database yet"), "{err}");
    }
    let mut c = client(&env);
    let tables = count(
        &mut c,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    );
    assert_eq!(tables, 0);
}

#[test]
fn a_password_in_the_url_is_never_shown() {
    let env = Env::new();
    // Nothing listens on port 1: the connection fails, and the message names the server.
    let url = "postgres://ann:hunter2@127.0.0.1:1/runs";
    for args in [&["runs"][..], &["log", "--run", "r", "--step", "1", "x=1"]] {
        let out = env
            .cmd()
            .env("TRACKER_DB", url)
            .current_dir(env.dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("postgres://ann@127.0.0.1:1/runs"), "{err}");
    }
    // Nor in --help, which shows where TRACKER_DB points, nor as a `password=` parameter.
    let help = env
        .cmd()
        .env("TRACKER_DB", url)
        .args(["runs", "--help"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains("hunter2"));
    let out = env
        .cmd()
        .env(
            "TRACKER_DB",
            "postgres://ann@127.0.0.1:1/runs?password=hunter2",
        )
        .args(["runs"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));
    // A URL mistyped with one slash is refused as a URL, not taken for a file path.
    let out = env
        .cmd()
        .env("TRACKER_DB", "postgres:/ann:hunter2@127.0.0.1:1/runs")
        .current_dir(env.dir.path())
        .args(["log", "--run", "r", "--step", "1", "x=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("two slashes") && !err.contains("hunter2"),
        "{err}"
    );
    // And no SQLite file named after the URL appears.
    assert_eq!(std::fs::read_dir(env.dir.path()).unwrap().count(), 0);
}

/// The README's roles, made on the test database for this test, with a URL for each.
struct Roles {
    admin: postgres::Client,
    names: Vec<String>,
}

impl Roles {
    /// Roles `viewer` and `writer` as the README grants them, named after the database.
    fn new(env: &Env) -> (Roles, String, String) {
        let (server, db) = env.server().unwrap();
        let mut admin = client(env);
        let (viewer, writer) = (format!("{db}_viewer"), format!("{db}_writer"));
        for role in [&viewer, &writer] {
            admin
                .batch_execute(&format!("CREATE ROLE {role} LOGIN; GRANT CONNECT ON DATABASE {db} TO {role}; GRANT USAGE ON SCHEMA public TO {role}"))
                .unwrap();
        }
        admin
            .batch_execute(&format!(
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {viewer};
                 GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {writer};
                 GRANT DELETE ON sources, origins, points, curves TO {writer};
                 GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {writer};"
            ))
            .unwrap();
        let url = |role: &str| {
            format!(
                "{}/{db}",
                server.replacen("tracker@", &format!("{role}@"), 1)
            )
        };
        let urls = (url(&viewer), url(&writer));
        (
            Roles {
                admin,
                names: vec![viewer, writer],
            },
            urls.0,
            urls.1,
        )
    }
}

impl Drop for Roles {
    fn drop(&mut self) {
        for role in &self.names {
            let _ = self
                .admin
                .batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}"));
        }
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG"]
fn a_viewer_reads_everything_and_a_writer_cannot_delete() {
    let Some(env) = Env::postgres(NEEDS_PG) else {
        return;
    };
    let demo = crate::util::fixture("../../demo");
    env.ok(&["import", demo.to_str().unwrap()]);
    let (_roles, viewer, writer) = Roles::new(&env);
    let as_role = |url: &str, args: &[&str]| {
        env.cmd()
            .env("TRACKER_DB", url)
            .args(args)
            .output()
            .unwrap()
    };
    for args in [
        &["runs"][..],
        &["show", "hf_bert_tiny"],
        &["diagnose", "demo/diverging_lr1.0"],
        &["compare", "hf_bert_tiny", "lightning_logs/version_0"],
    ] {
        let out = as_role(&viewer, args);
        assert!(
            out.status.success(),
            "viewer {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = as_role(&viewer, &["log", "--run", "x", "--step", "1", "loss=1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("permission denied") && err.contains("the INSERT privilege"),
        "{err}"
    );
    let out = as_role(&writer, &["log", "--run", "x", "--step", "1", "loss=1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = as_role(&writer, &["rm", "x", "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("permission denied") && err.contains("the DELETE privilege"),
        "{err}"
    );
    assert!(env.run_names().contains(&"x".to_owned()));
    assert_eq!(env.show("x")["metrics"][0]["points"], 1);
}

crate::util::on_both! {
    fn writers_in_parallel_and_readers_throughout_lose_and_double_nothing(env) {
        let n = 20_000;
        let write = |name: &str, run: &str, metric: &str| {
            let path = env.dir.path().join(name);
            let lines: String = (1..=n)
                .map(|s| format!("{{\"run\": \"{run}\", \"step\": {s}, \"{metric}\": {}}}\n", 1.0 / s as f64))
                .collect();
            std::fs::write(&path, lines).unwrap();
            path
        };
        let files = [
            write("x_loss.jsonl", "x", "loss"),
            write("x_acc.jsonl", "x", "acc"),
            write("y.jsonl", "y", "loss"),
            write("z.jsonl", "z", "loss"),
        ];
        // The database exists before the readers start.
        env.ok(&["log", "--run", "w", "--step", "1", "loss=1"]);
        let writers: Vec<_> = files
            .iter()
            .map(|f| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin!("tracker"))
                    .env("TRACKER_DB", env.db())
                    .args(["import", f.to_str().unwrap()])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut reads = 0;
        while reads < 20 {
            for args in [&["runs", "--json"][..], &["show", "w", "--json"]] {
                let out = env.cmd().args(args).output().unwrap();
                assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            }
            reads += 1;
        }
        for w in writers {
            let out = w.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        for (run, metric) in [("x", "loss"), ("x", "acc"), ("y", "loss"), ("z", "loss")] {
            let s = env.series(run, metric);
            assert_eq!(s.steps.len(), n, "{run} {metric}");
            assert_eq!(s.steps.first(), Some(&1));
            assert_eq!(s.values[n - 1], 1.0 / n as f64);
        }
    }
}

#[test]
#[ignore = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG"]
fn sslmode_require_speaks_tls_and_disable_does_not() {
    let Some(env) = Env::postgres(NEEDS_PG) else {
        return;
    };
    // The server of .ci/pg.sh lets the role tls_only in only through TLS.
    let (server, db) = env.server().unwrap();
    let mut admin = client(&env);
    admin
        .batch_execute("DROP ROLE IF EXISTS tls_only; CREATE ROLE tls_only LOGIN SUPERUSER")
        .unwrap();
    let url = |mode: &str| {
        format!(
            "{}/{db}?sslmode={mode}",
            server.replacen("tracker@", "tls_only@", 1)
        )
    };
    let run = |mode: &str| {
        env.cmd()
            .env("TRACKER_DB", url(mode))
            .args(["log", "--run", mode, "--step", "1", "loss=1"])
            .output()
            .unwrap()
    };
    let (tls, prefer, plain) = (run("require"), run("prefer"), run("disable"));
    admin
        .batch_execute(
            "REASSIGN OWNED BY tls_only TO tracker; DROP OWNED BY tls_only; DROP ROLE tls_only",
        )
        .unwrap();
    assert!(
        tls.status.success(),
        "{}",
        String::from_utf8_lossy(&tls.stderr)
    );
    assert!(
        prefer.status.success(),
        "{}",
        String::from_utf8_lossy(&prefer.stderr)
    );
    assert_eq!(plain.status.code(), Some(1));
    let err = String::from_utf8_lossy(&plain.stderr);
    assert!(
        err.contains("no encryption") || err.contains("pg_hba"),
        "{err}"
    );
    assert_eq!(env.run_names(), ["prefer", "require"]);
}

#[test]
#[ignore = "needs a PostgreSQL server: .ci/run starts one and sets TRACKER_TEST_PG"]
fn a_unix_socket_connects_without_tls() {
    let Some(env) = Env::postgres(NEEDS_PG) else {
        return;
    };
    // TRACKER_TEST_PG_SOCKET is DIR:PORT, the server's socket directory and port.
    let socket = std::env::var("TRACKER_TEST_PG_SOCKET").expect("TRACKER_TEST_PG_SOCKET");
    let (dir, port) = socket.rsplit_once(':').unwrap();
    let (_, db) = env.server().unwrap();
    let url = format!("postgres://tracker@{}:{port}/{db}", dir.replace('/', "%2F"));
    let out = env
        .cmd()
        .env("TRACKER_DB", &url)
        .args(["log", "--run", "s", "--step", "1", "loss=1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.run_names(), ["s"]);
}
