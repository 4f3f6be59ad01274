//! Feed contents checked against values worked out by hand (not read back from the code
//! under test): written to kill the mutants of `src/output/feeds/mod.rs` that survived the suite —
//! names, the rota link and the description of each event.
//!
//! The repository is `tests/corpus/_base`: an 8-person weekly rota from Wednesday
//! 2026-01-07 10:00 Europe/London, primary `members[k % 8]`, secondary
//! `members[(k + 1) % 8]`. With today 2026-11-22 the feeds start 14 days earlier, on
//! 2026-11-08; the turn in force then is k = 43 (2026-01-07 + 43 weeks = 2026-11-04),
//! primary dan (43 % 8 = 3), secondary erin. London is on GMT in November, so the turn
//! runs 2026-11-04T10:00Z to 2026-11-11T10:00Z.

use std::path::Path;

fn build() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    build_into(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/_base"),
        &out,
    );
    (dir, out)
}

/// `rota build` of the repository at `root` into `out` (today 2026-11-22), which must
/// succeed.
fn build_into(root: &Path, out: &Path) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rota"))
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .arg("--root")
        .arg(root)
        .args(["--today", "2026-11-22", "build", "--out"])
        .arg(out)
        .output()
        .expect("run rota");
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The feed's events, unfolded, each as its list of content lines.
fn events(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("feed");
    let unfolded = text.replace("\r\n ", "");
    let mut events = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in unfolded.split("\r\n") {
        match line {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => events.extend(current.take()),
            l => {
                if let Some(c) = current.as_mut() {
                    c.push(l.to_string());
                }
            }
        }
    }
    events
}

fn event_starting<'a>(events: &'a [Vec<String>], start: &str, summary: &str) -> &'a [String] {
    events
        .iter()
        .find(|e| {
            e.iter().any(|l| l == &format!("DTSTART:{start}"))
                && e.iter().any(|l| l == &format!("SUMMARY:{summary}"))
        })
        .unwrap_or_else(|| panic!("no event at {start} with summary {summary}: {events:#?}"))
}

#[test]
fn a_rota_feed_names_the_person_links_the_rota_and_describes_the_turn() {
    let (_dir, out) = build();
    let events = events(&out.join("calendars/rotas/ooh.ics"));
    let dan = event_starting(&events, "20261104T100000Z", "Out of hours (primary): Dan");
    assert!(
        dan.contains(&"DTEND:20261111T100000Z".to_string()),
        "{dan:#?}"
    );
    assert!(
        dan.contains(&"URL:https://example.test/rotas/ooh.html".to_string()),
        "{dan:#?}"
    );
    let description = dan
        .iter()
        .find_map(|l| l.strip_prefix("DESCRIPTION:"))
        .expect("a description");
    for part in [
        "Dan on Out of hours from Wed 04 Nov 2026 10:00 GMT to Wed 11 Nov 2026 10:00 GMT\\;",
        "Duty hours (Europe/London): always (24/7).",
        "Also on call: Erin (secondary).",
        "Escalation if a page is not acknowledged: 0min: primary → 5min: secondary → 10min: Alice.",
        "Rota: https://example.test/rotas/ooh.html",
    ] {
        assert!(
            description.contains(part),
            "description lacks `{part}`: {description}"
        );
    }
    let erin = event_starting(
        &events,
        "20261104T100000Z",
        "Out of hours (secondary): Erin",
    );
    assert!(
        erin.contains(&"DTEND:20261111T100000Z".to_string()),
        "{erin:#?}"
    );
}

#[test]
fn a_person_feed_holds_only_their_own_turns() {
    let (_dir, out) = build();
    // dan is primary in turns k ≡ 3 (mod 8) and secondary in turns k ≡ 2 (mod 8): the
    // turns of 2026-11-04 (k = 43, primary) and 2026-12-23 (k = 50, secondary).
    let events = events(&out.join("calendars/dan.ics"));
    event_starting(
        &events,
        "20261104T100000Z",
        "On call: Out of hours (primary)",
    );
    event_starting(
        &events,
        "20261223T100000Z",
        "On call: Out of hours (secondary)",
    );
    for e in &events {
        let start = e
            .iter()
            .find_map(|l| l.strip_prefix("DTSTART:"))
            .expect("a start");
        assert!(start.ends_with("T100000Z"), "dan's turn starts at {start}");
    }
}

#[test]
fn a_person_holding_two_positions_is_also_on_call_in_the_other() {
    // `other.position == shift.position && other.person == shift.person` → `||`
    // (ics.rs, "Also on call"): once thought equivalent, but with `two-deep` turned off
    // one person may hold two positions. Erin (secondary in turn 43, 4–11 November) also
    // takes primary from dan for the whole turn: her primary event names her secondary
    // holding, and the other way round.
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("repo");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/_base");
    for entry in walkdir::WalkDir::new(&base) {
        let entry = entry.expect("walk");
        let target = root.join(entry.path().strip_prefix(&base).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    let append = |rel: &str, text: &str| {
        let path = root.join(rel);
        let mut s = std::fs::read_to_string(&path).expect("read");
        s.push_str(text);
        std::fs::write(&path, s).expect("write");
    };
    append("rota/config.yaml", "rules:\n  two-deep: off\n");
    append(
        "rota/rotas/ooh.yaml",
        "overrides:\n  - { position: primary, from: 2026-11-04T10:00, to: 2026-11-11T10:00, person: erin, replaces: dan }\n",
    );
    let out = dir.path().join("public");
    build_into(&root, &out);
    let events = events(&out.join("calendars/rotas/ooh.ics"));
    for (summary, also) in [
        (
            "Out of hours (primary): Erin",
            "Also on call: Erin (secondary).",
        ),
        (
            "Out of hours (secondary): Erin",
            "Also on call: Erin (primary).",
        ),
    ] {
        let event = event_starting(&events, "20261104T100000Z", summary);
        let description = event
            .iter()
            .find_map(|l| l.strip_prefix("DESCRIPTION:"))
            .expect("a description");
        assert!(description.contains(also), "{summary}: {description}");
    }
}
