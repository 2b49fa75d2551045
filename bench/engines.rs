//! Reading from two databases holding the same runs, for bench/postgres.sh: what the UI does
//! before its first frame (open, list the runs, read the first run's first metric) and reading
//! one whole series, each the median of 5.
//!
//! usage: engines DB_A DB_B RUN METRIC     (a path or a postgres:// URL each)

use std::path::Path;
use std::time::Instant;
use tracker::store::Store;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn time(f: &mut dyn FnMut() -> Result<()>) -> Result<f64> {
    let t = Instant::now();
    f()?;
    Ok(t.elapsed().as_secs_f64())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b, run, metric] = args.as_slice() else {
        return Err("usage: engines DB_A DB_B RUN METRIC".into());
    };
    for db in [a, b] {
        let mut first_frame = Vec::new();
        let mut series = Vec::new();
        let mut points = 0;
        for _ in 0..5 {
            first_frame.push(time(&mut || {
                let store = Store::open_read_only(Path::new(db))?;
                let runs = store.runs()?;
                let first = &runs.last().ok_or("no run")?.name;
                let names = store.metric_names(first)?;
                store.series(first, names.first().ok_or("no metric")?)?;
                Ok(())
            })?);
            let store = Store::open_read_only(Path::new(db))?;
            series.push(time(&mut || {
                points = store.series(run, metric)?.steps.len();
                Ok(())
            })?);
        }
        println!(
            "{}\tfirst frame {:.1} ms\tseries of {points} points {:.1} ms",
            tracker::store::redact(db),
            median(first_frame) * 1e3,
            median(series) * 1e3
        );
    }
    Ok(())
}
