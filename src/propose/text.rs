//! Adding a rotation block to a rota file's text: appended to `rotation:` when it is a
//! list of blocks (in the list's own style), or turning a single block into a list of
//! two. Every byte outside `rotation:` stays as it was, and so does every block already
//! written (a single block is only indented under its new `- `); the YAML is never
//! re-serialised (docs/recipes.md, "someone joins").

use crate::edit::scalar;

/// What the new block says: the keys it restates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockText {
    pub fields: Vec<(&'static str, String)>,
}

/// `text` with `block` added as the last block of its top-level `rotation:`. An error
/// (in a sentence) when `rotation:` is written in a way this edit does not handle.
pub fn add_block(text: &str, block: &BlockText) -> Result<String, String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<(usize, &str)> = {
        let mut out = Vec::new();
        let mut start = 0;
        for raw in text.split_inclusive('\n') {
            out.push((start, raw.trim_end_matches('\n').trim_end_matches('\r')));
            start += raw.len();
        }
        out
    };
    let end_of = |i: usize| lines.get(i + 1).map_or(text.len(), |(s, _)| *s);
    let key = lines
        .iter()
        .position(|(_, l)| {
            l.strip_prefix("rotation")
                .map(|r| r.trim_start_matches(' '))
                .and_then(|r| r.strip_prefix(':'))
                .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
        })
        .ok_or("the file has no top-level `rotation:` key")?;
    let (key_start, key_line) = lines[key];
    let colon = key_line.find(':').map_or(key_line.len(), |c| c + 1);
    let value = strip_comment(&key_line[colon..]).trim();
    let flow = flow_block(block);
    if value.starts_with('{') {
        if !value.ends_with('}') {
            return Err(
                "`rotation:` is a flow mapping over several lines; write it as a list of blocks first".into(),
            );
        }
        // `rotation: { … }  # note` → a list of the block as written and the new one.
        let after = &key_line[colon..];
        let open = after.find('{').unwrap_or(0);
        let unit = indent_unit(&lines);
        let replaced = format!(
            "rotation:{eol}{pad}- {}{eol}{pad}- {flow}",
            after[open..].trim_end(),
            pad = " ".repeat(unit)
        );
        let line_end = key_start + key_line.len();
        return Ok(format!(
            "{}{replaced}{}",
            &text[..key_start],
            &text[line_end..]
        ));
    }
    if value.starts_with('[') {
        if !value.ends_with(']') {
            return Err(
                "`rotation:` is a flow list over several lines; write its blocks one a line (`- { … }`) first".into(),
            );
        }
        let close = key_start + colon + key_line[colon..].rfind(']').unwrap_or(0);
        let inside = text[key_start + colon..close]
            .trim_start()
            .trim_start_matches('[');
        let sep = if inside.trim().is_empty() { "" } else { ", " };
        return Ok(format!("{}{sep}{flow}{}", &text[..close], &text[close..]));
    }
    if !value.is_empty() {
        return Err(format!(
            "`rotation:` on line {} holds `{value}`, not a block or a list of blocks",
            key + 1
        ));
    }
    // The lines of the value: indented below the key (comments and blank lines inside
    // it belong to it when more of it follows).
    let mut first: Option<usize> = None;
    let mut last = key;
    let mut item_indent: Option<usize> = None;
    for (i, (_, line)) in lines.iter().enumerate().skip(key + 1) {
        if !is_content(line) {
            continue;
        }
        let indent = indent_of(line);
        let is_item = is_item(line);
        let belongs = match item_indent {
            None => indent > 0 || is_item,
            Some(d) => {
                indent > d
                    || (indent == d && first.is_some_and(|f| is_item_line(&lines, f) == is_item))
            }
        };
        if !belongs {
            break;
        }
        if first.is_none() {
            first = Some(i);
            item_indent = Some(indent);
        }
        last = i;
    }
    let Some(first) = first else {
        return Err(format!("`rotation:` on line {} has no value", key + 1));
    };
    let d = item_indent.unwrap_or(2);
    let at = end_of(last);
    let lead = if at == text.len() && !text.ends_with('\n') {
        eol
    } else {
        ""
    };
    if is_item_line(&lines, first) {
        // A list of blocks: the new one in the style of the last.
        let last_item = (first..=last)
            .rev()
            .find(|&i| is_item(lines[i].1) && indent_of(lines[i].1) == d)
            .unwrap_or(first);
        let item = lines[last_item].1;
        let after_dash = &item[d + 1..];
        let gap = (after_dash.len() - after_dash.trim_start_matches(' ').len()).max(1);
        let written = if after_dash.trim_start().starts_with('{') {
            format!("{}-{}{flow}{eol}", " ".repeat(d), " ".repeat(gap))
        } else {
            block_lines(block, d, gap, eol)
        };
        return Ok(format!("{}{lead}{written}{}", &text[..at], &text[at..]));
    }
    // One block as a mapping: it becomes the first item of a list.
    let mut out = String::with_capacity(text.len() + 200);
    out.push_str(&text[..lines[first].0]);
    for (i, (start, line)) in lines.iter().enumerate().take(last + 1).skip(first) {
        let full_end = end_of(i);
        let ending = &text[start + line.len()..full_end];
        if i == first {
            out.push_str(&format!("{}- {}", " ".repeat(d), &line[d..]));
        } else if line.trim().is_empty() {
            out.push_str(line);
        } else {
            out.push_str(&format!("  {line}"));
        }
        out.push_str(ending);
    }
    out.push_str(lead);
    out.push_str(&block_lines(block, d, 1, eol));
    out.push_str(&text[at..]);
    Ok(out)
}

fn is_item_line(lines: &[(usize, &str)], i: usize) -> bool {
    is_item(lines[i].1)
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('-') && (t.len() == 1 || t[1..].starts_with(' '))
}

fn is_content(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && !t.starts_with('#')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn indent_unit(lines: &[(usize, &str)]) -> usize {
    lines
        .iter()
        .map(|(_, l)| indent_of(l))
        .find(|&n| n > 0)
        .unwrap_or(2)
}

/// A line's content without a trailing `# comment`.
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

fn flow_block(block: &BlockText) -> String {
    let body: Vec<String> = block
        .fields
        .iter()
        .map(|(k, v)| format!("{k}: {}", value(v, true)))
        .collect();
    format!("{{ {} }}", body.join(", "))
}

fn block_lines(block: &BlockText, dash: usize, gap: usize, eol: &str) -> String {
    let mut out = String::new();
    for (i, (k, v)) in block.fields.iter().enumerate() {
        let lead = if i == 0 {
            format!("{}-{}", " ".repeat(dash), " ".repeat(gap))
        } else {
            " ".repeat(dash + 1 + gap)
        };
        out.push_str(&format!("{lead}{k}: {}{eol}", value(v, false)));
    }
    out
}

/// A value as written: flow lists and mappings made by [`list`] and [`mapping`] go in
/// as they are, anything else as a safe scalar.
fn value(v: &str, in_flow: bool) -> String {
    if v.starts_with('[') && v.ends_with(']') {
        v.to_string()
    } else {
        scalar(v, in_flow)
    }
}

/// `[a, b, c]` of ids or flow mappings already written.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|s| {
            let s = s.as_ref();
            if s.starts_with('{') {
                s.to_string()
            } else {
                scalar(s, true)
            }
        })
        .collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block() -> BlockText {
        BlockText {
            fields: vec![
                ("start", "2027-03-03".into()),
                ("members", list(&["a", "b", "c"])),
                ("first", "b".into()),
            ],
        }
    }

    #[test]
    fn a_single_block_becomes_a_list_and_the_rest_stays() {
        let text = "kind: x\nrotation:\n  start: 2026-01-07   # a Wednesday\n  every: 1w\n  members:\n    - a\n    - b\npositions: []\n";
        assert_eq!(
            add_block(text, &block()).unwrap(),
            "kind: x\nrotation:\n  - start: 2026-01-07   # a Wednesday\n    every: 1w\n    members:\n      - a\n      - b\n  - start: 2027-03-03\n    members: [a, b, c]\n    first: b\npositions: []\n"
        );
    }

    #[test]
    fn a_list_of_blocks_gets_one_more_in_its_style() {
        let text = "rotation:\n  - start: 2026-01-07\n    every: 1w\n  # joins\n  - start: 2027-01-06\n    first: erin\npositions: []\n";
        assert_eq!(
            add_block(text, &block()).unwrap(),
            "rotation:\n  - start: 2026-01-07\n    every: 1w\n  # joins\n  - start: 2027-01-06\n    first: erin\n  - start: 2027-03-03\n    members: [a, b, c]\n    first: b\npositions: []\n"
        );
        let flow = "rotation:\r\n  - { start: 2026-01-07, every: 1w }\r\n";
        assert_eq!(
            add_block(flow, &block()).unwrap(),
            "rotation:\r\n  - { start: 2026-01-07, every: 1w }\r\n  - { start: 2027-03-03, members: [a, b, c], first: b }\r\n"
        );
    }

    #[test]
    fn flow_values_on_one_line() {
        assert_eq!(
            add_block("rotation: { start: 2026-01-07 } # x\nk: 1\n", &block()).unwrap(),
            "rotation:\n  - { start: 2026-01-07 } # x\n  - { start: 2027-03-03, members: [a, b, c], first: b }\nk: 1\n"
        );
        assert_eq!(
            add_block("rotation: [{ start: 2026-01-07 }]\n", &block()).unwrap(),
            "rotation: [{ start: 2026-01-07 }, { start: 2027-03-03, members: [a, b, c], first: b }]\n"
        );
        assert!(add_block("rotation: { start: 2026-01-07,\n  every: 1w }\n", &block()).is_err());
        assert!(add_block("kind: x\n", &block()).is_err());
    }
}
