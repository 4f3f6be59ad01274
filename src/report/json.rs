//! `--format json`: `{"findings":[{rule,level,message,file,line,column}],"errors":N,"warnings":N}`.

use crate::finding::Finding;
use crate::source::Sources;
use serde_json::json;

pub fn json(sources: &Sources, findings: &[Finding]) -> String {
    let (errors, warnings) = super::counts(findings);
    let list: Vec<_> = findings
        .iter()
        .map(|f| {
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
            item
        })
        .collect();
    let doc = json!({ "findings": list, "errors": errors, "warnings": warnings });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
