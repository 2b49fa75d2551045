use super::*;
use crate::ingest::tfevents::write::EventWriter;

fn put(root: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn event_files_are_runs_and_give_way_to_structured_logs() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let events = |t: f64| EventWriter::new(t).into_bytes();
    // Lightning: metrics.csv beside the event file wins.
    let csv = put(root, "lit/version_0/metrics.csv", b"step,loss\n1,0.5\n");
    let lit_ev = put(
        root,
        "lit/version_0/events.out.tfevents.1.h.0",
        &events(1.0),
    );
    // HF: OUTPUT/runs/NAME/events.* belong to OUTPUT, whose trainer_state.json wins.
    let state = put(root, "hf/trainer_state.json", b"{}");
    let hf_ev = put(
        root,
        "hf/runs/Nov22_vm/events.out.tfevents.5.h.0",
        &events(5.0),
    );
    // A restarted job: two files, read in the order of their first event's wall time,
    // else of the time in their name.
    let second = put(root, "tb/exp1/events.out.tfevents.20.h.1", &events(30.0));
    let first = put(root, "tb/exp1/events.out.tfevents.30.h.2", &events(10.0));
    let third = put(root, "tb/exp1/events.out.tfevents.40.h.3", b"");
    let log = put(root, "tb/exp1/train.log", b"loss=1\n");
    let found = directory(root, None).unwrap();
    let brief: Vec<_> = found
        .iter()
        .map(|s| (s.run.as_str(), &s.path, &s.more, &s.passed_over))
        .collect();
    assert_eq!(
        brief,
        [
            ("hf", &state, &vec![], &vec![hf_ev.clone()]),
            ("lit/version_0", &csv, &vec![], &vec![lit_ev.clone()]),
            (
                "tb/exp1",
                &first,
                &vec![second.clone(), third.clone()],
                &vec![log]
            ),
        ]
    );
    // --format tfevents: the event files of the same runs.
    let found = directory(root, Some(Format::TfEvents)).unwrap();
    let brief: Vec<_> = found.iter().map(|s| (s.run.as_str(), &s.path)).collect();
    assert_eq!(
        brief,
        [
            ("hf", &hf_ev),
            ("lit/version_0", &lit_ev),
            ("tb/exp1", &first)
        ]
    );
    assert_eq!(found[0].passed_over, [state]);
}

#[test]
fn names_from_paths() {
    let root = Path::new("/x/logs");
    assert_eq!(
        run_name(root, Path::new("/x/logs/mnist/version_0")),
        "mnist/version_0"
    );
    assert_eq!(
        run_name(root, Path::new("/x/logs/version_3")),
        "logs/version_3"
    );
    assert_eq!(run_name(root, Path::new("/x/logs")), "logs");
    let v = Path::new("/a/lightning_logs/version_3");
    assert_eq!(run_name(v, v), "lightning_logs/version_3");
    assert_eq!(file_run_name(Path::new("/r/exp/metrics.csv")), "exp");
    assert_eq!(file_run_name(Path::new("/r/runs/exp1.jsonl")), "runs/exp1");
    assert_eq!(
        file_run_name(Path::new("/r/digits/version_0/metrics.csv")),
        "digits/version_0"
    );
}

#[test]
fn an_open_sqlite_database_is_never_a_candidate_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store");
    let log = "step 1 loss=0.5\nstep 2 loss=0.4\nstep 3 loss=0.3\n";
    // A file whose content reads as a log is a log...
    std::fs::write(&db, log).unwrap();
    assert_eq!(kind(&db), Some(Kind::Log));
    // ...but not while an SQLite journal beside it says a database is open there.
    std::fs::write(dir.path().join("store-wal"), b"").unwrap();
    assert_eq!(kind(&db), None);
    std::fs::write(dir.path().join("x.db"), log).unwrap();
    assert_eq!(kind(&dir.path().join("x.db")), None);
}

#[test]
fn stable_baselines_file_stems_are_generic() {
    for s in ["progress", "monitor", "0.monitor", "results"] {
        assert!(naming::generic_stem(s), "{s}");
    }
    assert!(!naming::generic_stem("ppo_cartpole"));
}

#[test]
fn json_files_are_data_by_content_and_mmengine_runs_are_named_by_their_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let train = b"{\"loss\": 1.5, \"epoch\": 1, \"iter\": 50, \"step\": 50}\n\
        {\"coco/bbox_mAP\": 0.3, \"time\": 0.1, \"step\": 1}\n";
    let vis = "work_dirs/rtm/20240101_120000/vis_data";
    let scalars = put(root, &format!("{vis}/scalars.json"), train);
    let copy = put(root, &format!("{vis}/20240101_120000.json"), train);
    put(root, &format!("{vis}/config.py"), b"model = dict()\n");
    let text_log = put(
        root,
        "work_dirs/rtm/20240101_120000/20240101_120000.log",
        b"Epoch(train) [1][50/100] loss: 1.5\n",
    );
    let keras = put(root, "keras/history.json", b"{\"loss\": [0.9, 0.7, 0.6]}");
    // MMDetection 2.x: the log's structured twin is read instead of the log.
    let twin = b"{\"env_info\": \"x\", \"seed\": 0}\n{\"mode\": \"train\", \"epoch\": 1, \"iter\": 50, \"loss\": 1}\n";
    let mm2 = put(root, "mm2/20220101_000000.log.json", twin);
    let mm2_log = put(
        root,
        "mm2/20220101_000000.log",
        b"Epoch [1][50/100] loss: 1\n",
    );
    for (rel, bytes) in [
        ("keras/config.json", &b"{\"lr\": 0.1, \"layers\": [64]}"[..]),
        (
            "keras/package.json",
            b"{\"name\": \"x\", \"version\": \"1.0\"}",
        ),
        ("keras/vocab.json", b"{\"a\": 0, \"b\": 1, \"c\": 2}"),
        (
            "keras/tokenizer.json",
            b"{\"model\": {\"merges\": [\"a b\", \"c d\"]}}",
        ),
    ] {
        put(root, rel, bytes);
    }
    let found = directory(root, None).unwrap();
    let brief: Vec<_> = found
        .iter()
        .map(|s| (s.run.as_str(), &s.path, &s.passed_over))
        .collect();
    assert_eq!(
        brief,
        [
            ("keras/history", &keras, &vec![]),
            ("mm2/20220101_000000", &mm2, &vec![mm2_log]),
            (
                "work_dirs/rtm/20240101_120000",
                &scalars,
                &vec![text_log, copy.clone()]
            ),
        ]
    );
    let run = "rtm/20240101_120000";
    assert_eq!(file_run_name(&scalars), run);
    let vis_dir = root.join(vis);
    assert_eq!(run_name(&vis_dir, &vis_dir), run);
    let found = directory(&vis_dir, None).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].run.as_str(), &found[0].passed_over),
        (run, &vec![copy])
    );
}
