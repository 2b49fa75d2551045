//! The metric list of the runs on the chart: curves of different runs matched as `compare`
//! matches them (same logged name, then same definition, split, average and granularity),
//! grouped by definition, bookkeeping curves last.

use crate::compare::match_names;
use crate::defs::Registry;
use crate::diagnose::is_bookkeeping;

/// One row of the metric list: a metric across the runs on the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The logged name in the first run that has it.
    pub label: String,
    /// The definition it resolves to.
    pub definition: Option<String>,
    /// Its logged name in each run on the chart (`None`: that run lacks it).
    pub members: Vec<Option<String>>,
    /// `epoch`, runtimes, throughput: listed last.
    pub bookkeeping: bool,
}

/// The rows for runs whose logged names are `names[run]` (empty for a run not loaded yet).
pub fn build(names: &[Vec<&str>], registry: &Registry) -> Vec<Group> {
    let groups: Vec<Group> = match_names(names, registry)
        .into_iter()
        .filter_map(|group| {
            let members: Vec<Option<String>> = group
                .iter()
                .enumerate()
                .map(|(r, c)| c.map(|c| names[r][c].to_owned()))
                .collect();
            let label = members.iter().flatten().next()?.clone();
            Some(Group {
                definition: registry.resolve(&label).definition,
                bookkeeping: is_bookkeeping(&label),
                label,
                members,
            })
        })
        .collect();
    let section = |g: &Group| match (g.bookkeeping, g.definition.is_some()) {
        (false, true) => 0u8,
        (false, false) => 1,
        (true, _) => 2,
    };
    let first_of: Vec<usize> = groups
        .iter()
        .map(|g| {
            groups
                .iter()
                .position(|o| o.definition == g.definition && section(o) == section(g))
                .unwrap_or(0)
        })
        .collect();
    let keys: Vec<(u8, usize, usize)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (section(g), first_of[i], i))
        .collect();
    let mut keyed: Vec<_> = keys.into_iter().zip(groups).collect();
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_merge_and_definitions_group() {
        let reg = Registry::builtin().expect("shipped definitions load");
        let a = vec!["epoch", "train_loss", "val_acc", "val_loss", "weird_thing"];
        let b = vec!["eval_accuracy", "eval_loss", "train/loss"];
        let groups = build(&[a, b], &reg);
        let labels: Vec<&str> = groups.iter().map(|g| g.label.as_str()).collect();
        // Losses together, accuracy after them; undefined, then bookkeeping, last.
        assert_eq!(
            labels,
            ["train_loss", "val_loss", "val_acc", "weird_thing", "epoch"]
        );
        let acc = &groups[2];
        assert_eq!(
            acc.members,
            [Some("val_acc".into()), Some("eval_accuracy".into())]
        );
        assert_eq!(groups[1].members[1].as_deref(), Some("eval_loss"));
        assert_eq!(groups[0].members[1].as_deref(), Some("train/loss"));
    }
}
