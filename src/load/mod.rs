//! Loading: walk the data repository, read every file of docs/data-format.md#files (through
//! the one walker, [`walk`]), and build the typed [`Repo`]. Bad values become located
//! findings; only an unreadable or missing required file, or a top folder that links out
//! of the repository, stops the load (exit 2).

mod alerting;
mod convert;
pub(crate) mod raw;
mod reserved;
pub mod walk;
pub(crate) mod yaml;

use crate::finding::Finding;
use crate::model::*;
use crate::source::{FileId, SourceFile, Sources};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use walk::{Content, Limit, Refused, Repository};
use yaml::Ctx;

pub use convert::IMPACTS;

/// Everything the data repository says, typed, with the findings of loading it.
#[derive(Debug, Default, Clone)]
pub struct Repo {
    pub root: PathBuf,
    pub sources: Sources,
    pub config: Config,
    pub people: Vec<Person>,
    pub rotas: Vec<Rota>,
    pub alerts: Vec<Alert>,
    pub services: Vec<Service>,
    pub leave: Vec<LeaveEntry>,
    pub pages: Vec<PageEntry>,
    pub runbooks: Vec<Runbook>,
    /// The data repository's own templates (`templates/NAME.html`, read confined to the
    /// repository like every other file): name → the file in `sources`.
    pub templates: std::collections::BTreeMap<String, FileId>,
    /// The Alertmanager routing read through `alerting.alertmanager` (docs/alerting.md).
    pub alerting: crate::alerting::catalogue::AlertingSetup,
    /// `parse` and `invalid-id` findings.
    pub findings: Vec<Finding>,
    /// Entries that failed to load, so that findings which only follow from that
    /// (an "unknown person" for a person whose entry broke) are not reported.
    pub unloaded: Unloaded,
}

/// What failed to load: entries by kind and id, and kinds of which an entry without a
/// readable id (or a whole file) failed. Kinds: `person`, `rota`, `alert`, `service`.
#[derive(Debug, Default, Clone)]
pub struct Unloaded {
    pub ids: BTreeSet<(&'static str, String)>,
    pub kinds: BTreeSet<&'static str>,
}

impl Unloaded {
    /// Could a reference to this id be broken only because its entry failed to load?
    pub fn contains(&self, kind: &str, id: &str) -> bool {
        self.kinds.contains(kind) || self.ids.iter().any(|(k, i)| *k == kind && i == id)
    }

    /// Records the entries dropped from a file of `kind` (by their `id:`), or the whole
    /// file when nothing of it loaded.
    fn record(&mut self, kind: &'static str, dropped: &[String], loaded: bool) {
        if !loaded {
            self.kinds.insert(kind);
        }
        for unit in dropped {
            match yaml::value_of_key(unit, "id") {
                Some(id) => {
                    self.ids.insert((kind, id));
                }
                None => {
                    self.kinds.insert(kind);
                }
            }
        }
    }
}

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
    if !root.is_dir() {
        return Err(LoadError(format!(
            "{}: no such directory (give the data repository with --root DIR)",
            root.display()
        )));
    }
    let disk = Repository::new(root);
    // Each top folder is checked once: one that is a link out of the repository stops
    // the load before anything is listed or read through it.
    for top in ["rota", "runbooks", "templates"] {
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
        self.people()?;
        self.rotas()?;
        self.lists("rota/alerts", |l, file, text| {
            let items: Vec<raw::S<raw::RawAlert>> = l.parse_list(file, text, "alert")?;
            let mut cx = l.ctx(file);
            let mut failed = Vec::new();
            let alerts: Vec<Alert> = items
                .iter()
                .filter_map(|a| {
                    let alert = convert::alert(&mut cx, &a.value);
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
        self.optional_file("rota/leave", |l, file, text| {
            let items: Vec<raw::S<raw::RawLeave>> = l.parse_list(file, text, "leave")?;
            let mut cx = l.ctx(file);
            let leave: Vec<LeaveEntry> = items
                .iter()
                .filter_map(|e| convert::leave(&mut cx, e))
                .collect();
            l.repo.leave.extend(leave);
            Some(())
        })?;
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
                Finding::error("parse", Sources::file_start(file), refused.message)
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
        let parsed = yaml::parse_tolerant::<T>(line_offset, file, text);
        self.repo.findings.extend(parsed.findings);
        self.repo
            .unloaded
            .record(kind, &parsed.dropped, parsed.value.is_some());
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

    fn config(&mut self) -> Result<(), LoadError> {
        // The config sets the limits, so it is itself read with the default one.
        let limit = Limit {
            bytes: Limits::default().data_file,
            what: "config file",
            key: None,
        };
        let file = match self.with_extension("rota/config")? {
            Some(rel) => self.read_limited(&rel, limit)?,
            None => self.required("rota/config", "site title, time zone and policy")?,
        };
        let text = self.text(file);
        if self.refused.contains(&file) {
            self.repo.config.loc = Sources::file_start(file);
            return Ok(());
        }
        if yaml::is_blank(&text) {
            self.repo.findings.push(
                Finding::error(
                    "parse",
                    Sources::file_start(file),
                    "this config file is empty: it needs at least `timezone:` (the team's IANA time zone) and, to publish, `base_url:`",
                )
                .with_help("e.g. `title: Support at Example Ltd`, `base_url: https://example.github.io/support/`, `timezone: Europe/London`; docs/data-format.md lists every key"),
            );
            self.repo.config.loc = Sources::file_start(file);
            return Ok(());
        }
        if let Some(raw) = self.parse::<raw::RawConfig>(file, &text, "config") {
            let mut cx = self.ctx(file);
            self.repo.config = convert::config(&mut cx, raw);
        } else {
            self.repo.config.loc = Sources::file_start(file);
        }
        Ok(())
    }

    fn people(&mut self) -> Result<(), LoadError> {
        let file = self.required("rota/people", "everyone who can be on a rota")?;
        let text = self.text(file);
        if self.refused.contains(&file) {
            self.repo.unloaded.kinds.insert("person");
            return Ok(());
        }
        if yaml::is_blank(&text) {
            self.repo.findings.push(
                Finding::error(
                    "parse",
                    Sources::file_start(file),
                    "this people file is empty: list everyone who can be on a rota",
                )
                .with_help("one entry per person, e.g. `- { id: alice, name: Alice Example, opted_in: true, vetted: 2025-03-01 }`"),
            );
            self.repo.unloaded.kinds.insert("person");
            return Ok(());
        }
        if let Some(items) = self.parse_list::<raw::S<raw::RawPerson>>(file, &text, "person") {
            let mut cx = self.ctx(file);
            let people: Vec<Person> = items
                .into_iter()
                .map(|p| convert::person(&mut cx, p.value))
                .collect();
            self.repo.people = people;
        }
        Ok(())
    }

    fn rotas(&mut self) -> Result<(), LoadError> {
        if !self.reader.disk.folder("rota/rotas")? {
            return Err(LoadError(format!(
                "{}: missing rota/rotas/ (one <id>.yaml file per rota); `rota init DIR` creates a small example",
                self.repo.root.display()
            )));
        }
        for rel in self.yaml_files("rota/rotas")? {
            let file = self.read(&rel)?;
            let stem = Path::new(&rel)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !is_valid_id(&stem) {
                self.repo.findings.push(yaml::invalid_id(
                    Sources::file_start(file),
                    &stem,
                    "rota (the file name)",
                ));
            }
            let text = self.text(file);
            if self.refused.contains(&file) {
                self.repo.unloaded.ids.insert(("rota", stem));
                continue;
            }
            if yaml::is_blank(&text) {
                self.repo.findings.push(Finding::error(
                    "parse",
                    Sources::file_start(file),
                    "this rota file is empty: it needs at least `kind`, `hours`, `rotation` and `positions`",
                ));
                self.repo.unloaded.ids.insert(("rota", stem));
                continue;
            }
            if let Some(raw) = self.parse::<raw::RawRota>(file, &text, "rota file") {
                let config = self.repo.config.clone();
                let mut cx = self.ctx(file);
                let rota = convert::rota(&mut cx, stem, raw, &config);
                self.repo.rotas.push(rota);
            } else {
                self.repo.unloaded.ids.insert(("rota", stem));
            }
        }
        Ok(())
    }

    /// `*.yaml` and `*.yml` entries directly in `dir` (relative), sorted: every kind
    /// but a folder, so that a FIFO or a link is reported when read, not skipped.
    fn yaml_files(&self, dir: &str) -> Result<Vec<String>, LoadError> {
        if !self.reader.disk.folder(dir)? {
            return Ok(Vec::new());
        }
        Ok(self
            .reader
            .disk
            .entries(dir, 1)?
            .into_iter()
            .filter(|e| e.kind != walk::Kind::Folder)
            .filter(|e| e.rel.ends_with(".yaml") || e.rel.ends_with(".yml"))
            .map(|e| e.rel)
            .collect())
    }

    /// Every YAML file in an optional folder, each handed to `each`.
    fn lists(
        &mut self,
        dir: &str,
        mut each: impl FnMut(&mut Loader, FileId, &str) -> Option<()>,
    ) -> Result<(), LoadError> {
        for rel in self.yaml_files(dir)? {
            let file = self.read(&rel)?;
            if self.refused.contains(&file) {
                continue;
            }
            let text = self.text(file);
            each(self, file, &text);
        }
        Ok(())
    }

    /// `STEM.yaml` or `STEM.yml`, if there.
    fn optional_file(
        &mut self,
        stem: &str,
        each: impl FnOnce(&mut Loader, FileId, &str) -> Option<()>,
    ) -> Result<(), LoadError> {
        if let Some(rel) = self.with_extension(stem)? {
            let file = self.read(&rel)?;
            if !self.refused.contains(&file) {
                let text = self.text(file);
                each(self, file, &text);
            }
        }
        Ok(())
    }

    /// Every `*.html` file directly in `templates/`, read like every other file.
    fn templates(&mut self) -> Result<(), LoadError> {
        for rel in template_files(&self.reader.disk)? {
            let file = self.read_limited(&rel, walk::TEMPLATE_LIMIT)?;
            if !self.refused.contains(&file) {
                let name = rel.trim_start_matches("templates/").to_string();
                self.repo.templates.insert(name, file);
            }
        }
        Ok(())
    }

    /// Parses and records the runbook pages [`read_runbooks`] read.
    fn runbooks(&mut self, pages: Vec<RunbookRead>) -> Result<(), LoadError> {
        // Every page is parsed and converted at once, on its own: file ids follow the
        // walk, so each job knows its page's id beforehand.
        let first = self.repo.sources.len();
        let loaded: Vec<_> = pages
            .into_par_iter()
            .enumerate()
            .map(|(i, page)| {
                let file = FileId(u32::try_from(first + i).unwrap_or(u32::MAX));
                let read = page.read?;
                let parsed = match &read {
                    Content::Text(text) => Ok(runbook(text, file, page.segments)),
                    Content::Refused(_) => Err(page.segments.join("/")),
                };
                Ok::<_, LoadError>((page.rel, read, parsed))
            })
            .collect();
        for (i, page) in loaded.into_iter().enumerate() {
            let (rel, read, parsed) = page?;
            let file = self.add_read(&rel, read);
            // A page not read (reported) is not also an unknown runbook where linked.
            let parsed = match parsed {
                Ok(parsed) => Some(parsed),
                Err(slug) => {
                    self.repo.unloaded.ids.insert(("runbook", slug));
                    None
                }
            };
            debug_assert_eq!(
                file.0 as usize,
                first + i,
                "runbook file ids follow the walk"
            );
            if let Some(parsed) = parsed {
                self.repo.sources.set_line_offset(file, parsed.line_offset);
                self.repo.findings.extend(parsed.findings);
                if let Some((dropped, loaded)) = parsed.front_matter {
                    self.repo.unloaded.record("runbook", &dropped, loaded);
                }
                self.repo.runbooks.push(parsed.runbook);
            }
        }
        Ok(())
    }
}

/// A runbook page as read: its path (`runbooks/…`), its path below `runbooks/` without
/// `.md` in segments, and what reading it gave.
struct RunbookRead {
    rel: String,
    segments: Vec<String>,
    read: Result<Content, LoadError>,
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

/// Finds every `*.md` under `runbooks/` (in name order) and reads them all, in parallel.
/// A link to a folder is not followed, wherever it leads (so that a link to `/`, or a
/// diamond of links, cannot make a walk of the whole disk): it is reported.
fn read_runbooks(reader: &Reader, limit: Limit) -> Result<Vec<RunbookRead>, LoadError> {
    if !reader.disk.folder("runbooks")? {
        return Ok(Vec::new());
    }
    let pages: Vec<(String, bool)> = reader
        .disk
        .entries("runbooks", usize::MAX)?
        .into_iter()
        .filter(|e| e.kind != walk::Kind::Folder)
        .filter_map(|e| {
            let folder_link = e.kind == walk::Kind::Link && reader.disk.is_folder_link(&e.rel);
            (folder_link || e.rel.ends_with(".md")).then_some((e.rel, folder_link))
        })
        .collect();
    Ok(pages
        .into_par_iter()
        .map(|(rel, folder_link)| {
            let under = rel.trim_start_matches("runbooks/");
            let segments = under
                .strip_suffix(".md")
                .unwrap_or(under)
                .split('/')
                .map(str::to_string)
                .collect();
            let read = if folder_link {
                Ok(Content::Refused(Refused {
                    message: "this is a symbolic link to a folder: rota does not follow links to folders, so no page in it would be published".into(),
                    help: "move the folder itself under runbooks/, or link each page (links to files inside the repository are read)".into(),
                }))
            } else {
                reader.read_text(&rel, limit)
            };
            RunbookRead {
                rel,
                segments,
                read,
            }
        })
        .collect())
}

/// One runbook page, parsed on its own (in parallel with the others).
struct ParsedRunbook {
    runbook: Runbook,
    findings: Vec<Finding>,
    /// The front matter's dropped units and whether it parsed, when it has one.
    front_matter: Option<(Vec<String>, bool)>,
    /// 1 when the page has front matter (its lines start on line 2), else 0.
    line_offset: u32,
}

/// Parses the runbook page `text`, whose id in the sources is `file` and whose path
/// below `runbooks/` without `.md` is `segments`.
fn runbook(text: &str, file: FileId, segments: Vec<String>) -> ParsedRunbook {
    let mut findings = Vec::new();
    for segment in &segments {
        if !is_valid_id(segment) {
            findings.push(yaml::invalid_id(
                Sources::file_start(file),
                segment,
                "runbook slug segment",
            ));
        }
    }
    let (front, body, body_line) = match split_front_matter(text) {
        Ok(parts) => parts,
        Err(line) => {
            findings.push(Finding::error(
                "parse",
                crate::source::Loc { file, line: 1, column: 1 },
                format!("the front matter opened on line 1 is never closed (expected a `---` line; the file has {line} lines)"),
            ));
            (None, "", 1)
        }
    };
    let mut front_matter = None;
    // Front-matter lines start on line 2 of the file.
    let mut line_offset = 0;
    let raw = match front {
        Some(front) if !yaml::is_blank(front) => {
            line_offset = 1;
            let parsed = yaml::parse_tolerant::<raw::RawFrontMatter>(line_offset, file, front);
            findings.extend(parsed.findings);
            front_matter = Some((parsed.dropped, parsed.value.is_some()));
            // A broken front matter still leaves the runbook in place, so that alerts
            // linking to it are not told it does not exist.
            parsed.value.unwrap_or_default()
        }
        _ => raw::RawFrontMatter::default(),
    };
    let mut cx = Ctx {
        file,
        line_offset,
        findings: &mut findings,
    };
    let runbook = convert::runbook(
        &mut cx,
        segments.join("/"),
        file,
        raw,
        body,
        text.len() - body.len(),
        body_line,
    );
    ParsedRunbook {
        runbook,
        findings,
        front_matter,
        line_offset,
    }
}

/// Splits `---\nYAML\n---\nbody`; `Ok((None, text, 1))` when there is no front matter,
/// `Err(lines)` when it is never closed.
fn split_front_matter(text: &str) -> Result<(Option<&str>, &str, u32), usize> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok((None, text, 1));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok((Some(front), body, i as u32 + 3));
        }
        offset += line.len();
    }
    Err(text.lines().count())
}

#[cfg(test)]
mod tests {
    use super::split_front_matter;

    #[test]
    fn front_matter_splits_and_counts_lines() {
        let (front, body, line) = split_front_matter("---\ntitle: x\n---\n# X\n").unwrap();
        assert_eq!(front, Some("title: x\n"));
        assert_eq!(body, "# X\n");
        assert_eq!(line, 4);
        assert_eq!(split_front_matter("# X\n").unwrap(), (None, "# X\n", 1));
        assert!(split_front_matter("---\ntitle: x\n").is_err());
    }
}
