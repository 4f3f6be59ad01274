//! The site's Tera templates and assets: the defaults compiled into the binary, and a
//! data repository's `templates/NAME.html` replacing the template of that name. Every
//! built-in is also registered as `rota/NAME`, so an override can
//! `{% extends "rota/base.html" %}` even when it replaces `base.html` itself.

use super::SiteError;
use std::path::Path;
use tera::{Context, Tera};

/// Built-in templates: name → source.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("rota.html", include_str!("../../templates/rota.html")),
    ("person.html", include_str!("../../templates/person.html")),
    ("people.html", include_str!("../../templates/people.html")),
    ("alerts.html", include_str!("../../templates/alerts.html")),
    (
        "alert-rows.html",
        include_str!("../../templates/alert-rows.html"),
    ),
    ("runbook.html", include_str!("../../templates/runbook.html")),
    (
        "runbooks.html",
        include_str!("../../templates/runbooks.html"),
    ),
    ("search.html", include_str!("../../templates/search.html")),
    ("check.html", include_str!("../../templates/check.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// Static files copied into every site.
pub fn assets() -> [(&'static str, &'static [u8]); 2] {
    [
        (
            "assets/site.css",
            include_bytes!("../../templates/site.css").as_slice(),
        ),
        (
            "assets/site.js",
            include_bytes!("../../templates/site.js").as_slice(),
        ),
    ]
}

/// Compiled templates.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// The built-ins, then every `*.html` under `root/templates/` (an override of a
    /// built-in, or a new template an override includes).
    pub fn load(root: &Path) -> Result<Templates, SiteError> {
        // Listed and read by the loader's walker (docs/security.md, "Reading the
        // repository"): never through a link out of the repository or into `.git/`.
        let disk = crate::load::walk::Repository::new(root);
        let mut overrides: Vec<(String, String)> = Vec::new();
        for rel in crate::load::template_files(&disk).map_err(|e| SiteError(e.0))? {
            match disk
                .read(&rel, crate::load::walk::TEMPLATE_LIMIT)
                .map_err(|e| SiteError(e.0))?
            {
                crate::load::walk::Content::Text(text) => {
                    let name = rel.trim_start_matches("templates/").to_string();
                    overrides.push((name, text));
                }
                crate::load::walk::Content::Refused(refused) => {
                    return Err(SiteError(format!("{rel}: {}", refused.message)));
                }
            }
        }
        overrides.sort();
        Templates::with_overrides(&overrides)
    }

    /// The built-ins with `overrides` (name, source) laid over them.
    pub fn with_overrides(overrides: &[(String, String)]) -> Result<Templates, SiteError> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        let built_in = BUILT_IN
            .iter()
            .map(|(name, text)| (name.to_string(), *text))
            .chain(
                BUILT_IN
                    .iter()
                    .map(|(name, text)| (format!("rota/{name}"), *text)),
            );
        tera.add_raw_templates(built_in)
            .map_err(|e| SiteError(format!("built-in templates: {}", error_text(&e))))?;
        if !overrides.is_empty() {
            tera.add_raw_templates(overrides.iter().map(|(n, t)| (n.as_str(), t.as_str())))
                .map_err(|e| SiteError(format!("templates/: {}", error_text(&e))))?;
        }
        Ok(Templates { tera })
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, SiteError> {
        self.tera
            .render(name, context)
            .map_err(|e| SiteError(format!("rendering {name}: {}", error_text(&e))))
    }
}

/// A Tera error with its causes (the cause holds the location in the template).
fn error_text(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(&format!("\n{c}"));
        cause = c.source();
    }
    text
}
