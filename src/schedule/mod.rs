//! The schedule engine: rotation blocks → turns between handovers → who holds each
//! position (with `left` and overrides applied) → on-call intervals. Pure: no I/O, no
//! rules, no output formats; everything is exact instants.

pub mod hours;
pub mod interval;

use crate::model::{Config, Override, Person, Rota};
use crate::time::{self, Instant};
use chrono::{Days, TimeDelta};
use interval::{Interval, merge};
use std::collections::BTreeMap;

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
    /// Index into the rota's turns.
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

/// A shift: one person, one position, one turn (split where an override cuts it).
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

/// One position's timeline in a rota.
#[derive(Clone, Debug)]
pub struct PositionTimeline {
    pub name: String,
    pub shadow: bool,
    /// The rotation alone (with `left`), before overrides.
    pub base: Vec<Segment>,
    /// With overrides applied.
    pub segments: Vec<Segment>,
}

/// Everything computed about one rota up to a horizon.
#[derive(Clone, Debug)]
pub struct RotaSchedule {
    pub rota: String,
    pub turns: Vec<Turn>,
    pub positions: Vec<PositionTimeline>,
    /// On-duty intervals (duty hours within the rota's active span), merged.
    pub duty: Vec<Interval>,
    /// From the first handover to `until` (or the computed horizon).
    pub active: Option<Interval>,
}

/// The whole repository's schedule, computed up to `to`.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub rotas: Vec<RotaSchedule>,
    pub to: Instant,
}

impl Schedule {
    /// Computes every rota from its first handover until `to` (turns that start before
    /// `to` are complete).
    pub fn compute(config: &Config, people: &[Person], rotas: &[Rota], to: Instant) -> Schedule {
        let left: BTreeMap<&str, Instant> = people
            .iter()
            .filter_map(|p| {
                let last = p.left?;
                Some((p.id.as_str(), last))
            })
            .map(|(id, last)| (id, time::start_of_day(config.timezone, last + Days::new(1))))
            .collect();
        Schedule {
            rotas: rotas
                .iter()
                .map(|r| RotaSchedule::compute(config, &left, r, to))
                .collect(),
            to,
        }
    }

    pub fn rota(&self, id: &str) -> Option<&RotaSchedule> {
        self.rotas.iter().find(|r| r.rota == id)
    }

    /// Every shift overlapping `window`, sorted by start, rota, position.
    pub fn shifts(&self, window: Interval) -> Vec<Shift<'_>> {
        let mut out: Vec<Shift> = self.rotas.iter().flat_map(|r| r.shifts(window)).collect();
        out.sort_by(|a, b| (a.start, a.rota, a.position).cmp(&(b.start, b.rota, b.position)));
        out
    }

    /// The instants `person` is on call (any rota, any non-shadow position, inside duty
    /// hours), merged.
    pub fn on_call(&self, person: &str) -> Vec<Interval> {
        merge(self.rotas.iter().flat_map(|r| r.on_call(person)).collect())
    }
}

impl RotaSchedule {
    fn compute(
        config: &Config,
        left: &BTreeMap<&str, Instant>,
        rota: &Rota,
        to: Instant,
    ) -> RotaSchedule {
        let tz = rota.timezone;
        let turns = turns(rota, to);
        let names = rota.position_names();
        let positions = names
            .iter()
            .map(|name| {
                let base = base_segments(rota, &turns, name, left);
                let segments = apply_overrides(rota, name, base.clone());
                PositionTimeline {
                    name: name.to_string(),
                    shadow: rota.is_shadow(name),
                    base,
                    segments,
                }
            })
            .collect();
        let active = match (turns.first(), turns.last()) {
            (Some(first), Some(last)) => Some(Interval::new(first.start, last.end)),
            _ => None,
        };
        let duty = match (&rota.hours, active) {
            (Some(hours), Some(active)) => {
                hours::duty_intervals(hours, tz, &config.holidays, active)
            }
            _ => Vec::new(),
        };
        RotaSchedule {
            rota: rota.id.clone(),
            turns,
            positions,
            duty,
            active,
        }
    }

    pub fn position(&self, name: &str) -> Option<&PositionTimeline> {
        self.positions.iter().find(|p| p.name == name)
    }

    /// The turn in force at `t`.
    pub fn turn_at(&self, t: Instant) -> Option<usize> {
        let i = self.turns.partition_point(|turn| turn.end <= t);
        self.turns.get(i).filter(|turn| turn.start <= t).map(|_| i)
    }

    pub fn on_duty(&self, t: Instant) -> bool {
        interval::covers(&self.duty, t)
    }

    /// Shifts of this rota overlapping `window`.
    pub fn shifts(&self, window: Interval) -> impl Iterator<Item = Shift<'_>> {
        self.positions.iter().flat_map(move |p| {
            p.segments
                .iter()
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
        let p = self.position(position)?;
        let i = p.segments.partition_point(|s| s.end <= t);
        p.segments.get(i).filter(|s| s.start <= t)
    }

    /// The end of the unbroken hold of `position` by whoever holds it at `t`
    /// (duty hours ignored); `None` when nobody holds it.
    pub fn held_until(&self, position: &str, t: Instant) -> Option<Instant> {
        let p = self.position(position)?;
        let i = p.segments.partition_point(|s| s.end <= t);
        let first = p.segments.get(i).filter(|s| s.start <= t)?;
        let person = first.person.as_ref()?;
        let mut end = first.end;
        for s in &p.segments[i + 1..] {
            if s.start != end || s.person.as_ref() != Some(person) {
                break;
            }
            end = s.end;
        }
        Some(end)
    }

    /// Distinct people on call (non-shadow positions) at `t`, ignoring duty hours.
    pub fn holders_at(&self, t: Instant) -> Vec<(&str, &str)> {
        self.positions
            .iter()
            .filter_map(|p| {
                let i = p.segments.partition_point(|s| s.end <= t);
                let s = p.segments.get(i).filter(|s| s.start <= t)?;
                Some((p.name.as_str(), s.person.as_deref()?))
            })
            .collect()
    }
}

/// Turns of every block from its start until the next block, `until`, or `to`.
pub fn turns(rota: &Rota, to: Instant) -> Vec<Turn> {
    let tz = rota.timezone;
    let mut out = Vec::new();
    for (b, block) in rota.blocks.iter().enumerate() {
        let first_local = block.handover.on(block.start);
        let mut end = rota
            .blocks
            .get(b + 1)
            .map(|next| time::local_to_instant(tz, next.handover.on(next.start)));
        if let Some(until) = block.until {
            let until_end = time::start_of_day(tz, until + Days::new(1));
            end = Some(end.map_or(until_end, |e| e.min(until_end)));
        }
        for k in 0.. {
            let start_local = first_local + block.every.times(k);
            let start = time::local_to_instant(tz, start_local);
            if start >= to || end.is_some_and(|e| start >= e) {
                break;
            }
            let mut turn_end = time::local_to_instant(tz, start_local + block.every.times(1));
            if let Some(e) = end {
                turn_end = turn_end.min(e);
            }
            if turn_end > start {
                out.push(Turn {
                    block: b,
                    index: k,
                    start,
                    end: turn_end,
                });
            }
        }
    }
    out
}

fn base_segments(
    rota: &Rota,
    turns: &[Turn],
    position: &str,
    left: &BTreeMap<&str, Instant>,
) -> Vec<Segment> {
    let mut out = Vec::new();
    for (i, turn) in turns.iter().enumerate() {
        let block = &rota.blocks[turn.block];
        let Some(def) = block.positions.iter().find(|p| p.name == position) else {
            continue;
        };
        let holder = block.holder(def, turn.index).map(|n| n.id.clone());
        let cutoff = holder.as_deref().and_then(|h| left.get(h)).copied();
        match cutoff {
            Some(cut) if cut <= turn.start => out.push(Segment {
                turn: i,
                start: turn.start,
                end: turn.end,
                person: None,
                source: Source::Rotation,
            }),
            Some(cut) if cut < turn.end => {
                out.push(Segment {
                    turn: i,
                    start: turn.start,
                    end: cut,
                    person: holder,
                    source: Source::Rotation,
                });
                out.push(Segment {
                    turn: i,
                    start: cut,
                    end: turn.end,
                    person: None,
                    source: Source::Rotation,
                });
            }
            _ => out.push(Segment {
                turn: i,
                start: turn.start,
                end: turn.end,
                person: holder,
                source: Source::Rotation,
            }),
        }
    }
    out
}

/// Does override `o` apply to `position`, given the rotation's segments?
pub fn override_applies(o: &Override, position: &str, base: &[Segment]) -> bool {
    match (&o.position, &o.replaces) {
        (Some(p), _) => p.id == position,
        (None, Some(r)) => {
            let span = Interval::new(o.from, o.to);
            base.iter()
                .any(|s| s.span().overlaps(&span) && s.person.as_deref() == Some(r.id.as_str()))
        }
        (None, None) => false,
    }
}

/// Paints overrides over the rotation, outermost first so that nested ones win.
fn apply_overrides(rota: &Rota, position: &str, base: Vec<Segment>) -> Vec<Segment> {
    let mut order: Vec<(usize, &Override)> = rota
        .overrides
        .iter()
        .enumerate()
        .filter(|(_, o)| override_applies(o, position, &base))
        .collect();
    order.sort_by_key(|(i, o)| (std::cmp::Reverse(o.to - o.from), o.from, *i));
    let mut segments = base;
    for (i, o) in order {
        segments = paint(segments, o, i);
    }
    segments
}

/// Lays override `o` (index `i` in the rota's list) over `segments`.
pub fn paint(segments: Vec<Segment>, o: &Override, i: usize) -> Vec<Segment> {
    let span = Interval::new(o.from, o.to);
    let mut next = Vec::with_capacity(segments.len() + 2);
    for s in segments {
        let Some(inside) = s.span().intersect(&span) else {
            next.push(s);
            continue;
        };
        if s.start < inside.start {
            next.push(Segment {
                end: inside.start,
                ..s.clone()
            });
        }
        next.push(Segment {
            start: inside.start,
            end: inside.end,
            person: o.person.as_ref().map(|p| p.id.clone()),
            source: Source::Override(i),
            turn: s.turn,
        });
        if inside.end < s.end {
            next.push(Segment {
                start: inside.end,
                ..s
            });
        }
    }
    next
}

/// The length of a rota's rotation cycle: the least common multiple of its member-list
/// lengths × `every`, per block (the first block that is in force at `t`).
pub fn cycle_turns(rota: &Rota, block: usize) -> i64 {
    let Some(b) = rota.blocks.get(block) else {
        return 1;
    };
    b.positions
        .iter()
        .map(|p| b.members_of(p).len().max(1) as i64)
        .fold(1, lcm)
}

fn lcm(a: i64, b: i64) -> i64 {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    a / gcd(a, b) * b
}

/// A span of whole turns' worth of wall-clock time (approximate for display).
pub fn turn_delta(rota: &Rota, block: usize) -> TimeDelta {
    rota.blocks
        .get(block)
        .map(|b| b.every.times(1))
        .unwrap_or(TimeDelta::weeks(1))
}
