//! The finding printers escape what they print: a GitHub annotation's properties escape
//! `%`, CR, LF, `:` and `,` (GitHub's workflow-command rules), its message `%`, CR and
//! LF. Written to kill the mutants that survived the suite (`,` and `\r` left raw in
//! annotation properties); expected strings are written out by hand.

use crate::common;
use std::path::Path;

/// The corpus base repository with one extra, broken alert file named `name`.
fn repo_with_alert_file(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/_base");
    for entry in walkdir::WalkDir::new(&base) {
        let entry = entry.expect("walk");
        let target = dir
            .path()
            .join(entry.path().strip_prefix(&base).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    // Line 2, column 3: an unknown key.
    std::fs::write(
        dir.path().join("rota/alerts").join(name),
        "- id: extra\n  bogus: 1\n  summary: x\n  severity: low\n",
    )
    .expect("write");
    dir
}

fn github(dir: &Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rota"))
        .arg("--root")
        .arg(dir)
        .args(["--today", "2026-11-22", "check", "--format", "github"])
        .output()
        .expect("run rota");
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn annotation_properties_escape_comma_colon_percent_and_carriage_return() {
    let dir = repo_with_alert_file("a,b:c%d\re.yaml");
    let out = github(dir.path());
    let line = out
        .lines()
        .find(|l| l.starts_with("::error file=rota/alerts/a"))
        .unwrap_or_else(|| panic!("no annotation for the broken file:\n{out}"));
    assert!(
        line.starts_with(
            "::error file=rota/alerts/a%2Cb%3Ac%25d%0De.yaml,line=2,col=3,title=parse::"
        ),
        "{line}"
    );
    // One annotation is one line: nothing raw after the message either.
    assert!(!line.contains('\r'), "{line:?}");
}

#[test]
fn a_plain_file_name_is_left_as_it_is() {
    let dir = repo_with_alert_file("extra.yaml");
    let out = github(dir.path());
    assert!(
        out.lines().any(
            |l| l.starts_with("::error file=rota/alerts/extra.yaml,line=2,col=3,title=parse::")
        ),
        "{out}"
    );
}

/// `rota check --format gitlab` on `dir`, parsed.
fn gitlab(dir: &Path) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rota"))
        .arg("--root")
        .arg(dir)
        .args(["--today", "2026-11-22", "check", "--format", "gitlab"])
        .output()
        .expect("run rota");
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

#[test]
fn findings_on_identical_lines_get_distinct_fingerprints() {
    // `*occurrence += 1` → `*=` (report/gitlab.rs): every occurrence would count as 0.
    // Two identical leave lines give two `leave-conflict` findings on the same text. Each
    // fingerprint is the first 16 bytes of SHA-256 over rule, path, line text and
    // occurrence, each followed by a NUL byte — computed independently with Python's
    // hashlib:
    //   h = sha256(); for part in [rule, path, text, str(n)]: h.update(part.encode() + b"\0")
    let repo = common::TestRepo::new();
    let line = "- { person: alice, from: 2026-12-10, to: 2026-12-12 }";
    repo.write("rota/leave.yaml", &format!("{line}\n{line}\n"));
    let issues = gitlab(repo.path());
    let rows: Vec<(String, String, String, i64)> = issues
        .as_array()
        .expect("array")
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap_or("").to_string(),
                i["fingerprint"].as_str().unwrap_or("").to_string(),
                i["severity"].as_str().unwrap_or("").to_string(),
                i["location"]["lines"]["begin"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "leave-conflict".to_string(),
                "11e95155cfb8a036528d134144d16bbb".to_string(),
                "major".to_string(),
                1
            ),
            (
                "leave-conflict".to_string(),
                "c04f9b99682e8b13fa4394d5d4ded4df".to_string(),
                "major".to_string(),
                2
            ),
        ]
    );
}
