//! Tests written to kill mutants of the schedule engine (`src/schedule/`) that survived
//! the suite (issue #13). Each names the mutant it kills; the expected instants are
//! worked out by hand in the comments (or taken from docs/data-format.md), never read
//! from the code under test.

use crate::common::*;
use serde_json::Value;

/// Four people, none of whom has left.
const PEOPLE4: &str = "\
- { id: p0, name: P0, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: p1, name: P1, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: p2, name: P2, opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: p3, name: P3, opted_in: true, vetted: 2020-01-01, experienced: true }
";

/// A repository with one 24/7 rota `r` made of `body` (rotation, positions…).
fn rota_repo(body: &str) -> TestRepo {
    let repo = TestRepo::empty();
    repo.write("rota/config.yaml", CONFIG)
        .write("rota/people.yaml", PEOPLE4)
        .write(
            "rota/rotas/r.yaml",
            &format!("name: R\nkind: out-of-hours\nhours: always\n{body}"),
        );
    repo
}

/// `rota now --at AT`: (person, until) of `position` on the only rota.
fn now_holder(repo: &TestRepo, at: &str, position: &str) -> (Value, Value) {
    let now = repo.json(&["now", "--at", at, "--format", "json"]);
    let p = now["rotas"][0]["positions"]
        .as_array()
        .expect("positions")
        .iter()
        .find(|p| p["position"] == position)
        .cloned()
        .unwrap_or_else(|| panic!("no {position}: {now}"));
    (p["person"].clone(), p["until"].clone())
}

#[test]
fn a_hold_ending_just_inside_five_years_has_its_end_and_one_just_outside_has_none() {
    // HOLD_LOOKAHEAD_DAYS = 5 × 365 + 2 → `5 × 365 − 2` or `5 × 365 × 2` (schedule/mod.rs).
    // From 2026-03-01 12:00 UTC, 1827 days reach 2031-03-02 12:00; 1823 days only
    // 2031-02-26 12:00. A one-person rota until 2031-02-27 is held to the end of that day,
    // 2031-02-28 00:00 GMT: within five years, so that is its end. Until 2031-03-05 it is
    // held to 2031-03-06 00:00, past five years: no end planned (docs/data-format.md).
    let solo = |until: &str| {
        format!(
            "rotation: {{ start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0], until: {until} }}\npositions: [{{ name: primary }}]\n"
        )
    };
    let at = "2026-03-01T12:00:00Z";
    assert_eq!(
        now_holder(&rota_repo(&solo("2031-02-27")), at, "primary"),
        (Value::from("p0"), Value::from("2031-02-28T00:00:00Z"))
    );
    assert_eq!(
        now_holder(&rota_repo(&solo("2031-03-05")), at, "primary"),
        (Value::from("p0"), Value::Null)
    );
}

#[test]
fn an_empty_position_names_who_left() {
    // `RotaSchedule::rotation_holder` → `None` (schedule/mod.rs). Carol (members[2] of the
    // 8-person `OOH` rota) is secondary in turn 49 (16–23 December) and primary in turn 50
    // (23–30 December); she leaves on 20 December, so both are empty from the end of that
    // day. The finding names her and points at her in the member list (line 8, column 25:
    // `  members: [alice, bob, carol`).
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace(
            "id: carol, name: Carol, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true",
            "id: carol, name: Carol, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true, left: 2026-12-20",
        ),
    );
    let findings: Vec<(String, Value, Value)> = repo
        .findings("planned-ahead")
        .iter()
        .map(|f| {
            (
                f["message"].as_str().unwrap_or("").to_string(),
                f["line"].clone(),
                f["column"].clone(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        vec![
            (
                "nobody holds `primary` on rota `ooh` from Wed 23 Dec 2026 10:00 GMT to Wed 30 Dec 2026 10:00 GMT (carol left on 2026-12-20) (and 1 more time in the check window)".to_string(),
                Value::from(8),
                Value::from(25)
            ),
            (
                "nobody holds `secondary` on rota `ooh` from Mon 21 Dec 2026 00:00 GMT to Wed 23 Dec 2026 10:00 GMT (carol left on 2026-12-20) (and 1 more time in the check window)".to_string(),
                Value::from(8),
                Value::from(25)
            ),
        ]
    );
}

/// The instant of an RFC 3339 text.
fn instant(text: &str) -> rota::time::Instant {
    rota::time::DateTimeSpec::parse(text)
        .expect("a date-time")
        .resolve(chrono_tz::UTC)
}

/// The schedule of `repo` computed over FROM..TO only.
fn schedule_over(repo: &TestRepo, from: &str, to: &str) -> rota::schedule::Schedule {
    let model = rota::load::resolve::resolve(rota::load::load(repo.path()).expect("loads"));
    rota::schedule::Schedule::compute(
        &model.repo.config,
        &model.repo.people,
        &model.repo.rotas,
        rota::schedule::interval::Interval::new(instant(from), instant(to)),
    )
}

#[test]
fn a_hold_asked_about_outside_the_computed_window_is_computed_there() {
    // `t + TimeDelta::seconds(1)` → `-` in `held_until` (schedule/mod.rs): asked about an
    // instant the schedule was not computed for, it computes that instant. A one-person
    // rota until 2030-06-30 is held to the end of that day: 23:00 UTC (BST).
    let repo = rota_repo(
        "rotation: { start: 2026-01-05, handover: \"10:00\", every: 1w, members: [p0], until: 2030-06-30 }\npositions: [{ name: primary }]\n",
    );
    let schedule = schedule_over(&repo, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z");
    let rs = schedule.rota("r").expect("rota r");
    let t = instant("2027-01-01T12:00:00Z");
    assert!(!rs.range.contains(t), "{:?}", rs.range);
    assert_eq!(
        rs.held_until("primary", t),
        Some(instant("2030-06-30T23:00:00Z"))
    );
}

#[test]
fn a_hold_ends_where_a_gap_between_blocks_begins() {
    // `s.start > end` → `<` in `held_until` (schedule/mod.rs). p0 alone holds primary until
    // the end of 10 March (2026-03-11 00:00 GMT); the next block, p0 again, starts 12
    // March 10:00. The gap between ends the hold.
    let repo = rota_repo(
        "rotation:
  - { start: 2026-03-02, handover: \"10:00\", every: 1w, members: [p0], until: 2026-03-10 }
  - { start: 2026-03-12, until: 2026-06-30 }
positions: [{ name: primary }]
",
    );
    assert_eq!(
        now_holder(&repo, "2026-03-09T12:00:00Z", "primary"),
        (Value::from("p0"), Value::from("2026-03-11T00:00:00Z"))
    );
}

/// How many turns the findings of `rule` stand for: one each, plus their "(and N more
/// time(s) in the check window)".
fn turns_flagged(findings: &[Value]) -> usize {
    findings
        .iter()
        .map(|f| {
            let m = f["message"].as_str().unwrap_or("");
            let more = m
                .split("(and ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            1 + more
        })
        .sum()
}

#[test]
fn first_timers_become_experienced_after_four_turns() {
    // `RotaSchedule::counted_between` → 0 (schedule/history.rs): the turns served between
    // two checked turns would never be added. Nia and oli, new, are the only members of
    // a weekly primary/secondary rota from Wed 25 November: both are on call in every
    // turn, so before turn k each has served k turns. Turns 0 to 3 have no one with 4;
    // from turn 4 (23 December) both are experienced: four turns are flagged.
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!(
            "{PEOPLE}- {{ id: nia, name: Nia, roles: [oncall], opted_in: true, vetted: 2020-01-01 }}\n- {{ id: oli, name: Oli, roles: [oncall], opted_in: true, vetted: 2020-01-01 }}\n"
        ),
    )
    .write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("start: 2026-01-07", "start: 2026-11-25").replace(
            "members: [alice, bob, carol, dan, erin, frank, grace, heidi]",
            "members: [nia, oli]",
        ),
    );
    let findings = repo.findings("first-timer-paired");
    assert_eq!(turns_flagged(&findings), 4, "{findings:#?}");
    assert!(
        findings.iter().any(|f| f["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("nobody experienced is on call in the out-of-hours turn from Wed 25 Nov 2026 10:00 GMT on rota `ooh`: nia (0 before) and oli (0 before)")),
        "{findings:#?}"
    );
}

#[test]
fn turns_covered_by_overrides_count_as_served() {
    // `p.id != person` → `==` in `counted_in` (schedule/history.rs): a person's own
    // overrides would be skipped. Nia, new, covers primary in the four turns from 25
    // November to 23 December by overrides; from 23 December a second block has only nia
    // and oli. Nia has served four out-of-hours turns before it: she is experienced, and
    // nobody is a first-timer without an experienced partner.
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!(
            "{PEOPLE}- {{ id: nia, name: Nia, roles: [oncall], opted_in: true, vetted: 2020-01-01 }}\n- {{ id: oli, name: Oli, roles: [oncall], opted_in: true, vetted: 2020-01-01 }}\n"
        ),
    )
    .write(
        "rota/rotas/ooh.yaml",
        "name: Out of hours
kind: out-of-hours
hours: always
rotation:
  - { start: 2026-01-07, handover: \"10:00\", every: 1w, members: [alice, bob, carol, dan, erin, frank, grace, heidi] }
  - { start: 2026-12-23, members: [nia, oli] }
positions:
  - { name: primary }
  - { name: secondary, offset: 1 }
escalation:
  - { after: 0m, notify: primary }
  - { after: 5m, notify: secondary }
  - { after: 10m, notify: \"person:alice\" }
overrides:
  - { position: primary, from: 2026-11-25T10:00, to: 2026-12-02T10:00, person: nia, replaces: grace }
  - { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: nia, replaces: heidi }
  - { position: primary, from: 2026-12-09T10:00, to: 2026-12-16T10:00, person: nia, replaces: alice }
  - { position: primary, from: 2026-12-16T10:00, to: 2026-12-23T10:00, person: nia, replaces: bob }
",
    );
    assert_eq!(repo.findings("first-timer-paired"), Vec::<Value>::new());
}

#[test]
fn an_hourly_turn_inside_the_spring_gap_is_dropped() {
    // `end > start` → `>=`, and `&&` → `||`, in `turns_in` (schedule/plan.rs). On
    // 2027-03-28 London skips 01:00–02:00 (GMT → BST). Hourly turns from 00:00: turn 0 is
    // 00:00–01:00 GMT; turn 1 (01:00–02:00 local) starts and ends at 01:00Z, the first
    // instant after the gap, so it has no length and is dropped; turn 2 is 02:00–03:00
    // BST = 01:00–02:00Z. Holders members[k % 4]: p0, (p1), p2, p3, then p0.
    let repo = rota_repo(
        "rotation: { start: 2027-03-28, handover: \"00:00\", every: 1h, members: [p0, p1, p2, p3] }\npositions: [{ name: primary }]\n",
    );
    let shifts = repo.json(&[
        "shifts",
        "--from",
        "2027-03-28",
        "--to",
        "2027-03-28",
        "--format",
        "json",
    ]);
    let first: Vec<(String, String, String)> = shifts
        .as_array()
        .expect("a list")
        .iter()
        .take(4)
        .map(|s| {
            (
                s["person"].as_str().unwrap_or("").to_string(),
                s["start"].as_str().unwrap_or("").to_string(),
                s["end"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let row = |p: &str, a: &str, b: &str| (p.to_string(), a.to_string(), b.to_string());
    assert_eq!(
        first,
        vec![
            row("p0", "2027-03-28T00:00:00Z", "2027-03-28T01:00:00Z"),
            row("p2", "2027-03-28T01:00:00Z", "2027-03-28T02:00:00Z"),
            row("p3", "2027-03-28T02:00:00Z", "2027-03-28T03:00:00Z"),
            row("p0", "2027-03-28T03:00:00Z", "2027-03-28T04:00:00Z"),
        ]
    );
}

/// (position, person, start) of every shift from FROM to TO (dates), with `--today` TODAY.
fn shift_rows(repo: &TestRepo, today: &str, from: &str, to: &str) -> Vec<[String; 3]> {
    let out = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(repo.path())
        .args([
            "--today", today, "shifts", "--from", from, "--to", to, "--format", "json",
        ])
        .output()
        .expect("run");
    let shifts: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    shifts
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| ["position", "person", "start"].map(|k| s[k].as_str().unwrap_or("").to_string()))
        .collect()
}

fn rows(expected: &[[&str; 3]]) -> Vec<[String; 3]> {
    expected.iter().map(|r| r.map(str::to_string)).collect()
}

#[test]
fn first_names_who_holds_the_first_position_whatever_its_offset() {
    // In `cycle_shifts` (schedule/plan.rs): `i - lead.offset` → `+`, and
    // `b == 0 || list.is_empty()` → `&&` (which reaches for the block before block 0).
    // One block, `first: p1`, primary at offset 1: the shift is 1 − 1 = 0, so primary in
    // turn k is members[(k + 1) % 4] — p1, then p2. Secondary has a list of its own,
    // [p3, p2, p1, p0], with the same shift 0: p3, then p2.
    let repo = rota_repo(
        "rotation: { start: 2026-03-02, handover: \"10:00\", every: 1w, members: [p0, p1, p2, p3], first: p1 }\npositions: [{ name: primary, offset: 1 }, { name: secondary, members: [p3, p2, p1, p0] }]\n",
    );
    assert_eq!(
        shift_rows(&repo, "2026-03-01", "2026-03-02", "2026-03-10"),
        rows(&[
            ["primary", "p1", "2026-03-02T10:00:00Z"],
            ["secondary", "p3", "2026-03-02T10:00:00Z"],
            ["primary", "p2", "2026-03-09T10:00:00Z"],
            ["secondary", "p2", "2026-03-09T10:00:00Z"],
        ])
    );
}

#[test]
fn a_position_with_its_own_list_carries_on_its_cycle_in_a_new_block() {
    // `a.len() == b.len() && …` → `||` in `cycle_shifts`' `same` (schedule/plan.rs): a list
    // of the same length would pass for the lead's. Block 0 (2 and 9 March): primary
    // [p0, p1, p2, p3][k], secondary [p3, p2, p1, p0][k]: p0/p3, then p1/p2. Block 1 (16
    // March, `first: p3`): primary p3 then p0; secondary carries on after p2, its holder
    // in block 0's last turn: p1, then p0 (docs/data-format.md, "Changing membership").
    let repo = rota_repo(
        "rotation:
  - { start: 2026-03-02, handover: \"10:00\", every: 1w, members: [p0, p1, p2, p3] }
  - { start: 2026-03-16, first: p3 }
positions: [{ name: primary }, { name: secondary, members: [p3, p2, p1, p0] }]
",
    );
    assert_eq!(
        shift_rows(&repo, "2026-03-01", "2026-03-02", "2026-03-24"),
        rows(&[
            ["primary", "p0", "2026-03-02T10:00:00Z"],
            ["secondary", "p3", "2026-03-02T10:00:00Z"],
            ["primary", "p1", "2026-03-09T10:00:00Z"],
            ["secondary", "p2", "2026-03-09T10:00:00Z"],
            ["primary", "p3", "2026-03-16T10:00:00Z"],
            ["secondary", "p1", "2026-03-16T10:00:00Z"],
            ["primary", "p0", "2026-03-23T10:00:00Z"],
            ["secondary", "p0", "2026-03-23T10:00:00Z"],
        ])
    );
}

#[test]
fn a_carried_on_cycle_counts_the_previous_blocks_shift_and_offset() {
    // `cycle_shifts` (schedule/plan.rs): the previous block's shift (`blocks[b - 1]` →
    // `b / 1`), `k_last + prev_shift + offset` (`+` → `-` or `*`), and `i + 1` (`+` → `-`
    // or `*`). Block 0 (`first: p1`, so its shift is 1): primary [p0, p1, p2, p3][(k + 1)
    // % 4] — p1, p2; secondary, offset 3, [p3, p2, p1, p0][(k + 1 + 3) % 4] — p3, p2.
    // Block 1 (16 March, `first: p3`): primary p3, p0; secondary carries on after p2, its
    // holder in block 0's last turn: p1, then p0.
    let repo = rota_repo(
        "rotation:
  - { start: 2026-03-02, handover: \"10:00\", every: 1w, members: [p0, p1, p2, p3], first: p1 }
  - { start: 2026-03-16, first: p3 }
positions: [{ name: primary }, { name: secondary, offset: 3, members: [p3, p2, p1, p0] }]
",
    );
    assert_eq!(
        shift_rows(&repo, "2026-03-01", "2026-03-02", "2026-03-24"),
        rows(&[
            ["primary", "p1", "2026-03-02T10:00:00Z"],
            ["secondary", "p3", "2026-03-02T10:00:00Z"],
            ["primary", "p2", "2026-03-09T10:00:00Z"],
            ["secondary", "p2", "2026-03-09T10:00:00Z"],
            ["primary", "p3", "2026-03-16T10:00:00Z"],
            ["secondary", "p1", "2026-03-16T10:00:00Z"],
            ["primary", "p0", "2026-03-23T10:00:00Z"],
            ["secondary", "p0", "2026-03-23T10:00:00Z"],
        ])
    );
}

#[test]
fn what_an_override_replaced_is_clipped_to_its_span() {
    // `paint` (schedule/plan.rs): deleting `start` or `end` from the `beneath` segment
    // would record the whole turn as replaced. The override takes primary from carol for
    // 24 December 10:00 to 25 December 10:00, inside turn 50 (23–30 December): what it
    // replaced is carol's rotation holding over exactly that day.
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-24T10:00, to: 2026-12-25T10:00, person: grace, replaces: carol }\n"),
    );
    let schedule = schedule_over(&repo, "2026-12-20T00:00:00Z", "2026-12-31T00:00:00Z");
    let rs = schedule.rota("ooh").expect("rota ooh");
    let replaced: Vec<_> = rs.replaced[0]
        .iter()
        .map(|r| {
            (
                r.position,
                r.segment.start,
                r.segment.end,
                r.segment.person.clone(),
                r.segment.source,
            )
        })
        .collect();
    assert_eq!(
        replaced,
        vec![(
            0,
            instant("2026-12-24T10:00:00Z"),
            instant("2026-12-25T10:00:00Z"),
            Some("carol".to_string()),
            rota::schedule::Source::Rotation
        )]
    );
}

#[test]
fn a_cycle_carries_on_from_the_previous_blocks_list_into_a_new_one() {
    // `blocks[b - 1]` → `blocks[b / 1]` for the previous block in `cycle_shifts`
    // (schedule/plan.rs). Block 0 (2 and 9 March): secondary [p3, p2, p1, p0][k] — p3, p2.
    // Block 1 (16 March, `first: p3`) gives secondary a new list [p1, p3, p0, p2]: it
    // carries on after p2, block 0's last holder (9 March), who is last in the new list,
    // so from its start: p1, then p3. Primary: p3, then p0.
    let repo = rota_repo(
        "rotation:
  - { start: 2026-03-02, handover: \"10:00\", every: 1w, members: [p0, p1, p2, p3] }
  - { start: 2026-03-16, first: p3, positions: [{ name: primary }, { name: secondary, members: [p1, p3, p0, p2] }] }
positions: [{ name: primary }, { name: secondary, members: [p3, p2, p1, p0] }]
",
    );
    assert_eq!(
        shift_rows(&repo, "2026-03-01", "2026-03-16", "2026-03-24"),
        rows(&[
            ["primary", "p1", "2026-03-09T10:00:00Z"],
            ["secondary", "p2", "2026-03-09T10:00:00Z"],
            ["primary", "p3", "2026-03-16T10:00:00Z"],
            ["secondary", "p1", "2026-03-16T10:00:00Z"],
            ["primary", "p0", "2026-03-23T10:00:00Z"],
            ["secondary", "p3", "2026-03-23T10:00:00Z"],
        ])
    );
}

#[test]
fn a_cycle_whose_last_holder_left_the_list_carries_on_from_the_same_place() {
    // `None => prev_index + 1` → `-` or `*` in `cycle_shifts` (schedule/plan.rs). Block
    // 0's last secondary holder (9 March) is p2, at index 1 of [p3, p2, p1, p0]. Block 1's
    // secondary list [p0, p1, p3] has no p2, so the cycle carries on from the next place,
    // index 2: p3, then p0.
    let repo = rota_repo(
        "rotation:
  - { start: 2026-03-02, handover: \"10:00\", every: 1w, members: [p0, p1, p2, p3] }
  - { start: 2026-03-16, first: p3, positions: [{ name: primary }, { name: secondary, members: [p0, p1, p3] }] }
positions: [{ name: primary }, { name: secondary, members: [p3, p2, p1, p0] }]
",
    );
    let secondary: Vec<[String; 3]> = shift_rows(&repo, "2026-03-01", "2026-03-16", "2026-03-24")
        .into_iter()
        .filter(|r| r[0] == "secondary")
        .collect();
    assert_eq!(
        secondary,
        rows(&[
            ["secondary", "p2", "2026-03-09T10:00:00Z"],
            ["secondary", "p3", "2026-03-16T10:00:00Z"],
            ["secondary", "p0", "2026-03-23T10:00:00Z"],
        ])
    );
}

#[test]
fn on_duty_outside_the_computed_window_is_answered_from_the_plan() {
    // `RotaPlan::on_duty` → `false`, and `delete !` in it (schedule/plan.rs): asked about
    // an instant the schedule was not computed for, `RotaSchedule::on_duty` asks the plan.
    // A weekday rota, 09:00–17:00 London time, from Monday 4 January 2027 10:00 GMT.
    let repo = TestRepo::empty();
    repo.write("rota/config.yaml", CONFIG)
        .write("rota/people.yaml", PEOPLE4)
        .write(
            "rota/rotas/r.yaml",
            "name: R\nkind: in-hours\nhours:\n  - { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }\nrotation: { start: 2027-01-04, handover: \"10:00\", every: 1w, members: [p0, p1] }\npositions: [{ name: primary }]\n",
        );
    let schedule = schedule_over(&repo, "2027-01-04T00:00:00Z", "2027-01-05T00:00:00Z");
    let rs = schedule.rota("r").expect("rota r");
    // Wednesday 16 June 2027, 12:00 UTC = 13:00 BST: on duty.
    let wednesday = instant("2027-06-16T12:00:00Z");
    assert!(!rs.range.contains(wednesday), "{:?}", rs.range);
    assert!(rs.on_duty(wednesday));
    // Wednesday 16 June 2027, 16:30 UTC = 17:30 BST: the day's duty is over.
    assert!(!rs.on_duty(instant("2027-06-16T16:30:00Z")));
    // Saturday 19 June 2027, noon: no duty at weekends.
    assert!(!rs.on_duty(instant("2027-06-19T12:00:00Z")));
    // Friday 1 January 2027, noon: before the first handover.
    assert!(!rs.on_duty(instant("2027-01-01T12:00:00Z")));
}
