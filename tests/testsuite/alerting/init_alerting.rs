//! `rota init` pointed at a team's existing alerting: `--alert-rules` (a folder or a glob
//! of Prometheus rule files), `--alertmanager` and `--runbooks` write `alerting:` into
//! the new config and use the runbook tree, end to end (docs/alerting.md, "Pointing rota
//! at an existing setup").

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn example() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let dest = to.join(entry.path().strip_prefix(from).expect("under"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A team's repository before rota: the example's `monitoring/` and its runbooks under
/// `docs/runbooks/`.
fn team_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &example().join("monitoring"),
        &dir.path().join("monitoring"),
    );
    copy_tree(
        &example().join("runbooks"),
        &dir.path().join("docs/runbooks"),
    );
    dir
}

fn rota(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(dir)
        .args(["--today", "2026-11-22"])
        .args(args)
        .output()
        .expect("run")
}

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["init", dir.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    rota(dir, &all)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn init_points_rota_at_an_existing_rules_folder_and_runbook_tree() {
    let team = team_repo();
    let dir = team.path();
    let out = init(
        dir,
        &[
            "--alert-rules",
            "monitoring/",
            "--runbooks",
            "docs/runbooks",
        ],
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let config = std::fs::read_to_string(dir.join("rota/config.yaml")).expect("config");
    // The folder holds the Alertmanager configuration too: only the rule files are
    // globbed, and the configuration is found and named.
    assert!(
        config.contains("alerting:\n  rules: [\"monitoring/**/*.rules.yml\"]\n  alertmanager: monitoring/alertmanager.yml\n"),
        "{config}"
    );
    for receiver in [
        "tickets",
        "pager-in-hours",
        "pager-out-of-hours",
        "database-chat",
    ] {
        assert!(
            config.contains(&format!("    {receiver}: []\n")),
            "{config}"
        );
    }
    assert!(
        config.contains("runbook_url: \"https://example.github.io/support/runbooks/\""),
        "{config}"
    );
    // Neither the example's alert nor its runbook: the team's own are the catalogue.
    assert!(!dir.join("rota/alerts").exists());
    let link = std::fs::read_link(dir.join("runbooks")).expect("runbooks/ is a link");
    assert_eq!(link, Path::new("docs/runbooks"));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Linked runbooks/ to docs/runbooks"),
        "{stdout}"
    );
    assert!(stdout.contains("Map each receiver"), "{stdout}");

    // Mapped to the rotas init wrote, the rules are the catalogue, routed and linked
    // to the team's runbooks.
    std::fs::write(
        dir.join("rota/config.yaml"),
        config
            .replace("pager-in-hours: []", "pager-in-hours: in-hours")
            .replace("pager-out-of-hours: []", "pager-out-of-hours: out-of-hours"),
    )
    .expect("write");
    let out = rota(dir, &["alerts", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let alerts: Value = serde_json::from_slice(&out.stdout).expect("json");
    let site = alerts["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["id"] == "site-down")
        .cloned()
        .expect("site-down");
    assert_eq!(
        site["rotas"],
        serde_json::json!(["in-hours", "out-of-hours"])
    );
    assert_eq!(site["runbook"], "runbooks/site-down.md");
    let out = rota(dir, &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    for rule in ["parse", "alert-runbook", "alert-route"] {
        assert!(!rules.contains(&rule), "{rule}: {report:#}");
    }
}

#[test]
fn init_takes_a_glob_and_an_alertmanager_file_and_a_runbooks_folder_in_place() {
    let team = team_repo();
    let dir = team.path();
    std::fs::rename(dir.join("docs/runbooks"), dir.join("runbooks")).expect("move");
    let out = init(
        dir,
        &[
            "--alert-rules",
            "monitoring/*.rules.yml",
            "--alertmanager",
            "monitoring/alertmanager.yml",
            "--runbooks",
            "runbooks/",
        ],
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let config = std::fs::read_to_string(dir.join("rota/config.yaml")).expect("config");
    assert!(
        config.contains(
            "  rules: [\"monitoring/*.rules.yml\"]\n  alertmanager: monitoring/alertmanager.yml\n"
        ),
        "{config}"
    );
    // runbooks/ is the tree itself: no link, and the example's page is not added.
    assert!(
        !std::fs::symlink_metadata(dir.join("runbooks"))
            .expect("there")
            .file_type()
            .is_symlink()
    );
    assert!(
        !text(&out.stdout).contains("runbooks/site-down.md\n  "),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_folder_of_mixed_files_is_listed_file_by_file() {
    let team = team_repo();
    let dir = team.path();
    // A rule file not named *.rules.yml beside the Alertmanager configuration.
    std::fs::rename(
        dir.join("monitoring/platform.rules.yml"),
        dir.join("monitoring/platform.yml"),
    )
    .expect("rename");
    let out = init(dir, &["--alert-rules", "monitoring"]);
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let config = std::fs::read_to_string(dir.join("rota/config.yaml")).expect("config");
    assert!(
        config.contains(
            "  rules: [monitoring/platform.yml]\n  alertmanager: monitoring/alertmanager.yml\n"
        ),
        "{config}"
    );
    // Without --runbooks, the example's runbook is written as before.
    assert!(dir.join("runbooks/site-down.md").is_file());
}

#[test]
fn what_is_not_there_is_refused_before_anything_is_written() {
    let team = team_repo();
    let dir = team.path();
    for (args, says) in [
        (
            vec!["--alert-rules", "prometheus/"],
            "there is no prometheus",
        ),
        (
            vec!["--alert-rules", "docs/runbooks"],
            "no Prometheus rule file",
        ),
        (
            vec!["--alert-rules", "../monitoring"],
            "leads out of the repository",
        ),
        (vec!["--runbooks", "wiki"], "there is no folder wiki"),
        (
            vec!["--alertmanager", "monitoring/platform.rules.yml"],
            "not an Alertmanager configuration",
        ),
    ] {
        let out = init(dir, &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stdout)
        );
        let err = text(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!dir.join("rota").exists(), "{args:?}: nothing is written");
    }
    // A runbooks/ that is something else already is not replaced by the link.
    std::fs::create_dir_all(dir.join("runbooks")).expect("mkdir");
    std::fs::write(dir.join("runbooks/other.md"), "# Other\n").expect("write");
    let out = init(dir, &["--runbooks", "docs/runbooks"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("has a runbooks/ already"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.join("rota").exists());
}
