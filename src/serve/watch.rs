//! Change detection by polling: the size and modification time of every file under the
//! watched folders. Cheap (one `stat` per file) and needs no platform notification API.
//! The files are those the loader's walker lists ([`crate::load::walk`]): no link to a
//! folder is followed (so `runbooks/root -> /` costs one entry), and a link to a file is
//! stamped by what it leads to, which is only looked at, never read.

use crate::load::walk::{Kind, Repository};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The folders of a data repository whose files make the site.
pub const WATCHED: &[&str] = &["rota", "runbooks", "templates"];

/// What was seen of the watched files at one moment.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<PathBuf, (u64, Option<SystemTime>)>);

impl Snapshot {
    /// Every entry under `root`'s watched folders (a missing folder holds nothing). A
    /// watched folder the walker refuses (a link out of the repository) is stamped
    /// itself, so that changing it reloads, and the load then says what is wrong.
    pub fn take(root: &Path) -> Snapshot {
        let disk = Repository::new(root);
        let mut seen = BTreeMap::new();
        let mut stamp = |path: PathBuf, follow: bool| {
            let meta = if follow {
                std::fs::metadata(&path).or_else(|_| std::fs::symlink_metadata(&path))
            } else {
                std::fs::symlink_metadata(&path)
            };
            if let Ok(meta) = meta {
                seen.insert(path, (meta.len(), meta.modified().ok()));
            }
        };
        for dir in WATCHED {
            match disk.folder(dir) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => {
                    stamp(root.join(dir), false);
                    continue;
                }
            }
            stamp(root.join(dir), true);
            let Ok(entries) = disk.entries(dir, usize::MAX) else {
                continue;
            };
            for entry in entries {
                stamp(root.join(&entry.rel), entry.kind == Kind::Link);
            }
        }
        Snapshot(seen)
    }

    /// Every path seen, in order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.0.keys().map(PathBuf::as_path)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_an_addition_and_a_removal_each_change_the_snapshot() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("runbooks/db")).expect("mkdir");
        std::fs::write(root.join("runbooks/db/a.md"), "one").expect("write");
        std::fs::write(root.join("unwatched.txt"), "x").expect("write");
        let first = Snapshot::take(root);
        assert_eq!(first, Snapshot::take(root), "nothing changed");
        std::fs::write(root.join("unwatched.txt"), "xy").expect("write");
        assert_eq!(first, Snapshot::take(root), "outside the watched folders");
        std::fs::write(root.join("runbooks/db/a.md"), "two!").expect("write");
        let edited = Snapshot::take(root);
        assert_ne!(first, edited);
        std::fs::create_dir_all(root.join("templates")).expect("mkdir");
        std::fs::write(root.join("templates/home.html"), "t").expect("write");
        let added = Snapshot::take(root);
        assert_ne!(edited, added);
        std::fs::remove_file(root.join("templates/home.html")).expect("rm");
        assert_ne!(added, Snapshot::take(root));
    }
}
