//! `page-log`: the page log (`rota/pages/`) checked against the rota at each page's
//! instant — a page to someone not on call in a rota the alert pages then, a page dated
//! in the future, and a page outside the paged rota's duty hours are warnings that name
//! who held the rota then (docs/alerting.md, "The page log").

use crate::common::*;
use serde_json::Value;

const RUNBOOK: &str =
    "---\ntitle: Site down\nowner: \"#ops\"\nlast_reviewed: 2026-10-01\n---\n# Site down\n";

/// An in-hours rota of four on weekdays 09:00–17:00, weekly from Wednesday 2026-01-07
/// 10:00; turn 45 (from 2026-11-18) is held by bob.
const IN_HOURS: &str = "\
name: In hours
kind: in-hours
hours:
  - { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }
rotation:
  start: 2026-01-07
  handover: \"10:00\"
  every: 1w
  members: [alice, bob, carol, dan]
positions:
  - { name: developer }
escalation:
  - { after: 0m, notify: developer }
";

/// The base repository (the `ooh` rota: turn 45, 2026-11-18 to 11-25, is frank primary
/// and grace secondary, escalating to alice) with an in-hours rota and two hand-written
/// alerts: `site-down` pages `ooh`, `slow-pages` pages `inh`.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("rota/rotas/inh.yaml", IN_HOURS)
        .write(
            "rota/alerts/web.yaml",
            "- { id: site-down, summary: Site down, severity: critical, pages: [ooh], runbook: site-down }\n- { id: slow-pages, summary: Slow, severity: warning, pages: [inh], runbook: site-down }\n",
        )
        .write("runbooks/site-down.md", RUNBOOK);
    repo
}

fn with_page(repo: &TestRepo, page: &str) -> Vec<Value> {
    repo.write("rota/pages/2026-11.yaml", &format!("# November\n{page}\n"));
    repo.findings("page-log")
}

fn one(found: &[Value]) -> String {
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(
        (f["level"].as_str(), f["file"].as_str(), f["line"].as_u64()),
        (Some("warning"), Some("rota/pages/2026-11.yaml"), Some(2)),
        "{f:#}"
    );
    f["message"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_page_to_someone_on_call_in_the_paged_rota_passes() {
    let repo = repo();
    for person in ["frank", "grace", "alice"] {
        // frank primary, grace secondary, alice reached by the escalation (`person:alice`).
        let found = with_page(
            &repo,
            &format!("- {{ at: 2026-11-20T02:00, person: {person}, alert: site-down }}"),
        );
        assert!(found.is_empty(), "{person}: {found:#?}");
    }
}

#[test]
fn a_page_to_someone_not_on_call_names_who_was() {
    let repo = repo();
    let message = one(&with_page(
        &repo,
        "- { at: 2026-11-20T02:00, person: bob, alert: site-down }",
    ));
    assert!(
        message.contains("page to `bob` at Fri 2026-11-20 02:00 GMT: `bob` was not on call in `ooh`, which alert `site-down` pages then")
            && message.contains("`ooh` was held by frank (primary), grace (secondary)"),
        "{message}"
    );
    // A week earlier bob held nothing either; one turn later (grace, heidi) neither.
    let message = one(&with_page(
        &repo,
        "- { at: 2026-11-26T02:00, person: frank, alert: site-down }",
    ));
    assert!(
        message.contains("held by grace (primary), heidi (secondary)"),
        "{message}"
    );
}

#[test]
fn a_page_dated_in_the_future_is_reported() {
    let repo = repo();
    // Today is 2026-11-22; frank holds the rota on the 24th as well.
    let message = one(&with_page(
        &repo,
        "- { at: 2026-11-24T02:00, person: frank, alert: site-down }",
    ));
    assert!(
        message.contains("is dated in the future (today is 2026-11-22)")
            && message
                .contains("`ooh` is planned to be held by frank (primary), grace (secondary)"),
        "{message}"
    );
    // The nearest case: a page earlier today is not in the future.
    assert!(
        with_page(
            &repo,
            "- { at: 2026-11-22T02:00, person: frank, alert: site-down }"
        )
        .is_empty()
    );
}

#[test]
fn a_page_outside_the_paged_rotas_duty_hours_is_reported() {
    let repo = repo();
    // Friday 2026-11-20 02:00: bob holds `inh`, which is on duty 09:00–17:00 only.
    let message = one(&with_page(
        &repo,
        "- { at: 2026-11-20T02:00, person: bob, alert: slow-pages }",
    ));
    assert!(
        message.contains("page to `bob` for `slow-pages` at Fri 2026-11-20 02:00 GMT is outside the duty hours of `inh`")
            && message.contains("`inh` was held by bob (developer), off duty then"),
        "{message}"
    );
    // The nearest case: the same page at 11:00, inside the duty hours.
    assert!(
        with_page(
            &repo,
            "- { at: 2026-11-20T11:00, person: bob, alert: slow-pages }"
        )
        .is_empty()
    );
}

const RULES: &str = "groups:
- name: web
  rules:
  - alert: SiteDown
    expr: up == 0
    labels: {severity: critical}
    annotations: {summary: Site down, runbook_url: https://example.test/runbooks/site-down}
";

/// Critical alerts page `ooh` at night only; the rest go to tickets.
const AM: &str = "route:
  receiver: tickets
  routes:
    - matchers: [severity=critical]
      receiver: pager
      active_time_intervals: [nights]
receivers:
  - name: tickets
  - name: pager
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: '00:00', end_time: '08:00'}]
";

#[test]
fn an_alert_read_from_the_rules_pages_the_rotas_its_routes_reach_at_that_instant() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!(
            "{CONFIG}alerting:\n  rules: [monitoring/web.rules.yml]\n  alertmanager: monitoring/am.yml\n  receivers: {{ pager: ooh, tickets: [] }}\n  runbook_url: https://example.test/runbooks/\nrules: {{ alert-coverage: off }}\n"
        ),
    )
    .write("monitoring/web.rules.yml", RULES)
    .write("monitoring/am.yml", AM)
    .write("runbooks/site-down.md", RUNBOOK);
    // At noon the route to `pager` is muted: the alert pages no rota then.
    let message = one(&with_page(
        &repo,
        "- { at: 2026-11-20T12:00, person: frank, alert: site-down }",
    ));
    assert!(
        message.contains("alert `site-down` pages no rota at that time"),
        "{message}"
    );
    // The nearest case: at 02:00 the route notifies, and frank holds `ooh`.
    assert!(
        with_page(
            &repo,
            "- { at: 2026-11-20T02:00, person: frank, alert: site-down }"
        )
        .is_empty()
    );
    // A route that depends on the series is not guessed at: no finding.
    repo.write(
        "monitoring/web.rules.yml",
        &RULES.replace(
            "{severity: critical}",
            "{severity: \"{{ $labels.level }}\"}",
        ),
    );
    assert!(
        with_page(
            &repo,
            "- { at: 2026-11-20T12:00, person: bob, alert: site-down }"
        )
        .is_empty()
    );
}

#[test]
fn explain_knows_page_log() {
    let repo = repo();
    let text = repo.stdout(&["explain", "page-log"]);
    assert!(
        text.contains("TOIL") || text.contains("time off in lieu"),
        "{text}"
    );
}
