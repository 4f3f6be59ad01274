//! `rota check`: for every rule, a repository that triggers it exactly once, and the
//! rule id, level, file and line of the finding.

use crate::common::*;
use serde_json::Value;

/// Asserts exactly one finding of `rule`, at `file`:`line`, with `level`; returns it.
fn once(repo: &TestRepo, rule: &str, level: &str, file: &str, line: u64) -> Value {
    let found = repo.findings(rule);
    assert_eq!(found.len(), 1, "{rule}: {found:#?}");
    let f = &found[0];
    assert_eq!(f["level"], level, "{f:#}");
    assert_eq!(f["file"], file, "{f:#}");
    assert_eq!(f["line"], line, "{f:#}");
    assert!(f["column"].as_u64().unwrap() >= 1);
    f.clone()
}

#[test]
fn the_base_fixture_and_the_example_repository_pass() {
    let (json, code) = TestRepo::new().check();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(code, 0);
    let out = assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .args([
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "--today",
            TODAY,
            "check",
            "--format",
            "json",
            "--deny-warnings",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn parse() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace("id: bob, name: Bob,", "id: bob, nmae: Bob,"),
    );
    let f = once(&repo, "parse", "error", "rota/people.yaml", 2);
    assert!(f["message"].as_str().unwrap().contains("nmae"), "{f:#}");
    assert_eq!(repo.check().1, 1);
}

#[test]
fn unknown_reference() {
    let repo = TestRepo::new();
    repo.write("rota/leave.yaml", "- { person: alice, from: 2027-06-01, to: 2027-06-02 }\n- { person: zed, from: 2027-06-01, to: 2027-06-02 }\n");
    once(&repo, "unknown-reference", "error", "rota/leave.yaml", 2);
}

#[test]
fn invalid_id() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!("{PEOPLE}- {{ id: Ivy_Smith, name: Ivy }}\n"),
    );
    once(&repo, "invalid-id", "error", "rota/people.yaml", 9);
}

#[test]
fn duplicate_ids_are_invalid_ids() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!("{PEOPLE}- {{ id: alice, name: Alice Again }}\n"),
    );
    once(&repo, "invalid-id", "error", "rota/people.yaml", 9);
}

#[test]
fn hours_stated() {
    let repo = TestRepo::new();
    repo.write("rota/rotas/ooh.yaml", &OOH.replace("hours: always\n", ""));
    once(&repo, "hours-stated", "error", "rota/rotas/ooh.yaml", 1);
}

#[test]
fn repeats() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/spare.yaml",
        "name: Spare\nkind: in-hours\nhours: always\npositions:\n  - { name: primary }\n",
    );
    once(&repo, "repeats", "error", "rota/rotas/spare.yaml", 1);
}

#[test]
fn min_people() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "members: [alice, bob, carol, dan, erin, frank, grace, heidi]",
            "members: [alice, bob, carol, dan, erin]",
        ),
    );
    let f = once(&repo, "min-people", "error", "rota/rotas/ooh.yaml", 8);
    assert!(f["message"].as_str().unwrap().contains("5 people"), "{f:#}");
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "members: [alice, bob, carol, dan, erin, frank, grace, heidi]",
            "members: [alice, bob, carol, dan, erin, frank, grace]",
        ),
    );
    once(&repo, "min-people", "warning", "rota/rotas/ooh.yaml", 8);
}

#[test]
fn max_share() {
    let repo = TestRepo::new();
    // Alice alone on a second 24/7 rota: on call all the time.
    repo.write(
        "rota/rotas/solo.yaml",
        "name: Solo\nkind: out-of-hours\nhours: always\nrotation: { start: 2026-01-07, handover: \"10:00\", every: 1w, members: [alice] }\npositions:\n  - { name: primary }\npolicy: { min_people: 1, ideal_people: 1, min_on_call: 1 }\n",
    );
    let f = once(&repo, "max-share", "error", "rota/rotas/solo.yaml", 4);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("alice is on call 100%"),
        "{f:#}"
    );
}

#[test]
fn shares_of_even_rotas_of_eight_six_and_four() {
    let share = |members: &str| {
        let repo = TestRepo::new();
        repo.write(
            "rota/rotas/ooh.yaml",
            &OOH.replace("alice, bob, carol, dan, erin, frank, grace, heidi", members),
        );
        repo.write(
            "rota/config.yaml",
            &format!("{CONFIG}policy: {{ min_people: 2 }}\n"),
        );
        let report = repo.json(&["report", "--format", "json"]);
        let people = report["people"].as_array().unwrap().clone();
        (people, repo.findings("max-share"))
    };
    let (eight, findings) = share("alice, bob, carol, dan, erin, frank, grace, heidi");
    assert!(eight.iter().all(|p| p["share"] == 0.25), "{eight:#?}");
    assert!(findings.is_empty());
    let (six, findings) = share("alice, bob, carol, dan, erin, frank");
    // The window crosses a clock change, so shares wobble around a third: compare whole percents.
    assert!(
        six.iter()
            .all(|p| (p["share"].as_f64().unwrap() * 100.0).round() == 33.0),
        "{six:#?}"
    );
    assert_eq!(findings.len(), 6);
    assert!(
        findings
            .iter()
            .all(|f| f["level"] == "warning" && f["message"].as_str().unwrap().contains("33%"))
    );
    let (four, findings) = share("alice, bob, carol, dan");
    assert!(four.iter().all(|p| p["share"] == 0.5), "{four:#?}");
    assert_eq!(findings.len(), 4);
    assert!(findings.iter().all(|f| f["level"] == "error"));
}

#[test]
fn share_across_two_rotas_counts_the_duty_hours_of_both() {
    let repo = TestRepo::new();
    // Weekdays: the eight. Weekends: alice and three others, one position.
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "hours: always",
            "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"00:00\", to: \"24:00\" }",
        ),
    );
    repo.write(
        "rota/rotas/weekend.yaml",
        "name: Weekend\nkind: out-of-hours\nhours:\n  - { days: [sat, sun], from: \"00:00\", to: \"24:00\" }\nrotation: { start: 2026-01-07, handover: \"10:00\", every: 1w, members: [alice, bob, carol, dan] }\npositions:\n  - { name: primary }\npolicy: { min_people: 4, ideal_people: 4, min_on_call: 1 }\n",
    );
    let report = repo.json(&["report", "--format", "json"]);
    let share = |p: &str| {
        report["people"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["person"] == p)
            .unwrap()["share"]
            .as_f64()
            .unwrap()
    };
    // Alice: 2 weeks in 8 of weekdays and 1 weekend in 4: a quarter of the whole week,
    // not 35% (which is what dividing by the weekday rota's hours alone would give).
    assert_eq!(share("alice"), 0.25);
    assert_eq!(share("erin"), 0.25);
}

#[test]
fn two_deep() {
    let repo = TestRepo::new();
    // Dan is secondary in turn 50; making him primary too leaves one person on call.
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: dan, replaces: carol }\n"),
    );
    let f = once(&repo, "two-deep", "error", "rota/rotas/ooh.yaml", 17);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Wed 23 Dec 2026 10:00 GMT"),
        "{f:#}"
    );
}

#[test]
fn planned_ahead() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("  every: 1w\n", "  every: 1w\n  until: 2027-01-31\n"),
    );
    once(&repo, "planned-ahead", "error", "rota/rotas/ooh.yaml", 8);
}

#[test]
fn override_valid() {
    let repo = TestRepo::new();
    // Carol holds primary in turn 50, not bob.
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - position: primary\n    from: 2026-12-23T10:00\n    to: 2026-12-30T10:00\n    person: frank\n    replaces: bob\n"),
    );
    let f = once(&repo, "override-valid", "error", "rota/rotas/ooh.yaml", 21);
    assert!(
        f["message"].as_str().unwrap().contains("carol would hold"),
        "{f:#}"
    );
}

#[test]
fn partly_overlapping_overrides_are_invalid_but_nested_ones_are_fine() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with(
            "overrides:
  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: frank, replaces: carol }
  - { position: primary, from: 2026-12-24T10:00, to: 2026-12-25T10:00, person: grace, replaces: frank }
",
        ),
    );
    assert!(repo.findings("override-valid").is_empty());
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with(
            "overrides:
  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-26T10:00, person: frank, replaces: carol }
  - { position: primary, from: 2026-12-25T10:00, to: 2026-12-28T10:00, person: grace, replaces: carol }
",
        ),
    );
    let f = once(&repo, "override-valid", "error", "rota/rotas/ooh.yaml", 18);
    assert!(
        f["message"].as_str().unwrap().contains("partly overlaps"),
        "{f:#}"
    );
}

#[test]
fn leave_conflict_suggests_swap_candidates() {
    let repo = TestRepo::new();
    // Alice is primary in turn 48 (9–16 December).
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-11, note: Dentist }\n",
    );
    let f = once(&repo, "leave-conflict", "error", "rota/leave.yaml", 1);
    let help = f["help"].as_str().unwrap();
    assert!(
        // Erin's nearest turn beyond the neighbours is 51 (30 December, secondary).
        help.starts_with("trade the turn")
            && help.contains("rota swap ooh alice@2026-12-09 erin@2026-12-30"),
        "{help}"
    );
    // Bob (secondary in 48, primary in 49) and heidi (secondary in 47) are busy next to it.
    assert!(!help.contains("bob") && !help.contains("heidi"), "{help}");
}

#[test]
fn leave_outside_duty_hours_is_no_clash() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("hours: always", "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"00:00\", to: \"24:00\" }\n  - { days: [sat], from: \"00:00\", to: \"24:00\" }"),
    );
    // Alice's turn 48 covers Sunday 13 December, but the rota is off duty on Sundays.
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-13, to: 2026-12-13 }\n",
    );
    assert!(repo.findings("leave-conflict").is_empty());
}

#[test]
fn role_cover() {
    let repo = TestRepo::new();
    repo.write("rota/people.yaml", &format!("{PEOPLE}- {{ id: zara, name: Zara, roles: [developer], opted_in: true, vetted: 2020-01-01, experienced: true }}\n"));
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: zara, replaces: carol }\n")
            .replace("- { name: primary }", "- { name: primary, role: oncall }"),
    );
    once(&repo, "role-cover", "error", "rota/rotas/ooh.yaml", 17);
}

#[test]
fn opted_in() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace(
            "id: heidi, name: Heidi, roles: [oncall], opted_in: true,",
            "id: heidi, name: Heidi, roles: [oncall],",
        ),
    );
    let f = once(&repo, "opted-in", "error", "rota/rotas/ooh.yaml", 8);
    assert_eq!(f["column"], 57);
}

#[test]
fn vetted() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace(
            "id: heidi, name: Heidi, roles: [oncall], opted_in: true, vetted: 2020-01-01,",
            "id: heidi, name: Heidi, roles: [oncall], opted_in: true,",
        ),
    );
    once(&repo, "vetted", "error", "rota/rotas/ooh.yaml", 8);
}

#[test]
fn first_timer_paired() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!(
            "{PEOPLE}- {{ id: ivy, name: Ivy, opted_in: true, vetted: 2020-01-01 }}\n- {{ id: jack, name: Jack, opted_in: true, vetted: 2020-01-01 }}\n"
        ),
    );
    // A new rota that starts with two first-timers as primary and secondary.
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("start: 2026-01-07", "start: 2026-12-02")
            .replace(
                "[alice, bob, carol, dan, erin, frank, grace, heidi]",
                "[ivy, jack, carol, dan, erin, frank, grace, heidi]",
            ),
    );
    let f = once(
        &repo,
        "first-timer-paired",
        "error",
        "rota/rotas/ooh.yaml",
        8,
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("ivy (0 before) and jack (0 before)"),
        "{f:#}"
    );
}

#[test]
fn in_hours_first() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!("{PEOPLE}- {{ id: ivy, name: Ivy, opted_in: true, vetted: 2020-01-01 }}\n"),
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "rotation:\n  start: 2026-01-07\n  handover: \"10:00\"\n  every: 1w\n  members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n",
            "rotation:\n  - start: 2026-01-07\n    handover: \"10:00\"\n    every: 1w\n    members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n  - start: 2026-12-02\n    members: [alice, bob, carol, dan, erin, frank, grace, heidi, ivy]\n",
        ),
    );
    repo.write(
        "rota/rotas/day.yaml",
        &OOH.replace("kind: out-of-hours", "kind: in-hours").replace(
            "hours: always",
            "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"10:00\", to: \"18:00\" }",
        ),
    );
    let f = once(
        &repo,
        "in-hours-first",
        "warning",
        "rota/rotas/ooh.yaml",
        10,
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("ivy's first out-of-hours turn"),
        "{f:#}"
    );
}

#[test]
fn back_to_back() {
    let repo = TestRepo::new();
    // Dan: primary in 49 by override, secondary in 50, primary in 51.
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-16T10:00, to: 2026-12-23T10:00, person: dan, replaces: bob }\n"),
    );
    // Blamed on the override that made the streak.
    let f = once(&repo, "back-to-back", "warning", "rota/rotas/ooh.yaml", 17);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("dan is on call in more than 2 consecutive turns"),
        "{f:#}"
    );
    assert_eq!(repo.check().1, 0, "warnings alone pass");
    assert_eq!(
        repo.rota(&["check", "--deny-warnings"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn escalation() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH[..OOH.find("escalation:").unwrap()],
    );
    repo.write(
        "rota/alerts/a.yaml",
        "- { id: site-down, summary: Site down, severity: critical, pages: [ooh] }\n",
    );
    once(&repo, "escalation", "error", "rota/rotas/ooh.yaml", 1);
}

#[test]
fn escalation_chains_are_checked_step_by_step() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "{ after: 5m, notify: secondary }",
            "{ after: 15m, notify: secondary }",
        )
        .replace(
            "{ after: 10m, notify: \"person:alice\" }",
            "{ after: 20m, notify: tertiary }",
        ),
    );
    let found = repo.findings("escalation");
    let lines: Vec<(u64, &str)> = found
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["level"].as_str().unwrap()))
        .collect();
    // 15m after 0m is too slow; `tertiary` is no position; and no level leaves the rota.
    assert_eq!(
        lines,
        vec![(13, "warning"), (14, "error"), (15, "error")],
        "{found:#?}"
    );
}

#[test]
fn contact_privacy() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace(
            "experienced: true }\n- { id: bob",
            "experienced: true, handle: \"07700 900123\" }\n- { id: bob",
        ),
    );
    let f = once(&repo, "contact-privacy", "error", "rota/people.yaml", 1);
    assert_eq!(f["column"], 110);
}

#[test]
fn coverage_gap() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "hours: always",
            "hours:\n  - { days: [mon], from: \"00:00\", to: \"09:00\" }\n  - { days: [mon], from: \"10:00\", to: \"24:00\" }\n  - { days: [tue, wed, thu, fri, sat, sun], from: \"00:00\", to: \"24:00\" }",
        ),
    );
    let f = once(&repo, "coverage-gap", "warning", "rota/rotas/ooh.yaml", 4);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Mon 09:00–Mon 10:00"),
        "{f:#}"
    );
}

#[test]
fn level_overrides_cap_rules_but_not_the_parse_family() {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-11 }\n",
    );
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}rules:\n  leave-conflict: warning\n"),
    );
    let (json, code) = repo.check();
    assert_eq!(code, 0);
    assert_eq!(json["warnings"], 1);
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}rules:\n  leave-conflict: off\n  parse: off\n  no-such-rule: off\n"),
    );
    let (json, code) = repo.check();
    assert_eq!(code, 1);
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["parse", "unknown-reference"], "{json:#}");
}

#[test]
fn explain_knows_every_rule_and_lists_them_for_an_unknown_one() {
    let repo = TestRepo::new();
    for rule in [
        "max-share",
        "two-deep",
        "contact-privacy",
        "coverage-gap",
        "parse",
    ] {
        let text = repo.stdout(&["explain", rule]);
        assert!(
            text.contains("What it checks") && text.contains("Why") && text.contains("How to fix"),
            "{text}"
        );
    }
    let out = repo.rota(&["explain", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("two-deep"));
}

/// The OOH rota with its rotation replaced by `rotation` (the lines under `rotation:`).
fn ooh_rotation(rotation: &str) -> String {
    let start = OOH.find("rotation:\n").unwrap() + "rotation:\n".len();
    let end = OOH.find("positions:").unwrap();
    format!("{}{rotation}{}", &OOH[..start], &OOH[end..])
}

/// A look-ahead may plan at most 2,500 turns of one block: 52 weeks of hourly turns are
/// 52 × 7 × 24 = 8,736, refused at `every` with what would fit instead (`every: 4h` is
/// 2,184 turns; 2,500 hours are 14 whole weeks).
#[test]
fn too_many_turns_ahead_are_refused_at_every() {
    let repo = TestRepo::new();
    repo.write("rota/config.yaml", &format!("{CONFIG}horizon: 52w\n"));
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("every: 1w", "every: 1h"),
    );
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 7);
    assert_eq!(f["column"], 10);
    assert_eq!(
        f["message"],
        "`every: 1h` plans 8,736 turns of rota `ooh` within the look-ahead of 52w (`horizon`); rota plans at most 2,500 turns of a rota ahead"
    );
    assert_eq!(
        f["help"],
        "make turns longer (`every: 4h` plans 2,184 turns) or look less far ahead (`horizon: 14w`)"
    );
    assert_eq!(repo.check().1, 1);
    // The default look-ahead (13 weeks, 90 days to plan ahead) is 13 × 7 × 24 = 2,184
    // hourly turns: allowed.
    repo.write("rota/config.yaml", CONFIG);
    assert_eq!(repo.findings("parse"), Vec::<Value>::new());
}

/// `plan_ahead` longer than `horizon` is the look-ahead that counts, and is named.
#[test]
fn too_many_turns_name_plan_ahead_when_it_looks_further() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}horizon: 4w\npolicy:\n  plan_ahead: 20w\n"),
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("every: 1w", "every: 1h"),
    );
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 7);
    // 20 × 7 × 24 = 3,360 turns.
    assert_eq!(
        f["message"],
        "`every: 1h` plans 3,360 turns of rota `ooh` within the look-ahead of 20w (`plan_ahead`); rota plans at most 2,500 turns of a rota ahead"
    );
}

/// A block of short turns counts only its own span: 20 days of hourly turns (480)
/// between weekly blocks are fine; 120 days (2,880) are not, and the finding points at
/// that block's `every`, not the first block's.
#[test]
fn too_many_turns_count_a_block_up_to_the_next() {
    let repo = TestRepo::new();
    repo.write("rota/config.yaml", &format!("{CONFIG}horizon: 52w\n"));
    let blocks = |days: u64| {
        let end = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Days::new(days);
        ooh_rotation(&format!(
            "  - start: 2026-01-07\n    handover: \"10:00\"\n    every: 1w\n    members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n  - start: 2026-12-01\n    every: 1h\n  - start: {end}\n    every: 1w\n"
        ))
    };
    repo.write("rota/rotas/ooh.yaml", &blocks(20));
    assert_eq!(repo.findings("parse"), Vec::<Value>::new());
    repo.write("rota/rotas/ooh.yaml", &blocks(120));
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 10);
    assert_eq!(
        f["message"],
        "`every: 1h` plans 2,880 turns of rota `ooh` before the next block; rota plans at most 2,500 turns of a rota ahead"
    );
    assert_eq!(
        f["help"],
        "make turns longer (`every: 2h` plans 1,440 turns)"
    );
}

/// Leave for decades clashes only inside the check window (today's turn, 45 from 18
/// November, to 13 weeks ahead, 21 February): alice is secondary in turns 47 (from
/// 2 December) and 55 (27 January) and primary in 48 (9 December) and 56 (3 February).
/// The schedule runs on for a year of share windows; its later turns are not reported.
/// (Found by fuzzing: with every later turn reported and a trade simulated for each, one
/// such leave took 3.6 s of CPU.)
#[test]
fn leave_conflicts_are_reported_in_the_check_window_only() {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-01, to: 2063-10-28 }\n",
    );
    let found = repo.findings("leave-conflict");
    let mut starts: Vec<(&str, &str)> = found
        .iter()
        .map(|f| {
            let m = f["message"].as_str().unwrap();
            let position = if m.contains("as `primary`") {
                "primary"
            } else {
                "secondary"
            };
            let from = m.split(" from ").last().unwrap();
            (position, &from[..from.find(" to ").unwrap()])
        })
        .collect();
    starts.sort();
    assert_eq!(
        starts,
        [
            ("primary", "Wed 03 Feb 2027 10:00 GMT"),
            ("primary", "Wed 09 Dec 2026 10:00 GMT"),
            ("secondary", "Wed 02 Dec 2026 10:00 GMT"),
            ("secondary", "Wed 27 Jan 2027 10:00 GMT"),
        ],
        "{found:#?}"
    );
}

/// A block ends at its `until` (its last day) when that comes before the next block:
/// hourly turns from 1 December to 30 March are 120 days, 2,880 turns. With `horizon`
/// and `plan_ahead` both beyond what hourly turns allow, the advice names both.
#[test]
fn too_many_turns_end_at_until_and_name_every_look_ahead_key() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}horizon: 52w\npolicy:\n  plan_ahead: 20w\n"),
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_rotation(
            "  - start: 2026-01-07\n    handover: \"10:00\"\n    every: 1w\n    members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n  - start: 2026-12-01\n    every: 1h\n    until: 2027-03-30\n  - start: 2027-06-01\n    every: 1w\n",
        ),
    );
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 10);
    assert_eq!(
        f["message"],
        "`every: 1h` plans 2,880 turns of rota `ooh` before its `until`; rota plans at most 2,500 turns of a rota ahead"
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("every: 1w", "every: 1h"),
    );
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 7);
    assert_eq!(
        f["help"],
        "make turns longer (`every: 4h` plans 2,184 turns) or look less far ahead (`horizon: 14w` and `plan_ahead: 14w`)"
    );
}

/// A clash that runs past the end of the check window (21 February) is reported whole:
/// carol is primary in turn 58, from 17 February 10:00 to 24 February 10:00, and on leave
/// from the 18th to the 25th.
#[test]
fn a_leave_clash_across_the_window_end_is_reported_whole() {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: carol, from: 2027-02-18, to: 2027-02-25 }\n",
    );
    let f = once(&repo, "leave-conflict", "error", "rota/leave.yaml", 1);
    let m = f["message"].as_str().unwrap();
    assert!(
        m.ends_with(
            "as `primary` on rota `ooh` from Thu 18 Feb 2027 00:00 GMT to Wed 24 Feb 2027 10:00 GMT"
        ),
        "{m}"
    );
}

/// The advice, worked by hand at its edges: with two-hour turns 2,500 turns are
/// 5,000 hours, 29 whole weeks; a `plan_ahead` of exactly that many weeks is not named;
/// `horizon` and `plan_ahead` alike, the horizon is named; a block that ends beyond the
/// look-ahead is counted over the look-ahead.
#[test]
fn too_many_turns_advice_at_its_edges() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}horizon: 52w\npolicy:\n  plan_ahead: 29w\n"),
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("every: 1w", "every: 2h"),
    );
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 7);
    assert_eq!(
        f["message"],
        "`every: 2h` plans 4,368 turns of rota `ooh` within the look-ahead of 52w (`horizon`); rota plans at most 2,500 turns of a rota ahead"
    );
    assert_eq!(
        f["help"],
        "make turns longer (`every: 4h` plans 2,184 turns) or look less far ahead (`horizon: 29w`)"
    );
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}horizon: 40w\npolicy:\n  plan_ahead: 40w\n"),
    );
    // 40 × 7 × 12 = 3,360 turns.
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 7);
    assert_eq!(
        f["message"],
        "`every: 2h` plans 3,360 turns of rota `ooh` within the look-ahead of 40w (`horizon`); rota plans at most 2,500 turns of a rota ahead"
    );
    // A block whose `until` lies beyond the look-ahead is counted over the look-ahead.
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("every: 1w", "every: 2h\n  until: 2030-01-01"),
    );
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 7);
    assert_eq!(
        f["message"],
        "`every: 2h` plans 3,360 turns of rota `ooh` within the look-ahead of 40w (`horizon`); rota plans at most 2,500 turns of a rota ahead"
    );
}

/// A block ends at the next block when its `until` comes later; and the suggested turn
/// is the shortest that fits, counted up: a block of four-hour turns 625 days long
/// (15,000 hours: 3,750 turns) fits in six-hour turns exactly (2,500).
#[test]
fn too_many_turns_in_a_block_cut_by_the_next() {
    let repo = TestRepo::new();
    repo.write("rota/config.yaml", &format!("{CONFIG}horizon: 100w\n"));
    let next = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() + chrono::Days::new(625);
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_rotation(&format!(
            "  - start: 2026-01-07\n    handover: \"10:00\"\n    every: 1w\n    members: [alice, bob, carol, dan, erin, frank, grace, heidi]\n  - start: 2026-12-01\n    every: 4h\n    until: 2031-01-01\n  - start: {next}\n    every: 1w\n"
        )),
    );
    let f = once(&repo, "parse", "error", "rota/rotas/ooh.yaml", 10);
    assert_eq!(
        f["message"],
        "`every: 4h` plans 3,750 turns of rota `ooh` before the next block; rota plans at most 2,500 turns of a rota ahead"
    );
    assert_eq!(
        f["help"],
        "make turns longer (`every: 6h` plans 2,500 turns)"
    );
}

/// The trades offered for alice's turn 56 (primary from 3 February) each take the
/// candidate's nearest turn from today on, before or after: dan's 58 (secondary, 17
/// February; his 51 is five turns away) and frank's 53 (primary, 13 January; his 60 is
/// four away). Bob and heidi are busy next to it (57 and 55).
#[test]
fn leave_trades_take_each_candidates_nearest_turn() {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2027-02-04, to: 2027-02-05 }\n",
    );
    let f = once(&repo, "leave-conflict", "error", "rota/leave.yaml", 1);
    let help = f["help"].as_str().unwrap();
    assert!(
        help.contains("`rota swap ooh alice@2027-02-03 dan@2027-02-17`")
            && help.contains("`rota swap ooh alice@2027-02-03 frank@2027-01-13`"),
        "{help}"
    );
    assert!(!help.contains("bob") && !help.contains("heidi"), "{help}");
}

/// The rules `rota now` runs for its note: only those that can find an error. They find
/// every error the whole check finds — with a rule at its own level and capped to a
/// warning in `rules:` — and none of the rules whose worst finding is a warning runs.
#[test]
fn the_errors_only_check_finds_every_error_and_runs_no_warning_rule() {
    use rota::finding::Level;
    use rota::pipeline::{Options, check};
    fn both(
        root: &std::path::Path,
        today: &str,
    ) -> (Vec<rota::finding::Finding>, Vec<rota::finding::Finding>) {
        let model = rota::load::resolve::resolve(rota::load::load(root).expect("loads"));
        let today = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        let clock = rota::time::Clock {
            now: rota::time::start_of_day(model.repo.config.timezone, today),
            today,
        };
        let every = Options::checking(clock, rota::rules::TradeAdvice::Skip);
        let errors_only = Options {
            errors_only: true,
            ..every.clone()
        };
        (
            check(&model, &every).findings,
            check(&model, &errors_only).findings,
        )
    }
    let errors = |findings: &[rota::finding::Finding]| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .map(|f| format!("{:?} {:?} {}", f.rule, f.loc, f.message))
            .collect()
    };
    // The example: no error, and a warning of a rule the note has no need of.
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (every, errors_only) = both(example, "2026-12-04");
    assert!(
        every
            .iter()
            .any(|f| f.rule.default_level() == Level::Warning)
    );
    assert!(
        errors_only
            .iter()
            .all(|f| f.rule.default_level() == Level::Error)
    );
    assert_eq!(errors(&every), errors(&errors_only));
    // Errors: a leave conflict and a leave entry for nobody; then the conflict capped.
    for rules in ["", "rules:\n  leave-conflict: warning\n"] {
        let repo = TestRepo::new();
        repo.write(
            "rota/leave.yaml",
            "- { person: alice, from: 2026-12-10, to: 2026-12-11 }\n- { person: zed, from: 2026-12-01, to: 2026-12-02 }\n",
        );
        repo.write("rota/config.yaml", &format!("{CONFIG}{rules}"));
        let (every, errors_only) = both(repo.path(), "2026-12-01");
        assert!(!errors(&every).is_empty(), "{rules}");
        assert_eq!(errors(&every), errors(&errors_only), "{rules}");
        let conflicts = |f: &[rota::finding::Finding]| {
            f.iter()
                .filter(|f| f.rule == rota::finding::RuleId::LeaveConflict)
                .count()
        };
        if rules.is_empty() {
            assert!(conflicts(&errors_only) > 0);
        } else {
            assert_eq!(conflicts(&errors_only), 0, "a capped rule is not run");
            assert!(conflicts(&every) > 0);
        }
    }
}
