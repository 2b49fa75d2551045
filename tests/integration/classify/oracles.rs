//! Each statistic against reference values computed once with the established Python
//! implementations (pymannkendall, SciPy, NumPy, pandas; versions pinned in
//! `tools/oracles/requirements.txt`, script `tools/oracles/make_fixtures.py`).

use serde_json::Value;
use tracker::classify::robust::{MAD_TO_SD, diff_noise, iqr, mad, median, percentile};
use tracker::classify::slope::{sens_slope, theil_sen};
use tracker::classify::smooth_ema;
use tracker::classify::trend::{hamed_rao, mann_kendall};

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/classify/oracles.json"
));

fn cases() -> Vec<Value> {
    let doc: Value = serde_json::from_str(FIXTURE).expect("fixture parses");
    doc["cases"].as_array().expect("cases").clone()
}

fn vec_of(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().unwrap_or(f64::NAN))
        .collect()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// |got − want| ≤ tol · max(1, |want|).
#[track_caller]
fn close(case: &str, what: &str, got: f64, want: f64, tol: f64) {
    let ok = (got - want).abs() <= tol * want.abs().max(1.0) || (got.is_nan() && want.is_nan());
    assert!(ok, "{case}: {what}: got {got}, want {want}");
}

#[test]
fn mann_kendall_matches_pymannkendall_original_test() {
    for c in cases() {
        let name = c["name"].as_str().unwrap_or("?");
        let y = vec_of(&c["y"]);
        let got = mann_kendall(&y);
        let want = &c["mk"];
        close(name, "S", got.s, num(&want["s"]), 0.0);
        close(name, "Var S", got.var_s, num(&want["var_s"]), 1e-12);
        close(name, "Z", got.z, num(&want["z"]), 1e-10);
        close(name, "p", got.p, num(&want["p"]), 1e-10);
        close(name, "tau", got.tau, num(&want["tau"]), 1e-12);
    }
}

#[test]
fn hamed_rao_matches_pymannkendall() {
    let mut checked = 0;
    for c in cases() {
        let name = c["name"].as_str().unwrap_or("?");
        let Some(want) = c.get("hamed_rao") else {
            continue;
        };
        let got = hamed_rao(&vec_of(&c["y"]));
        close(name, "S", got.s, num(&want["s"]), 0.0);
        close(name, "n/n*", got.n_ns, num(&want["n_ns"]), 1e-9);
        close(name, "Var S*", got.var_s, num(&want["var_s"]), 1e-9);
        close(name, "Z*", got.z, num(&want["z"]), 1e-9);
        close(name, "p*", got.p, num(&want["p"]), 1e-9);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} Hamed–Rao references");
}

#[test]
fn theil_sen_matches_scipy_theilslopes_and_sens_slope() {
    for c in cases() {
        let name = c["name"].as_str().unwrap_or("?");
        let (x, y) = (vec_of(&c["x"]), vec_of(&c["y"]));
        let got = theil_sen(&x, &y);
        let want = &c["theilslopes"];
        close(name, "slope", got.slope, num(&want["slope"]), 1e-12);
        close(
            name,
            "intercept",
            got.intercept,
            num(&want["intercept"]),
            1e-12,
        );
        close(name, "low", got.low_slope, num(&want["low_slope"]), 1e-12);
        close(
            name,
            "high",
            got.high_slope,
            num(&want["high_slope"]),
            1e-12,
        );
        let (s, b) = sens_slope(&y);
        close(name, "sens slope", s, num(&c["sens_slope"]["slope"]), 1e-12);
        close(
            name,
            "sens intercept",
            b,
            num(&c["sens_slope"]["intercept"]),
            1e-12,
        );
    }
}

#[test]
fn robust_statistics_match_numpy_and_scipy() {
    for c in cases() {
        let name = c["name"].as_str().unwrap_or("?");
        let y = vec_of(&c["y"]);
        close(name, "median", median(&y), num(&c["median"]), 1e-14);
        for (q, want) in c["percentiles"].as_object().expect("percentiles") {
            let q: f64 = q.parse().expect("q");
            close(name, &format!("P{q}"), percentile(&y, q), num(want), 1e-13);
        }
        close(name, "IQR", iqr(&y), num(&c["iqr"]), 1e-13);
        close(name, "MAD", mad(&y), num(&c["mad_raw"]), 1e-13);
        close(
            name,
            "MAD normal",
            MAD_TO_SD * mad(&y),
            num(&c["mad_normal"]),
            1e-13,
        );
        close(
            name,
            "diff noise",
            diff_noise(&y),
            num(&c["diff_noise"]),
            1e-13,
        );
    }
}

#[test]
fn ema_matches_pandas_ewm_adjust_true() {
    for c in cases() {
        let name = c["name"].as_str().unwrap_or("?");
        let y = vec_of(&c["y"]);
        for (w, want) in c["ema"].as_object().expect("ema") {
            let weight: f64 = w.parse().expect("weight");
            let got = smooth_ema(&y, weight);
            for (i, (g, e)) in got.iter().zip(vec_of(want)).enumerate() {
                close(name, &format!("ema w={w} [{i}]"), *g, e, 1e-10);
            }
        }
    }
}
