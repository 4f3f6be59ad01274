//! End-to-end tests of `rota now` and `rota shifts` on small repositories: clock
//! changes, bank holidays, trades, membership changes and other time zones.

mod common;
use common::*;

fn now(repo: &TestRepo, at: &str) -> serde_json::Value {
    repo.json(&["now", "--at", at, "--format", "json"])
}

/// The primary shift of the one turn overlapping FROM..TO.
fn primary_shift(repo: &TestRepo, from: &str, to: &str) -> serde_json::Value {
    let shifts = repo.json(&["shifts", "--from", from, "--to", to, "--format", "json"]);
    let primary = shifts
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["position"] == "primary")
        .unwrap();
    primary.clone()
}

fn holder(now: &serde_json::Value, rota: &str, position: &str) -> (String, String) {
    let r = now["rotas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rota"] == rota)
        .expect("rota");
    let p = r["positions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["position"] == position)
        .expect("position");
    (
        p["person"].as_str().unwrap_or("").to_string(),
        p["until"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn the_example_repository_answers_now() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .args([
            "--root",
            root,
            "now",
            "--at",
            "2026-12-24T20:00",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Heidi covers Carol's Christmas week by override.
    assert_eq!(holder(&json, "out-of-hours", "primary").0, "heidi");
    assert_eq!(holder(&json, "out-of-hours", "secondary").0, "dan");
}

#[test]
fn handover_in_the_week_the_clocks_go_forward() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("start: 2026-01-07", "start: 2026-01-05")
            .replace("\"10:00\"", "\"09:00\""),
    );
    // Monday 29 March 2027 09:00 BST is 08:00Z: at 08:30Z the new turn has begun.
    let before = now(&repo, "2027-03-29T07:59:00Z");
    let after = now(&repo, "2027-03-29T08:30:00Z");
    assert_ne!(
        holder(&before, "ooh", "primary").0,
        holder(&after, "ooh", "primary").0
    );
    assert_eq!(holder(&before, "ooh", "primary").1, "2027-03-29T08:00:00Z");
    // The week before the change (22 → 29 March) is 167 hours long.
    let primary = primary_shift(&repo, "2027-03-23", "2027-03-23");
    assert_eq!(primary["start"], "2027-03-22T09:00:00Z");
    assert_eq!(primary["end"], "2027-03-29T08:00:00Z");
    // And the week the clocks go back is 169 hours long.
    let primary = primary_shift(&repo, "2026-10-20", "2026-10-20");
    assert_eq!(primary["start"], "2026-10-19T08:00:00Z");
    assert_eq!(primary["end"], "2026-10-26T09:00:00Z");
}

#[test]
fn a_bank_holiday_puts_out_of_hours_on_duty_and_in_hours_off() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays: [2026-12-25]\n"),
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "hours: always",
            "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"00:00\", to: \"10:00\" }\n  - { days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"24:00\" }\n  - { days: [sat, sun, holiday], from: \"00:00\", to: \"24:00\" }",
        ),
    );
    repo.write(
        "rota/rotas/day.yaml",
        &OOH.replace("kind: out-of-hours", "kind: in-hours").replace(
            "hours: always",
            "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"10:00\", to: \"18:00\" }",
        ),
    );
    let on_duty = |json: &serde_json::Value, rota: &str| {
        json["rotas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rota"] == rota)
            .unwrap()["on_duty"]
            .as_bool()
            .unwrap()
    };
    // Friday 25 December, noon: a holiday.
    let christmas = now(&repo, "2026-12-25T12:00");
    assert!(on_duty(&christmas, "ooh"));
    assert!(!on_duty(&christmas, "day"));
    // Thursday 24 December, noon: an ordinary working day.
    let eve = now(&repo, "2026-12-24T12:00");
    assert!(!on_duty(&eve, "ooh"));
    assert!(on_duty(&eve, "day"));
    // Positions are listed off duty too.
    assert_eq!(holder(&eve, "ooh", "primary").0, "carol");
}

#[test]
fn a_two_way_trade_made_with_two_overrides() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with(
            "overrides:
  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: heidi, replaces: carol, reason: Christmas }
  - { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: carol, replaces: heidi }
",
        ),
    );
    assert_eq!(
        holder(&now(&repo, "2026-12-24T12:00"), "ooh", "primary").0,
        "heidi"
    );
    assert_eq!(
        holder(&now(&repo, "2026-12-03T12:00"), "ooh", "primary").0,
        "carol"
    );
    // Untouched weeks keep the rotation.
    assert_eq!(
        holder(&now(&repo, "2026-12-31T12:00"), "ooh", "primary").0,
        "dan"
    );
    let shifts = repo.json(&[
        "shifts",
        "--person",
        "heidi",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
    ]);
    let sources: Vec<(&str, &str)> = shifts
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["start"].as_str().unwrap(), s["source"].as_str().unwrap()))
        .collect();
    assert!(
        sources.contains(&("2026-12-23T10:00:00Z", "override")),
        "{sources:?}"
    );
    // Heidi's own primary week (2–9 December) went to carol.
    assert!(
        !sources.iter().any(|(s, _)| *s == "2026-12-02T10:00:00Z"),
        "{sources:?}"
    );
    let (json, code) = repo.check();
    assert_eq!(code, 0, "{json:#}");
}

#[test]
fn an_override_cuts_a_shift_in_three_and_the_csv_says_so() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-24T18:00, to: 2026-12-26T18:00, person: heidi, replaces: carol }\n"),
    );
    let csv = repo.stdout(&[
        "shifts",
        "--rota",
        "ooh",
        "--from",
        "2026-12-24",
        "--to",
        "2026-12-27",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.lines().filter(|l| l.contains(",primary,")).collect();
    assert_eq!(
        lines,
        vec![
            "ooh,primary,carol,2026-12-23T10:00:00Z,2026-12-24T18:00:00Z,rotation",
            "ooh,primary,heidi,2026-12-24T18:00:00Z,2026-12-26T18:00:00Z,override",
            "ooh,primary,carol,2026-12-26T18:00:00Z,2026-12-30T10:00:00Z,rotation",
        ]
    );
    assert!(csv.starts_with("rota,position,person,start,end,source\n"));
    // `until` is the end of carol's unbroken hold: the override start.
    assert_eq!(
        holder(&now(&repo, "2026-12-24T12:00"), "ooh", "primary").1,
        "2026-12-24T18:00:00Z"
    );
}

#[test]
fn a_membership_change_from_a_date_leaves_earlier_turns_untouched() {
    let repo = TestRepo::new();
    let before = repo.json(&[
        "shifts",
        "--rota",
        "ooh",
        "--from",
        "2026-11-01",
        "--to",
        "2027-01-05",
        "--format",
        "json",
    ]);
    repo.write(
        "rota/people.yaml",
        &format!("{PEOPLE}- {{ id: ivy, name: Ivy, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }}\n"),
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "rotation:\n  start: 2026-01-07\n  handover: \"10:00\"\n  every: 1w\n  members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n",
            "rotation:\n  - start: 2026-01-07\n    handover: \"10:00\"\n    every: 1w\n    members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n  - start: 2027-01-06\n    members: [alice, bob, carol, dan, erin, frank, grace, heidi, ivy]\n    first: erin\n",
        ),
    );
    let after = repo.json(&[
        "shifts",
        "--rota",
        "ooh",
        "--from",
        "2026-11-01",
        "--to",
        "2027-01-05",
        "--format",
        "json",
    ]);
    assert_eq!(before, after, "turns before the new block must not move");
    // Turn 52 (2027-01-06) would have been erin's primary turn: `first` continues the cycle.
    assert_eq!(
        holder(&now(&repo, "2027-01-07T12:00"), "ooh", "primary").0,
        "erin"
    );
    assert_eq!(
        holder(&now(&repo, "2027-01-07T12:00"), "ooh", "secondary").0,
        "frank"
    );
    // Ivy comes after heidi.
    assert_eq!(
        holder(&now(&repo, "2027-02-03T12:00"), "ooh", "primary").0,
        "ivy"
    );
}

#[test]
fn a_rota_in_another_time_zone() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "kind: out-of-hours",
            "kind: out-of-hours\ntimezone: America/New_York",
        )
        .replace("start: 2026-01-07", "start: 2026-01-05")
        .replace("\"10:00\"", "\"09:00\""),
    );
    // New York springs forward on 14 March 2027: Monday 15 March 09:00 EDT is 13:00Z,
    // while the Monday before, 09:00 EST, is 14:00Z.
    let primary = primary_shift(&repo, "2027-03-10", "2027-03-10");
    assert_eq!(primary["start"], "2027-03-08T14:00:00Z");
    assert_eq!(primary["end"], "2027-03-15T13:00:00Z");
}

#[test]
fn leaving_unfills_later_turns() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace(
            "id: carol, name: Carol,",
            "id: carol, name: Carol, left: 2026-12-24,",
        ),
    );
    let json = now(&repo, "2026-12-27T12:00");
    let (person, until) = holder(&json, "ooh", "primary");
    assert_eq!((person.as_str(), until.as_str()), ("", ""));
    let planned = repo.findings("planned-ahead");
    assert_eq!(planned.len(), 2, "{planned:#?}");
}

#[test]
fn now_refuses_data_with_errors() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace("name: Bob,", "nmae: Bob,"),
    );
    let out = repo.rota(&["now"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rota/people.yaml:2:"), "{err}");
}

#[test]
fn a_shadow_position_is_shown_but_counts_for_no_cover_or_share_rule() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!("{PEOPLE}- {{ id: ivy, name: Ivy, opted_in: true }}\n- {{ id: jack, name: Jack, opted_in: true }}\n"),
    );
    // Ivy and Jack are learning (not yet vetted): they shadow every other week.
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("  - { name: secondary, offset: 1 }\n", "  - { name: secondary, offset: 1 }\n  - { name: shadow, members: [ivy, jack], shadow: true }\n"),
    );
    let json = now(&repo, "2026-12-24T12:00");
    assert_eq!(holder(&json, "ooh", "shadow").0, "ivy");
    let shifts = repo.json(&["shifts", "--person", "ivy", "--format", "json"]);
    assert!(!shifts.as_array().unwrap().is_empty());
    // Not vetted, yet no `vetted` finding; no share for shadows; everyone else still 25%.
    let (json, code) = repo.check();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(code, 0);
    let report = repo.json(&["report", "--format", "json"]);
    let people = report["people"].as_array().unwrap();
    assert!(
        people
            .iter()
            .filter(|p| p["person"] != "ivy" && p["person"] != "jack")
            .all(|p| p["share"] == 0.25),
        "{people:#?}"
    );
}

#[test]
fn now_answers_despite_errors_in_files_it_does_not_read() {
    let repo = TestRepo::new();
    repo.write("runbooks/x.md", "---\ntitle: [unclosed\n---\n# X\n");
    repo.write(
        "rota/alerts/a.yaml",
        "- { id: a, summary: A, severity: urgent }\n",
    );
    let out = repo.rota(&["now", "--format", "json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("note: `rota check` finds 2 errors"));
    // `review` reads runbooks: it refuses.
    assert_eq!(
        repo.rota(&["review"]).output().unwrap().status.code(),
        Some(1)
    );
}
