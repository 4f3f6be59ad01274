//! Holidays as data: `{ date, name }` entries, `rota holidays import FILE.ics` against a
//! calendar written by independent libraries (Python `holidays` and `icalendar`, run
//! by scripts/german-holidays-ics.py), and the holiday rules.

mod common;
use common::*;
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
