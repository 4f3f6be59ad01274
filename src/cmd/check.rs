//! `rota check`: run every rule and print the findings.

use super::{Failure, Session};
use crate::cli::CheckFormat;
use crate::report;
use std::process::ExitCode;

pub fn run(
    session: &Session,
    format: CheckFormat,
    deny_warnings: bool,
) -> Result<ExitCode, Failure> {
    let findings = crate::rules::check(&session.model, session.clock);
    let sources = &session.model.repo.sources;
    let (errors, warnings) = report::counts(&findings);
    match format {
        CheckFormat::Human => {
            print!("{}", report::human(sources, &findings));
            let parse_errors = findings
                .iter()
                .filter(|f| f.rule == "parse" && f.level == crate::finding::Level::Error)
                .count();
            if parse_errors > 0 {
                let waiting = if crate::rules::parse_errors_in_data(&session.model) > 0 {
                    ": the rules that read the schedule run once the data loads"
                } else {
                    ""
                };
                println!(
                    "fix the {parse_errors} parse error{} first{waiting}",
                    if parse_errors == 1 { "" } else { "s" }
                );
            }
            println!(
                "{}: {errors} error(s), {warnings} warning(s)",
                if errors > 0 || (deny_warnings && warnings > 0) {
                    "failed"
                } else {
                    "ok"
                }
            );
        }
        CheckFormat::Json => print!("{}", report::json(sources, &findings)),
        CheckFormat::Github => print!("{}", report::github(sources, &findings)),
        CheckFormat::Gitlab => print!("{}", report::gitlab(sources, &findings)),
    }
    Ok(if errors > 0 || (deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
