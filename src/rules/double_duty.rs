//! `double-duty`: nobody holds positions on two rotas in turns that overlap.

use super::context::Grouped;
use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::{Block, Named, Position, Rota};
use crate::schedule::{RotaSchedule, Segment, Source};
use crate::time::Instant;
use chrono::TimeDelta;
use std::collections::BTreeMap;

pub const DOUBLE_DUTY: Rule = Rule {
    id: RuleId::DoubleDuty,
    explanation: "What it checks: nobody holds a position (shadow positions excepted) on two rotas in turns that overlap in the check window — for example in-hours support by day and out-of-hours on call by night in the same week. Turns overlap when their spans from handover to handover do, whatever the duty hours; overrides count, so a trade that removes the overlap clears the finding. The finding names both turns.

Why: a week of in-hours support followed by nights on call leaves no time to recover, and a page on one rota takes the person away from the other; `max-share` only measures how much of the time someone is on call, not whether two rotas land on them at once.

Example: carol is the in-hours developer in the week from Wednesday 17 February and out-of-hours primary in the same week.

How to fix: the help is worked out for the two member lists. With weekly (or any equal) turns that hand over together, a person's turns come round every n turns on one rota and every m on the other, so they meet again and again unless their places differ modulo the greatest common divisor of n and m. When n and m have no common divisor (6 and 7, say) no `offset` or order can remove the clash: the help says so and suggests member lists of a common length, a block in which the person is on one rota only, or a trade. When they share a divisor the help names an `offset` that parts every member of both lists, if there is one, else says to reorder a list. When the turns differ in length or hand over at different times it does not guess. A clash an override made is settled by trading that turn.",
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
    let mut helps = Helps::new();
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
                report(ctx, &mut grouped, &mut helps, person, earlier, hold);
            }
            running.push(hold);
        }
    }
    grouped.into_findings(RuleId::DoubleDuty, out);
}

/// Each help worked out once per person, pair of positions and pair of blocks (or the
/// override that made the clash): hourly turns make thousands of clashes of one kind,
/// and the help reads the schedule.
type Helps = BTreeMap<(String, [HoldKind; 2]), String>;

/// A holding as far as the help is concerned: the rota, the position, the block of its
/// turn and the override that made it, if one did.
type HoldKind = (usize, String, Option<usize>, Option<usize>);

fn help_key(ctx: &Ctx, person: &str, first: &Hold, second: &Hold) -> (String, [HoldKind; 2]) {
    let part = |h: &Hold| {
        let block = ctx
            .repo
            .rotas
            .get(h.rota)
            .and_then(|r| ctx.schedule.rota(&r.id))
            .and_then(|rs| rs.turns.get(h.segment.turn))
            .map(|t| t.block);
        let by_override = match h.segment.source {
            Source::Override(i) => Some(i),
            Source::Rotation => None,
        };
        (h.rota, h.position.to_string(), block, by_override)
    };
    (person.to_string(), [part(first), part(second)])
}

fn report(ctx: &Ctx, grouped: &mut Grouped, helps: &mut Helps, person: &str, a: &Hold, b: &Hold) {
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
        Some(
            helps
                .entry(help_key(ctx, person, first, second))
                .or_insert_with(|| help(ctx, person, first, second))
                .clone(),
        ),
    );
}

/// One position of one rota in the turn of a clash, as the rotation fills it.
struct Drawn<'a> {
    rota: &'a Rota,
    rs: &'a RotaSchedule,
    block: &'a Block,
    position: &'a Position,
    members: &'a [Named],
}

impl<'a> Drawn<'a> {
    fn of(ctx: &'a Ctx, hold: &Hold<'a>) -> Option<Drawn<'a>> {
        let rota = ctx.repo.rotas.get(hold.rota)?;
        let rs = ctx.schedule.rota(&rota.id)?;
        let block = rota.blocks.get(rs.turns.get(hold.segment.turn)?.block)?;
        let position = block.positions.iter().find(|p| p.name == hold.position)?;
        Some(Drawn {
            rota,
            rs,
            block,
            position,
            members: block.members_of(position),
        })
    }

    /// The turn number (counted in turns of `every` from `origin`) of each turn in which
    /// the rotation gives `person` this position, from the schedule.
    fn turns_of(&self, person: &str, origin: Instant, every: TimeDelta) -> Vec<i64> {
        let Some(timeline) = self
            .rs
            .positions
            .iter()
            .find(|p| p.name == self.position.name)
        else {
            return Vec::new();
        };
        timeline
            .segments
            .iter()
            .filter(|s| s.source == Source::Rotation && s.person.as_deref() == Some(person))
            .filter_map(|s| self.rs.turns.get(s.turn))
            .filter(|t| std::ptr::eq(&self.rota.blocks[t.block], self.block))
            .map(|t| {
                // To the nearest turn: a clock change moves a handover an hour in UTC.
                let every = every.num_seconds().max(1);
                ((t.start - origin).num_seconds() + every / 2).div_euclid(every)
            })
            .collect()
    }
}

/// An order of `b`'s members in which each member of both lists (`shared`: name, the
/// residue modulo `g` of their turns on the other rota and on `b`) comes at a place whose
/// turns fall in another residue than on the other rota; the others keep their order in
/// the places left. A member at place i holds the turns i − c (mod the list length) for
/// a constant c of the position, read from any member's place and turn.
fn parting_order(b: &Drawn, shared: &[(&str, i64, i64)], g: i64) -> Option<Vec<String>> {
    let place = |name: &str| b.members.iter().position(|m| m.id == name);
    let &(first, _, rb) = shared.first()?;
    let c = (place(first)? as i64 - rb).rem_euclid(g);
    // Most constrained first: the residue most of them must avoid.
    let mut todo: Vec<(&str, i64)> = shared.iter().map(|&(p, ra, _)| (p, ra)).collect();
    let count = |r: i64| todo.iter().filter(|(_, x)| *x == r).count();
    let counts: Vec<usize> = todo.iter().map(|&(_, r)| count(r)).collect();
    let mut keyed: Vec<(usize, &str, i64)> = todo
        .drain(..)
        .zip(counts)
        .map(|((p, r), n)| (n, p, r))
        .collect();
    keyed.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(y.1)));
    let mut slots: Vec<Option<String>> = vec![None; b.members.len()];
    for (_, person, ra) in keyed {
        let free = (0..slots.len())
            .find(|&i| slots[i].is_none() && (i as i64 - c - ra).rem_euclid(g) != 0)?;
        slots[free] = Some(person.to_string());
    }
    let mut rest = b
        .members
        .iter()
        .filter(|m| !shared.iter().any(|(p, _, _)| *p == m.id))
        .map(|m| m.id.clone());
    slots
        .into_iter()
        .map(|s| s.or_else(|| rest.next()))
        .collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// What can remove this clash, worked out for the case at hand (docs/rules.md#double-duty):
/// with member lists of n and m and turns of the same length that hand over together,
/// a member's turns on the two rotas come round every n and every m turns, so they meet
/// again and again unless their places differ modulo gcd(n, m); with gcd 1 no offset or
/// order can part them. Otherwise an offset (or an order) that parts every member of
/// both lists is named when there is one; anything else gets the advice that always holds.
fn help(ctx: &Ctx, person: &str, first: &Hold, second: &Hold) -> String {
    let trade = "trade one of the two turns (`rota swap`, or an override with `replaces:`)";
    for hold in [first, second] {
        if let Source::Override(i) = hold.segment.source {
            let rota = &ctx.repo.rotas[hold.rota];
            let line = rota.overrides.get(i).map_or(rota.loc.line, |o| o.loc.line);
            return format!(
                "the override on line {line} of rota `{}` puts {person} there: give that turn to someone who is free then, or {trade}",
                rota.id
            );
        }
    }
    let (Some(a), Some(b)) = (Drawn::of(ctx, first), Drawn::of(ctx, second)) else {
        return trade.to_string();
    };
    let (n, m) = (a.members.len(), b.members.len());
    let names = format!(
        "`{}` on `{}` draws from {n} members and `{}` on `{}` from {m}",
        a.position.name, a.rota.id, b.position.name, b.rota.id
    );
    let always = format!(
        "give both positions member lists of a common length, start a block in which {person} is on only one of the two rotas, or {trade}"
    );
    let every = a.block.every.times(1);
    let turn_a = &a.rs.turns[first.segment.turn];
    let turn_b = &b.rs.turns[second.segment.turn];
    let in_step = a.block.every == b.block.every
        && (turn_a.start - turn_b.start).num_seconds() % every.num_seconds().max(1) == 0;
    if a.block.every != b.block.every {
        return format!(
            "{names}, with turns of {} and {}: whether an `offset` or another order parts {person}'s turns for good depends on more than the list lengths; {always}",
            a.block.every, b.block.every
        );
    }
    let g = gcd(n, m);
    if g <= 1 {
        return format!(
            "{names}: as {n} and {m} have no common divisor, every pairing of a place on one list with a place on the other comes round, so no `offset` or order of the members removes this for good; {always}"
        );
    }
    if !in_step {
        return format!(
            "{names}, and the two rotas hand over at different times: whether an `offset` parts {person}'s turns for good depends on more than the list lengths; {always}"
        );
    }
    // Each member of both lists: the residue modulo g of their turns on each rota.
    let origin = turn_a.start;
    let mut shared: Vec<(&str, i64, i64)> = Vec::new();
    for member in a
        .members
        .iter()
        .filter(|x| b.members.iter().any(|y| y.id == x.id))
    {
        let on_a = a.turns_of(&member.id, origin, every);
        let on_b = b.turns_of(&member.id, origin, every);
        let (Some(ra), Some(rb)) = (on_a.first(), on_b.first()) else {
            return format!(
                "{names}: the schedule does not show every member's turns, so rota cannot say which `offset` parts them; {always}"
            );
        };
        if shared.iter().all(|(p, _, _)| *p != member.id) {
            shared.push((&member.id, ra.rem_euclid(g as i64), rb.rem_euclid(g as i64)));
        }
    }
    // A larger `offset` on b's position gives each member an earlier turn there.
    let g_i = g as i64;
    let parts = |d: i64| {
        shared
            .iter()
            .all(|(_, ra, rb)| (rb - d - ra).rem_euclid(g_i) != 0)
    };
    let alone = |d: &Drawn| {
        !d.block
            .positions
            .iter()
            .any(|p| !p.shadow && p.name != d.position.name && d.block.members_of(p) == d.members)
    };
    if alone(&b)
        && let Some(d) = (1..g_i).find(|&d| parts(d))
    {
        return format!(
            "{names}, and {g} divides both: set `offset: {}` on `{}` of rota `{}` (now {}) and no member of both lists holds the two positions in the same turn (it moves everyone's turns on `{}` by {d}); or {trade}",
            b.position.offset + d,
            b.position.name,
            b.rota.id,
            b.position.offset,
            b.rota.id
        );
    }
    if alone(&b)
        && b.rota.blocks.len() == 1
        && b.block.first.is_none()
        && let Some(order) = parting_order(&b, &shared, g_i)
    {
        return format!(
            "{names}, and {g} divides both, but no single `offset` parts all {} people on both lists; an order does: list the members of `{}` on rota `{}` as [{}] and no member of both lists holds the two positions in the same turn; or {trade}",
            shared.len(),
            b.position.name,
            b.rota.id,
            order.join(", ")
        );
    }
    format!(
        "{names}, and {g} divides both, but no single `offset` parts all {} people on both lists: reorder the members of one list so that each of them comes at a place that differs, modulo {g}, from where their turn falls on the other rota; or {always}",
        shared.len()
    )
}
