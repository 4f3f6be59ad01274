//! The model a candidate block is scored against: the one rota that changes, recomputed
//! alone, read against what is fixed (leave, the other rotas' holdings, experience).

use super::*;

/// What is fixed while candidates for one rota are scored.
pub struct Baseline<'a> {
    pub model: &'a Model,
    pub clock: Clock,
    pub rota: &'a Rota,
    /// The new block's first handover.
    pub start: Instant,
    /// Scored: from `start`, a year.
    pub scored: Interval,
    /// Findings count up to here (the check window's end).
    pub check_end: Instant,
    /// The rota as it is, over `scored` (and the turns before, for streaks).
    pub current: Schedule,
    pub(super) leave: BTreeMap<String, Vec<Interval>>,
    /// Holdings on the other rotas: person → (span, the run that rota allows).
    pub(super) other: BTreeMap<String, Vec<(Interval, TimeDelta, usize)>>,
    /// Out-of-hours turns served before `start` (everything but this rota's turns, which
    /// are counted from the candidate).
    pub(super) served_elsewhere: BTreeMap<String, usize>,
    pub(super) served_here_before: BTreeMap<String, usize>,
    pub(super) experienced: BTreeSet<String>,
    pub(super) experienced_after: usize,
    pub(super) max_consecutive: i64,
    /// From before `start`: enough turns for streaks.
    pub(super) lead: Interval,
    /// The rota's share window (see [`Baseline::share_findings`]).
    pub(super) share_window: Option<Interval>,
}

impl<'a> Baseline<'a> {
    pub fn new(model: &'a Model, clock: Clock, rota: &'a Rota, start: Instant) -> Baseline<'a> {
        let repo = &model.repo;
        let tz = repo.config.timezone;
        let policy = rota.policy.apply(&repo.config.policy);
        let every = rota
            .blocks
            .last()
            .map_or(TimeDelta::weeks(1), |b| b.every.times(1));
        let max_consecutive = i64::from(policy.max_consecutive_turns);
        let lead_len = every
            .checked_mul(max_consecutive.clamp(0, 50) as i32 + 1)
            .unwrap_or(TimeDelta::weeks(8));
        let scored = Interval::new(start, start + TimeDelta::weeks(SCORED_WEEKS));
        let lead = Interval::new(start - lead_len, scored.end);
        let check_end = crate::schedule::window::check_window_end(&repo.config, clock).max(start);
        let current =
            Schedule::compute(&repo.config, &repo.people, std::slice::from_ref(rota), lead);
        let mut leave: BTreeMap<String, Vec<Interval>> = BTreeMap::new();
        for l in &repo.leave {
            let span = Interval::new(
                time::start_of_day(tz, l.from),
                time::start_of_day(tz, l.to + chrono::Days::new(1)),
            );
            leave.entry(l.person.id.clone()).or_default().push(span);
        }
        // The other rotas over the scored year, and the experience served before it.
        let others: Vec<Rota> = repo
            .rotas
            .iter()
            .filter(|r| r.id != rota.id)
            .cloned()
            .collect();
        let history_from = start - TimeDelta::weeks(2 * 52);
        let mut other: BTreeMap<String, Vec<(Interval, TimeDelta, usize)>> = BTreeMap::new();
        let mut served_elsewhere: BTreeMap<String, usize> = BTreeMap::new();
        if !others.is_empty() {
            let window = Interval::new(history_from, scored.end);
            let schedule = Schedule::compute(&repo.config, &repo.people, &others, window);
            for (r, rs) in others.iter().zip(&schedule.rotas) {
                let index = repo.rotas.iter().position(|x| x.id == r.id).unwrap_or(0);
                let max = i64::from(r.policy.apply(&repo.config.policy).max_consecutive_turns);
                for p in rs.positions.iter().filter(|p| !p.shadow) {
                    for s in &p.segments {
                        let (Some(person), Some(turn)) = (s.person.as_ref(), rs.turns.get(s.turn))
                        else {
                            continue;
                        };
                        if s.end <= lead.start {
                            continue;
                        }
                        let allowed = r.blocks[turn.block]
                            .every
                            .times(1)
                            .checked_mul(max.clamp(0, 1000) as i32)
                            .unwrap_or(TimeDelta::MAX);
                        other
                            .entry(person.clone())
                            .or_default()
                            .push((s.span(), allowed, index));
                    }
                }
                if r.kind == RotaKind::OutOfHours {
                    for (turn, people) in rs.turns.iter().zip(rs.counted_turns()) {
                        if turn.start < start {
                            for p in people {
                                *served_elsewhere.entry(p).or_default() += 1;
                            }
                        }
                    }
                }
            }
        }
        for list in other.values_mut() {
            list.sort_by_key(|(s, _, _)| (s.start, s.end));
        }
        let mut served_here_before: BTreeMap<String, usize> = BTreeMap::new();
        if rota.kind == RotaKind::OutOfHours {
            let past = Schedule::compute(
                &repo.config,
                &repo.people,
                std::slice::from_ref(rota),
                Interval::new(history_from, lead.start),
            );
            if let Some(rs) = past.rotas.first() {
                for (turn, people) in rs.turns.iter().zip(rs.counted_turns()) {
                    if turn.start < lead.start {
                        for p in people {
                            *served_here_before.entry(p).or_default() += 1;
                        }
                    }
                }
            }
        }
        Baseline {
            model,
            clock,
            rota,
            start,
            scored,
            check_end,
            current,
            leave,
            other,
            served_elsewhere,
            served_here_before,
            experienced: repo
                .people
                .iter()
                .filter(|p| p.experienced)
                .map(|p| p.id.clone())
                .collect(),
            experienced_after: policy.experienced_after as usize,
            max_consecutive,
            lead,
            share_window: share_window(model, clock, rota),
        }
    }

    pub(super) fn people(&self) -> &[Person] {
        &self.model.repo.people
    }

    /// `rota` (a candidate) over the scored year and the turns before it.
    pub fn schedule_of(&self, rota: &Rota) -> Schedule {
        Schedule::compute(
            &self.model.repo.config,
            self.people(),
            std::slice::from_ref(rota),
            self.lead,
        )
    }

    /// Whether `person` is on leave during any of `duty`.
    pub(super) fn on_leave(&self, person: &str, duty: &[Interval]) -> bool {
        self.leave
            .get(person)
            .is_some_and(|spans| spans.iter().any(|l| duty.iter().any(|d| d.overlaps(l))))
    }

    /// Whether `person` holds a position on another rota during `span`.
    pub(super) fn busy(&self, person: &str, span: Interval) -> bool {
        self.other
            .get(person)
            .is_some_and(|list| list.iter().any(|(s, _, _)| s.overlaps(&span)))
    }

    /// The other rota `person` holds a position on during `span`, as ` `ID``.
    pub(super) fn other_rota_in(&self, person: &str, span: Interval) -> Option<String> {
        let (_, _, i) = self
            .other
            .get(person)?
            .iter()
            .find(|(s, _, _)| s.overlaps(&span))?;
        Some(format!(" `{}`", self.model.repo.rotas.get(*i)?.id))
    }

    /// Scores a candidate: the rota with its new block.
    pub fn score(&self, candidate: &Rota) -> (Score, Vec<Change>) {
        let schedule = self.schedule_of(candidate);
        let Some(rs) = schedule.rotas.first() else {
            return (Score::default(), Vec::new());
        };
        let changes = self.changes(rs);
        let mut findings = 0;
        // Leave and other rotas, shift by shift, in the check window.
        let mut held: BTreeMap<&str, Vec<Interval>> = BTreeMap::new();
        for p in rs.positions.iter().filter(|p| !p.shadow) {
            for s in &p.segments {
                let Some(person) = s.person.as_deref() else {
                    continue;
                };
                if s.end <= self.start {
                    held.entry(person).or_default().push(s.span());
                    continue;
                }
                held.entry(person).or_default().push(s.span());
                if s.start >= self.check_end {
                    continue;
                }
                let duty = interval::clip(&rs.duty, s.span());
                if self.on_leave(person, &duty) || self.busy(person, s.span()) {
                    findings += 1;
                }
            }
        }
        // Overrides that no longer replace whom they say.
        for (i, o) in candidate.overrides.iter().enumerate() {
            if o.to <= self.start || o.from >= self.check_end {
                continue;
            }
            let wrong = rs.replaced.get(i).is_some_and(|r| {
                r.iter().any(|x| {
                    o.replaces
                        .as_ref()
                        .is_some_and(|who| x.segment.person.as_deref() != Some(who.id.as_str()))
                })
            });
            if wrong {
                findings += 1;
            }
        }
        // Runs across rotas (rest), and streaks on this rota (back-to-back).
        let allowed_here = candidate
            .blocks
            .last()
            .map_or(TimeDelta::weeks(1), |b| b.every.times(1))
            .checked_mul(self.max_consecutive.clamp(0, 1000) as i32)
            .unwrap_or(TimeDelta::MAX);
        for (person, spans) in &held {
            let mine = interval::merge(spans.clone());
            let Some(others) = self.other.get(*person) else {
                continue;
            };
            findings += too_long_runs(&mine, others, allowed_here, self.start, self.check_end);
        }
        let counted = rs.counted_turns();
        findings += self.streaks(rs, &counted);
        findings += self.share_findings(candidate);
        let (unfair_findings, unfair) = self.fairness(candidate);
        findings += unfair_findings;
        let (unpaired_window, unpaired) = self.unpaired(candidate, rs, &counted);
        findings += unpaired_window;
        let share_deviation = share_deviation(rs, self.scored);
        let score = Score {
            findings,
            changed: changes.len(),
            share_deviation,
            unpaired,
            unfair,
        };
        (score, changes)
    }

    /// Members whose share of this rota's duty time over its share window is above the
    /// ideal share or at the maximum (what `max-share` reports for this rota; the window
    /// is the rota's as it is now: from its first handover today, `horizon` rounded up to
    /// whole cycles of the block in force then).
    pub(super) fn share_findings(&self, candidate: &Rota) -> usize {
        let Some(window) = self.share_window else {
            return 0;
        };
        let config = &self.model.repo.config;
        let policy = candidate.policy.apply(&config.policy);
        let schedule = Schedule::compute(
            config,
            self.people(),
            std::slice::from_ref(candidate),
            window,
        );
        let Some(rs) = schedule.rotas.first() else {
            return 0;
        };
        let duty = interval::total(&interval::clip(&rs.duty, window))
            .num_seconds()
            .max(1) as f64;
        let (ideal, max) = (
            (policy.ideal_share * 100.0).round() as i64,
            (policy.max_share * 100.0).round() as i64,
        );
        candidate
            .duty_members()
            .iter()
            .filter(|m| {
                let on = interval::total(&interval::clip(&rs.on_call(&m.id), window)).num_seconds()
                    as f64;
                let pct = (on / duty * 100.0).round() as i64;
                pct > ideal || pct >= max
            })
            .count()
    }

    /// The holiday and weekend spreads of the candidate beyond what the policy allows
    /// (what `holiday-fairness` reports), and the two spreads added up (a tie-break).
    pub(super) fn fairness(&self, candidate: &Rota) -> (usize, i64) {
        let config = &self.model.repo.config;
        let Some(counts) =
            holiday_fairness::rota_counts(config, self.people(), candidate, self.clock)
        else {
            return (0, 0);
        };
        let policy = candidate.policy.apply(&config.policy);
        let compared: Vec<DayCounts> = counts
            .members
            .iter()
            .filter(|m| m.compared)
            .map(|m| m.total())
            .collect();
        let spread = |of: fn(&DayCounts) -> u32| {
            let max = compared.iter().map(of).max().unwrap_or(0);
            let min = compared.iter().map(of).min().unwrap_or(0);
            max - min
        };
        let (holidays, weekends) = (spread(|c| c.holidays), spread(|c| c.weekends));
        (
            usize::from(holidays > policy.holiday_spread)
                + usize::from(weekends > policy.weekend_spread),
            i64::from(holidays) + i64::from(weekends),
        )
    }

    /// The shifts from the block's start on (within the scored year) whose holder differs
    /// from the rota as it is.
    pub(super) fn changes(&self, rs: &RotaSchedule) -> Vec<Change> {
        let Some(before) = self.current.rotas.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for p in &rs.positions {
            for s in p
                .segments
                .iter()
                .filter(|s| s.start >= self.start && s.start < self.scored.end)
            {
                let was = before
                    .segment_at(&p.name, s.start)
                    .and_then(|x| x.person.clone());
                if was != s.person {
                    out.push(Change {
                        start: s.start,
                        position: p.name.clone(),
                        before: was,
                        after: s.person.clone(),
                    });
                }
            }
        }
        out.sort_by(|a, b| (a.start, &a.position).cmp(&(b.start, &b.position)));
        out
    }

    /// Streaks of counted turns longer than `max_consecutive_turns` that end in the
    /// block, before the check window's end.
    pub(super) fn streaks(&self, rs: &RotaSchedule, counted: &[Vec<String>]) -> usize {
        let mut run: BTreeMap<&str, i64> = BTreeMap::new();
        let mut out = 0;
        for (turn, people) in rs.turns.iter().zip(counted) {
            run.retain(|p, _| people.iter().any(|x| x == p));
            for p in people {
                let n = run.entry(p.as_str()).or_default();
                *n += 1;
                if *n == self.max_consecutive + 1
                    && turn.start >= self.start
                    && turn.start < self.check_end
                {
                    out += 1;
                }
            }
        }
        out
    }

    /// Turns of an out-of-hours rota from the block on in which someone has served fewer
    /// than `experienced_after` out-of-hours turns and nobody experienced is on call:
    /// those in the check window, and those in the scored year.
    pub(super) fn unpaired(
        &self,
        rota: &Rota,
        rs: &RotaSchedule,
        counted: &[Vec<String>],
    ) -> (usize, usize) {
        if rota.kind != RotaKind::OutOfHours {
            return (0, 0);
        }
        let mut served: BTreeMap<&str, usize> = BTreeMap::new();
        for (k, v) in self.served_here_before.iter().chain(&self.served_elsewhere) {
            *served.entry(k.as_str()).or_default() += v;
        }
        let enough = self.experienced_after;
        let (mut window, mut year) = (0, 0);
        for (turn, people) in rs.turns.iter().zip(counted) {
            if turn.start >= self.start && turn.start < self.scored.end {
                let seasoned = |p: &str| {
                    self.experienced.contains(p) || served.get(p).copied().unwrap_or(0) >= enough
                };
                let new = people.iter().any(|p| !seasoned(p));
                if new && !people.iter().any(|p| seasoned(p)) {
                    year += 1;
                    if turn.start < self.check_end {
                        window += 1;
                    }
                }
            }
            for p in people {
                *served.entry(p.as_str()).or_default() += 1;
            }
        }
        (window, year)
    }
}

/// The rota's share window as `max-share` measures it: from its first handover at or
/// after the start of today, `horizon` long, rounded up to whole cycles (capped at 52
/// weeks) of the block in force then.
pub(super) fn share_window(model: &Model, clock: Clock, rota: &Rota) -> Option<Interval> {
    let config = &model.repo.config;
    let today = time::start_of_day(config.timezone, clock.today);
    let probe = Interval::new(today, today + TimeDelta::weeks(2 * 52 + 2));
    let schedule = Schedule::compute(
        config,
        &model.repo.people,
        std::slice::from_ref(rota),
        probe,
    );
    let rs = schedule.rotas.first()?;
    crate::schedule::share_window(config, rota, rs, today)
}

/// Runs of a person's holdings on this rota (`mine`, merged) and on others that span
/// both, last a day or more beyond what the longest-allowing rota allows, and reach into
/// [from, to): what `rest` reports.
pub(super) fn too_long_runs(
    mine: &[Interval],
    others: &[(Interval, TimeDelta, usize)],
    allowed_here: TimeDelta,
    from: Instant,
    to: Instant,
) -> usize {
    let mut all: Vec<(Interval, TimeDelta, bool)> =
        mine.iter().map(|s| (*s, allowed_here, true)).collect();
    all.extend(others.iter().map(|(s, a, _)| (*s, *a, false)));
    all.sort_by_key(|(s, _, _)| (s.start, s.end));
    let mut out = 0;
    let mut i = 0;
    while i < all.len() {
        let (first, mut allowed, mut here) = all[i];
        let (mut there, mut end) = (!here, first.end);
        let mut j = i + 1;
        while j < all.len() && all[j].0.start - end < TimeDelta::days(1) {
            end = end.max(all[j].0.end);
            allowed = allowed.max(all[j].1);
            here |= all[j].2;
            there |= !all[j].2;
            j += 1;
        }
        let long = (end - first.start)
            >= allowed
                .checked_add(&TimeDelta::days(1))
                .unwrap_or(TimeDelta::MAX);
        if here && there && long && end > from && first.start < to {
            out += 1;
        }
        i = j;
    }
    out
}

/// The widest gap between a member's share of this rota's duty time over `window` and
/// the members' mean, per mille.
pub(super) fn share_deviation(rs: &RotaSchedule, window: Interval) -> i64 {
    let duty = interval::clip(&rs.duty, window);
    let total = interval::total(&duty).num_seconds().max(1) as f64;
    let mut held: BTreeMap<&str, Vec<Interval>> = BTreeMap::new();
    for p in rs.positions.iter().filter(|p| !p.shadow) {
        for s in &p.segments {
            if let (Some(person), Some(span)) = (s.person.as_deref(), s.span().intersect(&window)) {
                held.entry(person).or_default().push(span);
            }
        }
    }
    let shares: Vec<f64> = held
        .values()
        .map(|spans| {
            interval::total(&interval::intersect(&interval::merge(spans.clone()), &duty))
                .num_seconds() as f64
                / total
        })
        .collect();
    if shares.is_empty() {
        return 0;
    }
    let mean = shares.iter().sum::<f64>() / shares.len() as f64;
    let widest = shares.iter().map(|s| (s - mean).abs()).fold(0.0, f64::max);
    (widest * 1000.0).round() as i64
}
