//! Rules only the team's real alerting can give (docs/alerting.md, "Findings"):
//! `alert-route` (receivers and routes against `alerting.receivers`, alerts whose route
//! depends on the series), `alert-coverage` (each alert that must be covered at every
//! hour reaches a rota on duty at every instant), `runbook-linked` (runbooks nothing
//! links to).

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::alerting::Route;
use crate::model::alerting::Routing;
use crate::schedule::interval::{self, Interval};
use chrono::TimeDelta;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

pub const ALERT_ROUTE: Rule = Rule {
    id: RuleId::AlertRoute,
    explanation: "What it checks, when `alerting.alertmanager` is set: every receiver a route of the Alertmanager tree sends to is named in `alerting.receivers` (error); every receiver defined under `receivers:` is reached by some route (warning); an alerting rule whose labels are templated (`{{ … }}`) is reported as one whose route rota cannot tell (warning: it depends on the series, and rota does not guess); an entry of `rota/alerts/` that refines an alert read from the rules agrees with it (same severity, summary, rotas and runbook), and one that refines nothing has its `summary` and `severity`; `alerting.alertmanager` names a file that exists, and `alerting.rules` matches some file (warning).

Why: the answer to \"who gets paged\" is only as true as the map from Alertmanager's receivers to rotas. A receiver that no rota stands behind pages someone rota knows nothing about; a receiver nothing reaches is dead configuration; two copies that disagree are one copy too many.

Example: `receiver: pager-weekend` on a route, with no `pager-weekend:` under `alerting.receivers`.

How to fix: map the receiver to its rota (`pager-weekend: out-of-hours`), or to `[]` when it pages nobody (a ticket queue, a chat channel); remove a receiver nothing routes to; make the refining entry agree with the rule (or drop the field it repeats).",
    check: Some(alert_route),
};

pub const ALERT_COVERAGE: Rule = Rule {
    id: RuleId::AlertCoverage,
    explanation: "What it checks: each alert read from the rules whose severity must be covered at every hour (`every_hour: true` under `severities:` in rota/config.yaml; by default `critical`) reaches, at every instant of the check window, a rota on duty: among the routes its labels reach, one whose time intervals let it notify then, mapped to a rota on duty then.

Why: the repository-wide `coverage-gap` is satisfied when *some* alert's rota is on duty; a critical alert routed only to the out-of-hours rota still pages nobody in working hours, and nothing else says so.

Example: `severity: critical` routed only to `pager-out-of-hours` (out-of-hours rota): nobody is paged on weekdays from 09:00 to 17:30.

How to fix: add a route (or `continue: true`) that sends the alert to a receiver of the rota on duty in the gap, or lower the severity if it can wait.",
    check: Some(alert_coverage),
};

pub const RUNBOOK_LINKED: Rule = Rule {
    id: RuleId::RunbookLinked,
    explanation: "What it checks, when `alerting.rules` is set: every runbook is linked to by an alert (its `runbook_url`, or `runbook:` in rota/alerts/) or by another runbook. Index pages (`index`, `_index`, `readme`) are exempt.

Why: a runbook nobody can reach from a page is not read at 3 a.m.; usually its alert was renamed and the link now leads elsewhere, or the alert is gone and the page is stale.

Example: runbooks/old-queue.md, with no rule's `runbook_url` pointing at it.

How to fix: point the alert's `runbook_url` at it, link it from a related runbook, or delete it.",
    // Checked with the links between runbooks (`catalogue::runbook_links`), which parses
    // every page once for both.
    check: None,
};

fn alert_route(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(config) = &ctx.repo.config.alerting else {
        return;
    };
    let Some(am) = &ctx.repo.alerting.alertmanager else {
        return;
    };
    let routes = am.root.all();
    let mut reached: BTreeSet<&str> = BTreeSet::new();
    for route in &routes {
        if reached.insert(route.receiver.as_str())
            && !config.receivers.contains_key(&route.receiver)
        {
            out.push(
                Finding::error(
                    RuleId::AlertRoute,
                    route.receiver_loc,
                    format!(
                        "receiver `{}` is reached by a route but `alerting.receivers` maps it to no rota",
                        route.receiver
                    ),
                )
                .with_help(format!(
                    "add `{}: ROTA` under `alerting.receivers` in rota/config.yaml, or `{}: []` if it pages nobody",
                    route.receiver, route.receiver
                )),
            );
        }
    }
    for (name, loc) in &am.receivers {
        if !reached.contains(name.as_str()) {
            out.push(
                Finding::warning(
                    RuleId::AlertRoute,
                    *loc,
                    format!("receiver `{name}` is reached by no route"),
                )
                .with_help("route alerts to it, or remove it"),
            );
        }
    }
    for alert in &ctx.repo.alerts {
        if let Some(Routing::DependsOnSeries { labels, loc }) =
            alert.rule.as_ref().map(|r| &r.routing)
        {
            if !alert.pages.is_empty() {
                continue; // a `rota/alerts/` entry says whom it pages
            }
            out.push(
                Finding::warning(
                    RuleId::AlertRoute,
                    *loc,
                    format!(
                        "alert `{}`: whom it pages depends on the series (templated label {}): rota cannot check its route",
                        alert.id,
                        labels.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .with_help(format!(
                    "give the rule static labels, or add `- {{ id: {}, pages: [ROTA] }}` in rota/alerts/ to say whom it pages",
                    alert.id
                )),
            );
        }
    }
}

/// The instants in `window` at which `route` may notify, merged. Whether it may changes
/// only where one of its time intervals may change its answer
/// ([`TimeInterval::changes`](crate::model::alerting::TimeInterval::changes)), so it is
/// asked once per stretch between those instants, not once per minute.
fn notify_windows(ctx: &Ctx, route: &Route, window: Interval) -> Vec<Interval> {
    let Some(am) = &ctx.repo.alerting.alertmanager else {
        return vec![];
    };
    if route.active_time_intervals.is_empty() && route.mute_time_intervals.is_empty() {
        return vec![window];
    }
    let mut points = vec![window.start];
    for name in route
        .active_time_intervals
        .iter()
        .chain(&route.mute_time_intervals)
    {
        for entry in am.time_intervals.get(name).into_iter().flatten() {
            points.extend(entry.changes(window.start, window.end));
        }
    }
    points.sort_unstable();
    points.dedup();
    let mut spans = Vec::new();
    let mut open: Option<crate::time::Instant> = None;
    for &at in &points {
        let on = route.notifies_at(&am.time_intervals, at);
        match (on, open) {
            (true, None) => open = Some(at),
            (false, Some(start)) => {
                spans.push(Interval::new(start, at));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        spans.push(Interval::new(start, window.end));
    }
    spans
}

fn alert_coverage(ctx: &Ctx, out: &mut Vec<Finding>) {
    let Some(config) = &ctx.repo.config.alerting else {
        return;
    };
    let Some(am) = &ctx.repo.alerting.alertmanager else {
        return;
    };
    let routes = am.root.all();
    let window = Interval::new(ctx.today_start, ctx.window_end);
    let tz = ctx.repo.config.timezone;
    let mut windows_of_route: HashMap<usize, Vec<Interval>> = HashMap::new();
    // Per distinct set of reached routes: the uncovered spans and the rotas reached.
    let mut gaps_of: HashMap<Vec<usize>, (Vec<Interval>, Vec<String>)> = HashMap::new();
    for alert in &ctx.repo.alerts {
        if !alert.severity.covered_at_every_hour() {
            continue;
        }
        let Some(Routing::Routed(routed)) = alert.rule.as_ref().map(|r| &r.routing) else {
            continue;
        };
        let key: Vec<usize> = routed.iter().map(|r| r.route).collect();
        let (gaps, rotas) = gaps_of.entry(key).or_insert_with(|| {
            let mut covered = Vec::new();
            let mut rotas: Vec<String> = Vec::new();
            for r in routed {
                let Some(ids) = config.receivers.get(&r.receiver).map(|(ids, _)| ids) else {
                    continue;
                };
                let Some(route) = routes.get(r.route) else {
                    continue;
                };
                let notifies = windows_of_route
                    .entry(r.route)
                    .or_insert_with(|| notify_windows(ctx, route, window))
                    .clone();
                for id in ids {
                    if !rotas.contains(&id.id) {
                        rotas.push(id.id.clone());
                    }
                    if let Some(rs) = ctx.schedule.rota(&id.id) {
                        let duty = interval::clip(&rs.duty, window);
                        covered.extend(interval::intersect(&duty, &notifies));
                    }
                }
            }
            let covered = interval::merge(covered);
            (interval::subtract(&[window], &covered), rotas)
        });
        let Some(first) = gaps.first() else {
            continue;
        };
        let start = first.start.with_timezone(&tz);
        let reaches = if rotas.is_empty() {
            "it reaches no rota".to_string()
        } else {
            format!(
                "it reaches {}",
                rotas
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let more = if gaps.len() > 1 {
            format!(" ({} such gaps in the check window)", gaps.len())
        } else {
            String::new()
        };
        out.push(
            Finding::error(
                RuleId::AlertCoverage,
                alert.severity_loc,
                format!(
                    "alert `{}` is {} but pages nobody from {} {} for {}{more}: {reaches}, none on duty then",
                    alert.id,
                    alert.severity.as_str(),
                    start.format("%a %Y-%m-%d %H:%M"),
                    start.format("%Z"),
                    length(first.len()),
                ),
            )
            .with_help("route it also to a receiver of the rota on duty in the gap (`continue: true`), or lower its severity if it can wait"),
        );
    }
}

/// `3d 4h 30m`.
fn length(d: TimeDelta) -> String {
    let minutes = d.num_minutes();
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(format!("{days}d"));
    }
    if hours > 0 {
        parts.push(format!("{hours}h"));
    }
    if mins > 0 || parts.is_empty() {
        parts.push(format!("{mins}m"));
    }
    parts.join(" ")
}

fn is_index(slug: &str) -> bool {
    let last = slug.rsplit('/').next().unwrap_or(slug).to_lowercase();
    matches!(last.as_str(), "index" | "_index" | "readme")
}

/// `runbook-linked`: `linked[i]` says whether another runbook links to runbook `i`
/// (from [`super::catalogue::runbook_links`]); an alert's runbook counts too. Not while
/// the data has parse errors (an alert that failed to load may be what links a page).
pub fn runbook_linked(ctx: &Ctx, linked: &[bool], out: &mut Vec<Finding>) {
    if ctx
        .repo
        .config
        .alerting
        .as_ref()
        .is_none_or(|a| a.rules.is_empty())
        || super::shape::parse_errors_in_data(ctx.model) > 0
    {
        return;
    }
    let from_alerts: HashSet<String> = ctx
        .repo
        .alerts
        .iter()
        .filter_map(|a| a.runbook.as_ref().map(|r| r.id.to_lowercase()))
        .collect();
    let mut orphans: BTreeMap<&str, &crate::model::Runbook> = BTreeMap::new();
    for (rb, linked) in ctx.repo.runbooks.iter().zip(linked) {
        if !linked && !is_index(&rb.slug) && !from_alerts.contains(&rb.slug.to_lowercase()) {
            orphans.insert(rb.slug.as_str(), rb);
        }
    }
    for rb in orphans.values() {
        out.push(
            Finding::warning(
                RuleId::RunbookLinked,
                rb.loc,
                format!("runbook `{}` is linked to by no alert and no other runbook", rb.slug),
            )
            .with_help("point an alert's `runbook_url` at it, link it from a related runbook, or delete it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::length;
    use chrono::TimeDelta;

    #[test]
    fn lengths_read_as_days_hours_minutes() {
        assert_eq!(length(TimeDelta::minutes(510)), "8h 30m");
        assert_eq!(length(TimeDelta::days(2) + TimeDelta::hours(1)), "2d 1h");
        assert_eq!(length(TimeDelta::zero()), "0m");
    }
}
