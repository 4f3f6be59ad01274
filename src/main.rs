//! Entry point: parse the command line, run the command, map the outcome to exit codes
//! (0 success, 1 rule errors, 2 unreadable input or wrong command line).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    end_quietly_on_a_closed_pipe();
    let cli = rota::cli::Cli::parse();
    match rota::cmd::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(2)
        }
    }
}

/// `rota check | head -1`: when the reader goes away, stop as other command-line tools
/// do (the default action of SIGPIPE), instead of panicking in `println!` on the error
/// Rust turns the ignored signal into.
#[cfg(unix)]
fn end_quietly_on_a_closed_pipe() {
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: restoring the default action of one signal before any thread starts.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_a_closed_pipe() {}
