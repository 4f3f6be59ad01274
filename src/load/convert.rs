//! Raw serde values → the typed model, every bad value a located finding.

use super::raw::*;
use super::yaml::Ctx;
use crate::finding::RuleId;
use crate::model::*;
use crate::source::{Loc, Sources};
use crate::time::{self, DateTimeSpec, Duration, LocalTime};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

mod config;

pub use config::*;

pub const IMPACTS: [&str; 4] = [
    "danger-to-life",
    "justice-critical",
    "staff-safety",
    "public-access",
];

pub fn person(cx: &mut Ctx, raw: RawPerson) -> Person {
    Person {
        id: cx.id(&raw.id, "person").id,
        name: raw.name.value,
        roles: raw
            .roles
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.value)
            .collect(),
        opted_in: raw.opted_in.unwrap_or(false),
        vetted: cx.opt_value(&raw.vetted, time::parse_date),
        experienced: raw.experienced.unwrap_or(false),
        handle: raw.handle.map(|h| h.value),
        left: cx.opt_value(&raw.left, time::parse_date),
        loc: cx.loc(&raw.id),
    }
}

pub fn rota(cx: &mut Ctx, id: String, raw: RawRota, config: &Config) -> Rota {
    let file_start = Sources::file_start(cx.file);
    let kind = match raw.kind.value.as_str() {
        "out-of-hours" => RotaKind::OutOfHours,
        "in-hours" => RotaKind::InHours,
        other => {
            let loc = cx.loc(&raw.kind);
            cx.error(
                loc,
                format!("`{other}` is not a rota kind: use out-of-hours or in-hours"),
            );
            RotaKind::InHours
        }
    };
    let timezone: Tz = raw
        .timezone
        .as_ref()
        .and_then(|z| zone(cx, z))
        .unwrap_or(config.timezone);
    let hours = raw.hours.as_ref().map(|h| duty_hours(cx, &h.value));
    let default_positions: Option<Vec<Position>> = raw
        .positions
        .as_ref()
        .map(|ps| ps.iter().map(|p| position(cx, p)).collect());
    let blocks = match &raw.rotation {
        None => Vec::new(),
        Some(r) => match &r.value {
            RawRotation::One(b) => {
                let loc = cx.loc(r);
                blocks(cx, &[(b.as_ref(), loc)], default_positions)
            }
            RawRotation::Many(list) => {
                let with_locs: Vec<(&RawBlock, Loc)> =
                    list.iter().map(|b| (&b.value, cx.loc(b))).collect();
                if with_locs.is_empty() {
                    Vec::new()
                } else {
                    blocks(cx, &with_locs, default_positions)
                }
            }
        },
    };
    let overrides = raw
        .overrides
        .unwrap_or_default()
        .iter()
        .filter_map(|o| override_(cx, o, timezone))
        .collect();
    let escalation = raw.escalation.as_ref().map(|steps| {
        steps
            .value
            .iter()
            .filter_map(|s| {
                Some(EscalationStep {
                    after: cx.value(&s.value.after, Duration::parse)?,
                    after_loc: cx.loc(&s.value.after),
                    notify: EscalationTarget::parse(&s.value.notify.value),
                    notify_loc: cx.loc(&s.value.notify),
                })
            })
            .collect()
    });
    Rota {
        name: raw.name.map(|n| n.value).unwrap_or_else(|| id.clone()),
        id,
        file: cx.file,
        description: raw.description.map(|d| d.value).unwrap_or_default(),
        kind,
        kind_loc: cx.loc(&raw.kind),
        timezone,
        hours,
        hours_loc: raw.hours.as_ref().map(|h| cx.loc(h)).unwrap_or(file_start),
        blocks,
        policy: raw
            .policy
            .as_ref()
            .map(|p| policy(cx, &p.value))
            .unwrap_or_default(),
        policy_loc: raw.policy.as_ref().map(|p| cx.loc(p)),
        overrides,
        escalation_loc: raw
            .escalation
            .as_ref()
            .map(|e| cx.loc(e))
            .unwrap_or(file_start),
        escalation,
        loc: file_start,
    }
}

fn duty_hours(cx: &mut Ctx, raw: &RawHours) -> DutyHours {
    match raw {
        RawHours::Always => DutyHours::Always,
        RawHours::Windows(windows) => DutyHours::Windows(
            windows
                .iter()
                .filter_map(|w| {
                    let days = w
                        .value
                        .days
                        .iter()
                        .filter_map(|d| {
                            cx.value(d, |s| {
                                if s.trim() == "holiday" {
                                    Ok(DaySelector::Holiday)
                                } else {
                                    time::parse_weekday(s).map(DaySelector::Day)
                                }
                            })
                        })
                        .collect();
                    let from = cx.value(&w.value.from, LocalTime::parse_time_of_day);
                    let to = cx.value(&w.value.to, LocalTime::parse);
                    Some(DutyWindow {
                        days,
                        from: from?,
                        to: to?,
                        loc: cx.loc(w),
                    })
                })
                .collect(),
        ),
    }
}

fn position(cx: &mut Ctx, raw: &S<RawPosition>) -> Position {
    let p = &raw.value;
    Position {
        name: p.name.value.clone(),
        offset: p.offset.as_ref().map(|o| o.value).unwrap_or(0),
        members: p
            .members
            .as_ref()
            .map(|ms| ms.iter().map(|m| cx.reference(m)).collect()),
        role: p.role.as_ref().map(|r| cx.reference(r)),
        shadow: p.shadow.unwrap_or(false),
        loc: cx.loc(raw),
    }
}

/// Rotation blocks, each inheriting what it does not restate from the one before.
fn blocks(
    cx: &mut Ctx,
    raw: &[(&RawBlock, Loc)],
    default_positions: Option<Vec<Position>>,
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    // Once a block is dropped for a bad value, later blocks cannot inherit from it:
    // their missing keys follow from that value and are not reported again.
    let mut dropped_a_block = false;
    for (b, loc) in raw {
        let prev = out.last();
        let Some(start) = cx.value(&b.start, time::parse_date) else {
            dropped_a_block = true;
            continue;
        };
        let handover = match &b.handover {
            Some(h) => cx.value(h, LocalTime::parse_time_of_day),
            None => prev.map(|p| p.handover),
        };
        let every = match &b.every {
            Some(e) => cx
                .value(e, |s| {
                    Duration::parse(s).and_then(TurnLength::from_duration)
                })
                .map(|every| (every, cx.loc(e))),
            None => prev.map(|p| (p.every, p.every_loc)),
        };
        let members = match &b.members {
            Some(ms) => ms.iter().map(|m| cx.reference(m)).collect(),
            None => prev.map(|p| p.members.clone()).unwrap_or_default(),
        };
        let positions = match &b.positions {
            Some(ps) => ps.iter().map(|p| position(cx, p)).collect(),
            None => prev
                .map(|p| p.positions.clone())
                .or_else(|| default_positions.clone())
                .unwrap_or_default(),
        };
        let (until, until_loc) = match &b.until {
            Some(u) => (cx.value(u, time::parse_date), Some(cx.loc(u))),
            None => (prev.and_then(|p| p.until), prev.and_then(|p| p.until_loc)),
        };
        if let Some(p) = prev
            && start <= p.start
        {
            cx.error(
                    cx.loc(&b.start),
                    format!(
                        "this rotation block starts on {start}, not after the block before it ({}): list blocks in date order",
                        p.start
                    ),
                );
            continue;
        }
        let (Some(handover), Some((every, every_loc))) = (handover, every) else {
            if !dropped_a_block && (b.handover.is_none() || b.every.is_none()) {
                cx.error(
                    *loc,
                    "the first rotation block needs `handover` (a local time) and `every` (the turn length)",
                );
            }
            dropped_a_block = true;
            continue;
        };
        if positions.is_empty() {
            cx.error(
                *loc,
                "no positions: list them under `positions:` (e.g. `- { name: primary }` and `- { name: secondary, offset: 1 }`)",
            );
            continue;
        }
        for p in &positions {
            if p.members.is_none() && members.is_empty() {
                cx.error(
                    p.loc,
                    format!(
                        "position `{}` has no members: give the block `members:` or the position its own list",
                        p.name
                    ),
                );
            }
        }
        let first = b.first.as_ref().map(|f| cx.reference(f));
        out.push(Block {
            start,
            handover,
            every,
            every_loc,
            members,
            positions,
            until,
            until_loc,
            first,
            loc: *loc,
        });
    }
    out
}

fn override_(cx: &mut Ctx, raw: &S<RawOverride>, tz: Tz) -> Option<Override> {
    let o = &raw.value;
    let from = cx.value(&o.from, DateTimeSpec::parse);
    let to = cx.value(&o.to, DateTimeSpec::parse);
    let (from, to) = (from?.resolve(tz), to?.resolve(tz));
    if to <= from {
        cx.error(
            cx.loc(&o.to),
            format!(
                "this override ends ({}) before it starts ({})",
                time::human(tz, to),
                time::human(tz, from)
            ),
        );
        return None;
    }
    let person_loc = cx.loc(&o.person);
    Some(Override {
        position: o.position.as_ref().map(|p| cx.reference(p)),
        from,
        to,
        from_loc: cx.loc(&o.from),
        person: o.person.value.as_ref().map(|p| Named {
            id: p.trim().to_string(),
            loc: person_loc,
        }),
        person_loc,
        replaces: o.replaces.as_ref().map(|r| cx.reference(r)),
        reason: o.reason.as_ref().map(|r| r.value.clone()),
        loc: cx.loc(raw),
    })
}

pub fn alert(cx: &mut Ctx, raw: &RawAlert, severities: &Severities) -> Option<Alert> {
    let severity = match &raw.severity {
        Some(s) => Some(cx.value(s, |w| severities.parse(w))?),
        None => None,
    };
    let mut unstated = Vec::new();
    if raw.summary.is_none() {
        unstated.push("summary");
    }
    if severity.is_none() {
        unstated.push("severity");
    }
    Some(Alert {
        id: cx.id(&raw.id, "alert").id,
        summary: raw
            .summary
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        service: raw.service.as_ref().map(|s| cx.reference(s)),
        severity: severity.unwrap_or(Severity::UNSTATED),
        severity_loc: match &raw.severity {
            Some(s) => cx.loc(s),
            None => cx.loc(&raw.id),
        },
        pages: raw
            .pages
            .iter()
            .flatten()
            .map(|p| cx.reference(p))
            .collect(),
        runbook: raw.runbook.as_ref().map(|r| cx.reference(r)),
        loc: cx.loc(&raw.id),
        rule: None,
        unstated,
    })
}

pub fn service(cx: &mut Ctx, raw: &RawService) -> Service {
    let impact = raw
        .impact
        .iter()
        .flatten()
        .filter_map(|i| {
            cx.value(i, |s| {
                if IMPACTS.contains(&s) {
                    Ok(s.to_string())
                } else {
                    Err(format!(
                        "`{s}` is not an impact: use {}",
                        IMPACTS.join(", ")
                    ))
                }
            })
        })
        .collect();
    Service {
        id: cx.id(&raw.id, "service").id,
        name: raw.name.value.clone(),
        impact,
        out_of_hours: raw.out_of_hours.unwrap_or(false),
        rota: raw.rota.as_ref().map(|r| cx.reference(r)),
        loc: cx.loc(&raw.id),
    }
}

pub fn leave(cx: &mut Ctx, raw: &S<RawLeave>) -> Option<LeaveEntry> {
    let l = &raw.value;
    let from = cx.value(&l.from, time::parse_date);
    let to = cx.value(&l.to, time::parse_date);
    let (from, to) = (from?, to?);
    if to < from {
        cx.error(
            cx.loc(&l.to),
            format!("this leave ends ({to}) before it starts ({from})"),
        );
        return None;
    }
    Some(LeaveEntry {
        person: cx.reference(&l.person),
        from,
        to,
        note: l.note.as_ref().map(|n| n.value.clone()),
        loc: cx.loc(raw),
    })
}

pub fn page(cx: &mut Ctx, raw: &S<RawPage>, tz: Tz) -> Option<PageEntry> {
    let p = &raw.value;
    let at = cx.value(&p.at, DateTimeSpec::parse)?.resolve(tz);
    let worked = match &p.worked {
        Some(w) => cx.value(w, |s| {
            let d = Duration::parse(s)?;
            if d.fixed().is_none() {
                return Err(format!("`{s}`: give time worked in minutes or hours"));
            }
            Ok(d)
        })?,
        None => Duration::Minutes(0),
    };
    Some(PageEntry {
        at,
        person: cx.reference(&p.person),
        alert: cx.reference(&p.alert),
        woke: p.woke.unwrap_or(false),
        worked,
        loc: cx.loc(raw),
    })
}

#[cfg(test)]
mod tests {
    use super::absolute_url;

    #[test]
    fn only_absolute_http_urls_without_line_breaks_pass() {
        for good in [
            "https://example.github.io/support/",
            "http://localhost:8000/",
            "https://example.com",
        ] {
            assert!(absolute_url(good, "base_url").is_ok(), "{good}");
        }
        for bad in [
            "/support/",
            "example.com/support/",
            "ftp://example.com/",
            "javascript:alert(1)",
            "https:///path",
            "https://example.com/\r\nATTACH:http://evil/",
            "https://exa mple.com/",
            "https://user@example.com/",
            "",
        ] {
            assert!(absolute_url(bad, "base_url").is_err(), "{bad:?}");
        }
    }
}
