//! End-to-end tests of `rota now` and `rota shifts` on small repositories: clock
//! changes, bank holidays, trades, membership changes and other time zones.

use crate::common::*;

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
    // Neither file is read (tests/testsuite/cli/now.rs), so `now` has nothing to note.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(repo.check().1, 1);
    // `review` reads runbooks: it refuses.
    assert_eq!(
        repo.rota(&["review"]).output().unwrap().status.code(),
        Some(1)
    );
}

// ---- The engine's semantics (issue #14 and friends), Europe/London throughout. In
// January to March London is on GMT, so local times equal UTC there; from 29 March 2026
// and 28 March 2027 it is on BST (UTC+1). ----

const PEOPLE_P: &str = "\
- { id: p0, name: P0, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: p1, name: P1, opted_in: true, vetted: 2020-01-01, experienced: true, left: 2026-03-11 }
- { id: p2, name: P2, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: p3, name: P3, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: p9, name: P9, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: x0, name: X0, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: x1, name: X1, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: x2, name: X2, opted_in: true, vetted: 2020-01-01, experienced: true }
";

/// A repository whose only rota `r` is `rotation` + `rest` (24/7, out of hours).
fn rota_repo(body: &str) -> TestRepo {
    let repo = TestRepo::empty();
    repo.write("rota/config.yaml", CONFIG)
        .write("rota/people.yaml", PEOPLE_P)
        .write(
            "rota/rotas/r.yaml",
            &format!("name: R\nkind: out-of-hours\nhours: always\n{body}"),
        );
    repo
}

/// (position, person, start, end, source) of every shift from FROM to TO.
fn shift_rows(repo: &TestRepo, from: &str, to: &str) -> Vec<[String; 5]> {
    let shifts = repo.json(&["shifts", "--from", from, "--to", to, "--format", "json"]);
    shifts
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            ["position", "person", "start", "end", "source"]
                .map(|k| s[k].as_str().unwrap().to_string())
        })
        .collect()
}

fn row(position: &str, person: &str, start: &str, end: &str, source: &str) -> [String; 5] {
    [position, person, start, end, source].map(str::to_string)
}

fn rota_now(now: &serde_json::Value) -> &serde_json::Value {
    &now["rotas"][0]
}

#[test]
fn an_override_without_position_takes_only_what_replaces_holds_at_each_instant() {
    let repo = rota_repo(
        "rotation: { start: 2026-03-02, handover: \"10:00\", every: 1d, members: [p0, p1, p2, p3] }
positions: [{ name: primary }, { name: secondary, offset: 1 }]
overrides: [{ from: 2026-03-02T12:00, to: 2026-03-03T12:00, person: p9, replaces: p1 }]
",
    );
    // Turn 0 (2 March 10:00 → 3 March 10:00): primary p0, secondary p1.
    // Turn 1 (3 March 10:00 → 4 March 10:00): primary p1, secondary p2.
    let now = now(&repo, "2026-03-02T15:00:00Z");
    assert_eq!(
        holder(&now, "r", "primary"),
        ("p0".into(), "2026-03-03T10:00:00Z".into())
    );
    assert_eq!(
        holder(&now, "r", "secondary"),
        ("p9".into(), "2026-03-03T10:00:00Z".into())
    );
    assert_eq!(
        shift_rows(&repo, "2026-03-02", "2026-03-03"),
        vec![
            row(
                "primary",
                "p0",
                "2026-03-02T10:00:00Z",
                "2026-03-03T10:00:00Z",
                "rotation"
            ),
            row(
                "secondary",
                "p1",
                "2026-03-02T10:00:00Z",
                "2026-03-02T12:00:00Z",
                "rotation"
            ),
            row(
                "secondary",
                "p9",
                "2026-03-02T12:00:00Z",
                "2026-03-03T10:00:00Z",
                "override"
            ),
            row(
                "primary",
                "p9",
                "2026-03-03T10:00:00Z",
                "2026-03-03T12:00:00Z",
                "override"
            ),
            row(
                "secondary",
                "p2",
                "2026-03-03T10:00:00Z",
                "2026-03-04T10:00:00Z",
                "rotation"
            ),
            row(
                "primary",
                "p1",
                "2026-03-03T12:00:00Z",
                "2026-03-04T10:00:00Z",
                "rotation"
            ),
        ]
    );
    // "Cover all of p1's duties" is a valid override.
    assert_eq!(
        repo.findings("override-valid"),
        Vec::<serde_json::Value>::new()
    );
}

const WEEKLY: &str =
    "rotation: { start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0, p1, p2, p3] }
positions: [{ name: primary }]
";

#[test]
fn until_is_the_end_of_the_hold_however_far_ahead() {
    let repo = rota_repo(&format!(
        "{WEEKLY}overrides: [{{ position: primary, from: 2026-02-01T12:00, to: 2027-06-01T12:00, person: p9 }}]\n"
    ));
    // 12:00 BST on 1 June 2027 is 11:00 UTC, 15 months ahead.
    let now = now(&repo, "2026-03-01T12:00:00Z");
    assert_eq!(
        holder(&now, "r", "primary"),
        ("p9".into(), "2027-06-01T11:00:00Z".into())
    );
}

#[test]
fn a_hold_that_does_not_end_within_five_years_has_no_end_planned() {
    let solo = "rotation: { start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0] }
positions: [{ name: primary }]
";
    let repo = rota_repo(solo);
    let now_json = now(&repo, "2026-03-01T12:00:00Z");
    let p = &rota_now(&now_json)["positions"][0];
    assert_eq!(p["person"], "p0");
    assert!(p["until"].is_null(), "{p}");
    let text = repo.stdout(&["now", "--at", "2026-03-01T12:00:00Z"]);
    assert!(text.contains("no end planned"), "{text}");
    // With an end 4 years ahead, that end: the end of 30 June 2030 (BST) is 23:00 UTC.
    let repo = rota_repo(&solo.replace("members: [p0]", "members: [p0], until: 2030-06-30"));
    assert_eq!(
        holder(&now(&repo, "2026-03-01T12:00:00Z"), "r", "primary"),
        ("p0".into(), "2030-06-30T23:00:00Z".into())
    );
}

/// `rota now --at AT` (text, with `args` after it), which must hold every one of `lines`.
fn now_text_has(repo: &TestRepo, at: &str, args: &[&str], lines: &[&str]) -> String {
    let text = repo.stdout(&[&["now", "--at", at], args].concat());
    for line in lines {
        assert!(text.contains(line), "at {at}, no {line:?} in:\n{text}");
    }
    text
}

/// A rota of one block `rotation` and one position, `primary`.
fn primary_only(rotation: &str) -> TestRepo {
    rota_repo(&format!(
        "rotation: {rotation}\npositions: [{{ name: primary }}]\n"
    ))
}

#[test]
fn now_text_names_who_is_next_and_when_duty_starts_or_ends_however_far_ahead() {
    // Quarterly turns: turn 0 runs from Mon 5 Jan 2026 10:00 GMT for 13 weeks (91 days)
    // to Mon 6 Apr 10:00 BST (clocks went forward on 29 March), 36 days after 1 March.
    // Always on duty until the end of the block's `until` day, 4 months ahead.
    let repo = primary_only(
        "{ start: 2026-01-05, handover: \"10:00\", every: 13w, members: [p0, p2], until: 2026-06-30 }",
    );
    now_text_has(
        &repo,
        "2026-03-01T12:00:00Z",
        &[],
        &[
            "primary  P0 (p0) until Mon 6 Apr, 10:00 BST, then P2 (p2)\n",
            "R (r) — on duty until Wed 1 Jul, 00:00 BST\n",
        ],
    );
    // A rota that starts in four months: when its first duty begins.
    let repo =
        primary_only("{ start: 2026-07-06, handover: \"10:00\", every: 1w, members: [p0, p2] }");
    now_text_has(
        &repo,
        "2026-03-01T12:00:00Z",
        &[],
        &["R (r) — off duty — from Mon 6 Jul, 10:00 BST\n"],
    );
    // Around the clock with no end: no end of duty is given.
    now_text_has(&repo, "2026-08-01T12:00:00Z", &[], &["R (r) — on duty\n"]);
    // The start is looked for up to a year ahead (366 days, to 2 March 2027 12:00):
    // Monday 22 February 2027 (358 days) is given, Monday 8 March 2027 (372) is not.
    for (start, line) in [
        (
            "2027-02-22",
            "R (r) — off duty — from Mon 22 Feb 2027, 10:00 GMT\n",
        ),
        ("2027-03-08", "R (r) — off duty\n"),
    ] {
        let repo = primary_only(&format!(
            "{{ start: {start}, handover: \"10:00\", every: 1w, members: [p0, p2] }}"
        ));
        now_text_has(&repo, "2026-03-01T12:00:00Z", &[], &[line]);
    }
}

#[test]
fn now_text_says_who_comes_after_nobody_and_that_nobody_follows_an_end() {
    let repo = primary_only(
        "
  - { start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0, p2, p3], until: 2026-03-04 }
  - { start: 2028-03-08, until: 2029-12-31 }",
    );
    // Turn 8 (Mon 2 March 10:00; 8 mod 3 = 2) is p3's, cut at the end of 4 March.
    now_text_has(
        &repo,
        "2026-03-04T12:00:00Z",
        &[],
        &["primary  P3 (p3) until Thu 5 Mar, 00:00 GMT, then nobody\n"],
    );
    // In the gap, 14 months before the second block: its turn 0 is p0's.
    now_text_has(
        &repo,
        "2027-01-01T12:00:00Z",
        &[],
        &["primary  nobody (unfilled) until Wed 8 Mar 2028, 10:00 GMT, then P0 (p0)\n"],
    );
    // After the rota's end nobody is planned: no "until".
    now_text_has(
        &repo,
        "2030-01-02T12:00:00Z",
        &[],
        &["primary  nobody (unfilled)\n"],
    );

    // p1 leaves on 11 March, inside turn 9 (Mon 9 March; 9 mod 4 = 1): nobody from
    // 12 March 00:00 until turn 10 (16 March, p2).
    now_text_has(
        &rota_repo(WEEKLY),
        "2026-03-13T12:00:00Z",
        &[],
        &["primary  nobody (unfilled) until Mon 16 Mar, 10:00 GMT, then P2 (p2)\n"],
    );
}

#[test]
fn who_next_holds_an_empty_position_is_looked_for_five_years_ahead_and_no_further() {
    // A gap from the end of Tue 3 March 2026 to the second block's first handover on
    // Wed 5 March 2031 10:00 GMT: 1,827 days (261 weeks; 2028 is a leap year) after
    // Wed 4 March 2026 10:00 GMT, exactly the five years looked ahead.
    let repo = primary_only(
        "
  - { start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0, p2, p3], until: 2026-03-03 }
  - { start: 2031-03-05, until: 2031-12-31 }",
    );
    now_text_has(
        &repo,
        "2026-03-04T10:00:00Z",
        &[],
        &["primary  nobody (unfilled)\n"],
    );
    now_text_has(
        &repo,
        "2026-03-04T10:01:00Z",
        &[],
        &["primary  nobody (unfilled) until Wed 5 Mar 2031, 10:00 GMT, then P0 (p0)\n"],
    );
}

#[test]
fn now_text_marks_a_holder_on_leave_and_names_who_a_rota_in_the_chain_reaches() {
    // Sun 1 March 2026 is in turn 7 (Mon 23 February; 7 mod 4 = 3): p3, on leave from
    // 28 February to 3 March; turn 8 is p0's.
    let repo = rota_repo(&format!(
        "{WEEKLY}escalation:\n  - {{ after: 0m, notify: primary }}\n  - {{ after: 10m, notify: \"rota:s\" }}\n"
    ));
    repo.write(
        "rota/leave.yaml",
        "- { person: p3, from: 2026-02-28, to: 2026-03-03 }\n- { person: p3, from: 2026-02-20, to: 2026-03-01 }\n",
    )
    .write(
        "rota/rotas/s.yaml",
        "name: S
kind: in-hours
hours: [{ days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }]
rotation: { start: 2026-01-05, handover: \"09:00\", every: 1w, members: [x0, x1] }
positions: [{ name: engineer }]
",
    );
    // S is off duty on a Sunday; on Monday 2 March at 12:00 it is in turn 8 (8 mod 2 =
    // 0): x0 holds its first position.
    now_text_has(
        &repo,
        "2026-03-01T12:00:00Z",
        &["--rota", "r"],
        &[
            "primary  P3 (p3) [on leave to Tue 3 Mar 2026] until Mon 2 Mar, 10:00 GMT, then P0 (p0)\n",
            "escalation: at once: P3 (primary, on leave to Tue 3 Mar 2026) · after 10 min: S (off duty)\n",
        ],
    );
    let text = now_text_has(
        &repo,
        "2026-03-02T12:00:00Z",
        &["--rota", "r"],
        &["escalation: at once: P0 (primary) · after 10 min: S → X0\n"],
    );
    assert!(!text.contains("on leave"), "{text}");
}

#[test]
fn a_gap_between_blocks_is_on_duty_and_unfilled_at_any_distance() {
    let repo = rota_repo(
        "rotation:
  - { start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0, p2, p3], until: 2026-03-04 }
  - { start: 2028-03-08, until: 2029-12-31 }
positions: [{ name: primary }]
",
    );
    for at in [
        "2026-03-05T12:00:00Z",
        "2027-01-01T12:00:00Z",
        "2027-03-20T12:00:00Z",
        "2028-03-08T09:00:00Z",
    ] {
        let now = now(&repo, at);
        let r = rota_now(&now);
        assert_eq!(r["on_duty"], true, "{at}: {r}");
        assert!(r["positions"][0]["person"].is_null(), "{at}: {r}");
    }
    // Block 2's first handover: 10:00 GMT; p0 holds turn 0 until 15 March 10:00.
    let now_json = now(&repo, "2028-03-08T10:00:00Z");
    assert_eq!(rota_now(&now_json)["on_duty"], true);
    assert_eq!(
        holder(&now_json, "r", "primary"),
        ("p0".into(), "2028-03-15T10:00:00Z".into())
    );
    // Before the first handover and after the end of the `until` day: off duty.
    for at in ["2026-01-05T09:59:00Z", "2030-01-01T00:00:00Z"] {
        assert_eq!(rota_now(&now(&repo, at))["on_duty"], false, "{at}");
    }
}

#[test]
fn a_shift_is_split_only_where_its_holder_changes() {
    // p1 (left 2026-03-11) holds turn 9 (9 → 16 March); p9 covers it from 12:00.
    let repo = rota_repo(&format!(
        "{WEEKLY}overrides: [{{ position: primary, from: 2026-03-09T12:00, to: 2026-03-16T10:00, person: p9 }}]\n"
    ));
    let expected = vec![
        row(
            "primary",
            "p0",
            "2026-03-02T10:00:00Z",
            "2026-03-09T10:00:00Z",
            "rotation",
        ),
        row(
            "primary",
            "p1",
            "2026-03-09T10:00:00Z",
            "2026-03-09T12:00:00Z",
            "rotation",
        ),
        row(
            "primary",
            "p9",
            "2026-03-09T12:00:00Z",
            "2026-03-16T10:00:00Z",
            "override",
        ),
    ];
    assert_eq!(shift_rows(&repo, "2026-03-09", "2026-03-15"), expected);
    assert_eq!(shift_rows(&repo, "2026-03-09", "2026-03-11"), expected);
}

#[test]
fn event_uids_carry_the_host_of_base_url() {
    let build = |base_url: &str| {
        let repo = TestRepo::new();
        repo.write(
            "rota/config.yaml",
            &CONFIG.replace("https://example.test/", base_url),
        );
        let out = repo.path().join("public");
        repo.stdout(&["build", "--out", out.to_str().unwrap()]);
        std::fs::read_to_string(out.join("calendars/rotas/ooh.ics")).unwrap()
    };
    // Turn 50 of the OOH rota starts 2026-12-23 10:00 GMT with carol as primary.
    let a = build("https://support.example.org/oncall/");
    assert!(
        a.contains("\r\nUID:20261223T100000Z-ooh-primary-carol@support.example.org\r\n"),
        "{a}"
    );
    let b = build("https://Other.Example.NET:8443/");
    assert!(b.contains("\r\nUID:20261223T100000Z-ooh-primary-carol@other.example.net\r\n"));
    assert!(!a.contains("@rota\r\n") && !b.contains("@rota\r\n"));
}

#[test]
fn first_continues_the_cycle_of_a_position_with_its_own_members() {
    let repo = rota_repo(
        "rotation:
  - { start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0, p2, p3] }
  - { start: 2026-02-02, members: [p0, p2, p3, p9], first: p3 }
positions: [{ name: primary }, { name: ops, members: [x0, x1, x2] }]
",
    );
    // Block 1, turns 0–3 (from 5 January): ops x0, x1, x2, x0 and primary p0, p2, p3, p0.
    // Block 2 carries ops on: x1, then x2; `first: p3` is primary in its first turn.
    let rows = shift_rows(&repo, "2026-01-26", "2026-02-10");
    let ops: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r[0] == "ops")
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("x2", "2026-01-19T10:00:00Z"),
            ("x0", "2026-01-26T10:00:00Z"),
            ("x1", "2026-02-02T10:00:00Z"),
            ("x2", "2026-02-09T10:00:00Z"),
        ]
    );
    let primary: Vec<&str> = rows
        .iter()
        .filter(|r| r[0] == "primary")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(primary, vec!["p3", "p0", "p3", "p9"]);
}

#[test]
fn far_dates_answer_at_once_or_are_refused_with_the_reason() {
    let started = std::time::Instant::now();
    let repo = TestRepo::new();
    let now_json = repo.json(&["now", "--at", "9999-12-31T00:00", "--format", "json"]);
    let r = rota_now(&now_json);
    assert_eq!(r["on_duty"], true);
    assert!(r["positions"][0]["person"].is_string(), "{r}");
    let out = repo
        .rota(&["shifts", "--to", "9999-12-31"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--to 9999-12-31") && err.contains("ten years"),
        "{err}"
    );
    let late = shift_rows(&repo, "9999-12-01", "9999-12-31");
    assert!(late.len() >= 8, "{late:?}");
    // Generous: a debug build answers all of this in well under a second.
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

/// The example repository with its second line hourly from `start`, its members not
/// marked experienced (so experience is counted from their turns).
fn example_with_hourly_second_line(start: &str) -> TestRepo {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = TestRepo::empty();
    for entry in walkdir::WalkDir::new(root.join("rota"))
        .into_iter()
        .chain(walkdir::WalkDir::new(root.join("runbooks")))
        .chain(walkdir::WalkDir::new(root.join("monitoring")))
    {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            repo.write(rel.to_str().unwrap(), &text);
        }
    }
    let second = std::fs::read_to_string(root.join("rota/rotas/second-line.yaml")).unwrap();
    assert!(second.contains("start: 2026-01-05") && second.contains("every: 1w"));
    repo.write(
        "rota/rotas/second-line.yaml",
        &second
            .replace("start: 2026-01-05", &format!("start: {start}"))
            .replace("every: 1w", "every: 1h"),
    );
    let people = std::fs::read_to_string(root.join("rota/people.yaml")).unwrap();
    let mut people = people.clone();
    for who in ["kate", "leo", "mia", "noah"] {
        people = people.replace(
            &format!("experienced: true, handle: \"@{who}\""),
            &format!("experienced: false, handle: \"@{who}\""),
        );
    }
    assert_eq!(people.matches("experienced: false").count(), 4);
    repo.write("rota/people.yaml", &people);
    repo
}

#[test]
fn a_rota_started_long_ago_costs_no_more_than_one_started_last_month() {
    let timed = |repo: &TestRepo| {
        let started = std::time::Instant::now();
        let (json, code) = repo.check();
        (started.elapsed(), json, code)
    };
    let (recent, recent_json, recent_code) = timed(&example_with_hourly_second_line("2026-10-21"));
    for start in ["1990-01-03", "0001-01-01"] {
        let (old, json, code) = timed(&example_with_hourly_second_line(start));
        // A ratio measured side by side, not a time: a walk over every turn since the
        // start costs thousands of times more; a loaded machine slows both alike.
        assert!(
            old.as_secs_f64() <= 5.0 * recent.as_secs_f64() + 0.5,
            "{start}: {old:?} (last month: {recent:?})"
        );
        assert_eq!(code, recent_code);
        assert_eq!(json["findings"], recent_json["findings"], "{start}");
    }
    // `now` and `shifts` there too.
    let repo = example_with_hourly_second_line("0001-01-01");
    let started = std::time::Instant::now();
    let now = now(&repo, "2026-12-24T20:00");
    let shifts = repo.json(&[
        "shifts",
        "--rota",
        "second-line",
        "--from",
        "2026-12-24",
        "--to",
        "2026-12-24",
        "--format",
        "json",
    ]);
    // A guard against a walk from year 1 (minutes), not a target: milliseconds in release.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(holder(&now, "second-line", "engineer").0.len() > 1);
    assert_eq!(shifts.as_array().unwrap().len(), 24);
}

/// The start of every shift of `position` overlapping FROM..TO, with its end.
fn spans(repo: &TestRepo, position: &str, from: &str, to: &str) -> Vec<(String, String, String)> {
    shift_rows(repo, from, to)
        .into_iter()
        .filter(|r| r[0] == position)
        .map(|[_, person, start, end, _]| (person, start, end))
        .collect()
}

#[test]
fn the_schedule_examples_in_the_data_format_guide_hold() {
    // On call starts at the first handover.
    let repo = rota_repo(
        "rotation: { start: 2026-01-07, handover: \"10:00\", every: 1w, members: [p0, p2] }
positions: [{ name: primary }]
",
    );
    let before = now(&repo, "2026-01-07T09:00:00Z");
    assert_eq!(rota_now(&before)["on_duty"], false);
    assert!(rota_now(&before)["positions"][0]["person"].is_null());
    assert_eq!(
        rota_now(&now(&repo, "2026-01-07T10:00:00Z"))["on_duty"],
        true
    );

    // 12-hour turns across the clock changes: 11 and 13 hours.
    let repo = rota_repo(
        "rotation: { start: 2026-03-01, handover: \"10:00\", every: 12h, members: [p0, p2, p3] }
positions: [{ name: primary }]
",
    );
    let spring = spans(&repo, "primary", "2026-03-29", "2026-03-29");
    assert_eq!(spring[0].1, "2026-03-28T22:00:00Z");
    assert_eq!(spring[0].2, "2026-03-29T09:00:00Z");
    let autumn = spans(&repo, "primary", "2026-10-25", "2026-10-25");
    assert_eq!(autumn[0].1, "2026-10-24T21:00:00Z");
    assert_eq!(autumn[0].2, "2026-10-25T10:00:00Z");

    // Hourly from midnight: no 01:00 turn on 29 March; the cycle carries on.
    // Turn 672 (28 days × 24) starts at 00:00: p0; 673 is dropped; 674 is p2's.
    let repo = rota_repo(
        "rotation: { start: 2026-03-01, handover: \"00:00\", every: 1h, members: [p0, p1, p2, p3] }
positions: [{ name: primary }]
",
    );
    let hourly = spans(&repo, "primary", "2026-03-29", "2026-03-29");
    assert_eq!(
        hourly[0..2],
        [
            (
                "p0".into(),
                "2026-03-29T00:00:00Z".into(),
                "2026-03-29T01:00:00Z".into()
            ),
            (
                "p2".into(),
                "2026-03-29T01:00:00Z".into(),
                "2026-03-29T02:00:00Z".into()
            ),
        ]
    );

    // A handover in New York's spring-forward gap moves to 03:00 EDT.
    let repo = rota_repo(
        "timezone: America/New_York
rotation: { start: 2026-03-01, handover: \"02:30\", every: 1d, members: [p0, p2, p3] }
positions: [{ name: primary }]
",
    );
    let ny: Vec<(String, String)> = spans(&repo, "primary", "2026-03-08", "2026-03-09")
        .into_iter()
        .map(|(_, start, end)| (start, end))
        .collect();
    assert_eq!(
        ny,
        vec![
            (
                "2026-03-07T07:30:00Z".to_string(),
                "2026-03-08T07:00:00Z".to_string()
            ),
            (
                "2026-03-08T07:00:00Z".to_string(),
                "2026-03-09T06:30:00Z".to_string()
            ),
            (
                "2026-03-09T06:30:00Z".to_string(),
                "2026-03-10T06:30:00Z".to_string()
            ),
        ]
    );
}

#[test]
fn sixteen_positions_of_prime_list_lengths_do_not_overflow_the_cycle() {
    // lcm(2, 3, 5, …, 53) is about 3.3 × 10^19, past i64: the cycle is capped instead.
    let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];
    let people: String = (0..53)
        .map(|i| format!("- {{ id: m{i}, name: M{i}, opted_in: true, vetted: 2020-01-01, experienced: true }}\n"))
        .collect();
    let positions: String = primes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let members: Vec<String> = (0..*n).map(|j| format!("m{}", (i + j) % 53)).collect();
            format!(
                "  - {{ name: pos{i}, members: [{}] }}\n",
                members.join(", ")
            )
        })
        .collect();
    let repo = TestRepo::empty();
    repo.write("rota/config.yaml", CONFIG)
        .write("rota/people.yaml", &people)
        .write(
            "rota/rotas/wide.yaml",
            &format!(
                "name: Wide\nkind: in-hours\nhours: always\nrotation: {{ start: 2026-01-05, handover: \"10:00\", every: 1w }}\npositions:\n{positions}"
            ),
        );
    let (json, code) = repo.check();
    assert!(code == 0 || code == 1, "{code}: {json}");
    let report = repo.json(&["report", "--format", "json"]);
    assert!(!report["people"].as_array().unwrap().is_empty());
}

#[test]
fn people_whose_turns_never_count_cost_one_walk_back_not_one_per_turn() {
    // Hourly turns from year 1, 24 members: m12 always holds 12:00–13:00, outside the
    // one duty hour (18:00–19:00), so no turn of theirs ever counts; the engine looks back
    // ten years once for them, then only at the turns in between.
    let people: String = (0..24)
        .map(|i| format!("- {{ id: m{i}, name: M{i}, opted_in: true, vetted: 2020-01-01 }}\n"))
        .collect();
    let members: Vec<String> = (0..24).map(|i| format!("m{i}")).collect();
    let repo = TestRepo::empty();
    repo.write("rota/config.yaml", &CONFIG.replace("Europe/London", "UTC"))
        .write("rota/people.yaml", &people)
        .write(
            "rota/rotas/r.yaml",
            &format!(
                "name: R\nkind: out-of-hours\nhours:\n  - {{ days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"19:00\" }}\nrotation: {{ start: 0001-01-01, handover: \"00:00\", every: 1h, members: [{}] }}\npositions: [{{ name: primary }}]\n",
                members.join(", ")
            ),
        );
    let started = std::time::Instant::now();
    let (json, _) = repo.check();
    let elapsed = started.elapsed();
    // A guard, not a target (tens of milliseconds in release): a walk back per turn since
    // year 1 would not finish.
    assert!(elapsed < std::time::Duration::from_secs(60), "{elapsed:?}");
    // m18 serves every weekday: experienced long before today. m12 never is: 0 before.
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "first-timer-paired")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("m12 (0 before)")),
        "{messages:?}"
    );
    assert!(!messages.iter().any(|m| m.contains("m18")), "{messages:?}");
}
