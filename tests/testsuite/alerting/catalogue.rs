//! The alert catalogue, services and runbooks: their rules and `rota review`.

use crate::common::*;
use serde_json::Value;

fn once(repo: &TestRepo, rule: &str, level: &str, file: &str, line: u64) -> Value {
    let found = repo.findings(rule);
    assert_eq!(found.len(), 1, "{rule}: {found:#?}");
    let f = &found[0];
    assert_eq!(
        (
            f["level"].as_str().unwrap(),
            f["file"].as_str().unwrap(),
            f["line"].as_u64().unwrap()
        ),
        (level, file, line),
        "{f:#}"
    );
    f.clone()
}

const RUNBOOK: &str = "---\ntitle: Site down\nowner: \"#ops\"\nlast_reviewed: 2026-10-01\n---\n# Site down\n\n## Check\n\n## Act\n";

/// The base repository plus a paging alert with its runbook and a service.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("rota/alerts/web.yaml", "- { id: site-down, summary: Site down, service: web, severity: critical, pages: [ooh], runbook: site-down }\n");
    repo.write(
        "rota/services.yaml",
        "- { id: web, name: Website, impact: [public-access], out_of_hours: true, rota: ooh }\n",
    );
    repo.write("runbooks/site-down.md", RUNBOOK);
    repo
}

#[test]
fn the_catalogue_fixture_passes() {
    let (json, code) = repo().check();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(code, 0);
}

#[test]
fn alert_runbook() {
    let repo = repo();
    repo.write(
        "rota/alerts/web.yaml",
        "- { id: site-down, summary: Site down, service: web, severity: critical, pages: [ooh], runbook: site-down }\n- { id: slow, summary: Slow, service: web, severity: high, pages: [ooh] }\n",
    );
    once(&repo, "alert-runbook", "error", "rota/alerts/web.yaml", 2);
    repo.write("rota/alerts/web.yaml", "- { id: site-down, summary: Site down, service: web, severity: critical, pages: [ooh], runbook: site-dwon }\n");
    let f = once(&repo, "alert-runbook", "error", "rota/alerts/web.yaml", 1);
    assert_eq!(f["column"], 97);
    // A ticket-only alert needs no runbook, but one it names must exist.
    repo.write("rota/alerts/web.yaml", "- { id: site-down, summary: Site down, severity: low }\n- { id: b, summary: B, severity: low, runbook: nope }\n");
    assert!(repo.findings("alert-runbook").is_empty());
    once(
        &repo,
        "unknown-reference",
        "error",
        "rota/alerts/web.yaml",
        2,
    );
}

#[test]
fn severity_routing() {
    let repo = repo();
    repo.write("rota/alerts/web.yaml", "- id: site-down\n  summary: Site down\n  severity: medium\n  pages:\n    - ooh\n  runbook: site-down\n");
    once(
        &repo,
        "severity-routing",
        "error",
        "rota/alerts/web.yaml",
        5,
    );
}

#[test]
fn service_support() {
    let repo = repo();
    repo.write(
        "rota/services.yaml",
        "- { id: web, name: Website, out_of_hours: true }\n",
    );
    once(&repo, "service-support", "error", "rota/services.yaml", 1);
    // Impact but no out-of-hours support: a warning asking for an assessment.
    repo.write("rota/services.yaml", "- { id: web, name: Website, impact: [danger-to-life] }\n- { id: intranet, name: Intranet }\n");
    once(&repo, "service-support", "warning", "rota/services.yaml", 1);
    // A rota too small to promise out-of-hours support.
    repo.write(
        "rota/services.yaml",
        "- { id: web, name: Website, out_of_hours: true, rota: ooh }\n",
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "alice, bob, carol, dan, erin, frank, grace, heidi",
            "alice, bob, carol, dan, erin",
        ),
    );
    let f = once(&repo, "service-support", "error", "rota/services.yaml", 1);
    assert!(f["message"].as_str().unwrap().contains("5 people"), "{f:#}");
}

#[test]
fn runbook_review() {
    let repo = repo();
    repo.write(
        "runbooks/site-down.md",
        &RUNBOOK.replace("2026-10-01", "2025-10-01"),
    );
    let f = once(
        &repo,
        "runbook-review",
        "warning",
        "runbooks/site-down.md",
        4,
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("due for review on 2026-04-01"),
        "{f:#}"
    );
    repo.write(
        "runbooks/site-down.md",
        &RUNBOOK.replace("owner: \"#ops\"\n", ""),
    );
    let f = once(
        &repo,
        "runbook-review",
        "warning",
        "runbooks/site-down.md",
        1,
    );
    assert!(f["message"].as_str().unwrap().contains("no owner"), "{f:#}");
    // `review_in` refuses units below a day.
    repo.write(
        "runbooks/site-down.md",
        &RUNBOOK.replace(
            "last_reviewed: 2026-10-01\n",
            "last_reviewed: 2026-10-01\nreview_in: 6m\n",
        ),
    );
    once(&repo, "parse", "error", "runbooks/site-down.md", 5);
}

#[test]
fn runbook_front_matter_references_alerts() {
    let repo = repo();
    repo.write(
        "runbooks/site-down.md",
        &RUNBOOK.replace(
            "last_reviewed",
            "alerts: [site-down, site-up]\nlast_reviewed",
        ),
    );
    let f = once(
        &repo,
        "unknown-reference",
        "error",
        "runbooks/site-down.md",
        4,
    );
    assert!(f["message"].as_str().unwrap().contains("site-up"));
}

#[test]
fn links_between_runbooks_must_resolve() {
    let repo = repo();
    repo.write(
        "runbooks/db/failover.md",
        "---\ntitle: Failover\nowner: \"#data\"\nlast_reviewed: 2026-10-01\n---\n# Failover\n\nSee [site down](../site-down.md#act), [checks](../site-down.md#nope)\nand [the old page](old.md) and [the web](https://example.com/x.md).\n",
    );
    let found = repo.findings("unknown-reference");
    let places: Vec<(u64, u64)> = found
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, vec![(8, 39), (9, 5)], "{found:#?}");
    assert!(found[0]["help"].as_str().unwrap().contains("#check"));
}

#[test]
fn review_lists_overdue_and_due_soon_runbooks_by_owner() {
    let repo = repo();
    let page = |title: &str, owner: &str, reviewed: &str| {
        format!(
            "---\ntitle: {title}\nowner: \"{owner}\"\nlast_reviewed: {reviewed}\nreview_in: 3 months\n---\n# {title}\n"
        )
    };
    repo.write("runbooks/old.md", &page("Old", "#ops", "2026-07-01")); // due 2026-10-01: 52 days overdue
    repo.write("runbooks/soon.md", &page("Soon", "#ops", "2026-09-10")); // due 2026-12-10: in 18 days
    repo.write("runbooks/fine.md", &page("Fine", "#ops", "2026-11-01")); // due 2027-02-01
    repo.write("runbooks/db/lag.md", &page("Lag", "#data", "2026-08-01")); // due 2026-11-01: 21 days overdue
    repo.write("runbooks/nobody.md", "# Nobody's\n");
    let json = repo.json(&["review", "--format", "json"]);
    type Owner<'a> = (Option<&'a str>, Vec<(&'a str, &'a str, Option<i64>)>);
    let summary: Vec<Owner> = json["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["owner"].as_str(),
                o["runbooks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        (
                            r["slug"].as_str().unwrap(),
                            r["status"].as_str().unwrap(),
                            r["days_overdue"].as_i64(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some("#data"), vec![("db/lag", "overdue", Some(21))]),
            (
                Some("#ops"),
                vec![
                    ("old", "overdue", Some(52)),
                    ("soon", "due-soon", Some(-18))
                ]
            ),
            (None, vec![("nobody", "never-reviewed", None)]),
        ]
    );
    let text = repo.stdout(&["review"]);
    assert!(
        text.contains("52 days overdue (due 2026-10-01)")
            && text.contains("due in 18 days (2026-12-10)"),
        "{text}"
    );
}

// The catalogue read from Prometheus rules and Alertmanager routing (docs/alerting.md).

const RULES: &str = "groups:
- name: web
  rules:
  - record: job:up:sum
    expr: sum(up)
  - alert: SiteDown
    expr: up == 0
    for: 5m
    labels: {severity: critical, team: web}
    annotations: {summary: Site down, runbook_url: https://example.test/runbooks/Site-Down/}
  - alert: DiskFilling
    expr: disk > 0.9
    labels: {severity: warning}
    annotations: {summary: Disk filling}
";

const AM: &str = "route:
  receiver: tickets
  routes:
    - matchers: ['severity=\"critical\"']
      receiver: pager
receivers:
  - name: tickets
  - name: pager
";

const ALERTING: &str = "alerting:
  rules: [\"monitoring/*.rules.yml\"]
  alertmanager: monitoring/am.yml
  receivers: { pager: ooh, tickets: [] }
  runbook_url: https://example.test/runbooks/
";

/// A repository whose catalogue comes from a rule file and an Alertmanager tree.
fn rules_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("rota/config.yaml", &format!("{CONFIG}{ALERTING}"))
        .write("monitoring/web.rules.yml", RULES)
        .write("monitoring/am.yml", AM)
        .write("runbooks/site-down.md", RUNBOOK);
    repo
}

fn alerts(repo: &TestRepo) -> Vec<Value> {
    repo.json(&["alerts", "--format", "json"])["alerts"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn alerting_rules_become_the_catalogue() {
    let repo = rules_repo();
    let (json, code) = repo.check();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(code, 0);
    let alerts = alerts(&repo);
    let ids: Vec<&str> = alerts.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["disk-filling", "site-down"],
        "recording rules are not alerts"
    );
    let site = &alerts[1];
    assert_eq!(site["alert"], "SiteDown");
    assert_eq!(site["severity"], "critical");
    assert_eq!(site["summary"], "Site down");
    assert_eq!(site["for_seconds"], 300);
    assert_eq!(
        (site["file"].as_str(), site["line"].as_u64()),
        (Some("monitoring/web.rules.yml"), Some(6))
    );
    assert_eq!(site["receivers"], serde_json::json!(["pager"]));
    assert_eq!(site["rotas"], serde_json::json!(["ooh"]));
    // `Site-Down/` maps onto runbooks/site-down.md: case and the trailing `/` ignored.
    assert_eq!(site["runbook"], "runbooks/site-down.md");
    let disk = &alerts[0];
    assert_eq!(disk["receivers"], serde_json::json!(["tickets"]));
    assert_eq!(disk["rotas"], serde_json::json!([]));
    assert_eq!(disk["no_runbook"], "no `runbook_url` annotation");
    let text = repo.stdout(&["alerts"]);
    assert!(text.contains("site-down (SiteDown): critical — monitoring/web.rules.yml:6\n  labels: severity=critical, team=web\n  receivers: pager\n  rotas: ooh\n  runbook: runbooks/site-down.md\n"), "{text}");
}

#[test]
fn one_name_with_several_severities_gets_them_in_its_ids() {
    let repo = rules_repo();
    let more = "  - alert: SiteDown\n    expr: up < 1\n    labels: {severity: warning}\n    annotations: {summary: Site down}\n";
    repo.write("monitoring/web.rules.yml", &format!("{RULES}{more}"));
    let ids: Vec<String> = alerts(&repo)
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        ["disk-filling", "site-down-critical", "site-down-warning"]
    );
    assert!(repo.findings("invalid-id").is_empty());
    // A third of one name and severity still collides: located at it.
    repo.write("monitoring/web.rules.yml", &format!("{RULES}{more}{more}"));
    let f = once(&repo, "invalid-id", "error", "monitoring/web.rules.yml", 19);
    assert!(
        f["message"].as_str().unwrap().contains("site-down-warning"),
        "{f:#}"
    );
}

#[test]
fn hand_written_entries_refine_rules_and_clashes_are_located() {
    let repo = rules_repo();
    repo.write(
        "rota/services.yaml",
        "- { id: web, name: Website, out_of_hours: true, rota: ooh }\n",
    )
    .write(
        "rota/alerts/web.yaml",
        "- { id: site-down, service: web }\n",
    );
    let (json, code) = repo.check();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(code, 0);
    let site = alerts(&repo)
        .into_iter()
        .find(|a| a["id"] == "site-down")
        .unwrap();
    assert_eq!(site["service"], "web");
    assert_eq!(site["rotas"], serde_json::json!(["ooh"]));

    repo.write(
        "rota/alerts/web.yaml",
        "- { id: site-down, service: web, severity: warning }\n",
    );
    let f = once(&repo, "alert-route", "error", "rota/alerts/web.yaml", 1);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("severity `warning`"),
        "{f:#}"
    );
    repo.write(
        "rota/alerts/web.yaml",
        "- { id: site-down, pages: [] }\n- { id: disk-filling, pages: [ooh] }\n",
    );
    once(&repo, "alert-route", "error", "rota/alerts/web.yaml", 2);

    // An entry that refines no rule needs its summary and severity.
    repo.write(
        "rota/alerts/web.yaml",
        "- { id: site-dwon, service: web }\n",
    );
    let found = repo.findings("alert-route");
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn templated_labels_are_reported_not_routed() {
    let repo = rules_repo();
    repo.write(
        "monitoring/web.rules.yml",
        &RULES.replace("{severity: warning}", "{severity: \"{{ $labels.level }}\"}"),
    );
    let f = once(
        &repo,
        "alert-route",
        "warning",
        "monitoring/web.rules.yml",
        13,
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("depends on the series"),
        "{f:#}"
    );
    let disk = alerts(&repo)
        .into_iter()
        .find(|a| a["id"] == "disk-filling")
        .unwrap();
    assert_eq!(disk["routing"], "depends-on-series");
    assert_eq!(disk["receivers"], serde_json::json!([]));
    // The nearest case: a static label with braces-free text is routed.
    let repo = rules_repo();
    assert!(repo.findings("alert-route").is_empty());
}

#[test]
fn a_paging_rule_needs_a_runbook_url_that_leads_to_a_runbook() {
    let repo = rules_repo();
    repo.write(
        "monitoring/web.rules.yml",
        &RULES.replace(
            ", runbook_url: https://example.test/runbooks/Site-Down/",
            "",
        ),
    );
    let f = once(
        &repo,
        "alert-runbook",
        "error",
        "monitoring/web.rules.yml",
        6,
    );
    assert!(
        f["message"].as_str().unwrap().contains("no `runbook_url`"),
        "{f:#}"
    );
    repo.write(
        "monitoring/web.rules.yml",
        &RULES.replace("Site-Down/", "site-up.html"),
    );
    let f = once(
        &repo,
        "alert-runbook",
        "error",
        "monitoring/web.rules.yml",
        10,
    );
    assert!(
        f["message"].as_str().unwrap().contains("runbooks/site-up"),
        "{f:#}"
    );
    repo.write(
        "monitoring/web.rules.yml",
        &RULES.replace(
            "https://example.test/runbooks/Site-Down/",
            "\"https://example.test/runbooks/{{ $value }}\"",
        ),
    );
    once(
        &repo,
        "alert-runbook",
        "warning",
        "monitoring/web.rules.yml",
        10,
    );
    // Templated from static labels: checked for the value they give.
    repo.write("runbooks/web-down.md", RUNBOOK);
    repo.write(
        "monitoring/web.rules.yml",
        &RULES.replace(
            "https://example.test/runbooks/Site-Down/",
            "\"https://example.test/runbooks/{{ $labels.team }}-down\"",
        ),
    );
    assert!(repo.findings("alert-runbook").is_empty());
    // …and reported when the page for that value is missing.
    repo.remove("runbooks/web-down.md");
    let f = once(
        &repo,
        "alert-runbook",
        "error",
        "monitoring/web.rules.yml",
        10,
    );
    assert!(
        f["message"].as_str().unwrap().contains("runbooks/web-down"),
        "{f:#}"
    );
    // The nearest case: a ticket-only rule without a runbook_url (disk-filling) is fine.
    assert!(rules_repo().findings("alert-runbook").is_empty());
}

#[test]
fn receivers_must_be_mapped_and_reached() {
    let repo = rules_repo();
    repo.write(
        "monitoring/am.yml",
        &AM.replace(
            "receiver: pager\n",
            "receiver: pager\n    - matchers: [team=db]\n      receiver: chat\n",
        )
        .replace("  - name: pager\n", "  - name: pager\n  - name: chat\n"),
    );
    let f = once(&repo, "alert-route", "error", "monitoring/am.yml", 7);
    assert!(f["message"].as_str().unwrap().contains("`chat`"), "{f:#}");
    repo.write(
        "rota/config.yaml",
        &format!(
            "{CONFIG}{}",
            ALERTING.replace("tickets: []", "tickets: [], chat: []")
        ),
    );
    assert!(repo.findings("alert-route").is_empty());
    repo.write("monitoring/am.yml", &format!("{AM}  - name: unused\n"));
    let f = once(&repo, "alert-route", "warning", "monitoring/am.yml", 9);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("`unused` is reached by no route"),
        "{f:#}"
    );
}

#[test]
fn runbooks_nothing_links_to_are_reported() {
    let repo = rules_repo();
    repo.write("runbooks/old-queue.md", RUNBOOK);
    once(
        &repo,
        "runbook-linked",
        "warning",
        "runbooks/old-queue.md",
        1,
    );
    repo.write(
        "runbooks/site-down.md",
        &format!("{RUNBOOK}\nSee [the queue](old-queue.md).\n"),
    );
    assert!(repo.findings("runbook-linked").is_empty());
    // Without `alerting.rules`, rota/alerts/ alone: not checked.
    let repo = repo_without_alerting_with_extra_runbook();
    assert!(repo.findings("runbook-linked").is_empty());
}

fn repo_without_alerting_with_extra_runbook() -> TestRepo {
    let repo = repo();
    repo.write("runbooks/old-queue.md", RUNBOOK);
    repo
}

#[test]
fn a_critical_alert_must_reach_a_rota_on_duty_at_every_instant() {
    let repo = rules_repo();
    let office = "time_intervals:\n  - name: office\n    time_intervals:\n      - weekdays: ['monday:friday']\n        times: [{start_time: '09:00', end_time: '17:00'}]\n        location: Europe/London\n";
    repo.write(
        "monitoring/am.yml",
        &format!(
            "{}{office}",
            AM.replace(
                "receiver: pager\n",
                "receiver: pager\n      active_time_intervals: [office]\n"
            )
        ),
    );
    let f = once(
        &repo,
        "alert-coverage",
        "error",
        "monitoring/web.rules.yml",
        9,
    );
    let message = f["message"].as_str().unwrap();
    // Sunday 2026-11-22 (the tests' today) from midnight to Monday 09:00: 33 hours.
    assert!(
        message.contains("alert `site-down`")
            && message.contains("from Sun 2026-11-22 00:00 GMT for 1d 9h")
            && message.contains("`ooh`"),
        "{message}"
    );
    // The nearest case: the same route at every hour.
    repo.write("monitoring/am.yml", &format!("{AM}{office}"));
    assert!(repo.findings("alert-coverage").is_empty());
}

/// kube-prometheus' own PrometheusRule and Alertmanager Secret (tests/fixtures/alerting/,
/// origin in SOURCES.md) read as the catalogue.
#[test]
fn kube_prometheus_rules_and_secret_are_a_catalogue() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/alerting");
    let read = |name: &str| std::fs::read_to_string(fixtures.join(name)).unwrap();
    let repo = TestRepo::new();
    let config = |null: &str| {
        format!(
            "{CONFIG}alerting:\n  rules: [\"monitoring/*.yaml\"]\n  alertmanager: monitoring/secret.yml\n  receivers: {{ \"null\": {null} }}\n  runbook_url: https://runbooks.prometheus-operator.dev/runbooks/\n"
        )
    };
    repo.write("rota/config.yaml", &config("[]"))
        .write(
            "monitoring/alertmanager-prometheusRule.yaml",
            &read("kube-prometheus-alertmanager-prometheusRule.yaml"),
        )
        .write(
            "monitoring/secret.yml",
            &read("kube-prometheus-alertmanager-secret.yaml"),
        );
    // Every alert goes to the `null` receiver: its six critical ones page nobody.
    let (json, _) = repo.check();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 6, "{json:#}");
    assert!(
        findings.iter().all(|f| f["rule"] == "alert-coverage"
            && f["message"]
                .as_str()
                .unwrap()
                .contains("it reaches no rota")),
        "{json:#}"
    );
    let alerts = alerts(&repo);
    assert_eq!(alerts.len(), 8);
    let reload = alerts
        .iter()
        .find(|a| a["alert"] == "AlertmanagerFailedReload")
        .unwrap();
    assert_eq!(reload["id"], "alertmanager-failed-reload");
    assert_eq!(reload["receivers"], serde_json::json!(["null"]));
    assert_eq!(reload["rotas"], serde_json::json!([]));
    // Mapped to a rota, every alert pages it, and none has a runbook in this repository.
    repo.write("rota/config.yaml", &config("ooh"));
    assert!(repo.findings("alert-coverage").is_empty());
    let found = repo.findings("alert-runbook");
    assert_eq!(found.len(), 8, "{found:#?}");
    assert!(
        found.iter().all(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("runbooks/alertmanager/")),
        "{found:#?}"
    );
}
