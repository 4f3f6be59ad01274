//! Bad input of every kind gets a located message and a non-zero exit, never a panic.

mod common;
use common::*;

/// Runs `check` and returns (exit code, human output); asserts no panic.
fn check_human(repo: &TestRepo) -> (i32, String) {
    let out = repo.rota(&["check"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code().unwrap_or(-1), text)
}

/// Replaces `from` with `to` in the OOH rota and expects a parse finding at `line:column`.
fn bad_rota_value(from: &str, to: &str, line: u32, column: u32, says: &str) {
    let repo = TestRepo::new();
    assert!(OOH.contains(from), "{from}");
    repo.write("rota/rotas/ooh.yaml", &OOH.replacen(from, to, 1));
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1, "{text}");
    let place = format!("rota/rotas/ooh.yaml:{line}:{column}");
    assert!(text.contains(&place), "expected {place} in:\n{text}");
    assert!(text.contains(says), "expected `{says}` in:\n{text}");
}

#[test]
fn a_bad_duration() {
    bad_rota_value("every: 1w", "every: 1 fortnight", 7, 10, "unknown unit");
    bad_rota_value("{ after: 5m,", "{ after: 5,", 14, 14, "no unit");
}

#[test]
fn a_turn_length_that_does_not_divide_the_day() {
    bad_rota_value("every: 1w", "every: 5h", 7, 10, "divide 24");
}

#[test]
fn a_bad_local_time() {
    bad_rota_value(
        "handover: \"10:00\"",
        "handover: \"25:00\"",
        6,
        13,
        "not a local time",
    );
}

#[test]
fn a_bad_date() {
    bad_rota_value(
        "start: 2026-01-07",
        "start: 2026-02-30",
        5,
        10,
        "not a date",
    );
}

#[test]
fn a_bad_date_time() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-23 at ten, to: 2026-12-30T10:00, person: heidi }\n"),
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(
        text.contains("rota/rotas/ooh.yaml:17:32") && text.contains("not a date-time"),
        "{text}"
    );
}

#[test]
fn a_bad_time_zone() {
    bad_rota_value(
        "kind: out-of-hours",
        "kind: out-of-hours\ntimezone: Europe/Londres",
        3,
        11,
        "IANA",
    );
}

#[test]
fn a_bad_weekday() {
    bad_rota_value(
        "hours: always",
        "hours:\n  - { days: [monday], from: \"00:00\", to: \"24:00\" }",
        4,
        14,
        "not a day",
    );
}

#[test]
fn a_bad_id_and_a_bad_kind() {
    bad_rota_value(
        "members: [alice,",
        "members: [Alice,",
        8,
        13,
        "unknown person `Alice`",
    );
    bad_rota_value(
        "kind: out-of-hours",
        "kind: nights",
        2,
        7,
        "not a rota kind",
    );
}

#[test]
fn a_yaml_syntax_error_is_a_located_finding() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        "- { id: alice, name: Alice\n- { id: bob }\n",
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("rota/people.yaml:"), "{text}");
    assert!(text.contains("error[parse]"), "{text}");
}

#[test]
fn wrong_types_and_unknown_keys_are_located() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "- { name: secondary, offset: 1 }",
            "- { name: secondary, offset: one }",
        ),
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(text.contains("rota/rotas/ooh.yaml:11:"), "{text}");
    repo.write("rota/config.yaml", &format!("{CONFIG}horizn: 13w\n"));
    let (_, text) = check_human(&repo);
    assert!(
        text.contains("rota/config.yaml:4:1") && text.contains("horizn"),
        "{text}"
    );
}

#[test]
fn runbook_front_matter_errors_point_into_the_markdown_file() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/db/failover.md",
        "---\ntitle: Failover\nlast_reviewed: 2026-13-01\n---\n# Failover\n",
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(text.contains("runbooks/db/failover.md:3:16"), "{text}");
    repo.write(
        "runbooks/db/failover.md",
        "---\ntitle: Failover\nowner: [unclosed\n---\n# Failover\n",
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(text.contains("runbooks/db/failover.md:"), "{text}");
}

#[test]
fn missing_required_files_and_roots_are_exit_2() {
    let repo = TestRepo::new();
    repo.remove("rota/people.yaml");
    let out = repo.rota(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rota/people.yaml"));
    let empty = TestRepo::empty();
    let out = empty.rota(&["now"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rota/config.yaml"));
    let mut cmd = assert_cmd::Command::cargo_bin("rota").unwrap();
    let out = cmd
        .args(["--root", "/no/such/place", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = TestRepo::new()
        .rota(&["now", "--at", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = TestRepo::new().rota(&["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hostile_yaml_is_refused_without_a_panic() {
    let repo = TestRepo::new();
    let bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    repo.write("rota/services.yaml", bomb);
    repo.write("rota/leave.yaml", &"[".repeat(10_000));
    repo.write(
        "rota/alerts/x.yaml",
        "\u{feff}- { id: x, summary: \"\\uD800\", severity: low }\n",
    );
    let (code, _) = check_human(&repo);
    assert_eq!(code, 1);
}

#[test]
fn extreme_numbers_do_not_overflow() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "- { name: secondary, offset: 1 }",
            "- { name: secondary, offset: 9223372036854775807 }",
        )
        .replace(
            "- { name: primary }",
            "- { name: primary, offset: -9223372036854775808 }",
        ),
    );
    let (_, text) = check_human(&repo);
    assert!(!text.contains("panicked"));
    let out = repo.rota(&["now", "--format", "json"]).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
