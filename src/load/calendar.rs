//! Reading an iCalendar file of whole-day events, as governments and calendar apps
//! publish public holidays, for `rota holidays import` (docs/commands.md, "rota holidays
//! import"): each day of each event, with the event's name.
//!
//! The calendar is read by hand rather than with the `icalendar` crate's parser, so that
//! every complaint names the line of the file it is about.

use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// The longest event read as holidays: a longer one is a mistake, not a holiday.
const LONGEST_EVENT_DAYS: u64 = 366;

/// One day of an event in the calendar: its date, the event's name and where the event
/// starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub name: Option<String>,
    pub line: usize,
}

/// The days of the calendar's events, by date (an event of several days gives each of
/// them; a date two events share keeps the first event's name). An error is the line
/// (from 1) and what is wrong there.
pub fn read_calendar(text: &str) -> Result<Vec<CalendarDay>, (usize, String)> {
    let lines = unfold(text);
    let first = lines.iter().find(|(_, l)| !l.trim().is_empty());
    if !first.is_some_and(|(_, l)| l.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        return Err((
            first.map_or(1, |(n, _)| *n),
            "not an iCalendar file: it must start with BEGIN:VCALENDAR".into(),
        ));
    }
    let mut days: BTreeMap<NaiveDate, CalendarDay> = BTreeMap::new();
    let mut event: Option<Event> = None;
    // Components inside a VEVENT (a VALARM): their properties are not the event's.
    let mut nested = 0usize;
    let mut ended = false;
    for (number, line) in &lines {
        if line.trim().is_empty() {
            continue;
        }
        if ended {
            return Err((*number, "text after END:VCALENDAR".into()));
        }
        let property = Property::parse(line).ok_or_else(|| {
            (
                *number,
                format!("`{}` is not a property (NAME:VALUE)", shorten(line)),
            )
        })?;
        let value = property.value.trim();
        match (property.name.as_str(), &mut event) {
            ("BEGIN", None) if value.eq_ignore_ascii_case("VEVENT") => {
                event = Some(Event::new(*number))
            }
            ("BEGIN", Some(_)) => nested += 1,
            ("END", Some(_)) if nested > 0 => nested -= 1,
            ("END", Some(_)) if value.eq_ignore_ascii_case("VEVENT") => {
                if let Some(e) = event.take() {
                    for day in e.days()? {
                        days.entry(day.date).or_insert(day);
                    }
                }
            }
            ("END", Some(e)) => {
                return Err((
                    *number,
                    format!(
                        "END:{value} inside the event that starts on line {}",
                        e.line
                    ),
                ));
            }
            ("END", None) if value.eq_ignore_ascii_case("VCALENDAR") => ended = true,
            (_, Some(e)) if nested == 0 => e.set(*number, &property)?,
            _ => {}
        }
    }
    if let Some(e) = event {
        return Err((
            e.line,
            "the event that starts here has no END:VEVENT".into(),
        ));
    }
    if !ended {
        return Err((
            lines.last().map_or(1, |(n, _)| *n),
            "the calendar has no END:VCALENDAR (is the file cut short?)".into(),
        ));
    }
    Ok(days.into_values().collect())
}

/// The file's logical lines, each with the number of the line it starts on: CRLF or LF
/// line ends, a line starting with a space or a tab continues the one before (RFC 5545,
/// 3.1), and a byte-order mark is dropped.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ => lines.push((i + 1, raw.to_string())),
        }
    }
    lines
}

/// `NAME;PARAM=VALUE;…:VALUE`, the name upper-cased.
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn parse(line: &str) -> Option<Property> {
        // The value starts at the first colon outside a quoted parameter value.
        let mut quoted = false;
        let colon = line.char_indices().find_map(|(i, c)| match c {
            '"' => {
                quoted = !quoted;
                None
            }
            ':' if !quoted => Some(i),
            _ => None,
        })?;
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = head.split(';');
        let name = parts.next()?.trim().to_ascii_uppercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return None;
        }
        let params = parts
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (
                    k.trim().to_ascii_uppercase(),
                    v.trim_matches('"').to_string(),
                )
            })
            .collect();
        Some(Property {
            name,
            params,
            value: value.to_string(),
        })
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A VEVENT as read so far.
struct Event {
    line: usize,
    start: Option<NaiveDate>,
    /// The first day after the event (DTEND is exclusive).
    end: Option<(usize, NaiveDate)>,
    summary: Option<String>,
    cancelled: bool,
}

impl Event {
    fn new(line: usize) -> Event {
        Event {
            line,
            start: None,
            end: None,
            summary: None,
            cancelled: false,
        }
    }

    fn set(&mut self, line: usize, p: &Property) -> Result<(), (usize, String)> {
        match p.name.as_str() {
            "DTSTART" => self.start = Some(date_of(line, p, false)?),
            "DTEND" => self.end = Some((line, date_of(line, p, true)?)),
            "DURATION" => {
                let start = self.start.ok_or_else(|| {
                    (
                        line,
                        "DURATION before DTSTART: give DTSTART first".to_string(),
                    )
                })?;
                let days = duration_days(p.value.trim()).ok_or_else(|| {
                    (
                        line,
                        format!(
                            "DURATION `{}` is not whole days or weeks (P1D, P2W)",
                            shorten(&p.value)
                        ),
                    )
                })?;
                let end = start.checked_add_days(Days::new(days)).unwrap_or(start);
                self.end = Some((line, end));
            }
            "SUMMARY" => {
                let name = unescape(&p.value);
                self.summary = Some(name).filter(|n| !n.is_empty());
            }
            "STATUS" => self.cancelled = p.value.trim().eq_ignore_ascii_case("CANCELLED"),
            _ => {}
        }
        Ok(())
    }

    /// Each day from DTSTART up to (not including) DTEND; one day without DTEND. A
    /// cancelled event gives none.
    fn days(self) -> Result<Vec<CalendarDay>, (usize, String)> {
        let start = self.start.ok_or_else(|| {
            (
                self.line,
                "the event that starts here has no DTSTART".to_string(),
            )
        })?;
        if self.cancelled {
            return Ok(Vec::new());
        }
        let end = match self.end {
            None => start.succ_opt().unwrap_or(start),
            Some((line, end)) if end <= start => {
                return Err((
                    line,
                    format!("the event ends ({end}) before it starts ({start})"),
                ));
            }
            Some((line, end)) if (end - start).num_days() as u64 > LONGEST_EVENT_DAYS => {
                return Err((
                    line,
                    format!(
                        "the event runs from {start} to {end}: more than {LONGEST_EVENT_DAYS} days is not a holiday"
                    ),
                ));
            }
            Some((_, end)) => end,
        };
        Ok(start
            .iter_days()
            .take_while(|d| *d < end)
            .map(|date| CalendarDay {
                date,
                name: self.summary.clone(),
                line: self.line,
            })
            .collect())
    }
}

/// The date of DTSTART or DTEND: `VALUE=DATE:20270405`, or the date of a date-time
/// (`20270405T000000`, as written). A DTEND at midnight ends the day before.
fn date_of(line: usize, p: &Property, is_end: bool) -> Result<NaiveDate, (usize, String)> {
    let value = p.value.trim();
    let bad = || {
        (
            line,
            format!(
                "{} `{}` is not a date (YYYYMMDD, e.g. {}:20270405)",
                p.name,
                shorten(value),
                p.name
            ),
        )
    };
    let (date, time) = match value.split_once(['T', 't']) {
        Some((d, t)) if p.param("VALUE") != Some("DATE") => (d, Some(t)),
        Some(_) => return Err(bad()),
        None => (value, None),
    };
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let date = NaiveDate::parse_from_str(date, "%Y%m%d").map_err(|_| bad())?;
    match time {
        // A date-time end after midnight still covers the end's day.
        Some(t) if is_end && !t.trim_end_matches(['Z', 'z']).bytes().all(|b| b == b'0') => {
            Ok(date.succ_opt().unwrap_or(date))
        }
        _ => Ok(date),
    }
}

/// Whole days of `P1D`, `P2W`, `P1DT0H0M0S`.
fn duration_days(value: &str) -> Option<u64> {
    let rest = value.strip_prefix('+').unwrap_or(value).strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    if !time
        .bytes()
        .all(|b| b.is_ascii_digit() || b"HMS0".contains(&b))
        || time.bytes().any(|b| (b'1'..=b'9').contains(&b))
    {
        return None;
    }
    if let Some(weeks) = date.strip_suffix('W') {
        return weeks.parse::<u64>().ok().map(|w| w * 7);
    }
    date.strip_suffix('D')?.parse().ok()
}

/// A TEXT value unescaped (RFC 5545, 3.3.11): `\,` `\;` `\\`, and a line break (`\n`)
/// read as a space, since a holiday's name is one line.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push(' '),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line as quoted in a message: at most 60 characters.
fn shorten(line: &str) -> String {
    let mut out: String = line.chars().take(60).collect();
    if line.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_escaped_crlf_and_multi_day_events_are_read() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271224\r\nDTEND;VALUE=DATE:20271227\r\nSUMMARY:Christmas\\, the\r\n  whole of it\r\nBEGIN:VALARM\r\nSUMMARY:not the name\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year\\;s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let days = read_calendar(ics).unwrap_or_default();
        let got: Vec<(String, Option<String>)> = days
            .iter()
            .map(|d| (d.date.to_string(), d.name.clone()))
            .collect();
        let named = |d: &str, n: &str| (d.to_string(), Some(n.to_string()));
        assert_eq!(
            got,
            [
                named("2027-01-01", "New Year;s"),
                named("2027-12-24", "Christmas, the whole of it"),
                named("2027-12-25", "Christmas, the whole of it"),
                named("2027-12-26", "Christmas, the whole of it"),
            ]
        );
    }

    #[test]
    fn bad_calendars_are_located() {
        let at = |ics: &str| read_calendar(ics).err().map(|(line, _)| line);
        assert_eq!(at("hello\n"), Some(1));
        assert_eq!(
            at(
                "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2027-01-01\nEND:VEVENT\nEND:VCALENDAR\n"
            ),
            Some(3)
        );
        assert_eq!(
            at("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n"),
            Some(2)
        );
        assert_eq!(
            at(
                "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270105\nDTEND;VALUE=DATE:20270101\nEND:VEVENT\nEND:VCALENDAR\n"
            ),
            Some(4)
        );
        assert_eq!(
            at("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270105\n"),
            Some(2)
        );
        assert_eq!(
            at("BEGIN:VCALENDAR\nno colon here\nEND:VCALENDAR\n"),
            Some(2)
        );
    }
}
