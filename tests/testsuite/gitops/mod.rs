//! Git-ops: `rota diff`, `check --new-since`'s base, `init`, `swap` and its edits.

/// `rota diff` and `rota init` against real git repositories.
mod diff_init;
/// The located text edit behind `rota swap`.
mod edit;
/// `rota swap`.
mod swap;
