//! The one way rota lists and reads the files of a data repository (the loader, `rota
//! serve`'s watcher, the site's templates): a repository is untrusted input, so no link
//! is followed out of it or into a version-control folder, no folder link is walked (so
//! no walk can loop or explode), only regular files are read (never blocking on a FIFO),
//! and no file is read beyond its size limit. docs/security.md, "Reading the
//! repository", says what users see.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use super::LoadError;

/// Folders of version-control systems: never walked, and never where a link may lead.
pub const VCS_FOLDERS: &[&str] = &[
    ".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", ".pijul", "CVS",
];

/// One mebibyte: limits are written `4MB`, and a megabyte is 1,048,576 bytes here.
pub const MB: u64 = 1024 * 1024;

/// The most a page template (`templates/NAME.html`) may hold (not configurable: a
/// template is markup, not data).
pub const TEMPLATE_LIMIT: Limit = Limit {
    bytes: MB,
    what: "template",
    key: None,
};

/// How big a file may be, and how to say so when it is bigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    /// What the file is, for the message: `runbook`, `data file`, `template`.
    pub what: &'static str,
    /// The `rota/config.yaml` key that sets the limit, when one does.
    pub key: Option<&'static str>,
}

/// Why a file was not read: a located finding at its line 1, column 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub message: String,
    pub help: String,
}

/// What reading one file gave.
#[derive(Clone, Debug)]
pub enum Content {
    Text(String),
    Refused(Refused),
}

/// What an entry of a walked folder is, as the folder lists it (no link is followed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
    /// A FIFO, device or socket: refused when read (opened without blocking, never
    /// read from).
    Special,
}

/// One entry of a walk: its path relative to the repository (`/`-separated).
#[derive(Clone, Debug)]
pub struct Entry {
    pub rel: String,
    pub kind: Kind,
}

/// A data repository on disk, its own path resolved once.
#[derive(Clone, Debug)]
pub struct Repository {
    root: PathBuf,
    /// The root with every link resolved (once, not per file).
    real_root: Option<PathBuf>,
}

impl Repository {
    pub fn new(root: &Path) -> Repository {
        Repository {
            root: root.to_path_buf(),
            real_root: std::fs::canonicalize(root).ok(),
        }
    }

    /// Whether the folder `rel` (relative, `/`-separated) is there to walk or read from.
    /// Decided once per folder: a folder that is itself a link is followed only when it
    /// leads to a folder inside the repository and not into a version-control folder;
    /// otherwise the load stops (exit 2) with a message that names the folder, not where
    /// the link leads.
    pub fn folder(&self, rel: &str) -> Result<bool, LoadError> {
        let path = self.root.join(rel);
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(LoadError(format!("{rel}/: cannot read: {e}"))),
        };
        if !meta.file_type().is_symlink() {
            return Ok(meta.is_dir());
        }
        match self.link_target(&path) {
            Ok(target) => Ok(target.is_dir()),
            Err(problem) => Err(LoadError(format!(
                "{rel}/: is a symbolic link to {}; rota does not read through it (move the folder itself into the repository)",
                problem.leads_to("folder")
            ))),
        }
    }

    /// Every entry under the folder `rel` (which [`Repository::folder`] accepted), in
    /// name order, down to `depth` levels (1: the folder's own entries). No link is
    /// followed, and no version-control folder is entered.
    pub fn entries(&self, rel: &str, depth: usize) -> Result<Vec<Entry>, LoadError> {
        let dir = self.root.join(rel);
        let walk = walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .max_depth(depth)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !(e.file_type().is_dir() && is_vcs_folder(e.file_name())));
        let mut entries = Vec::new();
        for entry in walk {
            let entry = entry.map_err(|e| LoadError(format!("{rel}/: cannot read: {e}")))?;
            let under = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let t = entry.file_type();
            let kind = if t.is_symlink() {
                Kind::Link
            } else if t.is_dir() {
                Kind::Folder
            } else if t.is_file() {
                Kind::File
            } else {
                Kind::Special
            };
            entries.push(Entry {
                rel: format!("{rel}/{}", under.to_string_lossy().replace('\\', "/")),
                kind,
            });
        }
        Ok(entries)
    }

    /// Whether the link at `rel` leads to a folder (which walks never follow).
    pub fn is_folder_link(&self, rel: &str) -> bool {
        self.root.join(rel).is_dir()
    }

    /// Reads the file `rel` as UTF-8 text (a byte-order mark dropped): one open and one
    /// read for a regular file, never more than `limit.bytes + 1` bytes. A link out of the
    /// repository or into a version-control folder, anything but a regular file, and a
    /// file over the limit are [`Content::Refused`]; a file that cannot be read, or is
    /// not UTF-8, stops the load.
    pub fn read(&self, rel: &str, limit: Limit) -> Result<Content, LoadError> {
        let path = self.root.join(rel);
        let cannot = |e: io::Error| LoadError(format!("{rel}: cannot read: {e}"));
        let file = match open_no_follow(&path) {
            Ok(file) => file,
            Err(e) if is_link_error(&e, &path) => {
                if let Err(problem) = self.link_target(&path) {
                    return Ok(Content::Refused(Refused {
                        message: format!(
                            "this file is a symbolic link to {}: rota does not read it",
                            problem.leads_to("file")
                        ),
                        help: "put the file itself in the repository (links to files within the repository are fine)".into(),
                    }));
                }
                open_following(&path).map_err(cannot)?
            }
            Err(e) => return Err(cannot(e)),
        };
        let meta = file.metadata().map_err(cannot)?;
        if !meta.is_file() {
            return Ok(Content::Refused(Refused {
                message: format!(
                    "this is {}, not a regular file: rota reads only regular files",
                    special_kind(&meta)
                ),
                help: "replace it with the file itself".into(),
            }));
        }
        if meta.len() > limit.bytes {
            return Ok(Content::Refused(over_limit(meta.len(), limit, false)));
        }
        let bytes = read_all(file, meta.len(), limit.bytes + 1).map_err(cannot)?;
        if bytes.len() as u64 > limit.bytes {
            // It grew while being read.
            return Ok(Content::Refused(over_limit(
                bytes.len() as u64,
                limit,
                true,
            )));
        }
        let mut text =
            String::from_utf8(bytes).map_err(|_| LoadError(format!("{rel}: not UTF-8 text")))?;
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Ok(Content::Text(text))
    }

    /// Where the link at `path` leads, when that is inside the repository and outside
    /// every version-control folder; otherwise why not.
    fn link_target(&self, path: &Path) -> Result<PathBuf, LinkProblem> {
        let root = self.real_root.as_ref().ok_or(LinkProblem::Missing)?;
        let target = std::fs::canonicalize(path).map_err(|_| LinkProblem::Missing)?;
        let inside = target
            .strip_prefix(root)
            .map_err(|_| LinkProblem::Outside)?;
        if inside
            .components()
            .any(|c| matches!(c, Component::Normal(name) if is_vcs_folder(name)))
        {
            return Err(LinkProblem::VersionControl);
        }
        Ok(target)
    }
}

/// Why a link is not followed. Messages say where it leads only in general terms, so
/// nothing of what lies outside the repository reaches a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LinkProblem {
    /// Nothing there, or a loop of links.
    Missing,
    Outside,
    /// Into `.git/` or another version-control folder, which is not part of the data.
    VersionControl,
}

impl LinkProblem {
    /// Where it leads, for a link that is a file (`what` = "file") or a folder.
    fn leads_to(self, what: &str) -> String {
        match self {
            LinkProblem::Missing => format!("a missing {what} (or a loop of links)"),
            LinkProblem::Outside => format!("a {what}, outside the data repository"),
            LinkProblem::VersionControl => format!(
                "a {what} inside a version-control folder (such as .git/), which is not part of the data"
            ),
        }
    }
}

/// Is `name` the name of a version-control folder?
pub fn is_vcs_folder(name: &std::ffi::OsStr) -> bool {
    VCS_FOLDERS.iter().any(|v| name == *v)
}

/// The finding for a file of `size` bytes (at least, when `at_least`) over `limit`.
fn over_limit(size: u64, limit: Limit, at_least: bool) -> Refused {
    let size = if at_least {
        format!("more than {}", human_size(limit.bytes))
    } else {
        human_size(size)
    };
    let (set_by, help) = match limit.key {
        Some(key) => (
            format!(" (`{key}` in rota/config.yaml)"),
            format!("split the file, or raise `{key}` (docs/data-format.md, \"Limits\")"),
        ),
        None => (String::new(), "make the file smaller".to_string()),
    };
    Refused {
        message: format!(
            "this {} is {size}, over the limit of {} for a {}{set_by}: rota does not read it",
            limit.what,
            human_size(limit.bytes),
            limit.what
        ),
        help,
    }
}

/// A size in bytes as people write it: `4 MB`, `1.5 KB`, `12 bytes` (powers of 1024).
pub fn human_size(bytes: u64) -> String {
    let units = [(1 << 30, "GB"), (MB, "MB"), (1024, "KB")];
    for (unit, name) in units {
        if bytes >= unit {
            let n = bytes as f64 / unit as f64;
            return if bytes.is_multiple_of(unit) {
                format!("{} {name}", bytes / unit)
            } else {
                format!("{n:.1} {name} ({bytes} bytes)")
            };
        }
    }
    format!("{bytes} bytes")
}

/// The most a limit may be set to: beyond it, one file could take gigabytes of memory.
pub const MAX_LIMIT: u64 = 1 << 30;

/// A size as written in `limits:`: a whole number of bytes, or with `KB`, `MB` or `GB`
/// (powers of 1024), from 1 byte to 1 GB.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(digits);
    let unit_bytes = match unit.trim() {
        "" | "B" => 1,
        "KB" | "K" | "KiB" => 1024,
        "MB" | "M" | "MiB" => MB,
        "GB" | "G" | "GiB" => 1 << 30,
        _ => {
            return Err(format!(
                "`{s}` is not a size: write a whole number with KB, MB or GB, e.g. `4MB`"
            ));
        }
    };
    let bytes = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_bytes))
        .ok_or_else(|| {
            format!("`{s}` is not a size: write a whole number with KB, MB or GB, e.g. `4MB`")
        })?;
    if bytes == 0 || bytes > MAX_LIMIT {
        return Err(format!("`{s}`: a limit is from 1 byte to 1GB"));
    }
    Ok(bytes)
}

/// What a file that is not a regular one is, for a message.
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        return "a folder";
    }
    "a special file"
}

/// Reads a regular file of `len` bytes (as its metadata said), at most `cap` bytes: one
/// read of `len + 1` bytes, which comes back short at the end of a file that has not
/// grown, so a file costs one read, not a second one to find its end
/// (docs/performance.md); a file that grew is read on to `cap`.
fn read_all(mut file: File, len: u64, cap: u64) -> io::Result<Vec<u8>> {
    let want = len.min(cap.saturating_sub(1)) + 1;
    let mut bytes = vec![0; want as usize];
    let mut got = 0;
    while got < bytes.len() {
        match file.read(&mut bytes[got..]) {
            Ok(0) => break,
            Ok(n) => {
                got += n;
                // A regular file of `len` bytes that gave `len` of the `len + 1` asked
                // for is at its end; a shorter read (a file that shrank, or a file
                // system that reads in parts) reads on until a read gives nothing.
                if got as u64 == len {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(got);
    if got as u64 == want && want < cap {
        // It grew while being read: read on, up to the cap.
        file.take(cap - want).read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Opens `path` for reading without following a final link and without blocking (a FIFO
/// opens at once, and is then refused by its type).
#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

/// Opens `path` (a link already found to stay inside the repository) without blocking.
#[cfg(unix)]
fn open_following(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Did opening without following fail because the path is a link?
#[cfg(unix)]
fn is_link_error(e: &io::Error, _: &Path) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other("a symbolic link"));
    }
    File::open(path)
}

#[cfg(not(unix))]
fn open_following(path: &Path) -> io::Result<File> {
    File::open(path)
}

#[cfg(not(unix))]
fn is_link_error(_: &io::Error, path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_of(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, bytes).unwrap();
        let file = File::open(f.path()).unwrap();
        (f, file)
    }

    #[test]
    fn a_file_is_read_whole_whether_it_kept_grew_or_shrank_after_its_size_was_taken() {
        // As its metadata said.
        let (_keep, file) = file_of(b"0123456789");
        assert_eq!(read_all(file, 10, 100).unwrap(), b"0123456789");
        // Grown since (metadata said 4): read on to the cap.
        let (_keep, file) = file_of(b"0123456789");
        assert_eq!(read_all(file, 4, 100).unwrap(), b"0123456789");
        let (_keep, file) = file_of(b"0123456789");
        assert_eq!(read_all(file, 4, 7).unwrap(), b"0123456");
        // Shrunk since (metadata said 20).
        let (_keep, file) = file_of(b"0123456789");
        assert_eq!(read_all(file, 20, 100).unwrap(), b"0123456789");
        // Empty.
        let (_keep, file) = file_of(b"");
        assert_eq!(read_all(file, 0, 100).unwrap(), b"");
    }

    const SMALL: Limit = Limit {
        bytes: 10,
        what: "runbook",
        key: Some("limits.runbook"),
    };

    fn text(c: Content) -> String {
        match c {
            Content::Text(t) => t,
            Content::Refused(r) => panic!("refused: {}", r.message),
        }
    }

    fn refused(c: Content) -> Refused {
        match c {
            Content::Text(t) => panic!("read: {t}"),
            Content::Refused(r) => r,
        }
    }

    #[test]
    fn a_file_at_the_limit_is_read_and_one_byte_more_is_refused_naming_the_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("ten"), "0123456789").expect("write");
        std::fs::write(dir.path().join("eleven"), "0123456789a").expect("write");
        let repo = Repository::new(dir.path());
        assert_eq!(text(repo.read("ten", SMALL).expect("read")), "0123456789");
        let r = refused(repo.read("eleven", SMALL).expect("read"));
        assert!(r.message.contains("11 bytes"), "{}", r.message);
        assert!(r.message.contains("limit of 10 bytes"), "{}", r.message);
        assert!(r.message.contains("limits.runbook"), "{}", r.message);
    }

    #[cfg(unix)]
    #[test]
    fn links_into_git_and_out_of_the_repository_are_refused_and_links_inside_are_read() {
        let outside = tempfile::tempdir().expect("temp dir");
        std::fs::write(outside.path().join("secret"), "s").expect("write");
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::create_dir_all(root.join("docs")).expect("mkdir");
        std::fs::write(root.join(".git/config"), "token").expect("write");
        std::fs::write(root.join("docs/a.md"), "a").expect("write");
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, root.join(name)).expect("link")
        };
        link(Path::new(".git/config"), "leak.md");
        link(&outside.path().join("secret"), "out.md");
        link(Path::new("docs/a.md"), "in.md");
        link(Path::new("loop.md"), "loop.md");
        let repo = Repository::new(root);
        let limit = SMALL;
        assert!(
            refused(repo.read("leak.md", limit).expect("read"))
                .message
                .contains("version-control")
        );
        assert!(
            refused(repo.read("out.md", limit).expect("read"))
                .message
                .contains("outside")
        );
        assert!(
            refused(repo.read("loop.md", limit).expect("read"))
                .message
                .contains("loop")
        );
        assert!(
            !refused(repo.read("out.md", limit).expect("read"))
                .message
                .contains(&outside.path().display().to_string())
        );
        assert_eq!(text(repo.read("in.md", limit).expect("read")), "a");
    }

    #[test]
    fn limits_are_read_in_bytes_kilobytes_megabytes_and_gigabytes() {
        assert_eq!(parse_size("4MB"), Ok(4 * MB));
        assert_eq!(parse_size("512 KB"), Ok(512 * 1024));
        assert_eq!(parse_size("1GB"), Ok(1 << 30));
        assert_eq!(parse_size("100"), Ok(100));
        for wrong in [
            "",
            "4 TB",
            "0",
            "2GB",
            "-1MB",
            "1.5MB",
            "99999999999999999999MB",
        ] {
            assert!(parse_size(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(4 * MB), "4 MB");
        assert_eq!(human_size(1 << 30), "1 GB");
        assert_eq!(human_size(1536), "1.5 KB (1536 bytes)");
        assert_eq!(human_size(11), "11 bytes");
    }
}
