//! Located text edits of a rota file: append entries to its top-level `overrides:` list
//! in the list's own style (block or flow; block or flow mappings; its indentation and
//! line endings), or add an `overrides:` key at the end; replace one scalar value where
//! it is written. Every other byte stays as it was: the YAML is never re-serialised.

pub mod holidays;

/// One entry to append: keys in the order they are written, values as plain text (they
/// are quoted here when YAML would not read them back as the same string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub fields: Vec<(&'static str, String)>,
}

/// `text` with `entries` appended to its top-level `overrides:` list. An error (in a
/// sentence) when the list is written in a way this edit does not handle safely.
pub fn append_overrides(text: &str, entries: &[Entry]) -> Result<String, String> {
    if entries.is_empty() {
        return Ok(text.to_string());
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines = Lines::new(text);
    let Some(key) = lines.find_top_level_key("overrides") else {
        return Ok(append_new_key(text, entries, eol, lines.indent_unit()));
    };
    let (line_start, line) = lines.get(key);
    let after_colon = line.find(':').map(|c| c + 1).unwrap_or(line.len());
    let value = strip_comment(&line[after_colon..]).trim();
    if value.starts_with('[') {
        let open = line_start + after_colon + line[after_colon..].find('[').unwrap_or(0);
        return append_to_flow_list(text, open, entries, eol);
    }
    if !value.is_empty() {
        return Err(format!(
            "`overrides:` on line {} holds `{value}`, not a list; make it a list (or remove it) and run the swap again",
            key + 1
        ));
    }
    Ok(append_to_block_list(text, &lines, key, entries, eol))
}

/// `text` with the scalar value that starts at `line`, `column` (1-based; columns count
/// characters) replaced by `value`: a plain scalar up to the `,` `}` `]`, comment or
/// line end that ends it, or a whole quoted one. An error (in a sentence) when no
/// scalar starts there.
pub fn replace_scalar(text: &str, line: u32, column: u32, value: &str) -> Result<String, String> {
    let where_ = format!("line {line}, column {column}");
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let rest = text.get(line_start..).unwrap_or("");
    let line_text = rest.split(['\n', '\r']).next().unwrap_or("");
    let start = line_text
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .ok_or_else(|| format!("{where_} is past the end of its line"))?;
    let token = &line_text[start..];
    let len = match token.chars().next() {
        Some(q @ ('"' | '\'')) => {
            // The closing quote: `''` inside single quotes, `\"` inside double ones, are
            // part of the value.
            let mut chars = token.char_indices().skip(1).peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if q == '"' && c == '\\' {
                    chars.next();
                } else if c == q {
                    if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                }
            }
            end.ok_or_else(|| format!("the quoted value at {where_} does not end on its line"))?
        }
        Some(c) if !matches!(c, ',' | '}' | ']' | '#' | '[' | '{' | ' ') => {
            let mut end = token.len();
            for (i, c) in token.char_indices() {
                let comment = c == '#' && token[..i].ends_with([' ', '\t']);
                if matches!(c, ',' | '}' | ']') || comment {
                    end = i;
                    break;
                }
            }
            token[..end].trim_end().len()
        }
        _ => return Err(format!("no value starts at {where_}")),
    };
    let at = line_start + start;
    let in_flow = line_text[..start].contains('{');
    Ok(format!(
        "{}{}{}",
        &text[..at],
        scalar(value, in_flow),
        &text[at + len..]
    ))
}

/// The file's lines: (byte offset of the line start, the line without its line end).
struct Lines<'a> {
    text: &'a str,
    lines: Vec<(usize, &'a str)>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut lines = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            let line = raw.trim_end_matches('\n').trim_end_matches('\r');
            lines.push((start, line));
            start += raw.len();
        }
        Lines { text, lines }
    }

    fn get(&self, i: usize) -> (usize, &'a str) {
        self.lines[i]
    }

    /// The byte offset just after line `i`'s line end (or the end of the text).
    fn end_of(&self, i: usize) -> usize {
        self.lines
            .get(i + 1)
            .map(|(start, _)| *start)
            .unwrap_or(self.text.len())
    }

    /// The line of `key:` at column 1 (a key of the top-level block mapping).
    fn find_top_level_key(&self, key: &str) -> Option<usize> {
        self.lines.iter().position(|(_, line)| {
            line.strip_prefix(key)
                .map(|rest| rest.trim_start_matches(' '))
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        })
    }

    /// The indentation the file uses for nested keys (that of its first indented
    /// content line), 2 when it has none.
    fn indent_unit(&self) -> usize {
        self.lines
            .iter()
            .map(|(_, l)| l.len() - l.trim_start_matches(' ').len())
            .find(|&n| n > 0)
            .unwrap_or(2)
    }
}

/// A line's content without a trailing `# comment` (a `#` at the start or after a blank,
/// outside quotes).
fn strip_comment(line: &str) -> &str {
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

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

/// How an existing item of a block list is written, to write new ones the same way.
struct BlockItemStyle {
    /// Spaces before the `-`.
    dash_indent: usize,
    /// Spaces between the `-` and the item.
    gap: usize,
    /// `Some(inner_space)` for `- { k: v }` items (with spaces inside the braces or not).
    flow: Option<bool>,
}

fn append_to_block_list(
    text: &str,
    lines: &Lines,
    key: usize,
    entries: &[Entry],
    eol: &str,
) -> String {
    // The list's lines: from the key to the last content line indented below it (or a
    // `-` item at the key's own indentation, which YAML allows).
    let mut last_content = key;
    let mut last_item: Option<usize> = None;
    let mut dash_indent: Option<usize> = None;
    for i in key + 1..lines.lines.len() {
        let (_, line) = lines.get(i);
        if !is_content(line) {
            continue;
        }
        let indent = indent_of(line);
        let is_item = line.trim_start().starts_with('-')
            && (line.trim_start().len() == 1 || line.trim_start()[1..].starts_with(' '));
        let belongs = match dash_indent {
            None => is_item,
            Some(d) => indent > d || (indent == d && is_item),
        };
        if !belongs || line.starts_with("---") || line.starts_with("...") {
            break;
        }
        if dash_indent.is_none() {
            dash_indent = Some(indent);
        }
        if is_item && Some(indent) == dash_indent {
            last_item = Some(i);
        }
        last_content = i;
    }
    let style = match last_item {
        Some(i) => {
            let line = lines.get(i).1;
            let after_dash = &line[indent_of(line) + 1..];
            let content = after_dash.trim_start_matches(' ');
            BlockItemStyle {
                dash_indent: indent_of(line),
                gap: (after_dash.len() - content.len()).max(1),
                flow: content.starts_with('{').then(|| content.starts_with("{ ")),
            }
        }
        None => BlockItemStyle {
            dash_indent: lines.indent_unit(),
            gap: 1,
            flow: None,
        },
    };
    let mut insert = String::new();
    let at = lines.end_of(last_content);
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        insert.push_str(eol);
    }
    for entry in entries {
        insert.push_str(&block_item(entry, &style, eol));
    }
    splice(text, at, &insert)
}

fn block_item(entry: &Entry, style: &BlockItemStyle, eol: &str) -> String {
    let dash = format!(
        "{}-{}",
        " ".repeat(style.dash_indent),
        " ".repeat(style.gap)
    );
    if let Some(spaced) = style.flow {
        return format!("{dash}{}{eol}", flow_mapping(entry, spaced));
    }
    let key_indent = " ".repeat(style.dash_indent + 1 + style.gap);
    let mut out = String::new();
    for (i, (k, v)) in entry.fields.iter().enumerate() {
        let lead = if i == 0 { &dash } else { &key_indent };
        out.push_str(&format!("{lead}{k}: {}{eol}", scalar(v, false)));
    }
    out
}

fn flow_mapping(entry: &Entry, spaced: bool) -> String {
    let body = entry
        .fields
        .iter()
        .map(|(k, v)| format!("{k}: {}", scalar(v, true)))
        .collect::<Vec<_>>()
        .join(", ");
    if spaced {
        format!("{{ {body} }}")
    } else {
        format!("{{{body}}}")
    }
}

fn append_new_key(text: &str, entries: &[Entry], eol: &str, indent: usize) -> String {
    let mut insert = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        insert.push_str(eol);
    }
    insert.push_str("overrides:");
    insert.push_str(eol);
    let style = BlockItemStyle {
        dash_indent: indent,
        gap: 1,
        flow: None,
    };
    for entry in entries {
        insert.push_str(&block_item(entry, &style, eol));
    }
    splice(text, text.len(), &insert)
}

/// Appends to `[ ... ]` opening at byte `open`.
fn append_to_flow_list(
    text: &str,
    open: usize,
    entries: &[Entry],
    eol: &str,
) -> Result<String, String> {
    let (close, last) = scan_flow(text, open).ok_or_else(|| {
        "the `overrides:` flow list is never closed with `]`; fix the YAML first".to_string()
    })?;
    let Some(last) = last else {
        // `[]`: the new items go inside, on one line.
        let items: Vec<String> = entries.iter().map(|e| flow_mapping(e, true)).collect();
        return Ok(splice(text, open + 1, &items.join(", ")));
    };
    let spaced = text[open + 1..close]
        .trim_start()
        .strip_prefix('{')
        .is_none_or(|rest| rest.starts_with(' '));
    let trailing_comma = text[last..].starts_with(',');
    let multi_line = text[last..close].contains('\n');
    let line_start = text[..last].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let indent = " ".repeat(indent_of(&text[line_start..last]));
    let mut insert = String::new();
    for entry in entries {
        let item = flow_mapping(entry, spaced);
        match (multi_line, trailing_comma) {
            (true, true) => insert.push_str(&format!("{eol}{indent}{item},")),
            (true, false) => insert.push_str(&format!(",{eol}{indent}{item}")),
            (false, true) => insert.push_str(&format!(" {item},")),
            (false, false) => insert.push_str(&format!(", {item}")),
        }
    }
    Ok(splice(text, last + 1, &insert))
}

/// From the `[` at `open`: the offset of the matching `]` and of the last significant
/// character before it (outside comments), `None` when the list is empty.
fn scan_flow(text: &str, open: usize) -> Option<(usize, Option<usize>)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut in_comment = false;
    let mut last = None;
    let mut prev = ' ';
    let mut chars = text[open..].char_indices().map(|(i, c)| (open + i, c));
    while let Some((i, c)) = chars.next() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
            }
            prev = c;
            continue;
        }
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
                last = Some(i + 1);
                prev = 'x';
                continue;
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '#' if prev.is_whitespace() => {
                    in_comment = true;
                    prev = c;
                    continue;
                }
                '[' | '{' => depth += 1,
                ']' | '}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some((i, last));
                    }
                }
                _ => {}
            },
        }
        if !c.is_whitespace() && i != open {
            last = Some(i + c.len_utf8() - 1);
        }
        prev = c;
    }
    None
}

fn splice(text: &str, at: usize, insert: &str) -> String {
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(&text[..at]);
    out.push_str(insert);
    out.push_str(&text[at..]);
    out
}

/// A YAML scalar that reads back as the string `value` (in a flow collection when
/// `in_flow`): plain when that is safe, else double-quoted, so no value can end its
/// line, start a key or open a collection.
pub fn scalar(value: &str, in_flow: bool) -> String {
    if is_plain_safe(value, in_flow) {
        value.to_string()
    } else {
        double_quoted(value)
    }
}

/// `value` in YAML's double-quoted style: line breaks, tabs, quotes and backslashes
/// escaped, and so is every character YAML does not allow printed (controls, DEL, the
/// C1 range) or that some readers take for a line break or a byte-order mark.
fn double_quoted(value: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(value: &str, in_flow: bool) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    let reserved = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ];
    if reserved.contains(&value.to_ascii_lowercase().as_str()) || value.ends_with(' ') {
        return false;
    }
    // Dates and date-times as the loader reads them (`2026-12-23T10:00`, `…Z`).
    let date_like = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | 'T' | 'Z' | '+'))
        && first.is_ascii_digit()
        && value.contains('-');
    if date_like {
        return true;
    }
    first.is_alphabetic()
        && !value.contains(": ")
        && !value.contains(" #")
        && value.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(c, ' ' | '.' | ';' | '\'' | '(' | ')' | '-' | '/' | '_')
                || (c == ',' && !in_flow)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(person: &str) -> Entry {
        Entry {
            fields: vec![
                ("position", "primary".into()),
                ("from", "2026-12-23T10:00".into()),
                ("person", person.into()),
                ("reason", "Cover: a trade, agreed".into()),
            ],
        }
    }

    #[test]
    fn block_items_follow_the_last_items_indentation() {
        let text = "kind: x\noverrides:\n    -   position: a\n        from: b # note\n\n# trailing\nescalation: []\n";
        let out = append_overrides(text, &[entry("bob")]).unwrap();
        assert_eq!(
            out,
            "kind: x\noverrides:\n    -   position: a\n        from: b # note\n    -   position: primary\n        from: 2026-12-23T10:00\n        person: bob\n        reason: Cover: a trade, agreed\n\n# trailing\nescalation: []\n"
                .replace("Cover: a trade, agreed", "\"Cover: a trade, agreed\"")
        );
    }

    #[test]
    fn flow_lists_keep_their_shape() {
        let one_line = "overrides: [{position: a}] # x\n";
        assert_eq!(
            append_overrides(one_line, &[entry("bob")]).unwrap(),
            "overrides: [{position: a}, {position: primary, from: 2026-12-23T10:00, person: bob, reason: \"Cover: a trade, agreed\"}] # x\n"
        );
        let empty = "overrides: []\n";
        assert!(
            append_overrides(empty, &[entry("bob")])
                .unwrap()
                .starts_with("overrides: [{ position: primary")
        );
        let multi = "overrides: [\r\n  { position: a },  # one\r\n]\r\n";
        assert_eq!(
            append_overrides(multi, &[entry("bob")]).unwrap(),
            "overrides: [\r\n  { position: a },\r\n  { position: primary, from: 2026-12-23T10:00, person: bob, reason: \"Cover: a trade, agreed\" },  # one\r\n]\r\n"
        );
    }

    #[test]
    fn a_missing_key_is_added_at_the_end_with_the_files_line_ends() {
        let text = "kind: x\r\nhours:\r\n   - a";
        assert_eq!(
            append_overrides(text, &[entry("bob")]).unwrap(),
            "kind: x\r\nhours:\r\n   - a\r\noverrides:\r\n   - position: primary\r\n     from: 2026-12-23T10:00\r\n     person: bob\r\n     reason: \"Cover: a trade, agreed\"\r\n"
        );
    }

    #[test]
    fn an_empty_key_gets_its_first_items_and_other_values_are_refused() {
        let text = "overrides:   # none yet\nescalation: []\n";
        assert_eq!(
            append_overrides(text, &[entry("bob")]).unwrap(),
            "overrides:   # none yet\n  - position: primary\n    from: 2026-12-23T10:00\n    person: bob\n    reason: \"Cover: a trade, agreed\"\nescalation: []\n"
        );
        for value in [
            "overrides: ~\n",
            "overrides: *shared\n",
            "overrides: [ {position: a}\n",
        ] {
            assert!(append_overrides(value, &[entry("bob")]).is_err(), "{value}");
        }
        // A key that only starts with `overrides` is another key.
        let other = "overrides_old: []\n";
        assert!(
            append_overrides(other, &[entry("bob")])
                .unwrap()
                .starts_with("overrides_old: []\noverrides:\n")
        );
    }

    #[test]
    fn scalars_are_quoted_when_yaml_would_misread_them() {
        assert_eq!(scalar("bob", true), "bob");
        assert_eq!(scalar("123", true), "\"123\"");
        assert_eq!(scalar("no", true), "\"no\"");
        assert_eq!(scalar("a, b", true), "\"a, b\"");
        assert_eq!(scalar("a, b", false), "a, b");
        assert_eq!(scalar("#x", false), "\"#x\"");
        assert_eq!(scalar("2026-12-23T10:00", true), "2026-12-23T10:00");
        assert_eq!(scalar("On call at support", false), "On call at support");
        assert_eq!(scalar("a: b", false), "\"a: b\"");
    }

    proptest::proptest! {
        /// Whatever the string, as a mapping's value and as a flow list's item it reads
        /// back as itself and as the only key or item: nothing is injected.
        #[test]
        fn every_string_reads_back_as_itself(value in "\\PC*|[ -~\n\t\r\u{7f}-\u{a0}\u{2028}\u{2029}\u{feff}]{0,12}") {
            let block = format!("title: {}\nafter: 1\n", scalar(&value, false));
            let read: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&block).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{block:?}: {e}")))?;
            proptest::prop_assert_eq!(read.len(), 2, "{:?}", block);
            proptest::prop_assert_eq!(&read["title"], &value);
            let flow = format!("[{}, end]\n", scalar(&value, true));
            let read: Vec<String> =
                serde_saphyr::from_str(&flow).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{flow:?}: {e}")))?;
            proptest::prop_assert_eq!(read, vec![value.clone(), "end".to_string()]);
        }
    }
}
