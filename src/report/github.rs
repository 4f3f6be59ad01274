//! `--format github`: GitHub Actions workflow commands that annotate pull-request lines.

use crate::encode::{github_data, github_property};
use crate::finding::{Finding, Level};
use crate::source::Sources;

pub fn github(sources: &Sources, findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
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
            github_property(f.rule),
            github_data(&message),
        ));
    }
    let (errors, warnings) = super::counts(findings);
    out.push_str(&format!(
        "rota check: {errors} error(s), {warnings} warning(s)\n"
    ));
    out
}
