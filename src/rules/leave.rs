//! `leave-conflict`: nobody is on call during their planned leave.

use super::{Ctx, Rule};
use crate::finding::{Finding, Level};
use crate::schedule::interval::{self, Interval};
use crate::time;
use chrono::Days;

pub const LEAVE_CONFLICT: Rule = Rule {
    id: "leave-conflict",
    default_level: Level::Error,
    lowerable: true,
    explanation: "What it checks: nobody is on call (inside the rota's duty hours) on a day of their leave in rota/leave.yaml. Leave that only touches a turn outside its duty hours is no clash. The message suggests swap candidates: people on the same rota who are not on leave then, not on call in the turns either side, lowest share first.

Why: time off is time off; a rota that quietly keeps someone on call through their holiday gets traded at the last minute, or not at all.

Example: alice is primary for the week from Wednesday 23 December, and on leave 21 December to 2 January.

How to fix: trade the turn with `rota swap` (or two overrides with `replaces:`) with one of the suggested people.",
    check: Some(leave_conflict),
};

fn leave_conflict(ctx: &Ctx, out: &mut Vec<Finding>) {
    let tz = ctx.repo.config.timezone;
    let shares = ctx.shares();
    let on_leave = |person: &str, span: Interval| {
        ctx.repo.leave.iter().any(|l| {
            l.person.id == person
                && Interval::new(
                    time::start_of_day(tz, l.from),
                    time::start_of_day(tz, l.to + Days::new(1)),
                )
                .overlaps(&span)
        })
    };
    for leave in &ctx.repo.leave {
        let span = Interval::new(
            time::start_of_day(tz, leave.from),
            time::start_of_day(tz, leave.to + Days::new(1)),
        );
        let person = leave.person.id.as_str();
        for (_, rota, rs) in ctx.rotas() {
            let window = ctx.rota_window(rs);
            let mut reported_turns = Vec::new();
            for p in rs.positions.iter().filter(|p| !p.shadow) {
                for s in p
                    .segments
                    .iter()
                    .filter(|s| s.person.as_deref() == Some(person))
                {
                    let Some(clash) = s.span().intersect(&span) else {
                        continue;
                    };
                    if clash.end <= window.start {
                        continue;
                    }
                    let duty = interval::clip(&rs.duty, clash);
                    let (Some(first), Some(last)) = (duty.first(), duty.last()) else {
                        continue;
                    };
                    if reported_turns.contains(&(s.turn, p.name.clone())) {
                        continue;
                    }
                    reported_turns.push((s.turn, p.name.clone()));
                    let turn = rs.turns[s.turn];
                    let busy_near = |candidate: &str| {
                        let near = Interval::new(
                            rs.turns
                                .get(s.turn.wrapping_sub(1))
                                .map(|t| t.start)
                                .unwrap_or(turn.start),
                            rs.turns.get(s.turn + 1).map(|t| t.end).unwrap_or(turn.end),
                        );
                        rs.positions.iter().flat_map(|q| &q.segments).any(|x| {
                            x.person.as_deref() == Some(candidate) && x.span().overlaps(&near)
                        })
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
                    let help = if candidates.is_empty() {
                        "nobody on this rota is free for the turns either side: ask a lead to arrange cover".to_string()
                    } else {
                        format!(
                            "trade the turn (two overrides with `replaces:`) with {}: on this rota, free then and on neither side, lowest share first",
                            candidates
                                .iter()
                                .take(3)
                                .map(|(c, sh)| format!("{c} ({:.0}%)", sh * 100.0))
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    };
                    out.push(
                        Finding::error(
                            "leave-conflict",
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
}
