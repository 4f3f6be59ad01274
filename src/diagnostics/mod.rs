//! Printers of findings: one per format, all from the same list, so they never disagree.

mod github;
mod gitlab;
mod human;
mod json;

pub use github::{github, github_marked};
pub use gitlab::{gitlab, gitlab_marked};
pub use human::{human, human_marked};
pub use json::{json, json_marked};

use crate::finding::{Finding, Level};

/// Counts of (errors, warnings).
pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    (errors, findings.len() - errors)
}

/// Which findings were already present at a baseline revision (`rota check
/// --new-since REV`, docs/ci.md#findings-that-are-already-known).
#[derive(Clone, Copy, Debug)]
pub struct Baseline<'a> {
    /// The revision, as the user named it.
    pub rev: &'a str,
    /// One flag per finding, in the same order: known at `rev`.
    pub known: &'a [bool],
}

impl Baseline<'_> {
    pub fn is_known(&self, index: usize) -> bool {
        self.known.get(index).copied().unwrap_or(false)
    }

    /// Counts of the findings not known at the baseline: (errors, warnings).
    pub fn new_counts(&self, findings: &[Finding]) -> (usize, usize) {
        let new: Vec<Finding> = findings
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.is_known(*i))
            .map(|(_, f)| f.clone())
            .collect();
        counts(&new)
    }

    /// How many findings are known.
    pub fn known_count(&self, findings: &[Finding]) -> usize {
        (0..findings.len()).filter(|i| self.is_known(*i)).count()
    }
}
