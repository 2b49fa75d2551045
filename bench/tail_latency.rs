//! Latency of `tracker tail`: how long after a line is appended to a followed file it is
//! committed and visible to a reader in another process.
//!
//! Starts `tracker tail FILE`, appends N JSONL lines (one step each) at random intervals, and
//! polls the database every millisecond from this process with its own read-only connection,
//! noting when each step became visible. Prints the distribution of (visible − appended).
//!
//! Usage: tail_latency TRACKER_BINARY [LINES] [--poll] [--max-gap MS]
//! (see bench/tail_latency.sh). Lines are 2..MS ms apart (default 30), one in ten at once
//! with the line before.

use rusqlite::{Connection, OpenFlags};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tracker = args
        .first()
        .ok_or("usage: tail_latency TRACKER [LINES] [--poll] [--max-gap MS]")?;
    let lines: i64 = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(600);
    let poll = args.iter().any(|a| a == "--poll");
    let max_gap: u64 = args
        .iter()
        .position(|a| a == "--max-gap")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(30)
        .max(3);
    let dir = std::env::temp_dir().join(format!("tail-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("latency.db");
    let file = dir.join("metrics.jsonl");
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)?;
    let mut cmd = Command::new(tracker);
    cmd.arg("--db")
        .arg(&db)
        .arg("tail")
        .arg(&file)
        .args(["--run", "lat"]);
    if poll {
        cmd.arg("--poll");
    }
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;

    // Warm up: step 0 visible means tail is running and the database exists.
    writeln!(out, "{{\"step\": 0, \"loss\": 1.0}}")?;
    let start = Instant::now();
    let conn = loop {
        if let Ok(c) = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)
            && max_step(&c).is_some_and(|s| s >= 0)
        {
            break c;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            return Err("tail did not commit the first line within 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    };

    let n = lines as usize;
    let visible: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; n + 1]));
    let seen = visible.clone();
    let reader = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut last = 0i64;
        while last < lines && Instant::now() < deadline {
            if let Some(m) = max_step(&conn).filter(|&m| m > last) {
                let now = Instant::now();
                if let Ok(mut v) = seen.lock() {
                    for s in (last + 1)..=m.min(lines) {
                        v[s as usize] = Some(now);
                    }
                }
                last = m;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    });

    let mut appended = vec![Instant::now(); n + 1];
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    for step in 1..=lines {
        let line = format!("{{\"step\": {step}, \"loss\": {}}}\n", 1.0 / step as f64);
        appended[step as usize] = Instant::now();
        out.write_all(line.as_bytes())?;
        // 2..max_gap ms apart, sometimes a burst of lines at once.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let gap = if rng.is_multiple_of(10) {
            0
        } else {
            2 + rng % (max_gap - 1)
        };
        std::thread::sleep(Duration::from_millis(gap));
    }
    let _ = reader.join();
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();

    let v = visible.lock().map_err(|_| "reader panicked")?;
    let mut ms: Vec<f64> = (1..=n)
        .filter_map(|s| v[s].map(|t| t.duration_since(appended[s]).as_secs_f64() * 1000.0))
        .collect();
    let missing = n - ms.len();
    ms.sort_by(f64::total_cmp);
    let q = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
    println!(
        "tracker tail{}: {} lines appended 2-{max_gap} ms apart, {} visible{}",
        if poll { " --poll" } else { "" },
        n,
        ms.len(),
        if missing > 0 {
            format!(" ({missing} never seen)")
        } else {
            String::new()
        }
    );
    if !ms.is_empty() {
        println!(
            "append → visible in another process: p50 {:.0} ms, p90 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
            q(0.5),
            q(0.9),
            q(0.99),
            ms[ms.len() - 1]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn max_step(c: &Connection) -> Option<i64> {
    c.query_row("SELECT max(step) FROM points", [], |r| r.get(0))
        .ok()
        .flatten()
}
