//! Advice a team can follow: the trade `rota check` suggests for a leave clash is applied
//! as printed and leaves nothing worse (docs/recipes.md#cover-someones-leave);
//! `rest` flags a run across rotas; `double-duty` says what can remove a clash.

use crate::common::*;
use serde_json::Value;

const TEAM: [&str; 7] = ["aisha", "ben", "chen", "dara", "eli", "priya", "sam"];

fn team_people() -> String {
    TEAM.iter()
        .map(|p| {
            format!("- {{ id: {p}, name: {p}, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }}\n")
        })
        .collect()
}

/// Six of the seven out of hours (weekly from Wednesday 6 January 2027 at 09:00) and
/// all seven in hours, as a team that moved its rota in would write them.
fn out_of_hours(members: &str) -> String {
    format!(
        "name: Out of hours\nkind: out-of-hours\nhours: always\nrotation: {{ start: 2026-01-07, handover: \"09:00\", every: 1w, members: [{members}] }}\npositions:\n  - {{ name: primary }}\nescalation:\n  - {{ after: 0m, notify: primary }}\n  - {{ after: 5m, notify: \"rota:in-hours\" }}\n"
    )
}

fn in_hours(members: &str, offset: i64) -> String {
    format!(
        "name: In hours\nkind: in-hours\nhours:\n  - {{ days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }}\nrotation: {{ start: 2026-01-07, handover: \"09:00\", every: 1w, members: [{members}] }}\npositions:\n  - {{ name: engineer, offset: {offset} }}\nescalation:\n  - {{ after: 0m, notify: engineer }}\n  - {{ after: 5m, notify: \"person:sam\" }}\n"
    )
}

/// Everyone's duty spans (any rota, handover to handover) from `rota shifts`, by person.
fn duty_by_person(repo: &TestRepo) -> std::collections::BTreeMap<String, Vec<(String, String)>> {
    let shifts: Value = repo.json(&[
        "shifts",
        "--from",
        "2026-11-22",
        "--to",
        "2027-03-01",
        "--format",
        "json",
    ]);
    let mut by: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for s in shifts.as_array().expect("array") {
        by.entry(s["person"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push((
                s["start"].as_str().unwrap_or_default().to_string(),
                s["end"].as_str().unwrap_or_default().to_string(),
            ));
    }
    by
}

/// The longest run of back-to-back duty (a span starting when or before the last ended)
/// anyone has, in days, with the person.
fn longest_run(repo: &TestRepo) -> (i64, String) {
    let day = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .expect("rfc3339")
            .timestamp()
    };
    let mut longest = (0, String::new());
    for (person, mut spans) in duty_by_person(repo) {
        spans.sort();
        let mut run: Option<(i64, i64)> = None;
        for (s, e) in spans {
            let (s, e) = (day(&s), day(&e));
            run = match run {
                Some((rs, re)) if s <= re => Some((rs, re.max(e))),
                _ => Some((s, e)),
            };
            let (rs, re) = run.expect("run");
            if (re - rs) / 86_400 > longest.0 {
                longest = ((re - rs) / 86_400, person.clone());
            }
        }
    }
    longest
}

/// The team of seven with one person on call at a time on each rota: `extra_ooh` and
/// `extra_ih` are appended to the two rota files (overrides).
fn team(
    ooh_members: &str,
    ih_members: &str,
    ih_offset: i64,
    extra_ooh: &str,
    extra_ih: &str,
) -> TestRepo {
    let repo = TestRepo::empty();
    // One person on call at a time on each rota (the team chose so).
    let config = format!("{CONFIG}policy: {{ min_on_call: 1 }}\n");
    repo.write("rota/config.yaml", &config)
        .write("rota/people.yaml", &team_people())
        .write(
            "rota/rotas/out-of-hours.yaml",
            &format!("{}{extra_ooh}", out_of_hours(ooh_members)),
        )
        .write(
            "rota/rotas/in-hours.yaml",
            &format!("{}{extra_ih}", in_hours(ih_members, ih_offset)),
        );
    repo
}

const SIX: &str = "aisha, ben, chen, dara, eli, priya";
const SEVEN: &str = "aisha, ben, chen, dara, eli, priya, sam";

/// priya out of hours Wednesday 16 to 23 December (an override), then in hours from 23
/// December for `weeks` weeks (overrides).
fn priya_over_christmas(weeks: u32) -> TestRepo {
    let ih: String = (0..weeks)
        .map(|w| {
            let from = chrono::NaiveDate::from_ymd_opt(2026, 12, 23).expect("date")
                + chrono::Days::new(7 * u64::from(w));
            let to = from + chrono::Days::new(7);
            format!(
                "  - {{ position: engineer, from: {from}T09:00, to: {to}T09:00, person: priya }}\n"
            )
        })
        .collect();
    // With offset 0 priya's own in-hours turns are the weeks from 2 December and 20
    // January, and her out-of-hours turns those from 2 December and 13 January.
    team(
        SIX,
        SEVEN,
        0,
        "overrides:\n  - { position: primary, from: 2026-12-16T09:00, to: 2026-12-23T09:00, person: priya }\n",
        &format!("overrides:\n{ih}"),
    )
}

#[test]
fn rest_flags_three_weeks_running_across_in_hours_and_out_of_hours() {
    let repo = priya_over_christmas(2);
    let rest = repo.findings("rest");
    assert_eq!(rest.len(), 1, "{rest:?}");
    let message = rest[0]["message"].as_str().expect("message");
    assert!(
        message.starts_with("priya is on duty without a break from Wed 16 Dec 2026 09:00 GMT to Wed 06 Jan 2027 09:00 GMT on rotas `in-hours` and `out-of-hours`"),
        "{message}"
    );
    // Neither rota alone has more than two turns running.
    assert!(repo.findings("back-to-back").is_empty());
    assert_eq!(rest[0]["file"], "rota/rotas/in-hours.yaml");
}

#[test]
fn rest_allows_the_policys_two_weeks_running_across_rotas() {
    let repo = priya_over_christmas(1);
    assert!(
        repo.findings("rest").is_empty(),
        "{:?}",
        repo.findings("rest")
    );
}

#[test]
fn rest_follows_the_policy() {
    let repo = priya_over_christmas(2);
    let text = std::fs::read_to_string(repo.path().join("rota/config.yaml")).expect("config");
    repo.write(
        "rota/config.yaml",
        &text.replace("min_on_call: 1", "min_on_call: 1, max_consecutive_turns: 3"),
    );
    assert!(
        repo.findings("rest").is_empty(),
        "{:?}",
        repo.findings("rest")
    );
}

#[test]
fn suggested_trade_for_leave_applied_as_printed_adds_no_finding_and_no_long_run() {
    let repo = team(SIX, SEVEN, 3, "", "");
    repo.write(
        "rota/leave.yaml",
        "- { person: aisha, from: 2026-12-10, to: 2027-01-03, note: Christmas }\n",
    );
    git(repo.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "the team's rota"]);

    let (json, _) = repo.check();
    let clash = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "leave-conflict")
        .unwrap_or_else(|| panic!("a leave clash: {json}"))
        .clone();
    let help = clash["help"].as_str().expect("help");
    let command = help
        .split('`')
        .find(|part| part.starts_with("rota swap "))
        .unwrap_or_else(|| panic!("a suggested trade: {help}"));
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let before_run = longest_run(&repo);
    repo.stdout(&args);

    // The clash is gone, and nothing else came.
    assert!(repo.findings("leave-conflict").is_empty(), "{command}");
    let diff = repo.stdout(&["diff", "--base", "HEAD"]);
    assert!(
        !diff.to_lowercase().contains("introduced"),
        "{command}:\n{diff}"
    );
    assert!(
        diff.contains("leave-conflict"),
        "the clash is fixed:\n{diff}"
    );
    assert!(repo.findings("rest").is_empty(), "{command}");
    assert!(
        repo.findings("double-duty").len()
            <= json["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .filter(|f| f["rule"] == "double-duty")
                .count()
    );
    // Independently of the rules: nobody is on duty three weeks running.
    let (days, person) = longest_run(&repo);
    assert!(
        days < 21,
        "{person} is on duty {days} days running after `{command}` (before: {before_run:?})"
    );
}

/// How many times in the year from today someone holds both rotas at once, from
/// `rota shifts` (independently of `double-duty`).
fn clashes_in_a_year(repo: &TestRepo) -> usize {
    let shifts: Value = repo.json(&[
        "shifts",
        "--from",
        "2026-11-22",
        "--to",
        "2027-11-22",
        "--format",
        "json",
    ]);
    let shifts = shifts.as_array().expect("array");
    let field = |s: &Value, k: &str| s[k].as_str().unwrap_or_default().to_string();
    let mut clashes = 0;
    for a in shifts.iter().filter(|s| s["rota"] == "in-hours") {
        for b in shifts.iter().filter(|s| s["rota"] == "out-of-hours") {
            if field(a, "person") == field(b, "person")
                && field(a, "start") < field(b, "end")
                && field(b, "start") < field(a, "end")
            {
                clashes += 1;
            }
        }
    }
    clashes
}

fn double_duty_help(repo: &TestRepo) -> String {
    let found = repo.findings("double-duty");
    assert!(!found.is_empty(), "a double-duty finding");
    found[0]["help"].as_str().expect("help").to_string()
}

fn with_ooh_offset(repo: &TestRepo, offset: i64) {
    let path = "rota/rotas/out-of-hours.yaml";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    let text = primary_with_offset(&text, offset);
    repo.write(path, &text);
}

/// The out-of-hours `primary` line with `offset: N`.
fn primary_with_offset(text: &str, offset: i64) -> String {
    let start = text.find("  - { name: primary").expect("primary");
    let end = start + text[start..].find('\n').expect("line end");
    format!(
        "{}  - {{ name: primary, offset: {offset} }}{}",
        &text[..start],
        &text[end..]
    )
}

#[test]
fn double_duty_with_six_and_seven_says_no_offset_or_order_can_help() {
    let repo = team(SIX, SEVEN, 0, "", "");
    let help = double_duty_help(&repo);
    assert!(
        help.contains("draws from 7 members and `primary` on `out-of-hours` from 6: as 7 and 6 have no common divisor")
            && help.contains("no `offset` or order of the members removes this for good")
            && help.contains("member lists of a common length"),
        "{help}"
    );
    // True: whatever the offset, someone holds both within the year.
    for offset in 0..6 {
        with_ooh_offset(&repo, offset);
        assert!(clashes_in_a_year(&repo) > 0, "offset {offset}");
    }
}

#[test]
fn double_duty_names_the_offset_that_parts_every_member_when_one_does() {
    let repo = team(SIX, "aisha, ben, chen, dara", 0, "", "");
    let help = double_duty_help(&repo);
    assert!(clashes_in_a_year(&repo) > 0);
    let named = help
        .split("set `offset: ")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap_or_else(|| panic!("an offset is named: {help}"));
    assert!(
        help.contains("on `primary` of rota `out-of-hours` (now 0)"),
        "{help}"
    );
    with_ooh_offset(&repo, named.parse().expect("a number"));
    assert!(repo.findings("double-duty").is_empty(), "{help}");
    assert_eq!(clashes_in_a_year(&repo), 0, "{help}");
}

#[test]
fn double_duty_names_an_order_when_no_single_offset_parts_everyone() {
    // aisha and chen come in step on both rotas, ben one turn apart: an offset that
    // parts the first two brings ben together. Another order of the six does part them.
    let repo = team(SIX, "aisha, chen, ben, dara", 0, "", "");
    let help = double_duty_help(&repo);
    assert!(
        help.contains("2 divides both, but no single `offset` parts all 4 people on both lists; an order does: list the members of `primary` on rota `out-of-hours` as ["),
        "{help}"
    );
    for offset in 0..6 {
        with_ooh_offset(&repo, offset);
        assert!(clashes_in_a_year(&repo) > 0, "offset {offset}");
    }
    let order = help
        .split(" as [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("an order");
    let mut names: Vec<&str> = order.split(", ").collect();
    names.sort_unstable();
    assert_eq!(names.join(", "), SIX, "the same six members: {order}");
    repo.write("rota/rotas/out-of-hours.yaml", &out_of_hours(order));
    assert!(repo.findings("double-duty").is_empty(), "{order}");
    assert_eq!(clashes_in_a_year(&repo), 0, "{order}");
}

#[test]
fn double_duty_says_when_neither_an_offset_nor_an_order_of_one_list_parts_everyone() {
    // Two out of hours, four in hours: aisha and ben both hold even turns in hours, and
    // the two places out of hours are one even and one odd.
    let repo = team("aisha, ben", "aisha, chen, ben, dara", 0, "", "");
    let help = double_duty_help(&repo);
    assert!(
        help.contains("2 divides both, but no single `offset` parts all 2 people on both lists: reorder the members of one list")
            && help.contains("member lists of a common length"),
        "{help}"
    );
    for (offset, order) in [
        (0, "aisha, ben"),
        (1, "aisha, ben"),
        (0, "ben, aisha"),
        (1, "ben, aisha"),
    ] {
        repo.write("rota/rotas/out-of-hours.yaml", &out_of_hours(order));
        with_ooh_offset(&repo, offset);
        assert!(clashes_in_a_year(&repo) > 0, "offset {offset}, [{order}]");
    }
}

#[test]
fn double_duty_does_not_guess_when_turn_lengths_differ() {
    let repo = team(SIX, "aisha, ben, chen, dara", 0, "", "");
    let path = "rota/rotas/in-hours.yaml";
    let text = std::fs::read_to_string(repo.path().join(path)).expect("read");
    repo.write(path, &text.replace("every: 1w", "every: 2w"));
    let help = double_duty_help(&repo);
    assert!(
        help.contains("with turns of 2w and 1w: whether an `offset` or another order parts")
            && !help.contains("set `offset"),
        "{help}"
    );
}

#[test]
fn double_duty_made_by_an_override_says_to_trade_that_turn() {
    // sam is on no out-of-hours list; an override puts him there in his in-hours week.
    let repo = team(SIX, SEVEN, 0, "", "");
    let shifts: Value = repo.json(&[
        "shifts",
        "--rota",
        "in-hours",
        "--from",
        "2026-11-22",
        "--to",
        "2027-03-01",
        "--format",
        "json",
    ]);
    let sams = shifts
        .as_array()
        .expect("array")
        .iter()
        .find(|s| s["person"] == "sam")
        .expect("a turn of sam's")
        .clone();
    let from = &sams["start"].as_str().expect("start")[..10];
    let to = &sams["end"].as_str().expect("end")[..10];
    let ooh = format!(
        "{}overrides:\n  - {{ position: primary, from: {from}T09:00, to: {to}T09:00, person: sam }}\n",
        out_of_hours(SIX)
    );
    repo.write("rota/rotas/out-of-hours.yaml", &ooh);
    let found = repo.findings("double-duty");
    let sam = found
        .iter()
        .find(|f| f["message"].as_str().is_some_and(|m| m.starts_with("sam ")))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(
        sam["help"].as_str().expect("help").split(':').next(),
        Some("the override on line 11 of rota `out-of-hours` puts sam there"),
        "{sam}"
    );
}

#[test]
fn leave_clash_with_no_clean_trade_says_so_and_what_to_do_instead() {
    // Four out of hours: aisha's turn from 9 December; dara and ben hold the turns
    // either side, so chen is the only one to ask, and chen is in hours that week (an
    // override): any trade puts chen on two rotas at once.
    let repo = team(
        "aisha, ben, chen, dara",
        SEVEN,
        3,
        "",
        "overrides:\n  - { position: engineer, from: 2026-12-09T09:00, to: 2026-12-16T09:00, person: chen }\n",
    );
    repo.write(
        "rota/leave.yaml",
        "- { person: aisha, from: 2026-12-10, to: 2026-12-12 }\n",
    );
    let clash = repo.findings("leave-conflict");
    assert_eq!(clash.len(), 1, "{clash:?}");
    let help = clash[0]["help"].as_str().expect("help");
    assert!(
        help.starts_with("no trade with anyone on this rota leaves the data without a new finding: write an override on rota `out-of-hours` (position `primary`, `replaces: aisha`) with someone who is not on this rota"),
        "{help}"
    );
    // True: the trade with chen adds a double-duty.
    let before = repo.findings("double-duty").len();
    repo.stdout(&[
        "swap",
        "out-of-hours",
        "aisha@2026-12-09",
        "chen@2026-12-23",
    ]);
    assert!(repo.findings("double-duty").len() > before);
}
