//! `page-log`: each page of `rota/pages/` against the rota at its instant — dated in the
//! future, to someone not on call in a rota the alert pages then, or outside the duty
//! hours of the rota that was paged — so that TOIL is never claimed for a page the rota
//! says went elsewhere (docs/alerting.md, "The page log").

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::alerting::Routing;
use crate::model::{Alert, EscalationTarget, Rota};
use crate::schedule::RotaSchedule;
use crate::time::Instant;
use std::collections::HashMap;

pub const PAGE_LOG: Rule = Rule {
    id: RuleId::PageLog,
    explanation: "What it checks: each page in rota/pages/ against the rotas at its instant. A page dated after today (the clock's date, or `--today`, in the repository's time zone) is reported; so is a page to someone who, at that instant, held no position (shadows do not count) of any rota the alert pages then and was reached by none of those rotas' escalation steps (`person:ID`, or a position of the rota in `rota:ID`), and a page to someone who held a position of a rota the alert pages, but outside that rota's duty hours. Which rotas an alert pages at an instant is its `pages:`, or, for an alert read from the Prometheus rules, the rotas of the routes its labels reach whose time intervals let them notify then. Each finding names who held the rotas the alert pages at that instant. Pages of an alert whose route rota cannot tell are not checked.

Why: the page log is what time off in lieu is claimed from. A page the rota says went to someone else (a swap not written down, the wrong name typed, a date a month off) turns into TOIL nobody can justify, and the schedule and the log stop telling one story.

Example: `- { at: 2026-10-03T02:13, person: bob, alert: site-down }` when frank held the out-of-hours rota that night.

How to fix: correct the entry (person, date, alert); or, if bob did take the page for frank, write the swap as an override in the rota file, so the schedule says so too.",
    check: Some(page_log),
};

fn page_log(ctx: &Ctx, out: &mut Vec<Finding>) {
    let alerts: HashMap<&str, &Alert> =
        ctx.repo.alerts.iter().map(|a| (a.id.as_str(), a)).collect();
    let tz = ctx.repo.config.timezone;
    for page in &ctx.repo.pages {
        let Some(alert) = alerts.get(page.alert.id.as_str()) else {
            continue; // `unknown-reference`'s
        };
        let Some(rotas) = rotas_paged_at(ctx, alert, page.at) else {
            continue; // rota cannot tell whom it pages
        };
        let when = {
            let local = page.at.with_timezone(&tz);
            format!(
                "{} {}",
                local.format("%a %Y-%m-%d %H:%M"),
                local.format("%Z")
            )
        };
        let person = page.person.id.as_str();
        let future = crate::time::local_date(tz, page.at) > ctx.clock.today;
        let holders = holders_text(&rotas, page.at, future);
        if future {
            out.push(
                Finding::warning(
                    RuleId::PageLog,
                    page.loc,
                    format!(
                        "page to `{person}` for `{}` at {when} is dated in the future (today is {}){holders}",
                        alert.id, ctx.clock.today
                    ),
                )
                .with_help("log a page once it has happened; check the date (a month or a year off?)"),
            );
            continue;
        }
        let held: Vec<&(&Rota, &RotaSchedule)> = rotas
            .iter()
            .filter(|(rota, rs)| {
                holds_position(rs, person, page.at) || escalates_to(ctx, rota, person, page.at)
            })
            .collect();
        if held.is_empty() {
            let paged = if rotas.is_empty() {
                format!("alert `{}` pages no rota at that time", alert.id)
            } else {
                format!(
                    "`{person}` was not on call in {}, which alert `{}` pages then",
                    list(rotas.iter().map(|(r, _)| format!("`{}`", r.id))),
                    alert.id
                )
            };
            out.push(
                Finding::warning(
                    RuleId::PageLog,
                    page.loc,
                    format!("page to `{person}` at {when}: {paged}{holders}"),
                )
                .with_help("correct the person, date or alert; if they took the page for someone, write the swap as an override so the schedule says so"),
            );
            continue;
        }
        if !held.iter().any(|(_, rs)| rs.on_duty(page.at)) {
            out.push(
                Finding::warning(
                    RuleId::PageLog,
                    page.loc,
                    format!(
                        "page to `{person}` for `{}` at {when} is outside the duty hours of {}{holders}",
                        alert.id,
                        list(held.iter().map(|(r, _)| format!("`{}`", r.id)))
                    ),
                )
                .with_help("check the time (and its zone: a page log is in the repository's time zone unless the entry gives an offset), or the alert's routing: a page outside duty hours went to a rota that should not have been paged"),
            );
        }
    }
}

/// The rotas `alert` pages at `at`: `None` when rota cannot tell (its route depends on
/// the series, or there is no Alertmanager tree, and no `rota/alerts/` entry says; or
/// one of the rotas does not exist).
fn rotas_paged_at<'a>(
    ctx: &Ctx<'a>,
    alert: &Alert,
    at: Instant,
) -> Option<Vec<(&'a Rota, &'a RotaSchedule)>> {
    let ids: Vec<String> = match alert.rule.as_ref().map(|r| &r.routing) {
        Some(Routing::Routed(routed)) => {
            let am = ctx.repo.alerting.alertmanager.as_ref()?;
            let routes = am.root.all();
            let mut ids = Vec::new();
            for r in routed {
                let notifies = routes
                    .get(r.route)
                    .is_some_and(|route| route.notifies_at(&am.time_intervals, at));
                if notifies {
                    for id in r.rotas.iter().flatten() {
                        if !ids.contains(id) {
                            ids.push(id.clone());
                        }
                    }
                }
            }
            ids
        }
        Some(_) if alert.pages.is_empty() => return None,
        _ => alert.pages.iter().map(|p| p.id.clone()).collect(),
    };
    // A rota that does not exist (or did not load) is `unknown-reference`'s or a parse
    // error's: without it, whom the alert paged cannot be told.
    ids.iter()
        .map(|id| Some((ctx.model.rota(id)?, ctx.schedule.rota(id)?)))
        .collect()
}

/// Whether `person` holds a position of the rota that is not a shadow's at `at`.
fn holds_position(rs: &RotaSchedule, person: &str, at: Instant) -> bool {
    rs.positions.iter().filter(|p| !p.shadow).any(|p| {
        rs.segment_at_anywhere(&p.name, at)
            .is_some_and(|s| s.person.as_deref() == Some(person))
    })
}

/// Whether the rota's escalation reaches `person` at `at`: named (`person:ID`), or
/// holding a position of a rota it escalates to (`rota:ID`).
fn escalates_to(ctx: &Ctx, rota: &Rota, person: &str, at: Instant) -> bool {
    rota.escalation
        .iter()
        .flatten()
        .any(|step| match &step.notify {
            EscalationTarget::Person(p) => p == person,
            EscalationTarget::Rota(id) => ctx
                .schedule
                .rota(id)
                .is_some_and(|rs| holds_position(rs, person, at)),
            EscalationTarget::Position(_) => false,
        })
}

/// `; then `ooh` was held by frank (primary), grace (secondary)`, rota by rota; the
/// empty string when the alert pages no rota then.
fn holders_text(rotas: &[(&Rota, &RotaSchedule)], at: Instant, future: bool) -> String {
    if rotas.is_empty() {
        return String::new();
    }
    let tense = if future { "is planned to be" } else { "was" };
    let parts: Vec<String> = rotas
        .iter()
        .map(|(rota, rs)| {
            let held: Vec<String> = rs
                .positions
                .iter()
                .filter(|p| !p.shadow)
                .filter_map(|p| {
                    let person = rs.segment_at_anywhere(&p.name, at)?.person?;
                    Some(format!("{person} ({})", p.name))
                })
                .collect();
            let off = if rs.on_duty(at) {
                ""
            } else {
                ", off duty then"
            };
            if held.is_empty() {
                format!("`{}` {tense} held by nobody{off}", rota.id)
            } else {
                format!("`{}` {tense} held by {}{off}", rota.id, held.join(", "))
            }
        })
        .collect();
    format!("; at that instant {}", parts.join("; "))
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
