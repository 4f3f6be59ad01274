//! Who to call on a rota at one instant: each position's holder with their work handle
//! and any leave, the escalation chain resolved to names, and the rota's duty edge
//! ("on duty until 18:00 GMT"). One answer, in the same words, for `rota now`, the site's
//! cards and `api/oncall.json`; the site's script recomputes the same words in the
//! browser for other moments (templates/site.js, docs/site.md#who-to-call-the-now-cards).

use crate::model::Model;
use crate::model::{EscalationTarget, Rota};
use crate::schedule::{Schedule, Shift, Source};
use crate::time::{self, Instant};
use chrono::{Datelike, NaiveDate, TimeDelta, Timelike};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::Serialize;

/// Someone to call: their name, work handle and leave on the day of the moment asked
/// about. Never contact details (docs/security.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub handle: Option<String>,
    /// The last day of the leave they are on, that day (in the config's zone).
    pub on_leave_until: Option<NaiveDate>,
}

impl Contact {
    fn of(model: &Model, id: &str, today: NaiveDate) -> Contact {
        let person = model.person(id);
        Contact {
            id: id.to_string(),
            name: person.map_or(id, |p| p.name.as_str()).to_string(),
            handle: person.and_then(|p| p.handle.clone()),
            on_leave_until: on_leave_until(model, id, today),
        }
    }

    /// `Frank Fischer @frank`
    pub fn name_and_handle(&self) -> String {
        match &self.handle {
            Some(h) => format!("{} {h}", self.name),
            None => self.name.clone(),
        }
    }

    /// `on leave to Fri 8 Jan 2027`, when they are.
    pub fn leave_note(&self) -> Option<String> {
        self.on_leave_until
            .map(|to| format!("on leave to {}", day_text(to)))
    }
}

/// The last day of any leave `person` is on on `today` (the latest, when entries overlap).
pub fn on_leave_until(model: &Model, person: &str, today: NaiveDate) -> Option<NaiveDate> {
    model
        .repo
        .leave
        .iter()
        .filter(|l| l.person.id == person && l.from <= today && today <= l.to)
        .map(|l| l.to)
        .max()
}

/// One position at the moment: who holds it and until when.
#[derive(Clone, Debug)]
pub struct HolderAt {
    pub position: String,
    pub shadow: bool,
    /// `None`: nobody (unfilled).
    pub person: Option<Contact>,
    /// The end of their unbroken hold; `None`: nobody holds it, or no end planned.
    pub until: Option<Instant>,
    /// Who holds the position from `until` ("until 10:00 GMT, then Bob Byrne"): `None`
    /// when nothing follows (no `until`, or the block or the rota ends then), `Some(None)`
    /// when the position is unfilled then.
    pub then: Option<Option<String>>,
}

/// One step of the escalation chain, resolved at the moment.
#[derive(Clone, Debug)]
pub struct StepAt {
    /// Minutes after the page (`0`: at once).
    pub after_minutes: i64,
    /// The step as written: a position name, `rota:ID` or `person:ID`.
    pub notify: String,
    /// Who the step reaches at the moment (`None`: nobody, or a rota off duty).
    pub person: Option<Contact>,
    /// `Frank Fischer @frank (ops)`, `Second line → Noah Nakamura @noah`,
    /// `Second line (off duty)`.
    pub target: String,
}

impl StepAt {
    /// `after 5 min: Frank Fischer @frank (ops)`
    pub fn text(&self) -> String {
        format!("{}: {}", after_words(self.after_minutes), self.target)
    }
}

/// `at once`, `after 5 min`, `after 1 h 30 min`.
pub fn after_words(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, 0) => "at once".to_string(),
        (0, m) => format!("after {m} min"),
        (h, 0) => format!("after {h} h"),
        (h, m) => format!("after {h} h {m} min"),
    }
}

/// A rota at one instant: the answer to "who do I call, and until when".
#[derive(Clone, Debug)]
pub struct RotaAt {
    pub rota: String,
    pub name: String,
    pub timezone: Tz,
    pub at: Instant,
    pub on_duty: bool,
    /// When the rota's duty window ends (on duty) or next starts (off duty); `None` when
    /// none is planned (or none before the end of what is published).
    pub edge: Option<Instant>,
    /// The rotas that cover the other side of the edge: those whose duty starts as this
    /// one's ends (on duty), or whose duty window in force now ends at the edge (off duty).
    pub takes_over: Vec<String>,
    pub holders: Vec<HolderAt>,
    pub escalation: Vec<StepAt>,
}

impl RotaAt {
    /// `on duty until 18:00 GMT, then Out of hours takes over`;
    /// `off duty — from Wed 6 Jan, 10:00 GMT (Out of hours until then)`.
    pub fn duty_sentence(&self) -> String {
        let others = self.takes_over.join(" and ");
        match (self.on_duty, self.edge) {
            (true, Some(edge)) if others.is_empty() => {
                format!("on duty until {}", moment(self.timezone, self.at, edge))
            }
            (true, Some(edge)) => format!(
                "on duty until {}, then {others} takes over",
                moment(self.timezone, self.at, edge)
            ),
            (false, Some(edge)) if others.is_empty() => {
                format!("off duty — from {}", moment(self.timezone, self.at, edge))
            }
            (false, Some(edge)) => format!(
                "off duty — from {} ({others} until then)",
                moment(self.timezone, self.at, edge)
            ),
            (true, None) => "on duty".to_string(),
            (false, None) => "off duty".to_string(),
        }
    }

    /// The chain on one line, steps joined by ` · `; `None` without a chain.
    pub fn escalation_sentence(&self) -> Option<String> {
        (!self.escalation.is_empty()).then(|| {
            self.escalation
                .iter()
                .map(StepAt::text)
                .collect::<Vec<_>>()
                .join(" · ")
        })
    }
}

/// `18:00 GMT` on the day of `at`; `Wed 6 Jan, 10:00 GMT` another day of its year;
/// `Wed 6 Jan 2027, 10:00 GMT` another year.
pub fn moment(tz: Tz, at: Instant, t: Instant) -> String {
    let here = at.with_timezone(&tz);
    let l = t.with_timezone(&tz);
    let clock = format!("{:02}:{:02} {}", l.hour(), l.minute(), l.format("%Z"));
    if l.date_naive() == here.date_naive() {
        clock
    } else if l.year() == here.year() {
        format!(
            "{} {} {}, {clock}",
            time::weekday_abbr(l.weekday()),
            l.day(),
            time::month_abbr(l.month())
        )
    } else {
        format!("{}, {clock}", day_text(l.date_naive()))
    }
}

/// `Fri 8 Jan 2027`: a day as the site and these sentences write it.
pub fn day_text(date: NaiveDate) -> String {
    format!(
        "{} {} {} {:04}",
        time::weekday_abbr(date.weekday()),
        date.day(),
        time::month_abbr(date.month()),
        date.year()
    )
}

/// `rota` at `at`: holders, chain and duty edge. Edges at or after `published_until` are
/// left out (the site's script cannot see past the data it embeds, and the two must say
/// the same). `None` when the schedule has no such rota.
pub fn rota_at(
    model: &Model,
    schedule: &Schedule,
    rota: &Rota,
    at: Instant,
    published_until: Option<Instant>,
) -> Option<RotaAt> {
    let rs = schedule.rota(&rota.id)?;
    let today = time::local_date(model.repo.config.timezone, at);
    let holders: Vec<HolderAt> = rs
        .holdings_at(rota, at)
        .into_iter()
        .map(|h| HolderAt {
            shadow: rota.is_shadow(&h.position),
            person: h.person.as_deref().map(|p| Contact::of(model, p, today)),
            until: h.until,
            then: h
                .until
                .and_then(|u| rs.segment_at_anywhere(&h.position, u))
                .map(|s| s.person),
            position: h.position,
        })
        .collect();
    let on_duty = rs.on_duty(at);
    let edge = rs
        .duty_edge(at)
        .filter(|e| published_until.is_none_or(|p| *e < p));
    let takes_over = edge
        .map(|e| takes_over(model, schedule, rota, on_duty, at, e))
        .unwrap_or_default();
    let escalation = rota
        .escalation
        .iter()
        .flatten()
        .map(|step| {
            let after_minutes = step.after.approx_minutes();
            let (notify, person, target) = match &step.notify {
                EscalationTarget::Position(name) => {
                    let holder = holders
                        .iter()
                        .find(|h| &h.position == name)
                        .and_then(|h| h.person.clone())
                        .or_else(|| {
                            rs.segment_at(name, at)
                                .and_then(|s| s.person.as_deref())
                                .map(|p| Contact::of(model, p, today))
                        });
                    let who = holder
                        .as_ref()
                        .map_or("nobody".to_string(), Contact::name_and_handle);
                    let note = holder
                        .as_ref()
                        .and_then(Contact::leave_note)
                        .map(|n| format!(", {n}"))
                        .unwrap_or_default();
                    (name.clone(), holder, format!("{who} ({name}{note})"))
                }
                EscalationTarget::Rota(id) => {
                    let (person, target) = rota_contact(model, schedule, id, at, today);
                    (format!("rota:{id}"), person, target)
                }
                EscalationTarget::Person(id) => {
                    let c = Contact::of(model, id, today);
                    let note = c
                        .leave_note()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default();
                    let target = format!("{}{note}", c.name_and_handle());
                    (format!("person:{id}"), Some(c), target)
                }
            };
            StepAt {
                after_minutes,
                notify,
                person,
                target,
            }
        })
        .collect();
    Some(RotaAt {
        rota: rota.id.clone(),
        name: rota.name.clone(),
        timezone: rota.timezone,
        at,
        on_duty,
        edge,
        takes_over,
        holders,
        escalation,
    })
}

/// The rotas on the other side of `rota`'s duty edge `edge` (see [`RotaAt::takes_over`]),
/// by name, in file order.
fn takes_over(
    model: &Model,
    schedule: &Schedule,
    rota: &Rota,
    on_duty: bool,
    at: Instant,
    edge: Instant,
) -> Vec<String> {
    let just_before = edge - TimeDelta::seconds(1);
    model
        .repo
        .rotas
        .iter()
        .filter(|other| other.id != rota.id)
        .filter_map(|other| {
            let rs = schedule.rota(&other.id)?;
            let covers = if on_duty {
                !rs.on_duty(just_before) && rs.on_duty(edge)
            } else {
                rs.on_duty(at) && rs.duty_edge(at) == Some(edge)
            };
            covers.then(|| other.name.clone())
        })
        .collect()
}

/// Who a page handed to rota `id` reaches first at `at`, and the words for it:
/// `Second line → Noah Nakamura @noah`, `Second line (off duty)`, `Second line → nobody`.
fn rota_contact(
    model: &Model,
    schedule: &Schedule,
    id: &str,
    at: Instant,
    today: NaiveDate,
) -> (Option<Contact>, String) {
    let (Some(rota), Some(rs)) = (model.rota(id), schedule.rota(id)) else {
        return (None, format!("rota {id}"));
    };
    if !rs.on_duty(at) {
        return (None, format!("{} (off duty)", rota.name));
    }
    let first = rota
        .escalation
        .as_ref()
        .and_then(|steps| steps.first())
        .map(|step| &step.notify);
    let person = match first {
        Some(EscalationTarget::Person(person)) => Some(person.clone()),
        Some(EscalationTarget::Rota(other)) => {
            let name = model
                .rota(other)
                .map_or(other.as_str(), |r| r.name.as_str());
            return (None, format!("{} → {name}", rota.name));
        }
        Some(EscalationTarget::Position(name)) => {
            rs.segment_at(name, at).and_then(|s| s.person.clone())
        }
        None => rota
            .position_names()
            .first()
            .and_then(|name| rs.segment_at(name, at))
            .and_then(|s| s.person.clone()),
    };
    match person {
        Some(p) => {
            let c = Contact::of(model, &p, today);
            let note = c
                .leave_note()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let words = format!("{} → {}{note}", rota.name, c.name_and_handle());
            (Some(c), words)
        }
        None => (None, format!("{} → nobody", rota.name)),
    }
}

// ---- api/oncall.json ----

/// The site's `api/oncall.json`: every rota at build time — who to call and until when,
/// the escalation chain and the duty edge, in the words `rota now` prints — and the
/// shifts from then to the horizon (docs/site.md#chat-bots-and-status-pages-apioncalljson).
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct OnCallApi {
    /// The build's "now", RFC 3339 in UTC.
    pub at: String,
    /// The end of the published shifts (the horizon), RFC 3339 in UTC.
    pub published_until: String,
    pub rotas: Vec<RotaOnCall>,
    /// Shifts from now to the horizon.
    pub upcoming: Vec<UpcomingShift>,
}

/// One rota at the build's "now".
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RotaOnCall {
    /// The rota id.
    pub rota: String,
    pub name: String,
    /// Whether the moment is inside the rota's duty hours.
    pub on_duty: bool,
    /// `on duty until 18:00 GMT, then Out of hours takes over`, as `rota now` says it.
    pub duty: String,
    /// When the duty window ends (on duty) or next starts (off duty), RFC 3339 in UTC;
    /// `null` when none is planned before the horizon.
    pub duty_edge: Option<String>,
    /// Who holds each position in the current turn (also when off duty).
    pub positions: Vec<PositionOnCall>,
    /// The escalation chain, resolved to people at that moment.
    pub escalation: Vec<EscalationOnCall>,
}

/// Who holds one position.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PositionOnCall {
    #[schemars(example = &"primary")]
    pub position: String,
    /// The person id; `null` when nobody holds it.
    pub person: Option<String>,
    /// Their name; `null` when nobody holds it.
    pub name: Option<String>,
    /// Their work handle, when they have one.
    pub handle: Option<String>,
    /// The last day of the leave they are on that day (`YYYY-MM-DD`), or `null`.
    pub on_leave_until: Option<String>,
    /// End of that person's unbroken hold of the position (duty hours ignored); `null`
    /// when nobody holds it or the hold does not end within 5 years.
    pub until: Option<String>,
}

/// One escalation step.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EscalationOnCall {
    /// Minutes after the page (`0`: at once).
    pub after_minutes: i64,
    /// The step as written in the rota file: a position, `rota:ID` or `person:ID`.
    #[schemars(example = &"rota:second-line")]
    pub notify: String,
    /// Who it reaches at that moment (person id); `null`: nobody, or a rota off duty.
    pub person: Option<String>,
    /// `after 5 min: Frank Fischer @frank (ops)`
    pub text: String,
}

/// One shift from now to the horizon.
#[derive(Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct UpcomingShift {
    pub rota: String,
    pub position: String,
    /// The person id.
    pub person: String,
    /// RFC 3339 in UTC.
    pub start: String,
    /// RFC 3339 in UTC.
    pub end: String,
    pub source: ShiftSource,
}

/// Whether the rotation or an override put the person there.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ShiftSource {
    Rotation,
    Override,
}

impl From<&RotaAt> for RotaOnCall {
    fn from(r: &RotaAt) -> RotaOnCall {
        RotaOnCall {
            rota: r.rota.clone(),
            name: r.name.clone(),
            on_duty: r.on_duty,
            duty: r.duty_sentence(),
            duty_edge: r.edge.map(time::rfc3339),
            positions: r
                .holders
                .iter()
                .map(|h| PositionOnCall {
                    position: h.position.clone(),
                    person: h.person.as_ref().map(|c| c.id.clone()),
                    name: h.person.as_ref().map(|c| c.name.clone()),
                    handle: h.person.as_ref().and_then(|c| c.handle.clone()),
                    on_leave_until: h
                        .person
                        .as_ref()
                        .and_then(|c| c.on_leave_until)
                        .map(|d| d.to_string()),
                    until: h.until.map(time::rfc3339),
                })
                .collect(),
            escalation: r
                .escalation
                .iter()
                .map(|s| EscalationOnCall {
                    after_minutes: s.after_minutes,
                    notify: s.notify.clone(),
                    person: s.person.as_ref().map(|c| c.id.clone()),
                    text: s.text(),
                })
                .collect(),
        }
    }
}

/// `api/oncall.json` at `at`: every rota's answer and the shifts `upcoming`.
pub fn api(
    model: &Model,
    schedule: &Schedule,
    at: Instant,
    published_until: Instant,
    upcoming: &[Shift],
) -> OnCallApi {
    OnCallApi {
        at: time::rfc3339(at),
        published_until: time::rfc3339(published_until),
        rotas: model
            .repo
            .rotas
            .iter()
            .filter_map(|r| rota_at(model, schedule, r, at, Some(published_until)))
            .map(|r| RotaOnCall::from(&r))
            .collect(),
        upcoming: upcoming
            .iter()
            .map(|s| UpcomingShift {
                rota: s.rota.to_string(),
                position: s.position.to_string(),
                person: s.person.to_string(),
                start: time::rfc3339(s.start),
                end: time::rfc3339(s.end),
                source: match s.source {
                    Source::Rotation => ShiftSource::Rotation,
                    Source::Override(_) => ShiftSource::Override,
                },
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_moment_is_as_short_as_the_day_allows_and_says_its_zone() {
        let london = chrono_tz::Europe::London;
        let at = Utc.with_ymd_and_hms(2027, 1, 5, 17, 59, 0).unwrap();
        let t = |y, mo, d, h| Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).unwrap();
        assert_eq!(moment(london, at, t(2027, 1, 5, 18)), "18:00 GMT");
        assert_eq!(
            moment(london, at, t(2027, 1, 6, 10)),
            "Wed 6 Jan, 10:00 GMT"
        );
        // Summer time: 09:00 UTC is 10:00 BST.
        assert_eq!(
            moment(london, at, t(2027, 3, 31, 9)),
            "Wed 31 Mar, 10:00 BST"
        );
        assert_eq!(
            moment(london, at, t(2028, 3, 8, 10)),
            "Wed 8 Mar 2028, 10:00 GMT"
        );
        // "The same day" is the zone's day: 23:30 UTC on 5 Jan is 6 Jan in Berlin.
        let berlin = chrono_tz::Europe::Berlin;
        let late = Utc.with_ymd_and_hms(2027, 1, 5, 23, 30, 0).unwrap();
        assert_eq!(moment(berlin, late, t(2027, 1, 6, 9)), "10:00 CET");
    }

    #[test]
    fn waits_are_written_in_minutes_and_hours() {
        assert_eq!(after_words(0), "at once");
        assert_eq!(after_words(5), "after 5 min");
        assert_eq!(after_words(60), "after 1 h");
        assert_eq!(after_words(90), "after 1 h 30 min");
    }
}
