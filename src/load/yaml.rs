//! YAML with locations: parse a loaded file into raw serde types, turning syntax and
//! shape errors into located `parse` findings, and helpers to convert raw values into
//! typed ones while recording every failure where it happened.

use crate::finding::Finding;
use crate::model::{Named, is_valid_id};
use crate::source::{FileId, Loc, Sources};
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

/// Parses the file's text (or its front matter) as `T`.
pub fn parse<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    text: &str,
) -> Result<T, Finding> {
    let source = sources.get(file);
    serde_saphyr::from_str::<T>(text).map_err(|e| {
        let (line, column) = e
            .location()
            .filter(|l| l.line() > 0)
            .map(|l| (l.line() as u32, l.column().max(1) as u32))
            .unwrap_or((1, 1));
        let rendered = e.render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
        let message = strip_location_suffix(&rendered);
        Finding::error(
            "parse",
            Loc {
                file,
                line: line + source.line_offset,
                column,
            },
            message.to_string(),
        )
        .with_help(
            "fix the YAML so that it has the shape documented in the README (docs/data-format.md)",
        )
    })
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
                self.findings.push(Finding::error("parse", loc, message));
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
        self.findings.push(Finding::error("parse", loc, message));
    }
}

pub fn invalid_id(loc: Loc, id: &str, what: &str) -> Finding {
    Finding::error(
        "invalid-id",
        loc,
        format!("`{id}` is not a valid {what} id"),
    )
    .with_help("ids are lowercase letters, digits and dashes, start with a letter or digit, and are at most 63 characters (they become file names and URLs)")
}
