//! `rota build`: every output file is prepared in memory, written to a private staging
//! folder beside the output folder, and swapped in only when complete, so a failed build
//! leaves a previous output exactly as it was. Paths come only from validated ids, and
//! nothing is written through a link (docs/security.md, "Writing files").

pub mod safe_write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Marks a folder as written by `rota build` (so a rebuild may replace it).
pub const MARKER: &str = ".rota-build";

/// The files of one build: relative path → bytes.
pub type Outputs = BTreeMap<String, Vec<u8>>;

/// Why a file made of pieces was not written: writing it failed, or making a piece did.
enum PutError<E> {
    Write(safe_write::WriteError),
    Piece(E),
}

impl<E> From<safe_write::WriteError> for PutError<E> {
    fn from(e: safe_write::WriteError) -> Self {
        PutError::Write(e)
    }
}

/// Why the output could not be written (exit 2).
#[derive(Debug)]
pub struct WriteError(pub String);

/// Removes the staging folders (`.NAME.rota-new-PID-…`, `.NAME.rota-old-PID-…`) that a
/// build killed mid-way left beside the output folder: those whose process is gone.
/// Where processes cannot be seen (no `/proc`), nothing is removed; a link of that name
/// is left alone (only the link would go, but it is not rota's).
fn remove_abandoned(parent: &Path, name: &str) {
    let proc_root = Path::new("/proc/self");
    if !proc_root.exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let pid = [".rota-new-", ".rota-old-"].iter().find_map(|kind| {
            let rest = file_name.strip_prefix(&format!(".{name}{kind}"))?;
            let digits = rest.split_once('-').map_or(rest, |(pid, _)| pid);
            digits.parse::<u32>().ok()
        });
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The mode of a new output folder (`rwxr-xr-x`); a replaced one keeps its own.
const OUTPUT_FOLDER_MODE: u32 = 0o755;

/// An output folder being written: files go into a private staging folder beside `dir`,
/// under an unpredictable name (from any number of threads, each file through
/// [`safe_write::write_file`]), and [`Staging::finish`] swaps it in whole. Dropped or
/// abandoned, it removes the staging folder and leaves `dir` as it was. An output
/// folder that is a symbolic link is refused: rota neither writes through it nor
/// replaces it with a folder (docs/security.md, "Writing files").
pub struct Staging {
    dir: PathBuf,
    parent: PathBuf,
    name: String,
    staging: PathBuf,
    /// The mode the output folder gets: the replaced one's, else [`OUTPUT_FOLDER_MODE`].
    mode: u32,
    /// The staging folder is private (`rwx------`) and rota's own: each folder in it is
    /// checked once, not once per file (docs/security.md, "Writing files").
    checked: safe_write::CheckedFolders,
    done: bool,
}

impl Staging {
    /// Checks that `dir` may be replaced and makes an empty staging folder beside it.
    pub fn begin(dir: &Path) -> Result<Staging, WriteError> {
        let err =
            |what: &str, e: std::io::Error| WriteError(format!("{}: {what}: {e}", dir.display()));
        refuse_link(dir)?;
        if let Ok(meta) = std::fs::symlink_metadata(dir) {
            if !meta.is_dir() {
                return Err(WriteError(format!(
                    "{}: exists and is not a folder",
                    dir.display()
                )));
            }
            let empty = std::fs::read_dir(dir)
                .map_err(|e| err("cannot read", e))?
                .next()
                .is_none();
            let marked = std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file());
            if !empty && !marked {
                return Err(WriteError(format!(
                    "{}: exists and was not written by `rota build`; refusing to replace it (remove it or choose another --out)",
                    dir.display()
                )));
            }
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        // The folder the output folder is in is the user's (the data repository, or
        // where `--out` points): taken as it is, made when missing.
        if !parent.is_dir() {
            std::fs::create_dir_all(&parent).map_err(|e| err("cannot create its parent", e))?;
        }
        remove_abandoned(&parent, &name);
        let staging = safe_write::private_folder(
            &parent,
            &format!(".{name}.rota-new-{}-", std::process::id()),
        )
        .map_err(|e| WriteError(e.to_string()))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            mode: safe_write::folder_mode(dir).unwrap_or(OUTPUT_FOLDER_MODE),
            checked: safe_write::CheckedFolders::default(),
            parent,
            name,
            staging,
            done: false,
        })
    }

    /// Writes one file (`rel` must be a plain relative path).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        self.put_parts(rel, &[bytes])
    }

    /// Writes one file made of `parts`, one after the other.
    pub fn put_parts(&self, rel: &str, parts: &[&[u8]]) -> Result<(), WriteError> {
        safe_write::write_pieces_checked(
            &self.staging,
            Path::new(rel),
            &self.checked,
            parts.iter().map(Ok::<_, safe_write::WriteError>),
        )
        .map_err(|e| self.named_in_output(rel, e))
    }

    /// Writes one file from pieces made as they are taken (a page being rendered); a
    /// piece that fails leaves no file and returns its error.
    pub fn put_pieces<'p, P, E>(
        &self,
        rel: &str,
        pieces: &mut (dyn Iterator<Item = Result<P, E>> + 'p),
    ) -> Result<(), E>
    where
        P: AsRef<[u8]>,
        E: From<WriteError>,
    {
        safe_write::write_pieces_checked(
            &self.staging,
            Path::new(rel),
            &self.checked,
            pieces.map(|p| p.map_err(PutError::Piece)),
        )
        .map_err(|e| match e {
            PutError::Write(e) => E::from(self.named_in_output(rel, e)),
            PutError::Piece(e) => e,
        })
    }

    /// A write error named as the file will be in the output folder.
    fn named_in_output(&self, rel: &str, e: safe_write::WriteError) -> WriteError {
        let under = e.path.strip_prefix(&self.staging).unwrap_or(Path::new(rel));
        WriteError(format!("{}: {}", self.dir.join(under).display(), e.reason))
    }

    /// Swaps the staging folder in for `dir`.
    pub fn finish(mut self) -> Result<(), WriteError> {
        let dir = self.dir.clone();
        let err =
            |what: &str, e: std::io::Error| WriteError(format!("{}: {what}: {e}", dir.display()));
        safe_write::set_folder_mode(&self.staging, self.mode)
            .map_err(|e| WriteError(e.to_string()))?;
        // Still no link (a rename never follows one, but would replace it).
        refuse_link(&dir)?;
        let old = if std::fs::symlink_metadata(&dir).is_ok() {
            // Moved aside onto an empty private folder of an unpredictable name.
            let old = safe_write::private_folder(
                &self.parent,
                &format!(".{}.rota-old-{}-", self.name, std::process::id()),
            )
            .map_err(|e| WriteError(e.to_string()))?;
            if let Err(e) = std::fs::rename(&dir, &old) {
                let _ = std::fs::remove_dir(&old);
                return Err(err("cannot move the previous output aside", e));
            }
            Some(old)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&self.staging, &dir) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, &dir);
            }
            return Err(err("cannot move the new output into place", e));
        }
        self.done = true;
        if let Some(old) = old {
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(())
    }

    /// Gives up: removes the staging folder.
    pub fn abandon(self) {}
}

/// An output folder that is a symbolic link is refused (exit 2), naming it.
fn refuse_link(dir: &Path) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(WriteError(format!(
            "{}: is a symbolic link: rota never writes its output through a link nor replaces one with a folder (remove it or choose another --out)",
            dir.display()
        )));
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MARKER, Staging};
    use std::path::Path;

    #[test]
    fn an_abandoned_staging_folder_leaves_the_previous_output_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(MARKER), "x").unwrap();
        std::fs::write(dir.join("index.html"), "old").unwrap();
        let staging = Staging::begin(&dir).unwrap();
        staging.put("index.html", b"new").unwrap();
        assert!(staging.put("../escape.html", b"no").is_err());
        staging.abandon();
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            "old"
        );
        assert!(!tmp.path().join("escape.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only public/ remains");
        let staging = Staging::begin(&dir).unwrap();
        staging.put(MARKER, b"x").unwrap();
        staging.put("a/b.html", b"new").unwrap();
        staging.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("a/b.html")).unwrap(),
            "new"
        );
        assert!(!dir.join("index.html").exists());
    }

    #[test]
    fn an_output_folder_that_is_a_link_is_refused_and_left_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let dir = tmp.path().join("public");
        std::os::unix::fs::symlink(&elsewhere, &dir).unwrap();
        let e = Staging::begin(&dir).err().unwrap();
        assert!(e.0.contains("symbolic link"), "{}", e.0);
        assert!(std::fs::symlink_metadata(&dir).unwrap().is_symlink());
        // Made a link after the build began: the output is not swapped in either.
        std::fs::remove_file(&dir).unwrap();
        let staging = Staging::begin(&dir).unwrap();
        staging.put("index.html", b"new").unwrap();
        std::os::unix::fs::symlink(&elsewhere, &dir).unwrap();
        assert!(staging.finish().is_err());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        assert!(std::fs::symlink_metadata(&dir).unwrap().is_symlink());
    }

    #[test]
    fn staging_folders_of_a_gone_process_are_removed_but_links_are_left() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("keep"), "x").unwrap();
        // Process ids above the kernel's maximum (2^22) are never running.
        let gone = tmp.path().join(".public.rota-new-99999999-AbC123");
        let gone_old_style = tmp.path().join(".public.rota-old-99999998");
        std::fs::create_dir(&gone).unwrap();
        std::fs::create_dir(&gone_old_style).unwrap();
        let link = tmp.path().join(".public.rota-new-99999997-x");
        std::os::unix::fs::symlink(outside.path(), &link).unwrap();
        let mine = Staging::begin(&tmp.path().join("public")).unwrap();
        assert!(!gone.exists() && !gone_old_style.exists());
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert!(outside.path().join("keep").is_file());
        drop(mine);
    }

    #[test]
    fn staging_folders_are_private_unpredictable_and_the_output_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        let (a, b) = (Staging::begin(&dir).unwrap(), Staging::begin(&dir).unwrap());
        assert_ne!(a.staging, b.staging);
        assert_eq!(mode(&a.staging), 0o700);
        drop(b);
        a.put(MARKER, b"x").unwrap();
        a.finish().unwrap();
        assert_eq!(mode(&dir), super::OUTPUT_FOLDER_MODE);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o750)).unwrap();
        let again = Staging::begin(&dir).unwrap();
        again.put(MARKER, b"x").unwrap();
        again.finish().unwrap();
        assert_eq!(mode(&dir), 0o750);
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only public/ remains");
    }
}
