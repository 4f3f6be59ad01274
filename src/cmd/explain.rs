//! `rota explain RULE`: what a rule checks, why, an example and how to fix it.

use super::Failure;
use crate::finding::RuleId;
use crate::rules;
use std::process::ExitCode;

pub fn run(rule: Option<&str>) -> Result<ExitCode, Failure> {
    let Some(rule) = rule else {
        println!("The rules `rota check` runs (`rota explain RULE` for one):\n");
        for r in rules::registry() {
            let first_line = r.explanation.lines().next().unwrap_or("");
            let what = first_line
                .strip_prefix("What it checks: ")
                .unwrap_or(first_line);
            let first_sentence = what
                .split(". ")
                .next()
                .unwrap_or(what)
                .trim_end_matches('.');
            println!(
                "  {:<20} {:<8} {first_sentence}",
                r.id.as_str(),
                r.id.default_level().as_str()
            );
        }
        return Ok(ExitCode::SUCCESS);
    };
    match rules::find(rule) {
        Some(r) => {
            println!(
                "{} (default level: {})\n\n{}",
                r.id,
                r.id.default_level().as_str(),
                r.explanation
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
            let hint = crate::finding::did_you_mean(rule, ids.iter().copied())
                .map(|id| format!(" (did you mean `{id}`?)"))
                .unwrap_or_default();
            Err(Failure(format!(
                "no rule `{rule}`{hint}; the rules are:\n  {}",
                ids.join("\n  ")
            )))
        }
    }
}
