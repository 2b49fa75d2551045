//! Which format a file holds, from its name and its first bytes.

use std::fmt;
use std::str::FromStr;

/// The formats `tracker` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jsonl,
    Csv,
    HfLog,
    HfState,
    /// A column-wise JSON document: a dict of lists, one step per index (Keras `History`).
    Columns,
    KeyValue,
    TfEvents,
    YoloTxt,
}

impl Format {
    pub const ALL: &[Format] = &[
        Format::Jsonl,
        Format::Csv,
        Format::HfLog,
        Format::HfState,
        Format::Columns,
        Format::KeyValue,
        Format::TfEvents,
        Format::YoloTxt,
    ];

    /// Whether a file of this format is rewritten whole rather than appended to
    /// (`trainer_state.json`, a column-wise document): followed, it is read again whole after
    /// each change.
    pub fn is_document(self) -> bool {
        matches!(self, Format::HfState | Format::Columns)
    }

    /// The name used on the command line (`--format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::HfLog => "hf-log",
            Format::HfState => "hf-state",
            Format::Columns => "columns",
            Format::KeyValue => "kv",
            Format::TfEvents => "tfevents",
            Format::YoloTxt => "yolo-txt",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.to_ascii_lowercase();
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .or(match s.as_str() {
                "json" | "ndjson" => Some(Format::Jsonl),
                "tsv" => Some(Format::Csv),
                "trainer_state" | "trainer-state" => Some(Format::HfState),
                "keras" | "history" => Some(Format::Columns),
                "hf" | "hf-stdout" => Some(Format::HfLog),
                "keyvalue" | "log" | "text" => Some(Format::KeyValue),
                "tensorboard" | "tb" | "events" => Some(Format::TfEvents),
                "yolo" | "results-txt" => Some(Format::YoloTxt),
                _ => None,
            })
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format '{s}'; expected one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// How much of a file [`detect`] wants to see.
pub const HEAD_LEN: usize = 64 * 1024;

/// When the first [`HEAD_LEN`] bytes read as plain text, look this far before settling on
/// [`Format::KeyValue`]: a console log may print its first Trainer dict only after a wandb
/// banner and hundreds of kilobytes of progress bars.
pub const HEAD_MAX: usize = 1 << 20;

/// Guess the format of a file named `file_name` that starts with `head`.
pub fn detect(file_name: &str, head: &[u8]) -> Format {
    let head = super::strip_bom(head);
    let name = file_name.to_ascii_lowercase();
    if name.starts_with("events.out.tfevents") || super::tfevents::looks_like(head) {
        return Format::TfEvents;
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let text = String::from_utf8_lossy(head);
    if name == "trainer_state.json"
        || (text.trim_start().starts_with('{') && text.contains("\"log_history\""))
    {
        return Format::HfState;
    }
    if ext != "jsonl" && ext != "ndjson" && super::columns::looks_like(head) {
        return Format::Columns;
    }
    match ext {
        "jsonl" | "ndjson" => return Format::Jsonl,
        "csv" | "tsv" => return Format::Csv,
        _ => {}
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(200)
        .collect();
    if lines.is_empty() {
        return if ext == "json" {
            Format::Jsonl
        } else {
            Format::KeyValue
        };
    }
    let json_lines = lines
        .iter()
        .filter(|l| l.starts_with("{\"") && l.ends_with('}'))
        .count();
    if json_lines * 2 > lines.len() || (ext == "json" && json_lines > 0) {
        return Format::Jsonl;
    }
    if text.contains("{'loss'")
        || text.contains("{'eval_")
        || text.contains("{'train_runtime'")
        || text.contains("{'learning_rate'")
    {
        return Format::HfLog;
    }
    if super::yolo_txt::looks_like(&lines) {
        return Format::YoloTxt;
    }
    if looks_like_csv(&lines) {
        return Format::Csv;
    }
    Format::KeyValue
}

fn looks_like_csv(lines: &[&str]) -> bool {
    // A first line that is a `#` comment (a `Monitor` file's `#{"t_start": …}`) makes every
    // `#` line one.
    let uncommented: Vec<&str>;
    let lines = if lines.first().is_some_and(|l| l.starts_with('#')) {
        uncommented = lines
            .iter()
            .copied()
            .filter(|l| !l.starts_with('#'))
            .collect();
        &uncommented[..]
    } else {
        lines
    };
    let [header, rows @ ..] = lines else {
        return false;
    };
    let delim = if header.contains('\t') { '\t' } else { ',' };
    let fields = header.split(delim).count();
    if fields < 2 || header.contains('=') {
        return false;
    }
    // A header names its columns: no cell of it is a number.
    if header
        .split(delim)
        .any(|c| super::number::parse(c).is_some())
    {
        return false;
    }
    // A data row has the header's width and mostly numbers in it (empty cells are fine:
    // Lightning writes sparse rows). A log line with a comma in its timestamp has neither.
    let data_row = |r: &str| {
        let cells: Vec<&str> = r.split(delim).collect();
        let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
        let numbers = cells
            .iter()
            .filter(|c| super::number::parse(c).is_some())
            .count();
        cells.len() == fields && filled > 0 && numbers * 2 >= filled
    };
    let sample: Vec<_> = rows.iter().take(20).collect();
    !sample.is_empty() && sample.iter().filter(|r| data_row(r)).count() * 10 >= sample.len() * 8
}

/// Whether a text file (a `.md` note, say) holds a training log rather than prose about one:
/// at least three lines, and a fifth of its lines, are records (a JSON or Python dict) or carry
/// a step and a metric.
pub fn looks_like_log(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(super::strip_bom(head));
    let mut lines = 0;
    let mut records = 0;
    for line in text.split(['\n', '\r']).take(2000) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        lines += 1;
        let dict = (t.starts_with("{'") || t.starts_with("{\"")) && t.ends_with('}');
        if dict || super::keyvalue::scan::line_has_step_and_metric(line) {
            records += 1;
        }
    }
    records >= 3 && records * 5 >= lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_name_and_content() {
        assert_eq!(detect("metrics.csv", b"epoch,step\n"), Format::Csv);
        assert_eq!(detect("trainer_state.json", b"{}"), Format::HfState);
        assert_eq!(
            detect("x.json", b"{\n  \"log_history\": []}"),
            Format::HfState
        );
        assert_eq!(
            detect("metrics.json", b"{\"iteration\": 19}\n"),
            Format::Jsonl
        );
        assert_eq!(
            detect("out.txt", b"{\"step\": 1}\n{\"step\": 2}\n"),
            Format::Jsonl
        );
        assert_eq!(
            detect("train.log", b"junk\n{'loss': 0.5, 'epoch': 0.1}\n"),
            Format::HfLog
        );
        assert_eq!(
            detect("training.log", b"epoch,acc,loss\n0,0.5,1\n1,0.6,0.9\n"),
            Format::Csv
        );
        assert_eq!(
            detect("train.log", b"epoch 1 loss=0.5\nepoch 2 loss=0.4\n"),
            Format::KeyValue
        );
        assert_eq!(detect("empty.log", b""), Format::KeyValue);
        assert_eq!(
            detect("monitor.txt", b"#{\"t_start\": 1.5}\nr,l,t\n1.0,2,0.1\n"),
            Format::Csv
        );
        assert_eq!(
            detect(
                "history.json",
                b"{\"loss\": [0.9, 0.7], \"val_loss\": [1, 0.8]}"
            ),
            Format::Columns
        );
        assert_eq!(
            detect("h.txt", b"{\n  \"loss\": [\n    0.9,\n    0.7\n  ]\n}\n"),
            Format::Columns
        );
        assert_eq!(
            detect(
                "a.json",
                b"{\"loss\": [1, 2], \"step\": 1}\n{\"loss\": [3, 4]}\n"
            ),
            Format::Jsonl
        );
        assert_eq!(
            detect("events.out.tfevents.1699875277.host.1.0", b""),
            Format::TfEvents
        );
        let events = crate::ingest::tfevents::write::EventWriter::new(1.0).into_bytes();
        assert_eq!(detect("renamed.bin", &events), Format::TfEvents);
        assert_eq!(detect("renamed.log", &events[..12]), Format::TfEvents);
    }

    #[test]
    fn python_logging_with_a_comma_in_the_timestamp_is_not_csv() {
        let head = b"2025-03-02 05:16:20,348 - INFO - ##### Epoch 1 #####\n\
            2025-03-02 05:16:20,962 - INFO - Epoch 1 - Batch loss: 12.1336\n\
            2025-03-02 05:16:22,229 - INFO - Epoch 1 - Batch loss: 14.9769\n";
        assert_eq!(detect("train.log", head), Format::KeyValue);
        // A real CSV with sparse rows still is one.
        assert_eq!(
            detect("m.log", b"epoch,step,loss,val_f1\n0,4,2.3,\n0,9,,0.5\n"),
            Format::Csv
        );
    }

    #[test]
    fn markdown_notes_are_logs_only_with_metrics() {
        let log = b"Namespace(lr=20, epochs=12)\n\
            | epoch   1 |   200/ 2983 batches | lr 20.00 | loss  7.61 | ppl  2027.50\n\
            | epoch   1 |   400/ 2983 batches | lr 20.00 | loss  6.61 | ppl  927.50\n\
            | epoch   1 |   600/ 2983 batches | lr 20.00 | loss  nan | ppl  nan\n";
        assert!(looks_like_log(log));
        let readme = b"# Logs\n\nSome text about epoch 10 and step 5.\n| a | b |\n|---|---|\n\
            | 29 | prints `{'loss': '3.412'}` | 3 epochs |\n";
        assert!(!looks_like_log(readme));
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(*f));
        }
        assert!(
            "xml"
                .parse::<Format>()
                .unwrap_err()
                .contains("expected one of")
        );
    }
}
