//! The plainest runbook front matter, read without the YAML parser (see
//! [`simple_front_matter`]).

use super::{Field, FrontMatter};
use crate::source::{FileId, Loc};

/// The front matter read without the YAML parser when it is in the plainest form of it,
/// as most are: each line `key: value` (or empty), with one of the keys rota reads, at
/// most once each, and a value that is either double-quoted without `"` or `\\` inside,
/// or a plain scalar that YAML reads as a string (a word of letters, digits, spaces, `-`,
/// `.`, `/`, `_`, `,`, `(`, `)` and other letters, not a number, boolean or null; or a
/// date); for `alerts`, a one-line list of such words without spaces or commas
/// (`alerts: [disk-full, disk-slow]`). Anything else — a comment, a list, another key, a quote
/// within, a `:` or `#` in a plain value, a tab, a line end `\r` — is `None`, and the
/// parser reads it. What it gives is what the parser's path gives, locations included
/// (`simple_front_matter_reads_as_the_parser_does`); it saves the parser's cost for
/// each of 10,000 pages (docs/performance.md, "Why it scales").
pub(super) fn simple_front_matter(
    front: &str,
    file: FileId,
    line_offset: u32,
) -> Option<FrontMatter> {
    let mut fields = FrontMatter::default();
    let mut seen_alerts = false;
    for (i, line) in front.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let value = &rest[spaces..];
        if spaces == 0 || value.is_empty() {
            return None;
        }
        let column = key.len() + 1 + spaces + 1;
        let line_number = u32::try_from(i + 1).ok()? + line_offset;
        if key == "alerts" {
            if seen_alerts {
                return None;
            }
            seen_alerts = true;
            fields.alerts = alert_list(value, file, line_number, column)?;
            continue;
        }
        let value = if let Some(inner) = value.strip_prefix('"') {
            let inner = inner.strip_suffix('"')?;
            if inner.contains(['"', '\\']) || inner.chars().any(char::is_control) {
                return None;
            }
            inner
        } else if is_plain_string(value) {
            value
        } else {
            return None;
        };
        let slot = match key {
            "title" => &mut fields.title,
            "owner" => &mut fields.owner,
            "last_reviewed" => &mut fields.last_reviewed,
            "review_in" => &mut fields.review_in,
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(Field {
            value: value.to_string(),
            loc: Loc {
                file,
                line: line_number,
                column: u32::try_from(column).ok()?,
            },
        });
    }
    Some(fields)
}

/// The items of `[a, b]` (the value of `alerts`, starting at `column` of its line), each
/// a plain word without spaces, where it stands; `None` for any other value.
fn alert_list(value: &str, file: FileId, line: u32, column: usize) -> Option<Vec<Field>> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    if inner.trim_matches(' ').is_empty() {
        return Some(Vec::new());
    }
    let mut items = Vec::new();
    // Byte offset of `inner` in the value: after the `[`.
    let mut at = 1;
    for part in inner.split(',') {
        let item = part.trim_matches(' ');
        let lead = part.len() - part.trim_start_matches(' ').len();
        if item.is_empty() || item.contains(' ') || !is_plain_string(item) {
            return None;
        }
        items.push(Field {
            value: item.to_string(),
            loc: Loc {
                file,
                line,
                column: u32::try_from(column + at + lead).ok()?,
            },
        });
        at += part.len() + 1;
    }
    Some(items)
}

/// Whether `value` is a one-line plain YAML scalar that YAML reads as the string it
/// spells (see [`simple_front_matter`]).
fn is_plain_string(value: &str) -> bool {
    let date = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if date {
        return true;
    }
    let first_ok = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let chars_ok = value.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '-' | '.' | '/' | '_' | ',' | '(' | ')')
            || (!c.is_ascii() && c.is_alphanumeric())
    });
    let words = value.to_ascii_lowercase();
    let special = matches!(
        words.as_str(),
        "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    first_ok
        && chars_ok
        && !value.ends_with(' ')
        && value.chars().any(|c| c.is_alphabetic())
        && !special
        && value.parse::<f64>().is_err()
        && !words.starts_with("0x")
        && !words.starts_with("0o")
}
