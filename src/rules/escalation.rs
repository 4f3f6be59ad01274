//! `escalation`: every paged rota has a chain primary → secondary → second line.

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::{EscalationTarget, Rota};
use std::collections::BTreeSet;

pub const ESCALATION: Rule = Rule {
    id: RuleId::Escalation,
    explanation: "What it checks: every rota that an alert pages has an `escalation` chain, and every chain is sound: `after` counts from the page, the first level is at `0m`, levels strictly increase, each comes at most `policy.ack_timeout` (default 5m) after the one before, there are at least two levels, every target resolves (a position of the rota, `rota:ID` — that rota's own chain — or `person:ID`) and no chain leads back to itself. A chain that never leaves the rota (no second line) is a warning.

Why: a page not acknowledged within 5 minutes must go to the secondary, and then to second line; a broken chain means an incident nobody hears about.

Example: `[{ after: 0m, notify: primary }, { after: 15m, notify: secondary }]` — 15 minutes is longer than the acknowledgement timeout, and there is no second line.

How to fix: `[{ after: 0m, notify: primary }, { after: 5m, notify: secondary }, { after: 10m, notify: \"rota:second-line\" }]`.",
    check: Some(escalation),
};

fn escalation(ctx: &Ctx, out: &mut Vec<Finding>) {
    let paged: BTreeSet<&str> = ctx
        .repo
        .alerts
        .iter()
        .flat_map(|a| a.pages.iter().map(|p| p.id.as_str()))
        .collect();
    for rota in &ctx.repo.rotas {
        let Some(steps) = &rota.escalation else {
            if paged.contains(rota.id.as_str()) {
                let alerts: Vec<&str> = ctx
                    .repo
                    .alerts
                    .iter()
                    .filter(|a| a.pages.iter().any(|p| p.id == rota.id))
                    .map(|a| a.id.as_str())
                    .collect();
                out.push(
                    Finding::error(
                        RuleId::Escalation,
                        rota.loc,
                        format!("rota `{}` is paged (by {}) but has no escalation chain", rota.id, alerts.join(", ")),
                    )
                    .with_help("add `escalation:` — primary at 0m, secondary at 5m, then `rota:SECOND-LINE`"),
                );
            }
            continue;
        };
        let ack = ctx.policy(rota).ack_timeout.approx_minutes();
        if steps.len() < 2 {
            out.push(
                Finding::error(
                    RuleId::Escalation,
                    rota.escalation_loc,
                    format!(
                        "rota `{}`'s escalation chain has {} level(s); at least two are needed",
                        rota.id,
                        steps.len()
                    ),
                )
                .with_help("escalate to the secondary when the primary does not acknowledge"),
            );
        }
        if let Some(first) = steps.first()
            && first.after.approx_minutes() != 0
        {
            out.push(
                    Finding::error(RuleId::Escalation, first.after_loc, format!("the first escalation level is at {}; it must be at 0m", first.after))
                        .with_help("`after` counts from the page: the first level is notified at once (`after: 0m`)"),
                );
        }
        for pair in steps.windows(2) {
            let (a, b) = (
                pair[0].after.approx_minutes(),
                pair[1].after.approx_minutes(),
            );
            if b <= a {
                out.push(
                    Finding::error(
                        RuleId::Escalation,
                        pair[1].after_loc,
                        format!(
                            "escalation levels must strictly increase: {} is not after {}",
                            pair[1].after, pair[0].after
                        ),
                    )
                    .with_help("`after` counts from the page, not from the level before"),
                );
            } else if b - a > ack {
                out.push(
                    Finding::error(
                        RuleId::Escalation,
                        pair[1].after_loc,
                        format!("{} minutes pass between {} and {}; a page escalates after at most {ack} minutes", b - a, pair[0].after, pair[1].after),
                    )
                    .with_help(format!("escalate at most {ack} minutes after the level before")),
                );
            }
        }
        let positions = rota.position_names();
        let mut leaves = false;
        for step in steps {
            match &step.notify {
                EscalationTarget::Position(p) => {
                    if !positions.contains(&p.as_str()) {
                        out.push(
                            Finding::error(
                                RuleId::Escalation,
                                step.notify_loc,
                                format!("`{p}` is not a position of rota `{}`", rota.id),
                            )
                            .with_help(format!(
                                "targets are a position ({}), `rota:ID` or `person:ID`",
                                positions.join(", ")
                            )),
                        );
                    }
                }
                EscalationTarget::Rota(r) => {
                    leaves = true;
                    match ctx.model.rota(r) {
                        None => out.push(
                            Finding::error(RuleId::Escalation, step.notify_loc, format!("unknown rota `{r}`"))
                                .with_help("rotas are the files in rota/rotas/"),
                        ),
                        Some(target) if target.escalation.is_none() => out.push(
                            Finding::error(RuleId::Escalation, step.notify_loc, format!("rota `{r}` has no escalation chain of its own to hand the page to"))
                                .with_help(format!("give rota `{r}` an `escalation:` chain")),
                        ),
                        Some(_) => {
                            if leads_back(ctx, r, &rota.id, &mut BTreeSet::new()) {
                                out.push(
                                    Finding::error(RuleId::Escalation, step.notify_loc, format!("escalating to rota `{r}` leads back to rota `{}`: a cycle", rota.id))
                                        .with_help("the last level of a chain must end somewhere: a second line that does not hand pages back"),
                                );
                            }
                        }
                    }
                }
                EscalationTarget::Person(p) => {
                    leaves = true;
                    if ctx.model.person(p).is_none() {
                        out.push(
                            Finding::error(
                                RuleId::Escalation,
                                step.notify_loc,
                                format!("unknown person `{p}`"),
                            )
                            .with_help("add them to rota/people.yaml, or fix the spelling"),
                        );
                    }
                }
            }
        }
        if !leaves && steps.len() >= 2 {
            out.push(
                Finding::warning(
                    RuleId::Escalation,
                    rota.escalation_loc,
                    format!(
                        "rota `{}`'s escalation chain never leaves the rota (no second line)",
                        rota.id
                    ),
                )
                .with_help("add a last level `notify: \"rota:SECOND-LINE\"` or `person:ID`"),
            );
        }
    }
}

/// Does following `rota:` targets from `from` reach `target`?
fn leads_back(ctx: &Ctx, from: &str, target: &str, seen: &mut BTreeSet<String>) -> bool {
    if from == target {
        return true;
    }
    if !seen.insert(from.to_string()) {
        return false;
    }
    let Some(rota): Option<&Rota> = ctx.model.rota(from) else {
        return false;
    };
    rota.escalation.iter().flatten().any(|s| match &s.notify {
        EscalationTarget::Rota(next) => leads_back(ctx, next, target, seen),
        _ => false,
    })
}
