//! YAML reading for the rest of the program. `serde_yaml` is used only inside `defs`, so a
//! maintained fork is a one-line swap.

/// Parse a YAML document (such as Lightning's `hparams.yaml`) into JSON.
pub fn to_json(text: &str) -> Result<serde_json::Value, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let v: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    serde_json::to_value(&v).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hparams() {
        let v = super::to_json("lr: 0.05\nopt: sgd\nlayers: [1, 2]\n").unwrap();
        assert_eq!(v["lr"], 0.05);
        assert_eq!(v["opt"], "sgd");
        assert!(super::to_json("a: [").is_err());
    }
}
