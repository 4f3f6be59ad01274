//! Entry point: parse the command line, run the command, map the outcome to exit codes
//! (0 success, 1 rule errors, 2 unreadable input or wrong command line).

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a site build allocates and frees many small
/// values from several threads at once, where glibc's allocator spent about a sixth of
/// the CPU time; with mimalloc the 10,000-runbook build (`scripts/bench-site`) takes
/// about 25% less wall time for the same output.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
