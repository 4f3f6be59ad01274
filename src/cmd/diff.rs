//! `rota diff [--base REV]`: read the data at REV from git (never touching the working
//! tree or the index), load both versions, and print the Markdown comparison.

use super::{Failure, Session};
use crate::diff::{self, Version};
use crate::load::{self, resolve};
use crate::rules;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;

/// The folders of a data repository that the comparison reads.
const DATA_FOLDERS: &[&str] = &["rota", "runbooks", "templates"];

pub fn run(session: &Session, base: Option<&str>) -> Result<ExitCode, Failure> {
    let root = session.model.repo.root.clone();
    let rev = match base {
        Some(rev) => rev.to_string(),
        None if commit_exists(&root, "origin/main") => "origin/main".to_string(),
        None => "HEAD".to_string(),
    };
    let before_repo = match load_at(&root, &rev, "--base")? {
        Base::Loaded(repo) => *repo,
        Base::Missing(why) => return Err(Failure(why)),
    };
    let before_model = resolve::resolve(before_repo);
    let after_model = &session.model;
    let before_schedule = crate::schedule::window::schedule(&before_model, session.clock);
    let after_schedule = crate::schedule::window::schedule(after_model, session.clock);
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

/// The data of a revision, as `rota diff` and `rota check --new-since` compare with.
pub(super) enum Base {
    Loaded(Box<crate::model::Repo>),
    /// The revision exists but holds no data that loads: why, in a sentence.
    Missing(String),
}

/// Reads the data folder (the one `root` is, at the same place in the git work tree) as
/// it is at `rev`: `git archive` into a private scratch folder, loaded by the normal
/// loader, the folder removed before returning. Never touches the working tree or the
/// index. Not a git repository, or `rev` not a commit: a [`Failure`] naming `flag`.
pub(super) fn load_at(root: &Path, rev: &str, flag: &str) -> Result<Base, Failure> {
    let prefix = git(root, &["rev-parse", "--show-prefix"]).map_err(|e| {
        Failure(format!(
            "{}: not inside a git repository ({e})",
            root.display()
        ))
    })?;
    if rev.starts_with('-') || !commit_exists(root, rev) {
        return Err(Failure(format!(
            "{flag}: `{}` is not a commit in this repository (try `git fetch`; in CI, fetch the history too, e.g. `fetch-depth: 0`)",
            crate::encode::terminal(rev)
        )));
    }
    // Paths in `git ls-tree` and `git archive` are relative to the working directory:
    // run them from the top of the work tree, on the data folder's tree.
    let top = PathBuf::from(
        git(root, &["rev-parse", "--show-toplevel"])
            .map_err(|e| Failure(format!("{}: {e}", root.display())))?
            .trim(),
    );
    let tree = format!("{rev}:{}", prefix.trim().trim_end_matches('/'));
    let Ok(names) = git(&top, &["ls-tree", "--full-tree", "--name-only", &tree]) else {
        // The folder itself did not exist at `rev`.
        return Ok(Base::Missing(format!(
            "`{rev}` has no rota/ folder here, so there is nothing to compare with"
        )));
    };
    let folders: Vec<&str> = names.lines().filter(|n| DATA_FOLDERS.contains(n)).collect();
    if !folders.contains(&"rota") {
        return Ok(Base::Missing(format!(
            "`{rev}` has no rota/ folder here, so there is nothing to compare with"
        )));
    }
    let scratch = ScratchDir::new()?;
    extract(&top, &tree, &folders, scratch.path())?;
    // Everything is read when `load` returns: the folder goes with `scratch` at the end.
    Ok(match load::load(scratch.path()) {
        Ok(repo) => Base::Loaded(Box::new(repo)),
        Err(e) => Base::Missing(format!("the data at `{rev}` cannot be read: {e}")),
    })
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

/// The scratch folder of this run, for the Ctrl-C / SIGTERM handler to remove.
static SCRATCH_ON_SIGNAL: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The base version's files while they are read: a folder made new under an
/// unpredictable name in the temporary folder, readable by its owner only (0700), and
/// removed when dropped, on Ctrl-C, SIGTERM and SIGHUP (then rota exits with 130). Only
/// SIGKILL leaves it behind, as `rota-diff-XXXXXX` in the temporary folder; no later run
/// reuses it (docs/security.md, "Output encoding").
struct ScratchDir(tempfile::TempDir);

impl ScratchDir {
    fn new() -> Result<ScratchDir, Failure> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("rota-diff-");
        // Made with this mode, not changed after: no moment when others may enter.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir().map_err(|e| {
            Failure(format!(
                "{}: cannot create a scratch folder: {e}",
                std::env::temp_dir().display()
            ))
        })?;
        *scratch_on_signal() = Some(dir.path().to_path_buf());
        // Refused only if a handler is already set (a second scratch folder in one
        // process): the first handler removes whichever folder is registered.
        let _ = ctrlc::set_handler(|| {
            if let Some(path) = scratch_on_signal().take() {
                let _ = std::fs::remove_dir_all(path);
            }
            std::process::exit(130);
        });
        Ok(ScratchDir(dir))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

fn scratch_on_signal() -> std::sync::MutexGuard<'static, Option<PathBuf>> {
    SCRATCH_ON_SIGNAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        scratch_on_signal().take();
        // The `TempDir` removes the folder itself.
    }
}

#[cfg(test)]
mod tests {
    use super::ScratchDir;

    #[test]
    fn the_scratch_folder_is_private_new_each_time_and_removed() {
        let a = ScratchDir::new().expect("scratch");
        let b = ScratchDir::new().expect("scratch");
        assert_ne!(a.path(), b.path());
        let path = a.path().to_path_buf();
        assert!(
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("rota-diff-"))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("exists")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        }
        drop(a);
        assert!(!path.exists());
    }
}
