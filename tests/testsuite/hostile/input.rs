//! A data repository is untrusted input (docs/security.md, "Reading the repository"):
//! links that would make a walk of the whole disk, or explode, are never walked, by the
//! loader or by `serve`'s watcher; a link into `.git/` publishes nothing; a `runbooks/`
//! that links outside is refused; a FIFO never blocks; files over their size limit are
//! refused unread; names that would replace a generated page are refused.

#![cfg(unix)]

use crate::common;

use crate::common::TestRepo;
use serde_json::Value;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// A loose guard against a hang (a blocked read, a walk of the whole disk): the commands
/// here answer in well under a second.
const HANG: Duration = Duration::from_secs(60);

const SECRET: &str = "ghp_HostileInputTestToken0123456789";

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// `rota check --format json` with a hang guard: the findings, the exit code and
/// everything printed.
fn check(repo: &TestRepo) -> (Vec<Value>, i32, String) {
    let out = repo
        .rota(&["check", "--format", "json"])
        .timeout(HANG)
        .output()
        .expect("run rota check");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("rota check did not finish within {HANG:?} (killed): {printed}"));
    let findings = serde_json::from_slice::<Value>(&out.stdout)
        .ok()
        .and_then(|json| json["findings"].as_array().cloned())
        .unwrap_or_default();
    (findings, code, printed)
}

/// The finding of `rule` at line 1, column 1 of `file`, if there is one.
fn at_file_start<'a>(findings: &'a [Value], rule: &str, file: &str) -> Option<&'a Value> {
    findings
        .iter()
        .find(|f| f["rule"] == rule && f["file"] == file && f["line"] == 1 && f["column"] == 1)
}

/// `serve`'s snapshot of `root`, taken on another thread so that a walk that never ends
/// fails the test instead of hanging it.
fn snapshot_paths(root: &Path) -> Vec<PathBuf> {
    let (send, receive) = mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let snapshot = rota::serve::watch::Snapshot::take(&root);
        let _ = send.send(snapshot.paths().map(Path::to_path_buf).collect());
    });
    receive
        .recv_timeout(HANG)
        .unwrap_or_else(|_| panic!("serve's snapshot did not finish within {HANG:?}"))
}

/// A repository with one page, `runbooks/root -> /`, and a diamond of 20 levels of
/// links (`runbooks/lN/{a,b} -> ../lN+1`: 2^20 paths to `l20/deep.md` for a walk that
/// follows links).
fn linked_to_everything() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("runbooks/page.md", "# Page\n");
    let runbooks = repo.path().join("runbooks");
    symlink("/", runbooks.join("root")).expect("link");
    for level in 0..20 {
        let dir = runbooks.join(format!("l{level}"));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let next = format!("../l{}", level + 1);
        symlink(&next, dir.join("a")).expect("link");
        symlink(&next, dir.join("b")).expect("link");
    }
    repo.write("runbooks/l20/deep.md", "# Deep\n");
    repo
}

#[test]
fn a_link_to_the_disk_root_and_a_diamond_of_links_are_never_walked() {
    let repo = linked_to_everything();
    let (findings, code, printed) = check(&repo);
    assert_eq!(code, 1, "{printed}");
    // The deep page is read once, at its own path, and the links are reported.
    let runbooks: Vec<&Value> = findings
        .iter()
        .filter(|f| f["file"].as_str().is_some_and(|p| p.contains("deep")))
        .collect();
    assert!(
        runbooks.iter().all(|f| f["file"] == "runbooks/l20/deep.md"),
        "{runbooks:?}"
    );
    assert!(at_file_start(&findings, "parse", "runbooks/root").is_some());
    assert!(at_file_start(&findings, "parse", "runbooks/l0/a").is_some());

    let root = repo.path().canonicalize().expect("root");
    let paths = snapshot_paths(repo.path());
    let mut expected: Vec<PathBuf> = walkdir::WalkDir::new(repo.path().join("runbooks"))
        .into_iter()
        .chain(walkdir::WalkDir::new(repo.path().join("rota")))
        .map(|e| e.expect("walk").into_path())
        .collect();
    expected.sort();
    assert_eq!(
        paths, expected,
        "the snapshot holds exactly the repository's own entries, no path through a link"
    );
    for path in &paths {
        let real = std::fs::canonicalize(path.parent().expect("parent")).expect("real");
        assert!(real.starts_with(&root), "{} is outside", path.display());
    }
}

#[test]
fn a_link_into_git_publishes_nothing_of_it_and_is_reported() {
    let repo = TestRepo::new();
    repo.write("runbooks/page.md", "# Page\n").write(
        ".git/config",
        &format!(
            "[remote \"origin\"]\n\turl = https://x-access-token:{SECRET}@github.com/org/data.git\n[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n"
        ),
    );
    std::fs::create_dir_all(repo.path().join("rota/alerts")).expect("mkdir");
    symlink("../.git/config", repo.path().join("runbooks/leak.md")).expect("link");
    symlink(
        "../../.git/config",
        repo.path().join("rota/alerts/leak.yaml"),
    )
    .expect("link");

    let (findings, code, printed) = check(&repo);
    assert_eq!(code, 1, "{printed}");
    for file in ["runbooks/leak.md", "rota/alerts/leak.yaml"] {
        let finding = at_file_start(&findings, "parse", file)
            .unwrap_or_else(|| panic!("no finding at {file}: {findings:?}"));
        assert!(
            finding["message"]
                .as_str()
                .is_some_and(|m| m.contains("version-control")),
            "{finding}"
        );
    }
    assert!(
        !printed.contains(SECRET),
        "check printed the secret: {printed}"
    );

    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = repo
        .rota(&["build", "--out"])
        .arg(out_dir.path())
        .timeout(HANG)
        .output()
        .expect("run rota build");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        printed.contains("runbooks/leak.md"),
        "build reports the link: {printed}"
    );
    assert!(
        !printed.contains(SECRET),
        "build printed the secret: {printed}"
    );
    for (path, bytes) in common::files_under(out_dir.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET),
            "{path} publishes the secret"
        );
    }
}

#[test]
fn a_runbooks_folder_that_links_outside_is_refused_before_anything_is_read() {
    let repo = TestRepo::new();
    symlink("/usr", repo.path().join("runbooks")).expect("link");
    let (_, code, printed) = check(&repo);
    assert_eq!(code, 2, "{printed}");
    assert!(
        printed.contains("runbooks/: is a symbolic link to a folder, outside the data repository"),
        "{printed}"
    );
    assert!(
        !printed.contains("usr"),
        "names from /usr reach the output: {printed}"
    );
    // serve's watcher sees the link itself, nothing through it.
    let paths = snapshot_paths(repo.path());
    assert!(
        paths
            .iter()
            .all(|p| !p.starts_with(repo.path().join("runbooks/"))
                || *p == repo.path().join("runbooks")),
        "{paths:?}"
    );
    assert!(paths.len() < 10, "{paths:?}");
}

#[test]
fn a_rota_or_templates_folder_that_links_outside_is_refused() {
    let outside = tempfile::tempdir().expect("temp dir");
    let data = TestRepo::new();
    for (top, target) in [("templates", Path::new("/usr")), ("rota", data.path())] {
        let repo = TestRepo::empty();
        repo.write("runbooks/page.md", "# Page\n");
        let target = if top == "rota" {
            // A whole, valid rota/ folder, outside the repository.
            let moved = outside.path().join("rota");
            std::fs::rename(target.join("rota"), &moved).expect("move");
            moved
        } else {
            target.to_path_buf()
        };
        symlink(&target, repo.path().join(top)).expect("link");
        let (_, code, printed) = check(&repo);
        assert_eq!(code, 2, "{top}: {printed}");
        assert!(
            printed.contains(&format!(
                "{top}/: is a symbolic link to a folder, outside the data repository"
            )),
            "{top}: {printed}"
        );
    }
}

/// Links that stay inside the repository (and out of `.git/`) keep working: a page that
/// links to a file elsewhere in the repository, and a `runbooks/` that links to a folder
/// in it.
#[test]
fn links_inside_the_repository_are_read() {
    let repo = TestRepo::new();
    repo.write("shared/runbooks/page.md", "# Shared page\n")
        .write("shared/runbooks/other.md", "# Other\n")
        .write("shared/shared.md", "# Shared page\n");
    symlink("shared/runbooks", repo.path().join("runbooks")).expect("link");
    symlink("../shared.md", repo.path().join("shared/runbooks/alias.md")).expect("link");
    let (findings, code, printed) = check(&repo);
    assert_eq!(code, 0, "{printed}");
    assert!(
        !findings.iter().any(|f| f["rule"] == "parse"),
        "{findings:?}"
    );
    let out_dir = tempfile::tempdir().expect("temp dir");
    repo.rota(&["build", "--out"])
        .arg(out_dir.path())
        .timeout(HANG)
        .assert()
        .success();
    for page in ["page", "other", "alias"] {
        let html = std::fs::read_to_string(out_dir.path().join(format!("runbooks/{page}.html")))
            .unwrap_or_else(|e| panic!("runbooks/{page}.html: {e}"));
        assert!(html.contains(if page == "other" {
            "Other"
        } else {
            "Shared page"
        }));
    }
}

#[test]
fn a_fifo_or_a_link_to_one_under_rota_or_runbooks_is_a_located_error_at_once() {
    let repo = TestRepo::new();
    mkfifo(&repo.path().join("rota/alerts/pipe.yaml"));
    mkfifo(&repo.path().join("runbooks/pipe.md"));
    mkfifo(&repo.path().join("runbooks/pipe.fifo"));
    symlink("pipe.fifo", repo.path().join("runbooks/linked.md")).expect("link");
    let (findings, code, printed) = check(&repo);
    assert_eq!(code, 1, "{printed}");
    for file in [
        "rota/alerts/pipe.yaml",
        "runbooks/pipe.md",
        "runbooks/linked.md",
    ] {
        let finding = at_file_start(&findings, "parse", file)
            .unwrap_or_else(|| panic!("no finding at {file}: {findings:?}"));
        assert!(
            finding["message"]
                .as_str()
                .is_some_and(|m| m.contains("FIFO")),
            "{finding}"
        );
    }
    // A required file that is a FIFO is reported the same way.
    let repo = TestRepo::new();
    repo.remove("rota/people.yaml");
    mkfifo(&repo.path().join("rota/people.yaml"));
    let (findings, code, printed) = check(&repo);
    assert_eq!(code, 1, "{printed}");
    assert!(
        at_file_start(&findings, "parse", "rota/people.yaml").is_some(),
        "{findings:?}"
    );
}

#[test]
fn a_person_or_runbook_named_index_is_refused_naming_the_page_it_would_replace() {
    let repo = TestRepo::new();
    let people = format!("{}- {{ id: index, name: Index }}\n", common::PEOPLE);
    let line = people.lines().count() as u64;
    repo.write("rota/people.yaml", &people)
        .write("runbooks/index/_index.md", "# Not the index\n");
    let (findings, code, printed) = check(&repo);
    assert_eq!(code, 1, "{printed}");
    let person = findings
        .iter()
        .find(|f| f["rule"] == "invalid-id" && f["file"] == "rota/people.yaml")
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(person["line"], line);
    assert!(
        person["message"]
            .as_str()
            .is_some_and(|m| m.contains("people/index.html")),
        "{person}"
    );
    // A folder `runbooks/index/` with its own page would be `runbooks/index.html`.
    let runbook = at_file_start(&findings, "invalid-id", "runbooks/index/_index.md")
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert!(
        runbook["message"]
            .as_str()
            .is_some_and(|m| m.contains("runbooks/index.html")),
        "{runbook}"
    );
    // A page further down may be called index (it is its folder's page), and the root's
    // own index.md introduces the list of runbooks.
    let repo = TestRepo::new();
    repo.write("runbooks/db/index.md", "# Databases\n")
        .write("runbooks/index.md", "# Our runbooks\n");
    let (findings, _, _) = check(&repo);
    assert!(
        !findings.iter().any(|f| f["rule"] == "invalid-id"),
        "{findings:?}"
    );
}

/// A repository with `limits:` of 2 KB, one runbook and one alert file of the given sizes.
fn with_files_of(runbook: usize, alerts: usize) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!(
            "{}limits: {{ runbook: 2KB, data_file: 2KB }}\n",
            common::CONFIG
        ),
    );
    let page = "# Page\n\n";
    repo.write(
        "runbooks/page.md",
        &format!("{page}{}\n", "x".repeat(runbook - page.len() - 1)),
    );
    let list = "[]\n";
    repo.write(
        "rota/alerts/a.yaml",
        &format!("{}{list}", "#".repeat(alerts - list.len())),
    );
    repo
}

#[test]
fn a_file_at_its_limit_is_read_and_one_byte_more_is_refused_naming_the_key() {
    let (findings, _, printed) = check(&with_files_of(2048, 2048));
    assert!(
        !findings.iter().any(|f| f["rule"] == "parse"),
        "files at the limit: {printed}"
    );
    let (findings, code, printed) = check(&with_files_of(2049, 2049));
    assert_eq!(code, 1, "{printed}");
    for (file, key) in [
        ("runbooks/page.md", "limits.runbook"),
        ("rota/alerts/a.yaml", "limits.data_file"),
    ] {
        let finding = at_file_start(&findings, "parse", file)
            .unwrap_or_else(|| panic!("no finding at {file}: {findings:?}"));
        let message = finding["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("(2049 bytes)") && message.contains("limit of 2 KB"),
            "{message}"
        );
        assert!(message.contains(key), "{message}");
    }
}

#[test]
fn the_default_limit_refuses_a_runbook_over_four_megabytes_and_a_bad_limit_is_located() {
    let repo = TestRepo::new();
    repo.write("runbooks/page.md", "# Page\n");
    let file = std::fs::File::create(repo.path().join("runbooks/huge.md")).expect("create");
    file.set_len(4 * 1024 * 1024 + 1).expect("set_len");
    let (findings, _, printed) = check(&repo);
    let finding = at_file_start(&findings, "parse", "runbooks/huge.md")
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(
        finding["message"]
            .as_str()
            .is_some_and(|m| m.contains("limit of 4 MB")),
        "{finding}"
    );

    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{}limits:\n  runbook: 5TB\n", common::CONFIG),
    );
    let line = common::CONFIG.lines().count() as u64 + 2;
    let (findings, _, _) = check(&repo);
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "parse" && f["file"] == "rota/config.yaml" && f["line"] == line),
        "{findings:?}"
    );
}
