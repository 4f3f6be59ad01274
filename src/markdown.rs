//! Runbook Markdown: heading anchors (the ids the site gives headings, so links can be
//! checked before the site exists) and the links a runbook makes.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// The anchor of a heading: lowercase letters and digits, words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// A heading of a runbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// Unique within the page (`act`, `act-2`, …).
    pub id: String,
}

/// Gives the headings of one page their ids in order: the slug of the text, with `-2`,
/// `-3`, … added to repeats. The site's renderer and [`headings`] (the link checks) both
/// use it, so a link checked here finds its anchor on the site.
#[derive(Default)]
pub struct HeadingIds {
    used: std::collections::BTreeSet<String>,
}

impl HeadingIds {
    pub fn next(&mut self, text: &str) -> String {
        let base = slugify(text);
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// Headings in order, with unique ids.
pub fn headings(markdown: &str) -> Vec<Heading> {
    outline(markdown).headings
}

/// What the checks need from one runbook body, from a single parse: its headings (with
/// unique ids) and its links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
}

pub fn outline(markdown: &str) -> Outline {
    let mut out = Outline::default();
    let mut ids = HeadingIds::default();
    let mut current: Option<(u8, String)> = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((level_number(level), String::new()))
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => out.links.push(Link {
                dest: dest_url.to_string(),
                offset: range.start,
            }),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = current.take() {
                    let id = ids.next(&text);
                    out.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        id,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

pub fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A link in a runbook body: destination and byte offset in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub offset: usize,
}

pub fn links(markdown: &str) -> Vec<Link> {
    outline(markdown).links
}

/// Where a link inside the runbooks points: `Some((slug, anchor))` for a link to a
/// runbook (or to an anchor on this page, slug = `from`), `None` for anything else
/// (web links, mail, other files).
pub fn runbook_target(from: &str, dest: &str) -> Option<(String, Option<String>)> {
    if dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with('/') {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    if path.is_empty() {
        return Some((from.to_string(), anchor));
    }
    let path = path.strip_suffix(".md")?;
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), anchor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_are_slugs_and_unique() {
        let h = headings("# Site returns 5xx\n## Act\ntext\n## Act\n### `pg_ctl` promote!\n");
        let ids: Vec<&str> = h.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["site-returns-5xx", "act", "act-2", "pg-ctl-promote"]
        );
    }

    #[test]
    fn one_parse_gives_headings_and_links_with_offsets() {
        let body = "# Title\n\nSee [a](a.md#act) and ![d](d.png).\n\n## Act\n## Act\n";
        let o = outline(body);
        let ids: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["title", "act", "act-2"]);
        let links: Vec<(&str, usize)> = o
            .links
            .iter()
            .map(|l| (l.dest.as_str(), l.offset))
            .collect();
        assert_eq!(links, vec![("a.md#act", 13), ("d.png", 31)]);
    }

    #[test]
    fn a_heading_named_like_a_numbered_one_still_gets_a_unique_id() {
        let ids: Vec<String> = headings("# A\n# A\n# A 2\n")
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, vec!["a", "a-2", "a-2-2"]);
    }

    #[test]
    fn links_resolve_relative_to_the_runbook() {
        assert_eq!(
            runbook_target("site-down", "db/replica-lag.md#act"),
            Some(("db/replica-lag".into(), Some("act".into())))
        );
        assert_eq!(
            runbook_target("db/replica-lag", "../site-down.md"),
            Some(("site-down".into(), None))
        );
        assert_eq!(
            runbook_target("db/replica-lag", "#check"),
            Some(("db/replica-lag".into(), Some("check".into())))
        );
        assert_eq!(runbook_target("a", "https://example.com/x.md"), None);
        assert_eq!(runbook_target("a", "diagram.png"), None);
        assert_eq!(runbook_target("a", "../../x.md"), None);
    }
}
