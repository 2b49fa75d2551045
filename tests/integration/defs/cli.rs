//! `tracker defs …` from the command line.

use crate::util::Env;

#[test]
fn resolve_json_has_the_documented_shape() {
    let env = Env::new();
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["defs", "resolve", "val_f1_macro", "--json"])).unwrap();
    assert_eq!(v["name"], "val_f1_macro");
    assert_eq!(v["definition"], "f1");
    assert_eq!(v["split"], "val");
    assert_eq!(v["average"], "macro");
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["defs", "resolve", "val_ExpRate", "--json"])).unwrap();
    assert!(v["definition"].is_null());
}

#[test]
fn list_show_and_check_the_shipped_set() {
    let env = Env::new();
    let list = env.ok(&["defs", "list"]);
    for id in [
        "f1",
        "loss",
        "accuracy",
        "perplexity",
        "learning_rate",
        "grad_norm",
        "map",
    ] {
        assert!(
            list.lines().any(|l| l.starts_with(id)),
            "{id} missing:\n{list}"
        );
    }
    let show = env.ok(&["defs", "show", "f1"]);
    assert!(
        show.contains("Harmonic mean of precision and recall"),
        "{show}"
    );
    let check = env.ok(&["defs", "check"]);
    assert!(check.contains("0 errors"), "{check}");
    let out = env.cmd().args(["defs", "show", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("definitions: accuracy"));
}

#[test]
fn check_fails_on_invalid_definitions_naming_file_line_and_field() {
    let env = Env::new();
    let dir = super::fixture("defs_invalid");
    let out = env
        .cmd()
        .args(["defs", "check", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing_id.yaml:1:1: field 'id': missing"),
        "{err}"
    );
}

#[test]
fn a_user_directory_adds_and_overrides() {
    let env = Env::new();
    let dir = super::fixture("defs_valid");
    let list = env
        .cmd()
        .env("TRACKER_DEFS", &dir)
        .args(["defs", "list"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains("override") || text.contains("user"), "{text}");
}
