//! One fixture per error message in `tests/fixtures/defs_invalid/`: file, line, column, field,
//! and what was expected.

use std::path::Path;

use tracker::defs::{DefsError, ErrorKind, check, load_file};

use super::fixture;

struct Case {
    /// A file (loaded alone) or a directory (checked together with the shipped set).
    fixture: &'static str,
    kind: ErrorKind,
    /// The file the error names, relative to the fixture (for directories).
    file: &'static str,
    line: usize,
    column: usize,
    field: Option<&'static str>,
    /// The whole message after `FILE:LINE:COL: field 'F':`.
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        fixture: "bad_yaml.yaml",
        kind: ErrorKind::Syntax,
        file: "",
        line: 4,
        column: 17,
        field: None,
        message: "invalid YAML: did not find expected ',' or ']'; expected a YAML mapping of definition fields",
    },
    Case {
        fixture: "missing_id.yaml",
        kind: ErrorKind::Missing,
        file: "",
        line: 1,
        column: 1,
        field: Some("id"),
        message: "missing; expected a string naming the definition, e.g. 'id: f1'",
    },
    Case {
        fixture: "ydomain_reversed.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 4,
        column: 3,
        field: Some("visualizations.yDomain"),
        message: "expected [lo, hi] with lo < hi, found [1, 0]",
    },
    Case {
        fixture: "range_reversed.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 2,
        column: 1,
        field: Some("range"),
        message: "expected [lo, hi] with lo < hi, found [1, 0]",
    },
    Case {
        fixture: "point_without_value.yaml",
        kind: ErrorKind::Missing,
        file: "",
        line: 6,
        column: 9,
        field: Some("visualizations.healthy.data[1].value"),
        message: "missing; expected a number, e.g. '{ step: 10, value: 0.35 }'",
    },
    Case {
        fixture: "step_not_integer.yaml",
        kind: ErrorKind::Type,
        file: "",
        line: 5,
        column: 17,
        field: Some("visualizations.healthy.data[0].step"),
        message: "wrong type: expected an integer, found floating point `0.5`",
    },
    Case {
        fixture: "steps_not_increasing.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 7,
        column: 11,
        field: Some("visualizations.healthy.data[2].step"),
        message: "steps must increase; expected a step above 20, found 10",
    },
    Case {
        fixture: "wrong_type.yaml",
        kind: ErrorKind::Type,
        file: "",
        line: 3,
        column: 13,
        field: Some("thresholds.patience"),
        message: "wrong type: expected a whole number >= 0, found string \"ten\"",
    },
    Case {
        fixture: "wrong_type_list.yaml",
        kind: ErrorKind::Type,
        file: "",
        line: 2,
        column: 16,
        field: Some("whatToLookFor"),
        message: "wrong type: expected a list, found string \"Should increase over time.\"",
    },
    Case {
        fixture: "unknown_verdict.yaml",
        kind: ErrorKind::Type,
        file: "",
        line: 6,
        column: 16,
        field: Some("visualizations.unhealthy.spiky.verdict"),
        message: "unknown verdict word 'exploding'; expected one of 'healthy', 'stagnant', 'oscillating', 'diverging', 'insufficient_data'",
    },
    Case {
        fixture: "unmapped_pattern.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 4,
        column: 5,
        field: Some("visualizations.unhealthy.weird"),
        message: "cannot tell which verdict this pattern shows; expected a 'verdict' field (stagnant, oscillating, diverging, insufficient_data or healthy), a verdict word as its key, or one in its label or analysis",
    },
    Case {
        fixture: "unterminated_front_matter.md",
        kind: ErrorKind::FrontMatter,
        file: "",
        line: 1,
        column: 1,
        field: None,
        message: "the front matter opened by '---' on line 1 is never closed; expected a line '---' after the YAML fields, before the Markdown body",
    },
    Case {
        fixture: "no_front_matter.md",
        kind: ErrorKind::FrontMatter,
        file: "",
        line: 1,
        column: 1,
        field: None,
        message: "no front matter; expected the file to start with a line '---', then the YAML fields, then a line '---' and the Markdown body",
    },
    Case {
        fixture: "bad_op.yaml",
        kind: ErrorKind::Type,
        file: "",
        line: 5,
        column: 28,
        field: Some("hints[0].when[0].op"),
        message: "unknown value '=>'; expected one of '<', '<=', '>', '>=', '==', '!='",
    },
    Case {
        fixture: "incomplete_comparison.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 6,
        column: 9,
        field: Some("hints[0].when[1]"),
        message: "incomplete comparison; expected '{ left: METRIC, op: \">\", right: METRIC }' (with optional factor, offset, stat, right_stat)",
    },
    Case {
        fixture: "band_reversed.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 4,
        column: 5,
        field: Some("bands[1]"),
        message: "expected finite min <= max, found min 0.89 and max 0.7",
    },
    Case {
        fixture: "bad_id.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 1,
        column: 1,
        field: Some("id"),
        message: "invalid id 'F1 Score'; expected lower-case letters, digits, '_' or '-'",
    },
    Case {
        fixture: "duplicate_key.yaml",
        kind: ErrorKind::Value,
        file: "",
        line: 1,
        column: 1,
        field: Some("id"),
        message: "given twice; expected each key once",
    },
    Case {
        fixture: "duplicate_alias",
        kind: ErrorKind::DuplicateAlias,
        file: "b.yaml",
        line: 5,
        column: 5,
        field: Some("aliases[1]"),
        message: "alias 'ExpRate' is also claimed by definition 'exprate' (tests/fixtures/defs_invalid/duplicate_alias/a.yaml as 'exprate'); expected each alias in one definition",
    },
    Case {
        fixture: "alias_taken",
        kind: ErrorKind::DuplicateAlias,
        file: "my_accuracy.yaml",
        line: 2,
        column: 19,
        field: Some("aliases[1]"),
        message: "alias 'acc' is also claimed by definition 'accuracy' (metric_defs/accuracy.yaml as 'acc'); expected each alias in one definition",
    },
    Case {
        fixture: "duplicate_id",
        kind: ErrorKind::DuplicateId,
        file: "b.md",
        line: 3,
        column: 1,
        field: Some("id"),
        message: "id 'exprate' is already defined in tests/fixtures/defs_invalid/duplicate_id/a.yaml; expected each id in one file",
    },
];

/// Paths relative to the crate root, as a user running `tracker defs check` there sees them.
fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn error_of(case: &Case) -> DefsError {
    let path = fixture("defs_invalid").join(case.fixture);
    if path.is_dir() {
        let report = check(Some(&path));
        assert_eq!(
            report.errors.len(),
            1,
            "{}: {:?}",
            case.fixture,
            report.errors
        );
        report.errors[0].clone()
    } else {
        load_file(&path).expect_err(case.fixture)
    }
}

#[test]
fn every_invalid_fixture_gives_its_error() {
    for case in CASES {
        let err = error_of(case);
        assert_eq!(err.kind, case.kind, "{}: {err}", case.fixture);
        let expected_file = if case.file.is_empty() {
            format!("tests/fixtures/defs_invalid/{}", case.fixture)
        } else {
            format!("tests/fixtures/defs_invalid/{}/{}", case.fixture, case.file)
        };
        assert_eq!(relative(&err.file), expected_file, "{}", case.fixture);
        assert_eq!(
            (err.line, err.column),
            (Some(case.line), Some(case.column)),
            "{}: {err}",
            case.fixture
        );
        assert_eq!(err.field.as_deref(), case.field, "{}: {err}", case.fixture);
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let message = err.message.replace(root, "");
        assert_eq!(message, case.message, "{}", case.fixture);
        // The rendered error leads with FILE:LINE:COL and names the field.
        let text = err.to_string();
        let head = format!("{}:{}:{}:", err.file.display(), case.line, case.column);
        assert!(text.starts_with(&head), "{text}");
        if let Some(field) = case.field {
            assert!(text.contains(&format!("field '{field}':")), "{text}");
        }
    }
}

#[test]
fn every_invalid_fixture_has_a_case() {
    let mut names: Vec<String> = std::fs::read_dir(fixture("defs_invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut covered: Vec<&str> = CASES.iter().map(|c| c.fixture).collect();
    covered.sort_unstable();
    assert_eq!(names, covered);
}

#[test]
fn check_collects_the_errors_of_every_file() {
    let report = check(Some(&fixture("defs_invalid/duplicate_alias")));
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.files, 21);
    assert!(tracker::defs::Registry::load(Some(&fixture("defs_invalid/alias_taken"))).is_err());
}
