//! A shift trade (`rota swap`): A and B exchange places in every position either holds
//! in the turn in force at their dates' handovers. Pure: plans the overrides from the
//! model and the schedule; `edit` writes them into the rota file's text.

use crate::edit::Entry;
use crate::model::Model;
use crate::model::Rota;
use crate::schedule::{RotaSchedule, Schedule, Source, Turn};
use crate::time::{self, Instant};
use chrono::NaiveDate;

/// One side of a trade as written on the command line: `PERSON@DATE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub person: String,
    pub date: NaiveDate,
}

impl Party {
    /// Parses `alice@2026-12-23`.
    pub fn parse(text: &str) -> Result<Party, String> {
        let (person, date) = text
            .rsplit_once('@')
            .ok_or_else(|| format!("`{text}` is not PERSON@DATE (for example alice@2026-12-23)"))?;
        let date = time::parse_date(date).map_err(|e| format!("`{text}`: {e}"))?;
        Ok(Party {
            person: person.trim().to_string(),
            date,
        })
    }
}

/// An override the trade adds: `person` takes `replaces`' place in `position`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedOverride {
    pub position: String,
    pub from: Instant,
    pub to: Instant,
    pub person: String,
    pub replaces: String,
    /// When the span is exactly that of an existing override of the position (a turn
    /// already traded): its index in the rota's `overrides`, whose `person:` the trade
    /// changes instead of adding an override over the same span (which
    /// `override-valid` refuses). `replaces` is then that override's own.
    pub edits: Option<usize>,
}

/// Plans the overrides of a trade: for each position A holds in A's turn, B takes it,
/// and for each position B holds in B's turn, A takes it (one override per held span,
/// so each one replaces exactly who holds it). Turns that ended before `now` are
/// refused.
pub fn plan(
    model: &Model,
    schedule: &Schedule,
    rota_id: &str,
    a: &Party,
    b: &Party,
    now: time::Instant,
) -> Result<Vec<PlannedOverride>, String> {
    let rota = model.rota(rota_id).ok_or_else(|| {
        let ids: Vec<&str> = model.repo.rotas.iter().map(|r| r.id.as_str()).collect();
        format!("no rota `{rota_id}` (rotas: {})", ids.join(", "))
    })?;
    let rs = schedule
        .rota(rota_id)
        .ok_or_else(|| format!("rota `{rota_id}` has no schedule"))?;
    for party in [a, b] {
        if model.person(&party.person).is_none() {
            return Err(format!("no person `{}` in rota/people.yaml", party.person));
        }
    }
    if a.person == b.person {
        return Err(format!(
            "{} cannot trade with themselves: name two people",
            a.person
        ));
    }
    let turn_a = turn_at_handover(rota, rs, a.date)?;
    let turn_b = turn_at_handover(rota, rs, b.date)?;
    for (party, turn) in [(a, turn_a), (b, turn_b)] {
        let end = rs.turns[turn].end;
        if end <= now {
            return Err(format!(
                "{}'s turn at {} ended {}: a trade moves turns to come (or in progress); turns already served stay as they were, since `rota report` and TOIL count them",
                party.person,
                party.date,
                time::human(rota.timezone, end)
            ));
        }
    }
    let mut out = takeovers(rota, rs, turn_a, &a.person, &b.person)?;
    out.extend(takeovers(rota, rs, turn_b, &b.person, &a.person)?);
    Ok(out)
}

/// The turn in force at the handover on `date` (index into the rota's turns).
pub fn turn_at_handover(rota: &Rota, rs: &RotaSchedule, date: NaiveDate) -> Result<usize, String> {
    let block = rota
        .blocks
        .iter()
        .rev()
        .find(|b| b.start <= date)
        .ok_or_else(|| format!("{date} is before rota `{}`'s first handover", rota.id))?;
    let at = time::local_to_instant(rota.timezone, block.handover.on(date));
    rs.turn_at(at).ok_or_else(|| {
        format!(
            "rota `{}` has no turn at {} (after its `until`, or too far ahead)",
            rota.id,
            time::human(rota.timezone, at)
        )
    })
}

/// `taker` takes every span `holder` holds in turn `turn`, in every position.
fn takeovers(
    rota: &Rota,
    rs: &RotaSchedule,
    turn: usize,
    holder: &str,
    taker: &str,
) -> Result<Vec<PlannedOverride>, String> {
    let out: Vec<PlannedOverride> = rs
        .positions
        .iter()
        .flat_map(|p| {
            // A turn's segments are one run of each position's timeline: found by
            // bisection, not a scan (leave-conflict plans a trade for each clash).
            let first = p.segments.partition_point(|s| s.turn < turn);
            p.segments[first..]
                .iter()
                .take_while(move |s| s.turn == turn)
                .filter(move |s| s.person.as_deref() == Some(holder))
                .map(move |s| {
                    let same_span = match s.source {
                        Source::Override(i) => rota.overrides.get(i).and_then(|o| {
                            let same = o.from == s.start
                                && o.to == s.end
                                && o.position.as_ref().is_some_and(|q| q.id == p.name)
                                && o.person.as_ref().is_some_and(|q| q.id == holder);
                            same.then(|| {
                                let original = o.replaces.as_ref().map(|r| r.id.clone());
                                (i, original.unwrap_or_else(|| holder.to_string()))
                            })
                        }),
                        Source::Rotation => None,
                    };
                    let (edits, replaces) = match same_span {
                        Some((i, original)) => (Some(i), original),
                        None => (None, holder.to_string()),
                    };
                    PlannedOverride {
                        position: p.name.clone(),
                        from: s.start,
                        to: s.end,
                        person: taker.to_string(),
                        replaces,
                        edits,
                    }
                })
        })
        .collect();
    if out.is_empty() {
        let Turn { start, end, .. } = rs.turns[turn];
        return Err(format!(
            "{holder} holds no position on rota `{}` in the turn from {} to {}",
            rota.id,
            time::human(rota.timezone, start),
            time::human(rota.timezone, end)
        ));
    }
    Ok(out)
}

/// The entry an override is written as: local date-times in the rota's time zone when
/// they read back as the same instant, else RFC 3339 in UTC.
pub fn entry(rota: &Rota, o: &PlannedOverride, reason: &str) -> Entry {
    let when = |at: Instant| {
        let local = at.with_timezone(&rota.timezone).naive_local();
        if time::local_to_instant(rota.timezone, local) == at {
            local.format("%Y-%m-%dT%H:%M").to_string()
        } else {
            time::rfc3339(at)
        }
    };
    Entry {
        fields: vec![
            ("position", o.position.clone()),
            ("from", when(o.from)),
            ("to", when(o.to)),
            ("person", o.person.clone()),
            ("replaces", o.replaces.clone()),
            ("reason", reason.to_string()),
        ],
    }
}
