//! Rules about cover: `two-deep`, `planned-ahead`, `coverage-gap`.

use super::context::Grouped;
use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::{Rota, RotaKind};
use crate::schedule::interval::{self, Interval, merge};
use crate::time;
use std::collections::BTreeSet;

pub const TWO_DEEP: Rule = Rule {
    id: RuleId::TwoDeep,
    explanation: "What it checks: at every duty instant in the check window at least `policy.min_on_call` (default 2) distinct people are on call in the rota — shadow positions do not count, and one person holding two positions counts once.

Why: on call is two deep — a primary and a secondary who both know which is which — so that a page is answered when the primary is unreachable, and nobody carries an incident alone.

Example: a trade that makes bob primary in a week where he is already secondary; or `person: null` leaving the secondary empty.

How to fix: undo or change the override so that the two positions are held by different people; fill empty positions.",
    check: Some(two_deep),
};

pub const PLANNED_AHEAD: Rule = Rule {
    id: RuleId::PlannedAhead,
    explanation: "What it checks: every (non-shadow) position of every rota is filled at every duty instant from today to today + `policy.plan_ahead` (default 90 days): no rotation that ends too soon, no position left empty by `person: null`, no turns of someone who has `left`.

Why: people plan their lives around their on-call weeks; the rota must be known at least three months ahead.

Example: `until: 2027-01-31` when today is 2026-12-01; or a member whose `left` date has passed still in the members list.

How to fix: extend `until` or add a rotation block from the date; replace people who leave (a new block without them); fill empty positions with overrides.",
    check: Some(planned_ahead),
};

pub const COVERAGE_GAP: Rule = Rule {
    id: RuleId::CoverageGap,
    explanation: "What it checks: where the repository has an out-of-hours rota, every instant of the week (over the check window) is inside the duty hours of some rota that an alert pages directly (named in an alert's `pages:`). A rota reached only through escalation — a second line on duty `always` — does not fill a gap, because a page goes first to the rotas the alert names. With no paging alerts at all, every rota counts.

Why: in-hours and out-of-hours rotas are meant to hand over to each other; a gap between them — classically Monday 00:00–10:00 when out of hours ends at 00:00 and in hours starts at 10:00 — is a time in which a critical alert pages nobody who is on duty, and the second line behind them is only reached once the first line has failed to answer.

Example: out-of-hours weekday windows `00:00`–`09:00` and `18:00`–`24:00`, in-hours `10:00`–`18:00`: 09:00–10:00 on weekdays is a gap, even though a second-line rota with `hours: always` is on duty then.

How to fix: make the duty windows of the paged rotas meet exactly (one's `to` is the other's `from`), or let the alerts page the rota that covers the gap. When the gap is on a holiday or the morning after one, the help names the holiday: its `holiday` windows replaced the weekday ones (see `holiday-overnight`).",
    check: Some(coverage_gap),
};

fn two_deep(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut grouped = Grouped::new();
    for (_, rota, rs) in ctx.rotas() {
        let need = ctx.policy(rota).min_on_call as usize;
        let window = ctx.rota_window(rs);
        let duty = interval::clip(&rs.duty, window);
        if duty.is_empty() {
            continue;
        }
        let mut cuts: BTreeSet<time::Instant> = BTreeSet::new();
        for d in &duty {
            cuts.insert(d.start);
            cuts.insert(d.end);
        }
        for p in rs.positions.iter().filter(|p| !p.shadow) {
            for s in p.segments.iter().filter(|s| s.span().overlaps(&window)) {
                cuts.insert(s.start.max(window.start));
                cuts.insert(s.end.min(window.end));
            }
        }
        let cuts: Vec<time::Instant> = cuts.into_iter().collect();
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if !rs.on_duty(a) {
                continue;
            }
            let segments: Vec<&crate::schedule::Segment> = rs
                .positions
                .iter()
                .filter(|p| !p.shadow)
                .filter_map(|p| rs.segment_at(&p.name, a))
                .collect();
            let mut people: Vec<&str> = segments
                .iter()
                .filter_map(|s| s.person.as_deref())
                .collect();
            people.sort();
            people.dedup();
            // Blame what changed the rotation (an override), else an empty position.
            let cause = segments
                .iter()
                .find(|s| matches!(s.source, crate::schedule::Source::Override(_)))
                .or_else(|| segments.iter().find(|s| s.person.is_none()))
                .map(|s| ctx.segment_loc(rota, rs, s));
            if people.len() >= need {
                continue;
            }
            let loc = cause.unwrap_or_else(|| {
                rs.turn_at(a)
                    .and_then(|t| rota.blocks.get(rs.turns[t].block))
                    .map(|b| b.loc)
                    .unwrap_or(rota.loc)
            });
            let who = if people.is_empty() {
                "nobody".to_string()
            } else {
                people.join(", ")
            };
            grouped.add(
                loc,
                format!(
                    "only {} distinct {} on call on rota `{}` from {} to {} ({who}); at least {need} needed",
                    people.len(),
                    if people.len() == 1 { "person" } else { "people" },
                    rota.id,
                    ctx.when(rota, a),
                    ctx.when(rota, b),
                ),
                Some("every duty instant needs a primary and a secondary who are different people: change the override or fill the position".into()),
            );
        }
    }
    grouped.into_findings(RuleId::TwoDeep, out);
}

fn planned_ahead(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut grouped = Grouped::new();
    for (_, rota, rs) in ctx.rotas() {
        let policy = ctx.policy(rota);
        let plan_end_date = policy.plan_ahead.after_date(ctx.clock.today);
        let plan = Interval::new(
            ctx.today_start,
            time::start_of_day(ctx.repo.config.timezone, plan_end_date),
        );
        if let (Some(active), Some(last)) = (rs.active, rota.blocks.last())
            && let (Some(until), Some(loc)) = (last.until, last.until_loc)
            && active.end < plan.end
        {
            out.push(
                        Finding::error(
                            RuleId::PlannedAhead,
                            loc,
                            format!("rota `{}` is planned only until {until}; it must be planned until at least {plan_end_date} ({} ahead)", rota.id, policy.plan_ahead),
                        )
                        .with_help("extend `until`, or add a rotation block that carries on from that date"),
                    );
        }
        let duty = interval::clip(&rs.duty, plan);
        for p in rs.positions.iter().filter(|p| !p.shadow) {
            let expected = merge(
                rs.turns
                    .iter()
                    .filter(|t| {
                        rota.blocks[t.block]
                            .positions
                            .iter()
                            .any(|d| d.name == p.name)
                    })
                    .map(|t| t.span())
                    .collect(),
            );
            let filled = merge(
                p.segments
                    .iter()
                    .filter(|s| s.person.is_some())
                    .map(|s| s.span())
                    .collect(),
            );
            let holes = interval::subtract(&interval::intersect(&duty, &expected), &filled);
            for hole in holes {
                let Some(seg) = rs.segment_at(&p.name, hole.start) else {
                    continue;
                };
                let turn = rs.turns[seg.turn];
                let block = &rota.blocks[turn.block];
                let base = rs.rotation_holder(seg.turn, &p.name);
                let why = match (seg.source, base) {
                    (crate::schedule::Source::Override(_), _) => {
                        "an override leaves it empty".to_string()
                    }
                    (_, Some(b)) => match ctx.model.person(&b.id).and_then(|x| x.left) {
                        Some(left) => format!("{} left on {left}", b.id),
                        None => "no holder".to_string(),
                    },
                    _ => "no holder".to_string(),
                };
                let loc = match (seg.source, base) {
                    (crate::schedule::Source::Override(i), _) => rota.overrides[i].loc,
                    (_, Some(b)) => b.loc,
                    _ => block.loc,
                };
                grouped.add_keyed(
                    loc,
                    p.name.clone(),
                    format!(
                        "nobody holds `{}` on rota `{}` from {} to {} ({why})",
                        p.name,
                        rota.id,
                        ctx.when(rota, hole.start),
                        ctx.when(rota, hole.end)
                    ),
                    Some("fill the position: an override with `person:`, or a new rotation block without people who have left".into()),
                );
            }
        }
    }
    grouped.into_findings(RuleId::PlannedAhead, out);
}

/// The rotas that alerts page directly; every rota when no alert pages one (a page to a
/// rota that does not exist is `unknown-reference`'s finding, not a gap).
fn paged_rotas<'a>(ctx: &Ctx<'a>) -> Vec<&'a Rota> {
    let paged: BTreeSet<&str> = ctx
        .repo
        .alerts
        .iter()
        .flat_map(|a| &a.pages)
        .map(|p| p.id.as_str())
        .filter(|id| ctx.model.rota(id).is_some())
        .collect();
    ctx.repo
        .rotas
        .iter()
        .filter(|r| paged.is_empty() || paged.contains(r.id.as_str()))
        .collect()
}

fn coverage_gap(ctx: &Ctx, out: &mut Vec<Finding>) {
    if !ctx
        .repo
        .rotas
        .iter()
        .any(|r| r.kind == RotaKind::OutOfHours)
    {
        return;
    }
    let paged = paged_rotas(ctx);
    // Findings sit at the hours of an out-of-hours rota that alerts page (else any).
    let Some(ooh) = paged
        .iter()
        .copied()
        .chain(&ctx.repo.rotas)
        .find(|r| r.kind == RotaKind::OutOfHours)
    else {
        return;
    };
    let tz = ctx.repo.config.timezone;
    let window = Interval::new(ctx.today_start, ctx.window_end);
    let covered = merge(
        paged
            .iter()
            .filter_map(|r| ctx.schedule.rota(&r.id))
            .flat_map(|rs| interval::clip(&rs.duty, window))
            .collect(),
    );
    let gaps = interval::subtract(&[window], &covered);
    let unpaged: Vec<&Rota> = ctx
        .repo
        .rotas
        .iter()
        .filter(|r| !paged.iter().any(|p| std::ptr::eq(*p, *r)))
        .collect();
    let mut grouped = Grouped::new();
    for gap in gaps {
        let start = gap.start.with_timezone(&tz);
        let end = gap.end.with_timezone(&tz);
        let pattern = format!("{}–{}", start.format("%a %H:%M"), end.format("%a %H:%M"));
        // A rota on duty in the gap that no alert pages: say why it does not count.
        let behind: Vec<&str> = unpaged
            .iter()
            .filter(|r| {
                ctx.schedule
                    .rota(&r.id)
                    .is_some_and(|rs| rs.on_duty(gap.start))
            })
            .map(|r| r.id.as_str())
            .collect();
        let note = match behind.as_slice() {
            [] => String::new(),
            [one] => format!(" (`{one}` is on duty then, but no alert pages it directly)"),
            many => format!(
                " ({} are on duty then, but no alert pages them directly)",
                many.iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        // A gap on a holiday or the morning after one: the holiday is the cause (its
        // windows replace the weekday's), and the help says so.
        let day = start.date_naive();
        let at_midnight = start.time() == chrono::NaiveTime::MIN;
        let holidays = &ctx.repo.config.holidays;
        let holiday = Some(day).filter(|d| holidays.contains(d)).or_else(|| {
            day.pred_opt()
                .filter(|d| at_midnight && holidays.contains(d))
        });
        let help = match holiday {
            Some(h) => format!(
                "{h}{} is a holiday: on a holiday only the `holiday` windows start, never the weekday ones, so {}; give the holiday hours that cover this time (a `holiday` window running on to the next morning), or split the weekday window at midnight so its morning part starts on the next day (`rota explain holiday-overnight`)",
                ctx.repo
                    .config
                    .holiday_name(h)
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                if h == day {
                    "the weekday windows of that day do not run"
                } else {
                    "the weekday window that would run past midnight into this morning does not start"
                }
            ),
            None => "make the duty windows of the paged in-hours and out-of-hours rotas meet exactly (one's `to` is the other's `from`), or page the rota that covers this time".into(),
        };
        let key = match holiday {
            Some(h) => format!("{pattern} after {h}"),
            None => pattern.clone(),
        };
        // One finding per weekly pattern, all at the out-of-hours rota's hours.
        grouped.add_keyed(
            ooh.hours_loc,
            key,
            format!(
                "no rota that alerts page is on duty {pattern} {} (first on {}){note}",
                start.format("%Z"),
                start.date_naive()
            ),
            Some(help),
        );
    }
    grouped.into_findings(RuleId::CoverageGap, out);
}
