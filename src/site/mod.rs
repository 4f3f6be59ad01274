//! The static site (SPEC §7): home (who is on call now, computed again in the browser),
//! rota, person, alert-catalogue, runbook, search and check-report pages, a 404 page,
//! `api/oncall.json` and `sitemap.xml`, rendered from the model, the schedule and the
//! build's findings with Tera templates compiled once per [`Site`]. Every path comes
//! from a validated id or slug; every link is relative.

mod data;
mod runbook;
mod templates;
mod views;

pub use runbook::{RenderedRunbook, is_safe_url};
pub use templates::Templates;

use crate::build::Outputs;
use crate::finding::Finding;
use crate::resolve::Model;
use crate::schedule::Schedule;
use crate::time::Clock;
use rayon::prelude::*;
use std::fmt;
use std::path::Path;

/// Why the site could not be rendered (a data repository's template is broken, or a
/// template asks for something that is not there).
#[derive(Debug)]
pub struct SiteError(pub String);

impl fmt::Display for SiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SiteError {}

/// A site generator: the templates (built-in, with a data repository's overrides)
/// compiled once, ready to render any number of builds (`rota serve` keeps one).
pub struct Site {
    templates: Templates,
}

impl Site {
    /// The built-in templates with the overrides in `root/templates/*.html`.
    pub fn new(root: &Path) -> Result<Site, SiteError> {
        Ok(Site {
            templates: Templates::load(root)?,
        })
    }

    /// Every file of the site: relative path → bytes.
    pub fn render(
        &self,
        model: &Model,
        schedule: &Schedule,
        findings: &[Finding],
        clock: Clock,
    ) -> Result<Outputs, SiteError> {
        let cx = views::SiteContext::new(model, schedule, findings, clock);
        let rendered: Vec<runbook::RenderedRunbook> = model
            .repo
            .runbooks
            .par_iter()
            .map(|rb| runbook::render(&rb.slug, &rb.body, &|slug| cx.runbook_exists(slug)))
            .collect();
        let pages = views::pages(&cx, &rendered);
        let html: Vec<Result<(String, Vec<u8>), SiteError>> = pages
            .into_par_iter()
            .map(|page| {
                let text = self.templates.render(&page.template, &page.context)?;
                Ok((page.path, text.into_bytes()))
            })
            .collect();
        let mut out = Outputs::new();
        for page in html {
            let (path, bytes) = page?;
            out.insert(path, bytes);
        }
        for (path, bytes) in templates::assets() {
            out.insert(path.to_string(), bytes.to_vec());
        }
        out.insert(
            "assets/search-index.js".into(),
            data::search_index(&cx, &rendered).into_bytes(),
        );
        out.insert(
            "api/oncall.json".into(),
            data::oncall_json(&cx).into_bytes(),
        );
        let sitemap = data::sitemap(model, out.keys());
        out.insert("sitemap.xml".into(), sitemap.into_bytes());
        Ok(out)
    }
}

/// Renders the site of `model` with its repository's templates (see [`Site`]).
pub fn render(
    model: &Model,
    schedule: &Schedule,
    findings: &[Finding],
    clock: Clock,
) -> Result<Outputs, SiteError> {
    Site::new(&model.repo.root)?.render(model, schedule, findings, clock)
}
