//! Evaluating hint rules: a pure function of the definitions and per-curve summaries.

use serde::Serialize;

use super::model::{Condition, Definition, Hint, Level, Op, Split, SplitSel, Stat, Verdict};

/// What the classifier knows about one logged curve. `None` = not available.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CurveSummary {
    /// The logged name.
    pub name: String,
    /// The definition id it resolved to.
    pub definition: Option<String>,
    pub split: Option<Split>,
    pub average: Option<String>,
    pub first: Option<f64>,
    pub last: Option<f64>,
    /// Best value in the metric's direction.
    pub best: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Change over the tail in the metric's units (positive = rising).
    pub final_trend: Option<f64>,
    pub verdict: Option<Verdict>,
}

impl CurveSummary {
    pub fn stat(&self, stat: Stat) -> Option<f64> {
        match stat {
            Stat::Last => self.last,
            Stat::First => self.first,
            Stat::Best => self.best,
            Stat::Min => self.min,
            Stat::Max => self.max,
            Stat::FinalTrend => self.final_trend,
        }
    }
}

/// A hint whose conditions all hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HintMatch {
    /// The definition that declares the hint.
    pub definition: String,
    pub hint: String,
    /// The split the conditions were bound to (`None`: split-less curves, or explicit splits).
    pub split: Option<Split>,
    pub message: String,
    pub level: Option<Level>,
    /// The logged names that satisfied the conditions, in condition order.
    pub curves: Vec<String>,
}

/// Every hint of `defs` that holds over `curves`.
///
/// Conditions without a `split` are bound to one shared split: the hint is tried once per split
/// present among the curves (and once for split-less curves), so "F1 low while accuracy is
/// high" compares val with val and train with train. A hint whose conditions all name a split
/// is tried once. A reference matches curves of that definition (and `average`, if given); a
/// condition holds when some matching curve (or pair of curves) satisfies it.
pub fn evaluate(defs: &[Definition], curves: &[CurveSummary]) -> Vec<HintMatch> {
    let mut out = Vec::new();
    for def in defs {
        for hint in &def.hints {
            let bound = hint.when.iter().any(|c| c.split.is_none());
            let groups: Vec<Option<Split>> = if bound {
                let mut g: Vec<Option<Split>> = curves.iter().map(|c| c.split).collect();
                g.sort();
                g.dedup();
                g
            } else {
                vec![None]
            };
            for group in groups {
                if let Some(names) = holds(def, hint, group, bound, curves) {
                    out.push(HintMatch {
                        definition: def.id.clone(),
                        hint: hint.id.clone(),
                        split: if bound { group } else { None },
                        message: hint.message.clone(),
                        level: hint.level,
                        curves: names,
                    });
                }
            }
        }
    }
    out
}

fn holds(
    def: &Definition,
    hint: &Hint,
    group: Option<Split>,
    bound: bool,
    curves: &[CurveSummary],
) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for cond in &hint.when {
        let pick = |sel: Option<SplitSel>| match sel {
            Some(sel) => Pick::Sel(sel),
            None if bound => Pick::Exactly(group),
            None => Pick::Sel(SplitSel::Any),
        };
        let left = pick(cond.split);
        let right = cond.right_split.map_or(left, Pick::Sel);
        for name in condition(def, cond, left, right, curves)? {
            // Two conditions on one curve name it once.
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Some(names)
}

/// Which curves a side of a condition reads.
#[derive(Clone, Copy)]
enum Pick {
    Sel(SplitSel),
    /// Bound to the hint's shared split.
    Exactly(Option<Split>),
}

impl Pick {
    fn selects(self, s: Option<Split>) -> bool {
        match self {
            Pick::Sel(sel) => sel.selects(s),
            Pick::Exactly(g) => s == g,
        }
    }
}

fn candidates<'a>(
    metric: &'a str,
    cond: &'a Condition,
    pick: Pick,
    curves: &'a [CurveSummary],
) -> impl Iterator<Item = &'a CurveSummary> {
    curves.iter().filter(move |c| {
        c.definition.as_deref() == Some(metric)
            && pick.selects(c.split)
            && cond
                .average
                .as_deref()
                .is_none_or(|a| c.average.as_deref() == Some(a))
    })
}

/// The names of the curves that satisfy `cond`, or `None`.
fn condition(
    def: &Definition,
    cond: &Condition,
    left_pick: Pick,
    right_pick: Pick,
    curves: &[CurveSummary],
) -> Option<Vec<String>> {
    if let (Some(left), Some(right), Some(op)) = (&cond.left, &cond.right, cond.op) {
        let factor = cond.factor.unwrap_or(1.0);
        let offset = cond.offset.unwrap_or(0.0);
        let right_stat = cond.right_stat.unwrap_or(cond.stat);
        for l in candidates(left, cond, left_pick, curves) {
            let Some(a) = l.stat(cond.stat) else { continue };
            for r in candidates(right, cond, right_pick, curves) {
                if r.name == l.name {
                    continue;
                }
                if let Some(b) = r.stat(right_stat)
                    && op.holds(a, factor * b + offset)
                {
                    return Some(vec![l.name.clone(), r.name.clone()]);
                }
            }
        }
        return None;
    }
    let metric = cond.metric.as_deref().unwrap_or(&def.id);
    let mut matching = candidates(metric, cond, left_pick, curves);
    let hit = if let Some(word) = cond.verdict {
        let negate = cond.op == Some(Op::Ne);
        matching.find(|c| c.verdict.is_some_and(|v| (v == word) != negate))
    } else {
        let (op, value) = (cond.op?, cond.value?);
        matching.find(|c| c.stat(cond.stat).is_some_and(|v| op.holds(v, value)))
    };
    hit.map(|c| vec![c.name.clone()])
}
