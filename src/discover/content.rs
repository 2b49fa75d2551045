//! What a file's content says about it during discovery: whether a Markdown note holds a log,
//! whether a `*.json` holds metrics (a column-wise document or JSON Lines of metrics) rather than
//! settings or a vocabulary, whether two files hold the same data, and which files are never
//! opened at all (sources, weights, databases).
//!
//! MMEngine (MMDetection 3.x, MMSegmentation 1.x, MMPretrain) writes a run to
//! `work_dirs/NAME/TIMESTAMP/`: its console log there, and in `vis_data/` its metrics twice,
//! `scalars.json` and `TIMESTAMP.json`, beside `config.py`. `vis_data/` belongs to the
//! `TIMESTAMP` run directory, which is named `NAME/TIMESTAMP`.

use crate::ingest::{columns, detect, json};
use std::io::Read;
use std::path::Path;

/// The folder of an MMEngine run directory that holds its metrics.
pub const VIS_DATA: &str = "vis_data";

/// The first `len` bytes of a file (fewer if it is shorter), `None` if it cannot be read.
fn head(path: &Path, len: usize) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let f = std::fs::File::open(path).ok()?;
    f.take(len as u64).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Whether the start of a file reads as a training log rather than prose.
pub fn holds_a_log(path: &Path) -> bool {
    head(path, detect::HEAD_LEN).is_some_and(|h| !h.contains(&0) && detect::looks_like_log(&h))
}

/// Whether a `*.json` file holds metrics: a column-wise document, or JSON Lines of which at
/// least two lines are objects with a number in them. Configs, `package.json`, vocabularies
/// and tokenizers hold neither.
pub fn holds_metrics(path: &Path) -> bool {
    head(path, detect::HEAD_LEN).is_some_and(|h| columns::looks_like(&h) || metric_lines(&h))
}

fn metric_lines(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(crate::ingest::strip_bom(head));
    let mut found = 0;
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(20)
    {
        if !(line.starts_with('{') && line.ends_with('}')) {
            return false;
        }
        let mut numeric = false;
        let read = json::for_each_field(line, &mut |e| {
            if let json::Event::Field(_, v) = e {
                numeric |= matches!(v, json::Val::Num(_));
            }
        });
        if read.is_ok() && numeric {
            found += 1;
        }
        if found >= 2 {
            return true;
        }
    }
    false
}

/// Whether two files start with the same bytes (one is a copy of the other, or the start of
/// one): MMEngine's `TIMESTAMP.json` beside `scalars.json`.
pub fn same_start(a: &Path, b: &Path) -> bool {
    const LEN: usize = 4096;
    match (head(a, LEN), head(b, LEN)) {
        (Some(x), Some(y)) => {
            let n = x.len().min(y.len());
            n > 0 && x[..n] == y[..n]
        }
        _ => false,
    }
}

/// The run directory a file's directory belongs to: an MMEngine `vis_data/` folder belongs to
/// the directory holding it.
pub fn run_dir(dir: &Path) -> &Path {
    match dir.file_name() {
        Some(n) if n == VIS_DATA => dir.parent().unwrap_or(dir),
        _ => dir,
    }
}

/// Whether a run directory is named with its parent's name too: MMEngine's `TIMESTAMP/` (it
/// holds `vis_data/`), named `NAME/TIMESTAMP`.
pub fn keeps_parent(dir: &Path) -> bool {
    dir.join(VIS_DATA).is_dir()
}

/// Whether `path` is an SQLite database that is open (its `-wal` or `-journal` beside it),
/// whatever its name: never opened here, for the reason [`never_a_log`] gives.
pub fn in_use_by_sqlite(path: &Path) -> bool {
    ["-wal", "-journal"].iter().any(|end| {
        let mut p = path.as_os_str().to_owned();
        p.push(end);
        Path::new(&p).exists()
    })
}

/// Extensions of files a training directory holds in numbers that are never logs: Python
/// sources and notebooks, weights and arrays, images, archives, compiled code, and databases.
/// A database is never even opened as a file here: closing a descriptor of an SQLite file
/// drops the locks this process holds on it (our own database may lie in the directory).
pub fn never_a_log(ext: &str) -> bool {
    matches!(
        ext,
        "db" | "sqlite"
            | "sqlite3"
            | "db-wal"
            | "db-shm"
            | "db-journal"
            | "wal"
            | "shm"
            | "journal"
            | "py"
            | "pyc"
            | "ipynb"
            | "pt"
            | "pth"
            | "ckpt"
            | "bin"
            | "safetensors"
            | "onnx"
            | "h5"
            | "hdf5"
            | "keras"
            | "pb"
            | "npy"
            | "npz"
            | "pkl"
            | "pickle"
            | "joblib"
            | "parquet"
            | "arrow"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "bmp"
            | "webp"
            | "svg"
            | "mp4"
            | "wav"
            | "zip"
            | "gz"
            | "tar"
            | "tgz"
            | "xz"
            | "zst"
            | "so"
            | "o"
            | "a"
            | "pdf"
            | "json"
            | "yaml"
            | "yml"
            | "toml"
            | "lock"
    )
}
