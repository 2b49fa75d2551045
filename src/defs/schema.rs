//! The keys the definition format knows, for unknown-key warnings (kept in step with `model`).

/// The known keys of the definition format, for unknown-key warnings.
pub(crate) enum Schema {
    /// A mapping with these keys (and no others).
    Struct(&'static [(&'static str, &'static Schema)]),
    /// A mapping with any keys, each value of this schema.
    Map(&'static Schema),
    Seq(&'static Schema),
    Any,
}

pub(crate) static ANY: Schema = Schema::Any;
static POINT: Schema = Schema::Struct(&[("step", &ANY), ("value", &ANY)]);
static DATA: Schema = Schema::Seq(&POINT);
static EXAMPLE: Schema = Schema::Struct(&[("data", &DATA), ("analysis", &ANY)]);
static PATTERN: Schema = Schema::Struct(&[
    ("label", &ANY),
    ("data", &DATA),
    ("analysis", &ANY),
    ("verdict", &ANY),
]);
static UNHEALTHY: Schema = Schema::Map(&PATTERN);
static VISUALIZATIONS: Schema = Schema::Struct(&[
    ("yDomain", &ANY),
    ("healthy", &EXAMPLE),
    ("unhealthy", &UNHEALTHY),
]);
static THRESHOLDS: Schema = Schema::Struct(&[
    ("min_points", &ANY),
    ("minPoints", &ANY),
    ("patience", &ANY),
    ("min_delta", &ANY),
    ("minDelta", &ANY),
    ("divergence_threshold", &ANY),
    ("divergenceThreshold", &ANY),
    ("oscillation_threshold", &ANY),
    ("oscillationThreshold", &ANY),
]);
static PAIR: Schema = Schema::Struct(&[("train", &ANY), ("val", &ANY)]);
static BAND: Schema = Schema::Struct(&[
    ("min", &ANY),
    ("max", &ANY),
    ("label", &ANY),
    ("meaning", &ANY),
    ("action", &ANY),
    ("level", &ANY),
]);
static BANDS: Schema = Schema::Seq(&BAND);
static CONDITION: Schema = Schema::Struct(&[
    ("metric", &ANY),
    ("left", &ANY),
    ("right", &ANY),
    ("split", &ANY),
    ("average", &ANY),
    ("stat", &ANY),
    ("right_stat", &ANY),
    ("right_split", &ANY),
    ("op", &ANY),
    ("value", &ANY),
    ("factor", &ANY),
    ("offset", &ANY),
    ("verdict", &ANY),
]);
static WHEN: Schema = Schema::Seq(&CONDITION);
static HINT: Schema = Schema::Struct(&[
    ("id", &ANY),
    ("when", &WHEN),
    ("message", &ANY),
    ("level", &ANY),
]);
static HINTS: Schema = Schema::Seq(&HINT);
/// The top level of a definition.
pub(crate) static DEFINITION: Schema = Schema::Struct(&[
    ("id", &ANY),
    ("name", &ANY),
    ("aliases", &ANY),
    ("shortDescription", &ANY),
    ("whatToLookFor", &ANY),
    ("visualizations", &VISUALIZATIONS),
    ("direction", &ANY),
    ("range", &ANY),
    ("floor", &ANY),
    ("thresholds", &THRESHOLDS),
    ("pair", &PAIR),
    ("bands", &BANDS),
    ("hints", &HINTS),
    ("progress", &ANY),
]);

impl Schema {
    pub(crate) fn child(&self, key: &str) -> Option<&'static Schema> {
        match self {
            Schema::Struct(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, s)| *s),
            Schema::Map(s) | Schema::Seq(s) => Some(s),
            Schema::Any => Some(&ANY),
        }
    }

    pub(crate) fn known_keys(&self) -> String {
        match self {
            Schema::Struct(fields) => fields
                .iter()
                .map(|(k, _)| *k)
                // Hide the camelCase spellings of snake_case keys (`minPoints`).
                .filter(|k| {
                    let snake = to_snake(k);
                    snake == *k || !fields.iter().any(|(other, _)| *other == snake)
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        }
    }
}

fn to_snake(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
