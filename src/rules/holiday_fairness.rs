//! `holiday-fairness`: on an out-of-hours rota, bank-holiday duty days and weekend duty
//! days are spread evenly over the members, counting the year before today as well as
//! the year ahead (who had Christmas last year). Also the counts themselves, for
//! `rota report`, `rota plan` and the person pages (docs/rules.md#holiday-fairness).

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::Model;
use crate::model::{Config, Person, Rota, RotaKind};
use crate::schedule::interval::Interval;
use crate::schedule::{RotaSchedule, Schedule};
use crate::time::{self, Clock, Instant};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};

pub const HOLIDAY_FAIRNESS: Rule = Rule {
    id: RuleId::HolidayFairness,
    explanation: "What it checks: on each out-of-hours rota whose turns last a day or more, how many bank-holiday duty days (the dates in `holidays:`) and how many weekend duty days (Saturdays and Sundays that are not holidays) each member holds, over the rolling year ahead of today (`policy.fairness_window`, default 52w) together with the same span before today, both cut to whole turns. A day counts for someone who is on call (any position but shadow) for at least half of that day's duty hours. The counts of the members who were in the rotation through the whole span are compared: bank holidays may differ by at most `policy.holiday_spread` (default 1) and weekend days by at most `policy.weekend_spread` (default 2). Someone who joined or left inside the span is not compared, and nobody is on a rota whose cycle is longer than a year. `rota report` prints every member's counts.

Why: a share of on-call time can be even while the days that cost the most — Christmas, Easter, every Saturday — fall on the same people year after year. Counting last year too means that whoever had Christmas last year is not given it again.

Example: with holidays at Christmas, New Year and Easter on a weekly rota of eight, alice is primary or secondary on three bank holidays in the span and bob on none: a spread of 3 where 1 is allowed.

How to fix: `rota plan order --rota ROTA --from DATE` proposes a member order for a new block that spreads the holidays and weekends (and avoids leave and double-duty clashes); or trade a holiday turn with `rota swap`.",
    check: Some(holiday_fairness),
};

/// Bank-holiday and weekend duty days held by one person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayCounts {
    pub holidays: u32,
    pub weekends: u32,
}

impl std::ops::Add for DayCounts {
    type Output = DayCounts;
    fn add(self, other: DayCounts) -> DayCounts {
        DayCounts {
            holidays: self.holidays + other.holidays,
            weekends: self.weekends + other.weekends,
        }
    }
}

/// One member's counts on one rota: before today and from today on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberCounts {
    pub person: String,
    pub before: DayCounts,
    pub ahead: DayCounts,
    /// In the rotation through the whole span (and so compared with the others).
    pub compared: bool,
}

impl MemberCounts {
    pub fn total(&self) -> DayCounts {
        self.before + self.ahead
    }
}

/// The counts of every member of one out-of-hours rota over its fairness span.
#[derive(Clone, Debug)]
pub struct RotaCounts {
    pub rota: String,
    /// Whole turns: from the start of the span before today to the end of the year ahead.
    pub span: Interval,
    /// Where "before" ends and "ahead" starts: the start of the turn in force today.
    pub split: Instant,
    /// In the order the rota lists its members.
    pub members: Vec<MemberCounts>,
}

/// Bank-holiday and weekend duty days per person on one rota over `window`: a day counts
/// for whoever is on call (non-shadow positions) for at least half of its duty hours.
///
/// Each day looks only at the duty hours and segments that overlap it (found by a binary
/// search in each sorted list), so the cost grows with the days and what they hold, not
/// with the days times the whole schedule.
pub fn day_counts(
    rs: &RotaSchedule,
    config: &Config,
    window: Interval,
) -> BTreeMap<String, DayCounts> {
    let tz = config.timezone;
    let mut out: BTreeMap<String, DayCounts> = BTreeMap::new();
    let mut day = time::local_date(tz, window.start);
    let last = time::local_date(tz, window.end);
    while day <= last {
        let Some(next) = day.checked_add_days(Days::new(1)) else {
            break;
        };
        let holiday = config.holidays.contains(&day);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if holiday || weekend {
            let span = Interval::new(time::start_of_day(tz, day), time::start_of_day(tz, next));
            if let Some(span) = span.intersect(&window) {
                for person in rs.counted_people(span) {
                    let c = out.entry(person).or_default();
                    if holiday {
                        c.holidays += 1;
                    } else {
                        c.weekends += 1;
                    }
                }
            }
        }
        day = next;
    }
    out
}

/// `fairness_window` in turns of `rota` (rounded up), at least one.
fn window_turns(config: &Config, rota: &Rota, clock: Clock, turn_hours: i64) -> i64 {
    let window = rota.policy.apply(&config.policy).fairness_window;
    let days = (window.after_date(clock.today) - clock.today)
        .num_days()
        .max(1);
    (days * 24 + turn_hours - 1) / turn_hours.max(1)
}

/// The counts of each member of `rota` (an out-of-hours rota; `None` for any other or
/// an unknown id), computed from the repository's own schedule of that rota.
pub fn member_counts(model: &Model, clock: Clock, rota: &str) -> Option<RotaCounts> {
    let rota = model.rota(rota)?;
    rota_counts(&model.repo.config, &model.repo.people, rota, clock)
}

/// As [`member_counts`], for a rota given as a value (a proposed change of it).
///
/// The span is whole rotation cycles, as share windows are (docs/data-format.md, "share,
/// precisely"), so that an even rota is not penalised for where a year happens to cut
/// it: ahead of today, `fairness_window` rounded up to whole cycles of the block in
/// force today; before it, as many whole cycles as fit in `fairness_window` since the
/// rota began.
pub fn rota_counts(
    config: &Config,
    people: &[Person],
    rota: &Rota,
    clock: Clock,
) -> Option<RotaCounts> {
    // Turns shorter than a day share each day between several people: not counted.
    if rota.kind != RotaKind::OutOfHours
        || rota.blocks.is_empty()
        || rota.blocks.iter().any(|b| b.every.hours() < 24)
    {
        return None;
    }
    let tz = config.timezone;
    let today = time::start_of_day(tz, clock.today);
    let longest = rota
        .blocks
        .iter()
        .map(|b| b.every.hours())
        .max()
        .unwrap_or(24)
        .max(1);
    let shortest = rota
        .blocks
        .iter()
        .map(|b| b.every.hours())
        .min()
        .unwrap_or(24)
        .max(1);
    // Enough turns either side: the window, rounded up to a year of cycles, twice.
    // The window, and up to a year more to round it to whole cycles.
    let reach = chrono::TimeDelta::hours(
        (window_turns(config, rota, clock, shortest) * shortest + 53 * 7 * 24).min(5 * 366 * 24),
    );
    let around = Interval::new(
        today - reach,
        today + reach + chrono::TimeDelta::hours(longest),
    );
    let schedule = Schedule::compute(config, people, std::slice::from_ref(rota), around);
    let rs = schedule.rota(&rota.id)?;
    let now = rs
        .turn_at(today)
        .or_else(|| rs.turns.iter().position(|t| t.start >= today))?;
    let cycle_of = |turn: usize| -> i64 {
        let t = &rs.turns[turn];
        let hours = rota.blocks[t.block].every.hours().max(1);
        crate::schedule::cycle_turns(rota, t.block).clamp(1, (52 * 7 * 24 / hours).max(1))
    };
    let hours_of = |turn: usize| rota.blocks[rs.turns[turn].block].every.hours().max(1);
    let ahead_cycle = cycle_of(now);
    let want = window_turns(config, rota, clock, hours_of(now));
    let ahead = ((want + ahead_cycle - 1) / ahead_cycle * ahead_cycle) as usize;
    let mut last = (now + ahead).min(rs.turns.len());
    // When a later block starts inside the span, its part is whole cycles of its own.
    if let Some(end_turn) = last
        .checked_sub(1)
        .filter(|&e| rs.turns[e].block != rs.turns[now].block)
    {
        let block = rs.turns[end_turn].block;
        let from = rs
            .turns
            .iter()
            .position(|t| t.block == block)
            .unwrap_or(now)
            .max(now);
        let cycle = cycle_of(end_turn) as usize;
        let part = last - from;
        last = (from + part.div_ceil(cycle) * cycle).min(rs.turns.len());
    }
    let end = rs
        .turns
        .get(last)
        .map(|t| t.start)
        .unwrap_or_else(|| rs.turns[last - 1].end);
    let (before_cycle, available) = match now.checked_sub(1) {
        Some(prev) => (cycle_of(prev), now as i64),
        None => (1, 0),
    };
    let want = window_turns(config, rota, clock, now.checked_sub(1).map_or(24, hours_of));
    let before = ((want + before_cycle - 1) / before_cycle * before_cycle)
        .min(available / before_cycle * before_cycle) as usize;
    let start = rs.turns[now - before].start;
    let split = rs.turns[now].start;
    let span = Interval::new(start, end);
    let counted_before = day_counts(rs, config, Interval::new(start, split));
    let counted_ahead = day_counts(rs, config, Interval::new(split, end));
    // A rotation that does not come round within a year (more members than weeks) gives
    // some members no weekend in the span at all: nothing fair to compare.
    let comes_round = rs
        .turns
        .iter()
        .filter(|t| t.start >= start && t.start < end)
        .map(|t| t.block)
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .all(|b| {
            let hours = rota.blocks[b].every.hours().max(1);
            crate::schedule::cycle_turns(rota, b) <= (52 * 7 * 24 / hours).max(1)
        });
    let mut throughout = in_rotation_throughout(config, people, rota, span);
    if !comes_round {
        throughout.clear();
    }
    let members = rota
        .duty_members()
        .into_iter()
        .map(|m| MemberCounts {
            person: m.id.clone(),
            before: counted_before.get(&m.id).copied().unwrap_or_default(),
            ahead: counted_ahead.get(&m.id).copied().unwrap_or_default(),
            compared: throughout.contains(m.id.as_str()),
        })
        .collect();
    Some(RotaCounts {
        rota: rota.id.clone(),
        span,
        split,
        members,
    })
}

/// The duty members of every block in force during `span` who have not left by its end.
fn in_rotation_throughout<'a>(
    config: &Config,
    people: &[Person],
    rota: &'a Rota,
    span: Interval,
) -> BTreeSet<&'a str> {
    let tz = rota.timezone;
    let starts: Vec<Instant> = rota
        .blocks
        .iter()
        .map(|b| time::local_to_instant(tz, b.handover.on(b.start)))
        .collect();
    let mut common: Option<BTreeSet<&str>> = None;
    for (i, block) in rota.blocks.iter().enumerate() {
        let from = starts[i];
        let to = starts.get(i + 1).copied();
        if from >= span.end || to.is_some_and(|t| t <= span.start) {
            continue;
        }
        let members: BTreeSet<&str> = block
            .positions
            .iter()
            .filter(|p| !p.shadow)
            .flat_map(|p| block.members_of(p))
            .map(|m| m.id.as_str())
            .collect();
        common = Some(match common {
            None => members,
            Some(c) => c.intersection(&members).copied().collect(),
        });
    }
    let last_day = time::local_date(config.timezone, span.end);
    let mut out = common.unwrap_or_default();
    out.retain(|id| {
        people
            .iter()
            .find(|p| p.id == *id)
            .is_none_or(|p| p.left.is_none_or(|l: NaiveDate| l >= last_day))
    });
    out
}

/// What is compared: its words, its policy key, the spread allowed, and the count.
type Measure = (&'static str, &'static str, u32, fn(DayCounts) -> u32);

fn holiday_fairness(ctx: &Ctx, out: &mut Vec<Finding>) {
    let tz = ctx.repo.config.timezone;
    for rota in &ctx.repo.rotas {
        let Some(counts) = member_counts(ctx.model, ctx.clock, &rota.id) else {
            continue;
        };
        let policy = ctx.policy(rota);
        let compared: Vec<&MemberCounts> = counts.members.iter().filter(|m| m.compared).collect();
        let span = format!(
            "{} to {}",
            time::local_date(tz, counts.span.start),
            time::local_date(tz, counts.span.end)
        );
        let kinds: [Measure; 2] = [
            (
                "bank-holiday",
                "holiday_spread",
                policy.holiday_spread,
                |c| c.holidays,
            ),
            ("weekend", "weekend_spread", policy.weekend_spread, |c| {
                c.weekends
            }),
        ];
        for (what, key, spread, of) in kinds {
            // Most first, then the order of the list: the same finding every run.
            let most = compared
                .iter()
                .max_by_key(|m| (of(m.total()), std::cmp::Reverse(m.person.as_str())));
            let least = compared
                .iter()
                .min_by_key(|m| (of(m.total()), m.person.as_str()));
            let (Some(most), Some(least)) = (most, least) else {
                continue;
            };
            let (hi, lo) = (of(most.total()), of(least.total()));
            if hi - lo <= spread {
                continue;
            }
            // The message names the rota and the measure only, so that the finding stays
            // the same finding while who has most changes (`rota diff`, `--new-since`).
            out.push(
                Finding::warning(
                    RuleId::HolidayFairness,
                    ctx.member_loc(rota, &most.person),
                    format!(
                        "on rota `{}`, {what} duty days per member differ by {} over the year before today and the year ahead, more than `policy.{key}` ({spread}) allows",
                        rota.id,
                        hi - lo
                    ),
                )
                .with_help(format!(
                    "{} has {hi} and {} has {lo} ({span}); `rota plan order --rota {} --from DATE` proposes an order for a new block that evens them out, or trade a {what} turn of {} with {} (`rota swap`); `rota report` lists everyone's counts",
                    most.person, least.person, rota.id, most.person, least.person
                )),
            );
        }
    }
}
