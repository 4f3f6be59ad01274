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
    return_freed_memory_promptly();
    no_transparent_huge_pages();
    end_quietly_on_a_closed_pipe();
    let cli = rota::cli::Cli::parse();
    match rota::cmd::run(cli) {
        Ok(code) => code,
        Err(failure) => {
            // The message quotes paths and values from the data: shown on one line with
            // its control characters escaped, so nothing in it can start a line of its
            // own, which a CI runner would read as a workflow command
            // (docs/security.md, "Output encoding").
            eprintln!("error: {}", rota::encode::terminal(&failure.to_string()));
            ExitCode::from(2)
        }
    }
}

/// mimalloc's options (the enum `mi_option_e` of the bundled mimalloc 3: 0-based
/// positions, checked against their documented defaults by the test below).
mod mi_option {
    /// Milliseconds before freed pages go back to the system (default 1,000).
    pub const PURGE_DELAY: i32 = 15;
}

/// Freed pages go back to the system after 10 ms rather than a second: loading 100,000
/// alerts frees about 100 MB of parse trees before the site is rendered, and with the
/// default delay that memory stayed resident beside the rendering's (a peak of 223 MB
/// against about 150 MB, `tests/testsuite/performance/budgets.rs`). Not at once either: giving
/// every freed page back at once cost the varied 10,000-runbook build a tenth of its wall
/// time in unmapping and the other threads' TLB flushes, for 4 MB less at the peak
/// (docs/performance.md, "Why it scales").
fn return_freed_memory_promptly() {
    // SAFETY: setting a numeric option, before any other thread starts.
    unsafe {
        libmimalloc_sys::mi_option_set(mi_option::PURGE_DELAY, PURGE_DELAY_MS);
    }
}

/// How long freed pages stay with the allocator before they go back to the system.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// No transparent huge pages for rota's memory. On a system that gives them to every
/// process (`/sys/kernel/mm/transparent_hugepage/enabled` set to `always`), each 2 MB the
/// allocator touches is resident whole, and pages given back at once (above) are zeroed
/// 2 MB at a time when used again: `rota check` of the varied 10,000-runbook organisation
/// peaked at 137 MB against 116 MB without them, and spent more system time
/// (docs/performance.md, "Why it scales"). Where huge pages are only given on request, this
/// changes nothing.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    unsafe extern "C" {
        fn prctl(option: i32, ...) -> i32;
    }
    const PR_SET_THP_DISABLE: i32 = 41;
    // SAFETY: a flag of this process's memory, set before any other thread starts; on a
    // kernel without it the call fails and nothing changes.
    unsafe {
        prctl(PR_SET_THP_DISABLE, 1u64, 0u64, 0u64, 0u64);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}

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

#[cfg(test)]
mod tests {
    use super::mi_option;

    #[test]
    fn the_allocator_options_are_the_ones_meant() {
        // Unset (the test does not run `main`), the option at that position has the
        // purge delay's documented default; its neighbours do not.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reading options.
            let get = |o| unsafe { libmimalloc_sys::mi_option_get(o) };
            assert_eq!(get(mi_option::PURGE_DELAY), 1000);
            assert_ne!(get(mi_option::PURGE_DELAY - 1), 1000);
            assert_ne!(get(mi_option::PURGE_DELAY + 1), 1000);
        }
    }
}
