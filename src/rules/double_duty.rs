//! `double-duty`: nobody holds positions on two rotas in turns that overlap.

use super::analysis::Grouped;
use super::{Ctx, Rule};
use crate::finding::{Finding, Level};
use crate::schedule::{Segment, Source};
use std::collections::BTreeMap;

pub const DOUBLE_DUTY: Rule = Rule {
    id: "double-duty",
    default_level: Level::Warning,
    lowerable: true,
    explanation: "What it checks: nobody holds a position (shadow positions excepted) on two rotas in turns that overlap in the check window — for example in-hours support by day and out-of-hours on call by night in the same week. Turns overlap when their spans from handover to handover do, whatever the duty hours; overrides count, so a trade that removes the overlap clears the finding. The finding names both turns.

Why: a week of in-hours support followed by nights on call leaves no time to recover, and a page on one rota takes the person away from the other; `max-share` only measures how much of the time someone is on call, not whether two rotas land on them at once.

Example: carol is the in-hours developer in the week from Wednesday 17 February and out-of-hours primary in the same week.

How to fix: give one rota's position an `offset` (or reorder its members) so that the person's turns fall in different weeks, or trade one of the two turns (an override with `replaces:`).",
    check: Some(double_duty),
};

/// One person holding one position of one rota for a while.
struct Hold<'a> {
    rota: usize,
    position: &'a str,
    segment: &'a Segment,
}

fn double_duty(ctx: &Ctx, out: &mut Vec<Finding>) {
    // Every holding in the check window, by person: one pass over the schedule.
    let mut holds: BTreeMap<&str, Vec<Hold>> = BTreeMap::new();
    for (i, _, rs) in ctx.rotas() {
        let window = ctx.rota_window(rs);
        for p in rs.positions.iter().filter(|p| !p.shadow) {
            for s in p.segments.iter().filter(|s| s.span().overlaps(&window)) {
                if let Some(person) = s.person.as_deref() {
                    holds.entry(person).or_default().push(Hold {
                        rota: i,
                        position: &p.name,
                        segment: s,
                    });
                }
            }
        }
    }
    let mut grouped = Grouped::new();
    for (person, mut list) in holds {
        if list.iter().all(|h| h.rota == list[0].rota) {
            continue;
        }
        list.sort_by_key(|h| (h.segment.start, h.rota));
        // Sweep in start order, keeping the holdings still running.
        let mut running: Vec<&Hold> = Vec::new();
        for hold in &list {
            running.retain(|r| r.segment.end > hold.segment.start);
            for earlier in running.iter().filter(|r| r.rota != hold.rota) {
                report(ctx, &mut grouped, person, earlier, hold);
            }
            running.push(hold);
        }
    }
    grouped.into_findings("double-duty", Level::Warning, out);
}

fn report(ctx: &Ctx, grouped: &mut Grouped, person: &str, a: &Hold, b: &Hold) {
    // Name the two in the rotas' file order; blame an override that made one of them,
    // else the holding on the later rota.
    let (first, second) = if a.rota <= b.rota { (a, b) } else { (b, a) };
    let by_override = |h: &Hold| matches!(h.segment.source, Source::Override(_));
    let blamed = if by_override(first) && !by_override(second) {
        first
    } else {
        second
    };
    let describe = |h: &Hold| {
        let rota = &ctx.repo.rotas[h.rota];
        format!(
            "`{}` on rota `{}` from {} to {}",
            h.position,
            rota.id,
            ctx.when(rota, h.segment.start),
            ctx.when(rota, h.segment.end)
        )
    };
    let rota = &ctx.repo.rotas[blamed.rota];
    let Some(rs) = ctx.schedule.rota(&rota.id) else {
        return;
    };
    grouped.add_keyed(
        ctx.segment_loc(rota, rs, blamed.segment),
        format!("{person} {} {}", first.rota, second.rota),
        format!(
            "{person} holds {} and {} at the same time",
            describe(first),
            describe(second)
        ),
        Some(format!(
            "give one of the positions an `offset` (or reorder the members) so {person}'s turns on `{}` and `{}` fall apart, or trade one of the turns (an override with `replaces:`)",
            ctx.repo.rotas[first.rota].id,
            ctx.repo.rotas[second.rota].id
        )),
    );
}
