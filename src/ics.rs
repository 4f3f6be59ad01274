//! Calendar feeds (RFC 5545): one per person and one per rota. Times are exact UTC
//! instants (no floating times, no RRULE), every event has a stable UID derived from
//! rota, position, start and person, and the output is byte-for-byte deterministic.
//!
//! Written by hand rather than with the `icalendar` crate's writer, which fills in
//! `DTSTAMP: now` and random UIDs on any component that lacks them (VALARM included);
//! the crate's parser reads these feeds back in the tests.

use crate::model::{DaySelector, DutyHours, Rota};
use crate::resolve::Model;
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
    if let Some(rs) = cx.schedule.rota(&rota.id) {
        for other in rs.shifts(span) {
            if other.position == shift.position && other.person == shift.person {
                continue;
            }
            let entry = format!("{} ({})", person_name(model, other.person), other.position);
            if !others.contains(&entry) {
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
mod tests {
    use super::*;

    #[test]
    fn uid_domains_come_from_the_base_urls_host() {
        assert_eq!(
            uid_domain("https://example.github.io/support/"),
            "example.github.io"
        );
        assert_eq!(
            uid_domain("HTTPS://user@Support.Example.ORG:8443/a?b#c"),
            "support.example.org"
        );
        assert_eq!(uid_domain("/"), "rota");
        assert_eq!(uid_domain(""), "rota");
    }

    /// Written to kill the mutants of the port guard (`true`, `&&` → `||`): a colon
    /// that ends an IPv6 address's `::` or sits inside its brackets is not a port
    /// separator, so nothing is cut. What remains of `fe80::1` once `:` `[` `]` are
    /// filtered out is `fe801`.
    #[test]
    fn an_ipv6_host_keeps_its_last_group() {
        assert_eq!(uid_domain("http://fe80::1/"), "fe801");
        assert_eq!(uid_domain("http://[fe80::1]/"), "fe801");
        assert_eq!(uid_domain("http://[fe80::1]:8080/"), "fe801");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn control_characters_are_removed_from_text() {
        // BEL, ESC, TAB, CR, DEL and a C1 control (NEL): none reaches a feed.
        assert_eq!(escape_text("a\u{7}b\u{1b}c\td\re\u{7f}f\u{85}g"), "abcdefg");
        // A CRLF is a line break in the text: it becomes one escaped `\n`.
        assert_eq!(escape_text("one\r\ntwo"), "one\\ntwo");
    }

    #[test]
    fn uri_values_lose_control_characters_and_spaces() {
        assert_eq!(
            escape_uri("https://x.test/\r\nATTACH:https://evil.test/a b\t\u{0}"),
            "https://x.test/ATTACH:https://evil.test/ab"
        );
        assert_eq!(
            escape_uri("https://x.test/rotas/ooh.html"),
            "https://x.test/rotas/ooh.html"
        );
    }

    #[test]
    fn a_content_line_never_holds_a_raw_line_break() {
        let mut out = String::new();
        push_line(&mut out, "URL:https://x.test/\r\nATTACH:evil\u{b}");
        assert_eq!(out, "URL:https://x.test/ATTACH:evil\r\n");
    }

    #[test]
    fn a_line_of_exactly_75_octets_is_not_folded_and_76_is() {
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(75));
        assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
        let mut out = String::new();
        push_line(&mut out, &"x".repeat(76));
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    #[test]
    fn reminders_trigger_before_the_start_in_their_own_unit() {
        assert_eq!(trigger(Duration::Minutes(30)), "-PT30M");
        assert_eq!(trigger(Duration::Hours(12)), "-PT12H");
        assert_eq!(trigger(Duration::Days(1)), "-P1D");
        assert_eq!(trigger(Duration::Weeks(2)), "-P2W");
        assert_eq!(trigger(Duration::Months(1)), "-P30D");
    }

    fn window(days: &[DaySelector], from: u16, to: u16) -> crate::model::DutyWindow {
        crate::model::DutyWindow {
            days: days.to_vec(),
            from: time::LocalTime(from),
            to: time::LocalTime(to),
            loc: crate::source::Sources::file_start(crate::source::FileId(0)),
        }
    }

    fn rota_with(hours: Option<DutyHours>) -> Rota {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/_base");
        let repo = crate::load::load(&root).expect("the corpus base loads");
        let mut rota = repo.rotas.into_iter().next().expect("one rota");
        rota.hours = hours;
        rota
    }

    #[test]
    fn duty_hours_are_described_in_words() {
        use DaySelector::{Day, Holiday};
        use chrono::Weekday::*;
        let weekdays = [Day(Mon), Day(Tue), Day(Wed), Day(Thu), Day(Fri)];
        let hours = DutyHours::Windows(vec![
            window(&weekdays, 0, 600),
            window(&[Day(Sat), Day(Sun), Holiday], 0, 1440),
            window(&[Day(Sun)], 0, 600),
            window(&[Day(Mon)], 1080, 1440),
            window(&[Day(Sat)], 0, 1439),
        ]);
        assert_eq!(
            describe_hours(&rota_with(Some(hours))),
            "Mon–Fri 00:00–10:00; Sat, Sun, bank holidays all day; Sun 00:00–10:00; \
             Mon 18:00–24:00; Sat 00:00–23:59"
        );
        assert_eq!(
            describe_hours(&rota_with(Some(DutyHours::Always))),
            "always (24/7)"
        );
        assert_eq!(describe_hours(&rota_with(None)), "not stated");
    }

    #[test]
    fn runs_of_three_weekdays_or_more_are_joined() {
        use DaySelector::Day;
        use chrono::Weekday::*;
        // Listed out of order and with a repeat: sorted and deduplicated first.
        assert_eq!(
            describe_days(&[Day(Wed), Day(Mon), Day(Tue), Day(Mon)]),
            "Mon–Wed"
        );
        assert_eq!(describe_days(&[Day(Mon), Day(Tue)]), "Mon, Tue");
        // A run of two that does not start the list stays two names.
        assert_eq!(
            describe_days(&[Day(Mon), Day(Wed), Day(Thu)]),
            "Mon, Wed, Thu"
        );
        assert_eq!(
            describe_days(&[Day(Fri), Day(Mon), Day(Sat), Day(Sun), Day(Tue)]),
            "Mon, Tue, Fri–Sun"
        );
        assert_eq!(describe_days(&[DaySelector::Holiday]), "bank holidays");
    }

    #[test]
    fn lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "Zoë Ōtsuka-Ñúñez ".repeat(10));
        push_line(&mut out, &line);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }
}
