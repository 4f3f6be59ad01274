//! rota: on-call rotas, the alert catalogue and runbooks kept as YAML and Markdown in git.
//!
//! Data flows one way, layer by layer: [`model`] (the types) → [`load`] → [`schedule`] →
//! [`rules`] → [`output`] → [`cmd`], every command through one [`pipeline`]
//! (ARCHITECTURE.md has the floor plan).
//!
//! No `unsafe` here: what the fuzz targets and every test link is safe Rust (the binary's
//! two calls into C, a signal and an allocator option, are in `main.rs`).

#![forbid(unsafe_code)]

pub mod cli;
pub mod cmd;
pub mod diagnostics;
pub mod diff;
pub mod edit;
pub mod encode;
pub mod finding;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod propose;
pub mod rules;
pub mod schedule;
pub mod serve;
pub mod source;
pub mod time;
