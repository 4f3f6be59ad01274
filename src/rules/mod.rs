//! The rule registry: each rule's id, default level, explanation and check function,
//! and the engine that runs them over the model and the computed schedule and applies
//! the level caps from `config.yaml` `rules:`.

mod alerting;
pub mod catalogue;
pub mod context;
mod cover;
mod double_duty;
mod escalation;
mod experience;
pub mod holiday_fairness;
mod holidays;
mod leave;
mod members;
mod overrides;
mod pages;
pub mod privacy;
mod rest;
mod shape;
mod share;

use crate::finding::{Finding, Level, RuleId};
use crate::model::Model;
use crate::model::RuleLevelSetting;
use crate::schedule::Schedule;
use crate::time::Clock;
pub use context::Ctx;
pub use shape::parse_errors_in_data;

/// One rule of docs/rules.md (which is generated from this registry): its id (which
/// carries the default level and flags, see [`RuleId`]), explanation and check.
pub struct Rule {
    pub id: RuleId,
    /// What it checks, why, an example and how to fix it (`rota explain`).
    pub explanation: &'static str,
    /// `None` for the rules that loading and resolving report.
    pub check: Option<fn(&Ctx, &mut Vec<Finding>)>,
}

/// The rule of an id: its explanation and check, beside it in `src/rules/<rule>.rs`.
pub fn rule(id: RuleId) -> Rule {
    match id {
        RuleId::Parse => shape::PARSE,
        RuleId::UnknownReference => shape::UNKNOWN_REFERENCE,
        RuleId::InvalidId => shape::INVALID_ID,
        RuleId::HoursStated => shape::HOURS_STATED,
        RuleId::Repeats => shape::REPEATS,
        RuleId::MinPeople => members::MIN_PEOPLE,
        RuleId::MaxShare => share::MAX_SHARE,
        RuleId::TwoDeep => cover::TWO_DEEP,
        RuleId::PlannedAhead => cover::PLANNED_AHEAD,
        RuleId::OverrideValid => overrides::OVERRIDE_VALID,
        RuleId::LeaveConflict => leave::LEAVE_CONFLICT,
        RuleId::RoleCover => members::ROLE_COVER,
        RuleId::OptedIn => members::OPTED_IN,
        RuleId::Vetted => members::VETTED,
        RuleId::FirstTimerPaired => experience::FIRST_TIMER_PAIRED,
        RuleId::InHoursFirst => experience::IN_HOURS_FIRST,
        RuleId::BackToBack => experience::BACK_TO_BACK,
        RuleId::Rest => rest::REST,
        RuleId::Escalation => escalation::ESCALATION,
        RuleId::AlertRunbook => catalogue::ALERT_RUNBOOK,
        RuleId::SeverityRouting => catalogue::SEVERITY_ROUTING,
        RuleId::ServiceSupport => catalogue::SERVICE_SUPPORT,
        RuleId::RunbookReview => catalogue::RUNBOOK_REVIEW,
        RuleId::AlertRoute => alerting::ALERT_ROUTE,
        RuleId::AlertCoverage => alerting::ALERT_COVERAGE,
        RuleId::RunbookLinked => alerting::RUNBOOK_LINKED,
        RuleId::PageLog => pages::PAGE_LOG,
        RuleId::ContactPrivacy => privacy::CONTACT_PRIVACY,
        RuleId::FeedSecret => privacy::FEED_SECRET,
        RuleId::CoverageGap => cover::COVERAGE_GAP,
        RuleId::DoubleDuty => double_duty::DOUBLE_DUTY,
        RuleId::HolidaysListed => holidays::HOLIDAYS_LISTED,
        RuleId::HolidayOvernight => holidays::HOLIDAY_OVERNIGHT,
        RuleId::HolidayFairness => holiday_fairness::HOLIDAY_FAIRNESS,
    }
}

/// Every rule, in the order docs/rules.md and `rota explain` list them ([`RuleId::ALL`]).
pub fn registry() -> Vec<Rule> {
    RuleId::ALL.iter().map(|&id| rule(id)).collect()
}

/// The rule with this id string, if there is one.
pub fn find(id: &str) -> Option<Rule> {
    RuleId::from_id(id).map(rule)
}

/// Runs every rule; returns findings sorted by file, line, column, rule, `parse` first.
/// While a file under `rota/` has a parse error only the rules that read single values
/// run (see [`RuleId::runs_despite_parse_errors`]).
pub fn check(model: &Model, clock: Clock) -> Vec<Finding> {
    check_with(
        model,
        &crate::schedule::window::schedule(model, clock),
        clock,
    )
}

/// Every rule, as [`check`], but without simulating the trades `leave-conflict` would
/// suggest: the same findings, with less advice, for callers that only count them.
pub fn check_without_advice(model: &Model, clock: Clock) -> Vec<Finding> {
    check_with_advice(
        model,
        &crate::schedule::window::schedule(model, clock),
        clock,
        TradeAdvice::Skip,
    )
}

/// Whether `leave-conflict` suggests trades, each tried on a copy of the data with every
/// rule run again (costly): skipped by callers that only count findings, and inside such
/// a trial itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TradeAdvice {
    #[default]
    Simulate,
    Skip,
}

/// Whether `rule` runs: not while the data has parse errors (unless it reads single
/// values only), nor when the repository turned it off.
fn runs(model: &Model, rule: &Rule, data_partly_loaded: bool, errors_only: bool) -> bool {
    if data_partly_loaded && !rule.id.runs_despite_parse_errors() {
        return false;
    }
    if errors_only && !can_find_an_error(model, rule.id) {
        return false;
    }
    !(level_setting(model, rule.id) == Some(RuleLevelSetting::Off) && rule.id.lowerable())
}

/// Runs every rule over an already computed schedule.
pub fn check_with(model: &Model, schedule: &Schedule, clock: Clock) -> Vec<Finding> {
    check_with_advice(model, schedule, clock, TradeAdvice::Simulate)
}

/// Whether `rule` can find an error in `model`: its worst finding is one, and `rules:`
/// does not cap it at a warning or turn it off.
fn can_find_an_error(model: &Model, rule: RuleId) -> bool {
    rule.default_level() == Level::Error
        && !(rule.lowerable()
            && matches!(
                level_setting(model, rule),
                Some(RuleLevelSetting::Warning | RuleLevelSetting::Off)
            ))
}

/// Runs every rule over an already computed schedule, with or without trade advice.
pub fn check_with_advice(
    model: &Model,
    schedule: &Schedule,
    clock: Clock,
    advice: TradeAdvice,
) -> Vec<Finding> {
    check_scoped(model, schedule, clock, advice, false)
}

/// Runs the rules over an already computed schedule: every one, or with `errors_only`
/// those that can find an error (the findings are then every error, and the warnings of
/// those rules).
pub fn check_scoped(
    model: &Model,
    schedule: &Schedule,
    clock: Clock,
    advice: TradeAdvice,
    errors_only: bool,
) -> Vec<Finding> {
    let mut ctx = Ctx::new(model, schedule, clock);
    ctx.trade_advice = advice;
    let registry = registry();
    let mut findings: Vec<Finding> = model.findings.clone();
    let data_partly_loaded = shape::parse_errors_in_data(model) > 0;
    // Links between runbooks (every page parsed, in parallel) are checked while the
    // other rules run.
    let (_, links) = rayon::join(
        || {
            for rule in registry
                .iter()
                .filter(|r| runs(model, r, data_partly_loaded, errors_only))
            {
                if let Some(check) = rule.check {
                    check(&ctx, &mut findings);
                }
            }
        },
        || {
            let mut links = Vec::new();
            catalogue::runbook_links(&ctx, &mut links);
            links
        },
    );
    findings.extend(links);
    findings.extend(config_findings(model));
    shape::drop_consequences_of_parse_errors(&mut findings);
    let mut capped: Vec<Finding> = findings
        .into_iter()
        .filter_map(|f| {
            if !f.rule.lowerable() {
                return Some(f);
            }
            match level_setting(model, f.rule) {
                Some(RuleLevelSetting::Off) => None,
                Some(RuleLevelSetting::Warning) => Some(Finding {
                    level: Level::Warning,
                    ..f
                }),
                _ => Some(f),
            }
        })
        .collect();
    // Parse findings first: every other finding may follow from one of them.
    capped.sort_by(|a, b| {
        (
            a.rule != RuleId::Parse,
            a.loc.file,
            a.loc.line,
            a.loc.column,
            a.rule,
            &a.message,
        )
            .cmp(&(
                b.rule != RuleId::Parse,
                b.loc.file,
                b.loc.line,
                b.loc.column,
                b.rule,
                &b.message,
            ))
    });
    capped.dedup();
    capped
}

fn level_setting(model: &Model, rule: RuleId) -> Option<RuleLevelSetting> {
    model
        .repo
        .config
        .rules
        .get(rule.as_str())
        .map(|(level, _)| *level)
}

/// Unknown rule ids in `rules:`, and attempts to lower rules that cannot be lowered.
fn config_findings(model: &Model) -> Vec<Finding> {
    let mut out = Vec::new();
    let ids = || RuleId::ALL.iter().map(|r| r.as_str());
    for (id, (level, loc)) in &model.repo.config.rules {
        match RuleId::from_id(id) {
            None => out.push(
                Finding::error(
                    RuleId::UnknownReference,
                    *loc,
                    match crate::finding::did_you_mean(id, ids()) {
                        Some(near) => {
                            format!("`rules:` names no rule `{id}`; did you mean `{near}`?")
                        }
                        None => format!("`rules:` names no rule `{id}`"),
                    },
                )
                .with_help(format!(
                    "rules are: {}",
                    ids().collect::<Vec<_>>().join(", ")
                )),
            ),
            Some(rule) if !rule.lowerable() && *level != RuleLevelSetting::Error => out.push(
                Finding::error(
                    RuleId::Parse,
                    *loc,
                    format!("`{id}` cannot be lowered: rota cannot read the data without it"),
                )
                .with_help("remove this line from `rules:`"),
            ),
            _ => {}
        }
    }
    out
}

/// The rules page (docs/rules.md), generated from the registry.
pub fn markdown() -> String {
    let mut out = format!(
        "# Rules\n\n<!-- Generated from the rule registry (src/rules/). `ROTA_BLESS=1 cargo test docs` rewrites it. -->\n\n`rota check` runs every rule below; `rota explain RULE` prints one. Levels can be capped in `rota/config.yaml` under `rules:` (`warning` or `off`), except for {}.\n\n| rule | default level |\n|---|---|\n",
        RuleId::unlowerable("`")
    );
    let registry = registry();
    for r in &registry {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} |\n",
            r.id,
            r.id,
            r.id.default_level().as_str()
        ));
    }
    for r in &registry {
        out.push_str(&format!(
            "\n## {}\n\nDefault level: {}{}.\n\n{}\n",
            r.id,
            r.id.default_level().as_str(),
            if r.id.lowerable() {
                ""
            } else {
                " (cannot be lowered)"
            },
            r.explanation
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{RuleId, rule};

    #[test]
    fn each_id_names_the_rule_written_for_it() {
        for &id in RuleId::ALL {
            assert_eq!(rule(id).id, id, "rules::rule({id}) is another rule's const");
            assert!(
                rule(id).explanation.starts_with("What it checks"),
                "`{id}`'s explanation starts with what it checks"
            );
        }
    }
}
