//! Hostile input: random bytes, huge lines, deep nesting, odd numbers and names. No panic, no
//! unbounded memory, every skip reported with its line, and the same result however the input
//! is split into chunks (what `tail` sees).

use crate::util::Env;
use proptest::prelude::*;
use tracker::ingest::{self, Batch, Format, Options};

/// Parse `data` fed in chunks of the given sizes (cycled), as a tailer would.
fn parse_chunked(format: Format, data: &[u8], sizes: &[usize]) -> Batch {
    let mut batch = Batch::new();
    let mut p = ingest::parser(format, &Options::default());
    let mut pending: Vec<u8> = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    while pos < data.len() {
        let n = sizes[i % sizes.len()].max(1).min(data.len() - pos);
        i += 1;
        pending.extend_from_slice(&data[pos..pos + n]);
        pos += n;
        let used = p.feed(&pending, false, &mut batch);
        pending.drain(..used);
    }
    p.feed(&pending, true, &mut batch);
    batch
}

fn summary(b: &Batch) -> (Vec<(String, i64, u64)>, Vec<String>) {
    let points = b
        .points
        .iter()
        .map(|p| {
            (
                b.metric_name(p.metric).to_owned(),
                p.step,
                p.value.to_bits(),
            )
        })
        .collect();
    let skips = b
        .skips
        .iter()
        .map(|s| format!("{}: {}", s.location, s.reason))
        .collect();
    (points, skips)
}

const LINE_FORMATS: [Format; 4] = [Format::Jsonl, Format::Csv, Format::HfLog, Format::KeyValue];

fn log_line() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..1000, -1e6f64..1e6).prop_map(|(s, v)| format!("{{\"step\": {s}, \"loss\": {v}}}")),
        (0i64..1000, -1e6f64..1e6).prop_map(|(s, v)| format!("step={s} loss={v} acc: 0.5")),
        (0i64..1000, -1e6f64..1e6).prop_map(|(s, v)| format!("{s},{v},")),
        (-1e6f64..1e6).prop_map(|v| format!("{{'loss': '{v}', 'epoch': 0.5}}")),
        Just("{\"a\": NaN, \"b\": 1e999, \"c\": -0}".to_string()),
        Just("step,loss,acc".to_string()),
        Just("<<<<<<< HEAD".to_string()),
        "[ -~]{0,40}",
        any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for f in Format::ALL {
            let b = ingest::parse_all(*f, &Options::default(), &data);
            for s in &b.skips {
                prop_assert!(!s.reason.is_empty());
            }
        }
    }

    #[test]
    fn chunking_does_not_change_the_result(
        lines in proptest::collection::vec(log_line(), 0..40),
        sizes in proptest::collection::vec(1usize..64, 1..8),
        trailing_newline in any::<bool>(),
    ) {
        let mut text = lines.join("\n");
        if trailing_newline {
            text.push('\n');
        }
        for f in LINE_FORMATS {
            let whole = ingest::parse_all(f, &Options::default(), text.as_bytes());
            let chunked = parse_chunked(f, text.as_bytes(), &sizes);
            prop_assert_eq!(summary(&whole), summary(&chunked), "format {}", f);
        }
    }
}

#[test]
fn deep_nesting_is_reported_not_a_stack_overflow() {
    let deep = format!(
        "{}1{}\n{{\"step\": 1, \"x\": 2}}\n",
        "{\"a\":".repeat(5000),
        "}".repeat(5000)
    );
    let b = ingest::parse_all(Format::Jsonl, &Options::default(), deep.as_bytes());
    assert_eq!(b.skips.len(), 1);
    assert_eq!(b.points.len(), 1);
    let py = format!(
        "{{'loss': {}1{}, 'epoch': 1}}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let b = ingest::parse_all(Format::HfLog, &Options::default(), py.as_bytes());
    assert!(
        b.skips
            .iter()
            .all(|s| s.reason.contains("nesting") || s.reason.contains("Trainer"))
    );
}

#[test]
fn odd_names_survive_the_round_trip() {
    let env = Env::new();
    let names = [
        "quote\"d",
        "new\nline",
        "emoji 🚀/loss",
        "tab\tname",
        "back\\slash",
        "ünïcödé",
    ];
    let mut text = String::new();
    for (i, n) in names.iter().enumerate() {
        let key = serde_json::to_string(n).unwrap();
        text.push_str(&format!("{{\"step\": {i}, {key}: {i}.5}}\n"));
    }
    let file = env.dir.path().join("names.jsonl");
    std::fs::write(&file, text).unwrap();
    env.ok(&["import", "--run", "odd", file.to_str().unwrap()]);
    let store = env.store();
    let stored = store.metric_names("odd").unwrap();
    for n in names {
        assert!(stored.iter().any(|s| s == n), "{n:?} not in {stored:?}");
        assert_eq!(store.series("odd", n).unwrap().len(), 1);
    }
    let show = env.show("odd");
    assert_eq!(show["metrics"].as_array().unwrap().len(), names.len());
}

#[test]
fn a_10_mb_line_is_skipped_and_reported_with_its_line_number() {
    let env = Env::new();
    let mut text = String::from("{\"step\": 1, \"loss\": 1}\n{\"step\": 2, \"junk\": \"");
    text.push_str(&"x".repeat(10 << 20));
    text.push_str("\"}\n{\"step\": 3, \"loss\": 3}\n");
    let file = env.dir.path().join("huge.jsonl");
    std::fs::write(&file, text).unwrap();
    let out = env
        .cmd()
        .args(["import", "--run", "h", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("huge.jsonl:2: line"), "{err}");
    assert!(err.contains("1 MiB limit"), "{err}");
    assert_eq!(env.series("h", "loss").steps, [1, 3]);
}

#[test]
fn csv_with_inconsistent_quoting_keeps_the_good_rows() {
    let text =
        "step,loss,note\n1,0.5,\"ok\"\n2,\"0.4,x\n3,0.3,\"a\"\"b\"\n4,0.2,\"unclosed\n5,0.1,z\n";
    let b = ingest::parse_all(Format::Csv, &Options::default(), text.as_bytes());
    let steps: Vec<i64> = b.points.iter().map(|p| p.step).collect();
    assert!(
        steps.contains(&1) && steps.contains(&3) && steps.contains(&5),
        "{steps:?}"
    );
    assert!(!b.skips.is_empty());
    for s in &b.skips {
        assert!(matches!(s.location, ingest::Location::Line(_)));
    }
}
