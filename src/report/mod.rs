//! Printers of findings: one per format, all from the same list, so they never disagree.

mod github;
mod gitlab;
mod human;
mod json;

pub use github::github;
pub use gitlab::gitlab;
pub use human::human;
pub use json::json;

use crate::finding::{Finding, Level};

/// Counts of (errors, warnings).
pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    (errors, findings.len() - errors)
}
