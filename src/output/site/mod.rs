//! The static site (docs/site.md): home (who is on call now, computed again in the
//! browser), rota, person, alert-catalogue, runbook, search and check-report pages, a 404
//! page, `api/oncall.json` and `sitemap.xml`, rendered from the model, the schedule and
//! the build's findings with Tera templates compiled once per [`Site`]. Every path comes
//! from a validated id or slug; every link is relative.

mod data;
mod runbook;
mod runbook_tree;
mod templates;
mod views;

pub use runbook::{RenderedRunbook, is_safe_url};
pub use templates::{CONTENT_SECURITY_POLICY, Templates, policy_loading_from};
pub use views::code_spans;

use crate::finding::Finding;
use crate::model::Alert;
use crate::model::Model;
use crate::output::feeds::name::FeedNames;
use crate::output::staging::Outputs;
use crate::schedule::Schedule;
use crate::time::Clock;
use rayon::prelude::*;
use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

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

impl From<crate::output::staging::WriteError> for SiteError {
    fn from(e: crate::output::staging::WriteError) -> Self {
        SiteError(e.0)
    }
}

/// A site generator: the templates (built-in, with a data repository's overrides)
/// compiled once, ready to render any number of builds (`rota serve` keeps one).
pub struct Site {
    templates: Templates,
}

impl Site {
    /// The built-in templates with the data repository's own (`templates/*.html`, read
    /// by the loader with every other file).
    pub fn new(repo: &crate::model::Repo) -> Result<Site, SiteError> {
        Ok(Site {
            templates: Templates::from_repo(repo)?,
        })
    }

    /// The built-in templates alone.
    pub fn built_in() -> Result<Site, SiteError> {
        Ok(Site {
            templates: Templates::with_overrides(&[])?,
        })
    }

    /// Every file of the site: relative path → bytes.
    pub fn render(
        &self,
        model: &Model,
        schedule: &Schedule,
        findings: &[Finding],
        clock: Clock,
        feeds: &FeedNames,
    ) -> Result<Outputs, SiteError> {
        let out = Mutex::new(Outputs::new());
        self.render_each(
            model,
            schedule,
            findings,
            clock,
            feeds,
            &|rel: &str, pieces: &mut Pieces<'_>| {
                let mut bytes = Vec::new();
                for piece in pieces {
                    bytes.extend_from_slice(&piece?);
                }
                out.lock()
                    .map_err(|_| SiteError("a rendering thread failed".into()))?
                    .insert(rel.to_string(), bytes);
                Ok(())
            },
        )?;
        out.into_inner()
            .map_err(|_| SiteError("a rendering thread failed".into()))
    }

    /// Renders every file of the site and hands each to `sink` (relative path, bytes) as
    /// soon as it is ready, from several threads; pages are rendered in parallel.
    pub fn render_each(
        &self,
        model: &Model,
        schedule: &Schedule,
        findings: &[Finding],
        clock: Clock,
        feeds: &FeedNames,
        sink: &Sink<'_>,
    ) -> Result<(), SiteError> {
        let cx = views::SiteContext::new(model, schedule, findings, clock, feeds);
        let links = views::RunbookLinks::new(&cx);
        let pages = Mutex::new(Vec::new());
        // Each runbook's Markdown is rendered once, inside its page's job, and gives its
        // search-index entry too.
        let entries: Vec<Result<Option<String>, SiteError>> = views::jobs(&cx)
            .into_par_iter()
            .map(|job| {
                let (markdown, entry) = match job {
                    views::PageJob::Runbook(rb) => {
                        let r =
                            runbook::render(&rb.slug, rb.link_base(), model.repo.body(rb), &links);
                        let entry = data::search_entry(rb, &r);
                        (Some(r), Some(entry))
                    }
                    _ => (None, None),
                };
                let page = views::page_of(&cx, job, markdown.as_ref());
                let text = self.templates.render(&page.template, &page.context)?;
                // A runbook's body, or the alert catalogue's rows, go in where the page's
                // marker stands; a template that leaves the marker out (an override) shows
                // nothing there, and the rows are then not rendered at all.
                let marker = match job {
                    views::PageJob::Runbook(_) => Some(views::BODY_MARKER),
                    views::PageJob::Alerts => Some(views::ALERT_ROWS_MARKER),
                    _ => None,
                };
                match (marker.and_then(|m| text.split_once(m)), markdown) {
                    (Some((before, after)), Some(r)) => sink(
                        &page.path,
                        &mut std::iter::once(before.as_bytes())
                            .chain(r.html_parts.iter().map(|part| part.as_bytes()))
                            .chain(std::iter::once(after.as_bytes()))
                            .map(|b| Ok(Cow::Borrowed(b))),
                    )?,
                    // The catalogue's rows are handed to the sink part by part as they
                    // are rendered: never all held at once.
                    (Some((before, after)), None) => sink(
                        &page.path,
                        &mut std::iter::once(Ok(Cow::Borrowed(before.as_bytes())))
                            .chain(self.alert_rows(&cx).map(|r| r.map(Cow::Owned)))
                            .chain(std::iter::once(Ok(Cow::Borrowed(after.as_bytes())))),
                    )?,
                    (None, _) => sink(&page.path, &mut one(text.as_bytes()))?,
                }
                pages
                    .lock()
                    .map_err(|_| SiteError("a rendering thread failed".into()))?
                    .push(page.path);
                Ok(entry)
            })
            .collect();
        let mut search = Vec::new();
        for entry in entries {
            search.extend(entry?);
        }
        for (path, bytes) in templates::assets() {
            sink(path, &mut one(bytes))?;
        }
        // The runbooks' entries are written one after the other, never joined into one
        // string (12 MB for 10,000 runbooks).
        let tail = data::search_index_tail(&data::search_index_rest(&cx));
        let entries = search
            .iter()
            .enumerate()
            .flat_map(|(i, entry)| [if i > 0 { "," } else { "" }, entry.as_str()]);
        sink(
            "assets/search-index.js",
            &mut std::iter::once(data::SEARCH_INDEX_HEAD)
                .chain(entries)
                .chain(std::iter::once(tail.as_str()))
                .map(|piece| Ok(Cow::Borrowed(piece.as_bytes()))),
        )?;
        sink(
            "assets/now-data.js",
            &mut one(data::now_script(cx.now_data()).as_bytes()),
        )?;
        sink(
            "api/oncall.json",
            &mut one(data::oncall_json(&cx).as_bytes()),
        )?;
        let mut pages = pages
            .into_inner()
            .map_err(|_| SiteError("a rendering thread failed".into()))?;
        pages.sort();
        sink(
            "sitemap.xml",
            &mut one(data::sitemap(model, pages.iter()).as_bytes()),
        )
    }
}

impl Site {
    /// The alert catalogue's table rows, in the catalogue's order: `alert-rows.html` for
    /// each [`views::ALERTS_PER_PART`] alerts. The parts are rendered in parallel a
    /// batch at a time (two per thread), each batch when the one before has been
    /// taken, so a catalogue of 100,000 alerts holds a few parts in memory, never all.
    fn alert_rows<'s>(
        &'s self,
        cx: &'s views::SiteContext,
    ) -> impl Iterator<Item = Result<Vec<u8>, SiteError>> + 's {
        let catalogue = views::catalogue(cx);
        let batch = views::ALERTS_PER_PART * 2 * rayon::current_num_threads().max(1);
        let batches: Vec<Vec<&Alert>> = catalogue.chunks(batch).map(<[_]>::to_vec).collect();
        batches.into_iter().flat_map(move |alerts| {
            let parts: Vec<Result<Vec<u8>, SiteError>> = alerts
                .par_chunks(views::ALERTS_PER_PART)
                .map(|part| {
                    self.templates
                        .render("alert-rows.html", &views::alert_rows_context(cx, part))
                        .map(String::into_bytes)
                })
                .collect();
            parts
        })
    }
}

/// A file's bytes as [`Site::render_each`] hands them to its [`Sink`]: pieces to be
/// written one after the other, each made when it is taken (so a long runbook is never
/// copied into one buffer with its page, nor the alert catalogue held whole). A piece
/// that fails to render ends the file with its error.
pub type Pieces<'p> = dyn Iterator<Item = Result<Cow<'p, [u8]>, SiteError>> + 'p;

/// Where [`Site::render_each`] hands each file: its relative path and its pieces.
pub type Sink<'a> = dyn for<'p> Fn(&str, &mut Pieces<'p>) -> Result<(), SiteError> + Sync + 'a;

/// A file of one piece.
fn one(bytes: &[u8]) -> impl Iterator<Item = Result<Cow<'_, [u8]>, SiteError>> {
    std::iter::once(Ok(Cow::Borrowed(bytes)))
}
