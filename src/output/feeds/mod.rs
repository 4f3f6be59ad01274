//! Calendar feeds (RFC 5545): one per person and one per rota. Times are exact UTC
//! instants (no floating times, no RRULE), every event has a stable UID derived from
//! rota, position, start and person, and the output is byte-for-byte deterministic.
//!
//! Written by hand rather than with the `icalendar` crate's writer, which fills in
//! `DTSTAMP: now` and random UIDs on any component that lacks them (VALARM included);
//! the crate's parser reads these feeds back in the tests.

pub mod name;

use crate::model::Model;
use crate::model::{DaySelector, DutyHours, Rota};
use crate::schedule::interval::Interval;
use crate::schedule::{Schedule, Shift};
use crate::time::{self, Duration, Instant};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What every feed of one build shares.
pub struct FeedContext<'a> {
    pub model: &'a Model,
    pub schedule: &'a Schedule,
    /// The events' range: shifts overlapping it are written.
    pub range: Interval,
    /// `DTSTAMP` of every event.
    pub stamp: Instant,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Cleans a URI value (RFC 5545 §3.3.13): URIs are not TEXT-escaped, so control
/// characters (CR, LF, TAB, DEL, C1) and spaces are removed, and a value can never start
/// a new content line whatever `base_url` holds.
pub fn escape_uri(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// Appends one content line, folded at 75 octets without splitting a UTF-8 character,
/// ended by CRLF.
///
/// The last line of defence against injected lines: any control character left in
/// `line` (a raw CR or LF above all) is dropped, so one call writes exactly one line.
pub fn push_line(out: &mut String, line: &str) {
    // Most lines are short and plain: nothing to fold or drop.
    if line.len() <= 75 && !line.bytes().any(|b| b.is_ascii_control()) && line.is_ascii() {
        out.push_str(line);
        out.push_str("\r\n");
        return;
    }
    let mut width = 0;
    for c in line.chars().filter(|c| !c.is_control()) {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// `20261223T100000Z`.
fn utc(at: Instant) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// `-P1D`, `-PT12H`, `-PT30M`: a trigger before the start.
fn trigger(d: Duration) -> String {
    match d {
        Duration::Minutes(n) => format!("-PT{n}M"),
        Duration::Hours(n) => format!("-PT{n}H"),
        Duration::Days(n) => format!("-P{n}D"),
        Duration::Weeks(n) => format!("-P{n}W"),
        Duration::Months(n) => format!("-P{}D", n * 30),
    }
}

/// The domain part of every UID: the host of `base_url` (lowercase, without user, port
/// or path), so that two organisations' feeds never share a UID; `rota` when there is
/// no host.
pub fn uid_domain(base_url: &str) -> String {
    let rest = base_url
        .trim()
        .split_once("://")
        .map_or(base_url.trim(), |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if !h.ends_with(':') && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let host: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let host = host.trim_matches('.');
    if host.is_empty() {
        "rota".to_string()
    } else {
        host.to_string()
    }
}

/// The UID of a shift: stable while its rota, position, start and person stay the same
/// (never derived from the end, which overrides move), ending in `@` + [`uid_domain`].
pub fn uid(shift: &Shift, domain: &str) -> String {
    let position: String = shift
        .position
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "{}-{}-{}-{}@{domain}",
        utc(shift.start),
        shift.rota,
        position,
        shift.person
    )
}

/// A human description of duty hours: `Mon–Fri 00:00–10:00; Sat, Sun, holidays all day`.
pub fn describe_hours(rota: &Rota) -> String {
    match &rota.hours {
        None => "not stated".into(),
        Some(DutyHours::Always) => "always (24/7)".into(),
        Some(DutyHours::Windows(windows)) => windows
            .iter()
            .map(|w| {
                let days = describe_days(&w.days);
                let span = if w.from.0 == 0 && w.to.0 == 1440 {
                    "all day".to_string()
                } else {
                    format!("{}–{}", w.from, w.to)
                };
                format!("{days} {span}")
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// `Mon–Fri`, `Sat, Sun, bank holidays`: runs of three or more weekdays are joined.
fn describe_days(days: &[DaySelector]) -> String {
    let name = |d: chrono::Weekday| {
        let n = time::weekday_name(d);
        let mut c = n.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let mut weekdays: Vec<u32> = days
        .iter()
        .filter_map(|d| match d {
            DaySelector::Day(wd) => Some(wd.num_days_from_monday()),
            DaySelector::Holiday => None,
        })
        .collect();
    weekdays.sort();
    weekdays.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < weekdays.len() {
        let mut j = i;
        while j + 1 < weekdays.len() && weekdays[j + 1] == weekdays[j] + 1 {
            j += 1;
        }
        let day = |n: u32| name(chrono::Weekday::try_from(n as u8).unwrap_or(chrono::Weekday::Mon));
        if j - i >= 2 {
            parts.push(format!("{}–{}", day(weekdays[i]), day(weekdays[j])));
        } else {
            parts.extend((i..=j).map(|k| day(weekdays[k])));
        }
        i = j + 1;
    }
    if days.contains(&DaySelector::Holiday) {
        parts.push("bank holidays".into());
    }
    parts.join(", ")
}

fn person_name(model: &Model, id: &str) -> String {
    model.display_name(id).to_string()
}

/// `path` under the site's `base_url`.
pub fn site_url(model: &Model, path: &str) -> String {
    let base = &model.repo.config.base_url;
    let sep = if base.ends_with('/') { "" } else { "/" };
    format!("{base}{sep}{path}")
}

/// The rota page on the site.
pub fn rota_url(model: &Model, rota: &str) -> String {
    site_url(model, &format!("rotas/{rota}.html"))
}

/// What every event of one rota says alike, made once per rota.
pub struct RotaText {
    /// `Duty hours (ZONE): …`
    duty: String,
    /// `Escalation if a page is not acknowledged: …` (empty without a chain).
    escalation: String,
    /// The rota page's address.
    url: String,
}

impl RotaText {
    pub fn new(model: &Model, rota: &Rota) -> RotaText {
        let duty = format!(
            "Duty hours ({}): {}.\n",
            rota.timezone.name(),
            describe_hours(rota)
        );
        let escalation = rota.escalation.as_ref().map_or(String::new(), |steps| {
            let chain: Vec<String> = steps
                .iter()
                .map(|s| {
                    let target = match &s.notify {
                        crate::model::EscalationTarget::Rota(r) => {
                            format!(
                                "{} rota",
                                model.rota(r).map(|x| x.name.as_str()).unwrap_or(r)
                            )
                        }
                        crate::model::EscalationTarget::Person(p) => person_name(model, p),
                        crate::model::EscalationTarget::Position(p) => p.clone(),
                    };
                    format!("{}: {target}", s.after)
                })
                .collect();
            format!(
                "Escalation if a page is not acknowledged: {}.\n",
                chain.join(" → ")
            )
        });
        RotaText {
            duty,
            escalation,
            url: rota_url(model, &rota.id),
        }
    }
}

fn description(cx: &FeedContext, rota: &Rota, text: &RotaText, shift: &Shift) -> String {
    let model = cx.model;
    let mut d = String::with_capacity(256);
    let _ = writeln!(
        d,
        "{} on {} from {} to {}; on call during duty hours only.",
        person_name(model, shift.person),
        rota.name,
        time::human(rota.timezone, shift.start),
        time::human(rota.timezone, shift.end)
    );
    d.push_str(&text.duty);
    let holidays = holidays_in_turn(model, rota, shift.start, shift.end);
    if !holidays.is_empty() {
        let _ = writeln!(d, "Holidays in this turn: {}.", holidays.join("; "));
    }
    let span = Interval::new(shift.start, shift.end);
    let mut others: Vec<String> = Vec::new();
    let mut listed = std::collections::HashSet::new();
    if let Some(rs) = cx.schedule.rota(&rota.id) {
        for other in rs.shifts(span) {
            if other.position == shift.position && other.person == shift.person {
                continue;
            }
            let entry = format!("{} ({})", person_name(model, other.person), other.position);
            if listed.insert(entry.clone()) {
                others.push(entry);
            }
        }
    }
    let _ = writeln!(
        d,
        "Also on call: {}.",
        if others.is_empty() {
            "nobody".to_string()
        } else {
            others.join(", ")
        }
    );
    d.push_str(&text.escalation);
    let _ = write!(d, "Rota: {}", text.url);
    d
}

/// The listed holidays from `start` to `end` (dates in the rota's time zone), each as
/// `Mon 28 Dec 2026 Boxing Day` (a holiday without a name: `Mon 28 Dec 2026 (holiday)`),
/// for a rota whose hours depend on the day (never one on duty `always`).
pub fn holidays_in_turn(model: &Model, rota: &Rota, start: Instant, end: Instant) -> Vec<String> {
    if !matches!(rota.hours, Some(crate::model::DutyHours::Windows(_))) || end <= start {
        return Vec::new();
    }
    let config = &model.repo.config;
    let first = time::local_date(rota.timezone, start);
    // The turn ends at `end`, not in it: a turn ending at midnight does not reach that day.
    let last = time::local_date(rota.timezone, end - chrono::TimeDelta::seconds(1));
    config
        .holidays
        .range(first..=last)
        .map(|date| {
            let day = date.format("%a %-d %b %Y");
            match config.holiday_name(*date) {
                Some(name) => format!("{day} {name}"),
                None => format!("{day} (holiday)"),
            }
        })
        .collect()
}

/// Which feed an event goes into (changes the summary).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Person,
    Rota,
}

/// The text of one shift's event that both feeds it appears in (its person's and its
/// rota's) share, made once: everything but the summary.
pub struct Event<'a> {
    pub shift: &'a Shift<'a>,
    rota: &'a Rota,
    /// `BEGIN:VEVENT` to `DTEND`, folded, CRLF-ended.
    head: String,
    /// `DESCRIPTION` to `X-MICROSOFT-CDO-BUSYSTATUS`, folded, CRLF-ended.
    body: String,
}

/// The shared text of `shift`'s event (`None` for a shift of an unknown rota).
pub fn event<'a>(
    cx: &FeedContext<'a>,
    domain: &str,
    texts: &BTreeMap<&str, RotaText>,
    shift: &'a Shift<'a>,
) -> Option<Event<'a>> {
    let rota = cx.model.rota(shift.rota)?;
    let text = texts.get(shift.rota)?;
    let mut head = String::with_capacity(160);
    push_line(&mut head, "BEGIN:VEVENT");
    push_line(&mut head, &format!("UID:{}", uid(shift, domain)));
    push_line(&mut head, &format!("DTSTAMP:{}", utc(cx.stamp)));
    push_line(&mut head, &format!("DTSTART:{}", utc(shift.start)));
    push_line(&mut head, &format!("DTEND:{}", utc(shift.end)));
    let mut body = String::with_capacity(512);
    push_line(
        &mut body,
        &format!(
            "DESCRIPTION:{}",
            escape_text(&description(cx, rota, text, shift))
        ),
    );
    push_line(&mut body, &format!("URL:{}", escape_uri(&text.url)));
    push_line(&mut body, "TRANSP:TRANSPARENT");
    push_line(&mut body, "X-MICROSOFT-CDO-BUSYSTATUS:FREE");
    Some(Event {
        shift,
        rota,
        head,
        body,
    })
}

/// Every rota's [`RotaText`], by rota id.
pub fn rota_texts(model: &Model) -> BTreeMap<&str, RotaText> {
    model
        .repo
        .rotas
        .iter()
        .map(|r| (r.id.as_str(), RotaText::new(model, r)))
        .collect()
}

/// A whole feed of events made by [`event`].
pub fn feed_of<'a, 'e: 'a>(
    cx: &FeedContext,
    name: &str,
    kind: FeedKind,
    events: impl ExactSizeIterator<Item = &'a Event<'e>>,
) -> String {
    let config = &cx.model.repo.config;
    let mut out = String::with_capacity(512 + events.len() * 900);
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//rota//rota {}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        format!("NAME:{}", escape_text(name)),
        format!("X-WR-CALNAME:{}", escape_text(name)),
        format!(
            "X-WR-CALDESC:{}",
            escape_text(&format!("On-call shifts from {}", config.title))
        ),
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H".to_string(),
        "X-PUBLISHED-TTL:PT1H".to_string(),
    ] {
        push_line(&mut out, &line);
    }
    let trigger = config.calendar.reminder.map(trigger);
    for e in events {
        let (rota, shift) = (e.rota, e.shift);
        let summary = escape_text(&match kind {
            FeedKind::Person => format!("On call: {} ({})", rota.name, shift.position),
            FeedKind::Rota => format!(
                "{} ({}): {}",
                rota.name,
                shift.position,
                person_name(cx.model, shift.person)
            ),
        });
        out.push_str(&e.head);
        push_line(&mut out, &format!("SUMMARY:{summary}"));
        out.push_str(&e.body);
        if let Some(trigger) = &trigger {
            push_line(&mut out, "BEGIN:VALARM");
            push_line(&mut out, "ACTION:DISPLAY");
            push_line(&mut out, &format!("DESCRIPTION:{summary}"));
            push_line(&mut out, &format!("TRIGGER:{trigger}"));
            push_line(&mut out, "END:VALARM");
        }
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests;
