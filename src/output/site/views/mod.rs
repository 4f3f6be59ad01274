//! What each page shows: the indexes built once per render ([`SiteContext`]) and the
//! Tera context of every page. Templates only lay these values out.

use super::data;
use super::runbook::RenderedRunbook;
use super::runbook_tree::RunbookTree;
use crate::finding::{Finding, Level};
use crate::model::Model;
use crate::model::{Alert, EscalationTarget, LeaveEntry, Person, Rota, RotaKind, Runbook};
use crate::rules::context::{self, Ctx, Share};
use crate::schedule::interval::{self, Interval};
use crate::schedule::{RotaSchedule, Schedule, Shift, Source};
use crate::time::{self, Clock, Instant};
use chrono::{Datelike, NaiveDate, Timelike};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tera::Context;

mod alerts;
mod check;
mod format;
mod home;
mod person;
mod rota;
mod runbooks;

use alerts::*;
pub use alerts::{alert_rows_context, catalogue};
use check::*;
use format::*;
pub use format::{code_spans, day, when};
pub use home::rota_now;
use home::*;
use person::*;
use rota::*;
use runbooks::*;
pub use runbooks::{RunbookLinks, RunbookShared};

/// Stands for a runbook's rendered body in its page's values: the page is rendered with
/// this marker and the body spliced in where it appears. Every other value is escaped,
/// so no value from the data can spell it.
pub const BODY_MARKER: &str = "<!--rota:runbook-body-->";

/// Stands for the alert catalogue's table rows in `alerts.html`'s values (as
/// [`BODY_MARKER`] does for a runbook's body): the rows are rendered by `alert-rows.html`
/// for [`ALERTS_PER_PART`] alerts at a time and spliced in, so a catalogue of 100,000
/// alerts is never one template context and one string.
pub const ALERT_ROWS_MARKER: &str = "<!--rota:alert-rows-->";

/// How many alerts one rendering of `alert-rows.html` lays out.
pub const ALERTS_PER_PART: usize = 1000;

/// One page to render: where it goes, with which template and values.
pub struct Page {
    pub path: String,
    pub template: String,
    pub context: Context,
}

/// One month's TOIL per person: (claim windows, days).
pub type MonthToil = BTreeMap<String, (usize, f64)>;

/// How an alert can reach a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// The alert pages a rota they are on.
    Direct,
    /// Through a rota's escalation chain.
    Escalation,
}

/// Indexes over the model and the schedule, built once per render and read by every page.
pub struct SiteContext<'a> {
    pub model: &'a Model,
    pub schedule: &'a Schedule,
    pub findings: &'a [Finding],
    pub clock: Clock,
    pub tz: Tz,
    /// From now to today + horizon: what "upcoming" means on the site.
    pub upcoming_window: Interval,
    pub upcoming: Vec<Shift<'a>>,
    pub upcoming_by_person: BTreeMap<&'a str, Vec<usize>>,
    pub shares: BTreeMap<String, Share>,
    /// (rota, person) → their share of that rota's duty time over its share window.
    pub rota_shares: BTreeMap<(&'a str, &'a str), RotaShare>,
    pub share_windows: BTreeMap<String, Interval>,
    /// Runbooks by slug (looked up once per link of every runbook page).
    pub runbooks: HashMap<&'a str, &'a Runbook>,
    /// The runbooks' folders: the site's runbook navigation.
    pub runbook_tree: RunbookTree<'a>,
    pub alerts_by_rota: BTreeMap<&'a str, Vec<&'a Alert>>,
    pub alerts_by_runbook: HashMap<&'a str, BTreeSet<&'a str>>,
    pub alerts: BTreeMap<&'a str, &'a Alert>,
    pub reach: BTreeMap<&'a str, BTreeMap<&'a str, Reach>>,
    pub rotas_of_person: BTreeMap<&'a str, Vec<&'a Rota>>,
    /// Person id → the escalation steps that name them (`person:ID`): the rota and the
    /// minutes after which the step pages them.
    pub escalations_of_person: BTreeMap<&'a str, Vec<(&'a Rota, i64)>>,
    pub feed_names: BTreeMap<&'a str, String>,
    pub secret_feeds: bool,
    /// TOIL of this month and the previous one (config time zone): label, then per
    /// person (claim windows, days).
    pub toil: Vec<(String, MonthToil)>,
    /// Per (out-of-hours rota, member): bank-holiday and weekend duty days over the
    /// rota's fairness span (the `holiday-fairness` rule's counts), computed once per rota.
    pub holiday_counts: BTreeMap<(&'a str, String), crate::rules::holiday_fairness::MemberCounts>,
    rotas: BTreeMap<&'a str, &'a Rota>,
    schedules: BTreeMap<&'a str, &'a RotaSchedule>,
    pub service_names: BTreeMap<&'a str, &'a str>,
    pub leave_by_person: BTreeMap<&'a str, Vec<&'a LeaveEntry>>,
    /// Every rota's duty windows over the data the pages embed, by where they start
    /// (rota ids) and where they end (rota ids with the window's start), in file order:
    /// who takes over at another rota's duty edge, found without pairing every rota with
    /// every other (src/schedule/oncall.rs says the same at one instant).
    pub duty_starts: BTreeMap<Instant, Vec<&'a str>>,
    pub duty_ends: BTreeMap<Instant, Vec<(&'a str, Instant)>>,
    /// The shift data of [`data::now_data`], made once when a page first needs it.
    now_data: std::sync::OnceLock<String>,
    /// Rota id → who holds it at build time ([`runbooks::holders_at_build`]).
    holders: std::sync::OnceLock<HashMap<&'a str, String>>,
    /// What every runbook page shares ([`RunbookShared`]), made when the first needs it.
    runbook_shared: std::sync::OnceLock<RunbookShared<'a>>,
    /// The values every page has that are the same on every page (the site's title,
    /// when it was built, its zone, its Content-Security-Policy), converted for Tera once.
    every_page: Context,
}

impl<'a> SiteContext<'a> {
    pub fn new(
        model: &'a Model,
        schedule: &'a Schedule,
        findings: &'a [Finding],
        clock: Clock,
        feeds: &crate::output::feeds::name::FeedNames,
    ) -> SiteContext<'a> {
        let repo = &model.repo;
        let tz = repo.config.timezone;
        let horizon_end =
            time::start_of_day(tz, repo.config.horizon.after_date(clock.today)).max(clock.now);
        let upcoming_window = Interval::new(clock.now, horizon_end);
        let upcoming = schedule.shifts(upcoming_window);
        let mut upcoming_by_person: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, s) in upcoming.iter().enumerate() {
            upcoming_by_person.entry(s.person).or_default().push(i);
        }
        let ctx = Ctx::new(model, schedule, clock);
        let shares = ctx.shares().clone();
        let share_windows = context::share_windows(&ctx);
        let schedules: BTreeMap<&str, &RotaSchedule> = schedule
            .rotas
            .iter()
            .map(|rs| (rs.rota.as_str(), rs))
            .collect();
        let mut rota_shares = BTreeMap::new();
        let mut rotas_of_person: BTreeMap<&str, Vec<&Rota>> = BTreeMap::new();
        let mut escalations_of_person: BTreeMap<&str, Vec<(&Rota, i64)>> = BTreeMap::new();
        for rota in &repo.rotas {
            for m in rota.members() {
                rotas_of_person.entry(m.id.as_str()).or_default().push(rota);
            }
            for step in rota.escalation.iter().flatten() {
                if let EscalationTarget::Person(p) = &step.notify {
                    escalations_of_person
                        .entry(p.as_str())
                        .or_default()
                        .push((rota, step.after.approx_minutes()));
                }
            }
            let (Some(rs), Some(window)) =
                (schedules.get(rota.id.as_str()), share_windows.get(&rota.id))
            else {
                continue;
            };
            let duty = interval::total(&interval::clip(&rs.duty, *window));
            if duty.num_seconds() <= 0 {
                continue;
            }
            for m in rota.duty_members() {
                let on = interval::total(&interval::clip(&rs.on_call(&m.id), *window));
                rota_shares.insert(
                    (rota.id.as_str(), m.id.as_str()),
                    RotaShare { on_call: on, duty },
                );
            }
        }
        let mut alerts_by_rota: BTreeMap<&str, Vec<&Alert>> = BTreeMap::new();
        let mut alerts_by_runbook: HashMap<&str, BTreeSet<&str>> = HashMap::new();
        for a in &repo.alerts {
            for r in &a.pages {
                alerts_by_rota.entry(r.id.as_str()).or_default().push(a);
            }
            if let Some(rb) = &a.runbook {
                alerts_by_runbook
                    .entry(rb.id.as_str())
                    .or_default()
                    .insert(a.id.as_str());
            }
        }
        let alerts: BTreeMap<&str, &Alert> =
            repo.alerts.iter().map(|a| (a.id.as_str(), a)).collect();
        for rb in &repo.runbooks {
            for a in &rb.alerts {
                if alerts.contains_key(a.id.as_str()) {
                    alerts_by_runbook
                        .entry(rb.slug.as_str())
                        .or_default()
                        .insert(a.id.as_str());
                }
            }
        }
        let reach = reach(model);
        let mut leave_by_person: BTreeMap<&str, Vec<&LeaveEntry>> = BTreeMap::new();
        for l in &repo.leave {
            leave_by_person
                .entry(l.person.id.as_str())
                .or_default()
                .push(l);
        }
        let secret_feeds = feeds.are_secret();
        let feed_names = rotas_of_person
            .keys()
            .map(|p| (*p, feeds.name(p)))
            .collect();
        let this_month = clock.today.with_day(1).unwrap_or(clock.today);
        let last_month = this_month - chrono::Months::new(1);
        let toil = [this_month, last_month]
            .iter()
            .map(|m| {
                let report = crate::schedule::toil::month(model, m.year(), m.month());
                let people = report
                    .people
                    .into_iter()
                    .map(|p| (p.person, (p.windows, p.days)))
                    .collect();
                (m.format("%B %Y").to_string(), people)
            })
            .collect();
        let embedded = Interval::new(clock.now - chrono::TimeDelta::days(14), upcoming_window.end);
        let mut duty_starts: BTreeMap<Instant, Vec<&str>> = BTreeMap::new();
        let mut duty_ends: BTreeMap<Instant, Vec<(&str, Instant)>> = BTreeMap::new();
        for rota in &repo.rotas {
            let Some(rs) = schedules.get(rota.id.as_str()) else {
                continue;
            };
            for d in interval::clip(&rs.duty, embedded) {
                duty_starts
                    .entry(d.start)
                    .or_default()
                    .push(rota.id.as_str());
                duty_ends
                    .entry(d.end)
                    .or_default()
                    .push((rota.id.as_str(), d.start));
            }
        }
        let holiday_counts = model
            .repo
            .rotas
            .iter()
            .filter_map(|r| {
                crate::rules::holiday_fairness::member_counts(model, clock, &r.id)
                    .map(|c| (r.id.as_str(), c))
            })
            .flat_map(|(rota, counts)| {
                counts
                    .members
                    .into_iter()
                    .map(move |m| ((rota, m.person.clone()), m))
            })
            .collect();
        let built = when_value(tz, clock.now);
        let mut every_page = Context::new();
        every_page.insert("site_title", &repo.config.title);
        every_page.insert("built", &built);
        every_page.insert("timezone", tz.name());
        every_page.insert("content_security_policy", super::CONTENT_SECURITY_POLICY);
        SiteContext {
            every_page,
            now_data: std::sync::OnceLock::new(),
            holders: std::sync::OnceLock::new(),
            runbook_shared: std::sync::OnceLock::new(),
            holiday_counts,
            duty_starts,
            duty_ends,
            model,
            schedule,
            findings,
            clock,
            tz,
            upcoming_window,
            upcoming,
            upcoming_by_person,
            shares,
            rota_shares,
            share_windows,
            runbooks: repo.runbooks.iter().map(|r| (r.slug.as_str(), r)).collect(),
            runbook_tree: RunbookTree::new(&repo.runbooks),
            alerts_by_rota,
            alerts_by_runbook,
            alerts,
            reach,
            rotas_of_person,
            escalations_of_person,
            feed_names,
            secret_feeds,
            toil,
            rotas: repo.rotas.iter().map(|r| (r.id.as_str(), r)).collect(),
            schedules,
            service_names: repo
                .services
                .iter()
                .map(|s| (s.id.as_str(), s.name.as_str()))
                .collect(),
            leave_by_person,
        }
    }

    /// The shift data the home page embeds and `assets/now-data.js` carries
    /// ([`data::now_data`]), made once per render.
    pub fn now_data(&self) -> &str {
        self.now_data.get_or_init(|| data::now_data(self))
    }

    /// Who holds each position of rota `id` at build time (`primary Heidi Hussain,
    /// secondary Dan Dlamini`), worked out once per rota; empty for no such rota.
    pub fn holders_now(&self, id: &str) -> &str {
        self.holders
            .get_or_init(|| {
                self.model
                    .repo
                    .rotas
                    .iter()
                    .map(|r| (r.id.as_str(), runbooks::holders_at_build(self, &r.id)))
                    .collect()
            })
            .get(id)
            .map_or("", String::as_str)
    }

    /// What every runbook page shares, made once.
    pub fn runbook_shared(&self) -> &RunbookShared<'a> {
        self.runbook_shared.get_or_init(|| RunbookShared::new(self))
    }

    pub fn rota(&self, id: &str) -> Option<&'a Rota> {
        self.rotas.get(id).copied()
    }

    pub fn rota_schedule(&self, id: &str) -> Option<&'a RotaSchedule> {
        self.schedules.get(id).copied()
    }

    pub fn runbook_exists(&self, slug: &str) -> bool {
        self.runbooks.contains_key(slug)
    }

    pub fn person_name<'p>(&'p self, id: &'p str) -> &'p str {
        self.model.display_name(id)
    }

    pub fn person_ref<'p>(&'p self, id: &'p str) -> PersonRef<'p> {
        PersonRef {
            id,
            name: self.person_name(id),
        }
    }

    pub fn when(&self, at: Instant) -> When {
        when_value(self.tz, at)
    }
}

/// A person's share of one rota's duty time over its share window: the measure
/// `max-share` takes for each rota (docs/data-format.md#share-precisely).
#[derive(Clone, Copy, Debug)]
pub struct RotaShare {
    pub on_call: chrono::TimeDelta,
    pub duty: chrono::TimeDelta,
}

impl RotaShare {
    /// The share rounded to a whole percent, as `rota report` and `check` round it.
    pub fn percent(&self) -> i64 {
        (self.on_call.num_seconds() as f64 / self.duty.num_seconds() as f64 * 100.0).round() as i64
    }
}

/// Whole hours, rounded (`rota report` prints hours to the minute; the site to the hour).
pub fn hours(d: chrono::TimeDelta) -> i64 {
    (d.num_seconds() + 1800).div_euclid(3600)
}

/// A person as the templates link them.
#[derive(Serialize)]
pub struct PersonRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// Per person, the alerts that can page them: directly (an alert pages a rota they are
/// on) or through escalation (`rota:ID` and `person:ID` steps, followed once each).
fn reach(model: &Model) -> BTreeMap<&str, BTreeMap<&str, Reach>> {
    let repo = &model.repo;
    let rotas: BTreeMap<&str, &Rota> = repo.rotas.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut out: BTreeMap<&str, BTreeMap<&str, Reach>> = BTreeMap::new();
    for alert in &repo.alerts {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut queue: Vec<(&str, Reach)> = alert
            .pages
            .iter()
            .map(|r| (r.id.as_str(), Reach::Direct))
            .collect();
        while let Some((rota_id, how)) = queue.pop() {
            if !seen.insert(rota_id) {
                continue;
            }
            let Some(rota) = rotas.get(rota_id) else {
                continue;
            };
            for m in rota.members() {
                let entry = out
                    .entry(m.id.as_str())
                    .or_default()
                    .entry(alert.id.as_str())
                    .or_insert(how);
                *entry = (*entry).min(how);
            }
            for step in rota.escalation.iter().flatten() {
                match &step.notify {
                    EscalationTarget::Rota(r) => queue.push((r.as_str(), Reach::Escalation)),
                    EscalationTarget::Person(p) => {
                        if let Some(person) = model.person(p) {
                            out.entry(person.id.as_str())
                                .or_default()
                                .entry(alert.id.as_str())
                                .or_insert(Reach::Escalation);
                        }
                    }
                    EscalationTarget::Position(_) => {}
                }
            }
        }
    }
    out
}

/// One HTML page to make; its values are gathered only when it is rendered, so a large
/// site never holds every page's values at once.
#[derive(Clone, Copy)]
pub enum PageJob<'a> {
    Home,
    Alerts,
    People,
    Runbooks,
    Search,
    Check,
    NotFound,
    Rota(&'a Rota),
    Person(&'a Person),
    Runbook(&'a Runbook),
}

/// Every HTML page of the site.
pub fn jobs<'a>(cx: &SiteContext<'a>) -> Vec<PageJob<'a>> {
    let repo = &cx.model.repo;
    let mut jobs = vec![
        PageJob::Home,
        PageJob::Alerts,
        PageJob::People,
        PageJob::Runbooks,
        PageJob::Search,
        PageJob::Check,
        PageJob::NotFound,
    ];
    jobs.extend(repo.rotas.iter().map(PageJob::Rota));
    jobs.extend(repo.people.iter().map(PageJob::Person));
    jobs.extend(repo.runbooks.iter().map(PageJob::Runbook));
    jobs
}

/// The page of `job` (a runbook page needs its rendered Markdown).
pub fn page_of(cx: &SiteContext, job: PageJob, rendered: Option<&RenderedRunbook>) -> Page {
    match (job, rendered) {
        (PageJob::Home, _) => home(cx),
        (PageJob::Alerts, _) => alerts_page(cx),
        (PageJob::People, _) => people_page(cx),
        (PageJob::Runbooks, _) => runbooks_page(cx),
        (PageJob::Search, _) => search_page(cx),
        (PageJob::Check, _) => check_page(cx),
        (PageJob::NotFound, _) => not_found(cx),
        (PageJob::Rota(r), _) => rota_page(cx, r),
        (PageJob::Person(p), _) => person_page(cx, p),
        (PageJob::Runbook(rb), Some(r)) => runbook_page(cx, rb, r),
        (PageJob::Runbook(rb), None) => runbook_page(cx, rb, &RenderedRunbook::default()),
    }
}

fn page(cx: &SiteContext, path: String, template: &str, title: &str, section: &str) -> Page {
    let depth = path.matches('/').count();
    let mut context = cx.every_page.clone();
    context.insert("root", &"../".repeat(depth));
    context.insert("page_title", title);
    context.insert("section", section);
    Page {
        path,
        template: template.to_string(),
        context,
    }
}
