//! `rota diff` against a temporary git repository, and `rota init`. Both need git (and
//! tar, for `git archive`); a missing tool fails these tests.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.test",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git must be installed to run these tests");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

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
    assert!(ci.contains("rota check --format gitlab > gl-code-quality-report.json"));
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
