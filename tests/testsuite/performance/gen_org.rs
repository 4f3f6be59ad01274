//! The benchmark organisation (`examples/gen-org.rs`): deterministic, the promised size,
//! and clean under `rota check`.

use crate::common::*;
use std::path::{Path, PathBuf};

/// `target/debug/examples/gen-org`, which `cargo test` builds beside the test binaries.
fn gen_org() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary");
    let target = exe
        .parent()
        .and_then(Path::parent)
        .expect("target directory");
    let path = target
        .join("examples")
        .join(format!("gen-org{}", std::env::consts::EXE_SUFFIX));
    assert!(path.is_file(), "{} was not built", path.display());
    path
}

fn generate(dir: &Path, runbooks: &str) {
    let out = std::process::Command::new(gen_org())
        .arg(dir)
        .args(["--runbooks", runbooks])
        .output()
        .expect("run gen-org");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn count_files(dir: &Path, ext: &str) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == ext))
        .count()
}

#[test]
fn the_generated_organisation_has_the_promised_size_and_passes_check() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("org");
    generate(&dir, "90");
    assert_eq!(count_files(&dir.join("rota/rotas"), "yaml"), 60);
    assert_eq!(count_files(&dir.join("runbooks"), "md"), 90);
    let people = std::fs::read_to_string(dir.join("rota/people.yaml")).unwrap();
    assert_eq!(people.lines().filter(|l| l.starts_with("- ")).count(), 500);
    let alerts: usize = std::fs::read_dir(dir.join("rota/alerts"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| t.lines().filter(|l| l.starts_with("- id: ")).count())
        .sum();
    assert_eq!(alerts, 2_000);
    let out = assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .arg("--root")
        .arg(&dir)
        .args(["--today", TODAY, "check", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_same_arguments_give_the_same_files_and_a_folder_in_use_is_refused() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(&a, "40");
    generate(&b, "40");
    for rel in [
        "rota/people.yaml",
        "rota/alerts/team-07.yaml",
        "runbooks/team-03/runbook-00033.md",
    ] {
        assert_eq!(
            std::fs::read(a.join(rel)).unwrap(),
            std::fs::read(b.join(rel)).unwrap(),
            "{rel}"
        );
    }
    let again = std::process::Command::new(gen_org())
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// The varied shape: sizes from 0.5 to 30 KB, folders up to 5 deep, tables, code blocks
/// and repeated headings; the same files twice, and clean under `rota check`.
#[test]
fn the_varied_shape_has_its_variety_and_passes_check() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let out = std::process::Command::new(gen_org())
            .arg(dir)
            .args(["--runbooks", "300", "--shape", "varied"])
            .output()
            .expect("run gen-org");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let pages: Vec<(PathBuf, String)> = walkdir::WalkDir::new(a.join("runbooks"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().to_path_buf(), text)
        })
        .collect();
    assert_eq!(pages.len(), 300);
    let sizes: Vec<usize> = pages.iter().map(|(_, t)| t.len()).collect();
    assert!(
        sizes.iter().all(|&s| (500..=32 * 1024).contains(&s)),
        "{sizes:?}"
    );
    assert!(sizes.iter().any(|&s| s > 15 * 1024), "a long tail");
    assert!(
        sizes.iter().filter(|&&s| s < 4 * 1024).count() > 150,
        "most are small"
    );
    let deepest = pages
        .iter()
        .map(|(p, _)| {
            p.strip_prefix(a.join("runbooks"))
                .unwrap()
                .components()
                .count()
        })
        .max();
    assert_eq!(deepest, Some(6), "5 folders, then the page");
    assert!(
        pages
            .iter()
            .any(|(_, t)| t.contains("|---|") && t.contains("```sh"))
    );
    assert!(pages.iter().any(|(_, t)| t.matches("### Step").count() > 2));
    assert!(pages.iter().any(|(_, t)| !t.is_ascii()));
    for (path, text) in &pages {
        let other = b.join(path.strip_prefix(&a).unwrap());
        assert_eq!(&std::fs::read_to_string(other).unwrap(), text);
    }
    let out = assert_cmd::Command::cargo_bin("rota")
        .unwrap()
        .arg("--root")
        .arg(&a)
        .args(["--today", TODAY, "check", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]), "{json:#}");
}
