//! Small data repositories built in temporary folders, and ways to run `rota` on them.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const TODAY: &str = "2026-11-22";

pub const CONFIG: &str =
    "title: Test team\nbase_url: https://example.test/\ntimezone: Europe/London\n";

/// Eight experienced, vetted people who opted in.
pub const PEOPLE: &str = "\
- { id: alice, name: Alice, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: bob, name: Bob, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: carol, name: Carol, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: dan, name: Dan, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: erin, name: Erin, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: frank, name: Frank, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: grace, name: Grace, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
- { id: heidi, name: Heidi, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }
";

/// A 24/7 weekly primary/secondary rota of the eight: turn k (from 2026-01-07 10:00)
/// has primary members[k % 8] and secondary members[(k + 1) % 8]. Turn 50 starts
/// 2026-12-23 (carol, dan).
pub const OOH: &str = "\
name: Out of hours
kind: out-of-hours
hours: always
rotation:
  start: 2026-01-07
  handover: \"10:00\"
  every: 1w
  members: [alice, bob, carol, dan, erin, frank, grace, heidi]
positions:
  - { name: primary }
  - { name: secondary, offset: 1 }
escalation:
  - { after: 0m, notify: primary }
  - { after: 5m, notify: secondary }
  - { after: 10m, notify: \"person:alice\" }
";

pub struct TestRepo {
    dir: tempfile::TempDir,
}

impl TestRepo {
    /// Config, people and the `ooh` rota above: passes every rule.
    pub fn new() -> TestRepo {
        let repo = TestRepo::empty();
        repo.write("rota/config.yaml", CONFIG)
            .write("rota/people.yaml", PEOPLE)
            .write("rota/rotas/ooh.yaml", OOH);
        repo
    }

    pub fn empty() -> TestRepo {
        TestRepo {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &TestRepo {
        let path: PathBuf = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    pub fn remove(&self, rel: &str) -> &TestRepo {
        std::fs::remove_file(self.dir.path().join(rel)).expect("remove");
        self
    }

    /// `rota --root DIR --today TODAY ARGS…` (without `--today` when ARGS give `--at`:
    /// the two exclude each other).
    pub fn rota(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("rota").expect("binary");
        cmd.arg("--root").arg(self.dir.path());
        if !args.contains(&"--at") {
            cmd.args(["--today", TODAY]);
        }
        cmd.args(args);
        cmd
    }

    /// `rota check --format json`, parsed, and its exit code.
    pub fn check(&self) -> (Value, i32) {
        let out = self
            .rota(&["check", "--format", "json"])
            .output()
            .expect("run");
        let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (json, out.status.code().unwrap_or(-1))
    }

    /// Findings of one rule.
    pub fn findings(&self, rule: &str) -> Vec<Value> {
        let (json, _) = self.check();
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == rule)
            .cloned()
            .collect()
    }

    /// Runs a command expecting success; returns stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.rota(args).output().expect("run");
        assert!(
            out.status.success(),
            "rota {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.stdout(args)).expect("json")
    }
}

/// The OOH rota with `extra` appended (overrides, policy…).
pub fn ooh_with(extra: &str) -> String {
    format!("{OOH}{extra}")
}

/// Every file under `dir`: relative path → bytes (an output folder, a data repository).
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Runs git in `dir` as a test user (no signing), failing the test when git fails;
/// returns what it printed. A missing git fails the test: the git-ops tests need it.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
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
