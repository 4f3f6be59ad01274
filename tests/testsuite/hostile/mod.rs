//! The repository as untrusted input (docs/security.md).

/// Bad input of every kind: located message, non-zero exit.
mod bad_input;
/// The one-change bad-input corpus.
mod bad_input_corpus;
/// `rota build` stays in `--out` and is atomic.
mod confinement;
/// Kept fuzz inputs replayed.
mod fuzz_regressions;
/// Links, FIFOs and size caps in the repository.
mod input;
/// Random and mutated data never panics.
mod no_panic;
/// Output encoding for terminals, CI logs and Markdown.
mod output;
/// Writes that never follow links.
mod writes;
