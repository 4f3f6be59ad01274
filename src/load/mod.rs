//! Loading: walk the data repository, read every file of SPEC §1, and build the typed
//! [`Repo`]. Bad values become located findings; only an unreadable or missing required
//! file stops the load (exit 2).

mod convert;
mod raw;
mod yaml;

use crate::finding::Finding;
use crate::model::*;
use crate::source::{FileId, SourceFile, Sources};
use std::fmt;
use std::path::{Path, PathBuf};
use yaml::Ctx;

pub use convert::IMPACTS;

/// Everything the data repository says, typed, with the findings of loading it.
#[derive(Debug, Default)]
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
    /// `parse` and `invalid-id` findings.
    pub findings: Vec<Finding>,
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
    if !root.is_dir() {
        return Err(LoadError(format!(
            "{}: no such directory (give the data repository with --root DIR)",
            root.display()
        )));
    }
    let mut loader = Loader {
        repo: Repo {
            root: root.to_path_buf(),
            ..Repo::default()
        },
    };
    loader.config()?;
    loader.people()?;
    loader.rotas()?;
    loader.lists("rota/alerts", |l, file, text| {
        let items: Vec<raw::S<raw::RawAlert>> = l.parse_list(file, text)?;
        let mut cx = l.ctx(file);
        let alerts: Vec<Alert> = items
            .iter()
            .filter_map(|a| convert::alert(&mut cx, &a.value))
            .collect();
        l.repo.alerts.extend(alerts);
        Some(())
    })?;
    loader.optional_file("rota/services.yaml", |l, file, text| {
        let items: Vec<raw::S<raw::RawService>> = l.parse_list(file, text)?;
        let mut cx = l.ctx(file);
        let services: Vec<Service> = items
            .iter()
            .map(|s| convert::service(&mut cx, &s.value))
            .collect();
        l.repo.services.extend(services);
        Some(())
    })?;
    loader.optional_file("rota/leave.yaml", |l, file, text| {
        let items: Vec<raw::S<raw::RawLeave>> = l.parse_list(file, text)?;
        let mut cx = l.ctx(file);
        let leave: Vec<LeaveEntry> = items
            .iter()
            .filter_map(|e| convert::leave(&mut cx, e))
            .collect();
        l.repo.leave.extend(leave);
        Some(())
    })?;
    loader.lists("rota/pages", |l, file, text| {
        let items: Vec<raw::S<raw::RawPage>> = l.parse_list(file, text)?;
        let tz = l.repo.config.timezone;
        let mut cx = l.ctx(file);
        let pages: Vec<PageEntry> = items
            .iter()
            .filter_map(|p| convert::page(&mut cx, p, tz))
            .collect();
        l.repo.pages.extend(pages);
        Some(())
    })?;
    loader.runbooks()?;
    Ok(loader.repo)
}

struct Loader {
    repo: Repo,
}

impl Loader {
    fn ctx(&mut self, file: FileId) -> Ctx<'_> {
        let line_offset = self.repo.sources.get(file).line_offset;
        Ctx {
            file,
            line_offset,
            findings: &mut self.repo.findings,
        }
    }

    /// Reads a file into the sources.
    fn read(&mut self, rel: &str) -> Result<FileId, LoadError> {
        let disk_path = self.repo.root.join(rel);
        if !inside_root(&self.repo.root, &disk_path) {
            return Err(LoadError(format!(
                "{rel}: is a symbolic link to a file outside the data repository; refusing to read it"
            )));
        }
        let bytes =
            std::fs::read(&disk_path).map_err(|e| LoadError(format!("{rel}: cannot read: {e}")))?;
        let text =
            String::from_utf8(bytes).map_err(|_| LoadError(format!("{rel}: not UTF-8 text")))?;
        Ok(self.repo.sources.add(SourceFile {
            path: rel.to_string(),
            disk_path,
            text,
            line_offset: 0,
        }))
    }

    fn required(&mut self, rel: &str, what: &str) -> Result<FileId, LoadError> {
        if !self.repo.root.join(rel).is_file() {
            return Err(LoadError(format!(
                "{}: missing {rel} ({what}); `rota init DIR` creates a small example",
                self.repo.root.display()
            )));
        }
        self.read(rel)
    }

    fn parse<T: serde::de::DeserializeOwned>(&mut self, file: FileId, text: &str) -> Option<T> {
        match yaml::parse(&self.repo.sources, file, text) {
            Ok(v) => Some(v),
            Err(finding) => {
                self.repo.findings.push(finding);
                None
            }
        }
    }

    /// A file that holds a list; a blank file is an empty list.
    fn parse_list<T: serde::de::DeserializeOwned>(
        &mut self,
        file: FileId,
        text: &str,
    ) -> Option<Vec<T>> {
        if yaml::is_blank(text) {
            return Some(Vec::new());
        }
        self.parse(file, text)
    }

    fn text(&self, file: FileId) -> String {
        self.repo.sources.get(file).text.clone()
    }

    fn config(&mut self) -> Result<(), LoadError> {
        let file = self.required("rota/config.yaml", "site title, time zone and policy")?;
        let text = self.text(file);
        if let Some(raw) = self.parse::<raw::RawConfig>(file, &text) {
            let mut cx = self.ctx(file);
            self.repo.config = convert::config(&mut cx, raw);
        } else {
            self.repo.config.loc = Sources::file_start(file);
        }
        Ok(())
    }

    fn people(&mut self) -> Result<(), LoadError> {
        let file = self.required("rota/people.yaml", "everyone who can be on a rota")?;
        let text = self.text(file);
        if let Some(items) = self.parse_list::<raw::S<raw::RawPerson>>(file, &text) {
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
        let dir = self.repo.root.join("rota/rotas");
        if !dir.is_dir() {
            return Err(LoadError(format!(
                "{}: missing rota/rotas/ (one <id>.yaml file per rota)",
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
            if yaml::is_blank(&text) {
                self.repo.findings.push(Finding::error(
                    "parse",
                    Sources::file_start(file),
                    "this rota file is empty: it needs at least `kind`, `hours`, `rotation` and `positions`",
                ));
                continue;
            }
            if let Some(raw) = self.parse::<raw::RawRota>(file, &text) {
                let config = self.repo.config.clone();
                let mut cx = self.ctx(file);
                let rota = convert::rota(&mut cx, stem, raw, &config);
                self.repo.rotas.push(rota);
            }
        }
        Ok(())
    }

    /// `*.yaml` and `*.yml` files directly in `dir` (relative), sorted.
    fn yaml_files(&self, dir: &str) -> Result<Vec<String>, LoadError> {
        let abs = self.repo.root.join(dir);
        if !abs.is_dir() {
            return Ok(Vec::new());
        }
        let entries =
            std::fs::read_dir(&abs).map_err(|e| LoadError(format!("{dir}: cannot read: {e}")))?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
            .collect();
        names.sort();
        Ok(names.into_iter().map(|n| format!("{dir}/{n}")).collect())
    }

    /// Every YAML file in an optional folder, each handed to `each`.
    fn lists(
        &mut self,
        dir: &str,
        mut each: impl FnMut(&mut Loader, FileId, &str) -> Option<()>,
    ) -> Result<(), LoadError> {
        for rel in self.yaml_files(dir)? {
            let file = self.read(&rel)?;
            let text = self.text(file);
            each(self, file, &text);
        }
        Ok(())
    }

    fn optional_file(
        &mut self,
        rel: &str,
        each: impl FnOnce(&mut Loader, FileId, &str) -> Option<()>,
    ) -> Result<(), LoadError> {
        if self.repo.root.join(rel).is_file() {
            let file = self.read(rel)?;
            let text = self.text(file);
            each(self, file, &text);
        }
        Ok(())
    }

    fn runbooks(&mut self) -> Result<(), LoadError> {
        let dir = self.repo.root.join("runbooks");
        if !dir.is_dir() {
            return Ok(());
        }
        let mut paths = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| LoadError(format!("runbooks/: cannot read: {e}")))?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
                paths.push(entry.path().to_path_buf());
            }
        }
        for path in paths {
            let under = path.strip_prefix(&dir).unwrap_or(&path);
            let slug_path = under.with_extension("");
            let segments: Vec<String> = slug_path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let slug = segments.join("/");
            let rel = format!("runbooks/{}", under.to_string_lossy().replace('\\', "/"));
            let file = self.read(&rel)?;
            for segment in &segments {
                if !is_valid_id(segment) {
                    self.repo.findings.push(yaml::invalid_id(
                        Sources::file_start(file),
                        segment,
                        "runbook slug segment",
                    ));
                }
            }
            let text = self.text(file);
            let (front, body, body_line) = match split_front_matter(&text) {
                Ok(parts) => parts,
                Err(line) => {
                    self.repo.findings.push(Finding::error(
                        "parse",
                        crate::source::Loc { file, line: 1, column: 1 },
                        format!("the front matter opened on line 1 is never closed (expected a `---` line; the file has {line} lines)"),
                    ));
                    continue;
                }
            };
            let raw = match front {
                Some(front) if !yaml::is_blank(front) => {
                    // Front-matter lines start on line 2 of the file.
                    self.repo.sources_mut_offset(file, 1);
                    let parsed = self.parse::<raw::RawFrontMatter>(file, front);
                    match parsed {
                        Some(raw) => raw,
                        None => continue,
                    }
                }
                _ => raw::RawFrontMatter::default(),
            };
            let mut cx = self.ctx(file);
            let runbook = convert::runbook(&mut cx, slug, file, raw, body.to_string(), body_line);
            self.repo.runbooks.push(runbook);
        }
        Ok(())
    }
}

impl Repo {
    fn sources_mut_offset(&mut self, file: FileId, offset: u32) {
        let mut copy = self.sources.get(file).clone();
        copy.line_offset = offset;
        self.sources.replace(file, copy);
    }
}

/// Whether `path`, with every symbolic link resolved, lies inside `root`. A file that
/// cannot be resolved counts as inside (reading it then reports why it cannot be read).
fn inside_root(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => true,
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
