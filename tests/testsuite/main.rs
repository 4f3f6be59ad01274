//! rota's integration tests, one binary by subject (docs/developing.md#tests): each
//! folder holds the tests of one part of the product, with the shared prelude in
//! `common.rs`. Run one subject with `cargo test --test testsuite SUBJECT::`.

mod alerting;
mod architecture;
mod cli;
mod common;
mod docs;
mod feeds;
mod gitops;
mod hostile;
mod performance;
mod plan;
mod rules;
mod schedule;
mod serve;
mod site;
