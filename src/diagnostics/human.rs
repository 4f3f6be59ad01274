//! Human output: the source line with a caret under the place, the rule id and the fix.
//! Every piece of text from the data (the path, the line, the message quoting values) is
//! shown through [`terminal`], so it cannot act on the terminal or start a line of its
//! own (docs/security.md, "Output encoding").

use super::Baseline;
use crate::encode::terminal;
use crate::finding::{Finding, Level};
use crate::source::Sources;
use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

/// Renders findings for a terminal (plain, no colour).
pub fn human(sources: &Sources, findings: &[Finding]) -> String {
    human_marked(sources, findings, None)
}

/// As [`human`], each finding known at the baseline marked `(known)` before its message.
pub fn human_marked(sources: &Sources, findings: &[Finding], baseline: Option<Baseline>) -> String {
    let renderer = Renderer::plain();
    let mut out = String::new();
    for (i, f) in findings.iter().enumerate() {
        let file = sources.get(f.loc.file);
        let level = match f.level {
            Level::Error => SnippetLevel::ERROR,
            Level::Warning => SnippetLevel::WARNING,
        };
        let mut message = terminal(&f.message);
        if baseline.is_some_and(|b| b.is_known(i)) {
            message = std::borrow::Cow::Owned(format!("(known) {message}"));
        }
        let title = level.primary_title(message.as_ref()).id(f.rule.as_str());
        let raw_line = file.line_text(f.loc.line).unwrap_or("");
        let start = char_to_byte(raw_line, f.loc.column.saturating_sub(1) as usize);
        let end = match f.width {
            Some(chars) => char_to_byte(raw_line, (f.loc.column - 1 + chars) as usize).max(start),
            None => token_end(raw_line, start),
        };
        // The line as shown, and the caret's place in it: escaping lengthens what is
        // before and inside the span alike.
        let line_text = shown_line(raw_line);
        let shown_start = shown_line(before(raw_line, start)).len();
        let shown_end = shown_line(before(raw_line, end)).len().max(shown_start);
        let path = terminal(&file.path);
        let help = f.help.as_deref().map(terminal);
        let mut group: Group = title.element(
            Snippet::source(line_text.as_ref())
                .line_start(f.loc.line as usize)
                .path(path.as_ref())
                .annotation(AnnotationKind::Primary.span(shown_start..shown_end)),
        );
        if let Some(help) = &help {
            group = group.element(SnippetLevel::HELP.message(help.as_ref()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// A source line as shown: tabs are kept (the snippet renderer lays them out), every
/// other control character is escaped.
fn shown_line(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains('\t') {
        return terminal(line);
    }
    std::borrow::Cow::Owned(
        line.split('\t')
            .map(terminal)
            .collect::<Vec<_>>()
            .join("\t"),
    )
}

/// The part of `line` before byte `at` (or before the character `at` falls inside).
fn before(line: &str, mut at: usize) -> &str {
    at = at.min(line.len());
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    &line[..at]
}

fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(s.len())
}

/// The end of the word (or quoted value) starting at `start`, so the caret underlines it.
fn token_end(line: &str, start: usize) -> usize {
    let rest = &line[start..];
    if rest.is_empty() {
        return start;
    }
    let stop = rest
        .char_indices()
        .find(|(i, c)| *i > 0 && matches!(c, ',' | '}' | ']' | '#' | '{'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let token = rest[..stop].trim_end();
    start + token.len().max(1).min(rest.len())
}

#[cfg(test)]
mod tests {
    use super::human;
    use crate::finding::{Finding, RuleId};
    use crate::source::{Loc, SourceFile, Sources};

    #[test]
    fn data_is_shown_escaped_and_the_caret_still_underlines_it() {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile {
            path: "rota/rotas/a\n::warning::x\u{1b}[31m.yaml".into(),
            disk_path: "/nonexistent".into(),
            text: "name: \u{1b}[31mX\n".into(),
            line_offset: 0,
        });
        let loc = Loc {
            file,
            line: 1,
            column: 7,
        };
        let finding = Finding::error(RuleId::InvalidId, loc, "bad \u{1b}[31m\nname")
            .with_help("no \u{7}")
            .with_width(6);
        let out = human(&sources, &[finding]);
        assert!(!out.contains(['\u{1b}', '\u{7}']), "{out}");
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("::")),
            "{out}"
        );
        assert!(
            out.contains("error[invalid-id]: bad \\u{1b}[31m\\nname"),
            "{out}"
        );
        assert!(
            out.contains("rota/rotas/a\\n::warning::x\\u{1b}[31m.yaml:1:7"),
            "{out}"
        );
        assert!(out.contains("1 | name: \\u{1b}[31mX\n"), "{out}");
        // Under the escaped ESC, `[31m` and `X`: eleven carets from the seventh column.
        assert!(
            out.contains(&format!("  | {}{}\n", " ".repeat(6), "^".repeat(11))),
            "{out}"
        );
        assert!(out.contains("help: no \\u{7}"), "{out}");
    }
}
