//! Tests written to kill mutants that survived the suite (issue #13): a warning at exactly
//! 30% share, nested overrides applied inner-first, and a leave's last day ignored. The
//! expected instants and shares are worked out by hand in the comments, never read from
//! the code under test.

use crate::common::*;
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

// Second round (cargo-mutants over the share, leave and override rules): each test names
// the mutant it kills. The 8-person `OOH` rota: turn k (from 2026-01-07 10:00, weekly) has
// primary members[k % 8] and secondary members[(k + 1) % 8]; turn 46 starts 2026-11-25,
// turn 48 (alice primary, bob secondary) 2026-12-09.

/// The help of each `leave-conflict` finding, in order.
fn leave_helps(repo: &TestRepo) -> Vec<String> {
    repo.findings("leave-conflict")
        .iter()
        .map(|f| f["help"].as_str().unwrap_or("").to_string())
        .collect()
}

fn trades(commands: &[&str]) -> String {
    let rest: Vec<String> = commands[1..].iter().map(|c| format!("`{c}`")).collect();
    format!(
        "trade the turn: `{}` (or {}); each was tried on a copy of the data and adds no finding",
        commands[0],
        rest.join(", ")
    )
}

#[test]
fn at_most_three_trades_are_suggested() {
    // `out.len() == 3 || …` → `&&` (leave.rs, clean_trades). Alice is primary in turn 48
    // and on leave 10–12 December. Turns 47–49 keep heidi, alice, bob and carol busy, so
    // the candidates are dan, erin, frank and grace (equal shares: by name). Each one's
    // nearest turn from today: dan secondary in turn 50 (12-23), erin secondary in 51
    // (12-30), frank secondary in 52 (2027-01-06), grace primary in 46 (11-25). All four
    // trades are clean (grace's was tried with `rota swap` by hand); only three are named.
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-12 }\n",
    );
    assert_eq!(
        leave_helps(&repo),
        vec![trades(&[
            "rota swap ooh alice@2026-12-09 dan@2026-12-23",
            "rota swap ooh alice@2026-12-09 erin@2026-12-30",
            "rota swap ooh alice@2026-12-09 frank@2027-01-06",
        ])]
    );
}

#[test]
fn a_candidate_on_leave_on_the_first_day_of_the_turn_is_not_asked() {
    // `l.to + Days::new(1)` → `-` in `on_leave` (leave.rs): the candidate's leave would end
    // a day before it starts. Duty is 10:00–18:00 on weekdays and handovers are at 18:00,
    // so turn 48 starts Wed 9 December 18:00. Dan is on leave on the 9th only: that day is
    // a day of the turn, so he is not asked, although a trade would put him on call only
    // after that day's duty. The three named are erin (turn 51, 12-30), frank (52,
    // 2027-01-06) and grace (46, 11-25).
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "hours: always",
            "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"10:00\", to: \"18:00\" }",
        )
        .replace("handover: \"10:00\"", "handover: \"18:00\""),
    )
    .write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-12 }\n- { person: dan, from: 2026-12-09, to: 2026-12-09 }\n",
    );
    assert_eq!(
        leave_helps(&repo),
        vec![trades(&[
            "rota swap ooh alice@2026-12-09 erin@2026-12-30",
            "rota swap ooh alice@2026-12-09 frank@2027-01-06",
            "rota swap ooh alice@2026-12-09 grace@2026-11-25",
        ])]
    );
}

/// What a conflict gets once the run's simulations are spent: it says trades were not
/// tried, rather than that none exists.
const NO_TRADE: &str = "trades were not tried (this run already simulated as many as it may, to stay fast): run `rota check` again after fixing the clashes above, or write an override on rota `ooh` (position `primary`, `replaces: ";

#[test]
fn trades_stop_being_simulated_after_24_checks() {
    // `simulations.run += 1` → `*=` (leave.rs): the count would stay 0. Eleven people are
    // each on leave on the Thursday and Friday of their own primary turn, turns 46 to 56
    // (grace, heidi, alice, … alice). Each of the first eight conflicts gets three clean
    // trades: 8 × 3 = 24 simulated checks, MAX_SIMULATIONS. The last three get none, though
    // the last one alone does get trades.
    let members = [
        "alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi",
    ];
    let mut leave = String::new();
    let mut last = String::new();
    for turn in 46..57u64 {
        let start =
            chrono::NaiveDate::from_ymd_opt(2026, 1, 7).unwrap() + chrono::Days::new(7 * turn);
        last = format!(
            "- {{ person: {}, from: {}, to: {} }}\n",
            members[(turn % 8) as usize],
            start + chrono::Days::new(1),
            start + chrono::Days::new(2)
        );
        leave.push_str(&last);
    }
    assert_eq!(
        last,
        "- { person: alice, from: 2027-02-04, to: 2027-02-05 }\n"
    );
    let repo = TestRepo::new();
    repo.write("rota/leave.yaml", &leave);
    let helps = leave_helps(&repo);
    assert_eq!(helps.len(), 11, "{helps:#?}");
    for help in &helps[..8] {
        assert!(help.starts_with("trade the turn: "), "{helps:#?}");
        assert_eq!(help.matches("`rota swap ").count(), 3, "{helps:#?}");
    }
    for help in &helps[8..] {
        assert!(help.starts_with(NO_TRADE), "{helps:#?}");
    }
    repo.write("rota/leave.yaml", &last);
    let alone = leave_helps(&repo);
    assert_eq!(alone.len(), 1, "{alone:#?}");
    assert!(alone[0].starts_with("trade the turn: "), "{alone:#?}");
}

#[test]
fn a_check_without_advice_does_not_claim_there_is_no_trade() {
    // Match guard `SIMULATING.get()` → `false` (leave.rs): without simulations, the help
    // would say no trade works, which nobody has tried.
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-12 }\n",
    );
    let model = rota::load::resolve::resolve(rota::load::load(repo.path()).expect("loads"));
    let today = rota::time::parse_date(TODAY).expect("date");
    let tz = model.repo.config.timezone;
    let clock = rota::time::Clock {
        now: rota::time::start_of_day(tz, today),
        today,
    };
    let leave: Vec<_> = rota::rules::check_without_advice(&model, clock)
        .into_iter()
        .filter(|f| f.rule.as_str() == "leave-conflict")
        .collect();
    assert_eq!(leave.len(), 1, "{leave:#?}");
    assert_eq!(leave[0].help.as_deref().unwrap_or(""), "", "{leave:#?}");
}

#[test]
fn an_override_before_the_first_handover_lies_outside_the_rota() {
    // `o.from < s` → `==` or `<=`, and `||` → `&&` (overrides.rs): a rota without `until`
    // starting Wed 2 December 10:00. An override from that instant is inside it; one
    // starting two days earlier is not.
    let rota = |from: &str| {
        ooh_with(&format!("overrides:\n  - {{ position: primary, from: {from}, to: 2026-12-03T10:00, person: bob }}\n"))
            .replace("start: 2026-01-07", "start: 2026-12-02")
    };
    let repo = TestRepo::new();
    repo.write("rota/rotas/ooh.yaml", &rota("2026-12-02T10:00"));
    assert_eq!(repo.findings("override-valid"), Vec::<Value>::new());
    repo.write("rota/rotas/ooh.yaml", &rota("2026-11-30T10:00"));
    let findings = repo.findings("override-valid");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        findings[0]["message"],
        "this override (Mon 30 Nov 2026 10:00 GMT to Thu 03 Dec 2026 10:00 GMT) lies outside rota `ooh` (first handover Wed 02 Dec 2026 10:00 GMT)"
    );
}

#[test]
fn an_override_may_run_to_the_end_of_the_until_day() {
    // `u + Days::new(1)` → `-`, and `o.to > e` → `==`, `<` or `>=` (overrides.rs): `until`
    // is the rota's last day, and the rota ends at the end of it (docs/data-format.md):
    // 2027-01-31 ends at 2027-02-01 00:00. Overrides ending at 18:00 on the 31st or at
    // that midnight are inside; one ending at 10:00 on 1 February is not.
    let rota = |to: &str| {
        let rota = OOH.replace("  every: 1w\n", "  every: 1w\n  until: 2027-01-31\n");
        format!(
            "{rota}overrides:\n  - {{ position: primary, from: 2027-01-27T10:00, to: {to}, person: bob }}\n"
        )
    };
    let repo = TestRepo::new();
    for inside in ["2027-01-31T18:00", "2027-02-01T00:00"] {
        repo.write("rota/rotas/ooh.yaml", &rota(inside));
        assert_eq!(
            repo.findings("override-valid"),
            Vec::<Value>::new(),
            "{inside}"
        );
    }
    repo.write("rota/rotas/ooh.yaml", &rota("2027-02-01T10:00"));
    let findings = repo.findings("override-valid");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap_or("")
            .ends_with("ends Mon 01 Feb 2027 00:00 GMT)"),
        "{findings:#?}"
    );
}

#[test]
fn replaces_inside_an_outer_override_names_the_outer_holder() {
    // `x.from <= o.from` → `>` in `beneath_counts` (overrides.rs). Turn 50 (23–30
    // December, carol primary): frank takes the whole week, and inside it an override of
    // the 24th 10:00 to the 25th 10:00 says `replaces: carol` — but frank holds primary
    // then (the outer override starts before the inner one).
    let outer = "  - { position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: frank, replaces: carol }\n";
    let inner = "  - { position: primary, from: 2026-12-24T10:00, to: 2026-12-25T10:00, person: grace, replaces: carol }\n";
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with(&format!("overrides:\n{outer}{inner}")),
    );
    let findings = repo.findings("override-valid");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(
        findings[0]["message"],
        "`replaces: carol` but frank would hold `primary` from Thu 24 Dec 2026 10:00 GMT to Fri 25 Dec 2026 10:00 GMT"
    );
}
