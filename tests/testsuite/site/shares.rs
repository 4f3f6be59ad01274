//! Every share the site shows agrees with `rota report` (and so with `rota check`'s
//! `max-share`): the example is built, each person page and rota page is read as HTML,
//! and each share is compared with the report's for the same window and measure — the
//! percent, the measure named (a rota alone, or all of a person's rotas together) and
//! the hours it is made of.

use crate::common;

use regex::Regex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rota(today: &str, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env_remove("ROTA_FEED_SECRET")
        .arg("--root")
        .arg(example())
        .args(["--today", today])
        .args(args)
        .output()
        .unwrap()
}

/// One share as a page shows it.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    percent: i64,
    /// Hours on call and on duty, as the page writes them next to the percent.
    hours: Option<(i64, i64)>,
}

/// Every `<span class="share" data-share-of=OF data-person=ID>N%</span>` on a page, in
/// order, with the `(A h … of B h …)` that follows it: (person, of, shown).
fn shares(html: &str) -> Vec<(String, String, Shown)> {
    let span = Regex::new(
        r#"<span class="share" data-share-of="([^"]+)" data-person="([^"]+)">(\d+)%</span>([^\n]*)"#,
    )
    .unwrap();
    let hours = Regex::new(r"(\d+) h (?:on call )?of (\d+) h").unwrap();
    span.captures_iter(html)
        .map(|c| {
            let after = c.get(4).map_or("", |m| m.as_str());
            let h = hours
                .captures(after)
                .map(|h| (h[1].parse().unwrap(), h[2].parse().unwrap()));
            (
                c[2].to_string(),
                c[1].to_string(),
                Shown {
                    percent: c[3].parse().unwrap(),
                    hours: h,
                },
            )
        })
        .collect()
}

/// Builds the example as of `today` and compares every share with `rota report`'s.
fn site_agrees_with_report(today: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let built = rota(today, &["build", "--out", out.to_str().unwrap()]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let report = rota(today, &["report", "--format", "json"]);
    assert!(report.status.success());
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    // person → (share, share_of) as `report` counts it.
    let counted: BTreeMap<String, (f64, String)> = report["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["share_of"].is_null())
        .map(|p| {
            (
                p["person"].as_str().unwrap().to_string(),
                (
                    p["share"].as_f64().unwrap(),
                    p["share_of"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    assert!(!counted.is_empty());

    // Each rota page: every member's share of that rota alone.
    let mut of_rota: BTreeMap<(String, String), Shown> = BTreeMap::new();
    for entry in std::fs::read_dir(out.join("rotas")).unwrap() {
        let path = entry.unwrap().path();
        let rota_id = path.file_stem().unwrap().to_str().unwrap().to_string();
        let html = std::fs::read_to_string(&path).unwrap();
        for (person, of, shown) in shares(&html) {
            assert_eq!(of, rota_id, "{rota_id}: a share of another measure");
            of_rota.insert((rota_id.clone(), person), shown);
        }
    }
    assert!(!of_rota.is_empty(), "no share on any rota page");

    let heading = Regex::new(r#"<h1>([^<]+)</h1>"#).unwrap();
    let mut compared = 0;
    for (person, (share, share_of)) in &counted {
        let html = std::fs::read_to_string(out.join(format!("people/{person}.html"))).unwrap();
        let shown = shares(&html);
        // The first share on the page is the one `check` and `report` count.
        let (who, of, first) = shown
            .first()
            .unwrap_or_else(|| panic!("{person}: no share on their page"));
        assert_eq!(who, person);
        assert_eq!(of, share_of, "{person}: the page names another measure");
        let percent = (share * 100.0).round() as i64;
        assert_eq!(
            first.percent, percent,
            "{person}: {first:?} vs report {share}"
        );
        // Its hours make the report's share (each written to the hour).
        let (on, duty) = first.hours.unwrap_or_else(|| panic!("{person}: no hours"));
        let tolerance = 0.5 / duty as f64 + 0.5 * on as f64 / (duty as f64).powi(2) + 0.0001;
        assert!(
            (on as f64 / duty as f64 - share).abs() <= tolerance,
            "{person}: {on} h of {duty} h is not the report's {share}"
        );
        // The measure in words names the rota (or says "all their rotas together").
        let measure = match share_of.as_str() {
            "all" => "of the duty time of all their rotas together".to_string(),
            rota_id => {
                let name = heading
                    .captures(
                        &std::fs::read_to_string(out.join(format!("rotas/{rota_id}.html")))
                            .unwrap(),
                    )
                    .map(|c| c[1].to_string())
                    .unwrap();
                format!("of the duty time of {name} alone")
            }
        };
        assert!(
            html.contains(&measure),
            "{person}: the measure is not named as {measure:?}"
        );
        // When the counted share is one rota's, that rota's page shows the same figures.
        if share_of != "all" {
            let on_rota = &of_rota[&(share_of.clone(), person.clone())];
            assert_eq!(on_rota, first, "{person}: rota page and person page differ");
        }
        // Their share of each rota alone, listed on their page, is what the rota's page
        // shows.
        for (_, of, s) in shown.iter().skip(1) {
            assert_eq!(
                of_rota.get(&(of.clone(), person.clone())),
                Some(s),
                "{person} on {of}"
            );
        }
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} people compared");
    // The people index shows the counted share of each, with its measure.
    let index = std::fs::read_to_string(out.join("people/index.html")).unwrap();
    let listed = shares(&index);
    assert_eq!(listed.len(), counted.len());
    for (person, of, shown) in listed {
        let (share, share_of) = &counted[&person];
        assert_eq!(&of, share_of, "people/index.html: {person}");
        assert_eq!(
            shown.percent,
            (share * 100.0).round() as i64,
            "people/index.html: {person}"
        );
    }
    // Someone's highest share is "all their rotas together", someone's one rota alone:
    // both measures are covered.
    assert!(counted.values().any(|(_, of)| of == "all"));
    assert!(counted.values().any(|(_, of)| of != "all"));
}

#[test]
fn every_share_on_person_and_rota_pages_is_the_reports() {
    site_agrees_with_report(common::TODAY);
}

#[test]
fn every_share_agrees_in_the_new_year_when_a_block_changes_the_members() {
    site_agrees_with_report("2027-01-05");
}
