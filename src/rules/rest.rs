//! `rest`: nobody is on duty, across all their rotas together, for longer than the
//! policy's consecutive turns without a break.

use super::context::Grouped;
use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::schedule::{Segment, Source};
use crate::time::Instant;
use chrono::TimeDelta;
use std::collections::BTreeMap;

pub const REST: Rule = Rule {
    id: RuleId::Rest,
    explanation: "What it checks: nobody holds positions (shadow positions excepted), on two or more rotas taken together, for longer than `policy.max_consecutive_turns` (default 2) turns without a break — in-hours support and out-of-hours on call count alike. A person's turns, from handover to handover, make one run while the next starts less than a day after the last ends; a run is too long when it lasts a day or more beyond the most any of its rotas allows (that rota's `max_consecutive_turns` times its turn length). Runs on one rota alone are `back-to-back`'s. Overrides count, so a trade that makes a run is flagged where it is written.

Why: guidance on on-call work (for example the Google SRE book's chapter on being on call, and working-time rules that ask for a rest period between duty weeks) asks for a break between on-call weeks; a week out of hours followed straight by two weeks in hours is three weeks running with no time to recover, though neither rota alone shows it.

Example: priya is out of hours from Wednesday 16 December to Wednesday 23 December, then in hours from 23 December to Wednesday 6 January: three weeks running where the policy allows two.

How to fix: trade one of the turns at either end of the run with someone who is not on duty then (`rota swap`), or give one rota's position an `offset` so that the person's turns on the two rotas do not follow each other.",
    check: Some(rest),
};

/// A person's holding of one position for a while, with what allows it.
struct Hold<'a> {
    start: Instant,
    end: Instant,
    /// Index into `repo.rotas`.
    rota: usize,
    /// The longest this rota lets a run last: its `max_consecutive_turns` times the
    /// length of this turn's block.
    allowed: TimeDelta,
    segment: &'a Segment,
}

/// Turns less than this apart make one run (handovers at different hours on two rotas
/// are no break).
const NO_BREAK: TimeDelta = TimeDelta::days(1);

fn rest(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut holds: BTreeMap<&str, Vec<Hold>> = BTreeMap::new();
    for (i, rota, rs) in ctx.rotas() {
        let max = i64::from(ctx.policy(rota).max_consecutive_turns);
        for p in rs.positions.iter().filter(|p| !p.shadow) {
            for s in &p.segments {
                let (Some(person), Some(turn)) = (s.person.as_deref(), rs.turns.get(s.turn)) else {
                    continue;
                };
                let Some(block) = rota.blocks.get(turn.block) else {
                    continue;
                };
                holds.entry(person).or_default().push(Hold {
                    start: s.start,
                    end: s.end,
                    rota: i,
                    allowed: block
                        .every
                        .times(1)
                        .checked_mul(max as i32)
                        .unwrap_or(TimeDelta::MAX),
                    segment: s,
                });
            }
        }
    }
    let mut grouped = Grouped::new();
    for (person, mut list) in holds {
        if list.iter().all(|h| h.rota == list[0].rota) {
            continue;
        }
        list.sort_by_key(|h| (h.start, h.rota));
        let mut run: Vec<&Hold> = Vec::new();
        let mut run_end = Instant::MIN_UTC;
        for hold in &list {
            if !run.is_empty() && hold.start - run_end >= NO_BREAK {
                report(ctx, &mut grouped, person, &run, run_end);
                run.clear();
            }
            run_end = if run.is_empty() {
                hold.end
            } else {
                run_end.max(hold.end)
            };
            run.push(hold);
        }
        if !run.is_empty() {
            report(ctx, &mut grouped, person, &run, run_end);
        }
    }
    grouped.into_findings(RuleId::Rest, out);
}

/// Reports one run of `person`'s holdings (in start order, ending at `end`) when it spans
/// two rotas or more, lasts too long and reaches into the check window.
fn report(ctx: &Ctx, grouped: &mut Grouped, person: &str, run: &[&Hold], end: Instant) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    let mut rotas: Vec<usize> = run.iter().map(|h| h.rota).collect();
    rotas.sort_unstable();
    rotas.dedup();
    if rotas.len() < 2 || end <= ctx.today_start || first.start >= ctx.window_end {
        return;
    }
    let allowed = run
        .iter()
        .map(|h| h.allowed)
        .max()
        .unwrap_or(TimeDelta::MAX);
    if end - first.start < allowed.checked_add(&NO_BREAK).unwrap_or(TimeDelta::MAX) {
        return;
    }
    // Blame an override in the run (what made it), else the holding that ends it.
    let blamed = run
        .iter()
        .rev()
        .find(|h| matches!(h.segment.source, Source::Override(_)))
        .unwrap_or(last);
    let blamed_rota = &ctx.repo.rotas[blamed.rota];
    let Some(rs) = ctx.schedule.rota(&blamed_rota.id) else {
        return;
    };
    let names: Vec<String> = rotas
        .iter()
        .map(|&i| format!("`{}`", ctx.repo.rotas[i].id))
        .collect();
    let first_rota = &ctx.repo.rotas[first.rota];
    let last_rota = &ctx.repo.rotas[last.rota];
    grouped.add_keyed(
        ctx.segment_loc(blamed_rota, rs, blamed.segment),
        format!("{person} {}", first.start),
        format!(
            "{person} is on duty without a break from {} to {} on rotas {} (about {} days; the policy allows {} days running)",
            ctx.when(first_rota, first.start),
            ctx.when(last_rota, end),
            names.join(" and "),
            (end - first.start).num_hours().div_euclid(24),
            allowed.num_hours().div_euclid(24),
        ),
        Some(format!(
            "trade {person}'s first or last turn of the run with someone who is not on duty then (`rota swap`), or give one rota's position an `offset` so {person}'s turns on {} do not follow each other",
            names.join(" and ")
        )),
    );
}
