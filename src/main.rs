use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tracker::cli::Cli::parse();
    match tracker::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`tracker runs | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            // Where the library speaks of the database, say how to choose another.
            let database = e.chain().any(|c| {
                matches!(
                    c.downcast_ref::<tracker::Error>(),
                    Some(tracker::Error::Database { .. } | tracker::Error::Sqlite(_))
                )
            });
            if database {
                let _ = writeln!(
                    std::io::stderr(),
                    "  (the database is chosen with --db PATH or TRACKER_DB)"
                );
            }
            ExitCode::FAILURE
        }
    }
}
