//! Writing files so that a data repository cannot redirect the write: every file rota
//! writes (`swap`, `schema --out`, `man --out`, `build`, `init`) goes through
//! [`write_file`], and every output folder it makes through [`create_output_folder`]
//! (docs/security.md, "Writing files").
//!
//! A repository is untrusted input: it can commit a symbolic link where rota would write
//! (a fixed temporary name, the output file itself, a folder on the way). So the new
//! text goes to a file created new (`O_CREAT | O_EXCL`, which never follows a link)
//! under an unpredictable name in the target's own folder, and is then renamed over the
//! target (a rename replaces the name, it never writes through it). A target or a
//! folder on the way that is a link is refused, naming it, before anything is written.

use std::collections::HashSet;
use std::fmt;
use std::fs::{File, OpenOptions, Permissions};
use std::io::{BufWriter, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Why a file or folder was not written: the path, and what is wrong with it (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for WriteError {}

fn refused(path: &Path, reason: impl Into<String>) -> WriteError {
    WriteError {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

const LINK: &str = "is a symbolic link: rota never writes through a link or replaces one (remove it, or write elsewhere)";

/// The bits a new file gets before the umask (`rw-rw-rw-`), and the ones rota keeps of
/// a replaced file: read and write, never execute (nor set-id or sticky).
const READ_WRITE: u32 = 0o666;

/// Writes `parts`, one after the other, to the file `base/rel`, replacing it whole.
///
/// `base` is the folder the write is meant for (the data repository, an output or
/// staging folder) and is taken as given; `rel` must be a plain relative path (no `..`,
/// no root). Folders of `rel` that are missing are created; one that is a symbolic link
/// (wherever it leads) or not a folder is refused, and so is a target that is a link or
/// not a regular file. The bytes go to a new file under an unpredictable name beside
/// the target, which is then renamed over it, so a reader sees the old file or the new
/// one, never half of one. A replaced file keeps its read and write permission bits but
/// loses any execute bit; a new one is `rw-rw-rw-` less the umask.
pub fn write_file(base: &Path, rel: &Path, parts: &[&[u8]]) -> Result<(), WriteError> {
    write_pieces(base, rel, parts.iter().map(Ok::<_, WriteError>))
}

/// As [`write_file`], with the bytes handed over piece by piece as they are made (a big
/// page is never held whole). An error from `pieces` abandons the write — the temporary
/// file is removed and the target left as it was — and is returned.
pub fn write_pieces<P, E>(
    base: &Path,
    rel: &Path,
    pieces: impl IntoIterator<Item = Result<P, E>>,
) -> Result<(), E>
where
    P: AsRef<[u8]>,
    E: From<WriteError>,
{
    write_pieces_in(base, rel, None, pieces)
}

/// Folders under one base that a writer has made or checked: each is checked once, not
/// again for every file written in it. Only for a private folder the writer made itself
/// (`rota build`'s staging folder, `rwx------`), where nobody else can turn a checked
/// folder into a link between two files.
#[derive(Debug, Default)]
pub struct CheckedFolders(Mutex<HashSet<PathBuf>>);

/// As [`write_pieces`] into a private folder of the writer's own, whose folders are
/// checked once each (see [`CheckedFolders`]); the target itself is checked every time.
pub fn write_pieces_checked<P, E>(
    base: &Path,
    rel: &Path,
    checked: &CheckedFolders,
    pieces: impl IntoIterator<Item = Result<P, E>>,
) -> Result<(), E>
where
    P: AsRef<[u8]>,
    E: From<WriteError>,
{
    write_pieces_in(base, rel, Some(checked), pieces)
}

fn write_pieces_in<P, E>(
    base: &Path,
    rel: &Path,
    checked: Option<&CheckedFolders>,
    pieces: impl IntoIterator<Item = Result<P, E>>,
) -> Result<(), E>
where
    P: AsRef<[u8]>,
    E: From<WriteError>,
{
    if let Some(checked) = checked {
        match create_new_in(base, rel, checked)? {
            NewFile::Created(target, file) => return write_new(&target, file, pieces),
            NewFile::Exists => {}
        }
    }
    let (target, existing) = check_target_in(base, rel, checked)?;
    let folder = target.parent().unwrap_or(base);
    let kept = existing.map(|meta| meta.permissions().mode() & READ_WRITE);
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let cannot = |e: std::io::Error| refused(&target, format!("cannot write: {e}"));
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".rota-tmp")
        .rand_bytes(12)
        .permissions(Permissions::from_mode(READ_WRITE))
        .tempfile_in(folder)
        .map_err(cannot)?;
    if let Some(mode) = kept {
        // On the open file (fchmod): exactly the kept bits, whatever the umask.
        temp.as_file()
            .set_permissions(Permissions::from_mode(mode))
            .map_err(cannot)?;
    }
    for piece in pieces {
        temp.write_all(piece?.as_ref()).map_err(cannot)?;
    }
    temp.flush().map_err(cannot)?;
    // Dropped on an error, the temporary file is removed.
    temp.persist(&target).map_err(|e| cannot(e.error))?;
    Ok(())
}

/// A file created new in a private folder, or word that one is there already.
enum NewFile {
    Created(PathBuf, File),
    Exists,
}

/// In a private folder of the writer's own ([`CheckedFolders`]), a file that is not
/// there yet is created in place: `O_CREAT | O_EXCL | O_NOFOLLOW` never follows or
/// replaces a link and fails on anything already at the name, and nobody else can write
/// in the folder, so no temporary name and no rename are needed — one open and the
/// writes (docs/performance.md). Anything already there goes the general way.
fn create_new_in(base: &Path, rel: &Path, checked: &CheckedFolders) -> Result<NewFile, WriteError> {
    let target = check_folders_in(base, rel, Some(checked))?;
    let opened = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(READ_WRITE)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&target);
    match opened {
        Ok(file) => Ok(NewFile::Created(target, file)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(NewFile::Exists),
        Err(e) => Err(refused(&target, format!("cannot write: {e}"))),
    }
}

/// Writes `pieces` to a file just created by [`create_new_in`], through one buffer (a
/// small page is one write); on an error the file is removed and the error returned.
fn write_new<P, E>(
    target: &Path,
    file: File,
    pieces: impl IntoIterator<Item = Result<P, E>>,
) -> Result<(), E>
where
    P: AsRef<[u8]>,
    E: From<WriteError>,
{
    let mut out = BufWriter::with_capacity(64 * 1024, file);
    let written = (|| {
        for piece in pieces {
            let piece = piece?;
            out.write_all(piece.as_ref())
                .map_err(|e| refused(target, format!("cannot write: {e}")))?;
        }
        out.flush()
            .map_err(|e| refused(target, format!("cannot write: {e}")).into())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(target);
    }
    written
}

/// Checks, without writing anything, that [`write_file`] may write `base/rel`: a plain
/// relative path whose existing folders under `base` are real folders (not links) and
/// whose target, if it exists, is a regular file and not a link. Creates the missing
/// folders. Returns the target's path.
pub fn check_target(base: &Path, rel: &Path) -> Result<PathBuf, WriteError> {
    check_target_in(base, rel, None).map(|(target, _)| target)
}

/// [`check_target`], skipping folders already in `checked`; also returns what is at the
/// target now (a regular file), so that it is looked at once.
fn check_target_in(
    base: &Path,
    rel: &Path,
    checked: Option<&CheckedFolders>,
) -> Result<(PathBuf, Option<std::fs::Metadata>), WriteError> {
    let target = check_folders_in(base, rel, checked)?;
    match std::fs::symlink_metadata(&target) {
        Ok(meta) if meta.file_type().is_symlink() => Err(refused(&target, LINK)),
        Ok(meta) if !meta.is_file() => Err(refused(
            &target,
            "exists and is not a regular file: refusing to replace it",
        )),
        Ok(meta) => Ok((target, Some(meta))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((target, None)),
        Err(e) => Err(refused(&target, format!("cannot read: {e}"))),
    }
}

/// That `rel` is a plain relative path, with its folders under `base` made or checked
/// (once each when `checked` is given); returns the target's path.
fn check_folders_in(
    base: &Path,
    rel: &Path,
    checked: Option<&CheckedFolders>,
) -> Result<PathBuf, WriteError> {
    let plain =
        rel.components().count() > 0 && rel.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(refused(
            &base.join(rel),
            "not a plain relative path inside the folder written to",
        ));
    }
    let target = base.join(rel);
    if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        let seen = |c: &CheckedFolders| c.0.lock().is_ok_and(|s| s.contains(parent));
        if !checked.is_some_and(seen) {
            create_folders_under(base, parent)?;
            if let Some(Ok(mut set)) = checked.map(|c| c.0.lock()) {
                set.insert(parent.to_path_buf());
            }
        }
    }
    Ok(target)
}

/// Makes the folders of `rel` under `base` (a plain relative path), one at a time: an
/// existing one must be a real folder, never a link, so nothing is created through a
/// link either.
pub fn create_folders_under(base: &Path, rel: &Path) -> Result<(), WriteError> {
    let mut folder = base.to_path_buf();
    for part in rel.components() {
        let Component::Normal(name) = part else {
            return Err(refused(
                &base.join(rel),
                "not a plain relative path inside the folder written to",
            ));
        };
        folder.push(name);
        make_folder(&folder)?;
    }
    Ok(())
}

/// Makes `folder` unless it is there: an existing folder is kept, a link or anything
/// else is refused.
fn make_folder(folder: &Path) -> Result<(), WriteError> {
    let existing = |folder: &Path| match std::fs::symlink_metadata(folder) {
        Ok(meta) if meta.file_type().is_symlink() => Err(refused(folder, LINK)),
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(_) => Err(refused(folder, "exists and is not a folder")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(refused(folder, format!("cannot read: {e}"))),
    };
    if existing(folder)? {
        return Ok(());
    }
    match std::fs::create_dir(folder) {
        Ok(()) => Ok(()),
        // Made meanwhile (another thread of the same build): fine if it is a folder.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => existing(folder).map(|_| ()),
        Err(e) => Err(refused(folder, format!("cannot create: {e}"))),
    }
}

/// Makes the output folder `path` (`--out`) unless it is there, and the folders on the
/// way. `path` itself must not be a symbolic link (it is never written through nor
/// replaced by a folder); on a relative path no existing folder on the way may be a link
/// either (they are inside the working folder, often a checked-out repository). An
/// absolute path is the user's own: the folders on the way are taken as they are.
pub fn create_output_folder(path: &Path) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refused(path, LINK));
    }
    let strict = path.is_relative();
    let mut folder = PathBuf::new();
    for part in path.components() {
        folder.push(part);
        match part {
            Component::Normal(_) if strict || !folder.is_dir() => make_folder(&folder)?,
            // `/`, `.`, `..`, or a folder on an absolute path: already there.
            _ => {}
        }
    }
    Ok(())
}

/// A folder's permission bits, kept when a staging folder takes its place; `None` when
/// there is no such folder.
pub fn folder_mode(path: &Path) -> Option<u32> {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_dir())
        .map(|m| m.permissions().mode() & 0o7777)
}

/// A new private folder (`rwx------`) under an unpredictable name in `parent`, starting
/// with `prefix`, kept when dropped (the caller removes it or renames it into place).
pub fn private_folder(parent: &Path, prefix: &str) -> Result<PathBuf, WriteError> {
    tempfile::Builder::new()
        .prefix(prefix)
        .rand_bytes(12)
        .permissions(Permissions::from_mode(0o700))
        .tempdir_in(parent)
        .map(tempfile::TempDir::keep)
        .map_err(|e| refused(parent, format!("cannot create a folder: {e}")))
}

/// Gives a folder made by [`private_folder`] the mode it will have in place.
pub fn set_folder_mode(path: &Path, mode: u32) -> Result<(), WriteError> {
    std::fs::set_permissions(path, Permissions::from_mode(mode))
        .map_err(|e| refused(path, format!("cannot set its permissions: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o7777
    }

    #[test]
    fn a_new_file_is_written_and_its_folders_made() {
        let tmp = tempfile::tempdir().unwrap();
        write_file(tmp.path(), Path::new("a/b/c.txt"), &[b"one ", b"two"]).unwrap();
        let path = tmp.path().join("a/b/c.txt");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one two");
        assert_eq!(mode(&path) & 0o111, 0, "not executable");
        let names: Vec<_> = std::fs::read_dir(tmp.path().join("a/b")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_replaced_file_keeps_its_read_write_bits_and_loses_execute() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("hook.yaml");
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(0o4751)).unwrap();
        write_file(tmp.path(), Path::new("hook.yaml"), &[b"name: x\n"]).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "name: x\n");
        assert_eq!(mode(&path), 0o640);
        std::fs::set_permissions(&path, Permissions::from_mode(0o600)).unwrap();
        write_file(tmp.path(), Path::new("hook.yaml"), &[b"y"]).unwrap();
        assert_eq!(mode(&path), 0o600, "private stays private");
    }

    #[test]
    fn a_target_that_is_a_link_is_refused_and_what_it_points_at_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, "precious").unwrap();
        let base = tmp.path().join("repo");
        std::fs::create_dir(&base).unwrap();
        symlink(&outside, base.join("out.yaml")).unwrap();
        symlink(base.join("missing"), base.join("dangling.yaml")).unwrap();
        for name in ["out.yaml", "dangling.yaml"] {
            let e = write_file(&base, Path::new(name), &[b"evil"]).unwrap_err();
            assert_eq!(e.path, base.join(name));
            assert!(e.to_string().contains("symbolic link"), "{e}");
            assert!(
                std::fs::symlink_metadata(base.join(name))
                    .unwrap()
                    .is_symlink()
            );
        }
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "precious");
        assert!(!base.join("missing").exists());
    }

    #[test]
    fn a_folder_on_the_way_that_is_a_link_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let base = tmp.path().join("repo");
        std::fs::create_dir_all(base.join("rota")).unwrap();
        symlink(&elsewhere, base.join("rota/rotas")).unwrap();
        let e = write_file(&base, Path::new("rota/rotas/x.yaml"), &[b"x"]).unwrap_err();
        assert_eq!(e.path, base.join("rota/rotas"));
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // A file where a folder is needed is refused too.
        std::fs::write(base.join("file"), "x").unwrap();
        assert!(write_file(&base, Path::new("file/x.yaml"), &[b"x"]).is_err());
    }

    #[test]
    fn checked_folders_are_made_once_and_a_link_among_them_is_still_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let base = tmp.path().join("staging");
        std::fs::create_dir(&base).unwrap();
        let checked = CheckedFolders::default();
        let write = |rel: &str| {
            write_pieces_checked(&base, Path::new(rel), &checked, [Ok::<_, WriteError>(b"x")])
        };
        write("a/b/one.html").unwrap();
        write("a/b/two.html").unwrap();
        write("top.html").unwrap();
        assert_eq!(std::fs::read_dir(base.join("a/b")).unwrap().count(), 2);
        symlink(&elsewhere, base.join("c")).unwrap();
        assert!(write("c/evil.html").is_err());
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // The target is still checked on every write.
        symlink(&elsewhere, base.join("a/b/link.html")).unwrap();
        assert!(write("a/b/link.html").is_err());
    }

    #[test]
    fn in_a_checked_folder_a_new_file_is_made_in_place_and_a_failed_one_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("staging");
        std::fs::create_dir(&base).unwrap();
        let checked = CheckedFolders::default();
        let pieces = |parts: &[&'static str]| -> Vec<Result<&'static [u8], WriteError>> {
            parts.iter().map(|p| Ok(p.as_bytes())).collect()
        };
        write_pieces_checked(
            &base,
            Path::new("p/one.html"),
            &checked,
            pieces(&["a", "b"]),
        )
        .unwrap();
        assert_eq!(std::fs::read(base.join("p/one.html")).unwrap(), b"ab");
        // No temporary file beside it.
        assert_eq!(std::fs::read_dir(base.join("p")).unwrap().count(), 1);
        // A second write of the same name replaces it (the general way).
        write_pieces_checked(&base, Path::new("p/one.html"), &checked, pieces(&["c"])).unwrap();
        assert_eq!(std::fs::read(base.join("p/one.html")).unwrap(), b"c");
        // A piece that fails: no file is left under the name.
        let failing: Vec<Result<&[u8], WriteError>> = vec![
            Ok(b"half"),
            Err(refused(Path::new("p/two.html"), "rendering failed")),
        ];
        assert!(write_pieces_checked(&base, Path::new("p/two.html"), &checked, failing).is_err());
        assert!(!base.join("p/two.html").exists());
    }

    #[test]
    fn only_plain_relative_paths_are_written() {
        let tmp = tempfile::tempdir().unwrap();
        for rel in ["../x", "/etc/x", "a/../../x", ""] {
            assert!(
                write_file(tmp.path(), Path::new(rel), &[b"x"]).is_err(),
                "{rel}"
            );
        }
        assert!(!tmp.path().parent().unwrap().join("x").exists());
    }

    #[test]
    fn a_folder_in_place_of_the_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("x.yaml")).unwrap();
        let e = write_file(tmp.path(), Path::new("x.yaml"), &[b"x"]).unwrap_err();
        assert!(e.reason.contains("not a regular file"), "{e}");
    }

    #[test]
    fn an_output_folder_that_is_a_link_is_refused_and_kept_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let out = tmp.path().join("out");
        symlink(&elsewhere, &out).unwrap();
        let e = create_output_folder(&out).unwrap_err();
        assert_eq!(e.path, out);
        assert!(std::fs::symlink_metadata(&out).unwrap().is_symlink());
        // A dangling link is not replaced by a folder either.
        let dangling = tmp.path().join("dangling");
        symlink(tmp.path().join("nowhere"), &dangling).unwrap();
        assert!(create_output_folder(&dangling).is_err());
        assert!(!tmp.path().join("nowhere").exists());
        // A new folder (and the ones on the way) is made.
        create_output_folder(&tmp.path().join("new/deeper")).unwrap();
        assert!(tmp.path().join("new/deeper").is_dir());
    }

    #[test]
    fn private_folders_have_unpredictable_names() {
        let tmp = tempfile::tempdir().unwrap();
        let a = private_folder(tmp.path(), ".public.rota-new-").unwrap();
        let b = private_folder(tmp.path(), ".public.rota-new-").unwrap();
        assert_ne!(a, b);
        assert_eq!(mode(&a), 0o700);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".public.rota-new-") && name.len() >= 17 + 12);
    }
}
