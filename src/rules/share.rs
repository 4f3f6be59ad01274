//! `max-share`: nobody is on call half the time or more.

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::Rota;

pub const MAX_SHARE: Rule = Rule {
    id: RuleId::MaxShare,
    explanation: "What it checks: each person's share of on-call time, measured on each rota they are a member of and across all their rotas together; the highest of these counts. A share is the time they are on call (any position but shadow, inside duty hours) divided by the duty hours of the rota (or of all their rotas together), over the share window: from each rota's first handover today, `horizon` long, rounded up to whole rotation cycles so an even rota is not penalised for truncation (across rotas: from the earliest start to the latest end of those windows). At or above `max_share` (50%) is an error; above `ideal_share` (30%) a warning — exactly 30% is fine. Shares are compared rounded to a whole percent. The thresholds are those of the rota that gives the share (its own `policy:` if it has one); across all rotas, the most lenient of them applies. The finding and `rota report` say which rota, or all rotas, gives the share.

Why: nobody should be on call half the time or more (one week in every two), and ideally under 30%; being on call constrains where people can be and what they can do, even when nothing pages. Measuring each rota on its own means that sitting on a second, in-hours rota does not hide a one-week-in-two out-of-hours rota; measuring across rotas catches someone spread over two rotas that are each fine alone.

Example: 4 people on a primary/secondary weekly rota are each on call 50% of the time — an error even for someone who is also on an in-hours rota; 6 people are on 33% (warning); 8 people are on 25%.

How to fix: add members, drop a position that is not needed, or move someone who is on two rotas off one of them.",
    check: Some(max_share),
};

fn max_share(ctx: &Ctx, out: &mut Vec<Finding>) {
    let shares = ctx.shares();
    let tz = ctx.repo.config.timezone;
    for person in &ctx.repo.people {
        let Some(share) = shares.get(&person.id) else {
            continue;
        };
        let rotas: Vec<&Rota> = share
            .rotas
            .iter()
            .filter_map(|r| ctx.model.rota(r))
            .collect();
        let giving: Vec<&Rota> = match &share.of {
            Some(id) => rotas.iter().copied().filter(|r| &r.id == id).collect(),
            None => rotas.clone(),
        };
        let Some(first) = giving.first() else {
            continue;
        };
        // The rota's own policy; across rotas, the most lenient (a per-rota policy is a
        // deliberate exception).
        let max = giving
            .iter()
            .map(|r| ctx.policy(r).max_share)
            .fold(0.0, f64::max);
        let ideal = giving
            .iter()
            .map(|r| ctx.policy(r).ideal_share)
            .fold(0.0, f64::max);
        let pct = share.percent();
        let span = format!(
            "{} to {}",
            crate::time::local_date(tz, share.window.start),
            crate::time::local_date(tz, share.window.end)
        );
        let of = match &share.of {
            Some(id) => format!("rota `{id}`"),
            None => format!("all their rotas together ({})", share.rotas.join(", ")),
        };
        let message = format!(
            "{} is on call {pct}% of the duty time of {of} ({}h of {}h, {span})",
            person.id,
            share.on_call.num_hours(),
            share.duty.num_hours(),
        );
        let loc = ctx.member_loc(first, &person.id);
        let (max_pct, ideal_pct) = ((max * 100.0).round() as i64, (ideal * 100.0).round() as i64);
        if pct >= max_pct {
            out.push(
                Finding::error(
                    RuleId::MaxShare,
                    loc,
                    format!("{message}: {max_pct}% or more is unsustainable"),
                )
                .with_help("add members to the rota, or take this person off one of their rotas"),
            );
        } else if pct > ideal_pct {
            out.push(
                Finding::warning(RuleId::MaxShare, loc, format!("{message}: above the ideal {ideal_pct}%"))
                    .with_help(format!("ideally nobody is on call more than {ideal_pct}% of the time: more members bring it down")),
            );
        }
    }
}
