//! `rota check [--new-since REV]`: run every rule and print the findings; with a
//! baseline, fail only on findings not already present at REV
//! (docs/ci.md#findings-that-are-already-known).

use super::diff::{Base, load_at};
use super::{Failure, Session};
use crate::cli::CheckFormat;
use crate::diagnostics::{self, Baseline};
use crate::finding::{Finding, Level, RuleId};
use crate::load::resolve;
use crate::pipeline::{self, Options};
use crate::rules::TradeAdvice;
use crate::{encode, rules};
use std::process::ExitCode;

pub fn run(
    session: &Session,
    format: CheckFormat,
    deny_warnings: bool,
    new_since: Option<&str>,
) -> Result<ExitCode, Failure> {
    let options = Options::checking(session.clock, TradeAdvice::Simulate);
    let findings = pipeline::check(&session.model, &options).findings;
    let known = match new_since {
        Some(rev) => Some(known_at(session, rev, &findings)?),
        None => None,
    };
    let baseline = new_since
        .zip(known.as_deref())
        .map(|(rev, known)| Baseline { rev, known });
    let sources = &session.model.repo.sources;
    let (errors, warnings) = diagnostics::counts(&findings);
    // What decides the exit: every finding, or only the new ones.
    let (failing_errors, failing_warnings) = match baseline {
        Some(b) => b.new_counts(&findings),
        None => (errors, warnings),
    };
    let failed = failing_errors > 0 || (deny_warnings && failing_warnings > 0);
    match format {
        CheckFormat::Human => {
            print!(
                "{}",
                diagnostics::human_marked(sources, &findings, baseline)
            );
            let parse_errors = findings
                .iter()
                .filter(|f| f.rule == RuleId::Parse && f.level == Level::Error)
                .count();
            if parse_errors > 0 {
                let waiting = if rules::parse_errors_in_data(&session.model) > 0 {
                    ": the rules that read the schedule run once the data loads"
                } else {
                    ""
                };
                println!(
                    "fix the {parse_errors} parse error{} first{waiting}",
                    if parse_errors == 1 { "" } else { "s" }
                );
            }
            let verdict = if failed { "failed" } else { "ok" };
            match baseline {
                None => println!("{verdict}: {errors} error(s), {warnings} warning(s)"),
                Some(b) => println!(
                    "{verdict}: {} new, {} known at {} ({failing_errors} new error(s), {failing_warnings} new warning(s); {errors} error(s), {warnings} warning(s) in all)",
                    failing_errors + failing_warnings,
                    b.known_count(&findings),
                    encode::terminal(b.rev)
                ),
            }
        }
        CheckFormat::Json => print!("{}", diagnostics::json_marked(sources, &findings, baseline)),
        CheckFormat::Github => print!(
            "{}",
            diagnostics::github_marked(sources, &findings, baseline)
        ),
        CheckFormat::Gitlab => print!(
            "{}",
            diagnostics::gitlab_marked(sources, &findings, baseline)
        ),
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// For each finding, whether the same finding (by identity), at the same level or a
/// more severe one, is present in the data at `rev`. A revision without data that loads (no rota/ folder yet, or data that cannot
/// be read at all) knows no finding: every finding is new, and a note says why.
fn known_at(session: &Session, rev: &str, findings: &[Finding]) -> Result<Vec<bool>, Failure> {
    let base_repo = match load_at(&session.model.repo.root, rev, "--new-since")? {
        Base::Loaded(repo) => *repo,
        Base::Missing(why) => {
            eprintln!("note: {why}; every finding counts as new");
            return Ok(vec![false; findings.len()]);
        }
    };
    let base_model = resolve::resolve(base_repo);
    // The advice (suggested trades) is no part of a finding's identity: not simulated.
    let options = Options::checking(session.clock, TradeAdvice::Skip);
    let base_findings = pipeline::check(&base_model, &options).findings;
    Ok(crate::diff::pair_findings(
        &base_findings,
        &base_model.repo.sources,
        findings,
        &session.model.repo.sources,
    )
    .iter()
    .zip(findings)
    // A warning that became an error is worse, so it is new; an error that became a
    // warning is known.
    .map(|(partner, f)| partner.is_some_and(|j| base_findings[j].level <= f.level))
    .collect())
}
