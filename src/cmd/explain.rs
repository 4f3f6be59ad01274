//! `rota explain RULE`: what a rule checks, why, an example and how to fix it.

use super::Failure;
use crate::rules;
use std::process::ExitCode;

pub fn run(rule: &str) -> Result<ExitCode, Failure> {
    match rules::find(rule) {
        Some(r) => {
            println!(
                "{} (default level: {})\n\n{}",
                r.id,
                r.default_level.as_str(),
                r.explanation
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let ids: Vec<&str> = rules::registry().iter().map(|r| r.id).collect();
            Err(Failure(format!(
                "no rule `{rule}`; the rules are:\n  {}",
                ids.join("\n  ")
            )))
        }
    }
}
