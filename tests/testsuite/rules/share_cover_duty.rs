//! `max-share` (per rota and across rotas), `coverage-gap` (only rotas alerts page
//! directly), `double-duty`, and `report`'s share and window, on small repositories whose
//! answers are worked out by hand in the comments.

use crate::common::*;
use serde_json::Value;

/// The first `n` of fourteen experienced, vetted people who opted in.
fn people(n: usize) -> String {
    let names = [
        "alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan", "judy", "kate",
        "leo", "mia", "noah",
    ];
    names[..n]
        .iter()
        .map(|id| {
            format!("- {{ id: {id}, name: {id}, opted_in: true, vetted: 2020-01-01, experienced: true }}\n")
        })
        .collect()
}

/// Weekday 10:00–18:00, the rest of the week out of hours.
const IN_HOURS: &str =
    "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"10:00\", to: \"18:00\" }\n";
const OUT_OF_HOURS: &str = "hours:\n  - { days: [mon, tue, wed, thu, fri], from: \"00:00\", to: \"10:00\" }\n  - { days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"24:00\" }\n  - { days: [sat, sun], from: \"00:00\", to: \"24:00\" }\n";

/// A weekly rota from Wednesday 2026-01-07 10:00: turn k has position i held by
/// members[(k + offset_i) % n].
fn rota(kind: &str, hours: &str, members: &str, positions: &[(&str, i64)]) -> String {
    let mut out = format!(
        "name: R\nkind: {kind}\n{hours}rotation: {{ start: 2026-01-07, handover: \"10:00\", every: 1w, members: [{members}] }}\npositions:\n"
    );
    for (name, offset) in positions {
        out.push_str(&format!("  - {{ name: {name}, offset: {offset} }}\n"));
    }
    let first = positions[0].0;
    out.push_str(&format!(
        "escalation:\n  - {{ after: 0m, notify: {first} }}\n  - {{ after: 5m, notify: \"person:alice\" }}\n"
    ));
    out
}

fn primary_secondary() -> [(&'static str, i64); 2] {
    [("primary", 0), ("secondary", 1)]
}

/// A repository with only `people` and the given rotas (no fixture rota).
fn repo_with(people_count: usize, rotas: &[(&str, String)], config_extra: &str) -> TestRepo {
    let repo = TestRepo::empty();
    repo.write("rota/config.yaml", &format!("{CONFIG}{config_extra}"))
        .write("rota/people.yaml", &people(people_count));
    for (id, text) in rotas {
        repo.write(&format!("rota/rotas/{id}.yaml"), text);
    }
    repo
}

fn messages(found: &[Value]) -> Vec<&str> {
    found
        .iter()
        .map(|f| f["message"].as_str().unwrap_or_default())
        .collect()
}

fn report_row(repo: &TestRepo, person: &str, args: &[&str]) -> Value {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let report = repo.json(&all);
    report["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"] == person)
        .unwrap_or_else(|| panic!("{person} not in {report:#}"))
        .clone()
}

#[test]
fn four_person_out_of_hours_rota_is_an_error_at_50_percent_despite_an_in_hours_rota() {
    // Out of hours: alice, bob, carol, dan with primary and secondary: each on call in 2
    // turns of every 4, i.e. 50% of the out-of-hours duty time (the share window is 16
    // whole weeks: 13 weeks rounded up to the 4-week cycle; no holidays and no clock
    // change between 2026-11-25 and 2027-03-17). Measured across both rotas the in-hours
    // duty time would dilute it below 50%; the share on the one rota counts.
    let repo = repo_with(
        8,
        &[
            (
                "ooh",
                rota(
                    "out-of-hours",
                    OUT_OF_HOURS,
                    "alice, bob, carol, dan",
                    &primary_secondary(),
                ),
            ),
            (
                "ih",
                rota(
                    "in-hours",
                    IN_HOURS,
                    "alice, bob, carol, dan, erin, frank, grace, heidi",
                    &[("primary", 4), ("secondary", 5)],
                ),
            ),
        ],
        "policy: { min_people: 4 }\n",
    );
    let found = repo.findings("max-share");
    let errors: Vec<&Value> = found.iter().filter(|f| f["level"] == "error").collect();
    assert_eq!(errors.len(), 4, "{found:#?}");
    for person in ["alice", "bob", "carol", "dan"] {
        let f = errors
            .iter()
            .find(|f| f["message"].as_str().unwrap().starts_with(person))
            .unwrap_or_else(|| panic!("no error for {person}: {found:#?}"));
        let message = f["message"].as_str().unwrap();
        assert!(
            message.contains("50% of the duty time of rota `ooh`"),
            "{message}"
        );
        assert_eq!(f["file"], "rota/rotas/ooh.yaml");
    }
    // erin..heidi are on the in-hours rota of eight only: 2 of 8 = 25%, no finding.
    assert!(
        found
            .iter()
            .all(|f| !f["message"].as_str().unwrap().starts_with("erin")),
        "{found:#?}"
    );
    // The report names the rota that gives the share.
    let check_row = repo.json(&["report", "--format", "json"]);
    let alice = check_row["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"] == "alice")
        .unwrap()
        .clone();
    assert_eq!(alice["share_of"], "ooh", "{alice:#}");
    let erin = report_row(&repo, "erin", &[]);
    assert_eq!(erin["share_of"], "ih", "{erin:#}");
}

#[test]
fn two_rotas_each_fine_alone_are_an_error_together() {
    // Two 24/7 rotas of four with one position each: alice is on `a` in turns k ≡ 0 and
    // on `b` in turns k ≡ 1 (mod 4): 25% on each, 50% across both (same duty hours, and
    // her turns never overlap).
    let policy = "policy: { min_people: 4, ideal_people: 4, min_on_call: 1 }\n";
    let repo = repo_with(
        7,
        &[
            (
                "a",
                format!(
                    "{}{policy}",
                    rota(
                        "out-of-hours",
                        "hours: always\n",
                        "alice, bob, carol, dan",
                        &[("primary", 0)]
                    )
                ),
            ),
            (
                "b",
                format!(
                    "{}{policy}",
                    rota(
                        "out-of-hours",
                        "hours: always\n",
                        "erin, alice, frank, grace",
                        &[("primary", 0)]
                    )
                ),
            ),
        ],
        "",
    );
    let found = repo.findings("max-share");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["level"], "error");
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "alice is on call 50% of the duty time of all their rotas together (a, b)"
        ),
        "{message}"
    );
    assert_eq!(report_row(&repo, "alice", &[])["share_of"], "all");
    assert_eq!(report_row(&repo, "bob", &[])["share_of"], "a");
}

#[test]
fn exactly_30_percent_is_no_warning_and_a_third_is() {
    // Ten people, three positions (offsets 0, 1, 2), 24/7 weekly: each on call in 3 turns
    // of every 10 = exactly 30% over the 20-week share window (13 weeks rounded up to the
    // 10-week cycle). The ideal is "above 0.3", so no finding.
    let three = [("primary", 0), ("secondary", 1), ("tertiary", 2)];
    let ten = "alice, bob, carol, dan, erin, frank, grace, heidi, ivan, judy";
    let repo = repo_with(
        10,
        &[("ooh", rota("out-of-hours", "hours: always\n", ten, &three))],
        "",
    );
    assert_eq!(repo.findings("max-share"), Vec::<Value>::new());
    assert_eq!(report_row(&repo, "alice", &[])["share_of"], "ooh");
    // Nine people: 3 of 9 = 33%, a warning for everyone.
    let nine = "alice, bob, carol, dan, erin, frank, grace, heidi, ivan";
    let repo = repo_with(
        9,
        &[("ooh", rota("out-of-hours", "hours: always\n", nine, &three))],
        "",
    );
    let found = repo.findings("max-share");
    assert_eq!(found.len(), 9, "{found:#?}");
    assert!(found.iter().all(|f| f["level"] == "warning"));
    assert!(
        messages(&found).iter().all(|m| m.contains(" 33% ")),
        "{found:#?}"
    );
}

/// Out of hours leaving Monday 00:00–10:00 uncovered, in hours 10:00–18:00, and a
/// second line on duty `always`.
fn gap_repo(alert_pages: Option<&str>) -> TestRepo {
    let ooh_hours = "hours:\n  - { days: [tue, wed, thu, fri], from: \"00:00\", to: \"10:00\" }\n  - { days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"24:00\" }\n  - { days: [sat, sun], from: \"00:00\", to: \"24:00\" }\n";
    let eight = "alice, bob, carol, dan, erin, frank, grace, heidi";
    let repo = repo_with(
        12,
        &[
            (
                "ooh",
                rota("out-of-hours", ooh_hours, eight, &primary_secondary()),
            ),
            (
                "ih",
                rota(
                    "in-hours",
                    IN_HOURS,
                    eight,
                    &[("primary", 4), ("secondary", 5)],
                ),
            ),
            (
                "second-line",
                format!(
                    "{}policy: {{ min_people: 4, ideal_people: 4, min_on_call: 1 }}\n",
                    rota(
                        "out-of-hours",
                        "hours: always\n",
                        "ivan, judy, kate, leo",
                        &[("engineer", 0)]
                    )
                ),
            ),
        ],
        "",
    );
    if let Some(pages) = alert_pages {
        repo.write(
            "rota/alerts/a.yaml",
            &format!("- {{ id: site-down, summary: Down, severity: critical, pages: [{pages}], runbook: site-down }}\n"),
        )
        .write(
            "runbooks/site-down.md",
            "---\ntitle: Site down\nowner: \"#ops\"\nlast_reviewed: 2026-10-01\n---\n# Site down\n",
        );
    }
    repo
}

#[test]
fn a_gap_is_reported_although_a_second_line_not_paged_directly_is_on_duty() {
    let repo = gap_repo(Some("ooh, ih"));
    let found = repo.findings("coverage-gap");
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["level"], "warning");
    assert_eq!(f["file"], "rota/rotas/ooh.yaml");
    assert_eq!(f["line"], 4, "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(message.contains("Mon 00:00–Mon 10:00"), "{message}");
    assert!(
        message.contains("`second-line` is on duty then, but no alert pages it directly"),
        "{message}"
    );
}

#[test]
fn a_rota_that_alerts_page_fills_the_gap_and_without_paging_alerts_every_rota_counts() {
    assert_eq!(
        gap_repo(Some("ooh, ih, second-line")).findings("coverage-gap"),
        Vec::<Value>::new()
    );
    assert_eq!(gap_repo(None).findings("coverage-gap"), Vec::<Value>::new());
}

#[test]
fn overlapping_turns_on_two_rotas_are_double_duty_naming_both() {
    // ooh (the fixture, 24/7): turn k has primary members[k % 8], secondary
    // members[(k + 1) % 8]; ih holds members[(k + 4) % 8] and [(k + 5) % 8], so nobody
    // is on both in one week — until the override makes carol ih primary in turn 50
    // (from 2026-12-23 10:00), when she is ooh primary (50 % 8 = 2).
    let eight = "alice, bob, carol, dan, erin, frank, grace, heidi";
    let clean = rota(
        "in-hours",
        IN_HOURS,
        eight,
        &[("primary", 4), ("secondary", 5)],
    );
    let repo = TestRepo::new();
    repo.write("rota/rotas/ih.yaml", &clean);
    assert_eq!(repo.findings("double-duty"), Vec::<Value>::new());
    repo.write(
        "rota/rotas/ih.yaml",
        &format!("{clean}overrides:\n  - {{ position: primary, from: 2026-12-23T10:00, to: 2026-12-30T10:00, person: carol, replaces: grace }}\n"),
    );
    let found = repo.findings("double-duty");
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["level"], "warning");
    // Blamed on the override that made it.
    assert_eq!(f["file"], "rota/rotas/ih.yaml");
    assert_eq!(f["line"], 13, "{f:#}");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains(
            "carol holds `primary` on rota `ih` from Wed 23 Dec 2026 10:00 GMT to Wed 30 Dec 2026 10:00 GMT"
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "`primary` on rota `ooh` from Wed 23 Dec 2026 10:00 GMT to Wed 30 Dec 2026 10:00 GMT"
        ),
        "{message}"
    );
}

#[test]
fn turns_that_only_touch_are_not_double_duty() {
    // carol is ooh secondary in turn 49 (49 % 8 = 1, from 2026-12-16 10:00) and primary
    // in turn 50. The override makes her ih primary in turn 48 (2026-12-09 to 2026-12-16
    // 10:00, replacing (48 + 4) % 8 = erin), which ends as her ooh turn begins.
    let eight = "alice, bob, carol, dan, erin, frank, grace, heidi";
    let clean = rota(
        "in-hours",
        IN_HOURS,
        eight,
        &[("primary", 4), ("secondary", 5)],
    );
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ih.yaml",
        &format!("{clean}overrides:\n  - {{ position: primary, from: 2026-12-09T10:00, to: 2026-12-16T10:00, person: carol, replaces: erin }}\n"),
    );
    assert_eq!(repo.findings("double-duty"), Vec::<Value>::new());
}

#[test]
fn report_default_window_and_the_same_dates_given_explicitly_agree() {
    let repo = TestRepo::new();
    let default = repo.json(&["report", "--format", "json"]);
    let from = default["from"].as_str().unwrap().to_string();
    let to = default["to"].as_str().unwrap().to_string();
    // The fixture's turn in force on 2026-11-22 started on Wednesday 2026-11-18.
    assert_eq!(from, "2026-11-18");
    let explicit = repo.json(&["report", "--format", "json", "--from", &from, "--to", &to]);
    assert_eq!(default, explicit);
    // The text says what the figures cover.
    let text = repo.stdout(&["report"]);
    assert!(
        text.starts_with(&format!(
            "On call from {from} 00:00 to {to} 24:00 (Europe/London)"
        )),
        "{text}"
    );
    assert!(text.contains("share of"), "{text}");
}

#[test]
fn report_hours_over_an_explicit_window_and_the_share_as_max_share_measures_it() {
    // 2026-12-23 (Wed) to 2026-12-29 (Tue), whole days: 7 × 24 = 168 h on the 24/7
    // fixture. Turn 49 (bob, carol) runs to 2026-12-23 10:00 and turn 50 (carol, dan)
    // from then on: carol is on call all 168 h, dan 168 − 10 = 158 h, bob 10 h. The share
    // stays what max-share measures (2 of 8 turns = 25%), whatever the dates.
    let repo = TestRepo::new();
    let args = ["--from", "2026-12-23", "--to", "2026-12-29"];
    let carol = report_row(&repo, "carol", &args);
    assert_eq!(carol["on_call_hours"], 168.0, "{carol:#}");
    assert_eq!(carol["share"], 0.25);
    assert_eq!(carol["share_of"], "ooh");
    let dan = report_row(&repo, "dan", &args);
    assert_eq!(dan["on_call_hours"], 158.0, "{dan:#}");
    assert_eq!(dan["share"], 0.25);
    assert_eq!(report_row(&repo, "bob", &args)["on_call_hours"], 10.0);
    assert_eq!(report_row(&repo, "carol", &[])["share"], 0.25);
}

#[test]
fn report_columns_fit_long_ids() {
    let long = "a-person-with-a-very-long-identifier";
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace("id: alice,", &format!("id: {long},")),
    )
    .write("rota/rotas/ooh.yaml", &OOH.replace("alice", long));
    let text = repo.stdout(&["report"]);
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("person "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(table.len() > 8, "{text}");
    // Every row's share column ends where the header's does.
    let end_of_share = |line: &str| line.find('%').map(|i| i + 1);
    let header_end = table[0].find("share").unwrap() + "share".len();
    for row in &table[1..] {
        assert_eq!(end_of_share(row), Some(header_end), "{text}");
    }
}

#[test]
fn a_rota_of_ten_thousand_members_checks_quickly() {
    // Before member lookups were indexed this took minutes (each person compared against
    // every member of the rota). The bound is generous: a debug build on a busy machine.
    let n = 10_000;
    let mut people = String::new();
    let mut members = Vec::new();
    for i in 0..n {
        people.push_str(&format!(
            "- {{ id: p{i}, name: P{i}, opted_in: true, vetted: 2020-01-01, experienced: true }}\n"
        ));
        members.push(format!("p{i}"));
    }
    let repo = TestRepo::new();
    repo.write("rota/people.yaml", &people).write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "alice, bob, carol, dan, erin, frank, grace, heidi",
            &members.join(", "),
        )
        .replace("person:alice", "person:p0"),
    );
    let started = std::time::Instant::now();
    let (json, code) = repo.check();
    let took = started.elapsed();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(code, 0);
    assert!(
        took.as_secs() < 30,
        "check of a 10,000-member rota took {took:?}"
    );
}
