//! Change detection by polling: the size and modification time of every file under the
//! watched folders. Cheap (one `stat` per file) and needs no platform notification API.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The folders of a data repository whose files make the site.
pub const WATCHED: &[&str] = &["rota", "runbooks", "templates"];

/// What was seen of the watched files at one moment.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<PathBuf, (u64, Option<SystemTime>)>);

impl Snapshot {
    /// Every file under `root`'s watched folders (a missing folder holds nothing).
    pub fn take(root: &Path) -> Snapshot {
        let mut seen = BTreeMap::new();
        for dir in WATCHED {
            for entry in walkdir::WalkDir::new(root.join(dir))
                .follow_links(true)
                .into_iter()
                .filter_map(Result::ok)
            {
                if let Ok(meta) = entry.metadata() {
                    let stamp = (meta.len(), meta.modified().ok());
                    seen.insert(entry.into_path(), stamp);
                }
            }
        }
        Snapshot(seen)
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
