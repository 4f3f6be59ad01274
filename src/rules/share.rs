//! `max-share`: nobody is on call half the time or more.

use super::{Ctx, Rule};
use crate::finding::{Finding, Level};

pub const MAX_SHARE: Rule = Rule {
    id: "max-share",
    default_level: Level::Error,
    lowerable: true,
    explanation: "What it checks: each person's share of on-call time — the instants they are on call (any position but shadow, any rota, inside duty hours) divided by the duty hours of the rotas they belong to — over their share window: from each rota's first handover today, `horizon` long, rounded up to whole rotation cycles so an even rota is not penalised for truncation. At or above `max_share` (50%) is an error; above `ideal_share` (30%) a warning. Shares are compared rounded to a whole percent. For someone on several rotas with their own `policy:` thresholds, the most lenient applies (a per-rota policy is a deliberate exception).

Why: nobody should be on call half the time or more, and ideally under 30%; being on call constrains where people can be and what they can do, even when nothing pages.

Example: 4 people on a primary/secondary weekly rota are each on call 50% of the time; 6 people are on 33% (warning); 8 people are on 25%.

How to fix: add members, drop a position that is not needed, or move someone who is on two rotas off one of them.",
    check: Some(max_share),
};

fn max_share(ctx: &Ctx, out: &mut Vec<Finding>) {
    let shares = ctx.shares();
    for person in &ctx.repo.people {
        let Some(share) = shares.get(&person.id) else {
            continue;
        };
        let rotas: Vec<&crate::model::Rota> = share
            .rotas
            .iter()
            .filter_map(|r| ctx.model.rota(r))
            .collect();
        let Some(first) = rotas.first() else { continue };
        // The most lenient of their rotas' policies (a per-rota policy is a deliberate exception).
        let max = rotas
            .iter()
            .map(|r| ctx.policy(r).max_share)
            .fold(0.0, f64::max);
        let ideal = rotas
            .iter()
            .map(|r| ctx.policy(r).ideal_share)
            .fold(0.0, f64::max);
        let pct = share.percent();
        let tz = ctx.repo.config.timezone;
        let span = format!(
            "{} to {}",
            crate::time::local_date(tz, share.window.start),
            crate::time::local_date(tz, share.window.end)
        );
        let message = format!(
            "{} is on call {pct}% of duty time ({}h of {}h, {span}, rota{} {})",
            person.id,
            share.on_call.num_hours(),
            share.duty.num_hours(),
            if rotas.len() > 1 { "s" } else { "" },
            share.rotas.join(", "),
        );
        let loc = ctx.member_loc(first, &person.id);
        if pct >= (max * 100.0).round() as i64 {
            out.push(
                Finding::error(
                    "max-share",
                    loc,
                    format!(
                        "{message}: {}% or more is unsustainable",
                        (max * 100.0).round()
                    ),
                )
                .with_help("add members to the rota, or take this person off one of their rotas"),
            );
        } else if pct > (ideal * 100.0).round() as i64 {
            out.push(
                Finding::warning("max-share", loc, format!("{message}: above the ideal {}%", (ideal * 100.0).round()))
                    .with_help("ideally nobody is on call more than 30% of the time: more members bring it down"),
            );
        }
    }
}
