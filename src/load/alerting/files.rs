//! `alerting.rules` globs matched against the data repository's files: relative to its
//! root, `*` within one folder, `**` across folders, never outside the repository,
//! never into `.git`, never through a link to a folder (docs/alerting.md).

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use std::path::Path;

/// One glob, checked: relative, without `..`, and valid glob syntax.
pub fn glob(pattern: &str) -> Result<Glob, String> {
    if pattern.starts_with('/') || pattern.contains('\\') {
        return Err(format!(
            "`{pattern}` is not a path relative to the repository root (write it with `/` and without a leading `/`)"
        ));
    }
    if pattern.split('/').any(|s| s == "..") {
        return Err(format!(
            "`{pattern}` leads out of the repository (`..`): rota reads only the repository's own files"
        ));
    }
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("`{pattern}` is not a valid glob: {}", e.kind()))
}

/// The files under `root` (paths relative to it, `/`-separated, sorted) that match any
/// of the globs.
pub fn matching(root: &Path, patterns: &[String]) -> Result<Vec<String>, String> {
    let mut set = GlobSetBuilder::new();
    for p in patterns {
        set.add(glob(p)?);
    }
    let set: GlobSet = set.build().map_err(|e| e.to_string())?;
    let real_root = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut found = Vec::new();
    for base in walk_bases(patterns) {
        let start = root.join(&base);
        if !start.is_dir() {
            continue;
        }
        let walk = walkdir::WalkDir::new(&start)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git");
        for entry in walk {
            let entry = entry.map_err(|e| format!("{base}: cannot read: {e}"))?;
            if !entry.file_type().is_file() && !entry.file_type().is_symlink() {
                continue;
            }
            // A link is followed only to a file inside the repository.
            if entry.file_type().is_symlink()
                && !std::fs::canonicalize(entry.path())
                    .is_ok_and(|t| t.starts_with(&real_root) && t.is_file())
            {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if set.is_match(&rel) && !found.contains(&rel) {
                found.push(rel);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The folders to walk: each glob's leading folders without a glob character, with
/// folders inside another one's dropped (`""` is the root).
fn walk_bases(patterns: &[String]) -> Vec<String> {
    let mut bases: Vec<String> = patterns
        .iter()
        .map(|p| {
            let segments: Vec<&str> = p.split('/').collect();
            let literal: Vec<&str> = segments[..segments.len().saturating_sub(1)]
                .iter()
                .take_while(|s| !s.contains(['*', '?', '[', '{', '\\']))
                .copied()
                .collect();
            literal.join("/")
        })
        .collect();
    bases.sort();
    bases.dedup();
    let all = bases.clone();
    bases.retain(|b| {
        !all.iter()
            .any(|other| other != b && (other.is_empty() || b.starts_with(&format!("{other}/"))))
    });
    bases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_inside_the_repository_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "monitoring/a.rules.yml",
            "monitoring/team/b.rules.yml",
            "monitoring/alertmanager.yml",
            ".git/monitoring/c.rules.yml",
            "other/d.rules.yml",
        ] {
            let path = root.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "groups: []\n").unwrap();
        }
        let found = matching(root, &["monitoring/**/*.rules.yml".into()]).unwrap();
        assert_eq!(
            found,
            ["monitoring/a.rules.yml", "monitoring/team/b.rules.yml"]
        );
        let found = matching(root, &["**/*.rules.yml".into()]).unwrap();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|f| !f.starts_with(".git")));
        let top = matching(root, &["monitoring/*.yml".into()]).unwrap();
        assert_eq!(
            top,
            ["monitoring/a.rules.yml", "monitoring/alertmanager.yml"]
        );
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("e.rules.yml"), "groups: []\n").unwrap();
            std::os::unix::fs::symlink(
                outside.path().join("e.rules.yml"),
                root.join("monitoring/e.rules.yml"),
            )
            .unwrap();
            std::os::unix::fs::symlink(
                root.join("monitoring/a.rules.yml"),
                root.join("monitoring/f.rules.yml"),
            )
            .unwrap();
            let found = matching(root, &["monitoring/*.rules.yml".into()]).unwrap();
            assert_eq!(found, ["monitoring/a.rules.yml", "monitoring/f.rules.yml"]);
        }
        assert!(glob("../x/*.yml").is_err());
        assert!(glob("/etc/*.yml").is_err());
        assert!(glob("a/[b.yml").is_err());
    }
}
