//! `rota completions SHELL` and `rota man`: shell completions and the man page, both
//! generated from the clap definitions in `cli.rs`, so they never disagree with `--help`.

use super::Failure;
use crate::cli::{Cli, Shell};
use crate::output::staging::safe_write;
use clap::CommandFactory;
use std::path::Path;
use std::process::ExitCode;

pub fn completions(shell: Shell) -> Result<ExitCode, Failure> {
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "rota", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// The man page as roff.
pub fn man_page() -> Result<Vec<u8>, Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Failure(format!("cannot render the man page: {e}")))?;
    Ok(page)
}

pub fn man(out: Option<&Path>) -> Result<ExitCode, Failure> {
    let page = man_page()?;
    match out {
        None => {
            use std::io::Write;
            std::io::stdout()
                .write_all(&page)
                .map_err(|e| Failure(format!("cannot write the man page: {e}")))?;
        }
        Some(dir) => {
            // Never through a link (docs/security.md, "Writing files").
            safe_write::create_output_folder(dir)
                .and_then(|()| safe_write::write_file(dir, Path::new("rota.1"), &[&page]))
                .map_err(|e| Failure(e.to_string()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
