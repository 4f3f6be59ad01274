//! The alert catalogue, services and runbooks: their rules and `rota review`.

mod common;
use common::*;
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
