//! Tests of the runbook renderer: safe HTML, heading ids and permalinks, links and mentions.

use super::*;

/// Every runbook exists; rotas, people and alerts as in the example.
struct Example;

impl LinkTargets for Example {
    fn runbook_exists(&self, _: &str) -> bool {
        true
    }
    fn rota(&self, id: &str) -> Option<(String, String)> {
        (id == "second-line").then(|| ("Second line".into(), "engineer Noah".into()))
    }
    fn person(&self, id: &str) -> Option<String> {
        (id == "carol").then(|| "Carol <Chen>".into())
    }
    fn alert(&self, word: &str, explicit: bool) -> Option<String> {
        match word {
            "site-down" | "SiteDown" => Some("site-down".into()),
            "latency" if explicit => Some("latency".into()),
            _ => None,
        }
    }
}

/// Only the runbooks `exists` names; nothing else.
struct Runbooks<F: Fn(&str) -> bool>(F);

impl<F: Fn(&str) -> bool> LinkTargets for Runbooks<F> {
    fn runbook_exists(&self, slug: &str) -> bool {
        (self.0)(slug)
    }
    fn rota(&self, _: &str) -> Option<(String, String)> {
        None
    }
    fn person(&self, _: &str) -> Option<String> {
        None
    }
    fn alert(&self, _: &str, _: bool) -> Option<String> {
        None
    }
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
        "HTTPS://example.com",
        " Mail\tTo:x@example.com",
        "",
    ] {
        assert!(is_safe_url(url), "{url:?} refused");
    }
    for url in ["httpsx:x", "mailtox:x", "\u{ff48}ttp:x", "é:x", ":x"] {
        assert!(!is_safe_url(url), "{url:?} passed");
    }
}

/// The scheme test as first written (a cleaned, lowercased copy of the URL), which
/// [`is_safe_url`] answers as without the copy.
fn is_safe_url_by_copy(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned[i..].starts_with(':') => {
            matches!(&cleaned[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

proptest::proptest! {
    #[test]
    fn the_scheme_test_answers_as_the_copying_one(url in "[hHtTpPsSmMaAiIlLoOx:/?#é\u{ff48} \t\n\u{1}]{0,12}") {
        proptest::prop_assert_eq!(is_safe_url(&url), is_safe_url_by_copy(&url), "{:?}", url);
    }
}

#[test]
fn raw_html_is_shown_as_text() {
    let r = render(
        "x",
        "x",
        "Hello <img src=x onerror=alert(1)> there\n\n<iframe src=\"https://evil\"></iframe>\n\n<script>alert(1)</script>\n",
        &Example,
    );
    assert!(!r.html().contains("<img"), "{}", r.html());
    assert!(!r.html().contains("<iframe"), "{}", r.html());
    assert!(!r.html().contains("<script"), "{}", r.html());
    assert!(
        r.html().contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{}",
        r.html()
    );
    assert!(r.html().contains("&lt;iframe"), "{}", r.html());
}

#[test]
fn links_are_neutralised_or_rewritten() {
    let r = render(
        "db/replica-lag",
        "db/replica-lag",
        "[a](javascript:alert(1)) [b](&#106;avascript:alert(1)) [c](../site-down.md#act) [d](#check) [e](https://example.com) ![i](data:image/png;base64,AAAA)\n",
        &Runbooks(|s: &str| s == "site-down"),
    );
    assert!(
        !r.html().to_lowercase().contains("javascript:"),
        "{}",
        r.html()
    );
    assert!(!r.html().contains("data:"), "{}", r.html());
    assert!(!r.html().contains("<img"), "{}", r.html());
    assert!(r.html().contains(" i"), "the alt text stays: {}", r.html());
    assert!(
        r.html()
            .contains(r#"href="../../runbooks/site-down.html#act""#),
        "{}",
        r.html()
    );
    assert!(r.html().contains(r##"href="#check""##), "{}", r.html());
    assert!(
        r.html().contains(r#"href="https://example.com""#),
        "{}",
        r.html()
    );
}

#[test]
fn a_long_table_of_contents_is_cut_and_says_how_much_is_left_out() {
    let body: String = (1..=TOC_LIMIT + 5)
        .map(|i| format!("## Step {i}\n\ntext\n\n"))
        .collect();
    let r = render("x", "x", &body, &Example);
    assert_eq!(r.toc.len(), TOC_LIMIT);
    assert_eq!(r.toc_more, 5);
    assert_eq!(r.toc.last().map(|t| t.id.as_str()), Some("step-300"));
    assert!(r.html().contains(r#"<h2 id="step-305">"#));
}

#[test]
fn headings_get_the_link_checks_ids_and_one_h1() {
    let body = "# Site returns 5xx\nIntro\n## Act\n## Act\n# Another top\n### `pg_ctl` promote!\n";
    let r = render("site-down", "site-down", body, &Example);
    assert_eq!(r.title_id.as_deref(), Some("site-returns-5xx"));
    assert!(!r.html().contains("<h1"), "{}", r.html());
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    let checked: Vec<String> = markdown::headings(body)
        .into_iter()
        .skip(1)
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, checked);
    assert_eq!(ids, vec!["act", "act-2", "another-top", "pg-ctl-promote"]);
    assert!(
        r.html().contains(r#"<h2 id="another-top">"#),
        "{}",
        r.html()
    );
    assert!(r.words.split(' ').any(|w| w == "intro"));
}

#[test]
fn headings_carry_a_permalink_beside_them_and_keep_their_text_as_name() {
    let r = render(
        "x",
        "x",
        "# Title\n\n## Act \"now\" & <b>\n\ntext\n",
        &Example,
    );
    assert!(
        r.html().contains(
            "<div class=\"heading-row\">\n<h2 id=\"act-now\">Act \"now\" &amp; &lt;b&gt;</h2>\n<a class=\"permalink\" href=\"#act-now\" aria-label=\"Link to this section: Act &quot;now&quot; &amp;\">§</a></div>"
        ),
        "{}",
        r.html()
    );
    // The title is the page's h1: no permalink row is left behind for it.
    assert_eq!(r.html().matches("heading-row").count(), 1, "{}", r.html());
}

#[test]
fn rota_person_and_alert_mentions_become_links_in_text_only() {
    let body = "Page rota:second-line, then person:carol. If site-down or SiteDown fires \
                (alert:latency too), see `rota:second-line`.\n\n\
                ```\nrota:second-line site-down\n```\n\n\
                [rota:second-line](https://example.com) rota:nobody person:zed latency\n\n\
                ## rota:second-line\n";
    let r = render("db/x", "db/x", body, &Example);
    let html = &r.html();
    assert!(
        html.contains("Page <a href=\"../../rotas/second-line.html\">Second line</a> <span class=\"rota-now\" data-rota-now=\"second-line\">(now engineer Noah)</span>, then"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"../../people/carol.html\">Carol &lt;Chen&gt;</a>."),
        "{html}"
    );
    assert!(html.contains("If <a href=\"../../alerts.html#site-down\">site-down</a> or <a href=\"../../alerts.html#site-down\">SiteDown</a>"), "{html}");
    assert!(
        html.contains("(<a href=\"../../alerts.html#latency\">latency</a> too)"),
        "{html}"
    );
    // Code, code blocks, links and headings keep what was written; unknown ids and a
    // bare word that only an explicit `alert:` may name stay text.
    assert!(html.contains("<code>rota:second-line</code>"), "{html}");
    assert!(
        html.contains("<code>rota:second-line site-down\n</code>"),
        "{html}"
    );
    assert!(
        html.contains(">rota:second-line</a> rota:nobody person:zed latency"),
        "{html}"
    );
    assert!(html.contains(">rota:second-line</h2>"), "{html}");
    assert_eq!(html.matches("data-rota-now").count(), 1, "{html}");
    assert_eq!(r.rotas, vec!["second-line".to_string()]);
}

#[test]
fn the_excerpt_is_the_start_of_the_text_with_whitespace_collapsed() {
    let long = "word ".repeat(EXCERPT_CHARS);
    let r = render(
        "x",
        "x",
        &format!("# T\n\nFirst   line\nsecond.\n\n- a\n- b\n\n{long}"),
        &Example,
    );
    assert!(
        r.excerpt.starts_with("First line second. a b word word"),
        "{}",
        r.excerpt
    );
    assert!(r.excerpt.chars().count() <= EXCERPT_CHARS);
}

#[test]
fn the_excerpt_ends_a_heading_and_writes_mentions_as_the_page_shows_them() {
    let r = render(
        "x",
        "x",
        "# T\n\n## Symptoms\n\nPage rota:second-line, then person:carol (alert:latency).\n\n## Why?\n\nrota:nobody café:x rota:",
        &Example,
    );
    assert_eq!(
        r.excerpt,
        "Symptoms: Page Second line, then Carol <Chen> (latency). Why? rota:nobody café:x rota:"
    );
}
