//! Each data file of the repository read and converted: config, people, rotas, leave,
//! the lists (alerts, services, pages), templates and runbooks.

use super::*;

impl Loader<'_> {
    pub(super) fn config(&mut self) -> Result<(), LoadError> {
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
                    RuleId::Parse,
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

    /// People and rotas: the files are read and looked at in order, then parsed at once
    /// (the people file beside the rota files, each on its own) and converted in order.
    pub(super) fn people_and_rotas(&mut self) -> Result<(), LoadError> {
        let people = self.people_file()?;
        let rotas = self.rota_files()?;
        let sources = &self.repo.sources;
        let parse = |file: FileId| {
            let source = sources.get(file);
            (source.line_offset, &source.text)
        };
        let (people_parsed, rotas_parsed) = rayon::join(
            || {
                people.map(|file| {
                    let (line_offset, text) = parse(file);
                    yaml::parse_tolerant::<Vec<raw::S<raw::RawPerson>>>(line_offset, file, text)
                })
            },
            || {
                rotas
                    .par_iter()
                    .map(|&(file, _)| {
                        let (line_offset, text) = parse(file);
                        yaml::parse_tolerant::<raw::RawRota>(line_offset, file, text)
                    })
                    .collect::<Vec<_>>()
            },
        );
        if let (Some(file), Some(parsed)) = (people, people_parsed)
            && let Some(items) = self.record(parsed, "person")
        {
            let mut cx = self.ctx(file);
            let people: Vec<Person> = items
                .into_iter()
                .map(|p| convert::person(&mut cx, p.value))
                .collect();
            self.repo.people = people;
        }
        let config = self.repo.config.clone();
        for ((file, stem), parsed) in rotas.into_iter().zip(rotas_parsed) {
            match self.record(parsed, "rota file") {
                Some(raw) => {
                    let mut cx = self.ctx(file);
                    let rota = convert::rota(&mut cx, stem, raw, &config);
                    self.repo.rotas.push(rota);
                }
                None => {
                    self.repo.unloaded.ids.insert(("rota", stem));
                }
            }
        }
        Ok(())
    }

    /// Reads the people file: its id, unless it is refused or empty (then reported).
    fn people_file(&mut self) -> Result<Option<FileId>, LoadError> {
        let file = self.required("rota/people", "everyone who can be on a rota")?;
        if self.refused.contains(&file) {
            self.repo.unloaded.kinds.insert("person");
            return Ok(None);
        }
        if yaml::is_blank(&self.repo.sources.get(file).text) {
            self.repo.findings.push(
                Finding::error(
                    RuleId::Parse,
                    Sources::file_start(file),
                    "this people file is empty: list everyone who can be on a rota",
                )
                .with_help("one entry per person, e.g. `- { id: alice, name: Alice Example, opted_in: true, vetted: 2025-03-01 }`"),
            );
            self.repo.unloaded.kinds.insert("person");
            return Ok(None);
        }
        Ok(Some(file))
    }

    /// Reads the rota files in order: each one to parse with its id, the others reported.
    fn rota_files(&mut self) -> Result<Vec<(FileId, String)>, LoadError> {
        if !self.reader.disk.folder("rota/rotas")? {
            return Err(LoadError(format!(
                "{}: missing rota/rotas/ (one <id>.yaml file per rota); `rota init DIR` creates a small example",
                self.repo.root.display()
            )));
        }
        let mut to_parse = Vec::new();
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
            if self.refused.contains(&file) {
                self.repo.unloaded.ids.insert(("rota", stem));
                continue;
            }
            if yaml::is_blank(&self.repo.sources.get(file).text) {
                self.repo.findings.push(Finding::error(
                    RuleId::Parse,
                    Sources::file_start(file),
                    "this rota file is empty: it needs at least `kind`, `hours`, `rotation` and `positions`",
                ));
                self.repo.unloaded.ids.insert(("rota", stem));
                continue;
            }
            to_parse.push((file, stem));
        }
        Ok(to_parse)
    }

    /// `*.yaml` and `*.yml` entries directly in `dir` (relative), sorted: every kind
    /// but a folder, so that a FIFO or a link is reported when read, not skipped.
    pub(super) fn yaml_files(&self, dir: &str) -> Result<Vec<String>, LoadError> {
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
    pub(super) fn lists(
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

    /// `rota/leave.yaml`, if there.
    pub(super) fn leave(&mut self) -> Result<(), LoadError> {
        self.optional_file("rota/leave", |l, file, text| {
            let items: Vec<raw::S<raw::RawLeave>> = l.parse_list(file, text, "leave")?;
            let mut cx = l.ctx(file);
            let leave: Vec<LeaveEntry> = items
                .iter()
                .filter_map(|e| convert::leave(&mut cx, e))
                .collect();
            l.repo.leave.extend(leave);
            Some(())
        })
    }

    /// `STEM.yaml` or `STEM.yml`, if there.
    pub(super) fn optional_file(
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
    pub(super) fn templates(&mut self) -> Result<(), LoadError> {
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
    pub(super) fn runbooks(&mut self, pages: Vec<RunbookRead>) -> Result<(), LoadError> {
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
                    Content::Text(text) => Ok(runbook::runbook(text, file, page.path)),
                    Content::Refused(_) => Err(crate::markdown::runbook_slug(&page.path)),
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
                    super::record_unloaded(&mut self.repo.unloaded, "runbook", &dropped, loaded);
                }
                self.repo.runbooks.push(parsed.runbook);
            }
        }
        self.repo
            .findings
            .extend(runbook::slug_clashes(&self.repo.runbooks));
        // The root's own page (`runbooks/_index.md`, `index.md` or `README.md`) is no
        // runbook: it introduces the runbook index (docs/data-format.md#runbooksmd).
        if let Some(i) = self.repo.runbooks.iter().position(|r| r.slug.is_empty()) {
            self.repo.runbook_index = Some(self.repo.runbooks.remove(i));
            self.repo.runbooks.retain(|r| !r.slug.is_empty());
        }
        Ok(())
    }
}
