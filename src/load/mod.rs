//! Loading: walk the data repository, read every file of docs/data-format.md#files (through
//! the one walker, [`walk`]), and build the typed [`Repo`]. Bad values become located
//! findings; only an unreadable or missing required file, or a top folder that links out
//! of the repository, stops the load (exit 2).

pub mod alerting;
pub mod calendar;
mod convert;
mod files;
pub(crate) mod raw;
mod reserved;
pub mod resolve;
mod runbook;
pub mod walk;
pub(crate) mod yaml;

use crate::finding::{Finding, RuleId};
use crate::model::*;
use crate::model::{Repo, Unloaded};
use crate::source::{FileId, SourceFile, Sources};
use rayon::prelude::*;
use runbook::{RunbookRead, read_runbooks};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use walk::{Content, Limit, Repository};
use yaml::Ctx;

pub use convert::IMPACTS;

/// The input could not be read at all (exit 2).
#[derive(Debug)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Loads the data repository at `root`.
pub fn load(root: &Path) -> Result<Repo, LoadError> {
    load_with(root, &BTreeMap::new())
}

/// Loads the data repository at `root`, reading the files named in `overlay` (paths
/// relative to the root, `/`-separated) from the given text instead of the disk: how
/// `rota swap` checks an edit before writing it.
pub fn load_with(root: &Path, overlay: &BTreeMap<String, String>) -> Result<Repo, LoadError> {
    load_scoped(root, overlay, Scope::Everything)
}

/// Loads only what the schedule is computed from: `rota/config`, `rota/people`,
/// `rota/rotas/` and `rota/leave` — no runbook, template, alert, service or page log is
/// listed or read, so none of them can slow or stop the answer (`rota now`,
/// docs/commands.md#rota-now).
pub fn load_rota_files(root: &Path) -> Result<Repo, LoadError> {
    load_scoped(root, &BTreeMap::new(), Scope::RotaFiles)
}

/// How much of the repository a load reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Everything,
    RotaFiles,
}

fn load_scoped(
    root: &Path,
    overlay: &BTreeMap<String, String>,
    scope: Scope,
) -> Result<Repo, LoadError> {
    if !root.is_dir() {
        return Err(LoadError(format!(
            "{}: no such directory (give the data repository with --root DIR)",
            root.display()
        )));
    }
    let disk = Repository::new(root);
    // Each top folder is checked once: one that is a link out of the repository stops
    // the load before anything is listed or read through it.
    let tops: &[&str] = match scope {
        Scope::Everything => &["rota", "runbooks", "templates"],
        Scope::RotaFiles => &["rota"],
    };
    for top in tops {
        disk.folder(top)?;
    }
    let mut loader = Loader {
        repo: Repo {
            root: root.to_path_buf(),
            ..Repo::default()
        },
        refused: BTreeSet::new(),
        reader: Reader { disk, overlay },
    };
    // The config first, since it sets the limits; then the runbook pages (thousands of
    // small files) are read while the rest loads.
    loader.config()?;
    if scope == Scope::RotaFiles {
        loader.people_and_rotas()?;
        loader.leave()?;
        reserved::check(&mut loader.repo);
        return Ok(loader.repo);
    }
    let reader = loader.reader.clone();
    let runbook_limit = Limit {
        bytes: loader.repo.config.limits.runbook,
        what: "runbook",
        key: Some("limits.runbook"),
    };
    let (loaded, pages) = rayon::join(
        || loader.data_files(),
        || read_runbooks(&reader, runbook_limit),
    );
    loaded?;
    loader.runbooks(pages?)?;
    loader.alerting()?;
    loader.templates()?;
    reserved::check(&mut loader.repo);
    Ok(loader.repo)
}

impl Loader<'_> {
    /// Everything under `rota/` but the config.
    fn data_files(&mut self) -> Result<(), LoadError> {
        self.people_and_rotas()?;
        self.lists("rota/alerts", |l, file, text| {
            let items: Vec<raw::S<raw::RawAlert>> = l.parse_list(file, text, "alert")?;
            let severities = l.repo.config.severities.clone();
            let mut cx = l.ctx(file);
            let mut failed = Vec::new();
            let alerts: Vec<Alert> = items
                .iter()
                .filter_map(|a| {
                    let alert = convert::alert(&mut cx, &a.value, &severities);
                    if alert.is_none() {
                        failed.push(a.value.id.value.clone());
                    }
                    alert
                })
                .collect();
            l.repo.alerts.extend(alerts);
            for id in failed {
                l.repo.unloaded.ids.insert(("alert", id));
            }
            Some(())
        })?;
        self.optional_file("rota/services", |l, file, text| {
            let items: Vec<raw::S<raw::RawService>> = l.parse_list(file, text, "service")?;
            let mut cx = l.ctx(file);
            let services: Vec<Service> = items
                .iter()
                .map(|s| convert::service(&mut cx, &s.value))
                .collect();
            l.repo.services.extend(services);
            Some(())
        })?;
        self.leave()?;
        self.lists("rota/pages", |l, file, text| {
            let items: Vec<raw::S<raw::RawPage>> = l.parse_list(file, text, "page")?;
            let tz = l.repo.config.timezone;
            let mut cx = l.ctx(file);
            let pages: Vec<PageEntry> = items
                .iter()
                .filter_map(|p| convert::page(&mut cx, p, tz))
                .collect();
            l.repo.pages.extend(pages);
            Some(())
        })?;
        Ok(())
    }
}

impl Repo {
    /// The Markdown of a runbook after its front matter (kept once, in the sources).
    pub fn body(&self, runbook: &Runbook) -> &str {
        self.sources
            .get(runbook.file)
            .text
            .get(runbook.body_start..)
            .unwrap_or_default()
    }
}

struct Loader<'o> {
    repo: Repo,
    /// Files not read (a link out of the repository, a FIFO, a file over its limit…):
    /// already reported, with an empty text.
    refused: BTreeSet<FileId>,
    reader: Reader<'o>,
}

/// Reads files of the data repository through the one walker ([`walk`]), the overlay's
/// text instead of the disk's where it has some.
#[derive(Clone)]
struct Reader<'o> {
    disk: Repository,
    overlay: &'o BTreeMap<String, String>,
}

impl Reader<'_> {
    /// The reading half of [`Loader::read`]: no change to the loader, so many files can
    /// be read at once (runbooks are, in parallel, while the rest loads).
    fn read_text(&self, rel: &str, limit: Limit) -> Result<Content, LoadError> {
        if let Some(text) = self.overlay.get(rel) {
            return Ok(Content::Text(text.clone()));
        }
        self.disk.read(rel, limit)
    }
}

impl Loader<'_> {
    fn ctx(&mut self, file: FileId) -> Ctx<'_> {
        let line_offset = self.repo.sources.get(file).line_offset;
        Ctx {
            file,
            line_offset,
            findings: &mut self.repo.findings,
        }
    }

    /// Reads a data file into the sources. A UTF-8 byte-order mark is dropped. A file
    /// the walker refuses (a link out of the repository or into `.git/`, not a regular
    /// file, over its limit) is not read: it gets a `parse` finding and an empty text, so
    /// nothing of it can be printed.
    fn read(&mut self, rel: &str) -> Result<FileId, LoadError> {
        let limit = Limit {
            bytes: self.repo.config.limits.data_file,
            what: "data file",
            key: Some("limits.data_file"),
        };
        self.read_limited(rel, limit)
    }

    fn read_limited(&mut self, rel: &str, limit: Limit) -> Result<FileId, LoadError> {
        let read = self.reader.read_text(rel, limit)?;
        Ok(self.add_read(rel, read))
    }

    /// The recording half of [`Loader::read`]: adds the file to the sources.
    fn add_read(&mut self, rel: &str, read: Content) -> FileId {
        let disk_path = self.repo.root.join(rel);
        let (text, refused) = match read {
            Content::Text(text) => (text, None),
            Content::Refused(refused) => (String::new(), Some(refused)),
        };
        let file = self.repo.sources.add(SourceFile {
            path: rel.to_string(),
            disk_path,
            text,
            line_offset: 0,
        });
        if let Some(refused) = refused {
            self.refused.insert(file);
            self.repo.findings.push(
                Finding::error(RuleId::Parse, Sources::file_start(file), refused.message)
                    .with_help(refused.help),
            );
        }
        file
    }

    /// `STEM.yaml` or `STEM.yml` (`stem` relative, without extension), whichever exists;
    /// both at once is an error, since one would silently be ignored.
    fn with_extension(&self, stem: &str) -> Result<Option<String>, LoadError> {
        let found: Vec<String> = ["yaml", "yml"]
            .iter()
            .map(|ext| format!("{stem}.{ext}"))
            .filter(|rel| std::fs::symlink_metadata(self.repo.root.join(rel)).is_ok())
            .collect();
        match found.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.clone())),
            _ => Err(LoadError(format!(
                "{}: both {stem}.yaml and {stem}.yml exist; keep one",
                self.repo.root.display()
            ))),
        }
    }

    fn required(&mut self, stem: &str, what: &str) -> Result<FileId, LoadError> {
        match self.with_extension(stem)? {
            Some(rel) => self.read(&rel),
            None => Err(LoadError(format!(
                "{}: missing {stem}.yaml ({what}); `rota init DIR` creates a small example",
                self.repo.root.display()
            ))),
        }
    }

    /// Parses a file (or front matter) of entries of `kind`, keeping what loads when
    /// one entry or key is broken, and recording what was dropped.
    fn parse<T: serde::de::DeserializeOwned>(
        &mut self,
        file: FileId,
        text: &str,
        kind: &'static str,
    ) -> Option<T> {
        let line_offset = self.repo.sources.get(file).line_offset;
        self.record(yaml::parse_tolerant::<T>(line_offset, file, text), kind)
    }

    /// Keeps the findings of a parse of a file of `kind`, and what it dropped; its value.
    fn record<T>(&mut self, parsed: yaml::Tolerant<T>, kind: &'static str) -> Option<T> {
        self.repo.findings.extend(parsed.findings);
        record_unloaded(
            &mut self.repo.unloaded,
            kind,
            &parsed.dropped,
            parsed.value.is_some(),
        );
        parsed.value
    }

    /// A file that holds a list; a blank file is an empty list.
    fn parse_list<T: serde::de::DeserializeOwned>(
        &mut self,
        file: FileId,
        text: &str,
        kind: &'static str,
    ) -> Option<Vec<T>> {
        if yaml::is_blank(text) {
            return Some(Vec::new());
        }
        self.parse(file, text, kind)
    }

    fn text(&self, file: FileId) -> String {
        self.repo.sources.get(file).text.clone()
    }
}

/// `templates/*.html` (relative paths, sorted): every kind but a folder.
pub fn template_files(disk: &Repository) -> Result<Vec<String>, LoadError> {
    if !disk.folder("templates")? {
        return Ok(Vec::new());
    }
    Ok(disk
        .entries("templates", 1)?
        .into_iter()
        .filter(|e| e.kind != walk::Kind::Folder && e.rel.ends_with(".html"))
        .map(|e| e.rel)
        .collect())
}

/// Records the entries dropped from a file of `kind` (by their `id:`), or the whole
/// file when nothing of it loaded.
pub(crate) fn record_unloaded(
    unloaded: &mut Unloaded,
    kind: &'static str,
    dropped: &[String],
    loaded: bool,
) {
    if !loaded {
        unloaded.kinds.insert(kind);
    }
    for unit in dropped {
        match yaml::value_of_key(unit, "id") {
            Some(id) => {
                unloaded.ids.insert((kind, id));
            }
            None => {
                unloaded.kinds.insert(kind);
            }
        }
    }
}
