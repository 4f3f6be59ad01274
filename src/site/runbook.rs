//! Runbook Markdown → safe HTML, in one pass: raw HTML shown as text, link and image URLs
//! with a scheme other than http(s)/mailto neutralised, heading ids from
//! [`crate::markdown::HeadingIds`] (the ids the link checks use), links to other
//! runbooks' `.md` files turned into links to their pages, and the plain text and
//! headings the search index and the table of contents need.

use crate::markdown::{self, HeadingIds};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

/// A runbook rendered for its page and for the search index.
#[derive(Clone, Debug, Default)]
pub struct RenderedRunbook {
    pub html: String,
    /// The id of a leading `# Title` heading, which the page's own `h1` takes over.
    pub title_id: Option<String>,
    /// Headings below the title (level 2 and 3), for the table of contents.
    pub toc: Vec<TocEntry>,
    /// Headings left out of `toc` beyond [`TOC_LIMIT`].
    pub toc_more: usize,
    /// Distinct lowercase words of the body, in order of first appearance, each followed
    /// by a space.
    pub words: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// At most this many headings in a runbook's table of contents (and search entry).
pub const TOC_LIMIT: usize = 300;

/// Buffered events written out at the next boundary between top-level blocks.
const FLUSH_EVENTS: usize = 512;

/// Renders `body` of the runbook whose page is `runbooks/SLUG.html` and whose file, below
/// `runbooks/` without `.md`, is `link_base` (where its relative links start from);
/// `exists` says whether a runbook slug exists (links to missing runbooks are left as
/// written, and `rota check` reports them).
pub fn render(
    slug: &str,
    link_base: &str,
    body: &str,
    exists: &dyn Fn(&str) -> bool,
) -> RenderedRunbook {
    let depth = slug.matches('/').count() + 1;
    let root = "../".repeat(depth);
    let mut ids = HeadingIds::default();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, String)> = None;
    let mut skip_title = false;
    let mut seen_block = false;
    let mut out = RenderedRunbook::default();
    let mut words = Words::default();
    // Per open image: whether its URL is safe (kept) or not (shown as its alt text).
    let mut images: Vec<bool> = Vec::new();
    // Runbook HTML is a little longer than its Markdown.
    out.html.reserve(body.len() + body.len() / 16);
    // Nesting of the Markdown's blocks and inlines: between top-level blocks the buffered
    // events are written out, so a long runbook is never held as events whole.
    let mut depth = 0usize;
    let body = markdown::capped_nesting(body);
    for event in Parser::new_ext(&body, markdown::options()) {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let number = markdown::level_number(level);
                // A leading `# Title` is the page's h1; other h1s become h2 (one h1 a page).
                skip_title = number == 1 && !seen_block && out.title_id.is_none();
                seen_block = true;
                let shown = if number == 1 { HeadingLevel::H2 } else { level };
                heading = Some((events.len(), String::new()));
                events.push(Event::Start(Tag::Heading {
                    level: shown,
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, heading_text)) = heading.take() {
                    let id = ids.next(&heading_text);
                    let number = markdown::level_number(level);
                    if skip_title {
                        out.title_id = Some(id);
                        events.truncate(start);
                        skip_title = false;
                        continue;
                    }
                    if let Some(Event::Start(Tag::Heading { id: slot, .. })) = events.get_mut(start)
                    {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    if number <= 3 && out.toc.len() >= TOC_LIMIT {
                        out.toc_more += 1;
                    } else if number <= 3 {
                        out.toc.push(TocEntry {
                            level: number.max(2),
                            text: heading_text.trim().to_string(),
                            id,
                        });
                    }
                    let shown = if number == 1 { HeadingLevel::H2 } else { level };
                    events.push(Event::End(TagEnd::Heading(shown)));
                }
            }
            ev @ (Event::Text(_) | Event::Code(_)) => {
                if let Event::Text(t) | Event::Code(t) = &ev {
                    if let Some((_, h)) = heading.as_mut() {
                        h.push_str(t);
                    }
                    words.add(t);
                }
                events.push(ev);
            }
            Event::Start(Tag::HtmlBlock) => {
                seen_block = true;
                events.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)));
            }
            Event::End(TagEnd::HtmlBlock) => {
                events.push(Event::End(TagEnd::CodeBlock));
            }
            // Raw HTML is shown as text, never passed through.
            Event::Html(raw) | Event::InlineHtml(raw) => {
                words.add(&raw);
                events.push(Event::Text(raw));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                seen_block = true;
                let dest = link_target(link_base, &dest_url, &root, exists);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An image from an unsafe URL is shown as its alt text.
                let safe = is_safe_url(&dest_url);
                images.push(safe);
                if safe {
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if images.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Image));
                }
            }
            other => {
                if matches!(other, Event::Start(_)) {
                    seen_block = true;
                }
                events.push(other);
            }
        }
        if depth == 0 && heading.is_none() && events.len() >= FLUSH_EVENTS {
            pulldown_cmark::html::push_html(&mut out.html, events.drain(..));
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.words = words.list;
    out
}

/// Where a link goes on the site: runbook `.md` links become page links; unsafe schemes
/// become `#`.
fn link_target(link_base: &str, dest: &str, root: &str, exists: &dyn Fn(&str) -> bool) -> String {
    if !is_safe_url(dest) {
        return "#".into();
    }
    match markdown::runbook_target(link_base, dest) {
        Some((_, anchor)) if dest.starts_with('#') => format!("#{}", anchor.unwrap_or_default()),
        Some((target, anchor)) if exists(&target) => {
            let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
            format!("{root}runbooks/{target}.html{fragment}")
        }
        _ => dest.to_string(),
    }
}

/// Is `url` safe in an `href`/`src`: http(s), mailto, a fragment, or a relative path?
/// Browsers ignore ASCII tabs and newlines inside a scheme and compare it without case,
/// so the check does too (entities are already decoded by the Markdown parser).
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if cleaned[i..].starts_with(':') => {
            matches!(&cleaned[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// At most this many distinct words of a runbook go into the search index.
const INDEXED_WORDS: usize = 400;

/// Distinct words of three letters or more, lowercase, in order of first appearance
/// (the first [`INDEXED_WORDS`]), gathered as the text goes by.
#[derive(Default)]
struct Words {
    /// The words so far, each followed by a space.
    list: String,
    count: usize,
    /// Where the words so far lie in `list`, by their FNV-1a hash: the first word of a
    /// hash, then any others that share it.
    seen: HashMap<u64, (Span, Vec<Span>), BuildHasherDefault<Prehashed>>,
    /// The word being looked at, lowercased (one buffer for all of them).
    lower: String,
}

/// A word's place in [`Words::list`]: start and length in bytes.
type Span = (u32, u32);

/// Hands on a `u64` key as its own hash (the keys are FNV-1a hashes already).
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Words {
    fn add(&mut self, text: &str) {
        if self.count >= INDEXED_WORDS {
            return;
        }
        if text.is_ascii() {
            // The usual case, a byte at a time.
            for word in text.as_bytes().split(|b| !b.is_ascii_alphanumeric()) {
                if word.len() >= 3 {
                    self.lower.clear();
                    self.lower
                        .extend(word.iter().map(|b| char::from(b.to_ascii_lowercase())));
                    if self.note() {
                        return;
                    }
                }
            }
            return;
        }
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            // Three letters or more.
            if word.chars().nth(2).is_some() {
                self.lower.clear();
                self.lower.push_str(&word.to_lowercase());
                if self.note() {
                    return;
                }
            }
        }
    }

    /// Adds the word in `lower` unless it is there already; true once the list is full.
    fn note(&mut self) -> bool {
        let span = (
            u32::try_from(self.list.len()).unwrap_or(u32::MAX),
            u32::try_from(self.lower.len()).unwrap_or(0),
        );
        let list = self.list.as_str();
        let lower = self.lower.as_str();
        let is = |&(start, len): &Span| {
            list.get(start as usize..(start as usize + len as usize)) == Some(lower)
        };
        match self.seen.entry(fnv1a(lower.as_bytes())) {
            Entry::Occupied(mut e) => {
                let (first, more) = e.get_mut();
                if is(first) || more.iter().any(is) {
                    return false;
                }
                more.push(span);
            }
            Entry::Vacant(e) => {
                e.insert((span, Vec::new()));
            }
        }
        self.list.push_str(&self.lower);
        self.list.push(' ');
        self.count += 1;
        self.count >= INDEXED_WORDS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(_: &str) -> bool {
        true
    }

    #[test]
    fn words_are_distinct_lowercase_and_three_letters_or_more_in_order() {
        let mut w = Words::default();
        w.add("Restart the DB, then restart it: the db's 2nd node (ID 42a) is up.");
        w.add("Überprüfen Sie den Dienst; ÜBERPRÜFEN again, ok? Ωμέγα ΩΜΈΓΑ ab");
        assert_eq!(
            w.list,
            "restart the then 2nd node 42a überprüfen sie den dienst again ωμέγα "
        );
        assert_eq!(w.count, 12);
    }

    #[test]
    fn words_stop_at_the_index_limit() {
        let mut w = Words::default();
        let text: Vec<String> = (0..INDEXED_WORDS + 50)
            .map(|i| format!("w{i:03}"))
            .collect();
        w.add(&text.join(" "));
        w.add("another");
        assert_eq!(w.count, INDEXED_WORDS);
        assert!(w.list.starts_with("w000 w001 "));
        assert!(w.list.ends_with(&format!("w{:03} ", INDEXED_WORDS - 1)));
        assert!(!w.list.contains("another"));
    }

    #[test]
    fn unsafe_schemes_are_refused_in_any_spelling() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "\u{1}javascript:alert(1)",
        ] {
            assert!(!is_safe_url(url), "{url:?} passed");
        }
        for url in [
            "https://example.com/x",
            "http://example.com",
            "mailto:team@example.com",
            "#act",
            "db/failover.md#act",
            "../x.md",
            "page?x=a:b",
        ] {
            assert!(is_safe_url(url), "{url:?} refused");
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let r = render(
            "x",
            "x",
            "Hello <img src=x onerror=alert(1)> there\n\n<iframe src=\"https://evil\"></iframe>\n\n<script>alert(1)</script>\n",
            &all,
        );
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(!r.html.contains("<iframe"), "{}", r.html);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(
            r.html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;iframe"), "{}", r.html);
    }

    #[test]
    fn links_are_neutralised_or_rewritten() {
        let r = render(
            "db/replica-lag",
            "db/replica-lag",
            "[a](javascript:alert(1)) [b](&#106;avascript:alert(1)) [c](../site-down.md#act) [d](#check) [e](https://example.com) ![i](data:image/png;base64,AAAA)\n",
            &|s| s == "site-down",
        );
        assert!(!r.html.to_lowercase().contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(r.html.contains(" i"), "the alt text stays: {}", r.html);
        assert!(
            r.html
                .contains(r#"href="../../runbooks/site-down.html#act""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r##"href="#check""##), "{}", r.html);
        assert!(
            r.html.contains(r#"href="https://example.com""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn a_long_table_of_contents_is_cut_and_says_how_much_is_left_out() {
        let body: String = (1..=TOC_LIMIT + 5)
            .map(|i| format!("## Step {i}\n\ntext\n\n"))
            .collect();
        let r = render("x", "x", &body, &all);
        assert_eq!(r.toc.len(), TOC_LIMIT);
        assert_eq!(r.toc_more, 5);
        assert_eq!(r.toc.last().map(|t| t.id.as_str()), Some("step-300"));
        assert!(r.html.contains(r#"<h2 id="step-305">"#));
    }

    #[test]
    fn headings_get_the_link_checks_ids_and_one_h1() {
        let body =
            "# Site returns 5xx\nIntro\n## Act\n## Act\n# Another top\n### `pg_ctl` promote!\n";
        let r = render("site-down", "site-down", body, &all);
        assert_eq!(r.title_id.as_deref(), Some("site-returns-5xx"));
        assert!(!r.html.contains("<h1"), "{}", r.html);
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        let checked: Vec<String> = markdown::headings(body)
            .into_iter()
            .skip(1)
            .map(|h| h.id)
            .collect();
        assert_eq!(ids, checked);
        assert_eq!(ids, vec!["act", "act-2", "another-top", "pg-ctl-promote"]);
        assert!(r.html.contains(r#"<h2 id="another-top">"#), "{}", r.html);
        assert!(r.words.split(' ').any(|w| w == "intro"));
    }
}
