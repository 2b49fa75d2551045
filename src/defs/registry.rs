//! The registry: shipped definitions plus a user directory, the alias index, the public API.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::builtin;
use super::error::{DefsError, DefsWarning, ErrorKind};
use super::hints::{self, CurveSummary, HintMatch};
use super::load::{self, FileKind, Parsed};
use super::model::{Definition, ExamplePoint, Split, Verdict};
use super::resolve::{AliasIndex, Resolution, strip};

/// All definitions in force, and the warnings raised while loading them.
#[derive(Debug, Clone)]
pub struct Registry {
    defs: Vec<Definition>,
    index: AliasIndex,
    warnings: Vec<DefsWarning>,
}

/// What `tracker defs check [DIR]` reports.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Files read (shipped ones included).
    pub files: usize,
    /// Definitions that loaded.
    pub definitions: usize,
    pub errors: Vec<DefsError>,
    pub warnings: Vec<DefsWarning>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// A train curve and its validation counterpart among some logged names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurvePair {
    /// The definition both resolve to (`None`: both unresolved, same stripped name).
    pub definition: Option<String>,
    pub train: String,
    pub val: String,
}

#[derive(Default)]
struct Build {
    parsed: Vec<Parsed>,
    errors: Vec<DefsError>,
    warnings: Vec<DefsWarning>,
    files: usize,
}

impl Build {
    fn add(&mut self, result: Result<Parsed, DefsError>) {
        self.files += 1;
        match result {
            Ok(p) => self.parsed.push(p),
            Err(e) => self.errors.push(e),
        }
    }
}

impl Registry {
    /// The shipped definitions only.
    pub fn builtin() -> Result<Registry, DefsError> {
        Registry::load(None)
    }

    /// The shipped definitions, plus the user's directory (`--defs DIR` / `TRACKER_DEFS`) whose
    /// definitions add to them and replace shipped ones with the same id. The first error wins;
    /// use [`check`] to see them all.
    pub fn load(user_dir: Option<&Path>) -> Result<Registry, DefsError> {
        let (registry, mut errors, _) = build(user_dir);
        match errors.is_empty() {
            true => Ok(registry),
            false => Err(errors.swap_remove(0)),
        }
    }

    /// In load order: shipped files (by file name), then user files (by file name).
    pub fn definitions(&self) -> &[Definition] {
        &self.defs
    }

    /// A definition by id (case-insensitive).
    pub fn get(&self, id: &str) -> Option<&Definition> {
        self.defs
            .iter()
            .find(|d| d.id.eq_ignore_ascii_case(id.trim()))
    }

    /// Unknown fields and other non-fatal findings, per file.
    pub fn warnings(&self) -> &[DefsWarning] {
        &self.warnings
    }

    /// How a logged name resolves, with the steps in words.
    pub fn resolve(&self, name: &str) -> Resolution {
        let mut r = strip(name);
        match self.index.lookup(&r.core) {
            Some((entry, glob)) => {
                let id = &self.defs[entry.def].id;
                r.steps.push(format!(
                    "matched alias {}'{}' of definition '{id}'",
                    if glob { "pattern " } else { "" },
                    entry.alias
                ));
                r.definition = Some(id.clone());
            }
            None => r
                .steps
                .push(format!("no alias matches '{}': no definition", r.core)),
        }
        r
    }

    /// The definition a logged name resolves to.
    pub fn definition_for(&self, name: &str) -> Option<&Definition> {
        let core = strip(name).core;
        self.index.lookup(&core).map(|(e, _)| &self.defs[e.def])
    }

    /// Every example curve with the verdict it must get: `healthy` first, then each pattern.
    pub fn examples(&self) -> impl Iterator<Item = (&Definition, &str, Verdict, &[ExamplePoint])> {
        self.defs.iter().flat_map(|d| {
            let healthy = d
                .visualizations
                .healthy
                .iter()
                .map(move |e| (d, "healthy", Verdict::Healthy, e.data.as_slice()));
            let unhealthy = d
                .visualizations
                .unhealthy
                .iter()
                .map(move |(k, p)| (d, k.as_str(), p.verdict, p.data.as_slice()));
            healthy.chain(unhealthy)
        })
    }

    /// Hints that hold over these curve summaries (see [`hints::evaluate`]).
    pub fn hints(&self, curves: &[CurveSummary]) -> Vec<HintMatch> {
        hints::evaluate(&self.defs, curves)
    }

    /// Train/validation pairs among logged names: a definition's explicit `pair` first, then
    /// names with the same definition (or the same stripped name), average and granularity whose
    /// splits are `val` and `train` (or no split: Keras' `loss` beside `val_loss`).
    pub fn pairs(&self, names: &[&str]) -> Vec<CurvePair> {
        let mut out: Vec<CurvePair> = Vec::new();
        let used = |out: &Vec<CurvePair>, n: &str| out.iter().any(|p| p.train == n || p.val == n);
        for def in &self.defs {
            let Some(pair) = &def.pair else { continue };
            let find = |want: &str| names.iter().find(|n| n.eq_ignore_ascii_case(want));
            if let (Some(t), Some(v)) = (find(&pair.train), find(&pair.val)) {
                out.push(CurvePair {
                    definition: Some(def.id.clone()),
                    train: t.to_string(),
                    val: v.to_string(),
                });
            }
        }
        let resolved: Vec<Resolution> = names.iter().map(|n| self.resolve(n)).collect();
        let key = |r: &Resolution| {
            (
                r.definition
                    .clone()
                    .unwrap_or_else(|| format!("~{}", r.core)),
                r.average.clone(),
                r.granularity,
            )
        };
        for v in resolved.iter().filter(|r| r.split == Some(Split::Val)) {
            if used(&out, &v.name) {
                continue;
            }
            // The same measure on the training side: same definition, average and
            // granularity, not another numbered variant of it (`bleu-2` is not `bleu-1`'s
            // training curve), the same logged core first (`train_acc` before `train_accuracy`
            // for `val_acc`).
            let same = |t: &&Resolution| {
                key(t) == key(v)
                    && !used(&out, &t.name)
                    && numbered_variant(&t.core) == numbered_variant(&v.core)
            };
            let train = [true, false].iter().find_map(|&exact| {
                let candidates = || {
                    resolved
                        .iter()
                        .filter(same)
                        .filter(move |t| !exact || t.core == v.core)
                };
                candidates()
                    .find(|t| t.split == Some(Split::Train))
                    .or_else(|| candidates().find(|t| t.split.is_none()))
            });
            if let Some(t) = train {
                out.push(CurvePair {
                    definition: v.definition.clone(),
                    train: t.name.clone(),
                    val: v.name.clone(),
                });
            }
        }
        out
    }
}

/// The number that ends a logged core (`bleu-1`, `rouge_2`, `top5`), telling numbered variants
/// of one definition apart.
fn numbered_variant(core: &str) -> Option<&str> {
    let digits = core.trim_end_matches(|c: char| c.is_ascii_digit());
    (digits.len() < core.len()).then(|| &core[digits.len()..])
}

/// Validates the shipped definitions plus `dir` (when given) and reports every error and
/// warning instead of stopping at the first.
pub fn check(dir: Option<&Path>) -> CheckReport {
    let (registry, errors, files) = build(dir);
    CheckReport {
        files,
        definitions: registry.defs.len(),
        errors,
        warnings: registry.warnings,
    }
}

/// The registry, every error, and the number of files read.
fn build(user_dir: Option<&Path>) -> (Registry, Vec<DefsError>, usize) {
    let mut b = Build::default();
    for (name, text) in builtin::FILES {
        let path = Path::new(name);
        b.add(load::parse(text, path, FileKind::for_path(path), true));
    }
    let shipped = b.parsed.len();
    if let Some(dir) = user_dir {
        let before = (b.files, b.errors.len());
        read_dir(dir, &mut b);
        if (b.files, b.errors.len()) == before {
            b.warnings.push(DefsWarning {
                file: dir.to_path_buf(),
                line: None,
                column: None,
                field: None,
                message: "holds no definitions (.yaml, .yml or .md files with front matter); \
                          only the shipped ones are used"
                    .to_string(),
            });
        }
    }
    let files = b.files;
    let (defs, index, warnings, errors) = assemble(b, shipped);
    let registry = Registry {
        defs,
        index,
        warnings,
    };
    (registry, errors, files)
}

fn read_dir(dir: &Path, b: &mut Build) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            b.errors.push(DefsError::new(
                ErrorKind::Io,
                dir,
                format!("cannot read the definitions directory: {e}; expected a directory of .yaml or .md files"),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    paths.sort();
    for path in paths {
        let format = FileKind::for_path(&path);
        match format {
            FileKind::Yaml => b.add(load::read_file(&path)),
            FileKind::FrontMatter => {
                let starts = std::fs::read_to_string(&path)
                    .map(|t| t.trim_start_matches('\u{feff}').starts_with("---"))
                    .unwrap_or(true);
                if starts {
                    b.add(load::read_file(&path));
                } else {
                    b.warnings.push(DefsWarning {
                        file: path,
                        line: None,
                        column: None,
                        field: None,
                        message: "skipped: a Markdown file without '---' front matter is not a \
                                  definition"
                            .to_string(),
                    });
                }
            }
            FileKind::Detect => {}
        }
    }
}

type Assembled = (
    Vec<Definition>,
    AliasIndex,
    Vec<DefsWarning>,
    Vec<DefsError>,
);

fn assemble(b: Build, shipped: usize) -> Assembled {
    let Build {
        parsed,
        mut errors,
        mut warnings,
        ..
    } = b;
    let mut slots: Vec<Parsed> = Vec::new();
    for (i, p) in parsed.into_iter().enumerate() {
        let id = p.loaded.definition.id.clone();
        match slots.iter().position(|s| s.loaded.definition.id == id) {
            Some(j) if i >= shipped && slots[j].loaded.definition.origin.builtin => {
                let mut p = p;
                p.loaded.definition.origin.overrides =
                    Some(slots[j].loaded.definition.origin.file.clone());
                slots[j] = p;
            }
            Some(j) => {
                let first = slots[j].loaded.definition.origin.file.display().to_string();
                errors.push(
                    DefsError::new(
                        ErrorKind::DuplicateId,
                        &p.loaded.definition.origin.file,
                        format!(
                            "id '{id}' is already defined in {first}; expected each id in one file"
                        ),
                    )
                    .at(p.locate("id"))
                    .field("id"),
                );
            }
            None => slots.push(p),
        }
    }
    let mut index = AliasIndex::default();
    for (i, p) in slots.iter().enumerate() {
        let def = &p.loaded.definition;
        let names = std::iter::once(("id".to_string(), &def.id)).chain(
            def.aliases
                .iter()
                .enumerate()
                .map(|(j, a)| (format!("aliases[{j}]"), a)),
        );
        for (field, alias) in names {
            if let Err(old) = index.insert(alias, i) {
                let other = &slots[old.def].loaded.definition;
                errors.push(
                    DefsError::new(
                        ErrorKind::DuplicateAlias,
                        &def.origin.file,
                        format!(
                            "alias '{alias}' is also claimed by definition '{}' ({} as '{}'); \
                             expected each alias in one definition",
                            other.id,
                            other.origin.file.display(),
                            old.alias
                        ),
                    )
                    .at(p.locate(&field))
                    .field(field),
                );
            }
        }
    }
    for p in &slots {
        warnings.extend(p.loaded.warnings.iter().cloned());
        warnings.extend(unknown_references(p, &slots));
    }
    let defs = slots.into_iter().map(|p| p.loaded.definition).collect();
    (defs, index, warnings, errors)
}

/// Hints that name a metric no definition has: never fatal (it may come later).
fn unknown_references(p: &Parsed, all: &[Parsed]) -> Vec<DefsWarning> {
    let known = |id: &str| all.iter().any(|q| q.loaded.definition.id == id);
    let def = &p.loaded.definition;
    let mut out = Vec::new();
    for (i, hint) in def.hints.iter().enumerate() {
        for (j, c) in hint.when.iter().enumerate() {
            let refs = [
                ("metric", &c.metric),
                ("left", &c.left),
                ("right", &c.right),
            ];
            for (key, r) in refs {
                let Some(id) = r else { continue };
                if !known(id) {
                    let field = format!("hints[{i}].when[{j}].{key}");
                    let pos = p.locate(&field);
                    out.push(DefsWarning {
                        file: def.origin.file.clone(),
                        line: pos.map(|p| p.0),
                        column: pos.map(|p| p.1),
                        field: Some(field),
                        message: format!(
                            "no definition has id '{id}'; expected a definition id such as 'accuracy'"
                        ),
                    });
                }
            }
        }
    }
    out
}
