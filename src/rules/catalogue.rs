//! Rules about the alert catalogue, services and runbooks: `alert-runbook`,
//! `severity-routing`, `service-support`, `runbook-review`, and links between runbooks.

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::markdown;
use crate::model::{RotaKind, Runbook};
use crate::source::Loc;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

pub const ALERT_RUNBOOK: Rule = Rule {
    id: RuleId::AlertRunbook,
    explanation: "What it checks: every alert that pages a rota names a `runbook` that exists (runbooks/<slug>.md).

Why: people on call must know exactly what to do: every paging alert is documented with agreed steps to resolve it. At 3 a.m. nobody should have to work out from scratch what an alert means.

Example: `- { id: queue-backlog, severity: high, pages: [out-of-hours] }` with no `runbook:`.

How to fix: write runbooks/<slug>.md (front matter: title, owner, last_reviewed) and name it in the alert; or stop the alert paging (drop `pages:`) if it can wait for working hours.",
    check: Some(alert_runbook),
};

pub const SEVERITY_ROUTING: Rule = Rule {
    id: RuleId::SeverityRouting,
    explanation: "What it checks: only alerts whose severity pages out of hours page out-of-hours rotas. Which severities do is the team's to say under `severities:` in rota/config.yaml; by default `critical` and the older `high`.

Why: the person on call out of hours is woken only for high-severity issues; anything that can wait until morning must wait, or on call stops being sustainable.

Example: `severity: medium` with `pages: [out-of-hours]`.

How to fix: page the in-hours rota only, or raise the severity if it really cannot wait (and say why in the runbook).",
    check: Some(severity_routing),
};

pub const SERVICE_SUPPORT: Rule = Rule {
    id: RuleId::ServiceSupport,
    explanation: "What it checks: a service with `out_of_hours: true` names a `rota:` of kind out-of-hours that passes `min-people`. A service with a listed `impact` (danger-to-life, justice-critical, staff-safety, public-access) but no out-of-hours support is a warning.

Why: a promise of out-of-hours support is only as good as the rota behind it; and a service whose failure harms people should have its need for out-of-hours cover assessed, not forgotten.

Example: `out_of_hours: true` with `rota: in-hours`.

How to fix: point the service at the out-of-hours rota (and make that rota big enough), or record that it is supported in hours only (`out_of_hours: false`) after assessing the impact.",
    check: Some(service_support),
};

pub const RUNBOOK_REVIEW: Rule = Rule {
    id: RuleId::RunbookReview,
    explanation: "What it checks: every runbook has an `owner` and a `last_reviewed` date, and `last_reviewed` + `review_in` (default `policy.review_in`, 6 months) is not in the past. `rota review` lists what is overdue or due within 30 days, by owner.

Why: agreed steps go stale as systems change; a runbook that was right a year ago can do harm at 3 a.m. An owner is who keeps it right.

Example: `last_reviewed: 2025-01-10` with the default 6 months.

How to fix: review the page with its owner, then update `last_reviewed`.",
    check: Some(runbook_review),
};

fn alert_runbook(ctx: &Ctx, out: &mut Vec<Finding>) {
    let slugs: BTreeSet<&str> = ctx.repo.runbooks.iter().map(|r| r.slug.as_str()).collect();
    let lowercase: BTreeSet<String> = slugs.iter().map(|s| s.to_lowercase()).collect();
    for alert in ctx.repo.alerts.iter().filter(|a| !a.pages.is_empty()) {
        if let Some(rule) = &alert.rule {
            rule_runbook(alert, rule, &lowercase, out);
            continue;
        }
        match &alert.runbook {
            None => out.push(
                Finding::error(RuleId::AlertRunbook, alert.loc, format!("alert `{}` pages {} but names no runbook", alert.id, rota_list(alert)))
                    .with_help(format!("write runbooks/{}.md with the agreed steps and add `runbook: {}`", alert.id, alert.id)),
            ),
            Some(r) if !slugs.contains(r.id.as_str()) => out.push(
                Finding::error(RuleId::AlertRunbook, r.loc, format!("alert `{}` names runbook `{}`, but there is no runbooks/{}.md", alert.id, r.id, r.id))
                    .with_help("a runbook's slug is its path under runbooks/ without .md; write the page or fix the name"),
            ),
            Some(_) => {}
        }
    }
}

/// `alert-runbook` for an alert read from the rules: its `runbook_url` must map onto a
/// runbook (case-insensitively); one that depends on the series is reported as such.
fn rule_runbook(
    alert: &crate::model::Alert,
    rule: &crate::model::alerting::RuleSource,
    slugs: &BTreeSet<String>,
    out: &mut Vec<Finding>,
) {
    let at = rule.runbook_url.as_ref().map_or(alert.loc, |(_, loc)| *loc);
    match (&alert.runbook, &rule.no_runbook) {
        (Some(r), _) if slugs.contains(&r.id.to_lowercase()) => {}
        (Some(r), _) => out.push(
            Finding::error(
                RuleId::AlertRunbook,
                r.loc,
                format!(
                    "alert `{}` pages {}, but its runbook_url leads to runbooks/{}, which does not exist",
                    alert.id,
                    rota_list(alert),
                    r.id
                ),
            )
            .with_help("write the runbook there, or fix the URL (paths compare case-insensitively; `.html` and a trailing `/` are ignored)"),
        ),
        (None, Some(why)) if why.contains("depends on the series") => out.push(
            Finding::warning(
                RuleId::AlertRunbook,
                at,
                format!("alert `{}` pages {}; {why}", alert.id, rota_list(alert)),
            )
            .with_help("use the alert's static labels only (`{{ $labels.alertname }}`), or a fixed URL"),
        ),
        (None, why) => out.push(
            Finding::error(
                RuleId::AlertRunbook,
                at,
                format!(
                    "alert `{}` pages {} but has no runbook: {}",
                    alert.id,
                    rota_list(alert),
                    why.as_deref().unwrap_or("no `runbook_url`")
                ),
            )
            .with_help("add a `runbook_url` annotation under `alerting.runbook_url`, leading to a page in runbooks/"),
        ),
    }
}

fn rota_list(alert: &crate::model::Alert) -> String {
    alert
        .pages
        .iter()
        .map(|p| p.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn severity_routing(ctx: &Ctx, out: &mut Vec<Finding>) {
    for alert in &ctx.repo.alerts {
        if alert.severity.pages_out_of_hours() {
            continue;
        }
        for page in &alert.pages {
            if ctx
                .model
                .rota(&page.id)
                .is_some_and(|r| r.kind == RotaKind::OutOfHours)
            {
                out.push(
                    Finding::error(
                        RuleId::SeverityRouting,
                        page.loc,
                        format!("alert `{}` is {} but pages the out-of-hours rota `{}`", alert.id, alert.severity.as_str(), page.id),
                    )
                    .with_help(format!(
                        "{} alerts wake people (`severities:` in rota/config.yaml): page an in-hours rota instead, or raise the severity if it cannot wait",
                        ctx.repo.config.severities.out_of_hours_words()
                    )),
                );
            }
        }
    }
}

fn service_support(ctx: &Ctx, out: &mut Vec<Finding>) {
    for service in &ctx.repo.services {
        let rota = service.rota.as_ref().and_then(|r| ctx.model.rota(&r.id));
        let ooh_rota = rota.filter(|r| r.kind == RotaKind::OutOfHours);
        let loc: Loc = service.rota.as_ref().map(|r| r.loc).unwrap_or(service.loc);
        if service.out_of_hours {
            match (service.rota.as_ref(), ooh_rota) {
                (None, _) => out.push(
                    Finding::error(
                        RuleId::ServiceSupport,
                        service.loc,
                        format!(
                            "service `{}` is supported out of hours but names no rota",
                            service.id
                        ),
                    )
                    .with_help("add `rota: ID` naming an out-of-hours rota"),
                ),
                (Some(r), None) => {
                    if rota.is_some() {
                        out.push(
                            Finding::error(RuleId::ServiceSupport, loc, format!("service `{}` is supported out of hours, but rota `{}` is an in-hours rota", service.id, r.id))
                                .with_help("name an out-of-hours rota, or set `out_of_hours: false`"),
                        );
                    }
                }
                (Some(_), Some(r)) => {
                    let people = r.duty_members().len() as u32;
                    let min = ctx.policy(r).min_people;
                    if people < min {
                        out.push(
                            Finding::error(
                                RuleId::ServiceSupport,
                                loc,
                                format!("service `{}` relies on rota `{}`, which has {people} people (at least {min} needed)", service.id, r.id),
                            )
                            .with_help("grow the rota, or do not promise out-of-hours support yet"),
                        );
                    }
                }
            }
        } else if !service.impact.is_empty() && ooh_rota.is_none() {
            out.push(
                Finding::warning(
                    RuleId::ServiceSupport,
                    service.loc,
                    format!("service `{}` has impact ({}) but no out-of-hours support", service.id, service.impact.join(", ")),
                )
                .with_help("assess whether it needs out-of-hours cover; if it does, set `out_of_hours: true` and an out-of-hours `rota:`"),
            );
        }
    }
}

/// When a runbook's review falls due, if it has been reviewed.
pub fn review_due(ctx_review_in: crate::time::Duration, runbook: &Runbook) -> Option<NaiveDate> {
    let last = runbook.last_reviewed?;
    Some(runbook.review_in.unwrap_or(ctx_review_in).after_date(last))
}

fn runbook_review(ctx: &Ctx, out: &mut Vec<Finding>) {
    let default = ctx.repo.config.policy.review_in;
    for rb in &ctx.repo.runbooks {
        if rb.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
            out.push(
                Finding::warning(
                    RuleId::RunbookReview,
                    rb.loc,
                    format!("runbook `{}` has no owner", rb.slug),
                )
                .with_help(
                    "add `owner:` to the front matter (a page without one starts with a `---` block, docs/data-format.md#runbooksmd): a team channel or person who keeps it right",
                ),
            );
        }
        match review_due(default, rb) {
            None => out.push(
                Finding::warning(
                    RuleId::RunbookReview,
                    rb.loc,
                    format!("runbook `{}` has never been reviewed", rb.slug),
                )
                .with_help("review it, then add `last_reviewed: DATE` to the front matter (a page without one starts with a `---` block)"),
            ),
            Some(due) if due < ctx.clock.today => out.push(
                Finding::warning(
                    RuleId::RunbookReview,
                    rb.last_reviewed_loc,
                    format!(
                        "runbook `{}` was due for review on {due} ({} ago)",
                        rb.slug,
                        crate::time::days((ctx.clock.today - due).num_days())
                    ),
                )
                .with_help("review it with its owner, then update `last_reviewed`"),
            ),
            Some(_) => {}
        }
    }
}

/// Links between runbooks that lead nowhere (`unknown-reference`). Each runbook is
/// parsed once (in parallel), and only what the checks need is kept of it: its heading
/// ids, and for each link to a heading of a runbook that exists, the target, the anchor
/// and where the link stands; a link to a page that does not exist is reported at once.
/// Runbooks are found through an index by slug and anchors by a binary search in each
/// page's sorted ids: linear in the number of pages and links. The pages' outlines
/// (heading texts, every link as written) are never all held at once: a link whose
/// anchor is missing is read again from its page's parse to quote it
/// (docs/performance.md, "Why it scales").
pub fn runbook_links(ctx: &Ctx, out: &mut Vec<Finding>) {
    let runbooks = &ctx.repo.runbooks;
    let by_slug: HashMap<&str, u32> = runbooks
        .iter()
        .enumerate()
        .map(|(i, rb)| (rb.slug.as_str(), i as u32))
        .collect();
    let linked: Vec<AtomicBool> = runbooks.iter().map(|_| AtomicBool::new(false)).collect();
    let (pages, unknown): (Vec<PageLinks>, Vec<Vec<Finding>>) = runbooks
        .par_iter()
        .enumerate()
        .map(|(i, rb)| {
            let mut found = Vec::new();
            let page = PageLinks::read(ctx, rb, &by_slug, &linked, i, &mut found);
            (page, found)
        })
        .unzip();
    out.extend(unknown.into_iter().flatten());
    // The anchored links, now that every page's ids are known.
    let anchor_findings: Vec<Vec<Finding>> = runbooks
        .par_iter()
        .zip(&pages)
        .map(|(rb, page)| {
            let broken: Vec<&AnchoredLink> = page
                .anchored
                .iter()
                .filter(|link| !pages[link.target as usize].has_id(page.anchor(link)))
                .collect();
            if broken.is_empty() {
                return Vec::new();
            }
            let links = markdown::outline(ctx.repo.body(rb)).links;
            let mut lines = LineCounter::new(&ctx.repo.sources.get(rb.file).text);
            broken
                .into_iter()
                .map(|link| {
                    let target = &pages[link.target as usize];
                    let dest = links.get(link.nth as usize).map_or("", |l| &*l.dest);
                    let message = format!(
                        "link to `{dest}`: runbook `{}` has no heading `#{}`",
                        runbooks[link.target as usize].slug,
                        page.anchor(link)
                    );
                    let help = format!(
                        "headings there: {}",
                        target
                            .ids
                            .lines()
                            .map(|id| format!("#{id}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    let offset = links.get(link.nth as usize).map_or(0, |l| l.offset);
                    Finding::error(
                        RuleId::UnknownReference,
                        link_loc(rb, &mut lines, offset),
                        message,
                    )
                    .with_help(help)
                })
                .collect()
        })
        .collect();
    drop(pages);
    out.extend(anchor_findings.into_iter().flatten());
    let linked: Vec<bool> = linked.into_iter().map(AtomicBool::into_inner).collect();
    // `runbook-linked` reads the same links: the pages are parsed once for both.
    super::alerting::runbook_linked(ctx, &linked, out);
}

/// What the link checks keep of one runbook's parse, in few allocations (a page's ids
/// side by side, its links' anchors side by side), so that the anchors checked across
/// 10,000 pages are found without a cache miss per heading.
struct PageLinks {
    /// Its heading ids, in order, each ended by a line break (a slug has none).
    ids: String,
    /// Where each id is in `ids`, in the order of the ids (for a binary search).
    sorted: Vec<(u32, u32)>,
    /// The anchors of `anchored`, side by side.
    anchors: String,
    /// Its links to a heading of a runbook (itself included), checked once every page's
    /// ids are known.
    anchored: Vec<AnchoredLink>,
}

/// A link to a heading of a runbook that exists.
struct AnchoredLink {
    /// The runbook it leads to.
    target: u32,
    /// Which of its page's links it is (in the order of the page).
    nth: u32,
    /// Where its anchor is in the page's `anchors`.
    anchor: (u32, u32),
}

impl PageLinks {
    /// Parses runbook `rb` (number `me`): marks the runbooks it links to other than
    /// itself in `linked`, and reports its links to runbooks that do not exist in `out`.
    fn read(
        ctx: &Ctx,
        rb: &Runbook,
        by_slug: &HashMap<&str, u32>,
        linked: &[AtomicBool],
        me: usize,
        out: &mut Vec<Finding>,
    ) -> PageLinks {
        let outline = markdown::outline(ctx.repo.body(rb));
        let mut anchored = Vec::new();
        let mut anchors = String::new();
        let mut lines: Option<LineCounter> = None;
        for (nth, link) in outline.links.iter().enumerate() {
            let Some((slug, anchor)) = markdown::runbook_target(rb.link_base(), &link.dest) else {
                continue;
            };
            match by_slug.get(slug.as_str()) {
                Some(&target) => {
                    if let Some(flag) = linked
                        .get(target as usize)
                        .filter(|_| target as usize != me)
                    {
                        flag.store(true, Ordering::Relaxed);
                    }
                    if let Some(anchor) = anchor {
                        let start = anchors.len();
                        anchors.push_str(anchor);
                        anchored.push(AnchoredLink {
                            target,
                            nth: u32::try_from(nth).unwrap_or(u32::MAX),
                            anchor: span(start, anchors.len()),
                        });
                    }
                }
                None => {
                    let lines = lines.get_or_insert_with(|| {
                        LineCounter::new(&ctx.repo.sources.get(rb.file).text)
                    });
                    out.push(
                        Finding::error(
                            RuleId::UnknownReference,
                            link_loc(rb, lines, link.offset),
                            format!("link to `{}`: there is no runbook `{slug}`", link.dest),
                        )
                        .with_help(
                            "links between runbooks are relative paths to .md files under runbooks/",
                        ),
                    );
                }
            }
        }
        anchored.shrink_to_fit();
        anchors.shrink_to_fit();
        let mut ids = String::with_capacity(outline.headings.iter().map(|h| h.id.len() + 1).sum());
        let mut sorted = Vec::with_capacity(outline.headings.len());
        for heading in &outline.headings {
            let start = ids.len();
            ids.push_str(&heading.id);
            sorted.push(span(start, ids.len()));
            ids.push('\n');
        }
        sorted.sort_unstable_by(|&a, &b| text_at(&ids, a).cmp(text_at(&ids, b)));
        PageLinks {
            ids,
            sorted,
            anchors,
            anchored,
        }
    }

    fn has_id(&self, id: &str) -> bool {
        self.sorted
            .binary_search_by(|&at| text_at(&self.ids, at).cmp(id))
            .is_ok()
    }

    fn anchor(&self, link: &AnchoredLink) -> &str {
        text_at(&self.anchors, link.anchor)
    }
}

/// A span of a page's text, as two offsets (a runbook is far below 4 GB: the loader's
/// size limit).
fn span(start: usize, end: usize) -> (u32, u32) {
    (
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    )
}

fn text_at(text: &str, (start, end): (u32, u32)) -> &str {
    text.get(start as usize..end as usize).unwrap_or_default()
}

/// Where the link at byte `offset` of `rb`'s body is in its file.
fn link_loc(rb: &Runbook, lines: &mut LineCounter, offset: usize) -> Loc {
    let (line, column) = lines.line_col(rb.body_start + offset);
    Loc {
        file: rb.file,
        line,
        column,
    }
}

/// Line and column of increasing byte offsets in one text, counted incrementally (a
/// page with many broken links is read once, not once per link).
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    line_start: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// 1-based line and column (in characters) of `byte`; offsets must not decrease.
    fn line_col(&mut self, byte: usize) -> (u32, u32) {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte >= self.offset {
            for (i, b) in self.text.as_bytes()[self.offset..byte].iter().enumerate() {
                if *b == b'\n' {
                    self.line += 1;
                    self.line_start = self.offset + i + 1;
                }
            }
            self.offset = byte;
        }
        let column = self.text[self.line_start..byte.max(self.line_start)]
            .chars()
            .count() as u32
            + 1;
        (self.line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::LineCounter;

    #[test]
    fn line_counter_agrees_with_counting_from_the_start() {
        let text = "ab\ncé\n\nxyz";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_col(0), (1, 1));
        assert_eq!(lines.line_col(4), (2, 2));
        assert_eq!(lines.line_col(7), (3, 1));
        assert_eq!(lines.line_col(10), (4, 3));
    }
}
