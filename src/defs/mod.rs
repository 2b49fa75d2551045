//! Metric definitions: what a logged metric means and what its healthy and unhealthy curves
//! look like. The only module that uses serde_yaml.
//!
//! - `model`, `rule`: the serde types of a definition file and its hint rules (format:
//!   README.md, "Metric definitions"); `schema`: the keys they know.
//! - `load`: one file (front matter, YAML errors with positions); `walk`: positions of fields
//!   and unknown keys (reported as warnings).
//! - `validate`: checks serde cannot express; `infer`: direction and pattern verdicts.
//! - `resolve`: logged name → (definition, split, average, granularity).
//! - `hints`: cross-metric rules over per-curve summaries.
//! - `builtin`: the shipped `metric_defs/`; `render`: text for `tracker defs …`.
//! - `yaml`: YAML for the rest of the program (Lightning's `hparams.yaml`).

mod builtin;
mod error;
mod hints;
mod infer;
mod load;
mod model;
mod registry;
mod render;
mod resolve;
mod rule;
mod schema;
mod validate;
mod walk;
pub mod yaml;

pub use error::{DefsError, DefsWarning, ErrorKind};
pub use hints::{CurveSummary, HintMatch, evaluate as evaluate_hints};
pub use infer::{
    DirectionSource, VerdictSource, direction_from_name, direction_from_text, pattern_verdict,
    verdict_in_text,
};
pub use load::{FileKind, Loaded, load_file, parse_str};
pub use model::{
    Band, Condition, Definition, Direction, Example, ExamplePoint, Hint, Level, Op, Origin, Pair,
    Pattern, Split, SplitSel, Stat, Thresholds, Verdict, Visualizations,
};
pub use registry::{CheckReport, CurvePair, Registry, check};
pub use render::{render_check, render_list, render_resolution, render_show, text};
pub use resolve::{Granularity, Resolution, strip};
