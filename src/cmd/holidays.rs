//! `rota holidays import FILE.ics`: read the whole-day events of an iCalendar file (as
//! governments and calendar apps publish public holidays) and merge their dates and
//! names into `holidays:` in rota/config.yaml, editing only that list: every other byte
//! of the file stays as it was (docs/commands.md, "rota holidays import").
//!
//! The calendar is read by hand rather than with the `icalendar` crate's parser, so
//! that every complaint names the line of the file it is about.

use super::{Failure, Session};
use crate::load::raw::{WrittenHoliday, written_holidays};
use crate::{edit, load, resolve, safe_write, time};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

const CONFIG: &str = "rota/config.yaml";

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

pub fn import(session: &Session, file: &Path, dry_run: bool) -> Result<ExitCode, Failure> {
    let shown = file.display();
    let bytes = std::fs::read(file).map_err(|e| Failure(format!("{shown}: cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure(format!(
            "{shown}: not UTF-8 text: an iCalendar file is UTF-8"
        ))
    })?;
    let days = read_calendar(&text)
        .map_err(|(line, message)| Failure(format!("{shown}:{line}: {message}")))?;
    if let Some(code) = super::refuse_on_errors(session, &[CONFIG]) {
        return Ok(code);
    }
    let model = &session.model;
    let config = &model.repo.config;
    let config_file = model.repo.sources.get(config.loc.file);
    let written =
        written_holidays(&config_file.text).map_err(|e| Failure(format!("{CONFIG}:{e}")))?;

    let mut added: Vec<&CalendarDay> = Vec::new();
    let mut report = Vec::new();
    for day in &days {
        if !config.holidays.contains(&day.date) {
            added.push(day);
            continue;
        }
        let listed = config.holiday_name(day.date);
        match (listed, &day.name) {
            (Some(listed), Some(name)) if listed != name => report.push(format!(
                "  kept     {}  {listed} (the calendar calls it \"{name}\")",
                day.date
            )),
            (None, Some(name)) => report.push(format!(
                "  kept     {}  without a name (the calendar calls it \"{name}\")",
                day.date
            )),
            _ => report.push(format!("  already  {}  {}", day.date, listed.unwrap_or(""))),
        }
    }
    println!(
        "{shown}: {} day(s) of holidays; {} to add, {} listed already",
        days.len(),
        added.len(),
        days.len() - added.len()
    );
    for day in &added {
        println!(
            "  add      {}  {}",
            day.date,
            day.name.as_deref().unwrap_or("")
        );
    }
    for line in &report {
        println!("{line}");
    }
    if added.is_empty() {
        println!("{CONFIG} was not changed.");
        return Ok(ExitCode::SUCCESS);
    }
    let edited = add_holidays(&config_file.text, &written, &added)
        .map_err(|e| Failure(format!("{CONFIG}: {e}; nothing was written")))?;

    // The edited text must read back as the old list plus the new days, names and all.
    let root = &model.repo.root;
    let overlay = BTreeMap::from([(CONFIG.to_string(), edited.clone())]);
    let after = resolve::resolve(load::load_with(root, &overlay)?);
    let reread = &after.repo.config;
    let expected = config.holidays.len() + added.len();
    let names_kept = added
        .iter()
        .all(|d| reread.holiday_name(d.date) == d.name.as_deref());
    if reread.holidays.len() != expected || !names_kept {
        return Err(Failure(format!(
            "{CONFIG}: the edited file does not read back as {} more holiday(s); nothing was written (add them by hand)",
            added.len()
        )));
    }
    if dry_run {
        println!("--dry-run: {CONFIG} was not changed.");
        return Ok(ExitCode::SUCCESS);
    }
    safe_write::write_file(root, Path::new(CONFIG), &[edited.as_bytes()]).map_err(|e| {
        let at = e.path.strip_prefix(root).unwrap_or(&e.path);
        Failure(format!(
            "{}: {}; {CONFIG} was not changed",
            at.display(),
            e.reason
        ))
    })?;
    println!(
        "{CONFIG}: added {} holiday(s). Commit it; `rota check` warns when the list stops before the check window ends.",
        added.len()
    );
    Ok(ExitCode::SUCCESS)
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

/// `text` (config.yaml) with `added` in its `holidays:` list, each where its date falls
/// among the entries written there; a config without the list gets one at its end.
/// Every byte outside the list stays as it was, and so does each entry in it.
pub fn add_holidays(
    text: &str,
    written: &[WrittenHoliday],
    added: &[&CalendarDay],
) -> Result<String, String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<(usize, &str)> = line_starts(text);
    let entry = |d: &CalendarDay| match &d.name {
        Some(name) => format!("{{ date: {}, name: {} }}", d.date, edit::scalar(name, true)),
        None => d.date.to_string(),
    };
    let key = lines.iter().position(|(_, l)| is_holidays_key(l));
    let Some(key) = key else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str("holidays:");
        out.push_str(eol);
        for d in added {
            out.push_str(&format!("  - {}{eol}", entry(d)));
        }
        return Ok(out);
    };
    let (key_start, key_line) = lines[key];
    let after_colon = key_line.find(':').map_or(key_line.len(), |c| c + 1);
    let value = without_comment(&key_line[after_colon..]).trim();
    if value.starts_with('[') {
        // A flow list on the key's line becomes a block list, one entry a line, the
        // entries there written again from their values.
        if !value.ends_with(']') {
            return Err(format!(
                "`holidays:` on line {} is a list over several lines in brackets; write it one `- ` entry a line and import again",
                key + 1
            ));
        }
        let comment = &key_line[after_colon..][without_comment(&key_line[after_colon..]).len()..];
        let mut all: Vec<(NaiveDate, String)> = Vec::new();
        for w in written {
            let date = time::parse_date(&w.date).map_err(|e| format!("line {}: {e}", w.line))?;
            let text = match &w.name {
                Some(name) => format!("{{ date: {date}, name: {} }}", edit::scalar(name, true)),
                None => date.to_string(),
            };
            all.push((date, text));
        }
        all.extend(added.iter().map(|d| (d.date, entry(d))));
        all.sort_by_key(|(date, _)| *date);
        let mut block = String::from("holidays:");
        if !comment.trim().is_empty() {
            block.push(' ');
            block.push_str(comment.trim());
        }
        block.push_str(eol);
        for (_, text) in &all {
            block.push_str(&format!("  - {text}{eol}"));
        }
        let line_end = lines.get(key + 1).map_or(text.len(), |(start, _)| *start);
        let mut out = text[..key_start].to_string();
        out.push_str(&block);
        out.push_str(&text[line_end..]);
        return Ok(out);
    }
    if !value.is_empty() {
        return Err(format!(
            "`holidays:` on line {} holds `{value}`, not a list",
            key + 1
        ));
    }
    // A block list: each new entry goes before the first entry written with a later
    // date, with that entry's `- ` prefix; the others after the list's last line.
    let prefix_of = |w: &WrittenHoliday| -> Option<String> {
        let (_, line) = lines.get((w.line as usize).checked_sub(1)?)?;
        let prefix = line.get(..(w.column as usize).saturating_sub(1))?;
        prefix
            .trim_end()
            .ends_with('-')
            .then(|| prefix.to_string())
            .filter(|p| p.trim() == "-")
    };
    let default_prefix = written
        .iter()
        .find_map(prefix_of)
        .unwrap_or_else(|| "  - ".to_string());
    let last_line = list_end(&lines, key);
    let mut inserts: BTreeMap<usize, String> = BTreeMap::new();
    for d in added {
        let later = written
            .iter()
            .filter(|w| time::parse_date(&w.date).is_ok_and(|date| date > d.date))
            .min_by_key(|w| w.line);
        let (at, prefix) = match later {
            Some(w) => {
                let prefix = prefix_of(w).ok_or_else(|| {
                    format!(
                        "the `holidays:` entry on line {} is not written one `- ` entry a line; import into a simpler list",
                        w.line
                    )
                })?;
                (lines[w.line as usize - 1].0, prefix)
            }
            None => {
                let end = lines.get(last_line + 1).map_or(text.len(), |(s, _)| *s);
                (end, default_prefix.clone())
            }
        };
        inserts
            .entry(at)
            .or_default()
            .push_str(&format!("{prefix}{}{eol}", entry(d)));
    }
    let mut out = String::with_capacity(text.len() + inserts.len() * 48);
    let mut from = 0;
    for (at, new) in inserts {
        out.push_str(&text[from..at]);
        if at == text.len() && !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&new);
        from = at;
    }
    out.push_str(&text[from..]);
    Ok(out)
}

/// Each line's byte offset and text (without its line end).
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        out.push((start, raw.trim_end_matches('\n').trim_end_matches('\r')));
        start += raw.len();
    }
    out
}

/// `holidays:` as a top-level key at the start of the line.
fn is_holidays_key(line: &str) -> bool {
    line.strip_prefix("holidays")
        .map(|rest| rest.trim_start_matches(' '))
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// The last line of the block list under the key on line `key`: the last content line
/// before the next top-level key (comments and blank lines after it belong to what
/// follows).
fn list_end(lines: &[(usize, &str)], key: usize) -> usize {
    let mut last = key;
    for (i, (_, line)) in lines.iter().enumerate().skip(key + 1) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let top_level = !line.starts_with([' ', '\t']) && !line.starts_with('-');
        if top_level {
            break;
        }
        last = i;
    }
    last
}

/// A line's text before a `# comment` (a `#` after a blank, outside quotes).
fn without_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && (prev == ' ' || prev == '\t') => return &line[..i],
            None => {}
        }
        prev = c;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        time::parse_date(text).unwrap_or_default()
    }

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

    fn day(d: &str, name: &str) -> CalendarDay {
        CalendarDay {
            date: date(d),
            name: Some(name.to_string()),
            line: 1,
        }
    }

    #[test]
    fn new_entries_go_in_date_order_and_nothing_else_moves() {
        let text = "title: T   # mine\nholidays:\n  # winter\n  - 2026-12-25\n  - { date: 2027-04-05, name: Easter Monday }\n\n# after\nrules: {}\n";
        let written = written_holidays(text).unwrap_or_default();
        let (a, b, c) = (
            day("2027-01-01", "New Year's Day"),
            day("2026-01-01", "New Year: 2026"),
            day("2027-12-25", "Christmas Day"),
        );
        let out = add_holidays(text, &written, &[&b, &a, &c]).unwrap_or_default();
        assert_eq!(
            out,
            "title: T   # mine\nholidays:\n  # winter\n  - { date: 2026-01-01, name: \"New Year: 2026\" }\n  - 2026-12-25\n  - { date: 2027-01-01, name: New Year's Day }\n  - { date: 2027-04-05, name: Easter Monday }\n  - { date: 2027-12-25, name: Christmas Day }\n\n# after\nrules: {}\n"
        );
    }

    #[test]
    fn a_config_without_holidays_gets_the_list_and_a_flow_list_becomes_a_block() {
        let d = day("2027-01-01", "New Year's Day");
        assert_eq!(
            add_holidays("title: T", &[], &[&d]).unwrap_or_default(),
            "title: T\nholidays:\n  - { date: 2027-01-01, name: New Year's Day }\n"
        );
        let text = "holidays: [2026-12-25, 2027-12-25]  # bank\r\ntitle: T\r\n";
        let written = written_holidays(text).unwrap_or_default();
        assert_eq!(
            add_holidays(text, &written, &[&d]).unwrap_or_default(),
            "holidays: # bank\r\n  - 2026-12-25\r\n  - { date: 2027-01-01, name: New Year's Day }\r\n  - 2027-12-25\r\ntitle: T\r\n"
        );
    }
}
