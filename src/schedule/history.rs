//! Turns served before an instant, without walking a rota's history: only the turns a
//! person holds by the rotation (found arithmetically, newest first) and the turns their
//! overrides touch are looked at, and counting stops once the answer is known.

use super::interval::Interval;
use super::plan::RotaPlan;
use super::{MAX_WINDOW_DAYS, RotaSchedule, Turn};
use crate::time::Instant;
use chrono::TimeDelta;
use std::collections::BTreeSet;

impl RotaSchedule {
    /// How many turns of this rota that start in the ten years before `before` count for
    /// `person` (they hold at least half of the turn's duty hours,
    /// shadow positions excepted), counting no further than `enough`.
    pub fn counted_before(&self, person: &str, before: Instant, enough: usize) -> usize {
        self.plan.counted_in(person, None, before, enough)
    }

    /// Like [`RotaSchedule::counted_before`], only turns that start at or after `since`.
    pub fn counted_between(
        &self,
        person: &str,
        since: Instant,
        before: Instant,
        enough: usize,
    ) -> usize {
        self.plan.counted_in(person, Some(since), before, enough)
    }
}

impl RotaPlan {
    pub fn counted_in(
        &self,
        person: &str,
        since: Option<Instant>,
        before: Instant,
        enough: usize,
    ) -> usize {
        let mut count = 0;
        if enough == 0 {
            return count;
        }
        // Experience is counted over the ten years before `before`: the walk back over a
        // person's rotation turns stays bounded even when their turns never count.
        let ten_years = before
            .checked_sub_signed(TimeDelta::days(MAX_WINDOW_DAYS))
            .unwrap_or(before);
        let lower = since.map_or(ten_years, |s| s.max(ten_years));
        let mut seen: BTreeSet<(usize, i64)> = BTreeSet::new();
        // Turns touched by overrides that give `person` a position: a finite list.
        for o in &self.rota.overrides {
            if o.person.as_ref().is_none_or(|p| p.id != person) || o.to <= lower {
                continue;
            }
            // The turns that start before `before` and meet the override: those it meets
            // before `before`; or, for an override that starts later, only the turn in
            // progress when it starts (a turn that began before `before` and reaches the
            // override holds its first moment) — it counts as a whole turn either way.
            let span = if o.from < before {
                Interval::new(o.from.max(lower), o.to.min(before))
            } else {
                Interval::new(o.from, o.from + TimeDelta::minutes(1))
            };
            for turn in self.turns_in(span) {
                if turn.start < before
                    && turn.start >= lower
                    && seen.insert((turn.block, turn.index))
                    && self.counts_for(&turn, person)
                {
                    count += 1;
                    if count >= enough {
                        return count;
                    }
                }
            }
        }
        // Turns the rotation gives them, newest first, up to when they left.
        let bound = match self.left.get(person) {
            Some(cut) => before.min(*cut),
            None => before,
        };
        for b in (0..self.blocks.len()).rev() {
            let block = &self.rota.blocks[b];
            let mut residues: Vec<(i128, i128)> = Vec::new();
            for (def, p) in block.positions.iter().enumerate() {
                if p.shadow {
                    continue;
                }
                let list = block.members_of(p);
                let n = list.len() as i128;
                let shift = self.blocks[b].shifts.get(def).copied().unwrap_or(0);
                for (i, m) in list.iter().enumerate() {
                    if m.id == person {
                        let r = (i as i128 - shift - i128::from(p.offset)).rem_euclid(n);
                        residues.push((r, n));
                    }
                }
            }
            if residues.is_empty() {
                continue;
            }
            let mut cur = i128::from(self.last_k_before(b, bound));
            while cur >= 0 {
                let k = residues
                    .iter()
                    .map(|(r, n)| cur - (cur - r).rem_euclid(*n))
                    .max()
                    .unwrap_or(-1);
                if k < 0 {
                    break;
                }
                cur = k - 1;
                let Ok(k) = i64::try_from(k) else {
                    break;
                };
                let Some((start, end)) = self.bounds(b, k) else {
                    continue;
                };
                if start < lower {
                    return count;
                }
                let turn = Turn {
                    block: b,
                    index: k,
                    start,
                    end,
                };
                if end > start
                    && start < before
                    && seen.insert((b, k))
                    && self.counts_for(&turn, person)
                {
                    count += 1;
                    if count >= enough {
                        return count;
                    }
                }
            }
        }
        count
    }

    /// Whether one turn counts for `person` (the same test as `counted_turns`).
    fn counts_for(&self, turn: &Turn, person: &str) -> bool {
        let turns = [*turn];
        let (positions, _) = self.timelines(&turns);
        let duty = self.duty(turn.span());
        RotaPlan::counted_people(
            turn.span(),
            &duty,
            positions.iter().map(|p| (p, p.segments.as_slice())),
        )
        .iter()
        .any(|p| p == person)
    }
}
