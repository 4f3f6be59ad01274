//! `--format json`: `{"findings":[{rule,level,message,file,line,column}],"errors":N,"warnings":N}`;
//! with a baseline (`--new-since REV`) each finding also has `"known": true|false`, and
//! the object `"base": REV`, `"new": N`, `"known": N`.

use super::Baseline;
use crate::finding::Finding;
use crate::source::Sources;
use serde_json::json;

pub fn json(sources: &Sources, findings: &[Finding]) -> String {
    json_marked(sources, findings, None)
}

/// As [`json`], marking which findings are known at the baseline.
pub fn json_marked(sources: &Sources, findings: &[Finding], baseline: Option<Baseline>) -> String {
    let (errors, warnings) = super::counts(findings);
    let list: Vec<_> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut item = json!({
                "rule": f.rule,
                "level": f.level.as_str(),
                "message": f.message,
                "file": sources.get(f.loc.file).path,
                "line": f.loc.line,
                "column": f.loc.column,
            });
            if let Some(help) = &f.help {
                item["help"] = json!(help);
            }
            if let Some(b) = baseline {
                item["known"] = json!(b.is_known(i));
            }
            item
        })
        .collect();
    let mut doc = json!({ "findings": list, "errors": errors, "warnings": warnings });
    if let Some(b) = baseline {
        let known = b.known_count(findings);
        doc["base"] = json!(b.rev);
        doc["new"] = json!(findings.len() - known);
        doc["known"] = json!(known);
    }
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
