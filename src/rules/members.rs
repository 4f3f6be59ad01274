//! Rules about who is on a rota: `min-people`, `role-cover`, `opted-in`, `vetted`.

use super::context::Grouped;
use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::{Block, Rota, RotaKind};
use crate::schedule::RotaSchedule;
use crate::time;
use std::collections::{BTreeMap, BTreeSet};

pub const MIN_PEOPLE: Rule = Rule {
    id: RuleId::MinPeople,
    explanation: "What it checks: each rota has at least `policy.min_people` distinct members (default 6) in every rotation block in force in the check window; fewer than `policy.ideal_people` (default 8) is a warning. Shadow positions and people who have left do not count. A rota's own `policy:` may set other numbers (the site shows such exceptions).

Why: with few people, each is on call too often to sustain; six is the least that keeps everyone under half the time with a primary and a secondary, eight gives headroom for leave and trades.

Example: a primary/secondary rota of 4 people puts everyone on call half the time.

How to fix: recruit more members (pair new ones with experienced people), merge small rotas, or set a per-rota `policy: { min_people: N }` for a small second line that is rarely paged.",
    check: Some(min_people),
};

pub const ROLE_COVER: Rule = Rule {
    id: RuleId::RoleCover,
    explanation: "What it checks: a position with `role: NAME` is only filled — by the rotation or by an override — by people whose `roles` include NAME.

Why: an in-hours turn that needs an ops engineer and a developer is only useful if both skills are present; a trade must not quietly swap the ops engineer for a second developer.

Example: `- { name: ops, role: ops, members: [ada, bob] }` where bob has `roles: [developer]`.

How to fix: give the person the role in people.yaml if they have it, or trade with someone who does.",
    check: Some(role_cover),
};

pub const OPTED_IN: Rule = Rule {
    id: RuleId::OptedIn,
    explanation: "What it checks: everyone on an out-of-hours rota (any position, or covering by override) has `opted_in: true` in people.yaml.

Why: out-of-hours on call is optional; nobody is put on it without agreeing.

Example: `members: [alice, bob]` on kind: out-of-hours where bob has no `opted_in`.

How to fix: ask the person; set `opted_in: true` only once they have agreed, otherwise remove them from the rota.",
    check: Some(opted_in),
};

pub const VETTED: Rule = Rule {
    id: RuleId::Vetted,
    explanation: "What it checks: everyone who holds a (non-shadow) position has a `vetted` date on or before the day of their first turn. Shadow positions are for people still being vetted.

Why: people on call get production access; security vetting must be complete before they hold it alone.

Example: carol's first turn is 2027-01-06 but `vetted: 2027-02-01`.

How to fix: move their first turn later (a later rotation block, or an override), put them in a shadow position until vetted, or record the vetting date.",
    check: Some(vetted),
};

/// Rotation blocks with a turn in the rota's check window.
pub fn blocks_in_window<'a>(
    ctx: &Ctx,
    rota: &'a Rota,
    rs: &RotaSchedule,
) -> Vec<(usize, &'a Block)> {
    let window = ctx.rota_window(rs);
    let used: BTreeSet<usize> = rs
        .turns
        .iter()
        .filter(|t| t.span().overlaps(&window))
        .map(|t| t.block)
        .collect();
    used.into_iter()
        .filter_map(|b| Some((b, rota.blocks.get(b)?)))
        .collect()
}

fn min_people(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (_, rota, rs) in ctx.rotas() {
        let policy = ctx.policy(rota);
        let window = ctx.rota_window(rs);
        for (_, block) in blocks_in_window(ctx, rota, rs) {
            let mut people: BTreeSet<&str> = BTreeSet::new();
            for p in block.positions.iter().filter(|p| !p.shadow) {
                for m in block.members_of(p) {
                    let gone = ctx
                        .model
                        .person(&m.id)
                        .and_then(|x| x.left)
                        .is_some_and(|l| {
                            time::start_of_day(ctx.repo.config.timezone, l) < window.start
                        });
                    if !gone {
                        people.insert(&m.id);
                    }
                }
            }
            let n = people.len() as u32;
            let loc = block.members.first().map(|m| m.loc).unwrap_or(block.loc);
            let exception = if rota.policy.min_people.is_some() {
                " (this rota's own policy)"
            } else {
                ""
            };
            if n < policy.min_people {
                out.push(
                    Finding::error(
                        RuleId::MinPeople,
                        loc,
                        format!(
                            "rota `{}` has {n} people; at least {} are needed{exception}",
                            rota.id, policy.min_people
                        ),
                    )
                    .with_help(format!(
                        "add {} more member(s); {} is ideal",
                        policy.min_people - n,
                        policy.ideal_people
                    )),
                );
            } else if n < policy.ideal_people {
                out.push(
                    Finding::warning(
                        RuleId::MinPeople,
                        loc,
                        format!(
                            "rota `{}` has {n} people; {} or more is ideal{exception}",
                            rota.id, policy.ideal_people
                        ),
                    )
                    .with_help("more members means fewer turns each and room for leave and trades"),
                );
            }
        }
    }
}

fn has_role(ctx: &Ctx, person: &str, role: &str) -> bool {
    ctx.model
        .person(person)
        .is_some_and(|p| p.roles.iter().any(|r| r == role))
}

fn role_cover(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut grouped = Grouped::new();
    for (_, rota, rs) in ctx.rotas() {
        for (_, block) in blocks_in_window(ctx, rota, rs) {
            for p in &block.positions {
                let Some(role) = &p.role else { continue };
                for m in block.members_of(p) {
                    if ctx.model.person(&m.id).is_some() && !has_role(ctx, &m.id, &role.id) {
                        grouped.add(
                            m.loc,
                            format!("{} fills `{}` on rota `{}` but does not have the role `{}`", m.id, p.name, rota.id, role.id),
                            Some(format!("add `{}` to their roles in people.yaml if they have it, or list someone who does", role.id)),
                        );
                    }
                }
            }
        }
        let window = ctx.rota_window(rs);
        for pt in &rs.positions {
            for s in pt.segments.iter().filter(|s| s.span().overlaps(&window)) {
                let (Some(person), crate::schedule::Source::Override(_)) = (&s.person, s.source)
                else {
                    continue;
                };
                let block = &rota.blocks[rs.turns[s.turn].block];
                let Some(role) = block
                    .positions
                    .iter()
                    .find(|p| p.name == pt.name)
                    .and_then(|p| p.role.as_ref())
                else {
                    continue;
                };
                if ctx.model.person(person).is_some() && !has_role(ctx, person, &role.id) {
                    grouped.add(
                        ctx.segment_loc(rota, rs, s),
                        format!(
                            "{person} covers `{}` on rota `{}` from {} but does not have the role `{}`",
                            pt.name,
                            rota.id,
                            ctx.when(rota, s.start),
                            role.id
                        ),
                        Some(format!("trade with someone who has the role `{}`", role.id)),
                    );
                }
            }
        }
    }
    grouped.into_findings(RuleId::RoleCover, out);
}

fn opted_in(ctx: &Ctx, out: &mut Vec<Finding>) {
    let mut grouped = Grouped::new();
    for (_, rota, rs) in ctx
        .rotas()
        .filter(|(_, r, _)| r.kind == RotaKind::OutOfHours)
    {
        let not_opted = |id: &str| ctx.model.person(id).is_some_and(|p| !p.opted_in);
        for (_, block) in blocks_in_window(ctx, rota, rs) {
            for p in &block.positions {
                for m in block.members_of(p).iter().filter(|m| not_opted(&m.id)) {
                    grouped.add(
                        m.loc,
                        format!("{} is on the out-of-hours rota `{}` but has not opted in", m.id, rota.id),
                        Some("out-of-hours on call is optional: set `opted_in: true` in people.yaml once they have agreed, or take them off this rota".into()),
                    );
                }
            }
        }
        let window = ctx.rota_window(rs);
        for o in rota.overrides.iter().filter(|o| o.to > window.start) {
            if let Some(p) = o.person.as_ref().filter(|p| not_opted(&p.id)) {
                grouped.add(
                    p.loc,
                    format!("{} covers the out-of-hours rota `{}` but has not opted in", p.id, rota.id),
                    Some("only people who agreed to out-of-hours on call (`opted_in: true`) can cover it".into()),
                );
            }
        }
    }
    grouped.into_findings(RuleId::OptedIn, out);
}

fn vetted(ctx: &Ctx, out: &mut Vec<Finding>) {
    // Each person's first holding anywhere, and their first holding in the check window.
    let mut first: BTreeMap<&str, (crate::time::Instant, crate::source::Loc, &str)> =
        BTreeMap::new();
    let mut first_current: BTreeMap<&str, (crate::time::Instant, crate::source::Loc, &str)> =
        BTreeMap::new();
    for (_, rota, rs) in ctx.rotas() {
        let window = ctx.rota_window(rs);
        for pt in rs.positions.iter().filter(|p| !p.shadow) {
            for s in &pt.segments {
                let Some(person) = s.person.as_deref() else {
                    continue;
                };
                let entry = (s.start, ctx.segment_loc(rota, rs, s), rota.id.as_str());
                if first.get(person).is_none_or(|e| s.start < e.0) {
                    first.insert(person, entry);
                }
                if s.end > window.start
                    && s.start < window.end
                    && first_current.get(person).is_none_or(|e| s.start < e.0)
                {
                    first_current.insert(person, entry);
                }
            }
        }
    }
    for (person, (start, loc, rota_id)) in first_current {
        let Some(p) = ctx.model.person(person) else {
            continue;
        };
        let tz = ctx
            .model
            .rota(rota_id)
            .map(|r| r.timezone)
            .unwrap_or(ctx.repo.config.timezone);
        match p.vetted {
            None => out.push(
                Finding::error(RuleId::Vetted, loc, format!("{person} is on call on rota `{rota_id}` from {} but is not vetted", time::human(tz, start)))
                    .with_help("record `vetted: DATE` in people.yaml once vetting is complete, or put them in a shadow position until then"),
            ),
            Some(v) => {
                let (first_start, first_loc, first_rota) = first[person];
                let first_day = time::local_date(tz, first_start);
                if v > first_day && first_start >= ctx.today_start {
                    out.push(
                        Finding::error(
                            RuleId::Vetted,
                            first_loc,
                            format!("{person}'s first turn (rota `{first_rota}`, {}) is before their vetting date {v}", time::human(tz, first_start)),
                        )
                        .with_help("move their first turn after the vetting date, or put them in a shadow position until then"),
                    );
                }
            }
        }
    }
}
