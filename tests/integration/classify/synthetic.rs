//! A generated, labelled set of synthetic curves: several shapes × lengths 10 to 100,000 ×
//! noise levels × two metric kinds (a loss without a domain, an accuracy in [0, 1]),
//! generated deterministically with a small seeded PRNG. The agreement rate with the
//! labels is printed and asserted.
//!
//! Shapes and their labels (what a person would say on seeing them):
//! * saturating-exponential and linear improvement → healthy;
//! * flat at various levels (accuracy at 0.05, 0.3, 0.6) → stagnant;
//! * mean-reverting random walk around a flat level (AR(1), correlation length 5% of the
//!   curve, so it wanders but goes nowhere) → stagnant. A free random walk has no single
//!   human label (it may look like steady progress) and is not in the set;
//! * zig-zag (period 2; 100 cycles on curves over 1,000 points) with an amplitude of ±15% or
//!   ±25% of the progress, or slow waves (10 cycles, ±20–30%), around an improved level →
//!   oscillating;
//! * improvement then a sudden blow-up (to 2–4× the progress worse than the start, or an
//!   accuracy collapsing to chance) → diverging;
//! * improvement to a best at 40–50% of the steps, then slow steady worsening by 30–60% of
//!   the progress → diverging;
//! * improvement with NaN as the last values → diverging.
//!
//! Noise is Gaussian, with a standard deviation of 0–5% of the progress (10% too for curves
//! of ≥ 200 points, whose many points show the trend through the noise).

use tracker::classify::{Direction, Spec, Verdict, classify};

/// SplitMix64: a tiny, good-enough seeded generator.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    SatExp(f64),
    Linear,
    Flat(f64),
    MeanReverting,
    ZigZag(f64),
    Waves(f64),
    BlowUp(f64, f64),
    Worsen(f64, f64),
    NanEnd,
}

impl Shape {
    fn label(self) -> Verdict {
        match self {
            Shape::SatExp(_) | Shape::Linear => Verdict::Healthy,
            Shape::Flat(_) | Shape::MeanReverting => Verdict::Stagnant,
            Shape::ZigZag(_) | Shape::Waves(_) => Verdict::Oscillating,
            Shape::BlowUp(..) | Shape::Worsen(..) | Shape::NanEnd => Verdict::Diverging,
        }
    }
    fn family(self) -> &'static str {
        match self {
            Shape::SatExp(_) => "saturating",
            Shape::Linear => "linear",
            Shape::Flat(_) => "flat",
            Shape::MeanReverting => "mean-reverting walk",
            Shape::ZigZag(_) => "zig-zag",
            Shape::Waves(_) => "waves",
            Shape::BlowUp(..) => "blow-up",
            Shape::Worsen(..) => "slow worsening",
            Shape::NanEnd => "NaN at the end",
        }
    }
}

fn sat(t: f64, tau: f64) -> f64 {
    (1.0 - (-t / tau).exp()) / (1.0 - (-1.0 / tau).exp())
}

/// Progress units: 0 at the start, 1 = the full improvement (oriented, higher is better).
/// `None` for a flat shape (its level is chosen per metric).
fn progress_curve(shape: Shape, n: usize, rng: &mut Rng) -> Vec<f64> {
    let t = |i: usize| i as f64 / (n - 1) as f64;
    match shape {
        Shape::SatExp(tau) => (0..n).map(|i| sat(t(i), tau)).collect(),
        Shape::Linear => (0..n).map(t).collect(),
        Shape::Flat(_) => vec![0.0; n],
        Shape::MeanReverting => {
            let phi = (1.0 - 20.0 / n as f64).clamp(0.0, 0.98);
            let mut x = 0.0;
            (0..n)
                .map(|_| {
                    x = phi * x + (1.0 - phi * phi).sqrt() * rng.normal();
                    x
                })
                .collect()
        }
        Shape::ZigZag(a) => {
            // Period 2 up to 1,000 points; on longer curves 100 cycles, so the zig-zag is
            // visible at chart (and bucket) resolution rather than a dense band.
            let half = if n <= 1000 { 1 } else { n / 200 };
            (0..n)
                .map(|i| sat(t(i), 0.12) + if (i / half) % 2 == 0 { a } else { -a })
                .collect()
        }
        Shape::Waves(a) => (0..n)
            .map(|i| sat(t(i), 0.12) + a * (std::f64::consts::TAU * 10.0 * t(i)).sin())
            .collect(),
        Shape::BlowUp(at, size) => (0..n)
            .map(|i| {
                // At least the last three points blow up (one point is a spike).
                if t(i) < at && i + 3 < n {
                    sat(t(i), 0.15)
                } else {
                    -size * (1.0 + (t(i) - at) / (1.0 - at))
                }
            })
            .collect(),
        Shape::Worsen(at, by) => (0..n)
            .map(|i| {
                let best = sat(at, 0.1);
                if t(i) < at {
                    sat(t(i), 0.1)
                } else {
                    best - by * (t(i) - at) / (1.0 - at)
                }
            })
            .collect(),
        Shape::NanEnd => (0..n).map(|i| sat(t(i), 0.2)).collect(),
    }
}

struct Curve {
    name: String,
    shape: Shape,
    values: Vec<f64>,
    spec: Spec,
}

/// Maps progress units to a metric: a loss 2.8 → 0.8 (no domain) or an accuracy
/// 0.1 → 0.9 (domain [0, 1]), with Gaussian noise.
fn make(shape: Shape, n: usize, noise: f64, accuracy: bool, seed: u64) -> Curve {
    let mut rng = Rng(seed);
    let mut u = progress_curve(shape, n, &mut rng);
    let (spec, scale, base) = if accuracy {
        (
            Spec {
                direction: Direction::Maximize,
                domain: Some((0.0, 1.0)),
                ..Spec::default()
            },
            0.8,
            0.1,
        )
    } else {
        (
            Spec {
                direction: Direction::Minimize,
                ..Spec::default()
            },
            -2.0,
            2.8,
        )
    };
    if let (Shape::BlowUp(..), true) = (shape, accuracy) {
        // An accuracy cannot go below 0: it collapses to chance.
        for v in &mut u {
            *v = v.max(-0.05);
        }
    }
    let mut values: Vec<f64> = match shape {
        Shape::Flat(level) => {
            let level = if accuracy { level } else { 2.8 };
            let sd = if accuracy { noise * 0.6 } else { noise * 2.0 };
            (0..n).map(|_| level + sd * rng.normal()).collect()
        }
        Shape::MeanReverting => {
            let level = if accuracy { 0.3 } else { 2.8 };
            let sd = if accuracy { 0.03 } else { 0.1 };
            u.iter().map(|x| level + sd * x).collect()
        }
        _ => u
            .iter()
            .map(|x| base + scale * x + scale.abs() * noise * rng.normal())
            .collect(),
    };
    if accuracy {
        for v in &mut values {
            *v = v.clamp(0.0, 1.0);
        }
    }
    if let Shape::NanEnd = shape {
        let k = (n / 50).clamp(1, 3);
        for v in values.iter_mut().rev().take(k) {
            *v = f64::NAN;
        }
    }
    let kind = if accuracy { "acc" } else { "loss" };
    Curve {
        name: format!("{kind} {shape:?} n={n} noise={noise}"),
        shape,
        values,
        spec,
    }
}

fn shapes(n: usize) -> Vec<Shape> {
    let mut s = vec![
        Shape::SatExp(0.1),
        Shape::SatExp(0.3),
        Shape::Linear,
        Shape::Flat(0.05),
        Shape::Flat(0.3),
        Shape::Flat(0.6),
        Shape::ZigZag(0.15),
        Shape::ZigZag(0.25),
        Shape::BlowUp(0.85, 2.0),
        Shape::BlowUp(0.92, 4.0),
        Shape::Worsen(0.4, 0.6),
        Shape::Worsen(0.5, 0.3),
        Shape::NanEnd,
    ];
    if n >= 50 {
        s.push(Shape::MeanReverting);
    }
    if n >= 200 {
        s.extend([Shape::Waves(0.2), Shape::Waves(0.3)]);
    }
    s
}

fn generate() -> Vec<Curve> {
    let lengths = [
        10, 12, 15, 20, 30, 50, 100, 200, 1_000, 5_000, 20_000, 100_000,
    ];
    let mut out = Vec::new();
    let mut seed = 1u64;
    for &n in &lengths {
        let mut noises = vec![0.0, 0.02, 0.05];
        if n >= 200 {
            noises.push(0.1);
        }
        for shape in shapes(n) {
            for &noise in &noises {
                for accuracy in [false, true] {
                    seed += 1;
                    out.push(make(shape, n, noise, accuracy, seed));
                }
            }
        }
    }
    out
}

#[test]
fn synthetic_agreement_rate() {
    let curves = generate();
    let mut per_family: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut wrong = Vec::new();
    for c in &curves {
        let steps: Vec<i64> = (0..c.values.len() as i64).collect();
        let d = classify(&steps, &c.values, &c.spec);
        let want = c.shape.label();
        let e = per_family.entry(c.shape.family()).or_default();
        e.1 += 1;
        if d.verdict == want {
            e.0 += 1;
        } else {
            wrong.push(format!(
                "{}: got {} ({}), want {want}",
                c.name, d.verdict, d.reason
            ));
        }
    }
    let total = curves.len();
    let agree = total - wrong.len();
    let rate = agree as f64 / total as f64;
    println!(
        "synthetic agreement: {agree}/{total} = {:.1}%",
        100.0 * rate
    );
    for (family, (ok, n)) in &per_family {
        println!("  {family:20} {ok}/{n}");
    }
    for w in &wrong {
        println!("  MISS {w}");
    }
    assert!(rate >= 0.95, "agreement {:.1}% < 95%", 100.0 * rate);
}
