//! Entry point: parse the command line, run the command, map the outcome to exit codes
//! (0 success, 1 rule errors, 2 unreadable input or wrong command line).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = rota::cli::Cli::parse();
    match rota::cmd::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(2)
        }
    }
}
