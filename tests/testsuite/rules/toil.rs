//! `rota toil`: claim windows, woken and awake pages, work beyond the first hour, the
//! month a window belongs to, and in-hours pages that earn nothing. Expected days are
//! worked out by hand from docs/data-format.md#toil-precisely.

use crate::common::*;
use serde_json::json;

/// An in-hours rota of the eight, Monday to Friday 09:00–17:00 London time.
const DAY: &str = "\
name: Day
kind: in-hours
hours:
  - { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }
rotation:
  start: 2026-01-07
  handover: \"10:00\"
  every: 1w
  members: [alice, bob, carol, dan, erin, frank, grace, heidi]
positions:
  - { name: primary, offset: 4 }
  - { name: secondary, offset: 5 }
";

/// Pages in local London time (BST until 25 October 2026, then GMT).
const PAGES: &str = "\
# September's window takes a page on 1 October: it belongs to September.
- { at: 2026-09-30T23:50, person: alice, alert: site-down, woke: true, worked: 5m }
- { at: 2026-10-01T00:10, person: alice, alert: site-down, worked: 5m }
# Three pages in one hour, and a fourth exactly an hour after the first (a new window).
- { at: 2026-10-10T02:00, person: grace, alert: site-down, worked: 10m }
- { at: 2026-10-10T02:30, person: grace, alert: site-down, woke: true, worked: 10m }
- { at: 2026-10-10T02:59, person: grace, alert: site-down, worked: 10m }
- { at: 2026-10-10T03:00, person: grace, alert: site-down, worked: 10m }
# In hours on a Wednesday (heidi is on the in-hours rota): nothing. After 17:00: 2h05 of work.
- { at: 2026-10-14T11:05, person: heidi, alert: site-down, woke: true, worked: 40m }
- { at: 2026-10-14T17:30, person: heidi, alert: site-down, worked: 125m }
# Ivan is on no in-hours rota: the working day of every in-hours rota counts as in hours.
- { at: 2026-10-14T10:00, person: ivan, alert: site-down, worked: 30m }
- { at: 2026-10-17T10:00, person: ivan, alert: site-down, worked: 30m }
# A window across midnight and the month's end: it belongs to October.
- { at: 2026-10-31T23:30, person: frank, alert: site-down, woke: true, worked: 30m }
- { at: 2026-11-01T00:20, person: frank, alert: site-down, worked: 50m }
";

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    let people =
        format!("{PEOPLE}- {{ id: ivan, name: Ivan, roles: [oncall], vetted: 2020-01-01 }}\n");
    repo.write("rota/people.yaml", &people)
        .write("rota/rotas/day.yaml", DAY)
        .write(
            "rota/alerts/site.yaml",
            "- { id: site-down, summary: Site down, severity: critical }\n",
        )
        .write("rota/pages/2026.yaml", PAGES);
    repo
}

#[test]
fn october_by_hand() {
    let repo = repo();
    // frank: woken, 80 min worked → 0.5 + 0.25 (20 started minutes beyond the first hour).
    // grace: [02:00, 03:00) woken, 30 min → 0.5; 03:00 opens a second window → 0.25.
    // heidi: the 11:05 page is in hours; 17:30 awake, 125 min → 0.25 + 2 × 0.25.
    // ivan: 14 October 10:00 is a weekday in hours; Saturday 17 October → 0.25.
    // alice: her window opened on 30 September.
    let expected = json!({
        "month": "2026-10",
        "people": [
            { "person": "frank", "windows": 1, "days": 0.75 },
            { "person": "grace", "windows": 2, "days": 0.75 },
            { "person": "heidi", "windows": 1, "days": 0.75 },
            { "person": "ivan", "windows": 1, "days": 0.25 },
        ]
    });
    assert_eq!(
        repo.json(&["toil", "--month", "2026-10", "--format", "json"]),
        expected
    );
    // Without --month: the current month (2026-11, today is the 22nd) at the top, and
    // the previous month and the current one under `months`.
    let november = json!({ "month": "2026-11", "people": [] });
    assert_eq!(
        repo.json(&["toil", "--format", "json"]),
        json!({ "month": "2026-11", "people": [], "months": [expected, november] })
    );
}

#[test]
fn by_default_a_page_last_night_is_there_the_morning_after() {
    let repo = repo();
    repo.write(
        "rota/pages/november.yaml",
        "- { at: 2026-11-21T03:00, person: grace, alert: site-down, woke: true, worked: 20m }\n",
    );
    let json = repo.json(&["toil", "--format", "json"]);
    assert_eq!(
        json["people"],
        json!([{ "person": "grace", "windows": 1, "days": 0.5 }])
    );
    assert_eq!(json["months"][0]["month"], "2026-10");
    assert_eq!(
        json["months"][0]["people"].as_array().map(Vec::len),
        Some(4)
    );
    assert_eq!(
        json["months"][1],
        json!({ "month": "2026-11", "people": json["people"] })
    );
    let text = repo.stdout(&["toil"]);
    let october = text.find("TOIL for 2026-10").expect(&text);
    let november = text.find("TOIL for 2026-11").expect(&text);
    assert!(october < november, "{text}");
    assert!(
        text.contains("Sat 21 Nov 2026 03:00 GMT  1 page, woken"),
        "{text}"
    );
    assert_eq!(
        repo.stdout(&["toil", "--format", "csv"]),
        "month,person,windows,days\n2026-10,frank,1,0.75\n2026-10,grace,2,0.75\n\
         2026-10,heidi,1,0.75\n2026-10,ivan,1,0.25\n2026-11,grace,1,0.50\n"
    );
}

#[test]
fn a_window_belongs_to_the_month_of_its_first_page() {
    let repo = repo();
    assert_eq!(
        repo.json(&["toil", "--month", "2026-09", "--format", "json"]),
        json!({ "month": "2026-09", "people": [{ "person": "alice", "windows": 1, "days": 0.5 }] })
    );
    assert_eq!(
        repo.json(&["toil", "--month", "2026-11", "--format", "json"]),
        json!({ "month": "2026-11", "people": [] })
    );
}

#[test]
fn csv_and_text() {
    let repo = repo();
    assert_eq!(
        repo.stdout(&["toil", "--month", "2026-10", "--format", "csv"]),
        "person,windows,days\nfrank,1,0.75\ngrace,2,0.75\nheidi,1,0.75\nivan,1,0.25\n"
    );
    let text = repo.stdout(&["toil", "--month", "2026-10"]);
    assert!(
        text.contains("Sat 10 Oct 2026 02:00 BST  3 pages, woken, 30 min worked: 0.5 day"),
        "{text}"
    );
    assert!(text.contains("Total: 2.5 days"), "{text}");
    assert!(
        repo.stdout(&["toil", "--month", "2026-11"])
            .contains("no TOIL to claim"),
    );
}

#[test]
fn bad_input_is_located_or_refused() {
    let repo = repo();
    for month in ["2026-13", "10-2026", "2026-1", "last"] {
        let out = repo.rota(&["toil", "--month", month]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{month}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--month"));
    }
    repo.write(
        "rota/pages/bad.yaml",
        "- { at: 2026-10-12T02:00, person: nobody, alert: site-down }\n- { at: 2026-10-32T02:00, person: frank, alert: site-down }\n",
    );
    let out = repo.rota(&["toil", "--month", "2026-10"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("rota/pages/bad.yaml:1:"), "{err}");
    assert!(err.contains("unknown person `nobody`"), "{err}");
    assert!(err.contains("rota/pages/bad.yaml:2:"), "{err}");
}
