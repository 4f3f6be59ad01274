//! `rota init DIR [--gitlab] [--alert-rules PATH] [--alertmanager FILE] [--runbooks
//! FOLDER]`: write a new data repository, all at once or not at all, never through a
//! link. Into a folder that already holds files (a fresh clone with `.git/`, a README, a
//! licence) it adds only the files that are not there, never overwriting one, and lists
//! those it kept. Pointed at the team's existing rule files and runbook tree, it writes
//! `alerting:` for them and uses the tree as `runbooks/` (docs/alerting.md).

mod alerting;

use super::Failure;
use crate::init::{self, Ci};
use crate::output::staging::safe_write;
use crate::time::Clock;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What the team has already, inside DIR: `--alert-rules`, `--alertmanager`,
/// `--runbooks` (paths relative to DIR).
#[derive(Clone, Debug, Default)]
pub struct Existing {
    pub alert_rules: Option<String>,
    pub alertmanager: Option<String>,
    pub runbooks: Option<String>,
}

impl Existing {
    fn any(&self) -> bool {
        self.alert_rules.is_some() || self.alertmanager.is_some() || self.runbooks.is_some()
    }
}

pub fn run(dir: &Path, ci: Ci, clock: Clock, existing: &Existing) -> Result<ExitCode, Failure> {
    if existing.any() {
        return adopt(dir, ci, clock, existing);
    }
    let shown = dir.display();
    // Never through a link, nor replacing one (docs/security.md, "Writing files").
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Failure(format!(
                "{shown}: is a symbolic link: `rota init` only writes into a new or empty folder, never through a link"
            )));
        }
        Ok(meta) if !meta.is_dir() => {
            return Err(Failure(format!("{shown}: exists and is not a folder")));
        }
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir)
                .map_err(|e| Failure(format!("{shown}: cannot read: {e}")))?;
            if entries.next().is_some() {
                let team = team_name(dir);
                let files = init::files(&team, clock.today, ci);
                return add_to_existing(dir, &files, ci);
            }
        }
        Err(_) => {}
    }
    let team = team_name(dir);
    let files = init::files(&team, clock.today, ci);
    // Written into a private staging folder of an unpredictable name beside DIR, then
    // renamed into place (over DIR when it is an empty folder).
    let staging = staging_folder(dir)?;
    let mode = safe_write::folder_mode(dir).unwrap_or(REPOSITORY_FOLDER_MODE);
    let written = files
        .iter()
        .try_for_each(|f| {
            safe_write::write_file(&staging, Path::new(&f.path), &[f.text.as_bytes()])
        })
        .and_then(|()| safe_write::set_folder_mode(&staging, mode))
        .map_err(|e| {
            // Named as it would be in DIR.
            let under = e.path.strip_prefix(&staging).unwrap_or(Path::new(""));
            format!("{}: {}", dir.join(under).display(), e.reason)
        })
        .and_then(|()| {
            std::fs::rename(&staging, dir).map_err(|e| format!("{shown}: cannot write: {e}"))
        });
    if let Err(message) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(Failure(message));
    }
    println!("Created a data repository in {shown}:");
    for f in &files {
        println!("  {}", f.path);
    }
    start_git(dir);
    print_next_steps(dir, ci);
    Ok(ExitCode::SUCCESS)
}

/// `init` into the team's repository with its own alerting: the example's files, less
/// the example alert (with `--alert-rules`) and runbook (with `--runbooks`), with
/// `alerting:` written into the config; then `runbooks/` linked to the tree.
fn adopt(dir: &Path, ci: Ci, clock: Clock, existing: &Existing) -> Result<ExitCode, Failure> {
    let shown = dir.display();
    if !dir.is_dir() {
        return Err(Failure(format!(
            "{shown}: no such folder: --alert-rules, --alertmanager and --runbooks name what is in the team's repository already; run `rota init` in it"
        )));
    }
    let team = team_name(dir);
    let mut files = init::files(&team, clock.today, ci);
    let setup = alerting::read_setup(dir, existing).map_err(Failure)?;
    if existing.alert_rules.is_some() || existing.alertmanager.is_some() {
        files.retain(|f| !f.path.starts_with("rota/alerts/"));
        if let Some(config) = files.iter_mut().find(|f| f.path == "rota/config.yaml") {
            config.text.push_str(&setup.config_text());
        }
    }
    let link = match existing.runbooks.as_deref() {
        Some(_) => {
            files.retain(|f| !f.path.starts_with("runbooks/"));
            setup.runbooks_link.clone()
        }
        None => None,
    };
    if let Some(target) = &link
        && std::fs::symlink_metadata(dir.join("runbooks")).is_ok()
    {
        return Err(Failure(format!(
            "{shown}: has a runbooks/ already, so {target} cannot be linked there: move the tree to runbooks/, or give --runbooks runbooks"
        )));
    }
    let code = add_to_existing(dir, &files, ci)?;
    if let Some(target) = &link {
        alerting::link_runbooks(dir, target).map_err(Failure)?;
        println!("Linked runbooks/ to {target} (rota reads the runbooks from runbooks/)");
    }
    for note in &setup.notes {
        println!("{note}");
    }
    Ok(code)
}

/// `init` into a folder that holds files already: the example's files that are not
/// there are written (staged first inside DIR, then each linked into place, which fails
/// rather than replace a file made meanwhile); the others are kept and listed. A folder
/// that has `rota/` already is a data repository: nothing is added to it.
fn add_to_existing(dir: &Path, files: &[init::InitFile], ci: Ci) -> Result<ExitCode, Failure> {
    let shown = dir.display();
    if std::fs::symlink_metadata(dir.join("rota")).is_ok() {
        return Err(Failure(format!(
            "{shown}: has a rota/ folder already: `rota init` adds the example only to a repository without one (edit the files there, or run `rota check`)"
        )));
    }
    let (kept, missing): (Vec<&init::InitFile>, Vec<&init::InitFile>) = files
        .iter()
        .partition(|f| std::fs::symlink_metadata(dir.join(&f.path)).is_ok());
    // Every folder on the way is checked (a real folder, never a link) before anything
    // is written or made.
    for f in &missing {
        let mut folder = dir.to_path_buf();
        for part in Path::new(&f.path).parent().into_iter().flat_map(Path::iter) {
            folder.push(part);
            match std::fs::symlink_metadata(&folder) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(Failure(format!(
                        "{}: is a symbolic link: `rota init` never writes through a link",
                        folder.display()
                    )));
                }
                Ok(meta) if !meta.is_dir() => {
                    return Err(Failure(format!(
                        "{}: is not a folder, so {} cannot be written: move it away first",
                        folder.display(),
                        f.path
                    )));
                }
                _ => {}
            }
        }
    }
    let staging =
        safe_write::private_folder(dir, ".rota-init-").map_err(|e| Failure(e.to_string()))?;
    let staged = missing.iter().try_for_each(|f| {
        safe_write::write_file(&staging, Path::new(&f.path), &[f.text.as_bytes()])
            .map_err(|e| e.to_string())
    });
    let mut written: Vec<&init::InitFile> = Vec::new();
    let mut made_meanwhile: Vec<&init::InitFile> = Vec::new();
    let placed = staged.and_then(|()| {
        missing.iter().try_for_each(|f| {
            let target = dir.join(&f.path);
            if let Some(folders) = Path::new(&f.path).parent() {
                safe_write::create_folders_under(dir, folders).map_err(|e| e.to_string())?;
            }
            // A hard link is made only where no file is: never over one.
            match std::fs::hard_link(staging.join(&f.path), &target) {
                Ok(()) => {
                    written.push(f);
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    made_meanwhile.push(f);
                    Ok(())
                }
                Err(e) => Err(format!("{}: cannot write: {e}", target.display())),
            }
        })
    });
    let _ = std::fs::remove_dir_all(&staging);
    if let Err(message) = placed {
        for f in &written {
            let _ = std::fs::remove_file(dir.join(&f.path));
        }
        return Err(Failure(message));
    }
    if written.is_empty() {
        println!("Nothing to add in {shown}: every file of the example is there already.");
    } else {
        println!("Added to the repository in {shown}:");
        for f in &written {
            println!("  {}", f.path);
        }
    }
    let mut kept: Vec<&init::InitFile> = kept.into_iter().chain(made_meanwhile).collect();
    kept.sort_by(|a, b| a.path.cmp(&b.path));
    if !kept.is_empty() {
        println!("Kept as they are (there already, not overwritten):");
        for f in &kept {
            println!("  {}", f.path);
        }
    }
    if std::fs::symlink_metadata(dir.join(".git")).is_ok() {
        println!("  (in the git repository there: commit the added files)");
    } else {
        start_git(dir);
    }
    print_next_steps(dir, ci);
    Ok(ExitCode::SUCCESS)
}

/// A data repository lives in git (`rota diff`, the workflows): start one when git is
/// there; without git the files are still complete.
fn start_git(dir: &Path) {
    let git = std::process::Command::new("git")
        // `--`: a folder called `--bare` is a folder, not an option.
        .args(["init", "--quiet", "--"])
        .arg(dir)
        .status();
    match git {
        Ok(status) if status.success() => {
            println!("  (and an empty git repository: commit these files)")
        }
        _ => println!("  (git was not found: run `git init` there before `rota diff`)"),
    }
}

/// What to do next, and where to name the repository rota is released from.
fn print_next_steps(dir: &Path, ci: Ci) {
    let shown = dir.display();
    println!(
        "\nNext: cd {shown} && rota check && rota build, then edit rota/people.yaml and the rotas."
    );
    if init::ROTA_REPOSITORY.starts_with("OWNER/") {
        let ci_file = match ci {
            Ci::GitHub => ".github/workflows/rota.yml",
            Ci::GitLab => ".gitlab-ci.yml",
        };
        println!(
            "This rota was not built by its release workflow: in {ci_file}, replace OWNER/rota with the GitHub repository rota is released from."
        );
    }
}

/// The team's name for the site title: the folder's name.
fn team_name(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "our team".into())
}

/// The mode of the new repository's folder (`rwxr-xr-x`); an empty folder that was
/// there keeps its own.
const REPOSITORY_FOLDER_MODE: u32 = 0o755;

/// A private staging folder beside `dir`, under an unpredictable name.
fn staging_folder(dir: &Path) -> Result<PathBuf, Failure> {
    let absolute =
        std::path::absolute(dir).map_err(|e| Failure(format!("{}: {e}", dir.display())))?;
    let parent = absolute.parent().ok_or_else(|| {
        Failure(format!(
            "{}: cannot create a repository here",
            dir.display()
        ))
    })?;
    if !parent.is_dir() {
        return Err(Failure(format!(
            "{}: no such folder (create it first)",
            parent.display()
        )));
    }
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    safe_write::private_folder(parent, &format!(".{name}.rota-init-"))
        .map_err(|e| Failure(e.to_string()))
}
