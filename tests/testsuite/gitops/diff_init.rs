//! `rota diff` against a temporary git repository, and `rota init`. Both need git (and
//! tar, for `git archive`); a missing tool fails these tests.

use crate::common::*;
use std::path::Path;

/// A repository with two commits: the `ooh` rota, then bob taking grace's primary week
/// from Wednesday 25 November (turn 46: grace primary, heidi secondary).
fn two_commits() -> TestRepo {
    let repo = TestRepo::new();
    git(repo.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "rota"]);
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-11-25T10:00, to: 2026-12-02T10:00, person: bob, replaces: grace }\n"),
    );
    git(
        repo.path(),
        &["commit", "--quiet", "-am", "bob covers grace"],
    );
    repo
}

#[test]
fn diff_reports_the_moved_week_and_the_changed_shares() {
    let repo = two_commits();
    let status_before = git(repo.path(), &["status", "--porcelain"]);
    let text = repo.stdout(&["diff", "--base", "HEAD~1"]);
    assert!(
        text.contains("| Wed 25 Nov 2026 10:00 GMT → Wed 02 Dec 2026 10:00 GMT | `ooh` | `primary` | `grace` | `bob` |"),
        "{text}"
    );
    assert!(text.contains("Shifts that change hands (1)"), "{text}");
    // Share window: 16 weekly turns from 25 November (13 weeks rounded up to two cycles
    // of 8). Bob holds 4 of them, plus grace's week: 5/16 = 31%; grace 3/16 = 19%.
    assert!(text.contains("| `bob` | 25% | 31% |"), "{text}");
    assert!(text.contains("| `grace` | 25% | 19% |"), "{text}");
    assert!(!text.contains("| `alice` |"), "{text}");
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), status_before);
}

#[test]
fn diff_defaults_to_head_and_reports_findings_introduced_and_fixed() {
    let repo = two_commits();
    let unchanged = repo.stdout(&["diff"]);
    assert_eq!(unchanged.lines().count(), 1, "{unchanged}");
    assert!(unchanged.contains("no change"), "{unchanged}");

    // Bob goes on leave in the week he now covers: a finding introduced in the working tree only.
    repo.write(
        "rota/leave.yaml",
        "- { person: bob, from: 2026-11-28, to: 2026-11-29 }\n",
    );
    let text = repo.stdout(&["diff"]);
    assert!(text.contains("### Findings introduced (1)"), "{text}");
    assert!(
        text.contains("`leave-conflict` `rota/leave.yaml`:1"),
        "{text}"
    );
    assert!(text.contains("No shift changes hands."), "{text}");
    assert!(!text.contains("Findings fixed"), "{text}");

    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "leave"]);
    repo.remove("rota/leave.yaml");
    let text = repo.stdout(&["diff"]);
    assert!(text.contains("### Findings fixed (1)"), "{text}");
    // The index and the working tree are as they were: leave.yaml deleted, not staged.
    assert_eq!(
        git(repo.path(), &["status", "--porcelain"]),
        " D rota/leave.yaml\n"
    );
}

#[test]
fn diff_refuses_a_bad_base_and_a_folder_outside_git() {
    let repo = two_commits();
    for base in ["--base=no-such-rev", "--base=--upload-pack=x"] {
        let out = repo.rota(&["diff", base]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{base}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--base"));
    }
    let plain = TestRepo::new();
    let out = plain.rota(&["diff"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("git"));
}

/// `rota init DIR` with the given extra arguments, from a neutral directory.
fn init(dir: &Path, extra: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .args(["--today", TODAY, "init"])
        .arg(dir)
        .args(extra)
        .output()
        .expect("run")
}

#[test]
fn init_writes_a_repository_that_passes_check_and_builds() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("support");
    let out = init(&dir, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "rota/config.yaml",
        "rota/people.yaml",
        "rota/rotas/in-hours.yaml",
        "rota/rotas/out-of-hours.yaml",
        "rota/alerts/website.yaml",
        "runbooks/site-down.md",
        ".github/workflows/rota.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    assert!(!dir.join(".gitlab-ci.yml").exists());
    // git is on every machine these tests run on (`rota diff`'s tests need it too).
    assert!(dir.join(".git").is_dir(), "init starts a git repository");
    let rota = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("rota")
            .expect("binary")
            .arg("--root")
            .arg(&dir)
            .args(["--today", TODAY])
            .args(args)
            .output()
            .expect("run")
    };
    let check = rota(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(check.status.code(), Some(0), "{json}");
    assert_eq!(json["errors"], 0, "{json}");
    assert_eq!(json["warnings"], 0, "{json}");
    let build = rota(&["build"]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(
        dir.join("public/calendars/rotas/out-of-hours.ics")
            .is_file()
    );
    // Someone is on call in both rotas today, with two distinct people.
    let now = rota(&["now", "--format", "json"]);
    let now: serde_json::Value = serde_json::from_slice(&now.stdout).expect("json");
    for r in now["rotas"].as_array().expect("rotas") {
        let people: Vec<&str> = r["positions"]
            .as_array()
            .expect("positions")
            .iter()
            .filter_map(|p| p["person"].as_str())
            .collect();
        assert_eq!(people.len(), 2, "{r}");
        assert_ne!(people[0], people[1], "{r}");
    }
}

#[test]
fn init_gitlab_writes_a_gitlab_pipeline_instead() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("support");
    std::fs::create_dir(&dir).expect("mkdir");
    let out = init(&dir, &["--gitlab"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ci = std::fs::read_to_string(dir.join(".gitlab-ci.yml")).expect("gitlab-ci");
    assert!(ci.contains("rota check --format gitlab --new-since"));
    assert!(ci.contains("codequality: gl-code-quality-report.json"));
    assert!(ci.contains("rota diff --base"));
    assert!(ci.contains("pages:") && ci.contains("$CI_DEFAULT_BRANCH"));
    assert!(!dir.join(".github").exists());
}

#[test]
fn init_adds_the_example_to_a_fresh_clone_and_keeps_its_readme_and_licence() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("support");
    std::fs::create_dir(&dir).expect("mkdir");
    git(&dir, &["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(dir.join("README.md"), "# Our on-call\n").expect("write");
    std::fs::write(dir.join("LICENSE"), "MIT\n").expect("write");
    let head_before = std::fs::read(dir.join(".git/HEAD")).expect("HEAD");
    let out = init(&dir, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Theirs, byte for byte; the example's README is not written over it.
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).expect("readme"),
        "# Our on-call\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("LICENSE")).expect("licence"),
        "MIT\n"
    );
    assert_eq!(
        std::fs::read(dir.join(".git/HEAD")).expect("HEAD"),
        head_before
    );
    let (added, kept) = stdout.split_once("Kept as they are").expect(&stdout);
    assert!(added.contains("  rota/config.yaml\n"), "{stdout}");
    assert!(!added.contains("README.md"), "{stdout}");
    assert!(kept.contains("  README.md\n"), "{stdout}");
    assert!(stdout.contains("in the git repository there"), "{stdout}");
    // No staging folder is left behind, inside or beside.
    let hidden: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rota-init"))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    assert_eq!(std::fs::read_dir(parent.path()).expect("dir").count(), 1);
    let check = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(&dir)
        .args(["--today", TODAY, "check"])
        .output()
        .expect("run");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // A second run adds nothing and overwrites nothing.
    std::fs::write(dir.join("rota/people.yaml"), "edited\n").expect("write");
    let again = init(&dir, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("has a rota/ folder already"));
    assert_eq!(
        std::fs::read_to_string(dir.join("rota/people.yaml")).expect("people"),
        "edited\n"
    );
}

#[test]
fn init_in_a_folder_with_only_git_writes_every_file() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("support");
    std::fs::create_dir(&dir).expect("mkdir");
    git(&dir, &["init", "--quiet"]);
    let out = init(&dir, &["--gitlab"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(!stdout.contains("Kept"), "{stdout}");
    for file in ["README.md", ".gitlab-ci.yml", "rota/people.yaml"] {
        assert!(dir.join(file).is_file(), "{file}");
    }
}

#[test]
fn init_refuses_a_file_in_the_way_of_a_folder_and_writes_nothing() {
    let parent = tempfile::tempdir().expect("temp");
    let dir = parent.path().join("support");
    std::fs::create_dir(&dir).expect("mkdir");
    // `runbooks` is a file here: the example's runbooks/site-down.md cannot be written.
    std::fs::write(dir.join("runbooks"), "mine").expect("write");
    let out = init(&dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("runbooks"));
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["runbooks"], "nothing written, no folder made");

    let missing_parent = parent.path().join("no/such/place");
    let out = init(&missing_parent, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!parent.path().join("no").exists());
}

#[test]
fn diff_reads_a_data_folder_below_the_top_of_the_git_repository() {
    let repo = TestRepo::empty();
    repo.write("team/rota/config.yaml", CONFIG)
        .write("team/rota/people.yaml", PEOPLE)
        .write("team/rota/rotas/ooh.yaml", OOH)
        .write("README.md", "not data\n");
    git(repo.path(), &["init", "--quiet"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "rota"]);
    repo.write(
        "team/rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-11-25T10:00, to: 2026-12-02T10:00, person: bob, replaces: grace }\n"),
    );
    // Run from outside the repository, with --root pointing into it.
    let out = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .current_dir(std::env::temp_dir())
        .arg("--root")
        .arg(repo.path().join("team"))
        .args(["--today", TODAY, "diff", "--base", "HEAD"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("| `ooh` | `primary` | `grace` | `bob` |"),
        "{text}"
    );
}

/// The repository of the check snapshots, committed: two warnings about dan (`max-share`
/// 31%, `back-to-back`) and an error (alice on call during her leave).
fn known_findings() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        // Dan's one-way cover gives him a weekend more than Bob: a spread of 4 weekend
        // days, allowed here (these tests are about other findings).
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-16T10:00, to: 2026-12-23T10:00, person: dan, replaces: bob }\npolicy: { weekend_spread: 4 }\n"),
    );
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-11, note: Dentist }\n",
    );
    git(repo.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(repo.path(), &["add", "-A"]);
    git(
        repo.path(),
        &["commit", "--quiet", "-m", "rota with findings"],
    );
    repo
}

fn commit(repo: &TestRepo, message: &str) {
    git(repo.path(), &["add", "-A"]);
    git(
        repo.path(),
        &["commit", "--quiet", "--allow-empty", "-m", message],
    );
}

/// `rota check ARGS…`: exit code and standard output.
fn check(repo: &TestRepo, args: &[&str]) -> (i32, String) {
    let out = repo
        .rota(&[&["check"], args].concat())
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `rota check --new-since REV --format json`: exit code and the findings' (rule, known).
fn check_json(repo: &TestRepo, rev: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let (code, text) = check(
        repo,
        &[&["--new-since", rev, "--format", "json"], extra].concat(),
    );
    (code, serde_json::from_str(&text).expect("json"))
}

fn new_rules(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["known"] == false)
        .map(|f| f["rule"].as_str().expect("rule").to_string())
        .collect()
}

#[test]
fn check_new_since_passes_on_known_findings_and_fails_on_a_new_error() {
    let repo = known_findings();
    repo.write("README.md", "our rota\n");
    commit(&repo, "readme");
    // Without a baseline the known error fails the check; with one it does not.
    assert_eq!(check(&repo, &[]).0, 1);
    let (code, text) = check(&repo, &["--new-since", "HEAD~1"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("error[leave-conflict]: (known) alice"),
        "{text}"
    );
    assert!(text.contains("warning[max-share]: (known) dan"), "{text}");
    assert!(text.contains("ok: 0 new, 3 known at HEAD~1"), "{text}");

    // The last commit puts bob on leave while he is secondary: one new error.
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-11, note: Dentist }\n- { person: bob, from: 2026-12-10, to: 2026-12-11 }\n",
    );
    commit(&repo, "bob's leave");
    let (code, text) = check(&repo, &["--new-since", "HEAD~1"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("failed: 1 new, 3 known at HEAD~1"), "{text}");
    assert!(text.contains("error[leave-conflict]: bob"), "{text}");
    // Against the first commit too.
    assert_eq!(check(&repo, &["--new-since", "HEAD~2"]).0, 1);
}

#[test]
fn check_new_since_knows_a_finding_whose_numbers_changed_or_line_moved() {
    let repo = known_findings();
    // dan's max-share message now says 29%; the leave entry moves down two lines.
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}policy:\n  ideal_share: 0.29\n"),
    );
    repo.write(
        "rota/leave.yaml",
        "# leave\n# booked in the HR system first\n- { person: alice, from: 2026-12-10, to: 2026-12-11, note: Dentist }\n",
    );
    commit(&repo, "stricter share, comments");
    let (code, json) = check_json(&repo, "HEAD~1", &["--deny-warnings"]);
    assert_eq!(code, 0, "{json}");
    let max_share = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "max-share")
        .expect("max-share")
        .clone();
    assert!(
        max_share["message"]
            .as_str()
            .is_some_and(|m| m.contains("29%")),
        "{max_share}"
    );
    assert_eq!(max_share["known"], true);
    let leave = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "leave-conflict")
        .expect("leave-conflict")
        .clone();
    assert_eq!(
        (leave["line"].as_u64(), &leave["known"]),
        (Some(3), &true.into())
    );
    // A finding about someone else is not the same finding, numbers or not.
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}policy:\n  ideal_share: 0.2\n"),
    );
    let (code, json) = check_json(&repo, "HEAD", &["--deny-warnings"]);
    assert_eq!(code, 1, "{json}");
    let new = new_rules(&json);
    assert!(
        !new.is_empty() && new.iter().all(|r| r == "max-share"),
        "{json}"
    );
    // The same finding got worse (a warning at the base, an error now): new.
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}policy:\n  ideal_share: 0.1\n  max_share: 0.2\n"),
    );
    let (code, json) = check_json(&repo, "HEAD", &[]);
    assert_eq!(code, 1, "{json}");
    let errors: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "max-share" && f["level"] == "error")
        .collect();
    assert!(!errors.is_empty(), "{json}");
    assert!(errors.iter().all(|f| f["known"] == false), "{json}");
}

#[test]
fn check_new_since_with_deny_warnings_fails_only_on_a_new_warning_and_json_marks_known() {
    let repo = known_findings();
    commit(&repo, "nothing");
    assert_eq!(check(&repo, &["--deny-warnings"]).0, 1);
    let (code, json) = check_json(&repo, "HEAD~1", &["--deny-warnings"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        (json["new"].as_u64(), json["known"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(json["base"], "HEAD~1");
    assert!(
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["known"] == true),
        "{json}"
    );
    // A second override makes erin take three turns running: a new back-to-back warning.
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-16T10:00, to: 2026-12-23T10:00, person: dan, replaces: bob }\n  - { position: primary, from: 2027-01-13T10:00, to: 2027-01-20T10:00, person: erin, replaces: frank }\n"),
    );
    commit(&repo, "erin covers grace");
    let (code, json) = check_json(&repo, "HEAD~1", &[]);
    assert_eq!(
        code, 0,
        "a new warning fails only with --deny-warnings: {json}"
    );
    let (code, json) = check_json(&repo, "HEAD~1", &["--deny-warnings"]);
    assert_eq!(code, 1, "{json}");
    assert!(
        new_rules(&json).contains(&"back-to-back".to_string()),
        "{json}"
    );
    assert!(json["known"].as_u64() >= Some(2), "{json}");
    assert_eq!(json["new"].as_u64(), Some(new_rules(&json).len() as u64));
}

#[test]
fn check_new_since_github_and_gitlab_mark_known_findings() {
    let repo = known_findings();
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-11, note: Dentist }\n- { person: bob, from: 2026-12-10, to: 2026-12-11 }\n",
    );
    let (code, text) = check(&repo, &["--new-since", "HEAD", "--format", "github"]);
    assert_eq!(code, 1, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::error ")).count(),
        1,
        "{text}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("::notice ")).count(),
        3,
        "{text}"
    );
    assert!(
        text.contains("title=leave-conflict (known)::alice"),
        "{text}"
    );
    assert!(
        text.contains("1 new (1 error(s), 0 warning(s)), 3 known"),
        "{text}"
    );
    let (_, text) = check(&repo, &["--new-since", "HEAD", "--format", "gitlab"]);
    let issues: serde_json::Value = serde_json::from_str(&text).expect("json");
    let severities: Vec<&str> = issues
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["severity"].as_str().expect("severity"))
        .collect();
    assert_eq!(
        severities.iter().filter(|s| **s == "info").count(),
        3,
        "{text}"
    );
    assert_eq!(
        severities.iter().filter(|s| **s == "major").count(),
        1,
        "{text}"
    );
}

#[test]
fn check_new_since_refuses_a_rev_that_does_not_exist_and_a_folder_outside_git() {
    let repo = known_findings();
    for rev in ["no-such-rev", "--upload-pack=x"] {
        let out = repo
            .rota(&["check", &format!("--new-since={rev}")])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{rev}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--new-since") && stderr.contains("not a commit"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
    let plain = TestRepo::new();
    let out = plain
        .rota(&["check", "--new-since", "HEAD"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git repository"));
}

#[test]
fn check_new_since_a_commit_without_data_counts_every_finding_as_new() {
    let repo = TestRepo::empty();
    repo.write("README.md", "soon a rota\n");
    git(repo.path(), &["init", "--quiet", "--initial-branch=main"]);
    commit(&repo, "readme");
    let data = known_findings();
    for rel in [
        "rota/config.yaml",
        "rota/people.yaml",
        "rota/rotas/ooh.yaml",
        "rota/leave.yaml",
    ] {
        let text = std::fs::read_to_string(data.path().join(rel)).expect("read");
        repo.write(rel, &text);
    }
    let out = repo
        .rota(&["check", "--new-since", "HEAD", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (json["new"].as_u64(), json["known"].as_u64()),
        (Some(3), Some(0))
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("every finding counts as new"));
}

#[test]
fn diff_lists_a_max_share_whose_numbers_changed_once_as_changed() {
    let repo = known_findings();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}policy:\n  ideal_share: 0.29\n"),
    );
    let text = repo.stdout(&["diff", "--base", "HEAD"]);
    assert!(text.contains("### Findings changed (1)"), "{text}");
    assert!(
        text.contains("above the ideal 30%`` → ``dan is on call"),
        "{text}"
    );
    assert!(text.contains("above the ideal 29%``"), "{text}");
    assert!(!text.contains("Findings introduced"), "{text}");
    assert!(!text.contains("Findings fixed"), "{text}");
    assert_eq!(text.matches("`max-share`").count(), 1, "{text}");
}

#[test]
fn diff_lists_leave_holidays_people_alerts_and_runbooks_added_and_removed() {
    let repo = known_findings();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays: [2026-12-25]\n"),
    );
    repo.write(
        "rota/alerts/site.yaml",
        "- { id: site-down, summary: Site returns 5xx, severity: critical, pages: [ooh], runbook: site-down }\n",
    );
    repo.write(
        "runbooks/site-down.md",
        "---\ntitle: Site down\n---\n# Site down\n",
    );
    commit(&repo, "holiday, alert, runbook");
    // The change: another holiday instead, a new person, other leave, the alert and
    // the runbook gone.
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays: [2026-12-28]\n"),
    );
    repo.write(
        "rota/people.yaml",
        &format!("{PEOPLE}- {{ id: ivan, name: Ivan Petrov, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }}\n"),
    );
    repo.write(
        "rota/leave.yaml",
        "- { person: carol, from: 2027-02-01, to: 2027-02-05, note: Ski trip }\n",
    );
    repo.remove("rota/alerts/site.yaml");
    repo.remove("runbooks/site-down.md");
    let text = repo.stdout(&["diff", "--base", "HEAD"]);
    for expected in [
        "### Leave: 1 added, 1 removed",
        "- added `carol`: `2027-02-01 to 2027-02-05 (Ski trip)`",
        "- removed `alice`: `2026-12-10 to 2026-12-11 (Dentist)`",
        "### Holidays: 1 added, 1 removed",
        "- added `2026-12-28`",
        "- removed `2026-12-25`",
        "### People: 1 added, 0 removed",
        "- added `ivan`: `Ivan Petrov`",
        "### Alerts: 0 added, 1 removed",
        "- removed `site-down`: `Site returns 5xx`",
        "### Runbooks: 0 added, 1 removed",
        "- removed `site-down`: `Site down`",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    // Nothing is listed twice; an unchanged kind is not listed.
    for line in text.lines().filter(|l| l.starts_with("- ")) {
        assert_eq!(text.matches(line).count(), 1, "{line}\n{text}");
    }
    assert!(!text.contains("### Shifts that change hands"), "{text}");
    // An alert that stays but pages another rota is listed once, as its route; a named
    // holiday says its name.
    git(repo.path(), &["checkout", "--quiet", "--", "."]);
    repo.write(
        "rota/alerts/site.yaml",
        "- { id: site-down, summary: Site returns 5xx, severity: critical, pages: [], runbook: site-down }\n",
    );
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays: [2026-12-25, {{ date: 2027-01-01, name: New Year's Day }}]\n"),
    );
    let text = repo.stdout(&["diff", "--base", "HEAD"]);
    for expected in [
        "### Who alerts page: 1 added, 1 removed",
        "- added `site-down`: `pages nobody`",
        "- removed `site-down`: `pages ooh`",
        "- added `2027-01-01`: `New Year's Day`",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    assert!(!text.contains("### Alerts"), "{text}");
    // Undo it all: nothing to report about the entries.
    git(repo.path(), &["checkout", "--quiet", "--", "."]);
    let text = repo.stdout(&["diff", "--base", "HEAD"]);
    assert!(
        !text.contains("added") && !text.contains("removed"),
        "{text}"
    );
}

#[test]
fn the_ci_templates_gate_pull_requests_on_new_findings_only() {
    let parent = tempfile::tempdir().expect("temp");
    let github = parent.path().join("github");
    let gitlab = parent.path().join("gitlab");
    assert!(init(&github, &[]).status.success());
    assert!(init(&gitlab, &["--gitlab"]).status.success());
    let read = |p: &Path| std::fs::read_to_string(p).expect("read");
    let own = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/rota.yml"));
    for workflow in [read(&github.join(".github/workflows/rota.yml")), own] {
        assert!(workflow.contains("fetch-depth: 0"), "{workflow}");
        assert!(
            workflow.contains("BASE_SHA: ${{ github.event.pull_request.base.sha }}"),
            "{workflow}"
        );
        assert!(
            workflow.contains("rota check --format github --new-since \"$BASE_SHA\""),
            "{workflow}"
        );
        // The default branch still checks every finding.
        assert!(
            workflow.contains("rota check --format github\n"),
            "{workflow}"
        );
    }
    let ci = read(&gitlab.join(".gitlab-ci.yml"));
    assert!(ci.contains("GIT_DEPTH: 0"), "{ci}");
    assert!(
        ci.contains("rota check --format gitlab --new-since \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\" > gl-code-quality-report.json"),
        "{ci}"
    );
    assert!(ci.contains("    - rota check\n    - rota build"), "{ci}");
}
