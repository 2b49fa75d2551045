//! [`Follow`] on real files: resuming replays without handing on, rotation and truncation
//! start over, documents are read whole.

use super::Follow;
use crate::Error;
use crate::ingest::{Options, parse_all};
use crate::model::SourcePosition;
use std::io::Write;
use std::path::Path;

/// (metric, step, value) of everything handed on, and the last position.
#[derive(Default)]
struct Got {
    points: Vec<(String, i64, f64)>,
    position: Option<SourcePosition>,
}

fn poll(f: &mut Follow, got: &mut Got) {
    let mut sink = |c: super::Chunk<'_>| -> Result<(), Error> {
        for p in &c.batch.points {
            let name = c.batch.metric_name(p.metric).to_owned();
            got.points.push((name, p.step, p.value));
        }
        got.position = Some(c.position);
        Ok(())
    };
    f.poll(&mut sink).unwrap();
}

fn follow(path: &Path) -> Follow {
    Follow::new(
        path,
        &path.display().to_string(),
        "r",
        None,
        Options::default(),
        None,
    )
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn hf(i: u32) -> String {
    format!(
        "{{'loss': {}, 'epoch': {}}}\n",
        1.0 / f64::from(i),
        f64::from(i) / 10.0
    )
}

#[test]
fn resuming_replays_the_committed_bytes_and_goes_on_counting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("train.log");
    append(&path, &(1..=4).map(hf).collect::<String>());
    let mut first = follow(&path);
    let mut got = Got::default();
    poll(&mut first, &mut got);
    let pos = got.position.clone().unwrap();
    assert_eq!(pos.format.as_deref(), Some("hf-log"));
    append(&path, &(5..=6).map(hf).collect::<String>());
    // A new process: it resumes at the stored offset and hands on only the new lines, at the
    // steps a whole-file import gives them.
    let mut second = follow(&path);
    second.resume_from(pos);
    let mut more = Got::default();
    poll(&mut second, &mut more);
    assert!(second.take_notes()[0].contains("resuming at byte"));
    got.points.extend(more.points);
    let whole = parse_all(
        crate::ingest::Format::HfLog,
        &Options::default(),
        &std::fs::read(&path).unwrap(),
    );
    let expected: Vec<_> = whole
        .points
        .iter()
        .map(|p| (whole.metric_name(p.metric).to_owned(), p.step, p.value))
        .collect();
    assert_eq!(got.points, expected);
}

#[test]
fn a_position_of_another_file_is_not_resumed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.jsonl");
    append(&path, "{\"step\": 1, \"loss\": 0.5}\n");
    let mut f = follow(&path);
    let mut got = Got::default();
    poll(&mut f, &mut got);
    let pos = got.position.unwrap();
    std::fs::remove_file(&path).unwrap();
    append(
        &path,
        "{\"step\": 7, \"loss\": 0.1}\n{\"step\": 8, \"loss\": 0.2}\n",
    );
    let mut g = follow(&path);
    g.resume_from(pos);
    let mut got = Got::default();
    poll(&mut g, &mut got);
    assert_eq!(got.points.len(), 2);
    assert!(g.take_notes()[0].contains("changed since"));
}

#[test]
fn rotation_reads_the_old_file_to_its_end_then_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.jsonl");
    append(&path, "{\"step\": 1, \"loss\": 0.5}\n");
    let mut f = follow(&path);
    let mut got = Got::default();
    poll(&mut f, &mut got);
    std::fs::rename(&path, dir.path().join("m.jsonl.1")).unwrap();
    append(
        &dir.path().join("m.jsonl.1"),
        "{\"step\": 2, \"loss\": 0.4}\n",
    );
    poll(&mut f, &mut got);
    append(&path, "{\"step\": 1, \"acc\": 0.9}\n");
    poll(&mut f, &mut got);
    let steps: Vec<_> = got.points.iter().map(|p| (p.0.as_str(), p.1)).collect();
    assert_eq!(steps, [("loss", 1), ("loss", 2), ("acc", 1)]);
    assert!(f.take_notes()[0].contains("rotated"));
}

#[test]
fn a_document_is_read_whole_after_each_complete_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trainer_state.json");
    let doc = |n: i64| {
        let entries: Vec<String> = (1..=n)
            .map(|s| format!("{{\"loss\": {}, \"step\": {s}}}", 1.0 / s as f64))
            .collect();
        format!(
            "{{\"global_step\": {n}, \"log_history\": [{}]}}",
            entries.join(", ")
        )
    };
    std::fs::write(&path, doc(2)).unwrap();
    let mut f = follow(&path);
    let mut got = Got::default();
    poll(&mut f, &mut got);
    assert_eq!(got.points.len(), 2);
    // Half-written: nothing; complete: all of it again (the store's upsert keeps it once).
    std::fs::write(&path, &doc(3)[..20]).unwrap();
    poll(&mut f, &mut got);
    assert_eq!(got.points.len(), 2);
    std::fs::write(&path, doc(3)).unwrap();
    poll(&mut f, &mut got);
    assert_eq!(got.points.len(), 5);
    assert_eq!(f.format(), Some(crate::ingest::Format::HfState));
}
