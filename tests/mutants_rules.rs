//! Tests written to kill mutants that survived the suite (issue #13): a warning at exactly
//! 30% share, nested overrides applied inner-first, and a leave's last day ignored. The
//! expected instants and shares are worked out by hand in the comments, never read from
//! the code under test.

mod common;
use common::*;
use serde_json::Value;

/// Ten people (the eight of `PEOPLE` and two more), all experienced and vetted.
fn ten_people() -> String {
    format!(
        "{PEOPLE}- {{ id: ivan, name: Ivan, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }}
- {{ id: judy, name: Judy, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }}
"
    )
}

/// A 24/7 weekly rota of the ten with `positions` positions at offsets 0, 1, 2…
fn rota_of_ten(positions: usize) -> String {
    let mut y = String::from(
        "name: Out of hours
kind: out-of-hours
hours: always
rotation:
  start: 2026-01-07
  handover: \"10:00\"
  every: 1w
  members: [alice, bob, carol, dan, erin, frank, grace, heidi, ivan, judy]
positions:
",
    );
    for i in 0..positions {
        y.push_str(&format!("  - {{ name: p{i}, offset: {i} }}\n"));
    }
    y.push_str(
        "escalation:
  - { after: 0m, notify: p0 }
  - { after: 5m, notify: p1 }
  - { after: 10m, notify: \"person:alice\" }
",
    );
    y
}

#[test]
fn a_share_of_exactly_30_percent_is_not_warned_about() {
    // Three positions on ten people, weekly: everyone is on call 3 weeks in every 10 —
    // exactly 30%, which is not *above* `ideal_share` (0.3).
    let repo = TestRepo::new();
    repo.write("rota/people.yaml", &ten_people())
        .write("rota/rotas/ooh.yaml", &rota_of_ten(3));
    assert_eq!(repo.findings("max-share"), Vec::<Value>::new());
    // Four positions: 4 weeks in 10 = 40%, above 30% and below 50%: one warning each.
    repo.write("rota/rotas/ooh.yaml", &rota_of_ten(4));
    let findings = repo.findings("max-share");
    assert_eq!(findings.len(), 10, "{findings:#?}");
    assert!(
        findings.iter().all(|f| f["level"] == "warning"),
        "{findings:#?}"
    );
}

/// Primary shifts of `ooh` from 2026-12-23 to 2026-12-31 as (person, start, end).
fn primary_shifts(repo: &TestRepo) -> Vec<(String, String, String)> {
    let json = repo.json(&[
        "shifts",
        "--rota",
        "ooh",
        "--from",
        "2026-12-23",
        "--to",
        "2026-12-31",
        "--format",
        "json",
    ]);
    json.as_array()
        .expect("a list")
        .iter()
        .filter(|s| s["position"] == "primary")
        .map(|s| {
            (
                s["person"].as_str().unwrap_or("").to_string(),
                s["start"].as_str().unwrap_or("").to_string(),
                s["end"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_nested_override_applies_inside_the_one_around_it_in_either_order() {
    // Turn 50 (2026-12-23 10:00 to 12-30 10:00, GMT = UTC) has carol as primary. Frank
    // takes the whole week; inside it grace takes 24th 10:00 to 25th 10:00 from frank.
    let outer = "  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: frank, replaces: carol }\n";
    let inner = "  - { position: primary, from: 2026-12-24T10:00, to: 2026-12-25T10:00, person: grace, replaces: frank }\n";
    let expected = vec![
        (
            "frank".to_string(),
            "2026-12-23T10:00:00Z".to_string(),
            "2026-12-24T10:00:00Z".to_string(),
        ),
        (
            "grace".to_string(),
            "2026-12-24T10:00:00Z".to_string(),
            "2026-12-25T10:00:00Z".to_string(),
        ),
        (
            "frank".to_string(),
            "2026-12-25T10:00:00Z".to_string(),
            "2026-12-30T10:00:00Z".to_string(),
        ),
    ];
    for (first, second) in [(outer, inner), (inner, outer)] {
        let repo = TestRepo::new();
        repo.write(
            "rota/rotas/ooh.yaml",
            &ooh_with(&format!("overrides:\n{first}{second}")),
        );
        let mut shifts = primary_shifts(&repo);
        // Only the shifts inside turn 50 (the list also holds turn 49, which overlaps the
        // 23rd, and turn 51).
        shifts.retain(|(_, start, _)| {
            ("2026-12-23T10:00:00Z".."2026-12-30T10:00:00Z").contains(&start.as_str())
        });
        assert_eq!(shifts, expected, "overrides listed as:\n{first}{second}");
        assert_eq!(repo.findings("override-valid"), Vec::<Value>::new());
    }
}

#[test]
fn leave_counts_its_last_day() {
    // carol is secondary in turn 49 (2026-12-16 10:00 to 12-23 10:00) and primary in
    // turn 50: on call from 2026-12-16 10:00. Leave ending on the 16th (inclusive) overlaps
    // that morning's handover; leave ending on the 15th does not.
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: carol, from: 2026-12-10, to: 2026-12-16, note: Holiday }\n",
    );
    let findings = repo.findings("leave-conflict");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["file"], "rota/leave.yaml");
    assert_eq!(findings[0]["line"], 1);
    repo.write(
        "rota/leave.yaml",
        "- { person: carol, from: 2026-12-10, to: 2026-12-15, note: Holiday }\n",
    );
    assert_eq!(repo.findings("leave-conflict"), Vec::<Value>::new());
}
