//! `rota diff [--base REV]`: read the data at REV from git (never touching the working
//! tree or the index), load both versions, and print the Markdown comparison.

use super::{Failure, Session};
use crate::diff::{self, Version};
use crate::{load, resolve, rules};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The folders of a data repository that the comparison reads.
const DATA_FOLDERS: &[&str] = &["rota", "runbooks", "templates"];

pub fn run(session: &Session, base: Option<&str>) -> Result<ExitCode, Failure> {
    let root = session.model.repo.root.clone();
    let prefix = git(&root, &["rev-parse", "--show-prefix"]).map_err(|e| {
        Failure(format!(
            "{}: not inside a git repository ({e})",
            root.display()
        ))
    })?;
    let rev = match base {
        Some(rev) => rev.to_string(),
        None if commit_exists(&root, "origin/main") => "origin/main".to_string(),
        None => "HEAD".to_string(),
    };
    if rev.starts_with('-') || !commit_exists(&root, &rev) {
        return Err(Failure(format!(
            "--base: `{rev}` is not a commit in this repository (try `git fetch`, or give --base HEAD)"
        )));
    }
    // Paths in `git ls-tree` and `git archive` are relative to the working directory:
    // run them from the top of the work tree, on the data folder's tree.
    let top = PathBuf::from(
        git(&root, &["rev-parse", "--show-toplevel"])
            .map_err(|e| Failure(format!("{}: {e}", root.display())))?
            .trim(),
    );
    let tree = format!("{rev}:{}", prefix.trim().trim_end_matches('/'));
    let names = git(&top, &["ls-tree", "--full-tree", "--name-only", &tree])
        .map_err(|e| Failure(format!("cannot list `{tree}`: {e}")))?;
    let folders: Vec<&str> = names.lines().filter(|n| DATA_FOLDERS.contains(n)).collect();
    if !folders.contains(&"rota") {
        return Err(Failure(format!(
            "`{rev}` has no rota/ folder here, so there is nothing to compare with"
        )));
    }
    let scratch = ScratchDir::new()?;
    extract(&top, &tree, &folders, scratch.path())?;
    let before_model = resolve::resolve(
        load::load(scratch.path())
            .map_err(|e| Failure(format!("the data at `{rev}` cannot be read: {e}")))?,
    );
    let after_model = &session.model;
    let before_schedule = rules::schedule(&before_model, session.clock);
    let after_schedule = rules::schedule(after_model, session.clock);
    let before_findings = rules::check_with(&before_model, &before_schedule, session.clock);
    let after_findings = rules::check_with(after_model, &after_schedule, session.clock);
    let before = Version {
        model: &before_model,
        schedule: &before_schedule,
        findings: &before_findings,
    };
    let after = Version {
        model: after_model,
        schedule: &after_schedule,
        findings: &after_findings,
    };
    print!("{}", diff::markdown(&rev, &before, &after, session.clock));
    Ok(ExitCode::SUCCESS)
}

/// Runs git in `root`; its standard output, or its error message.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| "git printed something that is not UTF-8".into())
}

fn commit_exists(root: &Path, rev: &str) -> bool {
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .is_ok()
}

/// `git archive TREE FOLDERS | tar -x -C into`.
fn extract(root: &Path, tree: &str, folders: &[&str], into: &Path) -> Result<(), Failure> {
    let archive = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", tree, "--"])
        .args(folders)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Failure(format!("cannot run git: {e}")))?;
    if !archive.status.success() {
        return Err(Failure(format!(
            "git archive {tree}: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        )));
    }
    let mut tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(into)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Failure(format!("cannot run tar: {e}")))?;
    if let Some(mut stdin) = tar.stdin.take() {
        stdin
            .write_all(&archive.stdout)
            .map_err(|e| Failure(format!("tar: {e}")))?;
    }
    let done = tar
        .wait_with_output()
        .map_err(|e| Failure(format!("tar: {e}")))?;
    if !done.status.success() {
        return Err(Failure(format!(
            "tar: {}",
            String::from_utf8_lossy(&done.stderr).trim()
        )));
    }
    Ok(())
}

/// A private temporary folder, removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Result<ScratchDir, Failure> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!("rota-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)
            .map_err(|e| Failure(format!("{}: cannot create: {e}", path.display())))?;
        Ok(ScratchDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
