//! `rota init DIR [--gitlab]`: write a new data repository, all at once or not at all.

use super::Failure;
use crate::init::{self, Ci};
use crate::time::Clock;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(dir: &Path, ci: Ci, clock: Clock) -> Result<ExitCode, Failure> {
    let shown = dir.display();
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Failure(format!("{shown}: exists and is not a folder")));
        }
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| Failure(format!("{shown}: cannot read: {e}")))?;
        if entries.next().is_some() {
            return Err(Failure(format!(
                "{shown}: not empty; `rota init` only writes into a new or empty folder"
            )));
        }
    }
    let team = team_name(dir);
    let files = init::files(&team, clock.today, ci);
    // Write into a staging folder beside DIR, then rename it into place.
    let staging = staging_path(dir)?;
    let written = files.iter().try_for_each(|f| {
        let path = staging.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &f.text)
    });
    let moved = written.and_then(|()| std::fs::rename(&staging, dir));
    if let Err(e) = moved {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(Failure(format!("{shown}: cannot write: {e}")));
    }
    println!("Created a data repository in {shown}:");
    for f in &files {
        println!("  {}", f.path);
    }
    // A data repository lives in git (`rota diff`, the workflows): start one when git is
    // there; without git the files are still complete.
    let git = std::process::Command::new("git")
        .args(["init", "--quiet"])
        .arg(dir)
        .status();
    match git {
        Ok(status) if status.success() => {
            println!("  (and an empty git repository: commit these files)")
        }
        _ => println!("  (git was not found: run `git init` there before `rota diff`)"),
    }
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
    Ok(ExitCode::SUCCESS)
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

fn staging_path(dir: &Path) -> Result<PathBuf, Failure> {
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
    Ok(parent.join(format!(".{name}.rota-init-{}", std::process::id())))
}
