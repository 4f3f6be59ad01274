//! The bad-input corpus: every case under `tests/corpus/cases/` is one change to the small
//! valid repository in `tests/corpus/_base/`, and ONE snapshot records what `rota check`
//! says about each (rule, level, file, line, column — or the exit code and first line of
//! a refusal). Beyond the snapshot, every case must hold: no panic, an exit code of 0, 1
//! or 2, no secret from outside the repository echoed, and `rota build` writing nothing
//! outside its `--out` folder.
//!
//! A case file is `# what it tests`, then `path: REL` (replace or add that file with the
//! bytes after the `---` line), `remove: REL` (delete it) or `symlink: REL` (make REL a
//! symbolic link to a file outside the repository holding those bytes).

use assert_cmd::Command;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-22";
/// Written into every file a symlink case points at; must never be printed.
const SECRET_MARK: &str = "SECRET-CONTENT";

struct Case {
    name: String,
    what: String,
    kind: String,
    path: String,
    bytes: Vec<u8>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn read_case(path: &Path) -> Case {
    let raw = std::fs::read(path).expect("read case");
    let sep = b"\n---\n";
    let at = raw
        .windows(sep.len())
        .position(|w| w == sep)
        .unwrap_or_else(|| panic!("{}: no `---` line", path.display()));
    let header = String::from_utf8(raw[..at].to_vec()).expect("header is UTF-8");
    let mut lines = header.lines();
    let what = lines
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .unwrap_or_else(|| panic!("{}: first line must be `# what`", path.display()))
        .to_string();
    let (kind, rel) = lines
        .next()
        .and_then(|l| l.split_once(": "))
        .unwrap_or_else(|| panic!("{}: second line must be `KIND: PATH`", path.display()));
    Case {
        name: path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned(),
        what,
        kind: kind.to_string(),
        path: rel.to_string(),
        bytes: raw[at + sep.len()..].to_vec(),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk base");
        let rel = entry.path().strip_prefix(from).expect("under base");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Builds the case's repository in `work/repo` (outside files in `work/outside`).
fn materialise(case: &Case, work: &Path) -> PathBuf {
    let repo = work.join("repo");
    copy_tree(&corpus_dir().join("_base"), &repo);
    let target = repo.join(&case.path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    match case.kind.as_str() {
        "path" => std::fs::write(&target, &case.bytes).expect("write"),
        "remove" => std::fs::remove_file(&target).expect("remove"),
        "symlink" => {
            let outside = work.join("outside");
            std::fs::create_dir_all(&outside).expect("mkdir");
            let secret = outside.join("secret.txt");
            std::fs::write(&secret, &case.bytes).expect("write secret");
            std::os::unix::fs::symlink(&secret, &target).expect("symlink");
        }
        other => panic!("{}: unknown case kind `{other}`", case.name),
    }
    repo
}

fn rota(repo: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("rota")
        .expect("binary")
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .arg("--root")
        .arg(repo)
        .args(["--today", TODAY])
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run rota")
}

/// Every path under `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .expect("under")
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

/// What `check` says about one case, one line per finding; problems go to `failures`.
fn run_case(case: &Case, failures: &mut Vec<String>) -> String {
    let work = tempfile::tempdir().expect("temp dir");
    let repo = materialise(case, work.path());
    let root = repo.display().to_string();
    let mut report = format!("{} ({})\n", case.name, case.what);

    let check = rota(&repo, &["check", "--format", "json"]);
    let stdout = String::from_utf8_lossy(&check.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
    let code = check.status.code().unwrap_or(-1);
    if !matches!(code, 0..=2) || stderr.contains("panicked") {
        failures.push(format!(
            "{}: check exited {code} (a crash?): {stderr}",
            case.name
        ));
    }
    if stdout.contains(SECRET_MARK) || stderr.contains(SECRET_MARK) {
        failures.push(format!(
            "{}: a file outside the repository was echoed",
            case.name
        ));
    }
    let _ = writeln!(report, "  check: exit {code}");
    match serde_json::from_str::<Value>(&stdout) {
        Ok(json) => {
            for f in json["findings"].as_array().into_iter().flatten() {
                let _ = writeln!(
                    report,
                    "  {} {} {}:{}:{}",
                    f["level"].as_str().unwrap_or("?"),
                    f["rule"].as_str().unwrap_or("?"),
                    f["file"].as_str().unwrap_or("?"),
                    f["line"],
                    f["column"]
                );
            }
        }
        Err(_) => {
            let first = stderr.lines().next().unwrap_or("").replace(&root, "<root>");
            let _ = writeln!(report, "  refused: {first}");
        }
    }

    // `build` on the same input: exit code in range, nothing outside --out, no secret.
    let before = listing(work.path());
    let out_dir = work.path().join("out");
    let build = rota(&repo, &["build", "--out", &out_dir.display().to_string()]);
    let build_code = build.status.code().unwrap_or(-1);
    let build_text = format!(
        "{}{}",
        String::from_utf8_lossy(&build.stdout),
        String::from_utf8_lossy(&build.stderr)
    );
    if !matches!(build_code, 0..=2) || build_text.contains("panicked") {
        failures.push(format!(
            "{}: build exited {build_code}: {build_text}",
            case.name
        ));
    }
    if build_text.contains(SECRET_MARK) {
        failures.push(format!(
            "{}: build echoed a file outside the repository",
            case.name
        ));
    }
    let after: Vec<String> = listing(work.path())
        .into_iter()
        .filter(|p| p != "out" && !p.starts_with("out/"))
        .collect();
    if after != before {
        failures.push(format!(
            "{}: build changed files outside --out: {:?}",
            case.name,
            after
                .iter()
                .filter(|p| !before.contains(p))
                .collect::<Vec<_>>()
        ));
    }
    if build_code != 0 && out_dir.exists() {
        failures.push(format!(
            "{}: a failed build (exit {build_code}) left an output folder",
            case.name
        ));
    }
    if build_code == 0 {
        for path in listing(&out_dir) {
            let full = out_dir.join(&path);
            if full.is_file() {
                let bytes = std::fs::read(&full).expect("read output");
                let text = String::from_utf8_lossy(&bytes);
                if text.contains(SECRET_MARK) || text.contains(&root) {
                    failures.push(format!(
                        "{}: {path} holds a secret or an absolute path",
                        case.name
                    ));
                }
                if path.ends_with(".ics") && text.replace("\r\n", "").contains(['\r', '\n']) {
                    failures.push(format!("{}: {path} has a bare CR or LF", case.name));
                }
            }
        }
    }
    let _ = writeln!(report, "  build: exit {build_code}");
    report
}

#[test]
fn every_bad_input_gives_a_located_answer_and_never_a_crash() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("cases"))
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 40,
        "the corpus must hold at least 40 cases, has {}",
        paths.len()
    );
    let mut failures = Vec::new();
    let mut snapshot = String::new();
    for path in &paths {
        let case = read_case(path);
        snapshot.push_str(&run_case(&case, &mut failures));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    insta::assert_snapshot!("bad_input_corpus", snapshot);
}
