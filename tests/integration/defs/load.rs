//! The shipped set, the seed, user directories, warnings, the examples iterator.

use std::path::Path;

use tracker::defs::{
    Definition, Direction, DirectionSource, FileKind, Registry, Verdict, VerdictSource, check,
    load_file, parse_str, pattern_verdict, render_check, render_list, render_show,
};

use super::fixture;

const SHIPPED: [&str; 19] = [
    "accuracy",
    "auc",
    "bleu",
    "cer",
    "dice",
    "f1",
    "gan_loss",
    "grad_norm",
    "iou",
    "learning_rate",
    "loss",
    "map",
    "perplexity",
    "policy_stats",
    "precision",
    "recall",
    "reward",
    "rouge",
    "wer",
];

#[test]
fn every_shipped_definition_loads_without_warnings() {
    let registry = Registry::builtin().unwrap();
    let mut ids: Vec<&str> = registry
        .definitions()
        .iter()
        .map(|d| d.id.as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, SHIPPED);
    assert!(registry.warnings().is_empty(), "{:?}", registry.warnings());
    let report = check(None);
    assert!(
        report.is_ok(),
        "{}",
        tracker::defs::text(|o| render_check(o, &report))
    );
    assert_eq!((report.files, report.definitions), (19, 19));
}

#[test]
fn every_shipped_file_is_compiled_in() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("metric_defs");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let registry = Registry::builtin().unwrap();
    let mut compiled: Vec<String> = registry
        .definitions()
        .iter()
        .map(|d| {
            d.origin
                .file
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    compiled.sort();
    assert_eq!(files, compiled);
}

#[test]
fn every_shipped_definition_is_complete() {
    let registry = Registry::builtin().unwrap();
    for d in registry.definitions() {
        assert!(!d.aliases.is_empty(), "{}: aliases", d.id);
        assert!(
            !d.short_description.is_empty(),
            "{}: shortDescription",
            d.id
        );
        assert!(!d.what_to_look_for.is_empty(), "{}: whatToLookFor", d.id);
        assert!(!d.hints.is_empty(), "{}: hints", d.id);
        assert!(d.visualizations.healthy.is_some(), "{}: healthy", d.id);
        assert!(
            !d.visualizations.unhealthy.is_empty(),
            "{}: unhealthy",
            d.id
        );
        assert!(d.visualizations.y_domain.is_some(), "{}: yDomain", d.id);
    }
    for (d, key, _, points) in registry.examples() {
        assert!(
            (11..=20).contains(&points.len()),
            "{}.{key}: {} points",
            d.id,
            points.len()
        );
        // The example charts fit their yDomain.
        let [lo, hi] = d.visualizations.y_domain.unwrap();
        for p in points {
            assert!((lo..=hi).contains(&p.value), "{}.{key}: {p:?}", d.id);
        }
    }
}

#[test]
fn directions_of_shipped_definitions() {
    let registry = Registry::builtin().unwrap();
    let dir = |id: &str| registry.get(id).unwrap().direction_with_source();
    assert_eq!(
        dir("f1"),
        (Some(Direction::Maximize), DirectionSource::WhatToLookFor)
    );
    assert_eq!(
        dir("loss"),
        (Some(Direction::Minimize), DirectionSource::Declared)
    );
    assert_eq!(dir("learning_rate"), (None, DirectionSource::Unknown));
    for id in [
        "accuracy",
        "auc",
        "bleu",
        "dice",
        "iou",
        "map",
        "precision",
        "recall",
        "rouge",
    ] {
        assert_eq!(dir(id).0, Some(Direction::Maximize), "{id}");
    }
    for id in ["cer", "grad_norm", "loss", "perplexity", "wer"] {
        assert_eq!(dir(id).0, Some(Direction::Minimize), "{id}");
    }
}

#[test]
fn name_rules_give_a_direction_when_nothing_else_does() {
    let loaded = parse_str("id: val_nll\n", Path::new("x.yaml"), FileKind::Yaml).unwrap();
    assert_eq!(
        loaded.definition.direction_with_source(),
        (Some(Direction::Minimize), DirectionSource::NameRule)
    );
}

fn seed_fields(d: &Definition) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &d.id,
        &d.name,
        &d.aliases,
        &d.short_description,
        &d.what_to_look_for,
        &d.visualizations,
        &d.body,
    )
}

#[test]
fn the_seed_loads_unchanged_and_f1_keeps_its_data() {
    let path = fixture("seeds/004_e6bbd5cfe5db020e.txt");
    let seed = load_file(&path).unwrap();
    assert!(seed.warnings.is_empty(), "{:?}", seed.warnings);
    let d = &seed.definition;
    assert_eq!(d.id, "f1");
    assert_eq!(d.visualizations.y_domain, Some([0.0, 1.0]));
    assert_eq!(d.visualizations.healthy.as_ref().unwrap().data.len(), 11);
    assert!(d.body.starts_with("F1 score combines precision and recall"));
    assert!(d.body.contains("**Example:**"));
    let keys: Vec<(&str, Verdict)> = d
        .visualizations
        .unhealthy
        .iter()
        .map(|(k, p)| (k.as_str(), p.verdict))
        .collect();
    assert_eq!(
        keys,
        [
            ("stagnant", Verdict::Stagnant),
            ("imbalanced", Verdict::Oscillating)
        ]
    );
    // The shipped f1.md is the seed plus our optional fields.
    let registry = Registry::builtin().unwrap();
    let shipped = registry.get("f1").unwrap();
    assert_eq!(seed_fields(shipped), seed_fields(d));
    assert_eq!(d.bands.len(), 0);
    assert_eq!(shipped.bands.len(), 5);
}

#[test]
fn unhealthy_patterns_map_to_verdicts() {
    let registry = Registry::builtin().unwrap();
    let f1 = registry.get("f1").unwrap();
    let imbalanced = f1.pattern("imbalanced").unwrap();
    assert_eq!(
        pattern_verdict("imbalanced", imbalanced),
        Some((Verdict::Oscillating, VerdictSource::Analysis))
    );
    let stagnant = f1.pattern("stagnant").unwrap();
    assert_eq!(
        pattern_verdict("stagnant", stagnant),
        Some((Verdict::Stagnant, VerdictSource::Key))
    );
    let lr = registry.get("learning_rate").unwrap();
    assert_eq!(lr.pattern("erratic").unwrap().verdict, Verdict::Oscillating);

    let text = "id: x\nvisualizations:\n  unhealthy:\n    a: { label: Diverging run, analysis: it oscillates, data: [] }\n    b: { label: Odd, analysis: 'Stagnation, then divergence', data: [] }\n    c: { label: Odd, verdict: insufficient_data, analysis: diverges, data: [] }\n    diverging: { label: Oscillating, data: [] }\n";
    let d = parse_str(text, Path::new("x.yaml"), FileKind::Yaml)
        .unwrap()
        .definition;
    let got: Vec<(&str, Option<(Verdict, VerdictSource)>)> = d
        .visualizations
        .unhealthy
        .iter()
        .map(|(k, p)| (k.as_str(), pattern_verdict(k, p)))
        .collect();
    assert_eq!(
        got,
        [
            ("a", Some((Verdict::Diverging, VerdictSource::Label))),
            ("b", Some((Verdict::Stagnant, VerdictSource::Analysis))),
            (
                "c",
                Some((Verdict::InsufficientData, VerdictSource::Declared))
            ),
            ("diverging", Some((Verdict::Diverging, VerdictSource::Key))),
        ]
    );
}

#[test]
fn examples_iterate_every_curve_with_its_verdict() {
    let registry = Registry::builtin().unwrap();
    let all: Vec<(String, String, Verdict, usize)> = registry
        .examples()
        .map(|(d, k, v, p)| (d.id.clone(), k.to_string(), v, p.len()))
        .collect();
    let f1: Vec<_> = all.iter().filter(|e| e.0 == "f1").collect();
    assert_eq!(f1.len(), 3);
    assert_eq!((f1[0].1.as_str(), f1[0].2), ("healthy", Verdict::Healthy));
    assert_eq!(
        (f1[2].1.as_str(), f1[2].2),
        ("imbalanced", Verdict::Oscillating)
    );
    let healthy = all.iter().filter(|e| e.2 == Verdict::Healthy).count();
    assert_eq!(healthy, 19);
    for word in [Verdict::Stagnant, Verdict::Oscillating, Verdict::Diverging] {
        assert!(all.iter().any(|e| e.2 == word), "no {word} example");
    }
}

#[test]
fn bands_interpret_values() {
    let registry = Registry::builtin().unwrap();
    let f1 = registry.get("f1").unwrap();
    let label = |v: f64| f1.band_for(v).map(|b| b.label.as_str());
    assert_eq!(label(0.95), Some("excellent"));
    assert_eq!(label(0.895), Some("strong"));
    assert_eq!(label(0.5), Some("moderate"));
    assert_eq!(label(0.3), Some("weak"));
    assert_eq!(label(0.0), Some("failure"));
    assert_eq!(label(1.5), None);
    assert_eq!(label(f64::NAN), None);
}

#[test]
fn a_user_directory_adds_and_overrides() {
    let dir = fixture("defs_valid");
    let registry = Registry::load(Some(&dir)).unwrap();
    let acc = registry.get("accuracy").unwrap();
    assert_eq!(acc.name, "Accuracy (ours)");
    assert_eq!(
        acc.origin.overrides.as_deref(),
        Some(Path::new("metric_defs/accuracy.yaml"))
    );
    assert!(!acc.origin.builtin);
    assert_eq!(
        registry.resolve("val_ExpRate").definition.as_deref(),
        Some("exprate")
    );
    assert_eq!(
        registry.resolve("val_acc").definition.as_deref(),
        Some("accuracy")
    );
    // The override dropped the shipped aliases it does not repeat.
    assert_eq!(registry.resolve("top1").definition, None);
    assert_eq!(registry.definitions().len(), 21);
    assert!(tracker::defs::text(|o| render_list(o, &registry)).contains("override"));
}

#[test]
fn unknown_fields_and_skipped_files_are_warnings() {
    let dir = fixture("defs_valid");
    let registry = Registry::load(Some(&dir)).unwrap();
    let warnings: Vec<String> = registry
        .warnings()
        .iter()
        .map(|w| {
            let file = w.file.file_name().unwrap().to_string_lossy().into_owned();
            let pos = w.line.zip(w.column).map(|(l, c)| format!(":{l}:{c}"));
            format!(
                "{file}{} {}",
                pos.unwrap_or_default(),
                w.field.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            "README.md -",
            "with_unknown.md:4:1 colour",
            "with_unknown.md:9:7 visualizations.unhealthy.flat.lable",
            "with_unknown.md:12:34 visualizations.unhealthy.flat.data[0].note",
        ]
    );
    let text = registry.warnings()[1].to_string();
    assert!(text.ends_with("with_unknown.md:4:1: warning: field 'colour': unknown field 'colour' is ignored; expected one of: id, name, aliases, shortDescription, whatToLookFor, visualizations, direction, range, floor, thresholds, pair, bands, hints, progress"), "{text}");
    let lable = registry.warnings()[2].to_string();
    assert!(
        lable.ends_with("expected one of: label, data, analysis, verdict"),
        "{lable}"
    );
}

#[test]
fn check_reports_all_files_of_a_directory() {
    let report = check(Some(&fixture("defs_valid")));
    assert!(report.is_ok());
    assert_eq!(report.files, 19 + 3);
    assert_eq!(report.warnings.len(), 4);
    let text = tracker::defs::text(|o| render_check(o, &report));
    assert!(
        text.ends_with("22 files, 21 definitions: 0 errors, 4 warnings\n"),
        "{text}"
    );
}

#[test]
fn show_renders_everything() {
    let registry = Registry::builtin().unwrap();
    let text = tracker::defs::text(|o| render_show(o, registry.get("f1").unwrap()));
    for part in [
        "F1 Score (f1)",
        "direction:   maximize (from what to look for)",
        "domain:      [0, 1]",
        "0.90–1.00  excellent",
        "Precision/Recall Tradeoff → oscillating (11 points)",
        "class-imbalance: when accuracy.last >= 0.9 and f1.last < 0.5 and f1.max >= 0.05",
        "majority-class: when f1.max < 0.05 and accuracy.last > 0",
        "precision-over-recall: when precision.last > 1.5 × recall",
        "**Example:**",
    ] {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
}
