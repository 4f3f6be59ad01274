//! What `rota init --alert-rules/--alertmanager/--runbooks` reads of the team's own
//! repository: which files are Prometheus rule files, which is the Alertmanager
//! configuration, its receivers and the runbook URL prefix the rules use; and the
//! `alerting:` block written from them (docs/alerting.md, "Pointing rota at an existing
//! setup"). Every path is relative to the repository and stays inside it.

use super::Existing;
use crate::finding::Level;
use crate::load::alerting::{alertmanager, files, rules};
use crate::source::FileId;
use std::path::Path;

/// What the team's files say, for the config and the runbook link.
#[derive(Debug, Default)]
pub struct Setup {
    /// `alerting.rules` globs.
    pub rules: Vec<String>,
    pub alertmanager: Option<String>,
    /// The Alertmanager configuration's receivers, in the order written.
    pub receivers: Vec<String>,
    /// The prefix every `runbook_url` of the rules shares, when they share one.
    pub runbook_url: Option<String>,
    /// The runbook tree, when it is not `runbooks/` itself.
    pub runbooks_link: Option<String>,
    /// What to tell the user (files left out, what to map).
    pub notes: Vec<String>,
}

impl Setup {
    /// The `alerting:` block appended to the new config.
    pub fn config_text(&self) -> String {
        let mut out = String::from(
            "# The team's Prometheus rules and Alertmanager routing (rota's docs/alerting.md).\nalerting:\n",
        );
        if !self.rules.is_empty() {
            let globs: Vec<String> = self
                .rules
                .iter()
                .map(|g| crate::edit::scalar(g, true))
                .collect();
            out.push_str(&format!("  rules: [{}]\n", globs.join(", ")));
        }
        if let Some(path) = &self.alertmanager {
            out.push_str(&format!("  alertmanager: {}\n", quoted(path)));
        }
        if !self.receivers.is_empty() {
            out.push_str(
                "  # Each receiver → the rota it pages (in-hours, out-of-hours, a list), or [] for nobody.\n  receivers:\n",
            );
            for name in &self.receivers {
                out.push_str(&format!("    {}: []\n", quoted(name)));
            }
        }
        match &self.runbook_url {
            Some(url) => out.push_str(&format!("  runbook_url: {}\n", quoted(url))),
            None => out.push_str(
                "  # runbook_url: https://example.github.io/on-call/runbooks/   # the prefix of the rules' runbook_url\n",
            ),
        }
        out
    }
}

/// A YAML scalar, quoted when it needs to be.
fn quoted(s: &str) -> String {
    crate::edit::scalar(s, false)
}

/// A path given on the command line, relative to the repository: `./` and a trailing
/// `/` dropped; absolute paths and `..` refused.
fn relative(arg: &str, flag: &str) -> Result<String, String> {
    let trimmed = arg.trim();
    let rel = trimmed.strip_prefix("./").unwrap_or(trimmed);
    let rel = rel.trim_end_matches('/');
    if rel.is_empty() || rel == "." {
        return Err(format!(
            "{flag} {arg}: give a folder or file inside the repository, not the repository itself"
        ));
    }
    files::glob(rel).map_err(|e| format!("{flag} {arg}: {e}"))?;
    Ok(rel.to_string())
}

fn is_glob(path: &str) -> bool {
    path.contains(['*', '?', '[', '{'])
}

fn read(dir: &Path, rel: &str, flag: &str) -> Result<String, String> {
    std::fs::read_to_string(dir.join(rel))
        .map_err(|e| format!("{flag}: {}: cannot read: {e}", dir.join(rel).display()))
}

fn has_errors(findings: &[crate::finding::Finding]) -> bool {
    findings.iter().any(|f| f.level == Level::Error)
}

/// Reads what `existing` names inside `dir`. An error: a path that is not there, a
/// folder with no rule file, a configuration that does not load.
pub fn read_setup(dir: &Path, existing: &Existing) -> Result<Setup, String> {
    let mut setup = Setup::default();
    let mut found_am: Vec<String> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    if let Some(arg) = &existing.alert_rules {
        let rel = relative(arg, "--alert-rules")?;
        let path = dir.join(&rel);
        let (globs, rule_files) = if is_glob(&rel) {
            let matched = files::matching(dir, std::slice::from_ref(&rel))?;
            (vec![rel.clone()], matched)
        } else if path.is_file() {
            (vec![rel.clone()], vec![rel.clone()])
        } else if path.is_dir() {
            let (globs, rule_files, am) = rule_folder(dir, &rel)?;
            found_am = am;
            (globs, rule_files)
        } else {
            return Err(format!(
                "--alert-rules {arg}: there is no {} in {}",
                rel,
                dir.display()
            ));
        };
        if rule_files.is_empty() {
            return Err(format!(
                "--alert-rules {arg}: no Prometheus rule file there (`groups:` of rules, or a PrometheusRule manifest)"
            ));
        }
        for file in &rule_files {
            let loaded = rules::load(FileId(0), &read(dir, file, "--alert-rules")?);
            urls.extend(
                loaded
                    .rules
                    .iter()
                    .filter_map(|r| r.annotations.get("runbook_url").map(|(u, _)| u.clone())),
            );
        }
        setup.rules = globs;
    }
    let am = match &existing.alertmanager {
        Some(arg) => Some(relative(arg, "--alertmanager")?),
        None if found_am.len() == 1 => found_am.pop(),
        None => None,
    };
    if let Some(rel) = am {
        let text = read(dir, &rel, "--alertmanager")?;
        let loaded = alertmanager::load(FileId(0), &text);
        match loaded.config {
            Some(config) if !has_errors(&loaded.findings) => {
                setup.receivers = config.receivers.iter().map(|(n, _)| n.clone()).collect();
            }
            _ => {
                let why = loaded
                    .findings
                    .iter()
                    .find(|f| f.level == Level::Error)
                    .map(|f| format!("line {}: {}", f.loc.line, f.message))
                    .unwrap_or_default();
                return Err(format!(
                    "--alertmanager {rel}: not an Alertmanager configuration rota can read ({why}); `rota check` after init locates every problem"
                ));
            }
        }
        if !setup.receivers.is_empty() {
            setup.notes.push(format!(
                "Map each receiver of {rel} to the rota it pages under `alerting.receivers` in rota/config.yaml (`rota alerts` shows what pages whom)."
            ));
        }
        setup.alertmanager = Some(rel);
    }
    setup.runbook_url = common_prefix(&urls);
    if let Some(arg) = &existing.runbooks {
        let rel = relative(arg, "--runbooks")?;
        if !dir.join(&rel).is_dir() || is_glob(&rel) {
            return Err(format!(
                "--runbooks {arg}: there is no folder {rel} in {}",
                dir.display()
            ));
        }
        if rel != "runbooks" {
            setup.runbooks_link = Some(rel);
        }
    }
    Ok(setup)
}

/// The rule files of a folder, as globs: the whole folder when every YAML file in it is
/// a rule file, `*.rules.yml` when that picks exactly the rule files, else the files one
/// by one. Also the Alertmanager configurations found there.
#[allow(clippy::type_complexity)]
fn rule_folder(dir: &Path, rel: &str) -> Result<(Vec<String>, Vec<String>, Vec<String>), String> {
    let extensions = ["yml", "yaml"];
    let all = files::matching(dir, &extensions.map(|ext| format!("{rel}/**/*.{ext}")))?;
    let mut rule_files = Vec::new();
    let mut others = Vec::new();
    let mut am = Vec::new();
    for file in &all {
        let text = read(dir, file, "--alert-rules")?;
        let loaded = rules::load(FileId(0), &text);
        if has_errors(&loaded.findings) || !text.contains("groups") {
            let as_am = alertmanager::load(FileId(0), &text);
            if as_am.config.is_some() && !has_errors(&as_am.findings) {
                am.push(file.clone());
            }
            others.push(file.clone());
        } else {
            rule_files.push(file.clone());
        }
    }
    let present: Vec<&str> = extensions
        .into_iter()
        .filter(|ext| rule_files.iter().any(|f| f.ends_with(&format!(".{ext}"))))
        .collect();
    let globs: Vec<String> = if others.is_empty() {
        present
            .iter()
            .map(|ext| format!("{rel}/**/*.{ext}"))
            .collect()
    } else if rule_files.iter().all(|f| {
        present
            .iter()
            .any(|ext| f.ends_with(&format!(".rules.{ext}")))
    }) && !others.iter().any(|f| {
        present
            .iter()
            .any(|ext| f.ends_with(&format!(".rules.{ext}")))
    }) {
        present
            .iter()
            .map(|ext| format!("{rel}/**/*.rules.{ext}"))
            .collect()
    } else {
        rule_files.clone()
    };
    Ok((globs, rule_files, am))
}

/// The longest prefix, up to a `/`, that every URL shares and that leaves something of
/// each (a runbook's path); `None` without URLs or without an `http(s)` prefix.
fn common_prefix(urls: &[String]) -> Option<String> {
    let urls: Vec<&str> = urls
        .iter()
        .map(|u| u.split("{{").next().unwrap_or_default())
        .collect();
    let first = *urls.first()?;
    let mut len = first.len();
    for u in &urls[1..] {
        len = len.min(
            first
                .bytes()
                .zip(u.bytes())
                .take_while(|(a, b)| a == b)
                .count(),
        );
    }
    let prefix = &first[..len];
    let cut = prefix.rfind('/')? + 1;
    let prefix = &first[..cut];
    let scheme_end = prefix.find("://").map(|i| i + 3)?;
    (prefix.starts_with("http") && cut > scheme_end).then(|| prefix.to_string())
}

/// `runbooks` → `target` (relative), a link inside the repository, which rota follows
/// (docs/security.md: links are followed only inside the repository).
pub fn link_runbooks(dir: &Path, target: &str) -> Result<(), String> {
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(target, dir.join("runbooks")).map_err(|e| {
            format!(
                "{}: cannot link runbooks/ to {target}: {e}",
                dir.join("runbooks").display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Err(format!(
            "cannot link runbooks/ to {target} here: move the tree to runbooks/ and run again with --runbooks runbooks"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runbook_url_prefix_is_what_every_url_shares_up_to_a_slash() {
        let urls = |u: &[&str]| u.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            common_prefix(&urls(&[
                "https://r.example/runbooks/db/lag/",
                "https://r.example/runbooks/site-down",
            ]))
            .as_deref(),
            Some("https://r.example/runbooks/")
        );
        assert_eq!(
            common_prefix(&urls(&[
                "https://r.example/runbooks/{{ $labels.alertname }}"
            ]))
            .as_deref(),
            Some("https://r.example/runbooks/")
        );
        assert_eq!(
            common_prefix(&urls(&["https://a.example/x", "https://b.example/y"])),
            None
        );
        assert_eq!(common_prefix(&[]), None);
    }

    #[test]
    fn paths_stay_inside_the_repository() {
        assert_eq!(
            relative("./monitoring/", "--x").as_deref(),
            Ok("monitoring")
        );
        assert!(relative("/etc", "--x").is_err());
        assert!(relative("../elsewhere", "--x").is_err());
        assert!(relative(".", "--x").is_err());
    }
}
