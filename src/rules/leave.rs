//! `leave-conflict`: nobody is on call during their planned leave.

use super::{Ctx, Rule, TradeAdvice};
use crate::finding::{Finding, RuleId};
use crate::schedule::RotaSchedule;
use crate::schedule::interval::{self, Interval};
use crate::time;
use chrono::Days;
use std::collections::{BTreeMap, BTreeSet};

pub const LEAVE_CONFLICT: Rule = Rule {
    id: RuleId::LeaveConflict,
    explanation: "What it checks: nobody is on call (inside the rota's duty hours) on a day of their leave in rota/leave.yaml. Leave that only touches a turn outside its duty hours is no clash. The message gives up to three `rota swap` commands, each a trade with someone on the same rota who is not on leave then and not on call in the turns either side (lowest share first), and each tried first on a copy of the data: a trade is suggested only when it adds no finding of any rule at any level (role, pairing, opted-in, vetted, two-deep, their own leave, `double-duty` and `rest` on their other rotas, `back-to-back`, shares), findings compared by rule, file and message with measures masked. When no trade qualifies the help says so and what to do instead: an override with someone who is not on the rota, or a block.

Why: time off is time off; a rota that quietly keeps someone on call through their holiday gets traded at the last minute, or not at all.

Example: alice is primary for the week from Wednesday 23 December, and on leave 21 December to 2 January.

How to fix: run one of the suggested `rota swap ROTA A@DATE B@DATE` commands (it writes the two overrides with `replaces:` into the rota file and refuses a trade that adds an error), or follow the help when it says no trade leaves the data no worse.",
    check: Some(leave_conflict),
};

/// One rota's schedule by person, indexed once for every conflict on it.
struct ByPerson<'a> {
    rs: &'a RotaSchedule,
    /// Each person's segments in non-shadow positions, as (position, segment) indices,
    /// position by position.
    held: BTreeMap<&'a str, Vec<(usize, usize)>>,
    /// Each person's time in any position, merged.
    busy: BTreeMap<&'a str, Vec<Interval>>,
    /// Each person's turns in non-shadow positions, in order, once each, with where the
    /// turn first comes position by position (which breaks a tie between two turns).
    turns: BTreeMap<&'a str, Vec<(usize, usize)>>,
}

impl<'a> ByPerson<'a> {
    fn new(rs: &'a RotaSchedule) -> ByPerson<'a> {
        let mut held: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        let mut busy: BTreeMap<&str, Vec<Interval>> = BTreeMap::new();
        let mut turns: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
        let mut seen = 0;
        for (pi, p) in rs.positions.iter().enumerate() {
            for (si, s) in p.segments.iter().enumerate() {
                let Some(person) = s.person.as_deref() else {
                    continue;
                };
                busy.entry(person).or_default().push(s.span());
                if !p.shadow {
                    held.entry(person).or_default().push((pi, si));
                    turns.entry(person).or_default().push((s.turn, seen));
                    seen += 1;
                }
            }
        }
        let busy = busy
            .into_iter()
            .map(|(p, spans)| (p, interval::merge(spans)))
            .collect();
        for t in turns.values_mut() {
            t.sort_unstable();
            t.dedup_by_key(|(turn, _)| *turn);
        }
        ByPerson {
            rs,
            held,
            busy,
            turns,
        }
    }

    /// Whether `person` holds any position of the rota at some instant of `span`.
    fn busy_in(&self, person: &str, span: Interval) -> bool {
        self.busy.get(person).is_some_and(|spans| {
            let i = spans.partition_point(|s| s.end <= span.start);
            spans.get(i).is_some_and(|s| s.start < span.end)
        })
    }

    /// `person`'s turns other than `turn`, among those from `from` on, nearest to `turn`
    /// first; of two as near, the one that comes first position by position. Lazy: the
    /// turns are kept sorted (one entry a turn), so each one yielded costs a step outward
    /// from `turn`, never a pass over all of them.
    fn turns_nearest(
        &self,
        person: &str,
        turn: usize,
        from: usize,
    ) -> impl Iterator<Item = usize> + '_ {
        let all = self.turns.get(person).map_or(&[][..], Vec::as_slice);
        let split = all.partition_point(|&(t, _)| t < turn);
        let (mut left, mut right) = (split, split);
        std::iter::from_fn(move || {
            while right < all.len() && (all[right].0 == turn || all[right].0 < from) {
                right += 1;
            }
            if left > 0 && all[left - 1].0 < from {
                left = 0;
            }
            let key = |&(t, first): &(usize, usize)| (t.abs_diff(turn), first, t);
            let next_left = (left > 0).then(|| all[left - 1]);
            let next_right = all.get(right).copied();
            match (next_left, next_right) {
                (Some(l), Some(r)) if key(&l) <= key(&r) => {
                    left -= 1;
                    Some(l.0)
                }
                (_, Some(r)) => {
                    right += 1;
                    Some(r.0)
                }
                (Some(l), None) => {
                    left -= 1;
                    Some(l.0)
                }
                (None, None) => None,
            }
        })
    }
}

fn leave_conflict(ctx: &Ctx, out: &mut Vec<Finding>) {
    let tz = ctx.repo.config.timezone;
    let shares = ctx.shares();
    let day_span = |from: chrono::NaiveDate, to: chrono::NaiveDate| {
        Interval::new(
            time::start_of_day(tz, from),
            time::start_of_day(tz, to + Days::new(1)),
        )
    };
    let mut leave_of: BTreeMap<&str, Vec<Interval>> = BTreeMap::new();
    for l in &ctx.repo.leave {
        leave_of
            .entry(l.person.id.as_str())
            .or_default()
            .push(day_span(l.from, l.to));
    }
    let on_leave = |person: &str, span: Interval| {
        leave_of
            .get(person)
            .is_some_and(|spans| spans.iter().any(|l| l.overlaps(&span)))
    };
    let rotas: Vec<_> = ctx.rotas().collect();
    let indexes: Vec<std::sync::OnceLock<ByPerson>> =
        rotas.iter().map(|_| std::sync::OnceLock::new()).collect();
    let mut simulations = Simulations::default();
    for leave in &ctx.repo.leave {
        let span = day_span(leave.from, leave.to);
        let person = leave.person.id.as_str();
        for (&(_, rota, rs), index) in rotas.iter().zip(&indexes) {
            let window = ctx.rota_window(rs);
            if !span.overlaps(&window) {
                continue;
            }
            let by = index.get_or_init(|| ByPerson::new(rs));
            let mut reported_turns = BTreeSet::new();
            for &(pi, si) in by.held.get(person).map_or(&[][..], Vec::as_slice) {
                let (p, s) = (&rs.positions[pi], &rs.positions[pi].segments[si]);
                let Some(clash) = s.span().intersect(&span) else {
                    continue;
                };
                // Only duty time in the check window counts (the schedule runs on for
                // share windows); the message gives the whole clash.
                if clash
                    .intersect(&window)
                    .is_none_or(|c| interval::clip(&rs.duty, c).is_empty())
                {
                    continue;
                }
                let duty = interval::clip(&rs.duty, clash);
                let (Some(first), Some(last)) = (duty.first(), duty.last()) else {
                    continue;
                };
                if !reported_turns.insert((s.turn, p.name.as_str())) {
                    continue;
                }
                let turn = rs.turns[s.turn];
                let busy_near = |candidate: &str| {
                    let near = Interval::new(
                        rs.turns
                            .get(s.turn.wrapping_sub(1))
                            .map(|t| t.start)
                            .unwrap_or(turn.start),
                        rs.turns.get(s.turn + 1).map(|t| t.end).unwrap_or(turn.end),
                    );
                    by.busy_in(candidate, near)
                };
                let block = &rota.blocks[turn.block];
                let mut candidates: Vec<(&str, f64)> = block
                    .positions
                    .iter()
                    .filter(|d| !d.shadow)
                    .flat_map(|d| block.members_of(d))
                    .map(|m| m.id.as_str())
                    .filter(|c| *c != person && !on_leave(c, turn.span()) && !busy_near(c))
                    .map(|c| (c, shares.get(c).map(|s| s.share).unwrap_or(0.0)))
                    .collect();
                candidates.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
                candidates.dedup_by(|a, b| a.0 == b.0);
                simulations.bounded = false;
                let trades = if ctx.trade_advice == TradeAdvice::Skip {
                    Vec::new()
                } else {
                    clean_trades(
                        ctx,
                        &mut simulations,
                        rota,
                        by,
                        Leaving {
                            person,
                            turn: s.turn,
                            away: &|span| on_leave(person, span),
                        },
                        &candidates,
                    )
                };
                let help = if ctx.trade_advice == TradeAdvice::Skip {
                    String::new()
                } else {
                    trade_help(&trades, simulations.bounded, rota, &p.name, person)
                };
                out.push(
                        Finding::error(
                            RuleId::LeaveConflict,
                            leave.loc,
                            format!(
                                "{person} is on leave {} to {}{} but on call as `{}` on rota `{}` from {} to {}",
                                leave.from,
                                leave.to,
                                leave.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default(),
                                p.name,
                                rota.id,
                                ctx.when(rota, first.start),
                                ctx.when(rota, last.end),
                            ),
                        )
                        .with_help(help),
                    );
            }
        }
    }
}

/// At most this many simulated checks per `rota check` run (each one is a whole check),
/// so a repository with many conflicts stays fast: later conflicts get no suggestion.
const MAX_SIMULATIONS: usize = 24;

/// And at most this many computed turns over all the simulated checks of one run, as a
/// check costs about in proportion to its turns: 24 checks of a repository of weekly
/// rotas (a few hundred turns), two or three of hourly turns planned a year ahead.
const MAX_SIMULATED_TURNS: usize = 30_000;

/// How many of a candidate's turns (nearest first) are tried before the next candidate.
const TURNS_PER_CANDIDATE: usize = 2;

/// How many of a candidate's nearest turns are looked at for those two.
const TURNS_SCANNED_PER_CANDIDATE: usize = 64;

/// What to do about one clash: the trades found, or why there is none and what to do
/// instead.
fn trade_help(
    trades: &[CleanTrade],
    bounded: bool,
    rota: &crate::model::Rota,
    position: &str,
    person: &str,
) -> String {
    let Some(first) = trades.first() else {
        let instead = format!(
            "write an override on rota `{}` (position `{position}`, `replaces: {person}`) with someone who is not on this rota, or add a block over the leave whose members leave them out",
            rota.id
        );
        return if bounded {
            format!(
                "trades were not tried (this run already simulated as many as it may, to stay fast): run `rota check` again after fixing the clashes above, or {instead}"
            )
        } else {
            format!(
                "no trade with anyone on this rota leaves the data without a new finding: {instead}"
            )
        };
    };
    let others: Vec<String> = trades[1..]
        .iter()
        .map(|t| format!("`{}`", t.command))
        .collect();
    format!(
        "trade the turn: `{}`{}; each was tried on a copy of the data and adds no finding",
        first.command,
        if others.is_empty() {
            String::new()
        } else {
            format!(" (or {})", others.join(", "))
        }
    )
}

/// A trade that was tried on a copy of the data and adds no finding.
struct CleanTrade {
    /// Who takes the turn.
    with: String,
    /// `rota swap ROTA A@DATE B@DATE`
    command: String,
}

/// The error findings of the data as it is (computed once) and the simulations run.
#[derive(Default)]
struct Simulations {
    before: Option<BTreeMap<crate::finding::FindingId, usize>>,
    run: usize,
    /// Whether a conflict went without trying every candidate because the bounds below
    /// were reached.
    bounded: bool,
}

/// The person a trade moves out of a turn, and when they are away.
struct Leaving<'a> {
    person: &'a str,
    /// Index into the rota schedule's turns.
    turn: usize,
    /// Whether they are on leave at some instant of a span.
    away: &'a dyn Fn(Interval) -> bool,
}

/// Up to three trades that move `person` out of turn `turn` of `rota` with one of the
/// `candidates` (lowest share first), each simulated: the planned overrides are added to
/// a copy of the model and every rule runs again; a trade is kept only when it adds no
/// finding at any level (role, pairing, opted-in, vetted, two-deep, the candidate's own
/// leave, `double-duty` and `rest` with their other rotas — whatever a rule would say).
fn clean_trades(
    ctx: &Ctx,
    simulations: &mut Simulations,
    rota: &crate::model::Rota,
    by: &ByPerson,
    leaving: Leaving,
    candidates: &[(&str, f64)],
) -> Vec<CleanTrade> {
    let Leaving {
        person,
        turn,
        away: person_away,
    } = leaving;
    let mut out = Vec::new();
    let rs = by.rs;
    let date_of = |t: usize| time::local_date(rota.timezone, rs.turns[t].start);
    let a = crate::schedule::swap::Party {
        person: person.to_string(),
        date: date_of(turn),
    };
    let turns: usize = ctx.schedule.rotas.iter().map(|r| r.turns.len()).sum();
    let from_today = rs.turns.partition_point(|t| t.start < ctx.today_start);
    // Each candidate's turns on this rota from today on that `person` could take (not
    // on their leave), nearest first: the nearest two of each candidate, tried in turn.
    // A candidate whose nearest turns all fall in the leave is passed over after
    // `TURNS_SCANNED_PER_CANDIDATE` of them, so a leave of years costs no more per clash.
    let tries = candidates.iter().flat_map(|(candidate, _)| {
        by.turns_nearest(candidate, turn, from_today)
            .take(TURNS_SCANNED_PER_CANDIDATE)
            .filter(|&t| !person_away(rs.turns[t].span()))
            .take(TURNS_PER_CANDIDATE)
            .map(move |t| (*candidate, t))
    });
    for (candidate, their_turn) in tries {
        if out.len() == 3 {
            break;
        }
        if simulations.run >= MAX_SIMULATIONS
            || (simulations.run + 1) * turns.max(1) > MAX_SIMULATED_TURNS
        {
            simulations.bounded = true;
            break;
        }
        if out.iter().any(|t: &CleanTrade| t.with == candidate) {
            continue;
        }
        let b = crate::schedule::swap::Party {
            person: candidate.to_string(),
            date: date_of(their_turn),
        };
        let Ok(planned) =
            crate::schedule::swap::plan(ctx.model, ctx.schedule, &rota.id, &a, &b, ctx.clock.now)
        else {
            continue;
        };
        simulations.run += 1;
        if simulations.before.is_none() {
            simulations.before = Some(finding_counts(ctx, &simulated_check(ctx, ctx.model)));
        }
        // The copy shares every file's text with the model (`Sources` is shared, not
        // copied); only the typed data is copied, and one rota's overrides changed.
        let mut copy = ctx.model.clone();
        if let Some(r) = copy.repo.rotas.iter_mut().find(|r| r.id == rota.id) {
            let loc = r.loc;
            let named = |id: &str| crate::model::Named {
                id: id.to_string(),
                loc,
            };
            for o in &planned {
                if let Some(existing) = o.edits.and_then(|i| r.overrides.get_mut(i)) {
                    existing.person = Some(named(&o.person));
                    continue;
                }
                r.overrides.push(crate::model::Override {
                    position: Some(named(&o.position)),
                    from: o.from,
                    to: o.to,
                    from_loc: loc,
                    person: Some(named(&o.person)),
                    person_loc: loc,
                    replaces: Some(named(&o.replaces)),
                    reason: None,
                    loc,
                });
            }
        }
        let after = finding_counts(ctx, &simulated_check(ctx, &copy));
        if simulations
            .before
            .as_ref()
            .is_some_and(|before| adds_nothing(before, &after))
        {
            out.push(CleanTrade {
                with: candidate.to_string(),
                command: format!(
                    "rota swap {} {person}@{} {candidate}@{}",
                    rota.id, a.date, b.date
                ),
            });
        }
    }
    out
}

/// Every rule over `model`, without looking for trades (no recursion).
fn simulated_check(ctx: &Ctx, model: &crate::model::Model) -> Vec<Finding> {
    super::check_without_advice(model, ctx.clock)
}

/// Every finding of a check, at any level, by identity ([`Finding::identity`]: rule,
/// file and message with its measures masked — locations move when overrides are
/// added), with how many times each comes.
fn finding_counts(ctx: &Ctx, findings: &[Finding]) -> BTreeMap<crate::finding::FindingId, usize> {
    let mut counts = BTreeMap::new();
    for f in findings {
        let file = ctx.repo.sources.get(f.loc.file).path.as_str();
        *counts.entry(f.identity(file)).or_insert(0) += 1;
    }
    counts
}

/// Whether `after` has no finding that `before` lacks, counting each identity as many
/// times as it comes.
fn adds_nothing(
    before: &BTreeMap<crate::finding::FindingId, usize>,
    after: &BTreeMap<crate::finding::FindingId, usize>,
) -> bool {
    after
        .iter()
        .all(|(id, n)| before.get(id).copied().unwrap_or(0) >= *n)
}
