//! `severities:` in rota/config.yaml: the team's own severity words decide what may page
//! out of hours (`severity-routing`) and what must be covered at every hour
//! (`alert-coverage`); a bad list is a located error (docs/data-format.md, "Severities").

use crate::common::*;
use serde_json::Value;

const RUNBOOK: &str =
    "---\ntitle: Site down\nowner: \"#ops\"\nlast_reviewed: 2026-10-01\n---\n# Site down\n";

/// The team's words: `page` wakes people and must be covered at every hour, `ticket`
/// waits for the morning.
const SEVERITIES: &str =
    "severities:\n  - { name: page, out_of_hours: true, every_hour: true }\n  - ticket\n";

fn repo_with(severities: &str, alerts: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("rota/config.yaml", &format!("{CONFIG}{severities}"))
        .write("rota/alerts/web.yaml", alerts)
        .write("runbooks/site-down.md", RUNBOOK);
    repo
}

fn messages(found: &[Value]) -> Vec<String> {
    found
        .iter()
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_teams_own_word_that_pages_may_page_out_of_hours() {
    let repo = repo_with(
        SEVERITIES,
        "- { id: site-down, summary: Site down, severity: page, pages: [ooh], runbook: site-down }\n",
    );
    let (json, code) = repo.check();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(code, 0);
}

#[test]
fn the_teams_word_that_waits_may_not_page_out_of_hours() {
    let repo = repo_with(
        SEVERITIES,
        "- { id: site-down, summary: Site down, severity: ticket, pages: [ooh], runbook: site-down }\n",
    );
    let found = repo.findings("severity-routing");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["line"], 1);
    assert!(
        found[0]["help"]
            .as_str()
            .unwrap_or_default()
            .contains("only page alerts wake people"),
        "{found:#?}"
    );
    // The default list still knows the older words: `high` pages out of hours.
    let repo = repo_with(
        "",
        "- { id: site-down, summary: Site down, severity: high, pages: [ooh], runbook: site-down }\n",
    );
    assert!(repo.findings("severity-routing").is_empty());
    let repo = repo_with(
        "",
        "- { id: site-down, summary: Site down, severity: medium, pages: [ooh], runbook: site-down }\n",
    );
    assert_eq!(repo.findings("severity-routing").len(), 1);
}

#[test]
fn a_word_the_team_did_not_list_is_a_located_parse_error() {
    let repo = repo_with(
        SEVERITIES,
        "- { id: site-down, summary: Site down, severity: critical, pages: [ooh], runbook: site-down }\n",
    );
    let found: Vec<Value> = repo
        .findings("parse")
        .into_iter()
        .filter(|f| f["file"] == "rota/alerts/web.yaml")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(1), Some(50))
    );
    assert!(
        messages(&found)[0]
            .contains("not one of the severities in rota/config.yaml: use page, ticket"),
        "{found:#?}"
    );
    // Without `severities:`, `critical` is the default's first word.
    let repo = repo_with(
        "",
        "- { id: site-down, summary: Site down, severity: critical, pages: [ooh], runbook: site-down }\n",
    );
    assert!(repo.findings("parse").is_empty());
}

#[test]
fn bad_severity_lists_are_located_errors() {
    let cases = [
        (
            "severities:\n  - page\n  - ticket\n  - page\n",
            7,
            "listed twice in `severities` (first on line 5)",
        ),
        (
            "severities:\n  - { name: page, out_of_hours: true, wakes: true }\n",
            5,
            "wakes",
        ),
        ("severities: []\n", 4, "`severities` is empty"),
        ("severities:\n  - \"two words\"\n", 5, "not a severity word"),
        (
            "severities:\n  - { name: page, out_of_hours: false, every_hour: true }\n",
            5,
            "does not page out of hours",
        ),
    ];
    // Lines in the file: the config's three lines come first.
    for (severities, line, says) in cases {
        let repo = repo_with(severities, "");
        let found: Vec<Value> = repo
            .findings("parse")
            .into_iter()
            .filter(|f| f["file"] == "rota/config.yaml")
            .collect();
        assert_eq!(found.len(), 1, "{severities}: {found:#?}");
        assert_eq!(
            found[0]["line"].as_u64(),
            Some(line),
            "{severities}: {found:#?}"
        );
        assert!(
            messages(&found)[0].contains(says),
            "{severities}: {found:#?}"
        );
    }
    // The nearest good list: no finding at all.
    let repo = repo_with(SEVERITIES, "");
    assert!(repo.findings("parse").is_empty());
}

const RULES: &str = "groups:
- name: web
  rules:
  - alert: SiteDown
    expr: up == 0
    labels: {severity: page}
    annotations: {summary: Site down, runbook_url: https://example.test/runbooks/site-down}
";

const AM: &str = "route:
  receiver: pager
  active_time_intervals: [nights]
receivers:
  - name: pager
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: '00:00', end_time: '08:00'}]
";

const ALERTING: &str = "alerting:
  rules: [\"monitoring/*.rules.yml\"]
  alertmanager: monitoring/am.yml
  receivers: { pager: ooh }
  runbook_url: https://example.test/runbooks/
";

fn rules_repo(severities: &str, rules: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}{severities}{ALERTING}"),
    )
    .write("monitoring/web.rules.yml", rules)
    .write("monitoring/am.yml", AM)
    .write("runbooks/site-down.md", RUNBOOK);
    repo
}

#[test]
fn a_word_that_must_be_covered_at_every_hour_is_checked_for_coverage() {
    // `page` must be covered at every hour: paging only at night leaves the days bare.
    let repo = rules_repo(SEVERITIES, RULES);
    let found = repo.findings("alert-coverage");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        messages(&found)[0].contains(
            "alert `site-down` is page but pages nobody from Sun 2026-11-22 08:00 GMT for 16h"
        ),
        "{found:#?}"
    );
    // The nearest case: the same rule as `ticket`, which need not be covered.
    let repo = rules_repo(
        SEVERITIES,
        &RULES.replace("severity: page", "severity: ticket"),
    );
    assert!(repo.findings("alert-coverage").is_empty());
}

#[test]
fn a_rule_with_a_word_the_team_did_not_list_is_reported() {
    let repo = rules_repo(
        SEVERITIES,
        &RULES.replace("severity: page", "severity: pgae"),
    );
    let found = repo.findings("alert-route");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (
            found[0]["file"].as_str(),
            found[0]["line"].as_u64(),
            found[0]["level"].as_str()
        ),
        (Some("monitoring/web.rules.yml"), Some(6), Some("warning"))
    );
    assert!(messages(&found)[0].contains("`pgae`"), "{found:#?}");
    // Without `severities:` the team has not said which words it uses: no finding.
    let repo = rules_repo("", &RULES.replace("severity: page", "severity: pgae"));
    assert!(repo.findings("alert-route").is_empty());
}
