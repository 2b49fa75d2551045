//! Which curves of different runs are the same metric: the same logged name first, then the
//! same (definition, split, average, granularity), so `val_f1` in one run meets `eval_f1` in
//! another. The terminal UI matches its overlays with it too.

use super::RunData;
use crate::defs::{Registry, Resolution};

type Key = (
    String,
    Option<crate::defs::Split>,
    Option<String>,
    Option<u8>,
);

fn key(r: &Resolution) -> Option<Key> {
    let g = r.granularity.map(|g| g as u8);
    r.definition
        .clone()
        .map(|d| (d, r.split, r.average.clone(), g))
}

/// Groups of curve indices, one entry per run (`None` where the run lacks the metric).
pub(super) fn match_metrics(runs: &[RunData], registry: &Registry) -> Vec<Vec<Option<usize>>> {
    let names: Vec<Vec<&str>> = runs
        .iter()
        .map(|r| r.curves.iter().map(|(n, _)| n.as_str()).collect())
        .collect();
    match_names(&names, registry)
}

/// Match logged names across runs (`names[run][curve]`): the same logged name first, then the
/// same (definition, split, average, granularity). Returns groups of curve indices, one entry
/// per run (`None` where the run lacks the metric), in the order the first run that has each
/// metric lists it.
pub fn match_names(names: &[Vec<&str>], registry: &Registry) -> Vec<Vec<Option<usize>>> {
    let resolved: Vec<Vec<Resolution>> = names
        .iter()
        .map(|r| r.iter().map(|n| registry.resolve(n)).collect())
        .collect();
    let mut used: Vec<Vec<bool>> = names.iter().map(|r| vec![false; r.len()]).collect();
    let mut groups = Vec::new();
    for k in 0..names.len() {
        for i in 0..names[k].len() {
            if used[k][i] {
                continue;
            }
            used[k][i] = true;
            let mut group = vec![None; names.len()];
            group[k] = Some(i);
            let name = names[k][i];
            let want = key(&resolved[k][i]);
            for j in k + 1..names.len() {
                let by_name = names[j]
                    .iter()
                    .enumerate()
                    .position(|(c, n)| !used[j][c] && *n == name);
                let by_key = || {
                    want.as_ref().and_then(|w| {
                        (0..names[j].len())
                            .find(|&c| !used[j][c] && key(&resolved[j][c]).as_ref() == Some(w))
                    })
                };
                if let Some(c) = by_name.or_else(by_key) {
                    used[j][c] = true;
                    group[j] = Some(c);
                }
            }
            groups.push(group);
        }
    }
    groups
}
