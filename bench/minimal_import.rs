//! The yardstick for `tracker import`: the least a program can do to store a JSONL file of
//! metrics idempotently. It parses each line with serde_json and inserts every numeric field
//! into a `WITHOUT ROWID` table keyed by (run, metric, step), in one transaction.
//!
//! usage: cargo run --release --example minimal_import -- FILE.jsonl DB [--no-key]

use rusqlite::{Connection, params};
use std::collections::HashMap;
use std::io::BufRead;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (file, db) = match (args.get(1), args.get(2)) {
        (Some(f), Some(d)) => (f, d),
        _ => return Err("usage: minimal_import FILE.jsonl DB [--no-key]".into()),
    };
    let keyed = !args.iter().any(|a| a == "--no-key");
    let _ = std::fs::remove_file(db);
    let conn = Connection::open(db)?;
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")?;
    if keyed {
        conn.execute_batch(
            "CREATE TABLE points (run INTEGER, metric INTEGER, step INTEGER, value REAL,
             PRIMARY KEY (run, metric, step)) WITHOUT ROWID",
        )?;
    } else {
        conn.execute_batch(
            "CREATE TABLE points (run INTEGER, metric INTEGER, step INTEGER, value REAL)",
        )?;
    }
    let start = Instant::now();
    let mut runs: HashMap<String, i64> = HashMap::new();
    let mut metrics: HashMap<String, i64> = HashMap::new();
    let mut n = 0u64;
    let tx = conn.unchecked_transaction()?;
    {
        let mut insert = tx.prepare("INSERT OR REPLACE INTO points VALUES (?1, ?2, ?3, ?4)")?;
        let reader = std::io::BufReader::new(std::fs::File::open(file)?);
        for line in reader.lines() {
            let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&line?)?;
            let run_name = obj.get("run").and_then(|v| v.as_str()).unwrap_or("");
            let next = runs.len() as i64;
            let run = *runs.entry(run_name.to_owned()).or_insert(next);
            let step = obj.get("step").and_then(|v| v.as_i64()).unwrap_or(0);
            for (k, v) in &obj {
                if k == "run" || k == "step" {
                    continue;
                }
                if let Some(x) = v.as_f64() {
                    let next = metrics.len() as i64;
                    let metric = *metrics.entry(k.clone()).or_insert(next);
                    insert.execute(params![run, metric, step, x])?;
                    n += 1;
                }
            }
        }
    }
    tx.commit()?;
    let secs = start.elapsed().as_secs_f64();
    println!("{n} points in {secs:.3} s: {:.0} points/s", n as f64 / secs);
    Ok(())
}
