//! What each page shows: the indexes built once per render ([`SiteContext`]) and the
//! Tera context of every page. Templates only lay these values out.

use super::data;
use super::runbook::RenderedRunbook;
use super::runbook_tree::RunbookTree;
use crate::finding::{Finding, Level};
use crate::model::{Alert, EscalationTarget, LeaveEntry, Person, Rota, RotaKind, Runbook};
use crate::resolve::Model;
use crate::rules::analysis::{self, Ctx, Share};
use crate::schedule::interval::{self, Interval};
use crate::schedule::{RotaSchedule, Schedule, Shift, Source};
use crate::time::{self, Clock, Instant};
use chrono::{Datelike, NaiveDate, Timelike};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tera::Context;

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
    /// (rota, person) → share of that rota's duty time over its share window.
    pub rota_shares: BTreeMap<(&'a str, &'a str), f64>,
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
    pub feed_names: BTreeMap<&'a str, String>,
    pub secret_feeds: bool,
    /// TOIL of this month and the previous one (config time zone): label, then per
    /// person (claim windows, days).
    pub toil: Vec<(String, MonthToil)>,
    rotas: BTreeMap<&'a str, &'a Rota>,
    schedules: BTreeMap<&'a str, &'a RotaSchedule>,
    pub service_names: BTreeMap<&'a str, &'a str>,
    /// When the site was built (every page says so), formatted once.
    pub built: When,
    pub leave_by_person: BTreeMap<&'a str, Vec<&'a LeaveEntry>>,
}

impl<'a> SiteContext<'a> {
    pub fn new(
        model: &'a Model,
        schedule: &'a Schedule,
        findings: &'a [Finding],
        clock: Clock,
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
        let share_windows = analysis::share_windows(&ctx);
        let schedules: BTreeMap<&str, &RotaSchedule> = schedule
            .rotas
            .iter()
            .map(|rs| (rs.rota.as_str(), rs))
            .collect();
        let mut rota_shares = BTreeMap::new();
        let mut rotas_of_person: BTreeMap<&str, Vec<&Rota>> = BTreeMap::new();
        for rota in &repo.rotas {
            for m in rota.members() {
                rotas_of_person.entry(m.id.as_str()).or_default().push(rota);
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
                    on.num_seconds() as f64 / duty.num_seconds() as f64,
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
        let secret_feeds = crate::build::secret(model).is_some();
        let feed_names = rotas_of_person
            .keys()
            .map(|p| (*p, crate::build::feed_name(model, p)))
            .collect();
        let this_month = clock.today.with_day(1).unwrap_or(clock.today);
        let last_month = this_month - chrono::Months::new(1);
        let toil = [this_month, last_month]
            .iter()
            .map(|m| {
                let report = crate::toil::month(model, m.year(), m.month());
                let people = report
                    .people
                    .into_iter()
                    .map(|p| (p.person, (p.windows, p.days)))
                    .collect();
                (m.format("%B %Y").to_string(), people)
            })
            .collect();
        SiteContext {
            built: when_value(tz, clock.now),
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
        self.model.person(id).map_or(id, |p| p.name.as_str())
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

/// A person as the templates link them.
#[derive(Serialize)]
pub struct PersonRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// An instant as the templates show it: in words, short, and RFC 3339.
#[derive(Serialize)]
pub struct When {
    pub iso: String,
    pub short: String,
    pub text: String,
}

fn when_value(tz: Tz, at: Instant) -> When {
    When {
        iso: time::rfc3339(at),
        short: short_when(tz, at),
        text: when(tz, at),
    }
}

/// `Wed 23 Dec, 10:00`
fn short_when(tz: Tz, at: Instant) -> String {
    let l = at.with_timezone(&tz);
    format!(
        "{} {} {}, {:02}:{:02}",
        time::weekday_abbr(l.weekday()),
        l.day(),
        time::month_abbr(l.month()),
        l.hour(),
        l.minute()
    )
}

/// `Wed 23 Dec 2026, 10:00`
pub fn when(tz: Tz, at: Instant) -> String {
    let l = at.with_timezone(&tz);
    format!("{}, {:02}:{:02}", day(l.date_naive()), l.hour(), l.minute())
}

/// `Wed 23 Dec 2026`
pub fn day(date: NaiveDate) -> String {
    format!(
        "{} {} {} {:04}",
        time::weekday_abbr(date.weekday()),
        date.day(),
        time::month_abbr(date.month()),
        date.year()
    )
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
    let mut context = Context::new();
    context.insert("site_title", &cx.model.repo.config.title);
    context.insert("root", &"../".repeat(depth));
    context.insert("page_title", title);
    context.insert("section", section);
    context.insert("built", &cx.built);
    context.insert("timezone", cx.tz.name());
    context.insert("content_security_policy", super::CONTENT_SECURITY_POLICY);
    Page {
        path,
        template: template.to_string(),
        context,
    }
}

/// Who holds each position of `rota` at `at` (the positions of the block in force),
/// until when, and whether the rota is on duty.
pub fn rota_now(cx: &SiteContext, rota: &Rota, rs: &RotaSchedule, at: Instant) -> Value {
    let positions: Vec<Value> = rs
        .holdings_at(rota, at)
        .into_iter()
        .map(|h| {
            json!({
                "shadow": rota.is_shadow(&h.position),
                "name": h.position,
                "person": h.person.as_deref().map(|p| cx.person_ref(p)),
                "until": h.until.map(|u| cx.when(u)),
            })
        })
        .collect();
    json!({
        "id": rota.id,
        "name": rota.name,
        "kind": rota.kind.as_str(),
        "on_duty": rs.on_duty(at),
        "positions": positions,
    })
}

/// The next instant after `at` when anyone's hold of a position of `rs` ends, and who
/// holds each position then.
pub fn next_handover(
    cx: &SiteContext,
    rota: &Rota,
    rs: &RotaSchedule,
    at: Instant,
) -> Option<Value> {
    let next = rs
        .positions
        .iter()
        .filter_map(|p| {
            let i = p.segments.partition_point(|s| s.end <= at);
            let s = p.segments.get(i)?;
            if s.start > at {
                return Some(s.start);
            }
            rs.held_until(&p.name, at)
        })
        .filter(|t| *t < rs.active.map(|a| a.end).unwrap_or(*t))
        .min()?;
    let positions: Vec<Value> = rs
        .positions
        .iter()
        .map(|p| {
            let person = rs.segment_at(&p.name, next).and_then(|s| s.person.clone());
            json!({ "name": p.name, "person": person.as_deref().map(|id| cx.person_ref(id)) })
        })
        .collect();
    Some(json!({
        "rota": { "id": rota.id, "name": rota.name },
        "at": cx.when(next),
        "sort": time::rfc3339(next),
        "positions": positions,
    }))
}

fn home(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(cx, "index.html".into(), "index.html", "On call now", "home");
    let now = cx.clock.now;
    let mut rotas: Vec<Value> = repo
        .rotas
        .iter()
        .filter_map(|r| Some(rota_now(cx, r, cx.rota_schedule(&r.id)?, now)))
        .collect();
    // The rotas on duty first: at phone width the answer is above the fold.
    rotas.sort_by_key(|r| !r["on_duty"].as_bool().unwrap_or(false));
    let mut handovers: Vec<Value> = repo
        .rotas
        .iter()
        .filter_map(|r| next_handover(cx, r, cx.rota_schedule(&r.id)?, now))
        .collect();
    handovers.sort_by(|a, b| a["sort"].as_str().cmp(&b["sort"].as_str()));
    p.context.insert("now", &cx.when(now));
    p.context.insert("rotas", &rotas);
    p.context.insert("handovers", &handovers);
    p.context.insert("health", &health(cx));
    p.context.insert("data", &data::home_data(cx));
    p.context.insert(
        "at_value",
        &now.with_timezone(&cx.tz)
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
    );
    p
}

/// Errors and warnings, shares above the ideal, overdue runbooks, policy exceptions.
fn health(cx: &SiteContext) -> Value {
    let repo = &cx.model.repo;
    let errors = cx
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    let warnings = cx.findings.len() - errors;
    let ideal = (repo.config.policy.ideal_share * 100.0).round() as i64;
    let mut high: Vec<(&String, &Share)> = cx
        .shares
        .iter()
        .filter(|(_, s)| s.percent() > ideal)
        .collect();
    high.sort_by(|a, b| b.1.percent().cmp(&a.1.percent()).then(a.0.cmp(b.0)));
    let high: Vec<Value> = high
        .into_iter()
        .map(|(id, s)| json!({ "person": cx.person_ref(id), "percent": s.percent(), "over": share_over(cx, s) }))
        .collect();
    let overdue: Vec<Value> = repo
        .runbooks
        .iter()
        .filter_map(|rb| {
            let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb)?;
            (due < cx.clock.today).then(|| {
                json!({ "slug": rb.slug, "title": rb.title, "due": day(due), "owner": rb.owner })
            })
        })
        .collect();
    let exceptions: Vec<Value> = repo
        .rotas
        .iter()
        .filter(|r| !r.policy.is_empty())
        .map(|r| json!({ "id": r.id, "name": r.name, "policy": describe_policy(r) }))
        .collect();
    json!({
        "errors": errors,
        "warnings": warnings,
        "ideal": ideal,
        "high_shares": high,
        "overdue": overdue,
        "exceptions": exceptions,
    })
}

fn describe_policy(rota: &Rota) -> String {
    let p = &rota.policy;
    let mut parts = Vec::new();
    if let Some(n) = p.min_people {
        parts.push(format!("at least {n} people"));
    }
    if let Some(n) = p.ideal_people {
        parts.push(format!("ideally {n}"));
    }
    if let Some(n) = p.min_on_call {
        parts.push(format!("{n} on call at a time"));
    }
    if let Some(s) = p.max_share {
        parts.push(format!("share below {}%", (s * 100.0).round()));
    }
    if let Some(s) = p.ideal_share {
        parts.push(format!("ideal share {}%", (s * 100.0).round()));
    }
    if let Some(d) = p.plan_ahead {
        parts.push(format!("planned {d} ahead"));
    }
    if let Some(d) = p.ack_timeout {
        parts.push(format!("acknowledged within {d}"));
    }
    if parts.is_empty() {
        parts.push("its own policy".into());
    }
    parts.join(", ")
}

/// `Out of hours, 25 Nov 2026 to 24 Feb 2027`
fn share_over(cx: &SiteContext, s: &Share) -> String {
    let names: Vec<String> = s
        .rotas
        .iter()
        .map(|r| {
            cx.model
                .rota(r)
                .map(|x| x.name.clone())
                .unwrap_or(r.clone())
        })
        .collect();
    let label = if names.len() > 1 {
        format!("all their rotas ({})", names.join(", "))
    } else {
        names.join(", ")
    };
    format!(
        "{label}, {} to {}",
        day(time::local_date(cx.tz, s.window.start)),
        day(time::local_date(cx.tz, s.window.end))
    )
}

fn rota_ref(rota: &Rota) -> Value {
    json!({ "id": rota.id, "name": rota.name, "kind": rota.kind.as_str() })
}

#[derive(Serialize)]
struct RotaRef<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct ServiceRef<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct RunbookRef<'a> {
    slug: &'a str,
    title: &'a str,
}

/// An alert as the catalogue, rota and person pages show it (typed and borrowed, so a
/// catalogue of 100,000 alerts is not copied twice on its way into the template).
#[derive(Serialize)]
struct AlertRow<'a> {
    id: &'a str,
    summary: &'a str,
    severity: &'static str,
    service: Option<ServiceRef<'a>>,
    in_hours: Vec<RotaRef<'a>>,
    out_of_hours: Vec<RotaRef<'a>>,
    runbook: Option<RunbookRef<'a>>,
    rota_ids: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    how: Option<&'static str>,
}

fn alert_row<'a>(cx: &SiteContext<'a>, a: &'a Alert) -> AlertRow<'a> {
    let (mut in_hours, mut out_of_hours) = (Vec::new(), Vec::new());
    for r in &a.pages {
        if let Some(rota) = cx.rota(&r.id) {
            let rota_ref = RotaRef {
                id: &rota.id,
                name: &rota.name,
                kind: rota.kind.as_str(),
            };
            match rota.kind {
                RotaKind::InHours => in_hours.push(rota_ref),
                RotaKind::OutOfHours => out_of_hours.push(rota_ref),
            }
        }
    }
    let service = a.service.as_ref().map(|s| ServiceRef {
        id: &s.id,
        name: cx
            .service_names
            .get(s.id.as_str())
            .copied()
            .unwrap_or(&s.id),
    });
    let runbook = a
        .runbook
        .as_ref()
        .and_then(|r| cx.runbooks.get(r.id.as_str()))
        .map(|rb| RunbookRef {
            slug: &rb.slug,
            title: &rb.title,
        });
    let rota_ids: Vec<&str> = a.pages.iter().map(|r| r.id.as_str()).collect();
    AlertRow {
        id: &a.id,
        summary: &a.summary,
        severity: a.severity.as_str(),
        service,
        in_hours,
        out_of_hours,
        runbook,
        rota_ids: rota_ids.join(" "),
        how: None,
    }
}

fn alerts_page(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        "alerts.html".into(),
        "alerts.html",
        "Alert catalogue",
        "alerts",
    );
    let services_index: BTreeMap<&str, &str> = repo
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    let used_services: BTreeSet<&str> = repo
        .alerts
        .iter()
        .filter_map(|a| a.service.as_ref().map(|s| s.id.as_str()))
        .collect();
    let services: Vec<Value> = used_services
        .iter()
        .map(|s| json!({ "id": s, "name": services_index.get(s).copied().unwrap_or(s) }))
        .collect();
    let rotas: Vec<Value> = repo.rotas.iter().map(rota_ref).collect();
    // The rows go in after rendering (see `ALERT_ROWS_MARKER`).
    p.context.insert("alert_rows", ALERT_ROWS_MARKER);
    p.context.insert("alert_count", &repo.alerts.len());
    p.context.insert("rotas", &rotas);
    p.context.insert("services", &services);
    p.context
        .insert("severities", &["critical", "high", "medium", "low"]);
    p
}

/// The alert catalogue's order: by severity, then id.
pub fn catalogue<'a>(cx: &SiteContext<'a>) -> Vec<&'a Alert> {
    let mut alerts: Vec<&Alert> = cx.model.repo.alerts.iter().collect();
    alerts.sort_by(|a, b| (a.severity, &a.id).cmp(&(b.severity, &b.id)));
    alerts
}

/// The values of `alert-rows.html` for one part of the catalogue: `alerts`, as
/// `alerts.html` got them before the rows were rendered in parts.
pub fn alert_rows_context(cx: &SiteContext, part: &[&Alert]) -> Context {
    let rows: Vec<AlertRow> = part.iter().map(|a| alert_row(cx, a)).collect();
    let mut context = Context::new();
    context.insert("root", "");
    context.insert("alerts", &rows);
    context
}

fn escalation(cx: &SiteContext, rota: &Rota, rs: &RotaSchedule) -> Vec<Value> {
    let now = cx.clock.now;
    rota.escalation
        .iter()
        .flatten()
        .map(|step| {
            let minutes = step.after.approx_minutes();
            let target = match &step.notify {
                EscalationTarget::Position(p) => {
                    let holder = rs.segment_at(p, now).and_then(|s| s.person.clone());
                    json!({ "kind": "position", "name": p,
                            "now": holder.as_deref().map(|h| cx.person_ref(h)) })
                }
                EscalationTarget::Rota(r) => match cx.rota(r) {
                    Some(x) => json!({ "kind": "rota", "id": x.id, "name": x.name }),
                    None => json!({ "kind": "text", "name": format!("rota {r}") }),
                },
                EscalationTarget::Person(p) => match cx.model.person(p) {
                    Some(x) => json!({ "kind": "person", "id": x.id, "name": x.name }),
                    None => json!({ "kind": "text", "name": format!("person {p}") }),
                },
            };
            json!({ "minutes": minutes, "target": target })
        })
        .collect()
}

/// Upcoming turns of `rota`, grouped by the week (Monday) their start falls in.
/// One week of a rota page's calendar.
#[derive(Serialize)]
struct Week<'a> {
    label: String,
    turns: Vec<TurnView<'a>>,
}

#[derive(Serialize)]
struct TurnView<'a> {
    start: When,
    end: When,
    current: bool,
    holders: Vec<Holder<'a>>,
    /// The listed holidays in the turn, each with its name (`Mon 28 Dec 2026 Boxing Day`).
    holidays: Vec<String>,
}

/// Who holds a position in (part of) a turn.
#[derive(Serialize)]
struct Holder<'a> {
    position: &'a str,
    shadow: bool,
    person: Option<PersonRef<'a>>,
    /// `FROM to TO` when they hold only part of the turn.
    partial: Option<String>,
    /// Why an override put them there.
    reason: Option<&'a str>,
}

fn calendar<'a>(cx: &'a SiteContext, rota: &'a Rota, rs: &'a RotaSchedule) -> Vec<Week<'a>> {
    let tz = rota.timezone;
    let now = cx.clock.now;
    let first = rs
        .turn_at(now)
        .unwrap_or_else(|| rs.turns.partition_point(|t| t.end <= now));
    let mut weeks: Vec<(NaiveDate, Vec<TurnView>)> = Vec::new();
    for turn in rs.turns[first.min(rs.turns.len())..]
        .iter()
        .take_while(|t| t.start < cx.upcoming_window.end)
    {
        let span = turn.span();
        let holders: Vec<Holder> = rs
            .positions
            .iter()
            .flat_map(|p| {
                let i = p.segments.partition_point(|s| s.end <= span.start);
                p.segments[i..]
                    .iter()
                    .take_while(move |s| s.start < span.end)
                    .map(move |s| (p, s))
            })
            .map(|(p, s)| {
                let partial = s.start > turn.start || s.end < turn.end;
                let reason = match s.source {
                    Source::Override(i) => Some(
                        rota.overrides
                            .get(i)
                            .and_then(|o| o.reason.as_deref())
                            .unwrap_or("a trade"),
                    ),
                    Source::Rotation => None,
                };
                Holder {
                    position: &p.name,
                    shadow: p.shadow,
                    person: s.person.as_deref().map(|id| cx.person_ref(id)),
                    partial: partial
                        .then(|| format!("{} to {}", when(tz, s.start), when(tz, s.end))),
                    reason,
                }
            })
            .collect();
        let local = time::local_date(tz, turn.start);
        let monday = local - chrono::Days::new(u64::from(time::weekday_index(local)));
        let entry = TurnView {
            start: cx.when(turn.start),
            end: cx.when(turn.end),
            current: span.contains(now),
            holders,
            holidays: crate::ics::holidays_in_turn(cx.model, rota, turn.start, turn.end),
        };
        match weeks.last_mut() {
            Some((w, turns)) if *w == monday => turns.push(entry),
            _ => weeks.push((monday, vec![entry])),
        }
    }
    weeks
        .into_iter()
        .map(|(monday, turns)| Week {
            label: format!("Week of {}", day(monday)),
            turns,
        })
        .collect()
}

fn rota_page(cx: &SiteContext, rota: &Rota) -> Page {
    let mut p = page(
        cx,
        format!("rotas/{}.html", rota.id),
        "rota.html",
        &rota.name,
        "rotas",
    );
    let rs = cx.rota_schedule(&rota.id);
    let positions: Vec<Value> = rota
        .blocks
        .last()
        .map(|b| {
            b.positions
                .iter()
                .map(|pos| {
                    let members: Vec<PersonRef> = b
                        .members_of(pos)
                        .iter()
                        .map(|m| cx.person_ref(&m.id))
                        .collect();
                    json!({
                        "name": pos.name,
                        "shadow": pos.shadow,
                        "role": pos.role.as_ref().map(|r| r.id.clone()),
                        "offset": pos.offset,
                        "members": members,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let window = cx.share_windows.get(&rota.id);
    let members: Vec<Value> = rota
        .members()
        .iter()
        .map(|m| {
            let share = cx
                .rota_shares
                .get(&(rota.id.as_str(), m.id.as_str()))
                .map(|s| (s * 100.0).round() as i64);
            json!({ "person": cx.person_ref(&m.id), "share": share })
        })
        .collect();
    let alerts: Vec<AlertRow> = cx
        .alerts_by_rota
        .get(rota.id.as_str())
        .map(|v| v.iter().map(|a| alert_row(cx, a)).collect())
        .unwrap_or_default();
    let every = rota.blocks.last().map(|b| match b.every {
        crate::model::TurnLength::Hours(h) => format!("{h} hours"),
        crate::model::TurnLength::Days(1) => "day".to_string(),
        crate::model::TurnLength::Days(d) => format!("{d} days"),
        crate::model::TurnLength::Weeks(1) => "week".to_string(),
        crate::model::TurnLength::Weeks(w) => format!("{w} weeks"),
    });
    let handover = rota.blocks.last().map(|b| b.handover.to_string());
    let feed = format!("calendars/rotas/{}.ics", rota.id);
    p.context.insert(
        "rota",
        &json!({
            "id": rota.id,
            "name": rota.name,
            "description": rota.description,
            "kind": rota.kind.as_str(),
            "timezone": rota.timezone.name(),
            "hours": crate::ics::describe_hours(rota),
            "every": every,
            "handover": handover,
            "policy": (!rota.policy.is_empty()).then(|| describe_policy(rota)),
        }),
    );
    p.context.insert("positions", &positions);
    p.context.insert(
        "escalation",
        &rs.map(|rs| escalation(cx, rota, rs)).unwrap_or_default(),
    );
    p.context.insert(
        "now_card",
        &rs.map(|rs| rota_now(cx, rota, rs, cx.clock.now)),
    );
    if rs.is_some() {
        p.context
            .insert("data", &data::now_data(cx, Some(&rota.id), "../"));
    }
    p.context.insert(
        "weeks",
        &rs.map(|rs| calendar(cx, rota, rs)).unwrap_or_default(),
    );
    p.context.insert("members", &members);
    p.context.insert(
        "share_window",
        &window.map(|w| {
            format!(
                "{} to {}",
                day(time::local_date(cx.tz, w.start)),
                day(time::local_date(cx.tz, w.end))
            )
        }),
    );
    p.context.insert("alerts", &alerts);
    // With secret feed names the rota feeds are not built (they list everyone): no link.
    p.context
        .insert("feed", &(!cx.secret_feeds).then_some(&feed));
    p.context.insert(
        "feed_webcal",
        &webcal(&crate::ics::site_url(cx.model, &feed)),
    );
    p.context.insert("secret_feeds", &cx.secret_feeds);
    p
}

fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some(("http" | "https", rest)) => format!("webcal://{rest}"),
        _ => url.to_string(),
    }
}

#[derive(Serialize)]
struct LeaveView {
    from: String,
    to: String,
    shifts: Vec<String>,
}

fn person_page(cx: &SiteContext, person: &Person) -> Page {
    let mut p = page(
        cx,
        format!("people/{}.html", person.id),
        "person.html",
        &person.name,
        "people",
    );
    let tz = cx.tz;
    let mine: Vec<&Shift> = cx
        .upcoming_by_person
        .get(person.id.as_str())
        .map(|v| v.iter().map(|&i| &cx.upcoming[i]).collect())
        .unwrap_or_default();
    let shifts: Vec<Value> = mine
        .iter()
        .map(|s| {
            let rota = cx.rota(s.rota);
            json!({
                "rota": { "id": s.rota, "name": rota.map(|r| r.name.clone()).unwrap_or(s.rota.to_string()) },
                "position": s.position,
                "shadow": rota.is_some_and(|r| r.is_shadow(s.position)),
                "start": cx.when(s.start),
                "end": cx.when(s.end),
                "current": s.start <= cx.clock.now && cx.clock.now < s.end,
                "traded": matches!(s.source, Source::Override(_)),
                "holidays": rota.map(|r| crate::ics::holidays_in_turn(cx.model, r, s.start, s.end)).unwrap_or_default(),
            })
        })
        .collect();
    let rotas: Vec<Value> = cx
        .rotas_of_person
        .get(person.id.as_str())
        .map(|v| v.iter().map(|r| rota_ref(r)).collect())
        .unwrap_or_default();
    let share = cx.shares.get(&person.id).map(|s| {
        json!({ "percent": s.percent(), "over": share_over(cx, s),
                "hours": s.on_call.num_hours(), "duty_hours": s.duty.num_hours() })
    });
    let alerts: Vec<AlertRow> = cx
        .reach
        .get(person.id.as_str())
        .map(|m| {
            m.iter()
                .filter_map(|(a, how)| {
                    let alert = cx.alerts.get(a)?;
                    let mut row = alert_row(cx, alert);
                    row.how = Some(match how {
                        Reach::Direct => "directly",
                        Reach::Escalation => "by escalation",
                    });
                    Some(row)
                })
                .collect()
        })
        .unwrap_or_default();
    let leave: Vec<LeaveView> = cx
        .leave_by_person
        .get(person.id.as_str())
        .into_iter()
        .flatten()
        .filter_map(|l| {
            let span = Interval::new(
                time::start_of_day(tz, l.from),
                time::start_of_day(tz, l.to + chrono::Days::new(1)),
            );
            let touching: Vec<String> = mine
                .iter()
                .filter(|s| Interval::new(s.start, s.end).overlaps(&span))
                .map(|s| {
                    format!(
                        "{} ({}), {} to {}",
                        cx.model
                            .rota(s.rota)
                            .map(|r| r.name.as_str())
                            .unwrap_or(s.rota),
                        s.position,
                        when(tz, s.start),
                        when(tz, s.end)
                    )
                })
                .collect();
            (!touching.is_empty()).then(|| LeaveView {
                from: day(l.from),
                to: day(l.to),
                shifts: touching,
            })
        })
        .collect();
    let feed = match (cx.secret_feeds, cx.feed_names.get(person.id.as_str())) {
        (false, Some(name)) => {
            let rel = format!("calendars/{name}.ics");
            Some(json!({ "href": rel, "webcal": webcal(&crate::ics::site_url(cx.model, &rel)) }))
        }
        _ => None,
    };
    p.context.insert(
        "person",
        &json!({ "id": person.id, "name": person.name, "roles": person.roles, "handle": person.handle }),
    );
    p.context.insert("rotas", &rotas);
    p.context.insert("shifts", &shifts);
    p.context.insert("share", &share);
    p.context.insert("alerts", &alerts);
    p.context.insert("leave", &leave);
    let toil: Vec<Value> = cx
        .toil
        .iter()
        .map(|(label, people)| {
            let (windows, days) = people.get(&person.id).copied().unwrap_or((0, 0.0));
            let days_text = if days == 1.0 {
                "1 day".to_string()
            } else {
                format!(
                    "{} days",
                    format!("{days:.2}")
                        .trim_end_matches('0')
                        .trim_end_matches('.')
                )
            };
            json!({ "month": label, "windows": windows, "days": days_text })
        })
        .collect();
    let on_a_rota = cx.rotas_of_person.contains_key(person.id.as_str());
    let toil: Vec<Value> = if on_a_rota || toil.iter().any(|t| t["windows"] != 0) {
        toil
    } else {
        Vec::new()
    };
    p.context.insert("toil", &toil);
    p.context.insert("feed", &feed);
    p.context.insert("secret_feeds", &cx.secret_feeds);
    p
}

fn people_page(cx: &SiteContext) -> Page {
    let mut p = page(
        cx,
        "people/index.html".into(),
        "people.html",
        "People",
        "people",
    );
    let people: Vec<Value> = cx
        .model
        .repo
        .people
        .iter()
        .map(|person| {
            let rotas: Vec<Value> = cx
                .rotas_of_person
                .get(person.id.as_str())
                .map(|v| v.iter().map(|r| rota_ref(r)).collect())
                .unwrap_or_default();
            json!({
                "id": person.id,
                "name": person.name,
                "roles": person.roles,
                "rotas": rotas,
                "share": cx.shares.get(&person.id).map(|s| s.percent()),
            })
        })
        .collect();
    p.context.insert("people", &people);
    p
}

fn runbook_page(cx: &SiteContext, rb: &Runbook, rendered: &RenderedRunbook) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        format!("runbooks/{}.html", rb.slug),
        "runbook.html",
        &rb.title,
        "runbooks",
    );
    let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb);
    let alerts: Vec<Value> = cx
        .alerts_by_runbook
        .get(rb.slug.as_str())
        .map(|ids| {
            ids.iter()
                .filter_map(|a| cx.alerts.get(a))
                .map(|a| json!({ "id": a.id, "summary": a.summary, "severity": a.severity.as_str() }))
                .collect()
        })
        .unwrap_or_default();
    let edit = repo.config.site.edit_url.as_ref().and_then(|base| {
        let sep = if base.ends_with('/') { "" } else { "/" };
        let url = format!("{base}{sep}runbooks/{}", rb.path);
        super::is_safe_url(&url).then_some(url)
    });
    p.context.insert(
        "runbook",
        &json!({
            "slug": rb.slug,
            "title": rb.title,
            "title_id": rendered.title_id,
            "owner": rb.owner,
            "last_reviewed": rb.last_reviewed.map(day),
            "due": due.map(day),
            "due_iso": due.map(|d| d.to_string()),
            "overdue": due.is_some_and(|d| d < cx.clock.today),
            "edit_url": edit,
        }),
    );
    // The body goes in after rendering (see `BODY_MARKER`), so a long runbook is not
    // copied through the template engine.
    p.context.insert("body", BODY_MARKER);
    p.context.insert("toc", &rendered.toc);
    p.context.insert("toc_more", &rendered.toc_more);
    p.context.insert("alerts", &alerts);
    let tree = &cx.runbook_tree;
    let node = |slug: &str| {
        json!({
            "slug": slug,
            "title": tree.title(slug),
            "page": tree.page(slug).is_some(),
            "folder": tree.is_folder(slug),
        })
    };
    let breadcrumb: Vec<Value> = tree.ancestors(&rb.slug).into_iter().map(node).collect();
    let children: Vec<Value> = tree.children(&rb.slug).iter().map(|c| node(c)).collect();
    p.context.insert("breadcrumb", &breadcrumb);
    p.context.insert("children", &children);
    p
}

fn runbooks_page(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        "runbooks/index.html".into(),
        "runbooks.html",
        "Runbooks",
        "runbooks",
    );
    let item = |rb: &Runbook| {
        let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb);
        json!({
            "slug": rb.slug,
            "title": rb.title,
            "owner": rb.owner,
            "due": due.map(day),
            "overdue": due.is_some_and(|d| d < cx.clock.today),
            "alerts": cx.alerts_by_runbook.get(rb.slug.as_str()).map(|s| s.len()).unwrap_or(0),
        })
    };
    // One group per folder, each before the folders inside it: the folder's page (if it
    // has one) heads its group, its other pages are listed (docs/site.md#runbook-navigation).
    let tree = &cx.runbook_tree;
    let groups: Vec<Value> = tree
        .folders_in_order()
        .into_iter()
        .map(|folder| {
            let items: Vec<Value> = tree
                .children(folder)
                .iter()
                .filter(|c| !tree.is_folder(c))
                .filter_map(|c| tree.page(c))
                .map(item)
                .collect();
            let depth = if folder.is_empty() {
                0
            } else {
                folder.matches('/').count() + 1
            };
            json!({
                "folder": folder,
                "title": tree.title(folder),
                "page": tree.page(folder).map(item),
                "depth": depth,
                "level": (depth + 1).min(6),
                "runbooks": items,
            })
        })
        .filter(|g| !(g["folder"] == "" && g["runbooks"].as_array().is_some_and(Vec::is_empty)))
        .collect();
    p.context.insert("groups", &groups);
    let runbooks: Vec<Value> = repo.runbooks.iter().map(item).collect();
    // The root's own page introduces the index; its links start from `runbooks/`.
    let intro = repo.runbook_index.as_ref().map(|rb| {
        super::runbook::render("index", rb.link_base(), repo.body(rb), &|s| {
            cx.runbook_exists(s)
        })
        .html
    });
    p.context.insert("intro", &intro);
    p.context.insert("runbooks", &runbooks);
    p
}

fn search_page(cx: &SiteContext) -> Page {
    page(cx, "search.html".into(), "search.html", "Search", "search")
}

fn check_page(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(
        cx,
        "check.html".into(),
        "check.html",
        "Check report",
        "check",
    );
    let registry = crate::rules::registry();
    let mut by_rule: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for f in cx.findings {
        let file = &repo.sources.get(f.loc.file).path;
        by_rule.entry(f.rule).or_default().push(json!({
            "level": f.level.as_str(),
            "message": f.message,
            "help": f.help,
            // The same with `code` spans as <code> (escaped first: safe to print raw).
            "message_html": code_spans(&f.message),
            "help_html": f.help.as_deref().map(code_spans),
            "file": file,
            "line": f.loc.line,
            "column": f.loc.column,
        }));
    }
    let rules: Vec<Value> = by_rule
        .into_iter()
        .map(|(rule, findings)| {
            let explanation = registry
                .iter()
                .find(|r| r.id == rule)
                .map(|r| r.explanation)
                .unwrap_or("");
            let paragraphs: Vec<&str> = explanation
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            let paragraphs_html: Vec<String> = paragraphs.iter().map(|p| code_spans(p)).collect();
            json!({ "id": rule, "explanation": paragraphs,
                    "explanation_html": paragraphs_html, "findings": findings })
        })
        .collect();
    let errors = cx
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .count();
    p.context.insert("rules", &rules);
    p.context.insert("errors", &errors);
    p.context.insert("warnings", &(cx.findings.len() - errors));
    p.context.insert("rule_count", &registry.len());
    p
}

/// Plain text with Markdown `code` spans as HTML: everything is escaped first, then each
/// pair of backticks becomes `<code>`; a lone backtick stays as it is.
pub fn code_spans(text: &str) -> String {
    // Escape first: nothing in `text` can open a tag, in or out of a code span.
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    let parts: Vec<&str> = escaped.split('`').collect();
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
        } else if i + 1 < parts.len() && !part.is_empty() {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push('`');
            out.push_str(part);
            if i + 1 < parts.len() {
                out.push('`');
            }
        }
    }
    out
}

/// The 404 page: a static host serves it at the missing address's own path (say
/// `/support/people/zed.html`), so its links are absolute, from `base_url` (an absolute
/// http(s) URL, or `/` when not configured); every other page links relatively.
fn not_found(cx: &SiteContext) -> Page {
    let mut p = page(cx, "404.html".into(), "404.html", "Page not found", "");
    let base = &cx.model.repo.config.base_url;
    let root = if base.ends_with('/') {
        base.clone()
    } else {
        format!("{base}/")
    };
    p.context.insert(
        "content_security_policy",
        &super::policy_loading_from(&root),
    );
    p.context.insert("root", &root);
    p
}
