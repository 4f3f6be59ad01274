//! The rule registry: each rule's id, default level, explanation and check function,
//! and the engine that runs them over the model and the computed schedule and applies
//! the level caps from `config.yaml` `rules:`.

mod alerting;
pub mod analysis;
pub mod catalogue;
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
mod privacy;
mod rest;
mod shape;
mod share;

use crate::finding::{Finding, Level};
use crate::model::RuleLevelSetting;
use crate::resolve::Model;
use crate::schedule::Schedule;
use crate::schedule::interval::Interval;
use crate::time::Clock;
pub use analysis::Ctx;
use chrono::TimeDelta;
pub use shape::parse_errors_in_data;

/// One rule of docs/rules.md (which is generated from this registry).
pub struct Rule {
    pub id: &'static str,
    /// The level of its worst finding, before any cap.
    pub default_level: Level,
    /// `false` for rules a config may not lower.
    pub lowerable: bool,
    /// What it checks, why, an example and how to fix it (`rota explain`).
    pub explanation: &'static str,
    /// `None` for the rules that loading and resolving report.
    pub check: Option<fn(&Ctx, &mut Vec<Finding>)>,
}

/// Every rule, in the order docs/rules.md and `rota explain` list them.
pub fn registry() -> Vec<Rule> {
    let mut rules = vec![
        shape::PARSE,
        shape::UNKNOWN_REFERENCE,
        shape::INVALID_ID,
        shape::HOURS_STATED,
        shape::REPEATS,
        members::MIN_PEOPLE,
        share::MAX_SHARE,
        cover::TWO_DEEP,
        cover::PLANNED_AHEAD,
        overrides::OVERRIDE_VALID,
        leave::LEAVE_CONFLICT,
        members::ROLE_COVER,
        members::OPTED_IN,
        members::VETTED,
        experience::FIRST_TIMER_PAIRED,
        experience::IN_HOURS_FIRST,
        experience::BACK_TO_BACK,
        rest::REST,
        escalation::ESCALATION,
        catalogue::ALERT_RUNBOOK,
        catalogue::SEVERITY_ROUTING,
        catalogue::SERVICE_SUPPORT,
        catalogue::RUNBOOK_REVIEW,
        alerting::ALERT_ROUTE,
        alerting::ALERT_COVERAGE,
        alerting::RUNBOOK_LINKED,
        pages::PAGE_LOG,
        privacy::CONTACT_PRIVACY,
        cover::COVERAGE_GAP,
        double_duty::DOUBLE_DUTY,
        holidays::HOLIDAYS_LISTED,
        holidays::HOLIDAY_OVERNIGHT,
        holiday_fairness::HOLIDAY_FAIRNESS,
    ];
    rules.shrink_to_fit();
    rules
}

pub fn find(id: &str) -> Option<Rule> {
    registry().into_iter().find(|r| r.id == id)
}

/// Runs every rule; returns findings sorted by file, line, column, rule, `parse` first.
/// While a file under `rota/` has a parse error only the rules that read single values
/// run (see [`shape::runs_despite_parse_errors`]).
pub fn check(model: &Model, clock: Clock) -> Vec<Finding> {
    check_with(model, &schedule(model, clock), clock)
}

/// Every rule, as [`check`], but without simulating the trades `leave-conflict` would
/// suggest: the same findings, with less advice, for callers that only count them.
pub fn check_without_advice(model: &Model, clock: Clock) -> Vec<Finding> {
    leave::without_trade_advice(|| check(model, clock))
}

/// The schedule the rules read: from a little before today (the feeds' two weeks, a day
/// more for a clock change, and enough turns before the check window for `back-to-back`
/// streaks) to the end of the check window, plus a year for share windows rounded up to whole rotation cycles
/// (capped at 52 weeks).
pub fn schedule(model: &Model, clock: Clock) -> Schedule {
    schedule_covering(model, clock, None)
}

/// Like [`schedule`], also covering `also` (a report over past dates).
pub fn schedule_covering(model: &Model, clock: Clock, also: Option<Interval>) -> Schedule {
    let repo = &model.repo;
    let today = crate::time::start_of_day(repo.config.timezone, clock.today);
    let end = analysis::check_window_end(&repo.config, clock) + TimeDelta::weeks(53);
    let lead = repo
        .rotas
        .iter()
        .flat_map(|r| {
            let streak = i64::from(r.policy.apply(&repo.config.policy).max_consecutive_turns);
            r.blocks.iter().map(move |b| {
                b.every
                    .times(1)
                    .checked_mul(streak.clamp(0, 1000) as i32 + 2)
                    .unwrap_or(TimeDelta::MAX)
            })
        })
        .max()
        .unwrap_or_default()
        .clamp(TimeDelta::days(15), TimeDelta::days(732));
    let mut window = Interval::new(today - lead, end);
    if let Some(also) = also {
        window = Interval::new(window.start.min(also.start), window.end.max(also.end));
    }
    Schedule::compute(&repo.config, &repo.people, &repo.rotas, window)
}

/// Whether `rule` runs: not while the data has parse errors (unless it reads single
/// values only), nor when the repository turned it off.
fn runs(model: &Model, rule: &Rule, data_partly_loaded: bool) -> bool {
    if data_partly_loaded && !shape::runs_despite_parse_errors(rule.id) {
        return false;
    }
    !(level_setting(model, rule.id) == Some(RuleLevelSetting::Off) && rule.lowerable)
}

/// Runs every rule over an already computed schedule.
pub fn check_with(model: &Model, schedule: &Schedule, clock: Clock) -> Vec<Finding> {
    let ctx = Ctx::new(model, schedule, clock);
    let registry = registry();
    let mut findings: Vec<Finding> = model.findings.clone();
    let data_partly_loaded = shape::parse_errors_in_data(model) > 0;
    // Links between runbooks (every page parsed, in parallel) are checked while the
    // other rules run. Those may run on another thread: `leave-conflict`'s thread-local
    // setting goes with them.
    let advice_off = leave::trade_advice_off();
    let (_, links) = rayon::join(
        || {
            leave::with_trade_advice_off(advice_off, || {
                for rule in registry
                    .iter()
                    .filter(|r| runs(model, r, data_partly_loaded))
                {
                    if let Some(check) = rule.check {
                        check(&ctx, &mut findings);
                    }
                }
            })
        },
        || {
            let mut links = Vec::new();
            catalogue::runbook_links(&ctx, &mut links);
            links
        },
    );
    findings.extend(links);
    findings.extend(config_findings(model, &registry));
    shape::drop_consequences_of_parse_errors(&mut findings);
    let mut capped: Vec<Finding> = findings
        .into_iter()
        .filter_map(|f| {
            let rule = registry.iter().find(|r| r.id == f.rule);
            if rule.is_some_and(|r| !r.lowerable) {
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
            a.rule != "parse",
            a.loc.file,
            a.loc.line,
            a.loc.column,
            a.rule,
            &a.message,
        )
            .cmp(&(
                b.rule != "parse",
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

fn level_setting(model: &Model, rule: &str) -> Option<RuleLevelSetting> {
    model.repo.config.rules.get(rule).map(|(level, _)| *level)
}

/// Unknown rule ids in `rules:`, and attempts to lower rules that cannot be lowered.
fn config_findings(model: &Model, registry: &[Rule]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (id, (level, loc)) in &model.repo.config.rules {
        match registry.iter().find(|r| r.id == id) {
            None => out.push(
                Finding::error(
                    "unknown-reference",
                    *loc,
                    match crate::finding::did_you_mean(id, registry.iter().map(|r| r.id)) {
                        Some(near) => {
                            format!("`rules:` names no rule `{id}`; did you mean `{near}`?")
                        }
                        None => format!("`rules:` names no rule `{id}`"),
                    },
                )
                .with_help(format!(
                    "rules are: {}",
                    registry.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
                )),
            ),
            Some(rule) if !rule.lowerable && *level != RuleLevelSetting::Error => out.push(
                Finding::error(
                    "parse",
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
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule registry (src/rules/). `ROTA_BLESS=1 cargo test docs` rewrites it. -->\n\n`rota check` runs every rule below; `rota explain RULE` prints one. Levels can be capped in `rota/config.yaml` under `rules:` (`warning` or `off`), except for `parse`, `unknown-reference`, `invalid-id`, `hours-stated` and `repeats`.\n\n| rule | default level |\n|---|---|\n",
    );
    let registry = registry();
    for r in &registry {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} |\n",
            r.id,
            r.id,
            r.default_level.as_str()
        ));
    }
    for r in &registry {
        out.push_str(&format!(
            "\n## {}\n\nDefault level: {}{}.\n\n{}\n",
            r.id,
            r.default_level.as_str(),
            if r.lowerable {
                ""
            } else {
                " (cannot be lowered)"
            },
            r.explanation
        ));
    }
    out
}
