//! Output encoding per sink: a value from the data repository (a path, a name, a note, a
//! message quoting them) is untrusted text, and each place rota prints to gives some
//! characters a meaning. One function per sink turns a value into text that can only be
//! read as that value there (docs/security.md, "Output encoding"):
//!
//! - [`terminal`]: a terminal, and any log a CI runner parses line by line (stdout and
//!   stderr of every human output and every error): control characters, line breaks
//!   included, and bidirectional overrides are shown escaped (`\n`, `\u{1b}`), so a value
//!   can neither move the cursor, colour the screen, open a hyperlink, nor start a line.
//! - [`github_data`] / [`github_property`]: GitHub Actions workflow commands (`--format
//!   github`), escaped as the runner unescapes them.
//! - [`markdown_code`] / [`markdown_cell`]: Markdown for a pull-request comment or job
//!   summary (`rota diff`): the value as an inline code span, where nothing is a link, an
//!   image, a heading, HTML or a mention.
//! - [`csv`]: a field of `--format csv` (RFC 4180 quoting), which a spreadsheet opening
//!   the file can only read as text, never as a formula.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters that change how the text around them is shown without being text: C0
/// and C1 controls and DEL (escape sequences, line breaks, backspace), the Unicode line
/// and paragraph separators, and the bidirectional marks, embeddings, overrides and
/// isolates (which can show a line in another order than it is read).
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// A value as it may be shown on a terminal or in a CI log: every control character
/// (line breaks and tabs included), the line separators and the bidirectional controls
/// are written as Rust-style escapes (`\n`, `\t`, `\u{1b}`, `\u{202e}`); the rest is kept.
/// The result is always one line.
pub fn terminal(value: &str) -> Cow<'_, str> {
    if !value.chars().any(is_hidden_control) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if is_hidden_control(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The message of a GitHub workflow command (`::error file=…::MESSAGE`): `%`, CR and LF
/// escaped as the runner unescapes them (`%25`, `%0D`, `%0A`), so the message stays on
/// its line and a line break in it shows as one in the annotation; other controls are
/// shown escaped as by [`terminal`], since the log viewer would act on them.
pub fn github_data(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_hidden_control(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A property value of a GitHub workflow command (`file=VALUE,title=VALUE`): as
/// [`github_data`], and also `:` (`%3A`) and `,` (`%2C`), which end a property.
pub fn github_property(value: &str) -> String {
    github_data(value).replace(':', "%3A").replace(',', "%2C")
}

/// A value as a Markdown inline code span, on one line: controls escaped as by
/// [`terminal`], fenced by one backtick more than the longest run of backticks in it,
/// and padded with a space on each side where the value starts or ends with a backtick
/// or both starts and ends with a space (CommonMark strips one from each side then). Inside a code span no link, image, emphasis,
/// HTML, entity, autolink or `@mention` is formed, and with no line break no block (a
/// heading, a list, a quote) can start.
pub fn markdown_code(value: &str) -> String {
    let shown = terminal(value);
    if shown.is_empty() {
        return "` `".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let stripped = shown.starts_with(' ') && shown.ends_with(' ') && shown.trim_start() != "";
    let pad = if shown.starts_with('`') || shown.ends_with('`') || stripped {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

/// A value as a code span inside a Markdown table cell: as [`markdown_code`], with `|`
/// shown as `\u{7c}`, since a table splits its row at every `|` before reading code spans
/// (and a `\|` escape can itself be undone by a backslash in the value).
pub fn markdown_cell(value: &str) -> String {
    markdown_code(value).replace('|', "\\u{7c}")
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, with
/// quotes doubled; and a field a spreadsheet would run as a formula (starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return — a position named `=HYPERLINK(…)`) starts
/// with `'`, which spreadsheets show as text (OWASP's advice for CSV injection). Numbers
/// written by rota itself are not passed through here.
pub fn csv(value: &str) -> Cow<'_, str> {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = value.contains([',', '"', '\n', '\r']);
    if !formula && !quote {
        return Cow::Borrowed(value);
    }
    let text = if formula {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    };
    if quote {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Owned(text.into_owned())
    }
}

/// Text for HTML or XML, in an element or a quoted attribute: `&`, `<`, `>`, `"` and `'`
/// written as entities, so nothing in the value can open a tag or end an attribute.
pub fn html(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_would_split_a_field_and_defuses_formulas() {
        assert_eq!(csv("alice"), "alice");
        assert!(matches!(csv("out-of-hours"), Cow::Borrowed(_)));
        assert_eq!(csv("a, b"), "\"a, b\"");
        assert_eq!(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv("two\nlines"), "\"two\nlines\"");
        assert_eq!(
            csv("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv("+1"), "'+1");
        assert_eq!(csv("-2"), "'-2");
        assert_eq!(csv("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv("\tx"), "'\tx");
    }

    #[test]
    fn html_writes_every_character_that_could_open_a_tag_or_end_an_attribute_as_an_entity() {
        assert_eq!(
            html(r#"<a href="x" title='y'>&amp;</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(html("Ünïcode stays"), "Ünïcode stays");
    }
    use pulldown_cmark::{Event, Options, Parser, Tag};

    #[test]
    fn terminal_shows_controls_escaped_and_keeps_plain_text() {
        assert_eq!(terminal("Grace Hopper"), "Grace Hopper");
        assert_eq!(terminal("Zoë 日本"), "Zoë 日本");
        assert_eq!(
            terminal("Grace \u{1b}[31mRED\u{1b}]8;;https://evil\u{7}x"),
            "Grace \\u{1b}[31mRED\\u{1b}]8;;https://evil\\u{7}x"
        );
        assert_eq!(terminal("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(terminal("\u{9b}\u{7f}"), "\\u{9b}\\u{7f}");
        assert_eq!(terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(terminal("x\u{2028}y"), "x\\u{2028}y");
    }

    #[test]
    fn terminal_output_never_breaks_a_line() {
        let hostile = "a\n::warning file=README.md,title=Approved::safe\r\nx.yaml";
        let shown = terminal(hostile);
        assert!(!shown.contains(['\n', '\r']));
        assert!(shown.starts_with("a\\n::warning"));
    }

    #[test]
    fn github_data_escapes_what_the_runner_unescapes() {
        assert_eq!(github_data("100% done"), "100%25 done");
        assert_eq!(github_data("a\r\nb"), "a%0D%0Ab");
        assert_eq!(github_data("%0A"), "%250A");
        assert_eq!(github_data("a: b, c"), "a: b, c");
        assert_eq!(github_data("\u{1b}[31m"), "\\u{1b}[31m");
    }

    #[test]
    fn github_property_also_escapes_its_separators() {
        assert_eq!(
            github_property("a\n::warning file=README.md,title=Approved::safe\nx.yaml"),
            "a%0A%3A%3Awarning file=README.md%2Ctitle=Approved%3A%3Asafe%0Ax.yaml"
        );
        assert_eq!(github_property("50%"), "50%25");
    }

    /// What a Markdown renderer makes of `text` (GitHub's extensions that pulldown-cmark
    /// has): the kinds of element other than paragraphs, text and code.
    fn elements(text: &str) -> Vec<String> {
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
        Parser::new_ext(text, options)
            .filter_map(|e| match e {
                Event::Start(Tag::Paragraph) | Event::Text(_) | Event::Code(_) => None,
                Event::End(_) => None,
                Event::Start(Tag::Table(_))
                | Event::Start(Tag::TableHead)
                | Event::Start(Tag::TableRow)
                | Event::Start(Tag::TableCell) => None,
                other => Some(format!("{other:?}")),
            })
            .collect()
    }

    const HOSTILE: &[&str] = &[
        "![](https://x/y.png)",
        "[a](https://x)",
        "# heading",
        "| a | b |",
        "<img src=x>",
        "@org/team",
        "a\n# heading",
        "a\n\n![](https://x/y.png)",
        "`` ` `` [a](b)",
        "```\ncode\n```",
        "x\\",
        "\\|[a](b)|",
        "<https://x>",
        "&lt;b&gt;",
        "",
        " ",
        "`",
        " ` ",
    ];

    #[test]
    fn markdown_code_is_one_code_span_whatever_the_value() {
        for value in HOSTILE {
            let text = format!("before {} after", markdown_code(value));
            assert!(!text.contains('\n'), "{value:?}");
            assert_eq!(elements(&text), Vec::<String>::new(), "{value:?}: {text}");
            let codes: Vec<String> = Parser::new(&text)
                .filter_map(|e| match e {
                    Event::Code(c) => Some(c.to_string()),
                    _ => None,
                })
                .collect();
            let expected = if value.is_empty() {
                " ".to_string()
            } else {
                terminal(value).into_owned()
            };
            assert_eq!(codes, vec![expected], "{value:?}: {text}");
        }
    }

    #[test]
    fn markdown_cell_keeps_the_table_shape() {
        for value in HOSTILE {
            let table = format!(
                "| a | b |\n|---|---|\n| {} | {} |\n",
                markdown_cell(value),
                markdown_cell(value)
            );
            assert_eq!(elements(&table), Vec::<String>::new(), "{value:?}: {table}");
            let cells = Parser::new_ext(&table, Options::ENABLE_TABLES)
                .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
                .count();
            assert_eq!(cells, 4, "{value:?}: {table}");
        }
    }
}
