//! `tracker completions SHELL` and `tracker man`: shell completions and a manual page, made
//! from the same definition of the command line as `--help`.

use anyhow::Result;
use clap::CommandFactory;
use std::process::ExitCode;

pub const AFTER_HELP: &str = "\
Install, for example:
  bash: tracker completions bash > ~/.local/share/bash-completion/completions/tracker
  zsh:  tracker completions zsh > ~/.zfunc/_tracker   (with fpath+=~/.zfunc before compinit)
  fish: tracker completions fish > ~/.config/fish/completions/tracker.fish";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for
    shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {}

pub fn run(a: Args) -> Result<ExitCode> {
    let mut cmd = super::Cli::command();
    clap_complete::generate(a.shell, &mut cmd, "tracker", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// The manual page (roff) on standard output: `tracker man > ~/.local/share/man/man1/tracker.1`.
pub fn man(_: ManArgs) -> Result<ExitCode> {
    let cmd = super::Cli::command();
    clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
    Ok(ExitCode::SUCCESS)
}
