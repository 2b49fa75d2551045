//! What `tracker exec` calls the command and the run: the command as a shell shows it, and
//! the default run name from the script's name and the start time.

use std::ffi::OsString;
use std::path::Path;

/// The command as a shell would show it.
pub fn display_command(command: &[OsString]) -> String {
    let quote = |a: &OsString| {
        let s = a.to_string_lossy();
        let plain = !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
        if plain {
            s.into_owned()
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    };
    command.iter().map(quote).collect::<Vec<_>>().join(" ")
}

/// The default run name: the script's name (`python train.py` → `train`, `python -m pkg.train`
/// → `train`, else the program's name) and the start time, `train-20250102-150405`.
pub fn default_run_name(command: &[OsString], at: &chrono::DateTime<chrono::Local>) -> String {
    const SCRIPTS: &[&str] = &["py", "sh", "bash", "jl", "lua", "rb", "js", "ts", "r", "pl"];
    let args: Vec<String> = command
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let stem = |s: &str| {
        Path::new(s)
            .file_stem()
            .map(|x| x.to_string_lossy().into_owned())
    };
    let mut base = None;
    for (i, arg) in args.iter().enumerate() {
        if i > 0 && (arg == "-m" || arg == "--module") {
            base = args
                .get(i + 1)
                .and_then(|m| m.rsplit('.').next())
                .map(str::to_owned);
            break;
        }
        let ext = Path::new(arg)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if i > 0 && ext.is_some_and(|e| SCRIPTS.contains(&e.as_str())) {
            base = stem(arg);
            break;
        }
    }
    let base = base
        .or_else(|| args.first().and_then(|p| stem(p)))
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "run".into());
    format!("{base}-{}", at.format("%Y%m%d-%H%M%S"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn cmd(s: &str) -> Vec<OsString> {
        s.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn run_names_come_from_the_script() {
        let at = chrono::Local
            .with_ymd_and_hms(2025, 1, 2, 15, 4, 5)
            .single()
            .unwrap();
        let name = |s: &str| default_run_name(&cmd(s), &at);
        assert_eq!(name("python train.py --lr 0.1"), "train-20250102-150405");
        assert_eq!(name("torchrun --nproc 2 src/fit.py"), "fit-20250102-150405");
        assert_eq!(name("python -m pkg.finetune"), "finetune-20250102-150405");
        assert_eq!(name("./run --epochs 3"), "run-20250102-150405");
        assert_eq!(name("bash scripts/go.sh"), "go-20250102-150405");
    }

    #[test]
    fn commands_are_shown_quoted() {
        let c = vec![
            OsString::from("python"),
            OsString::from("-c"),
            OsString::from("print('hi there')"),
        ];
        assert_eq!(display_command(&c), r"python -c 'print('\''hi there'\'')'");
    }
}
