//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), so findings
//! show inline in merge requests. Fields as GitLab documents them: `description`,
//! `check_name`, `fingerprint`, `severity`, `location.path`, `location.lines.begin`.

use super::Baseline;
use crate::finding::{Finding, Level};
use crate::source::Sources;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The Code Quality severity of a finding's level: errors fail the check, warnings do not.
pub fn severity(level: Level) -> &'static str {
    match level {
        Level::Error => "major",
        Level::Warning => "minor",
    }
}

pub fn gitlab(sources: &Sources, findings: &[Finding]) -> String {
    gitlab_marked(sources, findings, None)
}

/// As [`gitlab`]; a finding known at the baseline has severity `info` and its
/// description starts with `(known)`. Its fingerprint is the same either way.
pub fn gitlab_marked(
    sources: &Sources,
    findings: &[Finding],
    baseline: Option<Baseline>,
) -> String {
    // How often each (rule, file, line text) has been seen, so findings on identical
    // lines still get distinct fingerprints.
    let mut seen: BTreeMap<(&str, &str, &str), u32> = BTreeMap::new();
    let issues: Vec<_> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let known = baseline.is_some_and(|b| b.is_known(i));
            let file = sources.get(f.loc.file);
            let path = file.path.as_str();
            let line_text = file.line_text(f.loc.line).unwrap_or("").trim();
            let occurrence = seen.entry((f.rule.as_str(), path, line_text)).or_insert(0);
            *occurrence += 1;
            let mut description = if known {
                format!("(known) {}", f.message)
            } else {
                f.message.clone()
            };
            if let Some(help) = &f.help {
                description.push_str(" — ");
                description.push_str(help);
            }
            json!({
                "description": description,
                "check_name": f.rule,
                "fingerprint": fingerprint(f.rule.as_str(), path, line_text, *occurrence),
                "severity": if known { "info" } else { severity(f.level) },
                "location": { "path": path, "lines": { "begin": f.loc.line } },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

/// Stable across runs, line moves and days (GitLab compares the fingerprints of the base
/// and the merge request to tell new findings from fixed ones): the rule, the file, the
/// text of the line responsible, and which occurrence of that triple this is. Not the
/// message, which may count days or shares that change without any edit.
fn fingerprint(rule: &str, path: &str, line_text: &str, occurrence: u32) -> String {
    let mut hash = Sha256::new();
    for part in [rule, path, line_text, &occurrence.to_string()] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
