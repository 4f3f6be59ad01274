//! `rota plan order`: a member order and position offsets for a new block that avoid
//! leave clashes and clashes with the other rotas (`double-duty`, `rest`) and spread bank
//! holidays and weekends evenly.
//!
//! With the offsets fixed, member m in place s of the order holds a fixed set of turns,
//! so what a clash costs depends on (m, s) alone: the best order is an assignment
//! problem, solved exactly (Hungarian method, O(n³)) for each choice of offsets. Clashes
//! weigh far more than unevenness, so the fewest clashes always win.

use super::{Baseline, NewBlock, Refusal, rota_with, too_long_runs};
use crate::rules::holiday_fairness;
use crate::schedule::Schedule;
use crate::schedule::interval::{self, Interval};
use crate::time::{self, Instant};
use chrono::{Datelike, Days, NaiveDate, TimeDelta, Weekday};

/// One clash an order leaves: who, which turn and position, why, and a trade that
/// resolves it (a `rota swap` of this turn with someone free then, for one of their
/// turns that this person is free for).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clash {
    pub person: String,
    pub position: String,
    pub start: Instant,
    pub end: Instant,
    pub why: String,
    /// (the other person, the start of the turn of theirs that is traded)
    pub trade: Option<(String, Instant)>,
}

/// A proposed order: the block, its clashes, and its cost (clashes first).
#[derive(Clone, Debug)]
pub struct Ordered {
    pub block: NewBlock,
    pub clashes: Vec<Clash>,
    pub cost: i64,
}

/// Weight of one clash against any unevenness of holidays and weekends.
const CLASH: i64 = 1_000_000_000_000;

/// At most this many choices of offsets are tried (two positions on 20 people: 19).
const MAX_OFFSET_CHOICES: usize = 400;

/// The turns of the new block over the planned weeks, what each costs whom, and the
/// holidays and weekends in each.
struct Grid {
    turns: Vec<Interval>,
    /// The turns in the planned weeks (the first ones): clashes count there only.
    planned: usize,
    /// `clash[t][m]`: member m cannot take turn t (the reason).
    clash: Vec<Vec<Option<String>>>,
    holidays: Vec<i64>,
    weekends: Vec<i64>,
}

/// The best orders for a new block of `base.rota` from `start` over `weeks`, best first
/// (several choices of offsets), each with the clashes it leaves.
pub fn propose(
    base: &Baseline,
    start: NaiveDate,
    weeks: i64,
    keep: usize,
) -> Result<Vec<Ordered>, Refusal> {
    let rota = base.rota;
    let last = rota
        .blocks
        .last()
        .ok_or_else(|| Refusal(format!("rota `{}` has no rotation", rota.id)))?;
    let members: Vec<String> = last.members.iter().map(|m| m.id.clone()).collect();
    let n = members.len();
    let drawn: Vec<usize> = last
        .positions
        .iter()
        .enumerate()
        .filter(|(_, p)| p.members.is_none() && !p.shadow)
        .map(|(i, _)| i)
        .collect();
    if n == 0 || drawn.is_empty() {
        return Err(Refusal(format!(
            "rota `{}`: no position draws from the block's `members`, so there is no order to propose",
            rota.id
        )));
    }
    if drawn.len() > n {
        return Err(Refusal(format!(
            "rota `{}` has {} positions drawing from {} members: some would be held twice in a turn",
            rota.id,
            drawn.len(),
            n
        )));
    }
    let grid = grid(base, start, weeks, &members)?;
    let (prev_h, prev_w) = previous_counts(base, &members);
    let lead = drawn[0];
    let current: Vec<i64> = last.positions.iter().map(|p| p.offset).collect();
    let mut choices: Vec<Vec<i64>> = Vec::new();
    offset_choices(
        n as i64,
        &drawn[1..],
        &mut vec![current[lead].rem_euclid(n as i64)],
        &mut choices,
    );
    // The offsets as they are first, so that a tie keeps them.
    let as_now: Vec<i64> = drawn
        .iter()
        .map(|&i| current[i].rem_euclid(n as i64))
        .collect();
    choices.retain(|c| *c != as_now);
    choices.insert(0, as_now);
    choices.truncate(MAX_OFFSET_CHOICES);
    let allowed_here = last
        .every
        .times(1)
        .checked_mul(i32::try_from(base.max_consecutive.clamp(0, 1000)).unwrap_or(1000))
        .unwrap_or(TimeDelta::MAX);
    let mut results: Vec<(i64, Vec<i64>, Vec<usize>)> = Vec::new();
    for offsets in &choices {
        // Turns held by the member in place s.
        let held: Vec<Vec<(usize, usize)>> = (0..n)
            .map(|s| {
                let mut out = Vec::new();
                for (pi, o) in offsets.iter().enumerate() {
                    for t in 0..grid.turns.len() {
                        if (t as i64 + o).rem_euclid(n as i64) == s as i64 {
                            out.push((t, pi));
                        }
                    }
                }
                out
            })
            .collect();
        let total_h: i64 = prev_h.iter().sum::<i64>()
            + held
                .iter()
                .flatten()
                .map(|(t, _)| grid.holidays[*t])
                .sum::<i64>();
        let total_w: i64 = prev_w.iter().sum::<i64>()
            + held
                .iter()
                .flatten()
                .map(|(t, _)| grid.weekends[*t])
                .sum::<i64>();
        let mut cost = vec![vec![0i64; n]; n];
        for (m, person) in members.iter().enumerate() {
            for (s, turns) in held.iter().enumerate() {
                let clashes = turns
                    .iter()
                    .filter(|(t, _)| grid.clash[*t][m].is_some())
                    .count() as i64
                    + rest_runs(base, &grid, person, turns, allowed_here) as i64;
                let h: i64 = prev_h[m] + turns.iter().map(|(t, _)| grid.holidays[*t]).sum::<i64>();
                let w: i64 = prev_w[m] + turns.iter().map(|(t, _)| grid.weekends[*t]).sum::<i64>();
                let dh = n as i64 * h - total_h;
                let dw = n as i64 * w - total_w;
                cost[m][s] = clashes * CLASH + 16 * dh * dh + dw * dw;
            }
        }
        let assignment = hungarian(&cost);
        let total: i64 = assignment
            .iter()
            .enumerate()
            .map(|(m, s)| cost[m][*s])
            .sum();
        results.push((total, offsets.clone(), assignment));
    }
    results.sort_by_key(|r| r.0);
    let mut out = Vec::new();
    for (cost, offsets, assignment) in results.into_iter().take(keep) {
        let mut order = vec![String::new(); n];
        for (m, s) in assignment.iter().enumerate() {
            order[*s] = members[m].clone();
        }
        let mut all = current.clone();
        for (k, &i) in drawn.iter().enumerate() {
            all[i] = offsets[k];
        }
        let block = NewBlock {
            start,
            members: order.clone(),
            first: None,
            offsets: (all != current).then_some(all),
        };
        let clashes = clashes_of(base, &grid, &members, &order, &offsets, &drawn);
        out.push(Ordered {
            block,
            clashes,
            cost,
        });
    }
    Ok(out)
}

/// The number of clashes (cost divided by the weight of one).
pub fn clash_count(cost: i64) -> i64 {
    cost / CLASH
}

/// Every offset for the positions after the lead, each distinct modulo n.
fn offset_choices(n: i64, rest: &[usize], taken: &mut Vec<i64>, out: &mut Vec<Vec<i64>>) {
    if out.len() >= MAX_OFFSET_CHOICES * 4 {
        return;
    }
    if rest.is_empty() {
        out.push(taken.clone());
        return;
    }
    for o in 0..n {
        if !taken.contains(&o) {
            taken.push(o);
            offset_choices(n, &rest[1..], taken, out);
            taken.pop();
        }
    }
}

fn grid(
    base: &Baseline,
    start: NaiveDate,
    weeks: i64,
    members: &[String],
) -> Result<Grid, Refusal> {
    let rota = base.rota;
    let probe = NewBlock {
        start,
        members: members.to_vec(),
        first: None,
        offsets: None,
    };
    let candidate = rota_with(rota, &probe);
    let schedule = base.schedule_of(&candidate);
    let rs = schedule
        .rotas
        .first()
        .ok_or_else(|| Refusal(format!("rota `{}` has no schedule", rota.id)))?;
    let block = candidate.blocks.len() - 1;
    let end = base.start + TimeDelta::weeks(weeks.max(1));
    // Holidays and weekends are spread over the span `holiday-fairness` counts ahead
    // (when it reaches further than the planned weeks); clashes over the planned weeks.
    let fair_end = holiday_fairness::member_counts(base.model, base.clock, &rota.id)
        .map_or(end, |c| c.span.end.max(end));
    let turns: Vec<Interval> = rs
        .turns
        .iter()
        .filter(|t| t.block == block && t.start < fair_end)
        .map(|t| t.span())
        .collect();
    let planned = turns.iter().filter(|t| t.start < end).count();
    if turns.is_empty() {
        return Err(Refusal(format!(
            "rota `{}` has no turns from {start}",
            rota.id
        )));
    }
    let clash = turns
        .iter()
        .enumerate()
        .map(|(t, span)| {
            if t >= planned {
                return vec![None; members.len()];
            }
            let duty = interval::clip(&rs.duty, *span);
            members
                .iter()
                .map(|m| {
                    if base.on_leave(m, &duty) {
                        Some("on leave".to_string())
                    } else {
                        base.other_rota_in(m, *span)
                            .map(|r| format!("on call on rota{r}"))
                    }
                })
                .collect()
        })
        .collect();
    // Each holiday and weekend day goes to the turn that holds most of its duty hours.
    let tz = base.model.repo.config.timezone;
    let (mut holidays, mut weekends) = (vec![0i64; turns.len()], vec![0i64; turns.len()]);
    let grid_span = Interval::new(turns[0].start, turns[turns.len() - 1].end);
    let mut day = time::local_date(tz, grid_span.start);
    while time::start_of_day(tz, day) < grid_span.end {
        let Some(next) = day.checked_add_days(Days::new(1)) else {
            break;
        };
        let holiday = base.model.repo.config.holidays.contains(&day);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if holiday || weekend {
            let span = Interval::new(time::start_of_day(tz, day), time::start_of_day(tz, next));
            let duty = interval::clip(&rs.duty, span);
            let best = turns
                .iter()
                .enumerate()
                .map(|(i, t)| (interval::total(&interval::clip(&duty, *t)), i))
                .filter(|(d, _)| *d > TimeDelta::zero())
                .max_by_key(|(d, i)| (*d, std::cmp::Reverse(*i)));
            if let Some((_, i)) = best {
                if holiday {
                    holidays[i] += 1;
                } else {
                    weekends[i] += 1;
                }
            }
        }
        day = next;
    }
    Ok(Grid {
        turns,
        planned,
        clash,
        holidays,
        weekends,
    })
}

/// Each member's holiday and weekend days before the block (over the fairness span).
fn previous_counts(base: &Baseline, members: &[String]) -> (Vec<i64>, Vec<i64>) {
    let model = base.model;
    let zero = (vec![0; members.len()], vec![0; members.len()]);
    let Some(counts) = holiday_fairness::member_counts(model, base.clock, &base.rota.id) else {
        return zero;
    };
    let window = Interval::new(counts.span.start, base.start.max(counts.span.start));
    let schedule = Schedule::compute(
        &model.repo.config,
        &model.repo.people,
        std::slice::from_ref(base.rota),
        window,
    );
    let Some(rs) = schedule.rotas.first() else {
        return zero;
    };
    let by = holiday_fairness::day_counts(rs, &model.repo.config, window);
    (
        members
            .iter()
            .map(|m| by.get(m).map_or(0, |c| i64::from(c.holidays)))
            .collect(),
        members
            .iter()
            .map(|m| by.get(m).map_or(0, |c| i64::from(c.weekends)))
            .collect(),
    )
}

/// Too-long runs across rotas for `person` holding `turns` of the grid.
fn rest_runs(
    base: &Baseline,
    grid: &Grid,
    person: &str,
    turns: &[(usize, usize)],
    allowed_here: TimeDelta,
) -> usize {
    let Some(others) = base.other.get(person) else {
        return 0;
    };
    let mine = interval::merge(
        turns
            .iter()
            .filter(|(t, _)| *t < grid.planned)
            .map(|(t, _)| grid.turns[*t])
            .collect(),
    );
    let (from, to) = match (grid.turns.first(), grid.turns[..grid.planned].last()) {
        (Some(f), Some(l)) => (f.start, l.end),
        _ => return 0,
    };
    too_long_runs(&mine, others, allowed_here, from, to)
}

/// The clashes `order` leaves, each with a trade that resolves it when there is one.
fn clashes_of(
    base: &Baseline,
    grid: &Grid,
    members: &[String],
    order: &[String],
    offsets: &[i64],
    drawn: &[usize],
) -> Vec<Clash> {
    let n = order.len() as i64;
    let index = |p: &str| members.iter().position(|m| m == p).unwrap_or(0);
    let holder =
        |t: usize, k: usize| order[(t as i64 + offsets[k]).rem_euclid(n) as usize].as_str();
    let holds = |t: usize, p: &str| (0..offsets.len()).any(|k| holder(t, k) == p);
    let position_names: Vec<&str> = drawn
        .iter()
        .filter_map(|&i| base.rota.blocks.last().and_then(|b| b.positions.get(i)))
        .map(|p| p.name.as_str())
        .collect();
    let mut out = Vec::new();
    for t in 0..grid.turns.len() {
        for k in 0..offsets.len() {
            let person = holder(t, k);
            let Some(why) = &grid.clash[t][index(person)] else {
                continue;
            };
            // Nearest turn u of someone x who is free in turn t, when this person is
            // free in turn u: they exchange the two turns.
            let mut trade = None;
            let mut by_distance: Vec<usize> = (0..grid.turns.len()).filter(|u| *u != t).collect();
            by_distance.sort_by_key(|u| (u.abs_diff(t), *u));
            'search: for u in by_distance {
                if holds(u, person) || grid.clash[u][index(person)].is_some() {
                    continue;
                }
                for k2 in 0..offsets.len() {
                    let x = holder(u, k2);
                    if x != person && !holds(t, x) && grid.clash[t][index(x)].is_none() {
                        trade = Some((x.to_string(), grid.turns[u].start));
                        break 'search;
                    }
                }
            }
            out.push(Clash {
                person: person.to_string(),
                position: position_names
                    .get(k)
                    .map_or(String::new(), |s| s.to_string()),
                start: grid.turns[t].start,
                end: grid.turns[t].end,
                why: why.clone(),
                trade,
            });
        }
    }
    out
}

/// The assignment of rows to columns of a square matrix with the least total cost
/// (Hungarian method with potentials): `result[row] = column`.
pub fn hungarian(cost: &[Vec<i64>]) -> Vec<usize> {
    let n = cost.len();
    if n == 0 {
        return Vec::new();
    }
    const INF: i64 = i64::MAX / 4;
    let (mut u, mut v) = (vec![0i64; n + 1], vec![0i64; n + 1]);
    let (mut p, mut way) = (vec![0usize; n + 1], vec![0usize; n + 1]);
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0usize;
        let mut minv = vec![INF; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = INF;
            let mut j1 = 0usize;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut result = vec![0usize; n];
    for j in 1..=n {
        if p[j] > 0 {
            result[p[j] - 1] = j - 1;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::hungarian;

    /// Checked against every permutation of small matrices.
    #[test]
    fn the_assignment_is_the_cheapest() {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % 20) as i64
        };
        for n in 1..=6 {
            for _ in 0..20 {
                let cost: Vec<Vec<i64>> =
                    (0..n).map(|_| (0..n).map(|_| next()).collect()).collect();
                let got: i64 = hungarian(&cost)
                    .iter()
                    .enumerate()
                    .map(|(r, c)| cost[r][*c])
                    .sum();
                let mut best = i64::MAX;
                let mut perm: Vec<usize> = (0..n).collect();
                permute(&mut perm, 0, &mut |p| {
                    best = best.min(p.iter().enumerate().map(|(r, c)| cost[r][*c]).sum());
                });
                assert_eq!(got, best, "{cost:?}");
            }
        }
    }

    fn permute(p: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
        if k == p.len() {
            f(p);
            return;
        }
        for i in k..p.len() {
            p.swap(k, i);
            permute(p, k + 1, f);
            p.swap(k, i);
        }
    }
}
