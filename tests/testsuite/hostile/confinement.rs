//! Confinement and atomicity of `rota build`: it never writes outside `--out`, never
//! reads through a symbolic link that leaves the data repository, leaves a previous output
//! byte-identical when it fails half-way (killed while writing, or out of disk space on a
//! small tmpfs), and gives byte-identical output from two folders, `HOME`s and time zones.

use crate::common::files_under;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-11-22";
const SECRET_MARK: &str = "SECRET-CONTENT";

/// A copy of the example data repository in a fresh temporary folder (`repo/` inside it).
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["rota", "runbooks", "monitoring"] {
        for entry in walkdir::WalkDir::new(src.join(top)) {
            let entry = entry.expect("walk");
            let target = repo.join(entry.path().strip_prefix(src).expect("under"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
    (dir, repo)
}

fn rota(repo: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rota"));
    cmd.env("SOURCE_DATE_EPOCH", "1790000000")
        .arg("--root")
        .arg(repo)
        .args(["--today", TODAY]);
    cmd
}

fn build(repo: &Path, out: &Path) -> Output {
    rota(repo)
        .arg("build")
        .arg("--out")
        .arg(out)
        .output()
        .expect("run rota build")
}

/// Every path under `dir` (files and folders), relative.
fn listing(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
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

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn two_folders_two_homes_two_time_zones_give_byte_identical_output() {
    let (a, repo_a) = example();
    let (b, repo_b) = example();
    let run = |repo: &Path, out: &Path, home: &Path, tz: &str, cwd: &Path| {
        let output = rota(repo)
            .arg("build")
            .arg("--out")
            .arg(out)
            .env("HOME", home)
            .env("TZ", tz)
            .env("LANG", "C")
            .current_dir(cwd)
            .output()
            .expect("run");
        assert!(output.status.success(), "build failed: {}", text(&output));
    };
    let (out_a, out_b) = (a.path().join("public"), b.path().join("site/out"));
    run(&repo_a, &out_a, a.path(), "UTC", a.path());
    run(&repo_b, &out_b, &repo_b, "Pacific/Kiritimati", b.path());
    let (files_a, files_b) = (files_under(&out_a), files_under(&out_b));
    assert!(
        files_a.keys().any(|k| k.ends_with(".ics")),
        "no feeds written: {:?}",
        files_a.keys()
    );
    assert_eq!(
        files_a.keys().collect::<Vec<_>>(),
        files_b.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    for (path, bytes) in &files_a {
        assert!(
            files_b[path] == *bytes,
            "{path} differs between the two builds"
        );
        let content = String::from_utf8_lossy(bytes);
        for absolute in [a.path(), b.path()] {
            let absolute = absolute.display().to_string();
            assert!(
                !content.contains(&absolute),
                "{path} holds the absolute path {absolute}"
            );
        }
    }
}

#[test]
fn a_build_writes_only_inside_its_output_folder() {
    let (dir, repo) = example();
    let out = dir.path().join("public");
    let before_repo = files_under(&repo);
    let output = build(&repo, &out);
    assert!(output.status.success(), "build failed: {}", text(&output));
    assert_eq!(
        listing(dir.path())
            .into_iter()
            .filter(|p| !p.starts_with("repo") && !p.starts_with("public"))
            .collect::<Vec<_>>(),
        Vec::<String>::new(),
        "build left files beside its output folder"
    );
    assert!(
        files_under(&repo) == before_repo,
        "build changed the data repository"
    );
}

#[test]
fn a_runbook_folder_linked_from_outside_is_never_read() {
    let (dir, repo) = example();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(
        outside.join("leak.md"),
        format!("---\ntitle: Leak\n---\n# {SECRET_MARK}: hunter2\n"),
    )
    .expect("write");
    std::os::unix::fs::symlink(&outside, repo.join("runbooks/linked")).expect("symlink");
    std::os::unix::fs::symlink(outside.join("leak.md"), repo.join("runbooks/leak.md"))
        .expect("symlink");
    // A link to a folder inside the repository is not followed either (nor silently
    // skipped): the same finding.
    std::os::unix::fs::symlink(repo.join("runbooks"), repo.join("runbooks/again"))
        .expect("symlink");
    let check = rota(&repo)
        .args(["check", "--format", "json"])
        .output()
        .expect("run");
    assert!(
        !text(&check).contains(SECRET_MARK),
        "check echoed: {}",
        text(&check)
    );
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("JSON");
    let parse_errors: Vec<(String, u64, u64, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "parse")
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let folder = "this is a symbolic link to a folder: rota does not follow links to folders, so no page in it would be published";
    let outside = "this file is a symbolic link to a file, outside the data repository: rota does not read it";
    assert_eq!(
        parse_errors,
        vec![
            ("runbooks/again".to_string(), 1, 1, folder.to_string()),
            ("runbooks/leak.md".to_string(), 1, 1, outside.to_string()),
            ("runbooks/linked".to_string(), 1, 1, folder.to_string()),
        ]
    );
    let out = dir.path().join("public");
    let output = build(&repo, &out);
    assert!(
        !text(&output).contains(SECRET_MARK),
        "build echoed the secret"
    );
    for (path, bytes) in files_under(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET_MARK),
            "{path} holds the secret from outside the repository"
        );
    }
}

#[test]
fn a_people_file_linked_from_outside_is_refused_without_its_content() {
    let (dir, repo) = example();
    let outside = dir.path().join("secret.yaml");
    std::fs::write(&outside, format!("- {{ id: x, name: {SECRET_MARK} }}\n")).expect("write");
    std::fs::remove_file(repo.join("rota/people.yaml")).expect("remove");
    std::os::unix::fs::symlink(&outside, repo.join("rota/people.yaml")).expect("symlink");
    let check = rota(&repo)
        .args(["check", "--format", "json"])
        .output()
        .expect("run");
    assert_ne!(
        check.status.code(),
        Some(0),
        "a linked people.yaml was accepted"
    );
    assert!(
        !text(&check).contains(SECRET_MARK),
        "check echoed: {}",
        text(&check)
    );
}

#[test]
fn a_build_killed_while_writing_leaves_the_previous_output_untouched() {
    let (dir, repo) = example();
    let out = dir.path().join("public");
    let first = build(&repo, &out);
    assert!(
        first.status.success(),
        "first build failed: {}",
        text(&first)
    );
    let before = files_under(&out);
    // A new title changes every feed, so a second build that got through would differ.
    let config = repo.join("rota/config.yaml");
    let changed =
        std::fs::read_to_string(&config)
            .expect("config")
            .replacen("title: ", "title: Renamed ", 1);
    std::fs::write(&config, changed).expect("write");
    // RLIMIT_FSIZE of 4 KB: the kernel kills the build (SIGXFSZ) at its first larger file.
    let killed = Command::new("bash")
        .arg("-c")
        .arg("ulimit -f 4 && exec \"$@\"")
        .arg("bash")
        .arg(env!("CARGO_BIN_EXE_rota"))
        .arg("--root")
        .arg(&repo)
        .args(["--today", TODAY, "build", "--out"])
        .arg(&out)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .output()
        .expect("run bash");
    assert!(!killed.status.success(), "the size-limited build succeeded");
    assert!(
        files_under(&out) == before,
        "the previous output changed after a build died half-way"
    );
    // The killed build left its staging folder beside the output; the next build, with
    // no limit, clears it away and leaves only the output folder.
    let leftovers = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".rota-new-") || n.contains(".rota-old-"))
            .collect()
    };
    assert!(
        !leftovers(dir.path()).is_empty(),
        "a killed build leaves its staging folder (the case this test is about)"
    );
    let again = build(&repo, &out);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, bytes: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(dir)
            .output()
            .ok()?
            .status
            .success();
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).output();
    }
}

#[test]
fn a_full_disk_leaves_the_previous_output_untouched() {
    let (dir, repo) = example();
    // How much room one build takes, in whole pages per file.
    let probe = dir.path().join("probe");
    assert!(build(&repo, &probe).status.success());
    let files = files_under(&probe);
    let pages: u64 = files
        .values()
        .map(|b| (b.len() as u64).div_ceil(4096).max(1))
        .sum();
    // Room for one output and a half: the second build runs out of space while staging.
    let size = (pages + pages / 2 + 8) * 4096;
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk"), size) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but a tmpfs could not be mounted (needs root)"
        );
        eprintln!("skipped: cannot mount a tmpfs here (not root?)");
        return;
    };
    let out = disk.0.join("public");
    let first = build(&repo, &out);
    assert!(
        first.status.success(),
        "first build failed: {}",
        text(&first)
    );
    let before = files_under(&out);
    let config = repo.join("rota/config.yaml");
    let changed =
        std::fs::read_to_string(&config)
            .expect("config")
            .replacen("title: ", "title: Renamed ", 1);
    std::fs::write(&config, changed).expect("write");
    let second = build(&repo, &out);
    assert_eq!(
        second.status.code(),
        Some(2),
        "a build on a full disk should fail with exit 2: {}",
        text(&second)
    );
    assert!(
        files_under(&out) == before,
        "the previous output changed after a build ran out of space"
    );
    assert_eq!(
        listing(&disk.0),
        listing(&disk.0)
            .into_iter()
            .filter(|p| p.starts_with("public"))
            .collect::<Vec<_>>(),
        "the failed build left its staging folder behind"
    );
}

#[test]
fn a_template_linked_from_outside_is_never_read() {
    let (dir, repo) = example();
    let outside = dir.path().join("outside.html");
    std::fs::write(&outside, format!("<p>{SECRET_MARK}: hunter2</p>\n")).expect("write");
    std::fs::create_dir_all(repo.join("templates")).expect("mkdir");
    std::os::unix::fs::symlink(&outside, repo.join("templates/404.html")).expect("symlink");
    let out = dir.path().join("public");
    let output = build(&repo, &out);
    assert!(
        !text(&output).contains(SECRET_MARK),
        "build echoed the secret"
    );
    for (path, bytes) in files_under(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(SECRET_MARK),
            "{path} holds the template linked from outside the repository"
        );
    }
}

#[test]
fn a_template_named_like_a_path_writes_nothing_outside_the_output() {
    let (dir, repo) = example();
    std::fs::create_dir_all(repo.join("templates")).expect("mkdir");
    std::fs::write(repo.join("templates/..html"), "<p>dots</p>").expect("write");
    std::fs::write(repo.join("templates/...html"), "<p>dots</p>").expect("write");
    let out = dir.path().join("public");
    let output = build(&repo, &out);
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{}",
        text(&output)
    );
    assert_eq!(
        listing(dir.path())
            .into_iter()
            .filter(|p| !p.starts_with("repo") && !p.starts_with("public"))
            .collect::<Vec<_>>(),
        Vec::<String>::new(),
        "build wrote beside its output folder"
    );
}
