//! What several rules need from the model and the schedule: check windows, effective
//! policies, where a person or a holding is written, which turns count for whom, and
//! shares of on-call time.

use crate::model::Model;
use crate::model::Repo;
use crate::model::{Policy, Rota};
use crate::schedule::interval::{self, Interval, merge};
use crate::schedule::window::check_window_end;
use crate::schedule::{RotaSchedule, Schedule, Segment, Source};
use crate::source::Loc;
use crate::time::{self, Clock, Instant};
use chrono::TimeDelta;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Everything a rule reads.
pub struct Ctx<'a> {
    pub model: &'a Model,
    pub repo: &'a Repo,
    pub schedule: &'a Schedule,
    pub clock: Clock,
    /// Start of today in the config's time zone.
    pub today_start: Instant,
    pub window_end: Instant,
    /// Per rota (same order as `repo.rotas`): per turn, the people it counts for; built
    /// on first use.
    counted: OnceLock<Vec<Vec<Vec<String>>>>,
    /// Person → the rotas (indices into `repo.rotas`) they are a duty member of (any
    /// non-shadow position, any block), built once.
    pub rotas_of: BTreeMap<&'a str, Vec<usize>>,
    /// Per rota (same order as `repo.rotas`): where each member is listed.
    member_locs: Vec<BTreeMap<&'a str, Loc>>,
    /// Per rota (same order as `repo.rotas`): each person's on-call time (non-shadow
    /// positions, inside duty hours), merged; built on first use.
    on_call: OnceLock<Vec<BTreeMap<&'a str, Vec<Interval>>>>,
    shares: OnceLock<BTreeMap<String, Share>>,
    /// Whether `leave-conflict` tries trades to suggest (see [`super::TradeAdvice`]).
    pub trade_advice: super::TradeAdvice,
}

impl<'a> Ctx<'a> {
    pub fn new(model: &'a Model, schedule: &'a Schedule, clock: Clock) -> Ctx<'a> {
        let repo = &model.repo;
        let mut rotas_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, rota) in repo.rotas.iter().enumerate() {
            for m in rota.duty_members() {
                rotas_of.entry(m.id.as_str()).or_default().push(i);
            }
        }
        Ctx {
            model,
            repo,
            schedule,
            clock,
            today_start: time::start_of_day(repo.config.timezone, clock.today),
            window_end: check_window_end(&repo.config, clock),
            counted: OnceLock::new(),
            rotas_of,
            member_locs: repo.rotas.iter().map(Rota::member_locs).collect(),
            on_call: OnceLock::new(),
            shares: OnceLock::new(),
            trade_advice: super::TradeAdvice::Simulate,
        }
    }

    /// The index of a rota in `repo.rotas`.
    pub fn rota_index(&self, rota: &Rota) -> Option<usize> {
        self.repo.rotas.iter().position(|r| std::ptr::eq(r, rota))
    }

    /// Per turn of rota `index` (in `repo.rotas`), the people it counts for.
    pub fn counted(&self, index: usize) -> &[Vec<String>] {
        self.per_rota(&self.counted, RotaSchedule::counted_turns)
            .get(index)
            .map_or(&[], Vec::as_slice)
    }

    /// The instants `person` is on call in rota `index` (non-shadow positions, inside
    /// duty hours), merged.
    pub fn on_call_in(&self, index: usize, person: &str) -> &[Interval] {
        self.per_rota(&self.on_call, on_call_by_person)
            .get(index)
            .and_then(|by_person| by_person.get(person))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// `of` each rota's schedule, in the order of `repo.rotas` (the default for a rota
    /// without one), worked out on first use and kept in `cell`.
    fn per_rota<'s, T: Default>(
        &'s self,
        cell: &'s OnceLock<Vec<T>>,
        of: impl Fn(&'a RotaSchedule) -> T,
    ) -> &'s [T] {
        cell.get_or_init(|| {
            self.repo
                .rotas
                .iter()
                .map(|r| self.schedule.rota(&r.id).map(&of).unwrap_or_default())
                .collect()
        })
    }

    /// Rotas with their schedules and the index of the rota.
    pub fn rotas(&self) -> impl Iterator<Item = (usize, &'a Rota, &'a RotaSchedule)> + '_ {
        self.repo
            .rotas
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, r, self.schedule.rota(&r.id)?)))
    }

    /// From the start of the turn in force today to the end of the check window.
    pub fn rota_window(&self, rs: &RotaSchedule) -> Interval {
        let start = rs
            .turn_at(self.today_start)
            .map(|t| rs.turns[t].start)
            .unwrap_or(self.today_start);
        Interval::new(start, self.window_end)
    }

    /// The config policy with the rota's own overrides laid over it.
    pub fn policy(&self, rota: &Rota) -> Policy {
        rota.policy.apply(&self.repo.config.policy)
    }

    /// Where `person` is listed in `rota` (the latest block that lists them), or the
    /// rota's first line.
    pub fn member_loc(&self, rota: &Rota, person: &str) -> Loc {
        if let Some(loc) = self
            .rota_index(rota)
            .and_then(|i| self.member_locs[i].get(person))
        {
            return *loc;
        }
        rota.overrides
            .iter()
            .filter_map(|o| o.person.as_ref())
            .find(|p| p.id == person)
            .map(|p| p.loc)
            .unwrap_or(rota.loc)
    }

    /// What put `segment` there: the override, the member entry, or the block.
    pub fn segment_loc(&self, rota: &Rota, rs: &RotaSchedule, segment: &Segment) -> Loc {
        match segment.source {
            Source::Override(i) => rota.overrides.get(i).map(|o| o.loc).unwrap_or(rota.loc),
            Source::Rotation => {
                let block = rs
                    .turns
                    .get(segment.turn)
                    .and_then(|t| rota.blocks.get(t.block));
                match (&segment.person, block) {
                    (Some(p), Some(b)) => b
                        .positions
                        .iter()
                        .flat_map(|pos| b.members_of(pos))
                        .find(|m| &m.id == p)
                        .map(|m| m.loc)
                        .unwrap_or(b.loc),
                    (None, Some(b)) => b.loc,
                    _ => rota.loc,
                }
            }
        }
    }

    /// A local time in the rota's zone, for messages.
    pub fn when(&self, rota: &Rota, at: Instant) -> String {
        time::human(rota.timezone, at)
    }

    /// Shares per person over their share windows (see [`person_share`]), computed once
    /// per check and read by several rules.
    pub fn shares(&self) -> &BTreeMap<String, Share> {
        self.shares.get_or_init(|| {
            let windows = share_windows(self);
            self.repo
                .people
                .iter()
                .filter_map(|p| Some((p.id.clone(), person_share(self, &windows, &p.id, None)?)))
                .collect()
        })
    }
}

/// A person's share of on-call time (docs/data-format.md#share-precisely).
#[derive(Clone, Debug)]
pub struct Share {
    pub share: f64,
    pub on_call: TimeDelta,
    pub duty: TimeDelta,
    pub window: Interval,
    /// The rota whose share this is; `None` for the share across all of `rotas`.
    pub of: Option<String>,
    /// Every rota (ids) the person is a duty member of.
    pub rotas: Vec<String>,
}

impl Share {
    /// The share rounded to a whole percent (what thresholds compare).
    pub fn percent(&self) -> i64 {
        (self.share * 100.0).round() as i64
    }

    /// What `report` and findings say gives the share: a rota id, or `all`.
    pub fn of_label(&self) -> &str {
        self.of.as_deref().unwrap_or("all")
    }
}

/// Each rota's share window: from its first handover at or after the start of today,
/// `horizon` long, rounded up to whole rotation cycles (capped at 52 weeks, cut at `until`).
pub fn share_windows(ctx: &Ctx) -> BTreeMap<String, Interval> {
    let mut out = BTreeMap::new();
    for (_, rota, rs) in ctx.rotas() {
        if let Some(window) =
            crate::schedule::share_window(&ctx.repo.config, rota, rs, ctx.today_start)
        {
            out.insert(rota.id.clone(), window);
        }
    }
    out
}

/// For one rota's schedule: each person's on-call time (non-shadow positions, inside
/// duty hours), merged. One pass over the segments, whatever the number of members.
fn on_call_by_person(rs: &RotaSchedule) -> BTreeMap<&str, Vec<Interval>> {
    let mut held: BTreeMap<&str, Vec<Interval>> = BTreeMap::new();
    for p in rs.positions.iter().filter(|p| !p.shadow) {
        for s in &p.segments {
            if let Some(person) = s.person.as_deref() {
                held.entry(person).or_default().push(s.span());
            }
        }
    }
    held.into_iter()
        .map(|(person, spans)| (person, interval::intersect(&merge(spans), &rs.duty)))
        .collect()
}

/// `person`'s share: the highest of their share on each rota they are a duty member
/// of (over that rota's share window) and their share across all of them together
/// (over the span from the earliest start to the latest end of those windows). With
/// `over`, every share is measured over that one window instead. `None` for someone on
/// no rota, or whose rotas have no duty time in the window.
pub fn person_share(
    ctx: &Ctx,
    windows: &BTreeMap<String, Interval>,
    person: &str,
    over: Option<Interval>,
) -> Option<Share> {
    let rotas: Vec<(usize, &Rota, &RotaSchedule)> = ctx
        .rotas_of
        .get(person)?
        .iter()
        .filter_map(|&i| {
            let rota = ctx.repo.rotas.get(i)?;
            Some((i, rota, ctx.schedule.rota(&rota.id)?))
        })
        .collect();
    let ids: Vec<String> = rotas.iter().map(|(_, r, _)| r.id.clone()).collect();
    let measure = |members: &[(usize, &Rota, &RotaSchedule)], window: Interval| {
        let duty = merge(
            members
                .iter()
                .flat_map(|(_, _, rs)| interval::clip(&rs.duty, window))
                .collect(),
        );
        let duty_len = interval::total(&duty);
        if duty_len <= TimeDelta::zero() {
            return None;
        }
        let on_call = merge(
            members
                .iter()
                .flat_map(|(i, _, _)| interval::clip(ctx.on_call_in(*i, person), window))
                .collect(),
        );
        let on_len = interval::total(&on_call);
        Some(Share {
            share: on_len.num_seconds() as f64 / duty_len.num_seconds() as f64,
            on_call: on_len,
            duty: duty_len,
            window,
            of: None,
            rotas: ids.clone(),
        })
    };
    let window_of = |rota: &Rota| over.or_else(|| windows.get(&rota.id).copied());
    let mut best: Option<Share> = None;
    for member in &rotas {
        let Some(window) = window_of(member.1) else {
            continue;
        };
        if let Some(mut share) = measure(std::slice::from_ref(member), window) {
            share.of = Some(member.1.id.clone());
            if best.as_ref().is_none_or(|b| share.share > b.share) {
                best = Some(share);
            }
        }
    }
    if rotas.len() > 1 {
        let spans: Vec<Interval> = rotas.iter().filter_map(|(_, r, _)| window_of(r)).collect();
        let start = spans.iter().map(|s| s.start).min();
        let end = spans.iter().map(|s| s.end).max();
        if let (Some(start), Some(end)) = (start, end)
            && let Some(all) = measure(&rotas, Interval::new(start, end))
            && best.as_ref().is_none_or(|b| all.share > b.share)
        {
            best = Some(all);
        }
    }
    best
}

/// Groups findings that share a location: one finding per place, counting repeats.
pub struct Grouped {
    items: BTreeMap<(Loc, String), (String, usize, Option<String>)>,
}

impl Grouped {
    pub fn new() -> Grouped {
        Grouped {
            items: BTreeMap::new(),
        }
    }

    /// Records a problem at `loc`; the first message at a place is kept.
    pub fn add(&mut self, loc: Loc, message: String, help: Option<String>) {
        self.add_keyed(loc, String::new(), message, help);
    }

    /// Like [`Grouped::add`], keeping apart problems at one place with different keys.
    pub fn add_keyed(&mut self, loc: Loc, key: String, message: String, help: Option<String>) {
        self.items.entry((loc, key)).or_insert((message, 0, help)).1 += 1;
    }

    /// The problems as findings of `rule`, at its default level.
    pub fn into_findings(
        self,
        rule: crate::finding::RuleId,
        out: &mut Vec<crate::finding::Finding>,
    ) {
        let level = rule.default_level();
        for ((loc, _), (message, count, help)) in self.items {
            let message = format!("{message}{}", crate::finding::more_times(count - 1));
            out.push(crate::finding::Finding {
                rule,
                level,
                message,
                loc,
                help,
                width: None,
            });
        }
    }
}

impl Default for Grouped {
    fn default() -> Self {
        Grouped::new()
    }
}
