//! `rota build`: calendar feeds, parsed back with the `icalendar` crate, and the
//! all-or-nothing output folder.

use crate::common::*;
use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime};
use std::collections::BTreeMap;
use std::path::Path;

fn build(repo_root: &Path, out: &Path, today: &str) -> std::process::Output {
    assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env_remove("ROTA_FEED_SECRET")
        .arg("--root")
        .arg(repo_root)
        .args(["--today", today, "build", "--out"])
        .arg(out)
        .output()
        .unwrap()
}

fn utc(d: Option<DatePerhapsTime>) -> String {
    match d {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(t))) => {
            t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        }
        other => panic!("not a UTC time: {other:?}"),
    }
}

/// (uid, start, end, summary) of every event in a feed, checking it parses.
fn events(path: &Path) -> Vec<(String, String, String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let calendar: icalendar::Calendar = text
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            (
                e.get_uid().expect("UID").to_string(),
                utc(e.get_start()),
                utc(e.get_end()),
                e.get_summary().expect("SUMMARY").to_string(),
            )
        })
        .collect()
}

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_example_feed_parses_and_matches_the_schedule() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("public");
    let result = build(example(), &dir, TODAY);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    // The same shifts, from the schedule engine, over the feeds' range (2 weeks back to the horizon).
    let shifts = assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .arg("--root")
        .arg(example())
        .args([
            "--today",
            TODAY,
            "shifts",
            "--from",
            "2026-11-08",
            "--to",
            "2027-02-20",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let shifts: serde_json::Value = serde_json::from_slice(&shifts.stdout).unwrap();
    let shifts = shifts.as_array().unwrap();
    let people = [
        "alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "ivan", "judy", "oscar",
        "kate", "leo", "mia", "noah",
    ];
    let mut total = 0;
    for person in people {
        let feed = events(&dir.join(format!("calendars/{person}.ics")));
        let mut expected: Vec<(String, String)> = shifts
            .iter()
            .filter(|s| s["person"] == person)
            .map(|s| {
                (
                    s["start"].as_str().unwrap().to_string(),
                    s["end"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut got: Vec<(String, String)> =
            feed.iter().map(|e| (e.1.clone(), e.2.clone())).collect();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "{person}");
        assert!(feed.iter().all(|e| e.3.starts_with("On call: ")));
        total += feed.len();
    }
    assert!(total > 50, "{total}");
    // Nobody off every rota gets a feed; every rota does.
    assert!(!dir.join("calendars/olivia.ics").exists());
    for rota in ["in-hours", "out-of-hours", "second-line"] {
        let feed = events(&dir.join(format!("calendars/rotas/{rota}.ics")));
        assert_eq!(
            feed.len(),
            shifts.iter().filter(|s| s["rota"] == rota).count(),
            "{rota}"
        );
    }
    // The Christmas trade shows in Heidi's feed.
    let heidi = events(&dir.join("calendars/heidi.ics"));
    assert!(
        heidi
            .iter()
            .any(|e| e.1 == "2026-12-23T10:00:00Z" && e.3 == "On call: Out of hours (primary)"),
        "{heidi:#?}"
    );
}

#[test]
fn feeds_use_crlf_fold_at_75_octets_and_escape_names() {
    let repo = TestRepo::new();
    let long = "Zoë Ōtsuka-Ñúñez, the third; of Ærøskøbing \\ Łódź";
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace("name: Alice,", &format!("name: '{long}',")),
    );
    repo.write(
        "rota/config.yaml",
        &CONFIG.replace("title: Test team", "title: \"Ops; support, and more\""),
    );
    let out = repo.path().join("public");
    let result = build(repo.path(), &out, TODAY);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let bytes = std::fs::read(out.join("calendars/alice.ics")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            assert_eq!(bytes[i - 1], b'\r', "bare LF at byte {i}");
        }
    }
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let unfolded = text.replace("\r\n ", "");
    assert!(
        unfolded.contains(&format!(
            "NAME:On call: {} (Ops\\; support\\, and more)",
            "Zoë Ōtsuka-Ñúñez\\, the third\\; of Ærøskøbing \\\\ Łódź"
        )),
        "{unfolded}"
    );
    assert!(unfolded.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"));
    assert!(unfolded.contains("X-PUBLISHED-TTL:PT1H\r\n"));
    assert!(unfolded.contains("CALSCALE:GREGORIAN\r\n"));
    assert!(!unfolded.contains("METHOD:"));
    assert!(
        unfolded.contains("TRANSP:TRANSPARENT\r\n")
            && unfolded.contains("X-MICROSOFT-CDO-BUSYSTATUS:FREE\r\n")
    );
    assert!(
        unfolded.contains("DTSTAMP:20260921T141320Z\r\n"),
        "DTSTAMP from SOURCE_DATE_EPOCH"
    );
    // The name reads back through a real parser.
    let calendar: icalendar::Calendar = text.parse().unwrap();
    assert_eq!(
        calendar.get_name().map(|n| n.starts_with("On call: Zoë")),
        Some(true)
    );
}

#[test]
fn uids_stay_stable_across_builds_a_week_apart_and_builds_are_deterministic() {
    let repo = TestRepo::new();
    let (a, b, c) = (
        repo.path().join("a"),
        repo.path().join("b"),
        repo.path().join("c"),
    );
    assert!(build(repo.path(), &a, "2026-11-22").status.success());
    assert!(build(repo.path(), &b, "2026-11-29").status.success());
    assert!(build(repo.path(), &c, "2026-11-22").status.success());
    let one: BTreeMap<String, (String, String)> = events(&a.join("calendars/alice.ics"))
        .into_iter()
        .map(|e| (e.0, (e.1, e.2)))
        .collect();
    let two: BTreeMap<String, (String, String)> = events(&b.join("calendars/alice.ics"))
        .into_iter()
        .map(|e| (e.0, (e.1, e.2)))
        .collect();
    let shared: Vec<&String> = one.keys().filter(|k| two.contains_key(*k)).collect();
    assert!(shared.len() >= 3, "{one:#?} {two:#?}");
    for uid in shared {
        assert_eq!(one[uid], two[uid], "{uid}");
    }
    for file in ["calendars/alice.ics", "calendars/rotas/ooh.ics"] {
        assert_eq!(
            std::fs::read(a.join(file)).unwrap(),
            std::fs::read(c.join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn a_trade_changes_the_end_of_an_event_but_not_its_uid() {
    let repo = TestRepo::new();
    let (a, b) = (repo.path().join("a"), repo.path().join("b"));
    assert!(build(repo.path(), &a, TODAY).status.success());
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-26T10:00, to: 2026-12-30T10:00, person: heidi, replaces: carol }\n"),
    );
    assert!(build(repo.path(), &b, TODAY).status.success());
    let before = events(&a.join("calendars/carol.ics"));
    let after = events(&b.join("calendars/carol.ics"));
    let christmas = |v: &[(String, String, String, String)]| {
        v.iter()
            .find(|e| e.1 == "2026-12-23T10:00:00Z" && e.3.contains("primary"))
            .cloned()
            .unwrap()
    };
    assert_eq!(christmas(&before).0, christmas(&after).0);
    assert_eq!(christmas(&before).2, "2026-12-30T10:00:00Z");
    assert_eq!(christmas(&after).2, "2026-12-26T10:00:00Z");
}

#[test]
fn a_shift_across_the_march_clock_change_ends_at_the_right_instant() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("start: 2026-01-07", "start: 2026-01-05")
            .replace("\"10:00\"", "\"09:00\""),
    );
    let out = repo.path().join("public");
    assert!(build(repo.path(), &out, "2027-03-20").status.success());
    let all = events(&out.join("calendars/rotas/ooh.ics"));
    let week = all
        .iter()
        .find(|e| e.1 == "2027-03-22T09:00:00Z" && e.3.contains("primary"))
        .expect("the week of the change");
    // Monday 29 March 09:00 BST is 08:00Z: a 167-hour week.
    assert_eq!(week.2, "2027-03-29T08:00:00Z");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let repo = TestRepo::new();
    let out = repo.path().join("public");
    assert!(build(repo.path(), &out, TODAY).status.success());
    let snapshot = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path()
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let before = snapshot(&out);
    // Inject a rule error: alice on leave in her own turn.
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-11 }\n",
    );
    let result = build(repo.path(), &out, TODAY);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("leave-conflict"));
    assert_eq!(snapshot(&out), before);
    // Nothing was left beside it either.
    let siblings: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !siblings
            .iter()
            .any(|s| s.contains("rota-new") || s.contains("rota-old")),
        "{siblings:?}"
    );
}

#[test]
fn build_refuses_to_replace_a_folder_it_did_not_write() {
    let repo = TestRepo::new();
    let out = repo.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "precious").unwrap();
    let result = build(repo.path(), &out, TODAY);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "precious"
    );
    let result = build(repo.path(), repo.path(), TODAY);
    assert_eq!(result.status.code(), Some(2));
}

#[test]
fn secret_feed_names_and_feed_url() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}calendar:\n  secret_env: ROTA_FEED_SECRET\n"),
    );
    let url = |secret: Option<&str>| {
        let mut cmd = repo.rota(&["feed-url", "alice"]);
        match secret {
            Some(s) => cmd.env("ROTA_FEED_SECRET", s),
            None => cmd.env_remove("ROTA_FEED_SECRET"),
        };
        String::from_utf8(cmd.output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string()
    };
    // The variable unset: no guessable URL is printed (exit 2, see bad_input.rs).
    assert_eq!(url(None), "");
    let secret_url = url(Some("s3cret-s3cret-s3cret-s3cret-s3cret"));
    assert!(
        secret_url.starts_with("webcal://example.test/calendars/") && !secret_url.contains("alice"),
        "{secret_url}"
    );
    assert_eq!(secret_url, url(Some("s3cret-s3cret-s3cret-s3cret-s3cret")));
    assert_ne!(secret_url, url(Some("other-other-other-other-other-other")));
    let out = repo.path().join("public");
    let result = repo
        .rota(&["build", "--out"])
        .arg(&out)
        .env("ROTA_FEED_SECRET", "s3cret-s3cret-s3cret-s3cret-s3cret")
        .output()
        .unwrap();
    assert!(result.status.success());
    let name = secret_url.rsplit('/').next().unwrap();
    assert!(out.join("calendars").join(name).is_file());
    assert!(!out.join("calendars/alice.ics").exists());
    // Rota feeds list everyone: with secret names they are left out.
    assert!(!out.join("calendars/rotas").exists());
    assert_eq!(
        repo.rota(&["feed-url", "nobody"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

/// `feed-url` names only feeds `build` writes, and so do the site's subscribe links: in
/// the example, Olivia is only the last step of second line's escalation, on no rota, so
/// she has no feed and `feed-url olivia` says why (exit 2) instead of printing an address
/// that answers 404.
#[test]
fn feed_url_and_the_sites_links_name_only_feeds_that_build_writes() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rota = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("rota")
            .unwrap()
            .env_remove("ROTA_FEED_SECRET")
            .arg("--root")
            .arg(example)
            .args(["--today", "2027-01-05"])
            .args(args)
            .output()
            .unwrap()
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(
        rota(&["build", "--out", out.to_str().unwrap()])
            .status
            .success()
    );
    let olivia = rota(&["feed-url", "olivia"]);
    assert_eq!(olivia.status.code(), Some(2));
    assert!(olivia.stdout.is_empty());
    let message = String::from_utf8_lossy(&olivia.stderr);
    assert!(
        message.contains("`olivia` is on no rota, so `rota build` writes no calendar for them")
            && message.contains("escalation step of Second line"),
        "{message}"
    );
    assert!(!out.join("calendars/olivia.ics").exists());
    // Everyone else's URL names a file the build wrote.
    let people = std::fs::read_to_string(example.join("rota/people.yaml")).unwrap();
    let mut written = 0;
    for id in people
        .lines()
        .filter_map(|l| l.strip_prefix("- { id: "))
        .filter_map(|l| l.split(',').next())
        .filter(|id| *id != "olivia")
    {
        let url = rota(&["feed-url", id]);
        assert!(url.status.success(), "{id}");
        let url = String::from_utf8(url.stdout).unwrap();
        let name = url.trim().rsplit('/').next().unwrap().to_string();
        assert!(out.join("calendars").join(&name).is_file(), "{id}: {name}");
        written += 1;
    }
    assert!(written >= 15, "{written}");
    // The site's subscribe links (person and rota pages) name written files too.
    let link = regex::Regex::new(r#"href="\.\./(calendars/[^"]+\.ics)""#).unwrap();
    let mut links = 0;
    for dir in ["people", "rotas"] {
        for entry in std::fs::read_dir(out.join(dir)).unwrap() {
            let html = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for c in link.captures_iter(&html) {
                assert!(out.join(&c[1]).is_file(), "{}", &c[1]);
                links += 1;
            }
        }
    }
    assert!(links >= 15, "{links}");
}
