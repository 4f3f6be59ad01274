//! The one way from a loaded repository to findings and outputs, which `check`, `now`,
//! `build`, `feed-url`, `serve` and the fuzz harness all take (as a site is
//! `new → load → build` in Zola): the command resolves its [`Options`] once (the clock,
//! the feed secret, the build stamp, whether to try trades) and passes them in; this
//! module computes the schedule once, runs every rule, and — before anything is
//! published — adds its own refusals, so that no command can publish what `rota build`
//! would refuse (docs/commands.md).

use crate::finding::{Finding, Level, RuleId};
use crate::model::Model;
use crate::output::feeds::name::FeedNames;
use crate::output::site::Site;
use crate::output::staging::{Outputs, Staging, WriteError};
use crate::rules::{self, TradeAdvice};
use crate::schedule::Schedule;
use crate::time::{Clock, Instant};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a command resolved before the pipeline runs. Nothing below `cmd/` reads the
/// environment, git or the wall clock: it is all here.
#[derive(Clone, Debug)]
pub struct Options {
    /// "Now": `--at`/`--today`, `SOURCE_DATE_EPOCH` for a build, or the real clock.
    pub clock: Clock,
    /// The value of the variable `calendar.secret_env` names, read once (`None` when the
    /// data sets no `secret_env`, or the variable is unset or empty).
    pub feed_secret: Option<String>,
    /// The feeds' `DTSTAMP`: `SOURCE_DATE_EPOCH`, else the last commit's time, else the
    /// clock.
    pub stamp: Instant,
    /// Whether `leave-conflict` tries trades to suggest.
    pub trade_advice: TradeAdvice,
    /// Only the rules that can find an error (`now`, which counts errors for its note):
    /// a rule whose worst finding is a warning, or that `rules:` caps at one, is not
    /// run. The errors found are the same.
    pub errors_only: bool,
}

impl Options {
    /// Options for a command that publishes nothing (no feed secret; the stamp is the
    /// clock).
    pub fn checking(clock: Clock, trade_advice: TradeAdvice) -> Options {
        Options {
            clock,
            feed_secret: None,
            stamp: clock.now,
            trade_advice,
            errors_only: false,
        }
    }
}

/// The data checked: the schedule (computed once, over [`rules::schedule_window`]), the
/// findings of every rule, and how feeds are named.
pub struct Checked<'m> {
    pub model: &'m Model,
    pub schedule: Schedule,
    pub findings: Vec<Finding>,
    pub clock: Clock,
    pub stamp: Instant,
    pub feeds: FeedNames,
}

/// Every rule over `model` (`check`, `now`): nothing is published, so the refusals of
/// [`for_publishing`] are not asked.
pub fn check<'m>(model: &'m Model, options: &Options) -> Checked<'m> {
    let clock = options.clock;
    let schedule = crate::schedule::window::schedule(model, clock);
    let findings = rules::check_scoped(
        model,
        &schedule,
        clock,
        options.trade_advice,
        options.errors_only,
    );
    Checked {
        model,
        schedule,
        findings,
        clock,
        stamp: options.stamp,
        feeds: FeedNames::by_id(),
    }
}

/// Every rule over `model`, and what publishing needs on top (`build`, `feed-url`,
/// `serve`): the refusals of [`publishing_findings`] join the findings, so a command
/// that publishes only when there is no error cannot publish what they refuse.
pub fn for_publishing<'m>(model: &'m Model, options: &Options) -> Checked<'m> {
    let (feeds, refusals) = feed_names(model, options.feed_secret.clone());
    let mut checked = check(model, options).to_publish(feeds);
    checked.findings.extend(refusals);
    checked
}

/// How feeds are named, and the `feed-secret` finding when `calendar.secret_env` is set
/// but the secret is missing or too short — publishing personal feeds under guessable
/// names is what the setting exists to prevent. The names are then by id, for a page
/// that says what is wrong (`rota serve`); nothing is published while the error stands.
pub fn feed_names(model: &Model, secret: Option<String>) -> (FeedNames, Vec<Finding>) {
    if model.repo.config.calendar.secret_env.is_none() {
        return (FeedNames::by_id(), Vec::new());
    }
    let feeds = FeedNames::keyed(secret);
    match rules::privacy::feed_secret(model, feeds.secret_len()) {
        Some(refusal) => (FeedNames::by_id(), vec![refusal]),
        None => (feeds, Vec::new()),
    }
}

/// Every refusal of publishing: the feed secret ([`feed_names`]) and `base_url`.
pub fn publishing_findings(model: &Model, secret: Option<String>) -> (FeedNames, Vec<Finding>) {
    let (feeds, mut findings) = feed_names(model, secret);
    findings.extend(missing_base_url(model));
    (feeds, findings)
}

/// `base_url` is needed wherever an absolute URL is written (feeds, `webcal://`).
pub fn missing_base_url(model: &Model) -> Vec<Finding> {
    let config = &model.repo.config;
    if config.base_url_loc.is_some() {
        return Vec::new();
    }
    vec![
        Finding::error(
            RuleId::Parse,
            config.loc,
            "`base_url` is not set: feeds and subscription links need the site's absolute address",
        )
        .with_help("add e.g. `base_url: https://example.github.io/support/` to rota/config.yaml"),
    ]
}

impl Checked<'_> {
    /// The same checked data, to be published with `feeds` (see [`feed_names`]): adds
    /// the finding a missing `base_url` makes.
    pub fn to_publish(mut self, feeds: FeedNames) -> Self {
        self.feeds = feeds;
        self.findings.extend(missing_base_url(self.model));
        self
    }

    /// How many errors and warnings were found.
    pub fn counts(&self) -> (usize, usize) {
        crate::diagnostics::counts(&self.findings)
    }

    /// The error findings alone.
    pub fn errors(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .cloned()
            .collect()
    }

    /// Every output file of `rota build`, in memory (what `rota serve` serves): the site
    /// (rendered by `site`, whose templates are compiled once) and the feeds.
    pub fn render(&self, site: &Site) -> Result<Outputs, crate::output::site::SiteError> {
        let mut out = site.render(
            self.model,
            &self.schedule,
            &self.findings,
            self.clock,
            &self.feeds,
        )?;
        out.extend(crate::output::outputs(
            self.model,
            &self.schedule,
            self.clock,
            self.stamp,
            &self.feeds,
        ));
        Ok(out)
    }

    /// Builds the site and the feeds straight into a staging folder beside `dir` and
    /// swaps it in (pages are written as they are rendered, so a large site is never
    /// held in memory whole). Returns the number of pages and of feeds written.
    pub fn write_into(
        &self,
        site: &Site,
        dir: &std::path::Path,
    ) -> Result<(usize, usize), WriteError> {
        let staging = Staging::begin(dir)?;
        let pages = AtomicUsize::new(0);
        let feeds = AtomicUsize::new(0);
        // The feeds are made while the pages render (both only read the model), and
        // each file is written as soon as it is made.
        let (site_done, feeds_done) = rayon::join(
            || {
                site.render_each(
                    self.model,
                    &self.schedule,
                    &self.findings,
                    self.clock,
                    &self.feeds,
                    &|rel: &str, pieces: &mut crate::output::site::Pieces<'_>| {
                        if rel.ends_with(".html") {
                            pages.fetch_add(1, Ordering::Relaxed);
                        }
                        staging.put_pieces(rel, pieces)
                    },
                )
            },
            || {
                crate::output::each_output(
                    self.model,
                    &self.schedule,
                    self.clock,
                    self.stamp,
                    &self.feeds,
                    &|rel: String, bytes: Vec<u8>| {
                        if rel.ends_with(".ics") {
                            feeds.fetch_add(1, Ordering::Relaxed);
                        }
                        staging.put(&rel, &bytes)
                    },
                )
            },
        );
        site_done.map_err(|e| WriteError(e.0))?;
        feeds_done?;
        staging.finish()?;
        Ok((pages.into_inner(), feeds.into_inner()))
    }
}
