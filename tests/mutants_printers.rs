//! The finding printers escape what they print: a GitHub annotation's properties escape
//! `%`, CR, LF, `:` and `,` (GitHub's workflow-command rules), its message `%`, CR and
//! LF. Written to kill the mutants that survived the suite (`,` and `\r` left raw in
//! annotation properties); expected strings are written out by hand.

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
