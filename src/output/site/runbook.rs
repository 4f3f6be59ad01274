//! Runbook Markdown → safe HTML, in one pass: raw HTML shown as text, link and image URLs
//! with a scheme other than http(s)/mailto neutralised, heading ids from
//! [`crate::markdown::HeadingIds`] (the ids the link checks use) with a permalink beside
//! each heading, links to other runbooks' `.md` files turned into links to their pages,
//! `rota:ID`, `person:ID` and alert ids in the text turned into links
//! (docs/site.md#runbook-pages), and the plain text and headings the search index and the
//! table of contents need.

use crate::markdown::{self, HeadingIds};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

/// A runbook rendered for its page and for the search index.
#[derive(Clone, Debug, Default)]
pub struct RenderedRunbook {
    /// The body's HTML in parts of about [`HTML_PART`] bytes, written one after the
    /// other: a long runbook's HTML is never one buffer grown (and copied) as it fills.
    pub html_parts: Vec<String>,
    /// The id of a leading `# Title` heading, which the page's own `h1` takes over.
    pub title_id: Option<String>,
    /// Headings below the title (level 2 and 3), for the table of contents.
    pub toc: Vec<TocEntry>,
    /// Headings left out of `toc` beyond [`TOC_LIMIT`].
    pub toc_more: usize,
    /// Distinct lowercase words of the body, in order of first appearance, each followed
    /// by a space.
    pub words: String,
    /// The start of the body's text (at most [`EXCERPT_CHARS`] characters, whitespace
    /// collapsed): what search results quote.
    pub excerpt: String,
    /// The rotas the text names (`rota:ID`), in order of first mention, each once.
    pub rotas: Vec<String>,
}

/// What the words of a runbook can link to: other runbooks, and the rotas, people and
/// alerts it names (docs/site.md#runbook-pages).
pub trait LinkTargets {
    /// Whether a runbook of this slug exists.
    fn runbook_exists(&self, slug: &str) -> bool;
    /// The name of the rota `id`, and who holds it at build time (`primary Heidi
    /// Hussain, secondary Dan Dlamini`), if there is such a rota.
    fn rota(&self, id: &str) -> Option<(String, String)>;
    /// The name of the person `id`, if there is such a person.
    fn person(&self, id: &str) -> Option<String>;
    /// The catalogue id of the alert `word` names (its id, or its alerting rule's name),
    /// if it names one. `explicit` is true for `alert:WORD`; a bare word should name an
    /// alert unmistakably (an id with a hyphen, or a rule's name).
    fn alert(&self, word: &str, explicit: bool) -> Option<String>;
}

/// At most this many characters of a runbook's text are quoted in search results.
pub const EXCERPT_CHARS: usize = 480;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// At most this many headings in a runbook's table of contents (and search entry).
pub const TOC_LIMIT: usize = 300;

/// About how many bytes of HTML one part of [`RenderedRunbook::html_parts`] holds.
pub const HTML_PART: usize = 1 << 20;

impl RenderedRunbook {
    /// The body's HTML whole.
    pub fn html(&self) -> String {
        self.html_parts.concat()
    }
}

/// Buffered events written out at the next boundary between top-level blocks.
const FLUSH_EVENTS: usize = 512;

/// Renders `body` of the runbook whose page is `runbooks/SLUG.html` and whose file, below
/// `runbooks/` without `.md`, is `link_base` (where its relative links start from);
/// `targets` says which runbooks, rotas, people and alerts exist (links to missing
/// runbooks are left as written, and `rota check` reports them; a mention of a rota,
/// person or alert that does not exist stays text).
pub fn render(
    slug: &str,
    link_base: &str,
    body: &str,
    targets: &dyn LinkTargets,
) -> RenderedRunbook {
    let exists = &|s: &str| targets.runbook_exists(s);
    let depth = slug.matches('/').count() + 1;
    let root = "../".repeat(depth);
    let mut ids = HeadingIds::default();
    // Room for the events between two flushes, so that the buffer is not grown.
    let mut events: Vec<Event> = Vec::with_capacity(FLUSH_EVENTS + FLUSH_EVENTS / 4);
    let mut heading: Option<(usize, String)> = None;
    let mut skip_title = false;
    let mut seen_block = false;
    let mut out = RenderedRunbook::default();
    let mut words = Words::default();
    // Per open image: whether its URL is safe (kept) or not (shown as its alt text).
    let mut images: Vec<bool> = Vec::new();
    // Text that may name rotas, people and alerts, gathered until the next other event
    // (the parser may cut one run of text in several events).
    let mut pending: Vec<CowStr> = Vec::new();
    let mut joined = String::new();
    // Inside a code block, a link or an image: text there is never turned into links.
    let mut plain_depth = 0usize;
    let mut excerpt = Excerpt::default();
    // Runbook HTML is a little longer than its Markdown.
    let mut html =
        String::with_capacity((body.len() + body.len() / 16).min(HTML_PART + HTML_PART / 8));
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
        if !pending.is_empty() && !matches!(event, Event::Text(_)) {
            linked_text(
                &mut pending,
                &mut joined,
                &root,
                targets,
                &mut events,
                &mut out.rotas,
            );
        }
        match &event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::Link { .. } | Tag::Image { .. },
            ) => plain_depth += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::Link | TagEnd::Image) => {
                plain_depth = plain_depth.saturating_sub(1)
            }
            Event::End(TagEnd::Heading(_)) => excerpt.end_heading(),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => excerpt.add(" "),
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
                // The heading and its permalink side by side (the link outside the
                // heading, so that the heading's name stays its text).
                events.push(Event::Html(CowStr::from("<div class=\"heading-row\">")));
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
                        // The page shows the title as its h1; the excerpt starts after it.
                        excerpt = Excerpt::default();
                        out.title_id = Some(id);
                        events.truncate(start);
                        skip_title = false;
                        continue;
                    }
                    let permalink = format!(
                        "<a class=\"permalink\" href=\"#{id}\" aria-label=\"Link to this section: {}\">§</a></div>",
                        crate::encode::html(heading_text.trim())
                    );
                    if let Some(Event::Start(Tag::Heading { id: slot, .. })) =
                        events.get_mut(start + 1)
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
                    events.push(Event::Html(CowStr::from(permalink)));
                }
            }
            ev @ (Event::Text(_) | Event::Code(_)) => {
                if let Event::Text(t) | Event::Code(t) = &ev {
                    if let Some((_, h)) = heading.as_mut() {
                        h.push_str(t);
                    }
                    words.add(t);
                    excerpt.add(t);
                }
                match ev {
                    // Mentions are linked in running text only: not in headings (which
                    // have their permalink), code, links or image descriptions.
                    Event::Text(t) if heading.is_none() && plain_depth == 0 => pending.push(t),
                    ev => events.push(ev),
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                excerpt.add(" ");
                events.push(event);
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
            pulldown_cmark::html::push_html(&mut html, events.drain(..));
            if html.len() >= HTML_PART {
                out.html_parts.push(std::mem::replace(
                    &mut html,
                    String::with_capacity(HTML_PART + HTML_PART / 8),
                ));
            }
        }
    }
    if !pending.is_empty() {
        linked_text(
            &mut pending,
            &mut joined,
            &root,
            targets,
            &mut events,
            &mut out.rotas,
        );
    }
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html_parts.push(html);
    out.words = words.list;
    out.excerpt = readable_mentions(excerpt.text.trim_end(), targets);
    out
}

/// The run of text in `pending` (taken, leaving it empty) as events, its mentions
/// linked ([`mentions`]); text that names nothing is handed on as the parser gave it,
/// not copied. `joined` is scratch space for a run the parser cut in several pieces.
fn linked_text<'e>(
    pending: &mut Vec<CowStr<'e>>,
    joined: &mut String,
    root: &str,
    targets: &dyn LinkTargets,
    events: &mut Vec<Event<'e>>,
    rotas: &mut Vec<String>,
) {
    let text: &str = if let [one] = pending.as_slice() {
        one
    } else {
        joined.clear();
        for piece in pending.iter() {
            joined.push_str(piece);
        }
        joined
    };
    if !mentions(text, root, targets, events, rotas) {
        events.extend(pending.drain(..).map(Event::Text));
    }
    pending.clear();
}

/// `text` as events, with each `rota:ID`, `person:ID`, `alert:ID` and alert id that
/// names something turned into a link to its page; a rota's link is followed by a
/// `data-rota-now` span saying who holds it (at build time; the site's script keeps it
/// current). Rotas named are added to `rotas` (once each). When nothing is named,
/// nothing is added and the answer is false (the caller hands the text on as it is).
fn mentions<'e>(
    text: &str,
    root: &str,
    targets: &dyn LinkTargets,
    events: &mut Vec<Event<'e>>,
    rotas: &mut Vec<String>,
) -> bool {
    // Word characters are ASCII, so the text is scanned a byte at a time (a byte of a
    // multi-byte character is never one, and never splits a word).
    let is_word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':');
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && !is_word(bytes[at]) {
            at += 1;
        }
        if at == bytes.len() {
            break;
        }
        let start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        // A word ends before trailing punctuation (`rota:ops:` or `site-down-`).
        let word = text[start..at].trim_end_matches([':', '-', '_']);
        if word.len() < 3 {
            continue;
        }
        let link = match word.split_once(':') {
            Some(("rota", id)) => targets.rota(id).map(|(name, now)| {
                if !rotas.iter().any(|r| r == id) {
                    rotas.push(id.to_string());
                }
                let now_span = format!(
                    " <span class=\"rota-now\" data-rota-now=\"{}\">{}</span>",
                    crate::encode::html(id),
                    crate::encode::html(&now_text(&now))
                );
                (format!("{root}rotas/{id}.html"), name, Some(now_span))
            }),
            Some(("person", id)) => targets
                .person(id)
                .map(|name| (format!("{root}people/{id}.html"), name, None)),
            Some(("alert", id)) => targets
                .alert(id, true)
                .map(|a| (format!("{root}alerts.html#{a}"), id.to_string(), None)),
            Some(_) => None,
            None => targets
                .alert(word, false)
                .map(|a| (format!("{root}alerts.html#{a}"), word.to_string(), None)),
        };
        let Some((href, shown, after)) = link else {
            continue;
        };
        if plain_from < start {
            events.push(Event::Text(CowStr::from(
                text[plain_from..start].to_string(),
            )));
        }
        events.push(Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url: CowStr::from(href),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        events.push(Event::Text(CowStr::from(shown)));
        events.push(Event::End(TagEnd::Link));
        if let Some(span) = after {
            events.push(Event::Html(CowStr::from(span)));
        }
        plain_from = start + word.len();
    }
    if plain_from == 0 {
        // Nothing named (a link's text is never empty, so one would have moved it on).
        return false;
    }
    if plain_from < text.len() {
        events.push(Event::Text(CowStr::from(text[plain_from..].to_string())));
    }
    true
}

/// `text` with each mention that names something ([`mentions`]) written as the page shows
/// it (a rota's or person's name, an alert's id), without the links: the search snippet
/// reads as the page does, not as its Markdown.
fn readable_mentions(text: &str, targets: &dyn LinkTargets) -> String {
    let mut events = Vec::new();
    if !mentions(text, "", targets, &mut events, &mut Vec::new()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for event in &events {
        if let Event::Text(t) = event {
            out.push_str(t);
        }
    }
    out
}

/// What a rota mention says about who holds it: `(now primary Heidi Hussain)`.
fn now_text(holders: &str) -> String {
    if holders.is_empty() {
        String::new()
    } else {
        format!("(now {holders})")
    }
}

/// The first [`EXCERPT_CHARS`] characters of a runbook's text, whitespace collapsed.
#[derive(Default)]
struct Excerpt {
    text: String,
    chars: usize,
}

impl Excerpt {
    /// A heading's end: `Symptoms: the disk…`, so that a heading does not run into the
    /// text under it (a heading that ends in punctuation keeps its own).
    fn end_heading(&mut self) {
        if self.text.ends_with(|c: char| c.is_alphanumeric()) {
            self.add(":");
        }
        self.add(" ");
    }

    fn add(&mut self, text: &str) {
        for c in text.chars() {
            if self.chars >= EXCERPT_CHARS {
                return;
            }
            let c = if c.is_whitespace() { ' ' } else { c };
            if c == ' ' && (self.text.is_empty() || self.text.ends_with(' ')) {
                continue;
            }
            self.text.push(c);
            self.chars += 1;
        }
    }
}

/// Where a link goes on the site: runbook `.md` links become page links; unsafe schemes
/// become `#`.
fn link_target(link_base: &str, dest: &str, root: &str, exists: &dyn Fn(&str) -> bool) -> String {
    if !is_safe_url(dest) {
        return "#".into();
    }
    // A link within the page stays as written (`#` and the anchor).
    if dest.starts_with('#') {
        return dest.to_string();
    }
    match markdown::runbook_target(link_base, dest) {
        Some((target, anchor)) if exists(&target) => {
            let mut href = String::with_capacity(
                root.len() + 15 + target.len() + anchor.as_ref().map_or(0, |a| a.len() + 1),
            );
            href.push_str(root);
            href.push_str("runbooks/");
            href.push_str(&target);
            href.push_str(".html");
            if let Some(a) = anchor {
                href.push('#');
                href.push_str(a);
            }
            href
        }
        _ => dest.to_string(),
    }
}

/// Is `url` safe in an `href`/`src`: http(s), mailto, a fragment, or a relative path?
/// Browsers ignore ASCII tabs and newlines inside a scheme and compare it without case,
/// so the check does too (entities are already decoded by the Markdown parser).
pub fn is_safe_url(url: &str) -> bool {
    // The scheme as a browser reads it (up to the first `:`, `/`, `?` or `#`), looked at
    // a character at a time, no copy made: only its first six bytes can matter.
    let mut scheme = [0u8; 6];
    let mut len = 0;
    for c in url.chars() {
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        match c {
            ':' => {
                return len <= scheme.len()
                    && matches!(&scheme[..len], b"http" | b"https" | b"mailto");
            }
            '/' | '?' | '#' => return true,
            _ => {
                if let Some(slot) = scheme.get_mut(len) {
                    // Not ASCII: no scheme allowed has it.
                    *slot = if c.is_ascii() {
                        (c as u8).to_ascii_lowercase()
                    } else {
                        0
                    };
                }
                len += 1;
            }
        }
    }
    true
}

mod words;
#[cfg(test)]
use words::INDEXED_WORDS;
use words::Words;

#[cfg(test)]
mod tests;
