//! Malformed and awkward input: everything good is kept, everything bad is reported.

use crate::util::{Env, fixture, on_both, pairs};

fn import(env: &Env, name: &str, extra: &[&str]) -> (bool, String) {
    let path = fixture(&format!("logs/{name}"));
    let mut args = vec!["import", "--run", "r"];
    args.extend_from_slice(extra);
    args.push(path.to_str().unwrap());
    let out = env.cmd().args(&args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

on_both! {
    fn truncated_last_line_is_reported_with_file_and_line(env) {
        let (ok, err) = import(env, "truncated.jsonl", &[]);
        assert!(ok, "{err}");
        assert!(err.contains("truncated.jsonl:4: invalid JSON"), "{err}");
        assert!(err.contains("1 lines skipped"), "{err}");
        assert_eq!(
            pairs(&env.series("r", "loss")),
            [(1, 0.9), (2, 0.8), (3, 0.7)]
        );
    }
}

on_both! {
    fn strict_makes_a_bad_line_an_error(env) {
        let (ok, err) = import(env, "truncated.jsonl", &["--strict"]);
        assert!(!ok);
        assert!(
            err.contains("truncated.jsonl:4:") && err.contains("--strict"),
            "{err}"
        );
    }
}

on_both! {
    fn non_utf8_bytes_do_not_lose_the_line(env) {
        let (ok, err) = import(env, "non_utf8.log", &[]);
        assert!(ok, "{err}");
        assert_eq!(
            pairs(&env.series("r", "loss")),
            [(1, 0.9), (2, 0.8), (3, 0.7)]
        );
    }
}

on_both! {
    fn huge_tiny_and_non_finite_numbers_are_stored_as_they_came(env) {
        let (ok, err) = import(env, "numbers.jsonl", &[]);
        assert!(ok, "{err}");
        let v = |m: &str, step: usize| env.series("r", m).values[step];
        assert_eq!(v("big", 0), 1e308);
        assert_eq!(v("huge", 0), f64::INFINITY);
        assert_eq!(v("tiny", 0), 5e-324);
        assert_eq!(v("under", 0), 0.0);
        assert!(v("a", 0).is_nan() && v("a", 1).is_nan());
        assert_eq!(v("b", 0), f64::INFINITY);
        assert_eq!(v("c", 0), f64::NEG_INFINITY);
        assert!(v("d", 0).is_nan());
        assert_eq!(v("e", 0), f64::INFINITY);
        assert_eq!(v("f", 0), f64::NEG_INFINITY);
        assert_eq!(v("b", 1), f64::MAX);
        // Strings, nulls and booleans are not metrics, and not errors either.
        let show = env.show("r");
        let names: Vec<&str> = show["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["metric"].as_str().unwrap())
            .collect();
        assert!(!names.contains(&"s") && !names.contains(&"n") && !names.contains(&"t"));
        let a = show["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "a")
            .unwrap();
        assert_eq!(a["non_finite"], 2);
        assert!(!err.contains("skipped"), "{err}");
    }
}

on_both! {
    fn empty_file_and_header_only_csv_import_nothing_quietly(env) {
        for f in ["empty.jsonl", "header_only.csv"] {
            let (ok, err) = import(env, f, &[]);
            assert!(ok, "{err}");
            assert!(err.contains("no metrics found"), "{err}");
        }
        assert_eq!(env.ok(&["runs", "--json"]).trim(), "[]");
    }
}

on_both! {
    fn duplicate_steps_keep_the_newest_value(env) {
        let (_, err) = import(env, "duplicate_steps.csv", &[]);
        assert!(err.contains("1 value was logged again at a step"), "{err}");
        assert_eq!(
            pairs(&env.series("r", "loss")),
            [(1, 0.9), (2, 0.75), (3, 0.7)]
        );
    }
}

on_both! {
    fn csv_columns_changing_halfway(env) {
        let (_, err) = import(env, "columns_change.csv", &[]);
        assert_eq!(pairs(&env.series("r", "acc")), [(3, 0.5), (4, 0.6)]);
        assert_eq!(pairs(&env.series("r", "loss")).len(), 4);
        assert!(
            err.contains("columns_change.csv:7: row has 2 cells, the header has 3"),
            "{err}"
        );
    }
}

on_both! {
    fn a_restart_keeps_the_newest_values_and_is_in_the_history(env) {
        let (_, err) = import(env, "restart.jsonl", &[]);
        assert!(err.contains("1 restart recorded"), "{err}");
        assert_eq!(
            pairs(&env.series("r", "loss")),
            [
                (100, 1.0),
                (200, 0.9),
                (300, 0.8),
                (400, 0.65),
                (500, 0.55),
                (600, 0.5)
            ]
        );
        let history = env.show("r")["history"].clone();
        let restart = history
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "restart")
            .expect("a restart in the history");
        assert_eq!(restart["step"], 400);
        assert!(
            restart["detail"]
                .as_str()
                .unwrap()
                .contains("from 500 to 400")
        );
        // The same file again: no second restart, nothing changed.
        let (_, err) = import(env, "restart.jsonl", &[]);
        assert!(err.contains("(0 points new or changed)"), "{err}");
        let n = env.show("r")["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "restart")
            .count();
        assert_eq!(n, 1);
    }
}

on_both! {
    fn three_launches_appended_to_one_log_are_two_restarts_even_at_the_same_step(env) {
        let log = env.dir.path().join("r.jsonl");
        let launch = |n: usize| {
            (1..=n)
                .map(|s| format!("{{\"step\": {s}, \"loss\": {}}}\n", 1.0 / s as f64))
                .collect::<String>()
        };
        std::fs::write(&log, launch(2) + &launch(5) + &launch(3)).unwrap();
        for _ in 0..2 {
            env.ok(&["import", log.to_str().unwrap(), "--run", "r"]);
        }
        let history = env.show("r")["history"].clone();
        let restarts: Vec<_> = history
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "restart")
            .map(|e| (e["step"].clone(), e["detail"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(restarts.len(), 2, "{restarts:?}");
        assert!(
            restarts[0].1.contains("from 2 to 1 (line 3)"),
            "{restarts:?}"
        );
        assert!(
            restarts[1].1.contains("from 5 to 1 (line 8)"),
            "{restarts:?}"
        );
    }
}

on_both! {
    fn missing_file_is_an_error_that_names_it(env) {
        let out = env
            .cmd()
            .args(["import", "/nonexistent/x.jsonl"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("/nonexistent/x.jsonl"), "{err}");
    }
}

on_both! {
    fn unknown_format_is_a_usage_error(env) {
        let out = env
            .cmd()
            .args(["import", "--format", "xml", "x"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("expected one of"));
    }
}

on_both! {
    fn standard_input_needs_a_run_name_unless_its_lines_name_their_runs(env) {
        let out = env
            .cmd()
            .args(["import", "-"])
            .write_stdin("{\"step\": 1, \"loss\": 2}\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let out = env
            .cmd()
            .args(["import", "--run", "piped", "-"])
            .write_stdin("{\"step\": 1, \"loss\": 2}\n")
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(pairs(&env.series("piped", "loss")), [(1, 2.0)]);
    }
}
