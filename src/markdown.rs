//! Runbook Markdown: heading anchors (the ids the site gives headings, so links can be
//! checked before the site exists) and the links a runbook makes.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;

pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Block quotes and list items one line may open. A runbook needs a few; 4 MB of `>`
/// would otherwise be four million nested quotes: a parse tree of over 250 MB and a page
/// of over 100 MB (docs/security.md, "Output encoding").
pub const MAX_NESTING: usize = 32;

/// The runbook text as rota parses it: on a line that opens more than [`MAX_NESTING`]
/// block quotes and list items (`>`, `-`, `*`, `+`, `1.`, `1)`), the marker past the
/// limit becomes a `\`, so the rest of the line is text of the innermost block. Every
/// other byte is kept, so offsets into it are offsets into the file; both the checks
/// ([`outline`]) and the site's renderer parse this text, so they see the same headings.
pub fn capped_nesting(text: &str) -> Cow<'_, str> {
    let mut cuts = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(at) = marker_past_limit(line.as_bytes()) {
            cuts.push(line_start + at);
        }
        line_start += line.len();
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for at in cuts {
        // An ASCII marker replaced by an ASCII byte: still UTF-8.
        bytes[at] = b'\\';
    }
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// The byte offset of the container marker past [`MAX_NESTING`] at the start of `line`.
fn marker_past_limit(line: &[u8]) -> Option<usize> {
    let mut i = 0;
    let mut markers = 0;
    loop {
        while matches!(line.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let start = i;
        let spaced = |j: usize| matches!(line.get(j), Some(b' ' | b'\t' | b'\n' | b'\r') | None);
        match line.get(i)? {
            b'>' => i += 1,
            b'-' | b'*' | b'+' if spaced(i + 1) => i += 1,
            b'0'..=b'9' => {
                let digits = line[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                if digits > 9 || !matches!(line.get(i + digits), Some(b'.' | b')')) {
                    return None;
                }
                if !spaced(i + digits + 1) {
                    return None;
                }
                i += digits + 1;
            }
            _ => return None,
        }
        markers += 1;
        if markers > MAX_NESTING {
            return Some(start);
        }
    }
}

/// The anchor of a heading: lowercase letters and digits, words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        // A byte at a time where the word is ASCII (the usual case), as `slug_of` does.
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
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
///
/// Linear in the number of headings: each slug remembers the next suffix to try, so
/// 20,000 identical headings do not each count up from `-2` again. A suffix is still
/// skipped when a heading's own text took that id (`# A 2` is `a-2`); the ids are the
/// first free ones, as counting from `-2` each time would give.
#[derive(Default)]
pub struct HeadingIds {
    used: std::collections::HashSet<String>,
    next_suffix: std::collections::HashMap<String, u64>,
}

impl HeadingIds {
    pub fn next(&mut self, text: &str) -> String {
        let base = slugify(text);
        if !self.used.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        // Every suffix below `n` was taken when it was last tried, and ids are never
        // given back, so the first free one is at `n` or above.
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(2);
        let id = loop {
            let id = format!("{base}-{n}");
            n += 1;
            if !self.used.contains(&id) {
                break id;
            }
        };
        self.next_suffix.insert(base, n);
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
pub struct Outline<'a> {
    pub headings: Vec<Heading>,
    pub links: Vec<Link<'a>>,
}

impl Outline<'_> {
    fn into_owned(self) -> Outline<'static> {
        Outline {
            headings: self.headings,
            links: self
                .links
                .into_iter()
                .map(|l| Link {
                    dest: Cow::Owned(l.dest.into_owned()),
                    offset: l.offset,
                })
                .collect(),
        }
    }
}

/// The outline of `markdown`; a link's destination is borrowed from the text where it is
/// written as it is (no escapes or entities), as most are.
pub fn outline(markdown: &str) -> Outline<'_> {
    match capped_nesting(markdown) {
        Cow::Borrowed(text) => outline_of(text),
        Cow::Owned(text) => outline_of(&text).into_owned(),
    }
}

fn outline_of(markdown: &str) -> Outline<'_> {
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
                dest: match dest_url {
                    CowStr::Borrowed(dest) => Cow::Borrowed(dest),
                    dest => Cow::Owned(dest.into_string()),
                },
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
pub struct Link<'a> {
    pub dest: Cow<'a, str>,
    pub offset: usize,
}

pub fn links(markdown: &str) -> Vec<Link<'_>> {
    outline(markdown).links
}

/// The file names (without `.md`, any case) that make a page its folder's page.
pub const FOLDER_PAGE_NAMES: [&str; 3] = ["_index", "index", "readme"];

/// The slug of the runbook at `path` (below `runbooks/`, without `.md`, `/`-separated):
/// lowercased, `_` and spaces as `-`, a folder's page (`_index`, `index`, `README`)
/// standing for its folder ("" at the root) — the way static sites lowercase paths
/// (docs/data-format.md#runbooksmd).
pub fn runbook_slug(path: &str) -> String {
    slug_of(path.split('/').filter(|s| !s.is_empty()).collect())
}

/// The slug of a runbook path given as its segments (none empty): see [`runbook_slug`].
fn slug_of(mut segments: Vec<&str>) -> String {
    // Lowercased as a whole (`str::to_lowercase`) where a segment is not ASCII, a byte
    // at a time where it is (the usual case: no allocation per segment).
    let lowercase_is = |s: &str, name: &str| {
        if s.is_ascii() {
            s.eq_ignore_ascii_case(name)
        } else {
            s.to_lowercase() == name
        }
    };
    if segments
        .last()
        .is_some_and(|s| FOLDER_PAGE_NAMES.iter().any(|name| lowercase_is(s, name)))
    {
        segments.pop();
    }
    let mut slug = String::with_capacity(segments.iter().map(|s| s.len() + 1).sum());
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            slug.push('/');
        }
        if segment.is_ascii() {
            slug.extend(segment.bytes().map(|b| match b {
                b'_' | b' ' => '-',
                b => char::from(b.to_ascii_lowercase()),
            }));
        } else {
            slug.push_str(&segment.to_lowercase().replace(['_', ' '], "-"));
        }
    }
    slug
}

/// Where a link inside the runbooks points: `Some((slug, anchor))` for a link to a
/// runbook (or to an anchor on this page, slug = its own), `None` for anything else (web
/// links, mail, other files, the root's own page). `from` is the linking page's path below
/// `runbooks/` without `.md` (as on disk). A link names a page by its file (`x.md`, in any
/// case), its folder (`db/`), or without extension (`x`, as static sites publish it).
pub fn runbook_target<'d>(from: &str, dest: &'d str) -> Option<(String, Option<&'d str>)> {
    if dest.contains(':') || dest.starts_with('/') || dest.contains('?') {
        return None;
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    if path.is_empty() {
        return Some((runbook_slug(from), anchor));
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    let path = if path.len() > 3
        && path.is_char_boundary(path.len() - 3)
        && path[path.len() - 3..].eq_ignore_ascii_case(".md")
    {
        &path[..path.len() - 3]
    } else if last.is_empty() || last == ".." || last == "." || !last.contains('.') {
        path
    } else {
        return None;
    };
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
    parts.retain(|s| !s.is_empty());
    let slug = slug_of(parts);
    (!slug.is_empty()).then_some((slug, anchor))
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
        let links: Vec<(&str, usize)> = o.links.iter().map(|l| (&*l.dest, l.offset)).collect();
        assert_eq!(links, vec![("a.md#act", 13), ("d.png", 31)]);
        // Written as it is, a destination is borrowed from the text; with an escape or
        // an entity, it is the decoded text; past the nesting limit, from the capped text.
        let o = outline("[a](a.md) [b](b\\_c.md) [e](&#x61;.md)\n");
        let dests: Vec<(&str, bool)> = o
            .links
            .iter()
            .map(|l| (&*l.dest, matches!(l.dest, Cow::Borrowed(_))))
            .collect();
        assert_eq!(
            dests,
            vec![("a.md", true), ("b_c.md", false), ("a.md", false)]
        );
        let deep = format!("{}[a](a.md)\n\n[b](b.md)\n", ">".repeat(MAX_NESTING + 1));
        let dests: Vec<String> = outline(&deep)
            .links
            .into_iter()
            .map(|l| l.dest.into_owned())
            .collect();
        assert_eq!(dests, vec!["b.md"]);
    }

    /// The anchor of a heading, a character at a time, as [`slugify`] gives it.
    fn slugify_by_chars(text: &str) -> String {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        if words.is_empty() {
            "section".into()
        } else {
            words.join("-")
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_get_the_anchors_any_word_gets(text in "[a-zA-Z0-9 _.:`!é-]{0,16}") {
            proptest::prop_assert_eq!(slugify(&text), slugify_by_chars(&text));
        }
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
    fn repeats_skip_ids_that_headings_took_themselves() {
        let ids: Vec<String> = headings(
            "# X 2
# X
# X
# X 3
# X
# X-1
# X 1
",
        )
        .into_iter()
        .map(|h| h.id)
        .collect();
        assert_eq!(ids, vec!["x-2", "x", "x-3", "x-3-2", "x-4", "x-1", "x-1-2"]);
    }

    #[test]
    fn many_identical_headings_get_distinct_ids_in_order() {
        let body = "## Act\n".repeat(5000);
        let ids: Vec<String> = headings(&body).into_iter().map(|h| h.id).collect();
        assert_eq!(ids.len(), 5000);
        assert_eq!(ids[0], "act");
        assert_eq!(ids[1], "act-2");
        assert_eq!(ids[4999], "act-5000");
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), 5000);
    }

    #[test]
    fn nesting_past_the_limit_is_text_and_offsets_are_kept() {
        let deep = ">".repeat(100_000);
        let capped = capped_nesting(&deep);
        assert_eq!(capped.len(), deep.len());
        assert_eq!(capped.find('\\'), Some(MAX_NESTING));
        let depth = Parser::new_ext(&capped, options())
            .scan(0usize, |d, e| {
                match e {
                    Event::Start(_) => *d += 1,
                    Event::End(_) => *d -= 1,
                    _ => {}
                }
                Some(*d)
            })
            .max();
        // The quotes, and the paragraph in the innermost one.
        assert_eq!(depth, Some(MAX_NESTING + 1));

        let lists = format!("{}x\n", "- ".repeat(MAX_NESTING + 5));
        assert_eq!(capped_nesting(&lists).find('\\'), Some(2 * MAX_NESTING));
        let numbered = format!("{}x\n", "> 1. ".repeat(MAX_NESTING));
        assert_eq!(
            capped_nesting(&numbered).find('\\'),
            Some(5 * (MAX_NESTING / 2))
        );
    }

    #[test]
    fn ordinary_runbooks_are_parsed_as_written() {
        for text in [
            "# A\n\n> quote\n> > nested\n\n- a\n  - b\n\n1. one\n2) two\n-1 °C\n***\n",
            "> - [ ] task\n>\n> 10. ten\n",
        ] {
            assert!(matches!(capped_nesting(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn a_heading_past_the_limit_is_no_heading_for_checks_or_site() {
        let text = format!("{}# Deep\n", ">".repeat(MAX_NESTING + 1));
        assert!(headings(&text).is_empty());
    }

    #[test]
    fn links_resolve_relative_to_the_runbook() {
        assert_eq!(
            runbook_target("site-down", "db/replica-lag.md#act"),
            Some(("db/replica-lag".into(), Some("act")))
        );
        assert_eq!(
            runbook_target("db/replica-lag", "../site-down.md"),
            Some(("site-down".into(), None))
        );
        assert_eq!(
            runbook_target("db/replica-lag", "#check"),
            Some(("db/replica-lag".into(), Some("check")))
        );
        assert_eq!(runbook_target("a", "https://example.com/x.md"), None);
        assert_eq!(runbook_target("a", "diagram.png"), None);
        assert_eq!(runbook_target("a", "../../x.md"), None);
    }

    #[test]
    fn links_resolve_case_insensitively_to_folder_pages_and_extensionless_names() {
        assert_eq!(
            runbook_target(
                "Alertmanager/AlertmanagerFailedReload",
                "../General/Watchdog.md"
            ),
            Some(("general/watchdog".into(), None))
        );
        assert_eq!(
            runbook_target("kubernetes/_index", "KubeAPIDown"),
            Some(("kubernetes/kubeapidown".into(), None))
        );
        assert_eq!(
            runbook_target("kubernetes/KubeAPIDown", "./"),
            Some(("kubernetes".into(), None))
        );
        assert_eq!(
            runbook_target("db/README", "#steps"),
            Some(("db".into(), Some("steps")))
        );
        assert_eq!(runbook_target("db/x", "../_index.md"), None);
        assert_eq!(runbook_slug("DB/Replica_Lag"), "db/replica-lag");
        assert_eq!(runbook_slug("db/README"), "db");
        assert_eq!(runbook_slug("_index"), "");
    }
}
