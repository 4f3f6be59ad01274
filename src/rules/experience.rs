//! Rules about experience and rest: `first-timer-paired`, `in-hours-first`,
//! `back-to-back`. A turn counts for a person when they hold at least half of its duty
//! hours.

use super::analysis::Grouped;
use super::{Ctx, Rule};
use crate::finding::{Finding, Level};
use crate::model::RotaKind;
use crate::schedule::RotaSchedule;
use crate::source::Loc;
use crate::time::Instant;
use std::collections::BTreeMap;

pub const FIRST_TIMER_PAIRED: Rule = Rule {
    id: "first-timer-paired",
    default_level: Level::Error,
    lowerable: true,
    explanation: "What it checks: in every out-of-hours turn where someone has served fewer than `policy.experienced_after` (default 4) out-of-hours turns before it — past and planned, any out-of-hours rota; `experienced: true` counts as enough — someone experienced is on call in that turn too.

Why: first-timers are on call with someone experienced, so that their first night-time incident is not faced alone.

Example: two new members who join in the same block are placed as primary and secondary of the same week.

How to fix: change `offset`s or the member order so new people are paired with experienced ones, or trade a turn with an experienced colleague.",
    check: Some(first_timer_paired),
};

pub const IN_HOURS_FIRST: Rule = Rule {
    id: "in-hours-first",
    default_level: Level::Warning,
    lowerable: true,
    explanation: "What it checks: where the repository has an in-hours rota, everyone has served an in-hours turn before their first out-of-hours turn (or has `experienced: true`).

Why: people learn the systems and the alerts in hours, with colleagues around, before they handle them alone at night.

Example: a new joiner put straight onto the out-of-hours rota.

How to fix: give them in-hours turns first (start their out-of-hours membership with a later rotation block), or mark genuinely experienced people `experienced: true`.",
    check: Some(in_hours_first),
};

pub const BACK_TO_BACK: Rule = Rule {
    id: "back-to-back",
    default_level: Level::Warning,
    lowerable: true,
    explanation: "What it checks: nobody is on call (any position) in more than `policy.max_consecutive_turns` (default 2) consecutive turns of one rota.

Why: on call is tiring even when quiet; back-to-back weeks, often the result of a well-meant trade, leave no time to recover.

Example: bob covers carol's week right after his own secondary and primary weeks.

How to fix: trade a different week, or ask someone else to cover.",
    check: Some(back_to_back),
};

/// Counted out-of-hours (or in-hours) turn starts per person, across rotas of `kind`.
fn counted_starts<'a>(ctx: &'a Ctx, kind: RotaKind) -> BTreeMap<&'a str, Vec<Instant>> {
    let mut out: BTreeMap<&str, Vec<Instant>> = BTreeMap::new();
    for (i, rota, rs) in ctx.rotas() {
        if rota.kind != kind {
            continue;
        }
        for (t, people) in ctx.counted[i].iter().enumerate() {
            for p in people {
                out.entry(p.as_str()).or_default().push(rs.turns[t].start);
            }
        }
    }
    for v in out.values_mut() {
        v.sort();
    }
    out
}

/// Each person holding a non-shadow position in turn `t`, with the place that put them there.
fn holders_in_turn<'a>(
    ctx: &Ctx,
    rota: &crate::model::Rota,
    rs: &'a RotaSchedule,
    t: usize,
) -> Vec<(&'a str, Loc)> {
    let mut out: Vec<(&str, Loc)> = Vec::new();
    for p in rs.positions.iter().filter(|p| !p.shadow) {
        for s in p.segments.iter().filter(|s| s.turn == t) {
            if let Some(person) = s.person.as_deref()
                && !out.iter().any(|(x, _)| *x == person)
            {
                out.push((person, ctx.segment_loc(rota, rs, s)));
            }
        }
    }
    out
}

fn first_timer_paired(ctx: &Ctx, out: &mut Vec<Finding>) {
    let starts = counted_starts(ctx, RotaKind::OutOfHours);
    let mut grouped = Grouped::new();
    for (_, rota, rs) in ctx
        .rotas()
        .filter(|(_, r, _)| r.kind == RotaKind::OutOfHours)
    {
        let needed = ctx.policy(rota).experienced_after as usize;
        let window = ctx.rota_window(rs);
        let experienced = |person: &str, before: Instant| {
            ctx.model.person(person).is_some_and(|p| p.experienced)
                || starts
                    .get(person)
                    .map(|v| v.partition_point(|s| *s < before))
                    .unwrap_or(0)
                    >= needed
        };
        for (t, turn) in rs.turns.iter().enumerate() {
            if !turn.span().overlaps(&window) {
                continue;
            }
            let holders = holders_in_turn(ctx, rota, rs, t);
            let (new, old): (Vec<_>, Vec<_>) = holders
                .iter()
                .partition(|(p, _)| !experienced(p, turn.start));
            if new.is_empty() || !old.is_empty() {
                continue;
            }
            let names: Vec<String> = new
                .iter()
                .map(|(p, _)| {
                    let served = starts
                        .get(p)
                        .map(|v| v.partition_point(|s| *s < turn.start))
                        .unwrap_or(0);
                    format!("{p} ({served} before)")
                })
                .collect();
            grouped.add(
                new[0].1,
                format!(
                    "nobody experienced is on call in the out-of-hours turn from {} on rota `{}`: {} ha{} served fewer than {needed} out-of-hours turns",
                    ctx.when(rota, turn.start),
                    rota.id,
                    names.join(" and "),
                    if names.len() == 1 { "s" } else { "ve" },
                ),
                Some(format!(
                    "pair first-timers with someone who has served at least {needed} out-of-hours turns (or is `experienced: true`): change the offsets or member order, or trade"
                )),
            );
        }
    }
    grouped.into_findings("first-timer-paired", Level::Error, out);
}

fn in_hours_first(ctx: &Ctx, out: &mut Vec<Finding>) {
    if !ctx.repo.rotas.iter().any(|r| r.kind == RotaKind::InHours) {
        return;
    }
    let in_hours = counted_starts(ctx, RotaKind::InHours);
    let mut first_ooh: BTreeMap<&str, (Instant, &crate::model::Rota, Loc)> = BTreeMap::new();
    for (i, rota, rs) in ctx
        .rotas()
        .filter(|(_, r, _)| r.kind == RotaKind::OutOfHours)
    {
        for (t, people) in ctx.counted[i].iter().enumerate() {
            let start = rs.turns[t].start;
            for (person, loc) in holders_in_turn(ctx, rota, rs, t) {
                if people.iter().any(|p| p == person)
                    && first_ooh.get(person).is_none_or(|e| start < e.0)
                {
                    first_ooh.insert(person, (start, rota, loc));
                }
            }
        }
    }
    for (person, (start, rota, loc)) in first_ooh {
        if start < ctx.today_start || start >= ctx.window_end {
            continue;
        }
        if ctx.model.person(person).is_none_or(|p| p.experienced) {
            continue;
        }
        let before = in_hours
            .get(person)
            .is_some_and(|v| v.first().is_some_and(|s| *s < start));
        if !before {
            out.push(
                Finding::warning(
                    "in-hours-first",
                    loc,
                    format!(
                        "{person}'s first out-of-hours turn (rota `{}`, {}) comes before any in-hours turn",
                        rota.id,
                        ctx.when(rota, start)
                    ),
                )
                .with_help("give them in-hours turns first, or set `experienced: true` if they already know the service"),
            );
        }
    }
}

fn back_to_back(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut grouped = Grouped::new();
    for (i, rota, rs) in ctx.rotas() {
        let max = ctx.policy(rota).max_consecutive_turns as usize;
        let window = ctx.rota_window(rs);
        let mut streak: BTreeMap<&str, usize> = BTreeMap::new();
        for (t, people) in ctx.counted[i].iter().enumerate() {
            streak.retain(|p, _| people.iter().any(|x| x == p));
            for p in people {
                let n = streak.entry(p.as_str()).or_insert(0);
                *n += 1;
                if *n == max + 1 && rs.turns[t].span().overlaps(&window) {
                    let first = rs.turns[t + 1 - *n].start;
                    // Blame an override in the streak if there is one: that is what made it.
                    let streak_turns = t + 1 - *n..=t;
                    let loc = rs
                        .positions
                        .iter()
                        .flat_map(|q| &q.segments)
                        .filter(|s| {
                            streak_turns.contains(&s.turn)
                                && s.person.as_deref() == Some(p.as_str())
                        })
                        .max_by_key(|s| matches!(s.source, crate::schedule::Source::Override(_)))
                        .map(|s| ctx.segment_loc(rota, rs, s))
                        .unwrap_or(rota.loc);
                    grouped.add(
                        loc,
                        format!(
                            "{p} is on call in more than {max} consecutive turns of rota `{}` (from {} to {})",
                            rota.id,
                            ctx.when(rota, first),
                            ctx.when(rota, rs.turns[t].end)
                        ),
                        Some("trade one of these turns with someone who is not on call either side".into()),
                    );
                }
            }
        }
    }
    grouped.into_findings("back-to-back", Level::Warning, out);
}
