//! How the site writes instants, days and inline code.

use super::*;

/// An instant as the templates show it: in words, short, and RFC 3339.
#[derive(Serialize)]
pub struct When {
    pub iso: String,
    pub short: String,
    pub text: String,
}

pub(super) fn when_value(tz: Tz, at: Instant) -> When {
    When {
        iso: time::rfc3339(at),
        short: short_when(tz, at),
        text: when(tz, at),
    }
}

/// `Wed 23 Dec, 10:00 GMT`: every time on the site says its zone (chrono-tz's
/// abbreviation, or the offset where the zone has none).
pub(super) fn short_when(tz: Tz, at: Instant) -> String {
    let l = at.with_timezone(&tz);
    format!(
        "{} {} {}, {:02}:{:02} {}",
        time::weekday_abbr(l.weekday()),
        l.day(),
        time::month_abbr(l.month()),
        l.hour(),
        l.minute(),
        l.format("%Z")
    )
}

/// `Wed 23 Dec 2026, 10:00 GMT`
pub fn when(tz: Tz, at: Instant) -> String {
    let l = at.with_timezone(&tz);
    format!(
        "{}, {:02}:{:02} {}",
        day(l.date_naive()),
        l.hour(),
        l.minute(),
        l.format("%Z")
    )
}

/// `Wed 23 Dec 2026`
pub fn day(date: NaiveDate) -> String {
    crate::schedule::oncall::day_text(date)
}

pub(super) use crate::output::feeds::name::webcal;

/// Plain text with Markdown `code` spans as HTML: everything is escaped first, then each
/// pair of backticks becomes `<code>`; a lone backtick stays as it is.
pub fn code_spans(text: &str) -> String {
    // Escape first: nothing in `text` can open a tag, in or out of a code span.
    let escaped = crate::encode::html(text);
    let parts: Vec<&str> = escaped.split('`').collect();
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        } else if i + 1 < parts.len() && !part.is_empty() {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push('`');
            out.push_str(part);
            if i + 1 < parts.len() {
                out.push('`');
            }
        }
    }
    out
}
