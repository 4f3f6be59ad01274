//! The schedule engine: rotation blocks → turns between handovers → who holds each
//! position (with `left` and overrides applied) → on-call intervals. Pure: no I/O, no
//! rules, no output formats; everything is exact instants.
//!
//! A [`Schedule`] is computed for a window: the turns overlapping it, found by date
//! arithmetic from the rotation, so the cost follows the window asked about and never how
//! long ago a rota started. Questions that reach past the window (`held_until`,
//! `on_duty`, turns served before) compute what they need on demand.

pub mod history;
pub mod hours;
pub mod interval;
pub mod oncall;
mod plan;
pub mod swap;
pub mod toil;
pub mod window;

use crate::model::{Config, Named, Person, Rota};
use crate::time::Instant;
use chrono::TimeDelta;
use interval::{Interval, merge};
use plan::RotaPlan;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The longest window the engine computes (ten years): a longer one is cut to this
/// length from its start. Commands that take a window from the user refuse longer ones.
pub const MAX_WINDOW_DAYS: i64 = 3653;

/// How far ahead `held_until` looks before answering "no end planned".
pub const HOLD_LOOKAHEAD_DAYS: i64 = 5 * 365 + 2;

/// How far ahead `duty_edge` looks for the end or start of a duty window. Duty hours
/// are computed day by day, window by window: a year costs what `check` already spends.
pub const DUTY_LOOKAHEAD_DAYS: i64 = 366;

/// The span between two handovers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Turn {
    /// Index of the rotation block.
    pub block: usize,
    /// Turn number within the block (restarts at each block).
    pub index: i64,
    pub start: Instant,
    pub end: Instant,
}

impl Turn {
    pub fn span(&self) -> Interval {
        Interval::new(self.start, self.end)
    }
}

/// Where a holding comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Rotation,
    /// Index into the rota's `overrides`.
    Override(usize),
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Rotation => "rotation",
            Source::Override(_) => "override",
        }
    }
}

/// One position held (or left empty) for part or all of one turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Index into the rota schedule's `turns`.
    pub turn: usize,
    pub start: Instant,
    pub end: Instant,
    /// `None`: nobody holds the position (unfilled).
    pub person: Option<String>,
    pub source: Source,
}

impl Segment {
    pub fn span(&self) -> Interval {
        Interval::new(self.start, self.end)
    }
}

/// A shift: one person, one position, one turn (split only where the holder changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift<'a> {
    pub rota: &'a str,
    pub position: &'a str,
    pub person: &'a str,
    pub start: Instant,
    pub end: Instant,
    pub source: Source,
    pub turn: usize,
}

/// One position's timeline in a rota, over the computed turns.
#[derive(Clone, Debug)]
pub struct PositionTimeline {
    pub name: String,
    pub shadow: bool,
    /// With `left` and overrides applied; contiguous within each turn.
    pub segments: Vec<Segment>,
}

/// What an override replaced in one position: the holding beneath it (the rotation and
/// the overrides it is nested in), clipped to the override's span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaced {
    /// Index into the rota schedule's `positions`.
    pub position: usize,
    pub segment: Segment,
}

/// Everything computed about one rota over the schedule's window.
#[derive(Clone, Debug)]
pub struct RotaSchedule {
    pub rota: String,
    /// The turns overlapping the window (the first and last may reach beyond it).
    pub turns: Vec<Turn>,
    pub positions: Vec<PositionTimeline>,
    /// On-duty intervals (duty hours within the rota's span), merged, over `range`.
    pub duty: Vec<Interval>,
    /// From the first handover to the end of the last block's `until` day, or to the end
    /// of `range` when the rota has no end. Gaps between blocks are inside it.
    pub active: Option<Interval>,
    /// Per override (index in the rota's list): what it replaced inside `range`.
    pub replaced: Vec<Vec<Replaced>>,
    /// What was computed: the window widened to whole turns.
    pub range: Interval,
    plan: Arc<RotaPlan>,
}

/// The whole repository's schedule over a window.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub rotas: Vec<RotaSchedule>,
    pub window: Interval,
    index: BTreeMap<String, usize>,
}

impl Schedule {
    /// Computes every rota's turns that overlap `window` (cut to [`MAX_WINDOW_DAYS`]).
    pub fn compute(
        config: &Config,
        people: &[Person],
        rotas: &[Rota],
        window: Interval,
    ) -> Schedule {
        let window = bounded(window);
        let left: BTreeMap<&str, Instant> = people
            .iter()
            .filter_map(|p| Some((p.id.as_str(), plan::day_end(config.timezone, p.left?))))
            .collect();
        let rotas: Vec<RotaSchedule> = rotas
            .iter()
            .map(|r| RotaSchedule::compute(Arc::new(RotaPlan::new(config, &left, r)), window))
            .collect();
        let index = rotas
            .iter()
            .enumerate()
            .map(|(i, r)| (r.rota.clone(), i))
            .collect();
        Schedule {
            rotas,
            window,
            index,
        }
    }

    pub fn rota(&self, id: &str) -> Option<&RotaSchedule> {
        self.index.get(id).and_then(|i| self.rotas.get(*i))
    }

    /// Every shift overlapping `window` (inside the computed window), sorted by start,
    /// rota, position.
    pub fn shifts(&self, window: Interval) -> Vec<Shift<'_>> {
        let mut out: Vec<Shift> = self.rotas.iter().flat_map(|r| r.shifts(window)).collect();
        out.sort_by(|a, b| (a.start, a.rota, a.position).cmp(&(b.start, b.rota, b.position)));
        out
    }

    /// The instants `person` is on call (any rota, any non-shadow position, inside duty
    /// hours), merged, over the computed window.
    pub fn on_call(&self, person: &str) -> Vec<Interval> {
        merge(self.rotas.iter().flat_map(|r| r.on_call(person)).collect())
    }
}

/// `window` cut to at most [`MAX_WINDOW_DAYS`] from its start.
fn bounded(window: Interval) -> Interval {
    let max = window
        .start
        .checked_add_signed(TimeDelta::days(MAX_WINDOW_DAYS))
        .unwrap_or_else(plan::no_end);
    Interval::new(window.start, window.end.min(max).max(window.start))
}

/// One position of a rota at one instant: who holds it (`None`: unfilled) and until when
/// (`None`: no end planned within five years, or nobody holds it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub position: String,
    pub person: Option<String>,
    pub until: Option<Instant>,
}

impl RotaSchedule {
    fn compute(plan: Arc<RotaPlan>, window: Interval) -> RotaSchedule {
        let turns = plan.turns_in(window);
        let (positions, replaced) = plan.timelines(&turns);
        let range = widened(window, &turns);
        let duty = plan.duty(range);
        let active = plan.span.map(|s| {
            let end = if s.end == plan::no_end() {
                range.end
            } else {
                s.end
            };
            Interval::new(s.start, end.max(s.start))
        });
        RotaSchedule {
            rota: plan.rota.id.clone(),
            turns,
            positions,
            duty,
            active,
            replaced,
            range,
            plan,
        }
    }

    pub fn position(&self, name: &str) -> Option<&PositionTimeline> {
        self.positions.iter().find(|p| p.name == name)
    }

    /// The turn in force at `t` (among the computed turns).
    pub fn turn_at(&self, t: Instant) -> Option<usize> {
        let i = self.turns.partition_point(|turn| turn.end <= t);
        self.turns.get(i).filter(|turn| turn.start <= t).map(|_| i)
    }

    /// Whether the rota is on duty at `t`: between its first handover and the end of its
    /// `until` day (gaps between blocks included), inside its duty hours. The same answer
    /// at any distance from the computed window.
    pub fn on_duty(&self, t: Instant) -> bool {
        if self.range.contains(t) {
            interval::covers(&self.duty, t)
        } else {
            self.plan.on_duty(t)
        }
    }

    /// Shifts of this rota overlapping `window` (found by binary search: segments are
    /// sorted and do not overlap).
    pub fn shifts(&self, window: Interval) -> impl Iterator<Item = Shift<'_>> {
        self.positions.iter().flat_map(move |p| {
            let from = p.segments.partition_point(|s| s.end <= window.start);
            p.segments[from..]
                .iter()
                .take_while(move |s| s.start < window.end)
                .filter(move |s| s.span().overlaps(&window))
                .filter_map(move |s| {
                    Some(Shift {
                        rota: &self.rota,
                        position: &p.name,
                        person: s.person.as_deref()?,
                        start: s.start,
                        end: s.end,
                        source: s.source,
                        turn: s.turn,
                    })
                })
        })
    }

    /// The instants `person` holds any non-shadow position of this rota, in duty hours.
    pub fn on_call(&self, person: &str) -> Vec<Interval> {
        let held = merge(
            self.positions
                .iter()
                .filter(|p| !p.shadow)
                .flat_map(|p| &p.segments)
                .filter(|s| s.person.as_deref() == Some(person))
                .map(Segment::span)
                .collect(),
        );
        interval::intersect(&held, &self.duty)
    }

    /// The segment of `position` in force at `t`.
    pub fn segment_at(&self, position: &str, t: Instant) -> Option<&Segment> {
        segment_in(&self.position(position)?.segments, t)
    }

    /// Who would hold `position` in computed turn `turn` by the rotation alone (before
    /// `left` and overrides).
    pub fn rotation_holder(&self, turn: usize, position: &str) -> Option<&Named> {
        let turn = self.turns.get(turn)?;
        let block = self.plan.rota.blocks.get(turn.block)?;
        let def = block.positions.iter().position(|p| p.name == position)?;
        self.plan.holder(turn.block, def, turn.index)
    }

    /// Who holds each position of `rota` at `t` — the positions of the block in force,
    /// or every position of the rota between turns — and until when ([`held_until`]).
    /// `rota now`, the site and `api/oncall.json` all answer from this.
    ///
    /// [`held_until`]: RotaSchedule::held_until
    pub fn holdings_at(&self, rota: &Rota, t: Instant) -> Vec<Holding> {
        let names: Vec<&str> = match self.turn_at(t) {
            Some(i) => rota.blocks[self.turns[i].block]
                .positions
                .iter()
                .map(|p| p.name.as_str())
                .collect(),
            None => rota.position_names(),
        };
        names
            .into_iter()
            .map(|name| Holding {
                position: name.to_string(),
                person: self.segment_at(name, t).and_then(|s| s.person.clone()),
                until: self.held_until(name, t),
            })
            .collect()
    }

    /// The end of the unbroken hold of `position` by whoever holds it at `t` (duty hours
    /// ignored), however far ahead. `None` when nobody holds it at `t`, or when the hold
    /// does not end within five years ([`HOLD_LOOKAHEAD_DAYS`]): "no end planned".
    pub fn held_until(&self, position: &str, t: Instant) -> Option<Instant> {
        let limit = t.checked_add_signed(TimeDelta::days(HOLD_LOOKAHEAD_DAYS))?;
        let (mut range, mut segments) = self.segments_around(position, t)?;
        let first = segment_in(&segments, t)?;
        let person = first.person.clone()?;
        let mut end = first.end;
        let mut chunk = TimeDelta::days(28);
        loop {
            let mut i = segments.partition_point(|s| s.end <= end);
            while let Some(s) = segments.get(i) {
                if s.start > end || s.person.as_deref() != Some(person.as_str()) {
                    return Some(end);
                }
                end = s.end;
                i += 1;
            }
            if end >= limit {
                return None;
            }
            if end < range.end {
                // The computed data ends here without reaching the range's end: the
                // position does not go on (a gap, or a block without it).
                return Some(end);
            }
            let next = Interval::new(end, end.checked_add_signed(chunk)?.min(limit));
            let (r, later) = self.position_over(position, next);
            (range, segments) = (r, Cow::Owned(later));
            if segment_in(&segments, end).is_none_or(|s| s.person.as_deref() != Some(&person)) {
                return Some(end);
            }
            chunk = chunk * 2;
        }
    }

    /// The segments of `position` around `t`: this schedule's when `t` is inside what
    /// was computed, else `t`'s turn computed on its own. `None`: no such position.
    fn segments_around(
        &self,
        position: &str,
        t: Instant,
    ) -> Option<(Interval, Cow<'_, [Segment]>)> {
        if self.range.contains(t) {
            let p = self.position(position)?;
            return Some((self.range, Cow::Borrowed(&p.segments[..])));
        }
        let one = Interval::new(t, t.checked_add_signed(TimeDelta::seconds(1))?);
        let (range, segments) = self.position_over(position, one);
        Some((range, Cow::Owned(segments)))
    }

    /// One position's segments over `window` widened to whole turns, and that range:
    /// what the look-ahead computes, for the one position it follows (each position's
    /// timeline is painted on its own) and without duty hours.
    fn position_over(&self, position: &str, window: Interval) -> (Interval, Vec<Segment>) {
        let turns = self.plan.turns_in(window);
        let range = widened(window, &turns);
        let (positions, _) = self.plan.timelines_of(&turns, Some(position));
        let segments = positions
            .into_iter()
            .next()
            .map(|p| p.segments)
            .unwrap_or_default();
        (range, segments)
    }

    /// The segment of `position` at `t`, like [`segment_at`](Self::segment_at), computed
    /// on its own when `t` lies beyond what was computed (who takes over after a long
    /// hold).
    pub fn segment_at_anywhere(&self, position: &str, t: Instant) -> Option<Segment> {
        let (_, segments) = self.segments_around(position, t)?;
        segment_in(&segments, t).cloned()
    }

    /// When nobody holds `position` at `t` (unfilled, a gap between blocks, before the
    /// first turn): when someone next does, and who. However far ahead, up to five years
    /// ([`HOLD_LOOKAHEAD_DAYS`]); `None` beyond that, or when someone holds it at `t`.
    pub fn next_holder(&self, position: &str, t: Instant) -> Option<(Instant, String)> {
        let limit = t.checked_add_signed(TimeDelta::days(HOLD_LOOKAHEAD_DAYS))?;
        let (mut range, mut segments) = self.segments_around(position, t)?;
        if segment_in(&segments, t).is_some_and(|s| s.person.is_some()) {
            return None;
        }
        let mut from = t;
        let mut chunk = TimeDelta::days(28);
        loop {
            // The first segment someone holds that ends after `from`.
            let i = segments.partition_point(|s| s.end <= from);
            if let Some(s) = segments[i..].iter().find(|s| s.person.is_some()) {
                let start = s.start.max(from);
                return (start < limit).then(|| (start, s.person.clone().unwrap_or_default()));
            }
            from = range.end;
            if from >= limit {
                return None;
            }
            let next = Interval::new(from, from.checked_add_signed(chunk)?.min(limit));
            let (r, later) = self.position_over(position, next);
            (range, segments) = (r, Cow::Owned(later));
            chunk = chunk * 2;
        }
    }

    /// On duty at `t`, the end of the duty window in force; off duty, the start of the
    /// next one. Up to a year ahead ([`DUTY_LOOKAHEAD_DAYS`]); `None` beyond that
    /// (around the clock with no end, a rota that starts or comes back later, or never).
    pub fn duty_edge(&self, t: Instant) -> Option<Instant> {
        let on = self.on_duty(t);
        let edge = |duty: &[Interval]| {
            let d = duty.get(duty.partition_point(|d| d.end <= t))?;
            Some(if on { d.end } else { d.start }).filter(|&e| e > t)
        };
        if self.range.contains(t)
            && let Some(e) = edge(&self.duty).filter(|&e| e < self.range.end)
        {
            return Some(e);
        }
        let limit = t.checked_add_signed(TimeDelta::days(DUTY_LOOKAHEAD_DAYS))?;
        let mut chunk = TimeDelta::days(35);
        loop {
            let end = t.checked_add_signed(chunk)?.min(limit);
            let duty = merge(self.plan.duty(Interval::new(t, end)));
            if let Some(e) = edge(&duty).filter(|&e| e < end) {
                return Some(e);
            }
            if end >= limit {
                return None;
            }
            chunk = chunk * 2;
        }
    }

    /// The people `span` counts for, by the test each turn counts by
    /// ([`Self::counted_turns`]): those who hold at least half of its duty hours in
    /// non-shadow positions. Each position's segments that overlap it are found by
    /// bisection (a bank holiday's holders, `holiday-fairness`).
    pub fn counted_people(&self, span: Interval) -> Vec<String> {
        let positions = self.positions.iter().map(|p| {
            let from = p.segments.partition_point(|s| s.end <= span.start);
            let to = from + p.segments[from..].partition_point(|s| s.start < span.end);
            (p, &p.segments[from..to])
        });
        RotaPlan::counted_people(span, &self.duty, positions)
    }

    /// For each computed turn, the people it counts for: those who hold at least half of
    /// its duty hours in non-shadow positions (experience, streaks).
    pub fn counted_turns(&self) -> Vec<Vec<String>> {
        let mut per_turn: Vec<Vec<(&PositionTimeline, &[Segment])>> =
            vec![Vec::new(); self.turns.len()];
        for p in &self.positions {
            let mut i = 0;
            while i < p.segments.len() {
                let t = p.segments[i].turn;
                let j = i + p.segments[i..].partition_point(|s| s.turn == t);
                per_turn[t].push((p, &p.segments[i..j]));
                i = j;
            }
        }
        self.turns
            .iter()
            .zip(per_turn)
            .map(|(turn, parts)| {
                RotaPlan::counted_people(turn.span(), &self.duty, parts.into_iter())
            })
            .collect()
    }
}

/// The segment of a sorted, non-overlapping list in force at `t`.
/// `window` widened to the whole of `turns`, the turns overlapping it: what was computed.
fn widened(window: Interval, turns: &[Turn]) -> Interval {
    Interval::new(
        turns
            .first()
            .map_or(window.start, |t| t.start.min(window.start)),
        turns.last().map_or(window.end, |t| t.end.max(window.end)),
    )
}

fn segment_in(segments: &[Segment], t: Instant) -> Option<&Segment> {
    let i = segments.partition_point(|s| s.end <= t);
    segments.get(i).filter(|s| s.start <= t)
}

/// A rota's share window (what `max-share` measures over): from its first handover at or
/// after `from`, the config's `horizon` long, rounded up to whole cycles of the block in
/// force then (capped at 52 weeks), cut where the computed turns end. `None` when `rs`
/// has no turn from `from` on.
pub fn share_window(
    config: &Config,
    rota: &Rota,
    rs: &RotaSchedule,
    from: Instant,
) -> Option<Interval> {
    let first = rs.turns.iter().position(|t| t.start >= from)?;
    let turn = &rs.turns[first];
    let turn_hours = rota.blocks[turn.block].every.hours().max(1);
    let horizon_end = config.horizon.after_local(turn.start.naive_utc());
    let horizon_hours = (horizon_end - turn.start.naive_utc()).num_hours().max(1);
    let horizon_turns = (horizon_hours + turn_hours - 1) / turn_hours;
    let max_cycle = (52 * 7 * 24 / turn_hours).max(1);
    let cycle = cycle_turns(rota, turn.block).clamp(1, max_cycle);
    let turns = (horizon_turns + cycle - 1) / cycle * cycle;
    let last = (first + turns as usize).min(rs.turns.len());
    let end = rs
        .turns
        .get(last)
        .map(|t| t.start)
        .unwrap_or_else(|| rs.turns[last - 1].end);
    Some(Interval::new(turn.start, end))
}

/// The length of a rota's rotation cycle in turns: the least common multiple of its
/// member-list lengths (in block `block`); `i64::MAX` when that overflows. Callers cap it.
pub fn cycle_turns(rota: &Rota, block: usize) -> i64 {
    let Some(b) = rota.blocks.get(block) else {
        return 1;
    };
    b.positions
        .iter()
        .map(|p| b.members_of(p).len().max(1) as i64)
        .fold(1, |acc, n| lcm(acc, n).unwrap_or(i64::MAX))
}

/// Least common multiple, `None` on overflow.
fn lcm(a: i64, b: i64) -> Option<i64> {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    if a <= 0 || b <= 0 {
        return Some(a.max(b).max(1));
    }
    (a / gcd(a, b)).checked_mul(b)
}

#[cfg(test)]
mod tests {
    use super::lcm;

    /// Written to kill the mutants of `lcm`'s guard (`<=` → `>`, `||` → `&&`): the least
    /// common multiples are worked by hand; a length of 0 or less counts as 1.
    #[test]
    fn least_common_multiples() {
        assert_eq!(lcm(2, 3), Some(6));
        assert_eq!(lcm(4, 6), Some(12));
        assert_eq!(lcm(1, 5), Some(5));
        assert_eq!(lcm(0, 4), Some(4));
        assert_eq!(lcm(4, 0), Some(4));
        assert_eq!(lcm(0, 0), Some(1));
        // i64::MAX is odd: its lcm with 2 is twice it, which overflows.
        assert_eq!(lcm(i64::MAX, 2), None);
    }
}
