//! Reading what `alerting:` names: the Prometheus rule files (`alerting.rules`) and the
//! Alertmanager configuration (`alerting.alertmanager`), into the sources like every
//! other file, and the catalogue they give merged with `rota/alerts/` (docs/alerting.md).

pub mod alertmanager;
pub mod catalogue;
pub mod files;
pub mod rules;
pub mod settings;

use super::{LoadError, Loader};
use crate::finding::{Finding, RuleId};
use rayon::prelude::*;

impl Loader<'_> {
    /// Reads the alerting files and rebuilds `repo.alerts` from the rules and the
    /// hand-written entries. Without `alerting:`, only checks that every hand-written
    /// entry has its `summary` and `severity`.
    pub(super) fn alerting(&mut self) -> Result<(), LoadError> {
        let config = self.repo.config.alerting.clone();
        let mut rule_list = Vec::new();
        let mut am_config = None;
        if let Some(config) = &config {
            if let Some((path, loc)) = &config.alertmanager {
                if std::fs::symlink_metadata(self.repo.root.join(path)).is_err()
                    && !self.reader.overlay.contains_key(path)
                {
                    self.repo.findings.push(
                        Finding::error(
                            RuleId::AlertRoute,
                            *loc,
                            format!("alerting.alertmanager: there is no file `{path}`"),
                        )
                        .with_help("give the path of the Alertmanager configuration, relative to the repository root"),
                    );
                } else {
                    let file = self.read(path)?;
                    if !self.refused.contains(&file) {
                        let text = self.text(file);
                        let loaded = alertmanager::load(file, &text);
                        self.repo.findings.extend(loaded.findings);
                        am_config = loaded.config;
                    }
                }
            }
            let patterns: Vec<String> = config.rules.iter().map(|(g, _)| g.clone()).collect();
            if !patterns.is_empty() {
                let found = files::matching(&self.repo.root, &patterns).map_err(LoadError)?;
                if found.is_empty() {
                    let loc = config.rules[0].1;
                    self.repo.findings.push(
                        Finding::warning(
                            RuleId::AlertRoute,
                            loc,
                            "alerting.rules: no file matches these globs",
                        )
                        .with_help("globs are relative to the repository root: `monitoring/**/*.rules.yml`"),
                    );
                }
                // Read in order (each file gets its id), then parsed in parallel, each
                // file on its own, and gathered in the same order.
                let mut files = Vec::with_capacity(found.len());
                for rel in found {
                    let file = self.read(&rel)?;
                    if !self.refused.contains(&file) {
                        files.push(file);
                    }
                }
                let sources = &self.repo.sources;
                let loaded: Vec<rules::Loaded> = files
                    .par_iter()
                    .map(|&file| rules::load(file, &sources.get(file).text))
                    .collect();
                for loaded in loaded {
                    self.repo.findings.extend(loaded.findings);
                    rule_list.extend(loaded.rules);
                }
            }
        }
        let hand = std::mem::take(&mut self.repo.alerts);
        let sources = &self.repo.sources;
        let config_broken = self.repo.findings.iter().any(|f| {
            f.rule == RuleId::Parse
                && f.level == crate::finding::Level::Error
                && sources.get(f.loc.file).path.starts_with("rota/config.")
        });
        self.repo.alerts = catalogue::merge(
            hand,
            &rule_list,
            config_broken,
            catalogue::Setup {
                config: config.as_ref(),
                alertmanager: am_config.as_ref(),
                severities: &self.repo.config.severities,
            },
            &mut self.repo.findings,
        );
        self.repo.alerting = crate::model::alerting::AlertingSetup {
            alertmanager: am_config,
        };
        Ok(())
    }
}
