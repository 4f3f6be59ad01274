//! Human output: the source line with a caret under the place, the rule id and the fix.

use crate::finding::{Finding, Level};
use crate::source::Sources;
use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};

/// Renders findings for a terminal (plain, no colour), followed by a summary line.
pub fn human(sources: &Sources, findings: &[Finding]) -> String {
    let renderer = Renderer::plain();
    let mut out = String::new();
    for f in findings {
        let file = sources.get(f.loc.file);
        let level = match f.level {
            Level::Error => SnippetLevel::ERROR,
            Level::Warning => SnippetLevel::WARNING,
        };
        let title = level.primary_title(f.message.as_str()).id(f.rule);
        let line_text = file.line_text(f.loc.line).unwrap_or("");
        let start = char_to_byte(line_text, f.loc.column.saturating_sub(1) as usize);
        let end = match f.width {
            Some(chars) => char_to_byte(line_text, (f.loc.column - 1 + chars) as usize).max(start),
            None => token_end(line_text, start),
        };
        let mut group: Group = title.element(
            Snippet::source(line_text)
                .line_start(f.loc.line as usize)
                .path(file.path.as_str())
                .annotation(AnnotationKind::Primary.span(start..end)),
        );
        if let Some(help) = &f.help {
            group = group.element(SnippetLevel::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
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
