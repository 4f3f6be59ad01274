//! `--format json`: `{"findings":[{rule,level,message,file,line,column}],"errors":N,"warnings":N}`;
//! with a baseline (`--new-since REV`) each finding also has `"known": true|false`, and
//! the object `"base": REV`, `"new": N`, `"known": N`.

use super::Baseline;
use crate::finding::Finding;
use crate::output::json::{CheckOutput, FindingOutput};
use crate::source::Sources;

pub fn json(sources: &Sources, findings: &[Finding]) -> String {
    json_marked(sources, findings, None)
}

/// As [`json`], marking which findings are known at the baseline.
pub fn json_marked(sources: &Sources, findings: &[Finding], baseline: Option<Baseline>) -> String {
    let (errors, warnings) = super::counts(findings);
    let list: Vec<FindingOutput> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| FindingOutput {
            column: u64::from(f.loc.column),
            file: sources.get(f.loc.file).path.clone(),
            help: f.help.clone(),
            known: baseline.map(|b| b.is_known(i)),
            level: f.level.into(),
            line: u64::from(f.loc.line),
            message: f.message.clone(),
            rule: f.rule,
        })
        .collect();
    let known = baseline.map(|b| b.known_count(findings) as u64);
    let doc = CheckOutput {
        base: baseline.map(|b| b.rev.to_string()),
        errors: errors as u64,
        findings: list,
        known,
        new: known.map(|known| findings.len() as u64 - known),
        warnings: warnings as u64,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
