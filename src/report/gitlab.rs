//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), so findings
//! show inline in merge requests. Fields as GitLab documents them: `description`,
//! `check_name`, `fingerprint`, `severity`, `location.path`, `location.lines.begin`.

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
    // How often each (rule, file, message) has been seen, so identical findings in one
    // file still get distinct fingerprints.
    let mut seen: BTreeMap<(&str, &str, &str), u32> = BTreeMap::new();
    let issues: Vec<_> = findings
        .iter()
        .map(|f| {
            let path = sources.get(f.loc.file).path.as_str();
            let occurrence = seen.entry((f.rule, path, &f.message)).or_insert(0);
            *occurrence += 1;
            let mut description = f.message.clone();
            if let Some(help) = &f.help {
                description.push_str(" — ");
                description.push_str(help);
            }
            json!({
                "description": description,
                "check_name": f.rule,
                "fingerprint": fingerprint(f.rule, path, &f.message, *occurrence),
                "severity": severity(f.level),
                "location": { "path": path, "lines": { "begin": f.loc.line } },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

/// Stable across runs and line moves (GitLab compares fingerprints between the base and
/// the merge request to tell new findings from fixed ones): rule, file and message, and
/// which occurrence of that triple this is.
fn fingerprint(rule: &str, path: &str, message: &str, occurrence: u32) -> String {
    let mut hash = Sha256::new();
    for part in [rule, path, message, &occurrence.to_string()] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
