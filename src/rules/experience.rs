//! Rules about experience and rest: `first-timer-paired`, `in-hours-first`,
//! `back-to-back`. A turn counts for a person when they hold at least half of its duty
//! hours.

use super::context::Grouped;
use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::RotaKind;
use crate::schedule::RotaSchedule;
use crate::source::Loc;
use crate::time::Instant;
use std::collections::BTreeMap;

pub const FIRST_TIMER_PAIRED: Rule = Rule {
    id: RuleId::FirstTimerPaired,
    explanation: "What it checks: in every out-of-hours turn where someone has served fewer than `policy.experienced_after` (default 4) out-of-hours turns before it — past and planned, any out-of-hours rota; `experienced: true` counts as enough — someone experienced is on call in that turn too.

Why: first-timers are on call with someone experienced, so that their first night-time incident is not faced alone.

Example: two new members who join in the same block are placed as primary and secondary of the same week.

How to fix: change `offset`s or the member order so new people are paired with experienced ones, or trade a turn with an experienced colleague.",
    check: Some(first_timer_paired),
};

pub const IN_HOURS_FIRST: Rule = Rule {
    id: RuleId::InHoursFirst,
    explanation: "What it checks: where the repository has an in-hours rota, everyone has served an in-hours turn before their first out-of-hours turn (or has `experienced: true`).

Why: people learn the systems and the alerts in hours, with colleagues around, before they handle them alone at night.

Example: a new joiner put straight onto the out-of-hours rota.

How to fix: give them in-hours turns first (start their out-of-hours membership with a later rotation block), or mark genuinely experienced people `experienced: true`.",
    check: Some(in_hours_first),
};

pub const BACK_TO_BACK: Rule = Rule {
    id: RuleId::BackToBack,
    explanation: "What it checks: nobody is on call (any position) in more than `policy.max_consecutive_turns` (default 2) consecutive turns of one rota.

Why: on call is tiring even when quiet; back-to-back weeks, often the result of a well-meant trade, leave no time to recover.

Example: bob covers carol's week right after his own secondary and primary weeks.

How to fix: trade a different week, or ask someone else to cover.",
    check: Some(back_to_back),
};

/// How many turns of rotas of `kind` that start before `before` (in the ten years
/// before it; from `since` when given) count for `person`, counting no further than
/// `enough`. Asks the engine, which counts from the rotation without walking the rotas'
/// history.
fn served(
    ctx: &Ctx,
    kind: RotaKind,
    person: &str,
    since: Option<Instant>,
    before: Instant,
    enough: usize,
) -> usize {
    let mut served = 0;
    for (_, _, rs) in ctx.rotas().filter(|(_, r, _)| r.kind == kind) {
        if served >= enough {
            break;
        }
        served += match since {
            Some(since) => rs.counted_between(person, since, before, enough - served),
            None => rs.counted_before(person, before, enough - served),
        };
    }
    served
}

fn served_before(ctx: &Ctx, kind: RotaKind, person: &str, before: Instant, enough: usize) -> usize {
    served(ctx, kind, person, None, before, enough)
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
        // Segments are in turn order: find this turn's by binary search.
        let from = p.segments.partition_point(|s| s.turn < t);
        let to = p.segments.partition_point(|s| s.turn <= t);
        for s in &p.segments[from..to] {
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
    let mut grouped = Grouped::new();
    // Per person and threshold: the earliest start known to find them experienced, and
    // the latest start known to find them not, with an upper bound on their count then.
    // A later start adds only the turns in between, so someone who never becomes
    // experienced costs one walk back, not one per turn.
    type Key = (String, usize);
    let mut experienced_from: BTreeMap<Key, Instant> = BTreeMap::new();
    let mut not_yet: BTreeMap<Key, (Instant, usize)> = BTreeMap::new();
    for (_, rota, rs) in ctx
        .rotas()
        .filter(|(_, r, _)| r.kind == RotaKind::OutOfHours)
    {
        let needed = ctx.policy(rota).experienced_after as usize;
        let window = ctx.rota_window(rs);
        // `None`: experienced at `before`; else how many turns they have served by then.
        let mut served_by = |person: &str, before: Instant| -> Option<usize> {
            if ctx.model.person(person).is_some_and(|p| p.experienced) {
                return None;
            }
            let key = (person.to_string(), needed);
            if experienced_from.get(&key).is_some_and(|t| *t <= before) {
                return None;
            }
            if let Some((at, upper)) = not_yet.get(&key).copied()
                && at <= before
            {
                let more = served(ctx, RotaKind::OutOfHours, person, Some(at), before, needed);
                if upper + more < needed {
                    not_yet.insert(key, (before, upper + more));
                    return Some(upper + more);
                }
            }
            let count = served_before(ctx, RotaKind::OutOfHours, person, before, needed);
            if count >= needed {
                let from = experienced_from.entry(key).or_insert(before);
                *from = (*from).min(before);
                None
            } else {
                not_yet.insert(key, (before, count));
                Some(count)
            }
        };
        for (t, turn) in rs.turns.iter().enumerate() {
            if !turn.span().overlaps(&window) {
                continue;
            }
            let holders = holders_in_turn(ctx, rota, rs, t);
            let counts: Vec<Option<usize>> = holders
                .iter()
                .map(|(p, _)| served_by(p, turn.start))
                .collect();
            if holders.is_empty() || counts.iter().any(Option::is_none) {
                continue;
            }
            let new: Vec<&(&str, Loc)> = holders.iter().collect();
            let names: Vec<String> = holders
                .iter()
                .zip(&counts)
                .map(|((p, _), served)| format!("{p} ({} before)", served.unwrap_or_default()))
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
    grouped.into_findings(RuleId::FirstTimerPaired, out);
}

fn in_hours_first(ctx: &Ctx, out: &mut Vec<Finding>) {
    if !ctx.repo.rotas.iter().any(|r| r.kind == RotaKind::InHours) {
        return;
    }
    // Each person's earliest counted out-of-hours turn among the computed ones…
    let mut first_ooh: BTreeMap<&str, (Instant, &crate::model::Rota, Loc)> = BTreeMap::new();
    for (i, rota, rs) in ctx
        .rotas()
        .filter(|(_, r, _)| r.kind == RotaKind::OutOfHours)
    {
        for (t, people) in ctx.counted(i).iter().enumerate() {
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
        // …is their first ever when no out-of-hours turn counts for them before it.
        if served_before(ctx, RotaKind::OutOfHours, person, start, 1) > 0 {
            continue;
        }
        if served_before(ctx, RotaKind::InHours, person, start, 1) == 0 {
            out.push(
                Finding::warning(
                    RuleId::InHoursFirst,
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
        for (t, people) in ctx.counted(i).iter().enumerate() {
            streak.retain(|p, _| people.iter().any(|x| x == p));
            for p in people {
                let n = streak.entry(p.as_str()).or_insert(0);
                *n += 1;
                if *n == max + 1 && rs.turns[t].span().overlaps(&window) {
                    let first = rs.turns[t + 1 - *n].start;
                    // Blame an override in the streak if there is one: that is what made it.
                    // Each position's segments are in time order, so those of the
                    // streak's turns are found by bisection, not by a scan per finding.
                    let (from_turn, to_turn) = (t + 1 - *n, t);
                    let loc = rs
                        .positions
                        .iter()
                        .flat_map(|q| {
                            let lo = q.segments.partition_point(|s| s.turn < from_turn);
                            let hi = q.segments.partition_point(|s| s.turn <= to_turn);
                            &q.segments[lo..hi.max(lo)]
                        })
                        .filter(|s| s.person.as_deref() == Some(p.as_str()))
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
    grouped.into_findings(RuleId::BackToBack, out);
}
