//! Trouble that clears by itself never ends `tail`: a write lock held past the busy timeout,
//! a full disk. It is said once, `tail` keeps reading, and everything is written when it
//! clears.

use super::harness::{Bg, Lock, append, cmd, count, curves, eventually, imported, points};
use super::jsonl;
use crate::reliability::Tmpfs;
use crate::util::Env;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

const SAID: &str = "cannot write to the database";
const BACK: &str = "the database can be written again";

/// `tracker tail ARGS` with a busy timeout of 0.2 s instead of 30.
fn impatient(env: &Env, args: &[&str], stdin: Stdio) -> Bg {
    let mut c = cmd(env);
    c.args(args)
        .env("TRACKER_BUSY_TIMEOUT", "0.2")
        .stdin(stdin)
        .stdout(Stdio::null());
    Bg::start(env, c)
}

#[test]
fn tail_rides_out_a_lock_held_past_the_busy_timeout() {
    let env = Env::new();
    let file = env.dir.path().join("exp/m.jsonl");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    append(&file, &jsonl(0..3, 1.0));
    let path = file.to_str().unwrap();
    let mut bg = impatient(&env, &["tail", path], Stdio::null());
    eventually("3 points", Some(&bg), || points(&env, "exp/m") == 3);

    let lock = Lock::take(&env.db());
    append(&file, &jsonl(3..6, 1.0));
    eventually("the trouble said", Some(&bg), || bg.stderr().contains(SAID));
    // Several tries fail meanwhile (0.2 s, 0.4 s, 0.8 s apart): said once, tail goes on.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(bg.running(), "{}", bg.stderr());
    append(&file, &jsonl(6..8, 1.0));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(count(&bg.stderr(), SAID), 1, "{}", bg.stderr());
    assert_eq!(points(&env, "exp/m"), 3);

    drop(lock);
    eventually("the caught up", Some(&bg), || points(&env, "exp/m") == 8);
    assert!(bg.stderr().contains(BACK), "{}", bg.stderr());
    append(&file, &jsonl(8..10, 1.0));
    eventually("10 points", Some(&bg), || points(&env, "exp/m") == 10);
    assert!(bg.stop().success());
    assert_eq!(curves(&env.db()), imported(&env, &[path]));
}

#[test]
fn tail_of_standard_input_keeps_reading_while_the_database_is_locked() {
    let env = Env::new();
    let mut bg = impatient(&env, &["tail", "-", "--run", "s"], Stdio::piped());
    let mut input = bg.stdin().unwrap();
    input.write_all(jsonl(0..3, 1.0).as_bytes()).unwrap();
    eventually("3 points", Some(&bg), || points(&env, "s") == 3);

    let lock = Lock::take(&env.db());
    // More than a pipe holds (64 KiB): the job writing it would block if tail stopped reading.
    let writer = std::thread::spawn(move || {
        input.write_all(jsonl(3..3000, 1.0).as_bytes()).unwrap();
        input
    });
    eventually("the trouble said", Some(&bg), || bg.stderr().contains(SAID));
    eventually("the job to write it all", Some(&bg), || {
        writer.is_finished()
    });
    let input = writer.join().unwrap();
    assert!(bg.running(), "{}", bg.stderr());
    assert_eq!(points(&env, "s"), 3);

    drop(lock);
    eventually("the caught up", Some(&bg), || points(&env, "s") == 3000);
    drop(input);
    assert!(bg.wait().success(), "{}", bg.stderr());
    assert_eq!(count(&bg.stderr(), SAID), 1, "{}", bg.stderr());
}

#[test]
#[ignore = "needs root: mounts a 2 MB tmpfs and fills it"]
fn tail_rides_out_a_full_disk() {
    let env = Env::new();
    let fs = Tmpfs::mount(env.dir.path(), "2m").expect("mounting a tmpfs needs root");
    let db = fs.0.join("t.db");
    let file = env.dir.path().join("big.jsonl");
    append(&file, &jsonl(0..3, 1.0));
    let path = file.to_str().unwrap();
    let mut c = cmd(&env);
    c.env("TRACKER_DB", &db)
        .args(["tail", "--run", "b", path])
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    let mut bg = Bg::start(&env, c);
    let stored = || {
        curves(&db)
            .get("b")
            .map_or(0, |m| m.values().map(Vec::len).sum())
    };
    eventually("3 points", Some(&bg), || stored() == 3);

    // Fill the disk, then give tail more than fits.
    let filler = fs.0.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    while f.write_all(&[0; 64 * 1024]).is_ok() {}
    drop(f);
    append(&file, &jsonl(3..20_000, 1.0));
    eventually("the trouble said", Some(&bg), || bg.stderr().contains(SAID));
    std::thread::sleep(Duration::from_millis(1000));
    assert!(bg.running(), "{}", bg.stderr());

    std::fs::remove_file(&filler).unwrap();
    eventually("the caught up", Some(&bg), || stored() == 20_000);
    assert_eq!(count(&bg.stderr(), SAID), 1, "{}", bg.stderr());
    assert!(bg.stop().success());
}
