//! YAML with locations: parse a loaded file into raw serde types, turning syntax and
//! shape errors into located `parse` findings, and helpers to convert raw values into
//! typed ones while recording every failure where it happened.

use crate::finding::{Finding, RuleId};
use crate::model::{Named, is_valid_id};
use crate::source::{FileId, Loc, Sources};
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

/// Parses the file's text (or its front matter) as `T`.
pub fn parse<T: DeserializeOwned>(
    line_offset: u32,
    file: FileId,
    text: &str,
) -> Result<T, Finding> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| {
        let (line, column) = e
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| (l.line() as u32, l.column().max(1) as u32))
            .unwrap_or((1, 1));
        let rendered = e.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
        let (message, line, column) =
            in_our_words(text, strip_location_suffix(&rendered), line, column);
        Finding::error(
            RuleId::Parse,
            Loc {
                file,
                line: line + line_offset,
                column,
            },
            message,
        )
        .with_help("fix the YAML so that it has the shape documented in docs/data-format.md")
    })
}

/// The parser's limits: the library's defaults (depth 64, 50,000 aliases, the
/// alias-to-anchor ratio that stops an alias bomb), with room for a catalogue of
/// 100,000 alerts in one file (about 12 nodes and 20 events each).
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: 4_000_000,
            max_events: 8_000_000,
        },
    }
}

/// The parser's message said plainly, at the place the user has to change: a tab is
/// reported where it stands (the parser names the end of the line before), and a
/// duplicate key without the library's option names.
fn in_our_words(text: &str, message: &str, line: u32, column: u32) -> (String, u32, u32) {
    if message.contains("found a tab") || message.starts_with("tabs disallowed") {
        let start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1) as usize)
            .map(str::len)
            .sum();
        if let Some(tab) = text.get(start..).and_then(|rest| rest.find('\t')) {
            let before = &text[..start + tab];
            let tab_line = before.matches('\n').count() as u32 + 1;
            let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
            let tab_column = before[line_start..].chars().count() as u32 + 1;
            return (
                "a tab character: YAML indents with spaces only (replace the tab with spaces)"
                    .to_string(),
                tab_line,
                tab_column,
            );
        }
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return (
            format!("`{key}` is given twice here: each key may appear once, so keep one"),
            line,
            column,
        );
    }
    if message.starts_with("budget breached") {
        return (
            format!(
                "this file is too big or too deeply nested for one YAML document ({message}): split it into several files"
            ),
            line,
            column,
        );
    }
    if message == "invalid boolean" {
        let value = token_at(text, line, column);
        return (
            format!("`{value}` is not a boolean: write `true` or `false`"),
            line,
            column,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once("`, expected one of ")
    {
        let keys = expected.split(", ").map(|k| k.trim_matches('`'));
        if let Some(key) = crate::finding::did_you_mean(field, keys) {
            return (format!("{message}; did you mean `{key}`?"), line, column);
        }
    }
    (message.to_string(), line, column)
}

/// The plain value written at 1-based `line`, `column` of `text`.
fn token_at(text: &str, line: u32, column: u32) -> String {
    let line_text = text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("");
    line_text
        .chars()
        .skip(column.saturating_sub(1) as usize)
        .take_while(|c| !matches!(c, ',' | '}' | ']' | '#'))
        .collect::<String>()
        .trim()
        .to_string()
}

fn strip_location_suffix(message: &str) -> &str {
    let first_line = message.lines().next().unwrap_or(message);
    match first_line.rfind(" at line ") {
        Some(i) if first_line[i..].contains(", column ") => &first_line[..i],
        _ => first_line,
    }
}

/// Whether a YAML text holds no document (only blank lines and comments).
pub fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

/// Converts raw values of one file into typed ones, collecting findings.
pub struct Ctx<'a> {
    pub file: FileId,
    pub line_offset: u32,
    pub findings: &'a mut Vec<Finding>,
}

impl Ctx<'_> {
    pub fn loc<T>(&self, s: &Spanned<T>) -> Loc {
        let l = &s.referenced;
        if l.line() == 0 {
            return Sources::file_start(self.file);
        }
        Loc {
            file: self.file,
            line: l.line() as u32 + self.line_offset,
            column: l.column().max(1) as u32,
        }
    }

    /// Parses a spanned string with `parse`, recording a located `parse` finding on error.
    pub fn value<T>(
        &mut self,
        s: &Spanned<String>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(&s.value) {
            Ok(v) => Some(v),
            Err(message) => {
                let loc = self.loc(s);
                self.findings
                    .push(Finding::error(RuleId::Parse, loc, message));
                None
            }
        }
    }

    /// An optional spanned string parsed with `parse`.
    pub fn opt_value<T>(
        &mut self,
        s: &Option<Spanned<String>>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        s.as_ref().and_then(|s| self.value(s, parse))
    }

    /// An id as written; an `invalid-id` finding when it breaks the pattern.
    pub fn id(&mut self, s: &Spanned<String>, what: &str) -> Named {
        let loc = self.loc(s);
        if !is_valid_id(&s.value) {
            self.findings.push(invalid_id(loc, &s.value, what));
        }
        Named {
            id: s.value.clone(),
            loc,
        }
    }

    /// A reference to an id (checked later by resolve).
    pub fn reference(&self, s: &Spanned<String>) -> Named {
        Named {
            id: s.value.trim().to_string(),
            loc: self.loc(s),
        }
    }

    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.findings
            .push(Finding::error(RuleId::Parse, loc, message));
    }
}

pub fn invalid_id(loc: Loc, id: &str, what: &str) -> Finding {
    Finding::error(
        RuleId::InvalidId,
        loc,
        format!("`{id}` is not a valid {what} id"),
    )
    .with_help("ids are lowercase letters, digits and dashes, start with a letter or digit, and are at most 63 characters (they become file names and URLs)")
}

/// How many broken units of one file are dropped (each a located finding) before the
/// loader gives the whole file up: enough for real mistakes, bounded for hostile input.
const MAX_DROPPED_UNITS: usize = 5;

/// A file parsed unit by unit: what loaded, the findings, and the text of every top-level
/// unit (a list item, or a key of a top-level mapping) dropped because it was broken.
pub struct Tolerant<T> {
    pub value: Option<T>,
    pub findings: Vec<Finding>,
    pub dropped: Vec<String>,
}

/// Parses `text` as `T`. When the error lies inside one top-level unit (a list item, or
/// a key of a top-level mapping), that unit is blanked (line numbers kept) and the rest
/// parsed again, so one bad value drops its entry or key, not the whole file. Errors that
/// only follow from a dropped unit (`missing field` afterwards) are not reported.
pub fn parse_tolerant<T: DeserializeOwned>(
    line_offset: u32,
    file: FileId,
    text: &str,
) -> Tolerant<T> {
    // Most files parse whole: read them as they are, without first splitting them into
    // units and copying them (10,000 runbooks' front matter, docs/performance.md).
    if let Ok(value) = parse::<T>(line_offset, file, text) {
        return Tolerant {
            value: Some(value),
            findings: Vec::new(),
            dropped: Vec::new(),
        };
    }
    let units = top_level_units(text);
    let original: Vec<&str> = text.split_inclusive('\n').collect();
    let mut lines = original.clone();
    let mut findings = Vec::new();
    let mut dropped = Vec::new();
    let mut dropped_units = Vec::new();
    let mut restarted = false;
    loop {
        let current: String = lines.concat();
        let finding = match parse::<T>(line_offset, file, &current) {
            Ok(value) => {
                return Tolerant {
                    value: Some(value),
                    findings,
                    dropped,
                };
            }
            Err(finding) => finding,
        };
        // In a mapping file a key cannot be dropped to cure a missing one: give up, and
        // do not report a `missing field` that only follows from a key already dropped.
        let is_key_file = units.first().is_some_and(|u| u.is_key);
        let missing_top_level_key =
            is_key_file && finding.message.starts_with("missing field") && finding.loc.column == 1;
        // An alias to an anchor inside a dropped unit follows from the drop as well.
        if !dropped.is_empty() && finding.message.contains("unknown anchor") {
            break;
        }
        let line = finding.loc.line.saturating_sub(line_offset) as usize;
        let unit = units.iter().position(|u| u.contains(&line));
        // A bracket, brace or quote left open swallows the units after it, and the parser
        // reports the open one only once those are dropped: their errors follow from it.
        // Start again from the whole text, dropping only the unit where it opens.
        if finding.message.starts_with("unclosed ")
            && !restarted
            && dropped_units.iter().any(|&d| Some(d) > unit)
        {
            restarted = true;
            lines.clone_from(&original);
            findings.clear();
            dropped.clear();
            dropped_units.clear();
        }
        if !missing_top_level_key || dropped.is_empty() {
            findings.push(finding.clone());
        }
        // A breached parser budget (size, nesting, aliases) is about the whole file:
        // dropping one entry cannot cure it, and each retry would parse it all again.
        let whole_file = finding.message.contains("budget breached");
        let (Some(unit), false, false) = (unit, missing_top_level_key, whole_file) else {
            break;
        };
        if dropped_units.contains(&unit) || dropped_units.len() >= MAX_DROPPED_UNITS {
            break;
        }
        dropped_units.push(unit);
        let range = units[unit].lines.clone();
        dropped.push(lines[range.start - 1..range.end - 1].concat());
        for l in &mut lines[range.start - 1..range.end - 1] {
            *l = if l.ends_with('\n') { "\n" } else { "" };
        }
    }
    Tolerant {
        value: None,
        findings,
        dropped,
    }
}

/// One top-level unit of a YAML text: 1-based lines `[start, end)`.
struct Unit {
    lines: std::ops::Range<usize>,
    /// A key of a top-level mapping (rather than an item of a top-level list).
    is_key: bool,
}

impl Unit {
    fn contains(&self, line: &usize) -> bool {
        self.lines.contains(line)
    }
}

/// The top-level list items (lines starting with `-`) or mapping keys (lines starting
/// with neither space, `#` nor `-`) of a block-style YAML text; none for flow style.
fn top_level_units(text: &str) -> Vec<Unit> {
    let lines: Vec<&str> = text.lines().collect();
    let is_content = |l: &&str| {
        let t = l.trim();
        !(t.is_empty() || t.starts_with('#') || t == "---" || t == "...")
    };
    let Some(first) = lines.iter().find(|l| is_content(l)) else {
        return Vec::new();
    };
    let is_list = first.starts_with('-');
    if first.starts_with([' ', '\t', '[', '{']) {
        return Vec::new();
    }
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| is_content(l))
        .filter(|(_, l)| {
            if is_list {
                l.starts_with('-') && !l.starts_with("---")
            } else {
                !l.starts_with([' ', '\t', '#', '-'])
            }
        })
        .map(|(i, _)| i + 1)
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| Unit {
            lines: start..starts.get(k + 1).copied().unwrap_or(lines.len() + 1),
            is_key: !is_list,
        })
        .collect()
}

/// The value of `key:` in a dropped unit's text (an id, say), if it is written plainly.
pub fn value_of_key(unit: &str, key: &str) -> Option<String> {
    let needle = format!("{key}:");
    let mut from = 0;
    while let Some(i) = unit[from..].find(&needle) {
        let at = from + i;
        let before = unit[..at].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == '{' || c == ',' || c == '-') {
            let rest = &unit[at + needle.len()..];
            let value: String = rest
                .chars()
                .take_while(|c| !matches!(c, ',' | '}' | '\n' | '\r' | '#'))
                .collect();
            let value = value.trim().trim_matches(['"', '\'']).trim();
            return (!value.is_empty()).then(|| value.to_string());
        }
        from = at + needle.len();
    }
    None
}
