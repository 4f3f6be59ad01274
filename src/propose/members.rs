//! Each member's share and holiday/weekend counts before and after a proposal, and the
//! places a joiner can enter the order (or how the others close up after a leaver).

use super::*;

/// Each member's share of one rota's duty time over `window`, and their holiday and
/// weekend counts (over the holiday-fairness span), for the before/after table.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow {
    pub person: String,
    pub share_before: Option<f64>,
    pub share_after: Option<f64>,
    pub counts_before: Option<DayCounts>,
    pub counts_after: Option<DayCounts>,
}

/// The before/after table of a proposal over the scored year.
pub fn member_table(
    before: &Model,
    after: &Model,
    clock: Clock,
    rota: &str,
    window: Interval,
) -> Vec<MemberRow> {
    let shares = |m: &Model| -> BTreeMap<String, f64> {
        let Some(r) = m.rota(rota) else {
            return BTreeMap::new();
        };
        let schedule = Schedule::compute(
            &m.repo.config,
            &m.repo.people,
            std::slice::from_ref(r),
            window,
        );
        let Some(rs) = schedule.rotas.first() else {
            return BTreeMap::new();
        };
        let duty = interval::clip(&rs.duty, window);
        let total = interval::total(&duty).num_seconds().max(1) as f64;
        let mut out = BTreeMap::new();
        for member in r.duty_members() {
            let on = interval::clip(&rs.on_call(&member.id), window);
            out.insert(
                member.id.clone(),
                interval::total(&on).num_seconds() as f64 / total,
            );
        }
        out
    };
    let counts = |m: &Model| -> BTreeMap<String, DayCounts> {
        holiday_fairness::member_counts(m, clock, rota)
            .map(|c| {
                c.members
                    .into_iter()
                    .map(|x| (x.person.clone(), x.total()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (sb, sa, cb, ca) = (shares(before), shares(after), counts(before), counts(after));
    let mut people: Vec<String> = Vec::new();
    for r in [before.rota(rota), after.rota(rota)].into_iter().flatten() {
        for m in r.duty_members() {
            if !people.contains(&m.id) {
                people.push(m.id.clone());
            }
        }
    }
    people
        .into_iter()
        .map(|p| MemberRow {
            share_before: sb.get(&p).copied(),
            share_after: sa.get(&p).copied(),
            counts_before: cb.get(&p).copied(),
            counts_after: ca.get(&p).copied(),
            person: p,
        })
        .collect()
}

/// Which kind of membership change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    Join,
    Leave,
}

/// `plan join` / `plan leave`: the candidates for the new block, scored, best first.
pub fn membership_candidates(
    base: &Baseline,
    kind: Membership,
    person: &str,
    start: NaiveDate,
) -> Result<Vec<(Score, NewBlock, Vec<Change>)>, Refusal> {
    let rota = base.rota;
    let last = rota
        .blocks
        .last()
        .ok_or_else(|| Refusal(format!("rota `{}` has no rotation", rota.id)))?;
    let members: Vec<String> = last.members.iter().map(|m| m.id.clone()).collect();
    let listed = members.iter().any(|m| m == person);
    let mut lists: Vec<Vec<String>> = Vec::new();
    match kind {
        Membership::Join => {
            if listed {
                return Err(Refusal(format!(
                    "{person} is a member of rota `{}` already (its last block, from {})",
                    rota.id, last.start
                )));
            }
            for i in 0..=members.len() {
                let mut m = members.clone();
                m.insert(i, person.to_string());
                lists.push(m);
            }
        }
        Membership::Leave => {
            if !listed {
                return Err(Refusal(format!(
                    "{person} is not a member of rota `{}` (its last block, from {}, lists {})",
                    rota.id,
                    last.start,
                    members.join(", ")
                )));
            }
            // Closing up: the order stays, without them.
            lists.push(members.iter().filter(|m| *m != person).cloned().collect());
        }
    }
    let mut scored: Vec<(Score, NewBlock, Vec<Change>)> = Vec::new();
    for list in lists {
        if list.is_empty() {
            return Err(Refusal(format!(
                "rota `{}` would have no members left",
                rota.id
            )));
        }
        for first in &list {
            let block = NewBlock {
                start,
                members: list.clone(),
                first: Some(first.clone()),
                offsets: None,
            };
            let (score, changes) = base.score(&rota_with(rota, &block));
            scored.push((score, block, changes));
        }
    }
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.members.cmp(&b.1.members))
            .then_with(|| a.1.first.cmp(&b.1.first))
    });
    Ok(scored)
}
