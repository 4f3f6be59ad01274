//! Holidays as data: `{ date, name }` entries, `rota holidays import FILE.ics` against a
//! calendar written by independent libraries (Python `holidays` and `icalendar`, run
//! by scripts/german-holidays-ics.py), and the holiday rules.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

/// The Python with `holidays` and `icalendar`: `ROTA_HOLIDAYS_PYTHON` (set by .ci/run),
/// else /tmp/hvenv's, else `python3`. `None` when none of them imports both; under CI
/// (`CI=true` or `ROTA_HOLIDAYS_PYTHON` set) that fails the test rather than skip it.
fn python() -> Option<PathBuf> {
    let required = std::env::var("CI").as_deref() == Ok("true")
        || std::env::var_os("ROTA_HOLIDAYS_PYTHON").is_some();
    let candidates: Vec<PathBuf> = std::env::var_os("ROTA_HOLIDAYS_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            PathBuf::from("/tmp/hvenv/bin/python"),
            PathBuf::from("python3"),
        ])
        .collect();
    let found = candidates.into_iter().find(|p| {
        Process::new(p)
            .args(["-c", "import holidays, icalendar"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    assert!(
        found.is_some() || !required,
        "CI: no Python with `holidays` and `icalendar` (python3 -m venv V && V/bin/pip install holidays icalendar, then ROTA_HOLIDAYS_PYTHON=V/bin/python)"
    );
    if found.is_none() {
        eprintln!("skipped: no Python with `holidays` and `icalendar` (CI installs them)");
    }
    found
}

/// German public holidays (Bavaria) for `years`, as an .ics file at `out`, and the same
/// days as the script prints them: (date, name) by date.
fn german_holidays(python: &Path, out: &Path, years: &[&str]) -> Vec<(String, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/german-holidays-ics.py");
    let run = Process::new(python)
        .arg(script)
        .arg(out)
        .args(years)
        .output()
        .expect("run the script");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let listed: Vec<Value> = serde_json::from_slice(&run.stdout).expect("json");
    listed
        .iter()
        .map(|d| {
            (
                d["date"].as_str().expect("date").to_string(),
                d["name"].as_str().expect("name").to_string(),
            )
        })
        .collect()
}

/// The holidays rota reads back from `repo`'s config.yaml: (date, name) by date, a bare
/// date with an empty name.
fn holidays_in(repo: &TestRepo) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo.path().join("rota/config.yaml")).expect("config");
    let yaml: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
    yaml["holidays"]
        .as_array()
        .expect("holidays")
        .iter()
        .map(|h| match h {
            Value::String(date) => (date.clone(), String::new()),
            _ => (
                h["date"].as_str().expect("date").to_string(),
                h["name"].as_str().expect("name").to_string(),
            ),
        })
        .collect()
}

fn repo_with_config(config: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("rota/config.yaml", config);
    repo
}

#[test]
fn german_public_holidays_2027_2028_are_imported_with_every_date_and_name() {
    let Some(python) = python() else { return };
    let scratch = tempfile::tempdir().expect("temp");
    let ics = scratch.path().join("de.ics");
    let expected = german_holidays(&python, &ics, &["2027", "2028"]);
    assert!(expected.len() >= 18, "{expected:?}");
    // The calendar is what a calendar app would publish: CRLF, VALUE=DATE, one event a day.
    let text = std::fs::read_to_string(&ics).expect("ics");
    assert!(
        text.contains("\r\nDTSTART;VALUE=DATE:20270101\r\n"),
        "{text}"
    );

    let before = format!("{CONFIG}# Settings end here.\nrules:\n  back-to-back: warning\n");
    let repo = repo_with_config(&before);
    let out = repo.stdout(&["holidays", "import", ics.to_str().expect("utf-8")]);
    assert!(out.contains(&format!("{} to add", expected.len())), "{out}");
    assert_eq!(holidays_in(&repo), expected);
    // The rest of the file, byte for byte, and the list at its end.
    let after = std::fs::read_to_string(repo.path().join("rota/config.yaml")).expect("config");
    assert!(after.starts_with(&before), "{after}");
    let check = repo.check();
    assert_eq!(check.1, 0, "{}", check.0);

    // Importing again adds nothing and leaves the file as it is.
    let again = repo.stdout(&["holidays", "import", ics.to_str().expect("utf-8")]);
    assert!(again.contains("0 to add"), "{again}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("rota/config.yaml")).expect("config"),
        after
    );
}

#[test]
fn an_import_merges_in_date_order_keeps_listed_dates_and_reports_other_names() {
    let Some(python) = python() else { return };
    let scratch = tempfile::tempdir().expect("temp");
    let ics = scratch.path().join("de.ics");
    let expected = german_holidays(&python, &ics, &["2027"]);
    let config = format!(
        "{CONFIG}holidays:   # ours\n  - {{ date: 2027-01-01, name: New Year }}\n  - 2027-01-02   # a bridge day\n  - 2027-12-25\n# after the list\ncalendar:\n  reminder: 1d\n"
    );
    let repo = repo_with_config(&config);
    let ics = ics.to_str().expect("utf-8");
    let dry = repo.stdout(&["holidays", "import", "--dry-run", ics]);
    assert!(dry.contains("--dry-run"), "{dry}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("rota/config.yaml")).expect("config"),
        config
    );
    let out = repo.stdout(&["holidays", "import", ics]);
    assert!(
        out.contains("kept     2027-01-01  New Year (the calendar calls it \"Neujahr\")"),
        "{out}"
    );
    assert!(
        out.contains(
            "kept     2027-12-25  without a name (the calendar calls it \"Erster Weihnachtstag\")"
        ),
        "{out}"
    );
    let got = holidays_in(&repo);
    let mut want: Vec<(String, String)> = expected
        .iter()
        .filter(|(d, _)| d != "2027-01-01" && d != "2027-12-25")
        .cloned()
        .chain([
            ("2027-01-01".to_string(), "New Year".to_string()),
            ("2027-01-02".to_string(), String::new()),
            ("2027-12-25".to_string(), String::new()),
        ])
        .collect();
    want.sort();
    assert_eq!(got, want);
    let text = std::fs::read_to_string(repo.path().join("rota/config.yaml")).expect("config");
    assert!(text.contains("holidays:   # ours\n  - { date: 2027-01-01, name: New Year }\n  - 2027-01-02   # a bridge day\n  - { date: 2027-03-26, name: Karfreitag }\n"), "{text}");
    assert!(text.ends_with("  - 2027-12-25\n  - { date: 2027-12-26, name: Zweiter Weihnachtstag }\n# after the list\ncalendar:\n  reminder: 1d\n"), "{text}");
}

#[test]
fn a_broken_calendar_is_refused_with_its_line_and_nothing_is_written() {
    let repo = repo_with_config(CONFIG);
    let scratch = tempfile::tempdir().expect("temp");
    let ics = scratch.path().join("bad.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270230\r\nSUMMARY:Nope\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .expect("write");
    let out = repo
        .rota(&["holidays", "import", ics.to_str().expect("utf-8")])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad.ics:3: DTSTART `20270230` is not a date"),
        "{err}"
    );
    let missing = repo
        .rota(&["holidays", "import", "no-such.ics"])
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(repo.path().join("rota/config.yaml")).expect("config"),
        CONFIG
    );
}

#[test]
fn holiday_entries_are_checked_where_they_are_written() {
    let repo = repo_with_config(&format!(
        "{CONFIG}holidays:\n  - 2027-01-01\n  - {{ date: 2027-01-01, name: New Year }}\n  - {{ date: 2027-13-01, name: Nope }}\n  - {{ date: 2027-04-05, name: \"  \" }}\n"
    ));
    let (json, code) = repo.check();
    assert_eq!(code, 1, "{json}");
    let parse: Vec<(u64, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "parse")
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        parse
            .iter()
            .any(|(l, m)| *l == 6 && m.contains("listed twice")),
        "{parse:?}"
    );
    assert!(
        parse
            .iter()
            .any(|(l, m)| *l == 7 && m.contains("not a date")),
        "{parse:?}"
    );
    assert!(
        parse
            .iter()
            .any(|(l, m)| *l == 8 && m.contains("name` is empty")),
        "{parse:?}"
    );
    let unknown = repo_with_config(&format!(
        "{CONFIG}holidays:\n  - {{ date: 2027-01-01, title: New Year }}\n"
    ));
    let (json, code) = unknown.check();
    assert_eq!(code, 1, "{json}");
    assert!(json.to_string().contains("unknown field `title`"), "{json}");
}

/// An out-of-hours rota of the eight with the given weekday windows (holidays and
/// weekends all day), and an in-hours rota 09:00–18:00 on weekdays.
fn split_rotas(weekday_windows: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.remove("rota/rotas/ooh.yaml")
        .write(
            "rota/rotas/ooh.yaml",
            &format!(
                "name: Out of hours\nkind: out-of-hours\nhours:\n{weekday_windows}  - {{ days: [sat, sun, holiday], from: \"00:00\", to: \"24:00\" }}\nrotation:\n  start: 2026-01-07\n  handover: \"09:00\"\n  every: 1w\n  members: [alice, bob, carol, dan, erin, frank, grace, heidi]\npositions:\n  - {{ name: primary }}\n  - {{ name: secondary, offset: 1 }}\n"
            ),
        )
        .write(
            "rota/rotas/day.yaml",
            "name: Day\nkind: in-hours\nhours:\n  - { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"18:00\" }\nrotation:\n  start: 2026-01-07\n  handover: \"09:00\"\n  every: 1w\n  members: [alice, bob, carol, dan, erin, frank, grace, heidi]\npositions:\n  - { name: primary, offset: 4 }\n  - { name: secondary, offset: 5 }\n",
        );
    repo
}

/// Weekday nights as one window past midnight (and Monday's early morning after the
/// all-day Sunday).
const OVERNIGHT: &str = "  - { days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"09:00\" }\n  - { days: [mon], from: \"00:00\", to: \"09:00\" }\n";
/// The same nights split at midnight.
const SPLIT: &str = "  - { days: [mon, tue, wed, thu, fri], from: \"00:00\", to: \"09:00\" }\n  - { days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"24:00\" }\n";
/// Boxing Day (substitute day), a Monday in the check window from 2026-11-22.
const BOXING_DAY: &str = "holidays:\n  - { date: 2026-12-28, name: Boxing Day (substitute day) }\n";

#[test]
fn an_overnight_weekday_window_cut_by_a_holiday_is_found_from_the_hours_alone() {
    // No holiday in the check window: the rule reads the hours, not the dates.
    let repo = split_rotas(OVERNIGHT);
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays:\n  - {{ date: 2027-04-05, name: Easter Monday }}\n"),
    );
    let found = repo.findings("holiday-overnight");
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(f["file"], "rota/rotas/ooh.yaml");
    assert_eq!(f["line"], 4);
    let message = f["message"].as_str().unwrap_or("");
    // Mon–Thu: a Friday holiday is followed by Saturday's all-day window.
    assert!(
        message.contains("after a holiday on a Mon, Tue, Wed, Thu the next morning is uncovered"),
        "{message}"
    );
    assert!(message.contains("Tue 00:00–09:00"), "{message}");
    let help = f["help"].as_str().unwrap_or("");
    assert!(help.contains("the holiday is the cause"), "{help}");
    assert!(
        help.contains("{ days: [tue, wed, thu, fri, sat], from: \"00:00\", to: \"09:00\" }"),
        "{help}"
    );
    assert!(repo.findings("coverage-gap").is_empty());
}

#[test]
fn a_window_split_at_midnight_is_not_cut_by_a_holiday() {
    let repo = split_rotas(SPLIT);
    repo.write("rota/config.yaml", &format!("{CONFIG}{BOXING_DAY}"));
    assert!(repo.findings("holiday-overnight").is_empty());
    assert!(repo.findings("coverage-gap").is_empty());
    // A holiday window that runs on to the next morning also covers it.
    let repo = split_rotas(&format!(
        "{OVERNIGHT}  - {{ days: [holiday], from: \"18:00\", to: \"09:00\" }}\n"
    ));
    repo.write("rota/config.yaml", &format!("{CONFIG}{BOXING_DAY}"));
    assert!(repo.findings("holiday-overnight").is_empty());
    assert!(repo.findings("coverage-gap").is_empty());
}

#[test]
fn the_coverage_gap_after_a_holiday_names_the_holiday() {
    let repo = split_rotas(OVERNIGHT);
    repo.write("rota/config.yaml", &format!("{CONFIG}{BOXING_DAY}"));
    let gaps = repo.findings("coverage-gap");
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    let message = gaps[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("Tue 00:00–Tue 09:00"), "{message}");
    assert!(message.contains("first on 2026-12-29"), "{message}");
    let help = gaps[0]["help"].as_str().unwrap_or("");
    assert!(
        help.starts_with("2026-12-28 (Boxing Day (substitute day)) is a holiday"),
        "{help}"
    );
}

#[test]
fn an_ordinary_coverage_gap_names_no_holiday() {
    // 09:00–10:00 on weekdays is a gap every week, holidays or not.
    let repo = split_rotas(
        "  - { days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"24:00\" }\n  - { days: [mon, tue, wed, thu, fri], from: \"00:00\", to: \"08:00\" }\n",
    );
    repo.write("rota/config.yaml", &format!("{CONFIG}{BOXING_DAY}"));
    let gaps = repo.findings("coverage-gap");
    assert!(!gaps.is_empty());
    for g in &gaps {
        let help = g["help"].as_str().unwrap_or("");
        assert!(!help.contains("is a holiday"), "{help}");
    }
}

/// `rota check --today TODAY --format json` findings of `rule`.
fn findings_on(repo: &TestRepo, today: &str, rule: &str) -> Vec<Value> {
    let out = repo
        .rota(&[
            "--at",
            &format!("{today}T12:00"),
            "check",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .cloned()
        .collect()
}

#[test]
fn holidays_that_stop_before_the_check_window_ends_are_a_warning() {
    let repo = split_rotas(SPLIT);
    let listed = "holidays:\n  - { date: 2027-01-01, name: New Year's Day }\n  - { date: 2027-12-27, name: Christmas Day (substitute day) }\n";
    repo.write("rota/config.yaml", &format!("{CONFIG}{listed}"));
    // 2027-12-01 + 13 weeks reaches March 2028, and no 2028 holiday is listed.
    let found = findings_on(&repo, "2027-12-01", "holidays-listed");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["file"], "rota/config.yaml");
    assert_eq!(found[0]["line"], 5);
    let message = found[0]["message"].as_str().unwrap_or("");
    assert!(message.contains("up to 2027-12-27"), "{message}");
    assert!(message.contains("no 2028 holidays are listed"), "{message}");
    assert!(message.contains("`ooh`"), "{message}");
    assert!(
        found[0]["help"]
            .as_str()
            .unwrap_or("")
            .contains("rota holidays import"),
    );
    // In June the window ends in 2027: nothing to say.
    assert!(findings_on(&repo, "2027-06-01", "holidays-listed").is_empty());
    // With 2028's first holiday listed, the list reaches the window's year.
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}{listed}  - {{ date: 2028-01-01, name: New Year's Day }}\n"),
    );
    assert!(findings_on(&repo, "2027-12-01", "holidays-listed").is_empty());
}

#[test]
fn holidays_listed_is_quiet_when_no_rota_uses_holiday() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays:\n  - 2027-01-01\n"),
    );
    // `ooh` is on duty `always`: holidays change nothing.
    assert!(findings_on(&repo, "2027-12-01", "holidays-listed").is_empty());
}

#[test]
fn the_feeds_and_the_site_name_the_holidays_in_a_turn() {
    let repo = split_rotas(SPLIT);
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays:\n  - {{ date: 2026-12-25, name: Christmas Day }}\n  - {{ date: 2026-12-28, name: \"Boxing Day <substitute>\" }}\n  - 2027-01-01\n"),
    );
    let out = tempfile::tempdir().expect("temp");
    let built = repo
        .rota(&["--at", "2026-12-20T12:00", "build", "--out"])
        .arg(out.path())
        .output()
        .expect("run");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    // The turn from Wed 23 Dec 09:00 to Wed 30 Dec 09:00 holds both December holidays.
    let feed = std::fs::read_to_string(out.path().join("calendars/rotas/ooh.ics")).expect("feed");
    let unfolded = feed.replace("\r\n ", "");
    assert!(
        unfolded.contains(
            "Holidays in this turn: Fri 25 Dec 2026 Christmas Day\\; Mon 28 Dec 2026 Boxing Day <substitute>."
        ),
        "{unfolded}"
    );
    assert!(
        unfolded.contains("Holidays in this turn: Fri 1 Jan 2027 (holiday)."),
        "{unfolded}"
    );
    let page = std::fs::read_to_string(out.path().join("rotas/ooh.html")).expect("page");
    assert!(
        page.contains(
            "Holidays: Fri 25 Dec 2026 Christmas Day; Mon 28 Dec 2026 Boxing Day &lt;substitute&gt;"
        ),
        "{page}"
    );
    // carol holds the primary position of that turn (turn 50 of the rotation).
    let person = std::fs::read_to_string(out.path().join("people/carol.html")).expect("page");
    assert!(person.contains("Holidays: "), "{person}");
}
