//! A rota's rotation laid out for arithmetic: where turn k of each block starts in local
//! wall-clock time, who holds each position in turn k, who has left, and the overrides in
//! nesting order. Every question about a span of time is answered by computing that span
//! only: the turn at an instant is found by date arithmetic, never by walking from the
//! rota's start.

use super::interval::{self, Interval, merge};
use super::{PositionTimeline, Replaced, Segment, Source, Turn, hours};
use crate::model::{Config, Named, Rota};
use crate::time::{self, Instant};
use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

/// Local wall-clock slack when estimating a turn index from an instant: more than any
/// offset change in the time-zone database (Samoa skipped a whole day in 2011).
const SLACK_HOURS: i64 = 30;

/// The last instant chrono can represent, standing for "no end".
pub fn no_end() -> Instant {
    chrono::DateTime::<chrono::Utc>::MAX_UTC
}

/// One rotation block, ready for arithmetic.
#[derive(Clone, Debug)]
pub struct BlockPlan {
    /// Local wall-clock time of turn 0's handover.
    pub first_local: NaiveDateTime,
    /// Wall-clock seconds between handovers.
    pub step: i64,
    /// The instant of turn 0's handover.
    pub start: Instant,
    /// Where the block's turns stop: the next block's first handover or the end of its
    /// `until` day, whichever is first; `None`: never.
    pub end: Option<Instant>,
    /// Per position of the block: how far its cycle is shifted (`first:`).
    pub shifts: Vec<i128>,
}

/// Everything needed to compute any span of one rota's schedule.
#[derive(Clone, Debug)]
pub struct RotaPlan {
    pub rota: Rota,
    pub tz: Tz,
    pub blocks: Vec<BlockPlan>,
    /// Instant from which a member who left holds nothing (start of the day after `left`).
    pub left: BTreeMap<String, Instant>,
    pub holidays: BTreeSet<NaiveDate>,
    /// From the first handover to the end of the last block's `until` day (or
    /// [`no_end`]): the instants at which duty hours apply, gaps between blocks included.
    pub span: Option<Interval>,
    /// Position names in order of first appearance, and whether each is a shadow.
    pub names: Vec<(String, bool)>,
    /// Rank of each override in nesting order: longest span first, so that nested ones
    /// are painted last and win.
    rank: Vec<usize>,
    /// Override indexes sorted by `from`, and the running maximum of their `to`.
    by_from: Vec<usize>,
    max_to: Vec<Instant>,
}

impl RotaPlan {
    pub fn new(config: &Config, left: &BTreeMap<&str, Instant>, rota: &Rota) -> RotaPlan {
        let tz = rota.timezone;
        let mut blocks: Vec<BlockPlan> = Vec::with_capacity(rota.blocks.len());
        for (b, block) in rota.blocks.iter().enumerate() {
            let first_local = block.handover.on(block.start);
            let mut end = rota
                .blocks
                .get(b + 1)
                .map(|next| time::local_to_instant(tz, next.handover.on(next.start)));
            if let Some(until) = block.until {
                let until_end = day_end(tz, until);
                end = Some(end.map_or(until_end, |e| e.min(until_end)));
            }
            blocks.push(BlockPlan {
                first_local,
                step: block.every.times(1).num_seconds().max(1),
                start: time::local_to_instant(tz, first_local),
                end,
                shifts: Vec::new(),
            });
        }
        let span = match (blocks.first(), rota.blocks.last()) {
            (Some(first), Some(last)) => {
                let end = last.until.map(|u| day_end(tz, u)).unwrap_or_else(no_end);
                Some(Interval::new(first.start, end.max(first.start)))
            }
            _ => None,
        };
        let members: BTreeSet<&str> = rota
            .blocks
            .iter()
            .flat_map(|b| b.positions.iter().flat_map(move |p| b.members_of(p)))
            .map(|m| m.id.as_str())
            .collect();
        let mut names: Vec<(String, bool)> = Vec::new();
        for n in rota.position_names() {
            names.push((n.to_string(), rota.is_shadow(n)));
        }
        let mut order: Vec<usize> = (0..rota.overrides.len()).collect();
        order.sort_by_key(|i| {
            let o = &rota.overrides[*i];
            (std::cmp::Reverse(o.to - o.from), o.from, *i)
        });
        let mut rank = vec![0; order.len()];
        for (r, i) in order.iter().enumerate() {
            rank[*i] = r;
        }
        let mut by_from: Vec<usize> = (0..rota.overrides.len()).collect();
        by_from.sort_by_key(|i| (rota.overrides[*i].from, *i));
        let mut max_to = Vec::with_capacity(by_from.len());
        for i in &by_from {
            let to = rota.overrides[*i].to;
            max_to.push(max_to.last().map_or(to, |m: &Instant| (*m).max(to)));
        }
        let mut plan = RotaPlan {
            rota: rota.clone(),
            tz,
            blocks,
            left: left
                .iter()
                .filter(|(id, _)| members.contains(**id))
                .map(|(id, at)| (id.to_string(), *at))
                .collect(),
            holidays: config.holidays.clone(),
            span,
            names,
            rank,
            by_from,
            max_to,
        };
        for b in 0..plan.blocks.len() {
            let shifts = plan.cycle_shifts(b);
            plan.blocks[b].shifts = shifts;
        }
        plan
    }

    /// Local wall-clock time of turn `k`'s handover in block `b`.
    fn local(&self, b: usize, k: i64) -> Option<NaiveDateTime> {
        let bp = &self.blocks[b];
        let secs = bp.step.checked_mul(k)?;
        bp.first_local
            .checked_add_signed(TimeDelta::try_seconds(secs)?)
    }

    /// Start and end of turn `k` of block `b` (the end cut at the block's end); `None`
    /// when the turn is beyond what a calendar can hold. The end may not be after the
    /// start (a turn on a local day that a time zone skipped): such a turn is dropped.
    pub fn bounds(&self, b: usize, k: i64) -> Option<(Instant, Instant)> {
        let start = time::local_to_instant(self.tz, self.local(b, k)?);
        let next = self
            .local(b, k + 1)
            .map(|l| time::local_to_instant(self.tz, l))
            .unwrap_or_else(no_end);
        let end = match self.blocks[b].end {
            Some(e) => next.min(e),
            None => next,
        };
        Some((start, end))
    }

    /// The largest k whose local handover is at or before `local` (may be negative).
    fn k_floor(&self, b: usize, local: NaiveDateTime) -> i64 {
        let bp = &self.blocks[b];
        (local - bp.first_local).num_seconds().div_euclid(bp.step)
    }

    /// A turn index of block `b` at or before the first turn that ends after `at`.
    fn k_from(&self, b: usize, at: Instant) -> i64 {
        let local = at.with_timezone(&self.tz).naive_local();
        let probe = local
            .checked_sub_signed(TimeDelta::hours(SLACK_HOURS))
            .unwrap_or(NaiveDateTime::MIN);
        self.k_floor(b, probe).max(0)
    }

    /// The last turn of block `b` that starts before `bound` (and before the block's end),
    /// or -1.
    pub fn last_k_before(&self, b: usize, bound: Instant) -> i64 {
        let bound = match self.blocks[b].end {
            Some(e) => bound.min(e),
            None => bound,
        };
        if bound <= self.blocks[b].start {
            return -1;
        }
        let local = bound.with_timezone(&self.tz).naive_local();
        let probe = local
            .checked_add_signed(TimeDelta::hours(SLACK_HOURS))
            .unwrap_or(NaiveDateTime::MAX);
        let mut k = self.k_floor(b, probe).max(0);
        while k >= 0 {
            match self.bounds(b, k) {
                Some((start, _)) if start < bound => return k,
                _ => k -= 1,
            }
        }
        -1
    }

    /// Every turn that overlaps `window`, in order; dropped turns left out. The work is
    /// proportional to the number of turns in the window.
    pub fn turns_in(&self, window: Interval) -> Vec<Turn> {
        let mut out = Vec::new();
        if window.is_empty() {
            return out;
        }
        for (b, bp) in self.blocks.iter().enumerate() {
            if bp.start >= window.end || bp.end.is_some_and(|e| e <= window.start) {
                continue;
            }
            let mut k = self.k_from(b, window.start);
            while let Some((start, end)) = self.bounds(b, k) {
                if start >= window.end || bp.end.is_some_and(|e| start >= e) {
                    break;
                }
                if end > start && end > window.start {
                    out.push(Turn {
                        block: b,
                        index: k,
                        start,
                        end,
                    });
                }
                k += 1;
            }
        }
        out
    }

    /// Who holds the position at `def` of block `b` in turn `k` by the rotation alone
    /// (before `left` and overrides).
    pub fn holder(&self, b: usize, def: usize, k: i64) -> Option<&Named> {
        let block = self.rota.blocks.get(b)?;
        let position = block.positions.get(def)?;
        let list = block.members_of(position);
        if list.is_empty() {
            return None;
        }
        let shift = self.blocks[b].shifts.get(def).copied().unwrap_or(0);
        let index =
            (i128::from(k) + shift + i128::from(position.offset)).rem_euclid(list.len() as i128);
        list.get(index as usize)
    }

    /// Per position of block `b`, the cycle shift. Without `first:` every cycle restarts
    /// at the block's start. With `first: PERSON`, PERSON holds the first position in the
    /// first turn, positions drawing from the same list keep their offsets from it, and a
    /// position with a list of its own carries on its cycle from the block before: the
    /// member after the one who held it in that block's last turn.
    fn cycle_shifts(&self, b: usize) -> Vec<i128> {
        let block = &self.rota.blocks[b];
        let Some(first) = &block.first else {
            return vec![0; block.positions.len()];
        };
        let Some(lead) = block.positions.first() else {
            return Vec::new();
        };
        let lead_list = block.members_of(lead);
        let lead_shift = lead_list
            .iter()
            .position(|m| m.id == first.id)
            .map(|i| i as i128 - i128::from(lead.offset))
            .unwrap_or(0);
        let same = |a: &[Named], b: &[Named]| {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id)
        };
        block
            .positions
            .iter()
            .map(|p| {
                let list = block.members_of(p);
                if same(list, lead_list) || b == 0 || list.is_empty() {
                    return lead_shift;
                }
                let prev = &self.rota.blocks[b - 1];
                let Some(prev_def) = prev.positions.iter().position(|q| q.name == p.name) else {
                    return lead_shift;
                };
                let bound = self.blocks[b].start;
                let k_last = self.last_k_before(b - 1, bound);
                let prev_list = prev.members_of(&prev.positions[prev_def]);
                if prev_list.is_empty() {
                    return lead_shift;
                }
                let prev_shift = self.blocks[b - 1]
                    .shifts
                    .get(prev_def)
                    .copied()
                    .unwrap_or(0);
                let prev_index =
                    (i128::from(k_last) + prev_shift + i128::from(prev.positions[prev_def].offset))
                        .rem_euclid(prev_list.len() as i128);
                let last_holder = &prev_list[prev_index as usize].id;
                let next = match list.iter().position(|m| &m.id == last_holder) {
                    Some(i) => i as i128 + 1,
                    None => prev_index + 1,
                };
                next - i128::from(p.offset)
            })
            .collect()
    }

    /// Overrides that overlap `span`, in nesting order.
    pub fn overrides_over(&self, span: Interval) -> Vec<usize> {
        let hi = self
            .by_from
            .partition_point(|i| self.rota.overrides[*i].from < span.end);
        let mut out = Vec::new();
        for j in (0..hi).rev() {
            if self.max_to[j] <= span.start {
                break;
            }
            let i = self.by_from[j];
            if self.rota.overrides[i].to > span.start {
                out.push(i);
            }
        }
        out.sort_by_key(|i| self.rank[*i]);
        out
    }

    /// The timelines of every position over `turns` (consecutive turns of this rota),
    /// with `left` and the overrides applied, and what each override replaced.
    pub fn timelines(&self, turns: &[Turn]) -> (Vec<PositionTimeline>, Vec<Vec<Replaced>>) {
        self.timelines_of(turns, None)
    }

    /// [`timelines`](Self::timelines) of one position only, or of all with `None`: each
    /// position's timeline is painted on its own, so one alone is the same timeline (the
    /// look-ahead of `held_until` and `next_holder` computes just the one it follows).
    pub fn timelines_of(
        &self,
        turns: &[Turn],
        only: Option<&str>,
    ) -> (Vec<PositionTimeline>, Vec<Vec<Replaced>>) {
        let mut positions: Vec<PositionTimeline> = self
            .names
            .iter()
            .filter(|(name, _)| only.is_none_or(|o| o == name))
            .map(|(name, shadow)| PositionTimeline {
                name: name.clone(),
                shadow: *shadow,
                segments: Vec::new(),
            })
            .collect();
        // Per block, the timeline of each of its positions (looked up once, not per turn).
        let timeline_of: Vec<Vec<Option<usize>>> = self
            .rota
            .blocks
            .iter()
            .map(|b| {
                b.positions
                    .iter()
                    .map(|p| positions.iter().position(|t| t.name == p.name))
                    .collect()
            })
            .collect();
        for (i, turn) in turns.iter().enumerate() {
            let block = &self.rota.blocks[turn.block];
            for (def, _) in block.positions.iter().enumerate() {
                let Some(timeline) = timeline_of[turn.block][def].map(|t| &mut positions[t]) else {
                    continue;
                };
                let holder = self
                    .holder(turn.block, def, turn.index)
                    .map(|n| n.id.clone());
                push_base(&mut timeline.segments, i, turn, holder, &self.left);
            }
        }
        let mut replaced: Vec<Vec<Replaced>> = vec![Vec::new(); self.rota.overrides.len()];
        if let (Some(first), Some(last)) = (turns.first(), turns.last()) {
            for i in self.overrides_over(Interval::new(first.start, last.end)) {
                let o = &self.rota.overrides[i];
                let span = Interval::new(o.from, o.to);
                for (p, timeline) in positions.iter_mut().enumerate() {
                    let only = match (&o.position, &o.replaces) {
                        (Some(named), _) if named.id == timeline.name => None,
                        (Some(_), _) => continue,
                        (None, Some(r)) => Some(r.id.as_str()),
                        (None, None) => continue,
                    };
                    let person = o.person.as_ref().map(|n| n.id.as_str());
                    let beneath = paint(&mut timeline.segments, span, person, i, only);
                    replaced[i].extend(beneath.into_iter().map(|segment| Replaced {
                        position: p,
                        segment,
                    }));
                }
            }
        }
        for timeline in &mut positions {
            coalesce(&mut timeline.segments);
        }
        (positions, replaced)
    }

    /// Duty intervals of the rota inside `window` (within its span only).
    pub fn duty(&self, window: Interval) -> Vec<Interval> {
        let (Some(hours), Some(span)) = (&self.rota.hours, self.span) else {
            return Vec::new();
        };
        match window.intersect(&span) {
            Some(w) => hours::duty_intervals(hours, self.tz, &self.holidays, w),
            None => Vec::new(),
        }
    }

    /// Whether the rota is on duty at `t`: inside its span and its duty hours.
    pub fn on_duty(&self, t: Instant) -> bool {
        let Some(next) = t.checked_add_signed(TimeDelta::seconds(1)) else {
            return false;
        };
        !self.duty(Interval::new(t, next)).is_empty()
    }

    /// The people a turn counts for: those who hold at least half of its duty hours in
    /// non-shadow positions. `segments` are the turn's segments (any position).
    pub fn counted_people<'s>(
        turn: Interval,
        duty: &[Interval],
        positions: impl Iterator<Item = (&'s PositionTimeline, &'s [Segment])>,
    ) -> Vec<String> {
        let duty = interval::clip(duty, turn);
        let duty_len = interval::total(&duty);
        if duty_len <= TimeDelta::zero() {
            return Vec::new();
        }
        let mut held: BTreeMap<&str, Vec<Interval>> = BTreeMap::new();
        for (p, segments) in positions {
            if p.shadow {
                continue;
            }
            for s in segments {
                if let Some(person) = &s.person {
                    held.entry(person.as_str()).or_default().push(s.span());
                }
            }
        }
        held.into_iter()
            .filter(|(_, spans)| {
                // Holding the whole turn (the usual case) is holding all its duty hours.
                if spans
                    .iter()
                    .any(|s| s.start <= turn.start && turn.end <= s.end)
                {
                    return true;
                }
                let on = interval::total(&interval::intersect(&merge(spans.clone()), &duty));
                on * 2 >= duty_len
            })
            .map(|(p, _)| p.to_string())
            .collect()
    }
}

/// The instant a local date ends (the start of the next day) in `tz`.
pub fn day_end(tz: Tz, date: NaiveDate) -> Instant {
    match date.checked_add_days(Days::new(1)) {
        Some(next) => time::start_of_day(tz, next),
        None => no_end(),
    }
}

/// Appends the rotation's segment(s) for one turn: the holder, cut where they left.
fn push_base(
    out: &mut Vec<Segment>,
    i: usize,
    turn: &Turn,
    holder: Option<String>,
    left: &BTreeMap<String, Instant>,
) {
    let cutoff = holder.as_deref().and_then(|h| left.get(h)).copied();
    let segment = |start, end, person| Segment {
        turn: i,
        start,
        end,
        person,
        source: Source::Rotation,
    };
    match cutoff {
        Some(cut) if cut <= turn.start => out.push(segment(turn.start, turn.end, None)),
        Some(cut) if cut < turn.end => {
            out.push(segment(turn.start, cut, holder));
            out.push(segment(cut, turn.end, None));
        }
        _ => out.push(segment(turn.start, turn.end, holder)),
    }
}

/// Lays override `i` over `segments` inside `span`: everywhere, or (`only`) where that
/// person holds the position at the instant. Returns what it replaced.
fn paint(
    segments: &mut Vec<Segment>,
    span: Interval,
    person: Option<&str>,
    i: usize,
    only: Option<&str>,
) -> Vec<Segment> {
    let lo = segments.partition_point(|s| s.end <= span.start);
    let hi = segments.partition_point(|s| s.start < span.end);
    let mut beneath = Vec::new();
    if lo >= hi {
        return beneath;
    }
    let mut next = Vec::with_capacity(hi - lo + 2);
    for s in &segments[lo..hi] {
        let inside = s.span().intersect(&span);
        let applies = only.is_none_or(|r| s.person.as_deref() == Some(r));
        let Some(inside) = inside.filter(|_| applies) else {
            next.push(s.clone());
            continue;
        };
        if s.start < inside.start {
            next.push(Segment {
                end: inside.start,
                ..s.clone()
            });
        }
        beneath.push(Segment {
            start: inside.start,
            end: inside.end,
            ..s.clone()
        });
        next.push(Segment {
            start: inside.start,
            end: inside.end,
            person: person.map(str::to_string),
            source: Source::Override(i),
            turn: s.turn,
        });
        if inside.end < s.end {
            next.push(Segment {
                start: inside.end,
                ..s.clone()
            });
        }
    }
    segments.splice(lo..hi, next);
    beneath
}

/// Joins touching segments of one turn with the same holder and source: a shift is split
/// only where its holder changes (a `left` cut hidden under an override splits nothing).
fn coalesce(segments: &mut Vec<Segment>) {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for s in segments.drain(..) {
        match out.last_mut() {
            Some(last)
                if last.turn == s.turn
                    && last.end == s.start
                    && last.person == s.person
                    && last.source == s.source =>
            {
                last.end = s.end;
            }
            _ => out.push(s),
        }
    }
    *segments = out;
}
