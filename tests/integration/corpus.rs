//! The corpus of real logs from public repositories (`tests/fixtures/corpus/`), each imported
//! without `--format` and compared with the counts written down before any import
//! (`expected.tsv`). `bash bench/corpus.sh` prints the same comparison as a table.

use crate::util::{Env, fixture};
use std::collections::BTreeSet;

/// What one import kept: runs, distinct metric names, points.
fn kept(env: &Env) -> (usize, usize, usize) {
    let runs = env.run_names();
    let mut names = BTreeSet::new();
    let mut points = 0;
    for run in &runs {
        let show = env.show(run);
        for m in show["metrics"].as_array().unwrap() {
            names.insert(m["metric"].as_str().unwrap().to_owned());
            points += m["points"].as_u64().unwrap() as usize;
        }
    }
    (runs.len(), names.len(), points)
}

#[test]
fn real_logs_of_the_corpus_import_as_their_users_expect() {
    let root = fixture("corpus");
    let table = std::fs::read_to_string(root.join("expected.tsv")).unwrap();
    let (mut rows, mut exact, mut want_points, mut kept_points) = (0, 0, 0, 0);
    let mut report = Vec::new();
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let want: Vec<usize> = cols[3..6].iter().filter_map(|c| c.parse().ok()).collect();
        let [runs, metrics, points] = want[..] else {
            continue;
        };
        let env = Env::new();
        env.ok(&["import", root.join(cols[0]).join(cols[1]).to_str().unwrap()]);
        let got = kept(&env);
        rows += 1;
        exact += usize::from(got == (runs, metrics, points));
        want_points += points;
        kept_points += got.2.min(points);
        report.push(format!(
            "{}: expected {runs}/{metrics}/{points}, kept {got:?}",
            cols[0]
        ));
        // No file of the corpus loses most of what its user expects.
        assert!(
            got.2 * 10 >= points * 6,
            "{}: kept {got:?} of {points} points",
            cols[0]
        );
    }
    let report = report.join("\n");
    eprintln!("{report}\nas expected {exact}/{rows}, points kept {kept_points}/{want_points}");
    assert!(rows >= 24, "{report}");
    assert!(exact >= 19, "{report}");
    assert!(kept_points * 1000 >= want_points * 974, "{report}");
}
