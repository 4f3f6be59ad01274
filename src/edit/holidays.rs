//! Adding holidays to `holidays:` in rota/config.yaml, for `rota holidays import`: new
//! dates go into the list in date order, in the list's own style; every other byte of
//! the file stays as it was (docs/commands.md, "rota holidays import").

use super::strip_comment;
use crate::load::calendar::CalendarDay;
use crate::load::raw::WrittenHoliday;
use crate::time;
use chrono::NaiveDate;
use std::collections::BTreeMap;

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
        Some(name) => format!(
            "{{ date: {}, name: {} }}",
            d.date,
            super::scalar(name, true)
        ),
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
    let value = strip_comment(&key_line[after_colon..]).trim();
    if value.starts_with('[') {
        // A flow list on the key's line becomes a block list, one entry a line, the
        // entries there written again from their values.
        if !value.ends_with(']') {
            return Err(format!(
                "`holidays:` on line {} is a list over several lines in brackets; write it one `- ` entry a line and import again",
                key + 1
            ));
        }
        let comment = &key_line[after_colon..][strip_comment(&key_line[after_colon..]).len()..];
        let mut all: Vec<(NaiveDate, String)> = Vec::new();
        for w in written {
            let date = time::parse_date(&w.date).map_err(|e| format!("line {}: {e}", w.line))?;
            let text = match &w.name {
                Some(name) => format!("{{ date: {date}, name: {} }}", super::scalar(name, true)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::written_holidays;

    fn date(text: &str) -> NaiveDate {
        time::parse_date(text).unwrap_or_default()
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
