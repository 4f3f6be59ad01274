//! The static site: the example builds a complete site whose build-time answers match
//! hand-worked expectations; hostile values in every rendered field come out inert;
//! template overrides; secret feeds; determinism.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn build(root: &Path, out: &Path, today: &str) -> std::process::Output {
    assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env_remove("ROTA_FEED_SECRET")
        .arg("--root")
        .arg(root)
        .args(["--today", today, "build", "--out"])
        .arg(out)
        .output()
        .unwrap()
}

fn built(root: &Path, today: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = build(root, &out, today);
    assert!(
        result.status.success(),
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The text of the element whose opening tag contains `marker`, tags stripped.
fn text_after(html: &str, marker: &str) -> String {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in page"));
    let start = html[..start].rfind('<').unwrap_or(start);
    let rest = &html[start..];
    let end = rest.find("</dd>").unwrap_or(rest.len());
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest[..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_example_builds_every_page_with_the_build_time_answer() {
    let (_tmp, out) = built(example(), TODAY);
    for rel in [
        "index.html",
        "alerts.html",
        "search.html",
        "check.html",
        "404.html",
        "people/index.html",
        "runbooks/index.html",
        "rotas/out-of-hours.html",
        "rotas/in-hours.html",
        "rotas/second-line.html",
        "people/alice.html",
        "people/olivia.html",
        "runbooks/site-down.html",
        "runbooks/db/replica-lag.html",
        "api/oncall.json",
        "sitemap.xml",
        "assets/site.css",
        "assets/site.js",
        "assets/search-index.js",
        "calendars/alice.ics",
    ] {
        assert!(out.join(rel).is_file(), "{rel} missing");
    }
    // Sun 22 Nov 2026 00:00 GMT is in out-of-hours turn 45 (Wed 18 Nov 10:00 + 45 weeks
    // from Wed 7 Jan): primary members[45 % 8] = frank, secondary members[46 % 8] = grace,
    // until Wed 25 Nov 10:00 GMT, when grace takes primary (turn 46). In hours: developer
    // (offset 5) [50 % 7] = bob, ops (offset 2) [47 % 4] = heidi; off duty on a Sunday.
    let home = read(&out, "index.html");
    assert_eq!(
        text_after(&home, r#"data-rota="out-of-hours""#)
            .split("secondary")
            .next()
            .unwrap()
            .trim(),
        "Out of hours On duty on duty until Mon 23 Nov, 10:00 GMT, then In hours (first line) takes over \
         primary Frank Fischer @frank until Wed 25 Nov, 10:00 GMT, then Grace Gallagher"
    );
    let in_hours = &home[home.find(r#"data-rota="in-hours""#).unwrap()..];
    assert!(in_hours.contains("Off duty"));
    // The rotas on duty (out of hours and second line on a Sunday) come first, and the
    // one off duty is marked so.
    let at = |id: &str| home.find(&format!(r#"data-rota="{id}""#)).unwrap();
    assert!(at("out-of-hours") < at("second-line") && at("second-line") < at("in-hours"));
    assert!(home.contains(r#"class="card rota-card off-duty" data-rota="in-hours""#));
    assert!(text_after(in_hours, r#"data-position="developer""#).starts_with("Bob Byrne"));
    assert!(text_after(in_hours, r#"data-position="ops""#).starts_with("Heidi Hussain"));

    let api: Value = serde_json::from_str(&read(&out, "api/oncall.json")).unwrap();
    assert_eq!(api["at"], "2026-11-22T00:00:00Z");
    let ooh = api["rotas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rota"] == "out-of-hours")
        .unwrap();
    assert_eq!(ooh["on_duty"], true);
    assert_eq!(
        ooh["positions"],
        serde_json::json!([
            {"position": "primary", "person": "frank", "name": "Frank Fischer", "handle": "@frank",
             "on_leave_until": null, "until": "2026-11-25T10:00:00Z"},
            {"position": "secondary", "person": "grace", "name": "Grace Gallagher", "handle": "@grace",
             "on_leave_until": null, "until": "2026-11-25T10:00:00Z"},
        ])
    );
    let first = &api["upcoming"][0];
    assert!(
        first["start"].as_str().unwrap() <= "2026-11-22T00:00:00Z",
        "{first}"
    );
    assert_eq!(first["source"], "rotation");

    // TOIL (rota/pages/2026-10.yaml): frank was paged at 02:13 and 02:41 on 3 Oct, one
    // claim window: woken 0.5 day, 105 minutes worked is one started hour beyond the
    // first, +0.25.
    let frank = read(&out, "people/frank.html");
    assert!(frank.contains("October 2026: 0.75 days"), "{frank}");
    // A month without out-of-hours pages says so rather than "0 days (0 claim windows)".
    assert!(frank.contains("November 2026: none"), "{frank}");
    assert!(!frank.contains("0 claim windows"), "{frank}");

    // Olivia is in no rota; the second line's escalation pages her by name after 5 min.
    let olivia = read(&out, "people/olivia.html");
    assert!(
        olivia.contains("none (reached by escalation only)"),
        "{olivia}"
    );
    assert!(
        olivia.contains(
            r#"<a href="../rotas/second-line.html">Second line</a>: paged by name when a page is unanswered after 5 min"#
        ),
        "{olivia}"
    );
    assert!(!frank.contains("<dt>Escalation</dt>"), "{frank}");
    assert!(
        olivia.contains("No shifts in the published schedule (up to <time"),
        "{olivia}"
    );

    // A rota's own policy is spelled out, not just said to exist.
    let ooh = read(&out, "rotas/out-of-hours.html");
    assert!(
        ooh.contains("at most 3 turns in a row, holiday counts within 5"),
        "{ooh}"
    );

    // A folder without a page of its own (runbooks/db/) links to its part of the index.
    let nav = read(&out, "runbooks/site-down.html");
    // Its rotas: those its alerts page first, in hours off duty on a Sunday (said so,
    // not its holders), then the one the steps name.
    let paged = text_after(&nav, r#"<ul class="paged-rotas">"#);
    assert!(
        paged.starts_with(
            "In hours (first line) (now off duty) · paged by its alerts \
             Out of hours (now primary Frank Fischer, secondary Grace Gallagher) · paged by its alerts \
             Second line (now engineer Leo Lambert) · named in the steps"
        ),
        "{paged}"
    );
    assert!(
        nav.contains(r#"<a href="../runbooks/index.html#folder-db">db/</a>"#),
        "{nav}"
    );
    assert!(read(&out, "runbooks/index.html").contains(r#"id="folder-db""#));

    // The home page embeds the shifts its script answers from.
    assert!(home.contains(r#"<script type="application/json" id="rota-data">"#));
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.github.io/support/rotas/out-of-hours.html</loc>")
    );
    assert!(!sitemap.contains("404.html"));
}

#[test]
fn runbook_pages_have_anchors_links_between_pages_and_edit_links() {
    let (_tmp, out) = built(example(), TODAY);
    let page = read(&out, "runbooks/site-down.html");
    assert_eq!(page.matches("<h1").count(), 1, "one h1");
    for id in ["check", "act", "escalate"] {
        assert!(page.contains(&format!(r#"<h2 id="{id}">"#)), "#{id}");
        assert!(
            page.contains(&format!(r##"<a href="#{id}">"##)),
            "toc #{id}"
        );
    }
    // `db/replica-lag.md#act` becomes the page, and the anchor exists there.
    assert!(page.contains(r#"href="../runbooks/db/replica-lag.html#act""#));
    assert!(read(&out, "runbooks/db/replica-lag.html").contains(r#"<h2 id="act">"#));
    assert!(page.contains(
        r#"href="https://github.com/example/support/edit/main/runbooks/site-down.md">Edit this page"#
    ));
    // Reviewed 2026-08-28 every 6 months: not overdue on 22 Nov 2026; the banner is there
    // (for the browser to show once 2027-02-28 passes) but hidden.
    assert!(page.contains(r#"data-review-due="2027-02-28" hidden"#));
    let (_tmp2, later) = built(example(), "2027-03-01");
    let page = read(&later, "runbooks/site-down.html");
    assert!(page.contains(r#"data-review-due="2027-02-28">"#));
    assert!(page.contains("Review overdue</strong> since Sun 28 Feb 2027"));
}

#[test]
fn the_same_inputs_build_byte_identical_sites() {
    let (_a, one) = built(example(), TODAY);
    let (_b, two) = built(example(), TODAY);
    let (x, y) = (files_under(&one), files_under(&two));
    assert_eq!(x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>());
    for (k, v) in &x {
        assert!(v == &y[k], "{k} differs between two builds");
    }
}

const EVIL_IMG: &str = "<img src=x onerror=alert(1)>";
const EVIL_SCRIPT: &str = "\\\"><script>alert(2)</script>";

fn hostile_repo() -> TestRepo {
    let repo = TestRepo::empty();
    repo.write(
        "rota/config.yaml",
        "title: \"<script>alert('title')</script>\"\nbase_url: \"https://example.test/\"\ntimezone: Europe/London\nsite:\n  edit_url: \"https://example.test/edit/\\\"><script>alert('edit')</script>/\"\n  owner_url: \"https://chat.example.test/{owner}?x=\\\"><script>alert('owner_url')</script>\"\n",
    );
    let mut people = String::new();
    for (i, id) in [
        "alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi",
    ]
    .iter()
    .enumerate()
    {
        let name = match i {
            0 => EVIL_IMG.to_string(),
            1 => EVIL_SCRIPT.to_string(),
            2 => "<iframe src=\\\"https://evil.test\\\"></iframe>".to_string(),
            _ => format!("{id} <b onmouseover=alert({i})>x</b>"),
        };
        people.push_str(&format!(
            "- {{ id: {id}, name: \"{name}\", roles: [\"<svg onload=alert(3)>\"], opted_in: true, vetted: 2020-01-01, experienced: true, handle: \"@{id}\\\"><script>alert(4)</script>\" }}\n"
        ));
    }
    repo.write("rota/people.yaml", &people);
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH
            .replace(
                "name: Out of hours",
                "name: \"\\\"><script>alert('rota')</script>\"\ndescription: \"<iframe src=javascript:alert(5)></iframe>\"",
            )
            .replace(
                "escalation:",
                "overrides:\n  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: heidi, replaces: carol, reason: \"<img src=x onerror=alert('reason')>\" }\nescalation:",
            ),
    );
    repo.write(
        "rota/services.yaml",
        "- { id: web, name: \"<script>alert('service')</script>\", out_of_hours: true, rota: ooh }\n",
    );
    repo.write(
        "rota/alerts/a.yaml",
        "- { id: down, summary: \"<img src=x onerror=alert('alert')>\", service: web, severity: critical, pages: [ooh], runbook: evil }\n",
    );
    repo.write(
        "runbooks/evil.md",
        "---\ntitle: \"<script>alert('runbook')</script>\"\nowner: \"<img src=x onerror=alert('owner')>\"\nlast_reviewed: 2026-11-01\nalerts: [down]\n---\n# <script>alert('h1')</script>\n\nRaw <img src=x onerror=alert('inline')> html and <a href=\"javascript:alert(6)\">a raw link</a>.\n\n<iframe src=\"https://evil.test\"></iframe>\n\n<form action=\"https://evil.test\"><input name=x></form>\n\n## Links <script>alert('h2')</script>\n\n[one](javascript:alert(7)) [two](JaVaScRiPt:alert(8)) [three](&#106;avascript:alert(9))\n[four](java\tscript:alert(10)) [five](vbscript:msgbox(11)) [six](data:text/html,hi)\n![img](data:image/svg+xml,<svg/onload=alert(12)>) [ok](https://example.com) [self](#links-alert-h2)\n\n<details open ontoggle=alert(13)>x</details>\n\nPage rota:ooh, then person:alice and person:bob if down fires (alert:down).\n",
    );
    repo
}

/// Start tags (name, attributes) of `html`, skipping the contents of script elements.
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if i >= bytes.len() || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let end = html[i..].find('>').map(|e| i + e).unwrap_or(bytes.len());
        let tag = &html[i..end];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut rest = tag[name_end..].trim_start_matches('/').trim();
        while !rest.is_empty() {
            let n_end = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let attr = rest[..n_end].to_ascii_lowercase();
            rest = rest[n_end..].trim_start();
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let after = after.trim_start();
                let (v, r) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let close = after[1..].find(q).map(|c| c + 1).unwrap_or(after.len());
                        (&after[1..close], &after[(close + 1).min(after.len())..])
                    }
                    _ => {
                        let e = after.find(char::is_whitespace).unwrap_or(after.len());
                        (&after[..e], &after[e..])
                    }
                };
                value = v.to_string();
                rest = r;
            }
            rest = rest.trim_start_matches('/').trim_start();
            if !attr.is_empty() {
                attrs.push((attr, value));
            }
        }
        out.push((name.clone(), attrs));
        i = end;
        if name == "script" {
            i = html[i..]
                .find("</script>")
                .map(|e| i + e)
                .unwrap_or(bytes.len());
        }
    }
    out
}

#[test]
fn hostile_values_come_out_inert_on_every_page() {
    let repo = hostile_repo();
    let (json, code) = repo.check();
    assert_eq!(json["errors"], 0, "{:#}", json["findings"]);
    assert_eq!(code, 0);
    let (_tmp, out) = built(repo.path(), TODAY);
    let allowed_tags = [
        "html", "head", "meta", "title", "link", "body", "a", "header", "div", "nav", "ul", "li",
        "main", "footer", "p", "time", "script", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt",
        "dd", "span", "section", "article", "form", "label", "input", "button", "table", "caption",
        "thead", "tbody", "tr", "th", "td", "ol", "strong", "em", "code", "pre", "br", "select",
        "option", "details", "summary", "noscript", "img",
    ];
    let mut pages = 0;
    for (rel, bytes) in files_under(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        for (name, attrs) in start_tags(&html) {
            assert!(
                allowed_tags.contains(&name.as_str()),
                "{rel}: <{name}> in output"
            );
            for (attr, value) in &attrs {
                assert!(
                    !attr.starts_with("on"),
                    "{rel}: <{name} {attr}> handler survived"
                );
                if matches!(attr.as_str(), "href" | "src" | "action") {
                    // The site's own icon (base.html) is an inline SVG.
                    let icon = name == "link" && value.starts_with("data:image/svg+xml,");
                    assert!(
                        rota::output::site::is_safe_url(value)
                            || value.starts_with("webcal://")
                            || icon,
                        "{rel}: <{name} {attr}=\"{value}\">"
                    );
                }
            }
            if name == "script" {
                let ok = attrs == [("src".into(), "assets/site.js".into())]
                    || attrs
                        .iter()
                        .any(|(a, v)| a == "src" && v.ends_with("assets/site.js"))
                    || attrs.iter().any(|(a, v)| {
                        a == "src"
                            && [
                                "assets/search-index.js",
                                "assets/search.js",
                                "assets/now-data.js",
                            ]
                            .iter()
                            .any(|own| v.ends_with(own))
                    })
                    || attrs.contains(&("type".into(), "application/json".into()));
                assert!(ok, "{rel}: unexpected script {attrs:?}");
            }
            if name == "form" {
                let action = attrs
                    .iter()
                    .find(|(a, _)| a == "action")
                    .map(|(_, v)| v.as_str());
                // The moment form, and the header's search box (relative, or from
                // `base_url` on the 404 page).
                let root = "https://example.test/";
                assert!(
                    matches!(action, Some("index.html" | "search.html"))
                        || action.is_some_and(|a| {
                            let rest = a.strip_prefix(root).unwrap_or(a).trim_start_matches("../");
                            rest == "search.html"
                        }),
                    "{rel}: a form from the data survived: {attrs:?}"
                );
            }
            if name == "img" {
                panic!("{rel}: an image from the data survived: {attrs:?}");
            }
        }
        assert_eq!(html.matches("<h1").count(), 1, "{rel}: one h1");
    }
    assert!(pages >= 15, "only {pages} pages");

    // The values are shown, as text.
    let alice = read(&out, "people/alice.html");
    assert!(
        alice.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{alice}"
    );
    let runbook = read(&out, "runbooks/evil.html");
    assert!(runbook.contains("&lt;iframe src="), "{runbook}");
    assert!(runbook.contains("Edit this page"), "{runbook}");
    assert!(!runbook.contains("<script>alert('edit')"), "{runbook}");
    assert!(runbook.contains(r##"href="https://example.com""##));
    // Mentions of a rota, people and an alert become links whose text is escaped; the
    // owner's chat link has the owner percent-encoded.
    assert!(runbook.contains(r#"<a href="../rotas/ooh.html">"&gt;&lt;script&gt;alert('rota')&lt;/script&gt;</a> <span class="rota-now" data-rota-now="ooh">"#), "{runbook}");
    assert!(
        runbook.contains(r#"<a href="../people/alice.html">&lt;img"#),
        "{runbook}"
    );
    assert!(
        runbook.contains(r#"(<a href="../alerts.html#down">down</a>)"#),
        "{runbook}"
    );
    assert!(runbook.contains(r#"href="https://chat.example.test/%3Cimg%20src%3Dx%20onerror%3Dalert%28%27owner%27%29%3E?x=&quot;&gt;&lt;script&gt;"#), "{runbook}");

    // The embedded data and the search index cannot close their script element.
    let home = read(&out, "index.html");
    let start = home.find(r#"id="rota-data">"#).unwrap();
    let end = start + home[start..].find("</script>").unwrap();
    let data = &home[start + r#"id="rota-data">"#.len()..end];
    assert!(!data.contains('<'), "{data}");
    let parsed: Value = serde_json::from_str(data).unwrap();
    // [name, handle], both hostile here, both intact as data.
    assert_eq!(parsed["people"]["alice"][0], EVIL_IMG);
    assert!(
        parsed["people"]["alice"][1]
            .as_str()
            .unwrap()
            .contains("<script>")
    );
    let index = read(&out, "assets/search-index.js");
    assert!(!index.contains('<'));
    let api: Value = serde_json::from_str(&read(&out, "api/oncall.json")).unwrap();
    assert!(api["rotas"][0]["positions"].is_array());
}

#[test]
fn a_data_repository_template_replaces_one_built_in_and_may_extend_the_base() {
    let repo = TestRepo::new();
    repo.write(
        "templates/person.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Custom {{ person.name }}</h1><p>{{ person.handle | default(value=\"none\") }}</p>{% endblock main %}",
    );
    repo.write(
        "templates/base.html",
        "{% extends \"rota/base.html\" %}{% block title %}Team: {{ page_title }}{% endblock title %}",
    );
    let (_tmp, out) = built(repo.path(), TODAY);
    let alice = read(&out, "people/alice.html");
    assert!(alice.contains("<h1>Custom Alice</h1>"), "{alice}");
    assert!(alice.contains("<title>Team: Alice</title>"), "{alice}");
    assert!(
        alice.contains(r#"class="skip-link""#),
        "the built-in base still lays out the page"
    );
    let rota = read(&out, "rotas/ooh.html");
    assert!(rota.contains("<title>Team: Out of hours</title>"));
    assert!(
        rota.contains("Upcoming turns"),
        "other pages keep their built-in template"
    );
}

#[test]
fn a_broken_template_is_reported_and_nothing_is_written() {
    let repo = TestRepo::new();
    repo.write(
        "templates/rota.html",
        "{% extends \"base.html\" %}{% block main %}{{ rota.name {% endblock main %}",
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = build(repo.path(), &out, TODAY);
    assert_eq!(result.status.code(), Some(2));
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(err.contains("templates/"), "{err}");
    assert!(!out.exists());
}

#[test]
fn secret_feed_names_keep_personal_feeds_off_the_site() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}calendar:\n  secret_env: ROTA_SITE_TEST_SECRET\n"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .env(
            "ROTA_SITE_TEST_SECRET",
            "s3cret-s3cret-s3cret-s3cret-s3cret",
        )
        .arg("--root")
        .arg(repo.path())
        .args(["--today", TODAY, "build", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(result.status.success());
    for (rel, bytes) in files_under(&out) {
        if rel.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(
                !html.contains("calendars/alice"),
                "{rel} links a personal feed"
            );
        }
    }
    assert!(read(&out, "people/alice.html").contains("rota feed-url alice"));
    let (_tmp2, open) = built(TestRepo::new().path(), TODAY);
    assert!(read(&open, "people/alice.html").contains("webcal://example.test/calendars/alice.ics"));
}

#[test]
fn personal_details_beyond_name_roles_and_handle_stay_off_the_site() {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2027-01-04, to: 2027-01-05, note: Hospital appointment }\n",
    );
    let (_tmp, out) = built(repo.path(), TODAY);
    for (rel, bytes) in files_under(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Hospital"), "{rel} shows a leave note");
        assert!(!text.contains("2020-01-01"), "{rel} shows a vetting date");
    }
}

#[test]
fn rendering_in_memory_gives_the_files_the_build_writes() {
    // What `rota serve` serves (Site::render) and what `rota build` writes must agree.
    let (_tmp, out) = built(example(), TODAY);
    let model = rota::load::resolve::resolve(rota::load::load(example()).unwrap());
    let tz = model.repo.config.timezone;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let clock = rota::time::Clock {
        now: rota::time::start_of_day(tz, today),
        today,
    };
    let schedule = rota::schedule::window::schedule(&model, clock);
    let findings = rota::rules::check_with(&model, &schedule, clock);
    let site = rota::output::site::Site::new(&model.repo).unwrap();
    let memory = site
        .render(
            &model,
            &schedule,
            &findings,
            clock,
            &rota::output::feeds::name::FeedNames::by_id(),
        )
        .unwrap();
    let written = files_under(&out);
    assert!(memory.len() > 30);
    for (rel, bytes) in &memory {
        assert!(written.get(rel) == Some(bytes), "{rel} differs");
    }
}

fn embedded_data(html: &str) -> Value {
    let start = html.find(r#"id="rota-data">"#).expect("no embedded data");
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start + r#"id="rota-data">"#.len()..end]).unwrap()
}

fn holder_at(rota: &Value, position: &str, ms: i64) -> Option<String> {
    let pos = rota["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == position)?;
    pos["holds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h[0].as_i64().unwrap() <= ms && ms < h[1].as_i64().unwrap())
        .and_then(|h| h[2].as_str().map(str::to_string))
}

#[test]
fn the_rota_page_now_box_is_recomputed_in_the_browser_from_embedded_shifts() {
    let (_tmp, out) = built(example(), TODAY);
    let page = read(&out, "rotas/out-of-hours.html");
    // The build-time answer stays in the HTML for readers without JavaScript.
    let box_start = page.find(r#"id="now-card""#).expect("no now box");
    let now_box = &page[box_start..];
    assert!(now_box.contains(r#"data-rota="out-of-hours""#));
    assert!(text_after(now_box, r#"data-position="primary""#).starts_with("Frank Fischer"));
    // The escalation's "(now NAME)" is marked for the script to refresh.
    assert!(page.contains(r#"class="esc-now" data-position="primary""#));
    // The same data the home page's script answers from, loaded from the site's one
    // copy (not a copy per page), with links relative to the rotas/ folder.
    assert!(page.contains(
        r#"<script id="rota-data" src="../assets/now-data.js" data-root="../"></script>"#
    ));
    let script = read(&out, "assets/now-data.js");
    let data: Value = serde_json::from_str(
        script
            .strip_prefix("window.rotaNowData = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap(),
    )
    .unwrap();
    let rotas = data["rotas"].as_array().unwrap();
    let rotas: Vec<&Value> = rotas.iter().filter(|r| r["id"] == "out-of-hours").collect();
    let home = embedded_data(&read(&out, "index.html"));
    assert_eq!(home, data);
    assert_eq!(home["root"], "");
    let home_ooh = home["rotas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "out-of-hours")
        .unwrap();
    assert_eq!(rotas[0], home_ooh);
    // 2026-11-22T00:00Z (build time): frank; 2026-11-26T00:00Z, after the handover of
    // Wed 25 Nov 10:00: somebody else, which the browser shows.
    assert_eq!(
        holder_at(rotas[0], "primary", 1_795_305_600_000).as_deref(),
        Some("frank")
    );
    let later = holder_at(rotas[0], "primary", 1_795_651_200_000).unwrap();
    assert_ne!(later, "frank");
    // The script that renders the home page's cards renders this box.
    let js = read(&out, "assets/site.js");
    assert!(js.contains("function fillCard(") && js.contains("holdersList(ans, zone, rota, t)"));
}

#[test]
fn the_home_page_refuses_an_invalid_moment_and_names_the_moment_it_shows() {
    let (_tmp, out) = built(example(), TODAY);
    let home = read(&out, "index.html");
    // Without JavaScript, the build-time answer under "On call now"; the script renames
    // the heading ("On call at …") for another moment.
    assert!(home.contains(r#"<h1 id="at-heading">On call now</h1>"#));
    assert!(home.contains(r#"<span id="at-note" class="note"></span>"#));
    let js = read(&out, "assets/site.js");
    // Date.UTC rolls 2026-13-45 over to another date: the script checks the calendar
    // first and says so (the browser behaviour is checked by scripts/site-e2e).
    assert!(js.contains("function validWall("));
    assert!(js.contains("Not a valid moment: “"));
    assert!(js.contains("'On call at '"));
}

/// The top-level nodes of an HTML fragment: elements and non-blank text runs.
fn top_level_nodes(fragment: &str) -> Vec<String> {
    const VOID: [&str; 4] = ["br", "img", "input", "wbr"];
    let mut nodes = Vec::new();
    let mut depth = 0usize;
    let mut text = String::new();
    let mut rest = fragment;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let end = rest.find('>').unwrap();
            let tag = &rest[1..end];
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if depth == 0 && !text.trim().is_empty() {
                nodes.push(std::mem::take(&mut text));
            }
            text.clear();
            if tag.starts_with('/') {
                depth -= 1;
            } else {
                if depth == 0 {
                    nodes.push(format!("<{name}>"));
                }
                if !VOID.contains(&name.as_str()) {
                    depth += 1;
                }
            }
            rest = &rest[end + 1..];
        } else {
            if depth == 0 {
                text.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    if !text.trim().is_empty() {
        nodes.push(text);
    }
    nodes
}

#[test]
fn stacked_table_cells_are_one_grid_item_each() {
    let (_tmp, out) = built(example(), TODAY);
    for rel in ["people/index.html", "alerts.html"] {
        let html = read(&out, rel);
        let mut cells = 0;
        for piece in html.split("<td data-label=").skip(1) {
            let start = piece.find('>').unwrap() + 1;
            let end = piece.find("</td>").unwrap();
            let nodes = top_level_nodes(&piece[start..end]);
            // On a phone each cell is a CSS grid: a comma between two links would be a
            // grid row of its own.
            assert!(nodes.len() <= 1, "{rel}: {:?}", &piece[..end]);
            cells += 1;
        }
        assert!(cells > 0, "{rel}");
    }
    // A rota page's members table stays a table on a phone: no cell labels that a
    // screen reader would hear beside the column headers.
    let rota = read(&out, "rotas/out-of-hours.html");
    let members = &rota[rota.find("<table class=\"members\">").unwrap()..];
    let members = &members[..members.find("</table>").unwrap()];
    assert!(!members.contains("data-label"), "{members}");
    assert!(
        members.contains("<th scope=\"col\">Share of this rota</th>"),
        "{members}"
    );
    let people = read(&out, "people/index.html");
    assert!(people.contains(
        r#"<td data-label="Rotas"><span class="cell"><a href="../rotas/in-hours.html">In hours (first line)</a>, <a href="../rotas/out-of-hours.html">Out of hours</a></span></td>"#
    ));
}

#[test]
fn the_check_report_shows_code_spans_as_code_and_never_lets_html_through() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/queue.md",
        "---\ntitle: Queue backlog\nlast_reviewed: 2026-11-01\n---\n# Queue backlog\n\nDrain it.\n",
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let result = build(repo.path(), &out, TODAY);
    assert!(result.status.success(), "{result:?}");
    let check = read(&out, "check.html");
    assert!(
        check.contains("runbook <code>queue</code> has no owner"),
        "{check}"
    );
    assert!(check.contains("add <code>owner:</code> to the front matter"));
    // The rule's explanation too; no raw backtick pair is left in any finding.
    assert!(check.contains("every runbook has an <code>owner</code>"));
    let findings = &check[check.find(r#"<ul class="findings">"#).unwrap()..];
    let findings = &findings[..findings.find("</ul>").unwrap()];
    assert!(!findings.contains('`'), "{findings}");
}

#[test]
fn code_spans_escape_first_then_convert_backtick_pairs() {
    use rota::output::site::code_spans;
    assert_eq!(
        code_spans("runbook `queue` has no owner"),
        "runbook <code>queue</code> has no owner"
    );
    assert_eq!(
        code_spans("`<script>` & <b>`x`</b>"),
        "<code>&lt;script&gt;</code> &amp; &lt;b&gt;<code>x</code>&lt;/b&gt;"
    );
    assert_eq!(code_spans("a lone ` backtick"), "a lone ` backtick");
    assert_eq!(
        code_spans("`a` and `b` and `c"),
        "<code>a</code> and <code>b</code> and `c"
    );
    assert_eq!(code_spans("empty `` pair"), "empty `` pair");
    assert_eq!(
        code_spans("\"quoted\" 'x'"),
        "&quot;quoted&quot; &#39;x&#39;"
    );
}

#[test]
fn the_404_page_links_absolutely_from_base_url_and_other_pages_relatively() {
    let (_tmp, out) = built(example(), TODAY);
    let base = "https://example.github.io/support/";
    let not_found = read(&out, "404.html");
    // Served at any missing path (/support/people/zed.html), its links must not depend on
    // where it is.
    for link in [
        "assets/site.css",
        "assets/site.js",
        "index.html",
        "people/index.html",
        "alerts.html",
        "search.html",
    ] {
        assert!(
            not_found.contains(&format!("=\"{base}{link}\"")),
            "404.html: no absolute {link}"
        );
    }
    // The page's own suggestions are relative (right from a file and at the site's root),
    // each marked with its path from the root for the script to fix up when served deeper.
    for link in ["index.html", "alerts.html", "search.html"] {
        assert!(
            not_found.contains(&format!("href=\"{link}\" data-site-path=\"{link}\"")),
            "404.html: {link}"
        );
    }
    for (_, attrs) in start_tags(&not_found) {
        let marked = attrs.iter().any(|(name, _)| name == "data-site-path");
        for (name, value) in attrs {
            if (name == "href" || name == "src") && !marked {
                assert!(
                    value.starts_with(base)
                        || value.starts_with('#')
                        || value.starts_with("data:image/svg+xml,"),
                    "404.html: relative {name}={value}"
                );
            }
        }
    }
    // Every other page stays relative (file://, sub-paths).
    for rel in ["index.html", "people/index.html", "rotas/out-of-hours.html"] {
        let html = read(&out, rel);
        assert!(!html.contains(&format!("=\"{base}")), "{rel}");
    }
    assert!(read(&out, "people/index.html").contains(r#"href="../assets/site.css""#));
}

/// `api/oncall.json` answers "who, until when" exactly as `rota now --format json` does,
/// also for a hold that ends beyond the weeks the build computes (a shadow who stays
/// until the rota ends on 30 June 2028, about 19 months ahead: 1 July 2028 00:00 BST is
/// 2028-06-30T23:00:00Z).
#[test]
fn api_oncall_agrees_with_rota_now_however_far_ahead_a_hold_ends() {
    let repo = TestRepo::new();
    let ooh = OOH
        .replace(
            "  members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n",
            "  members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n  until: 2028-06-30\n",
        )
        .replace(
            "  - { name: secondary, offset: 1 }\n",
            "  - { name: secondary, offset: 1 }\n  - { name: learner, members: [heidi], shadow: true }\n",
        );
    repo.write("rota/rotas/ooh.yaml", &ooh);
    let (_tmp, out) = built(repo.path(), TODAY);
    let api: Value = serde_json::from_str(&read(&out, "api/oncall.json")).unwrap();
    let now = repo.rota(&["now", "--format", "json"]).output().unwrap();
    assert!(
        now.status.success(),
        "{}",
        String::from_utf8_lossy(&now.stderr)
    );
    let now: Value = serde_json::from_slice(&now.stdout).unwrap();
    assert_eq!(api["at"], now["at"]);
    // The fields of `now`'s shape, the same; the api adds names, handles, leave, the
    // duty edge and the chain.
    let shape = |rotas: &Value| -> Vec<Value> {
        rotas
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let positions: Vec<Value> = r["positions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| serde_json::json!({"position": p["position"], "person": p["person"], "until": p["until"]}))
                    .collect();
                serde_json::json!({"rota": r["rota"], "on_duty": r["on_duty"], "positions": positions})
            })
            .collect()
    };
    assert_eq!(shape(&api["rotas"]), shape(&now["rotas"]));
    // And the words: `rota now` prints the api's duty sentence and chain, as they are.
    let text = repo.stdout(&["now"]);
    let ooh = &api["rotas"][0];
    assert!(
        text.contains(&format!(
            "Out of hours (ooh) — {}\n",
            ooh["duty"].as_str().unwrap()
        )),
        "{text}"
    );
    let chain: Vec<&str> = ooh["escalation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(
        text.contains(&format!("  escalation: {}\n", chain.join(" · "))),
        "{text}"
    );
    let learner = &api["rotas"][0]["positions"][2];
    assert_eq!(learner["position"], "learner");
    assert_eq!(learner["person"], "heidi");
    assert_eq!(learner["until"], "2028-06-30T23:00:00Z");
}

/// `n` alerts with ids `alert-00000`… and severities in turn critical, low, high, medium
/// (so neither file order nor id order is the catalogue's); every third critical one
/// pages `ooh`, with the runbook `runbooks/wake.md`.
fn many_alerts(repo: &TestRepo, n: usize) -> String {
    repo.write(
        "runbooks/wake.md",
        "---\ntitle: Wake up\nowner: alice\nlast_reviewed: 2026-11-01\n---\n# Wake up\n\nLook.\n",
    );
    let severities = ["critical", "low", "high", "medium"];
    let mut text = String::new();
    // Written in descending id order.
    for i in (0..n).rev() {
        let pages = if i % 12 == 0 {
            ", pages: [ooh], runbook: wake"
        } else {
            ""
        };
        text.push_str(&format!(
            "- {{ id: alert-{i:05}, summary: Alert {i}, severity: {}{pages} }}\n",
            severities[i % 4]
        ));
    }
    text
}

/// The ids of the catalogue's rows, in page order.
fn catalogue_rows(html: &str) -> Vec<&str> {
    html.split("<tr id=\"")
        .skip(1)
        .map(|piece| &piece[..piece.find('"').unwrap()])
        .collect()
}

#[test]
fn a_catalogue_of_thousands_of_alerts_is_every_row_once_in_severity_then_id_order() {
    // More than two parts of 1,000 rows, the last one short.
    let n = 2_345;
    let repo = TestRepo::new();
    repo.write("rota/alerts/many.yaml", &many_alerts(&repo, n));
    let (_tmp, out) = built(repo.path(), TODAY);
    let html = read(&out, "alerts.html");
    // Worked out without the code under test: ids i ≡ 0 (mod 4) are critical, 2 high,
    // 3 medium, 1 low; within a severity by id.
    let mut expected = Vec::new();
    for residue in [0, 2, 3, 1] {
        expected.extend(
            (0..n)
                .filter(|i| i % 4 == residue)
                .map(|i| format!("alert-{i:05}")),
        );
    }
    assert_eq!(catalogue_rows(&html), expected);
    // All inside the one table body, which ends the table; nothing after the page.
    let body = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    assert_eq!(catalogue_rows(body).len(), n);
    assert_eq!(body.matches("<tr ").count(), body.matches("</tr>").count());
    assert!(html.trim_end().ends_with("</html>"));
    // Rows say what their alert pages, in the first part and in the last.
    let row = |id: &str| {
        let row = &html[html.find(&format!("<tr id=\"{id}\"")).unwrap()..];
        row[..row.find("</tr>").unwrap()].to_string()
    };
    let wakes = row("alert-02340");
    assert!(wakes.contains(r#"data-rotas="ooh""#), "{wakes}");
    assert!(wakes.contains(r#"data-severity="critical""#), "{wakes}");
    assert!(
        wakes.contains(r#"<a href="rotas/ooh.html">Out of hours</a>"#),
        "{wakes}"
    );
    assert!(
        wakes.contains(r#"<a href="runbooks/wake.html">Wake up</a>"#),
        "{wakes}"
    );
    let last = row("alert-02341");
    assert!(last.contains(r#"data-rotas="-""#), "{last}");
    assert!(last.contains(r#"data-severity="low""#), "{last}");
    assert!(last.contains("Alert 2341"), "{last}");
}

#[test]
fn the_catalogue_rows_come_from_their_own_template_and_go_only_where_placed() {
    let repo = TestRepo::new();
    repo.write("rota/alerts/many.yaml", &many_alerts(&repo, 1_500));
    repo.write(
        "templates/alert-rows.html",
        "{% for a in alerts %}<li id=\"{{ a.id }}\">{{ a.severity }}</li>{% endfor %}",
    );
    repo.write(
        "templates/alerts.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ alert_count }} alerts</h1><ol>{{ alert_rows | safe }}</ol>{% endblock main %}",
    );
    let (_tmp, out) = built(repo.path(), TODAY);
    let html = read(&out, "alerts.html");
    assert!(html.contains("<h1>1500 alerts</h1>"), "{html}");
    let start = html.find("<ol>").unwrap();
    let list = &html[start..start + html[start..].find("</ol>").unwrap()];
    assert_eq!(list.matches("<li id=").count(), 1_500);
    assert!(list.starts_with("<ol><li id=\"alert-00000\">critical</li><li id=\"alert-00004\">"));

    // A catalogue template that leaves the rows out shows none (they are not added at
    // the end of the page either).
    repo.write(
        "templates/alerts.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ alert_count }} alerts</h1>{% endblock main %}",
    );
    let (_tmp, out) = built(repo.path(), TODAY);
    let html = read(&out, "alerts.html");
    assert!(html.contains("<h1>1500 alerts</h1>"));
    assert!(!html.contains("<li id="), "{html}");
    assert!(html.trim_end().ends_with("</html>"));
}

/// `assets/search-index.js` as JSON.
fn search_index(out: &Path) -> Value {
    let script = read(out, "assets/search-index.js");
    let json = script
        .strip_prefix("window.rotaSearchIndex = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("an assignment");
    serde_json::from_str(json).unwrap()
}

#[test]
fn search_covers_runbooks_alerts_rotas_people_and_services_from_every_pages_header() {
    let (_tmp, out) = built(example(), TODAY);
    let index = search_index(&out);
    let find = |kind: &str, id: &str| {
        index[kind]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id || e["url"].as_str().is_some_and(|u| u.contains(id)))
            .unwrap_or_else(|| panic!("no {kind} {id} in the index"))
            .clone()
    };
    // People: name, work handle and rotas, nothing else about them.
    let carol = find("people", "carol");
    assert_eq!(carol["name"], "Carol Chen");
    assert_eq!(carol["handle"], "@carol");
    for person in index["people"].as_array().unwrap() {
        let keys: Vec<&String> = person.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["handle", "id", "name", "rotas", "url"], "{person}");
    }
    let alert = find("alerts", "db-replica-lag");
    assert_eq!(alert["name"], "DbReplicaLag");
    assert_eq!(alert["url"], "alerts.html#db-replica-lag");
    assert_eq!(find("rotas", "second-line")["name"], "Second line");
    assert!(
        index["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Blogging platform")
    );
    // A runbook's entry quotes the start of its text (its title is the page's h1).
    let runbook = find("runbooks", "site-down");
    assert!(
        runbook["text"]
            .as_str()
            .unwrap()
            .starts_with("The public blogging platform is answering with server errors."),
        "{runbook}"
    );
    // Every page but the search page has the box in its header, submitting to the
    // search page, and loads the search script.
    for (rel, bytes) in files_under(&out) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let root = "../".repeat(rel.matches('/').count());
        assert!(
            html.contains(&format!("<script src=\"{root}assets/search.js\"></script>")),
            "{rel}"
        );
        assert_eq!(
            html.contains(&format!(
                "<form class=\"header-search\" role=\"search\" action=\"{root}search.html\""
            )),
            rel != "search.html",
            "{rel}"
        );
    }
}

#[test]
fn runbook_pages_link_mentions_and_say_whom_their_alerts_page_now() {
    let (_tmp, out) = built(example(), TODAY);
    let page = read(&out, "runbooks/site-down.html");
    // Sun 22 Nov 2026 00:00 GMT: second line turn 45 from Mon 5 Jan 2026 (leo of kate,
    // leo, mia, noah); out of hours frank and grace (see the test above).
    assert!(
        page.contains(r#"Page <a href="../rotas/second-line.html">Second line</a> <span class="rota-now" data-rota-now="second-line">(now engineer Leo Lambert)</span>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="../rotas/out-of-hours.html">Out of hours</a> <span class="rota-now" data-rota-now="out-of-hours">(now primary Frank Fischer, secondary Grace Gallagher)</span>"#),
        "{page}"
    );
    assert!(page.contains(r##"<a class="permalink" href="#escalate" aria-label="Link to this section: Escalate">§</a>"##));
    assert!(page.contains(
        r#"<a href="https://chat.example.com/channels/operations-engineering-alerts">#operations-engineering-alerts</a>"#
    ));
    assert!(page.contains(r#"<a href="../runbooks/db/replica-lag.html" rel="next">"#));
    assert!(page.contains(r#"<script src="../assets/now-data.js"></script>"#));
    let data = read(&out, "assets/now-data.js");
    assert!(data.starts_with("window.rotaNowData = {"), "{data:.80}");
    // A page whose alerts page no rota and whose text names none loads no shift data.
    let quiet = read(&out, "runbooks/cert-expiry.html");
    assert!(!quiet.contains("now-data.js"), "{quiet}");
}

#[test]
fn a_rota_page_lists_its_turns_one_line_each_by_month() {
    let (_tmp, out) = built(example(), TODAY);
    let page = read(&out, "rotas/out-of-hours.html");
    assert!(!page.contains("Week of"));
    let months: Vec<&str> = page
        .split("<h3 class=\"month\">")
        .skip(1)
        .map(|m| &m[..m.find('<').unwrap()])
        .collect();
    assert_eq!(
        months,
        [
            "November 2026",
            "December 2026",
            "January 2027",
            "February 2027"
        ]
    );
    // Turn 45, Wed 18 Nov to Wed 25 Nov 10:00 (the handover: no times shown), is the
    // one under way: frank and grace.
    let first = &page[page.find("<li class=\"turn current\"").unwrap()..];
    let first = &first[..first.find("</li>").unwrap()];
    assert!(first.contains("18 Nov – 25 Nov"), "{first}");
    assert!(first.contains("Frank Fischer") && first.contains("Grace Gallagher"));
    assert_eq!(page.matches("<li class=\"turn current\"").count(), 1);
}

/// A person page lists their bank-holiday and weekend duty days on each out-of-hours
/// rota, the same counts `rota report` prints for them (issue: `rota plan`, the
/// holiday-fairness rule).
#[test]
fn a_person_page_shows_the_holiday_and_weekend_counts_the_report_prints() {
    let (_tmp, out) = built(example(), TODAY);
    let report = assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .args([
            "--root",
            example().to_str().unwrap(),
            "--today",
            TODAY,
            "report",
        ])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&report.stdout).to_string();
    // `  heidi            holidays   2 | 3    weekends  24 | 28` under `out-of-hours`.
    let section = &report[report
        .find("duty days on `out-of-hours`")
        .expect("the report lists the out-of-hours counts")..];
    let numbers = |line: &str| -> Vec<u32> {
        line.split(|c: char| !c.is_ascii_digit())
            .filter(|w| !w.is_empty())
            .map(|w| w.parse().unwrap())
            .collect()
    };
    let mut compared = 0;
    for person in ["heidi", "dan", "frank"] {
        let line = section
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{person} ")))
            .unwrap_or_else(|| panic!("{person} is not in the report:\n{report}"));
        let want = numbers(line);
        let page = read(&out, &format!("people/{person}.html"));
        let counts = page
            .find("Holidays and weekends")
            .unwrap_or_else(|| panic!("{person}: no counts on the page"));
        let at = counts + page[counts..].find(">Out of hours</a>: ").unwrap();
        let shown = &page[at..at + page[at..].find("</li>").unwrap()];
        // Page: holidays before, weekends before; holidays ahead, weekends ahead.
        let got = numbers(shown);
        assert_eq!(
            [got[0], got[2], got[1], got[3]].to_vec(),
            want,
            "{person}: page {shown:?} vs report {line:?}"
        );
        compared += 1;
    }
    assert_eq!(compared, 3);
}
