//! `--format github`: GitHub Actions workflow commands that annotate pull-request lines.

use super::Baseline;
use crate::encode::{github_data, github_property};
use crate::finding::{Finding, Level};
use crate::source::Sources;

pub fn github(sources: &Sources, findings: &[Finding]) -> String {
    github_marked(sources, findings, None)
}

/// As [`github`]; a finding known at the baseline is a `::notice` titled `RULE
/// (known)`, so it shows without failing anything or looking like news.
pub fn github_marked(
    sources: &Sources,
    findings: &[Finding],
    baseline: Option<Baseline>,
) -> String {
    let mut out = String::new();
    for (i, f) in findings.iter().enumerate() {
        let known = baseline.is_some_and(|b| b.is_known(i));
        let command = match f.level {
            _ if known => "notice",
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let title = if known {
            format!("{} (known)", f.rule)
        } else {
            f.rule.to_string()
        };
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push('\n');
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},title={}::{}\n",
            github_property(&sources.get(f.loc.file).path),
            f.loc.line,
            f.loc.column,
            github_property(&title),
            github_data(&message),
        ));
    }
    let (errors, warnings) = super::counts(findings);
    match baseline {
        None => out.push_str(&format!(
            "rota check: {errors} error(s), {warnings} warning(s)\n"
        )),
        Some(b) => {
            let (new_errors, new_warnings) = b.new_counts(findings);
            out.push_str(&format!(
                "rota check: {errors} error(s), {warnings} warning(s); {} new ({new_errors} error(s), {new_warnings} warning(s)), {} known\n",
                new_errors + new_warnings,
                b.known_count(findings)
            ));
        }
    }
    out
}
