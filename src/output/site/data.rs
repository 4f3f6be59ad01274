//! The site's machine-readable files: the shift data the home page embeds (so the
//! browser can answer "who is on call" at any moment), `api/oncall.json`, the search
//! index and `sitemap.xml`.

use super::runbook::RenderedRunbook;
use super::views::SiteContext;
use crate::model::Model;
use crate::model::{EscalationTarget, Runbook};
use crate::schedule::interval::{self, Interval};
use crate::schedule::{RotaSchedule, Segment};
use crate::time::{self, Instant};
use chrono::{Offset, TimeDelta, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

fn ms(t: Instant) -> i64 {
    t.timestamp_millis()
}

/// JSON that can sit inside a `<script>` element: `<`, `>` and `&` are written as
/// `\u` escapes, so no value can close the element.
pub fn script_json(value: &impl Serialize) -> String {
    script_safe(serde_json::to_string(value).unwrap_or_else(|_| "null".into()))
}

/// JSON text made safe inside a `<script>` element (see [`script_json`]).
fn script_safe(text: String) -> String {
    const UNSAFE: [char; 5] = ['<', '>', '&', '\u{2028}', '\u{2029}'];
    if !text.contains(UNSAFE) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for (at, c) in text.match_indices(UNSAFE) {
        out.push_str(&text[last..at]);
        out.push_str(match c {
            "<" => "\\u003c",
            ">" => "\\u003e",
            "&" => "\\u0026",
            "\u{2028}" => "\\u2028",
            _ => "\\u2029",
        });
        last = at + c.len();
    }
    out.push_str(&text[last..]);
    out
}

/// One run of a position held by one person (or nobody): `[start, end, person|null]`.
type Hold<'a> = (i64, i64, Option<&'a str>);

/// Consecutive segments held by the same person, joined: `[start, end, person|null]`.
fn holds(segments: &[Segment], window: Interval) -> Vec<Hold<'_>> {
    let mut out: Vec<(Instant, Instant, Option<&str>)> = Vec::new();
    for s in segments {
        let person = s.person.as_deref();
        match out.last_mut() {
            Some(last) if last.1 == s.start && last.2 == person => last.1 = s.end,
            _ => out.push((s.start, s.end, person)),
        }
    }
    out.into_iter()
        .filter(|(start, end, _)| *start < window.end && *end > window.start)
        .map(|(start, end, person)| (ms(start), ms(end), person))
        .collect()
}

/// UTC offset changes of `tz` within `span`: `[[from_ms, offset_minutes, abbreviation],
/// …]`, the first entry at `span.start`. The abbreviation (`GMT`, `BST`, `CET`; chrono-tz's
/// `%Z`, an offset such as `+03` where the zone has none) lets the browser write every
/// time with its zone.
pub fn offsets(tz: Tz, span: Interval) -> Vec<Value> {
    let offset = |t: Instant| {
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    };
    let abbr = |t: Instant| t.with_timezone(&tz).format("%Z").to_string();
    let mut out = vec![json!([
        ms(span.start),
        offset(span.start),
        abbr(span.start)
    ])];
    // Whole minutes since the epoch: offsets change on a whole minute.
    let minute = |m: i64| Instant::from_timestamp(m * 60, 0).unwrap_or(span.start);
    let mut t = span.start.timestamp().div_euclid(60);
    let end = span.end.timestamp().div_euclid(60);
    while t < end {
        let next = t + 12 * 60;
        if offset(minute(next)) != offset(minute(t)) {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(minute(mid)) == offset(minute(lo)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(json!([hi * 60_000, offset(minute(hi)), abbr(minute(hi))]));
        }
        t = next;
    }
    out
}

/// One rota as the page's script sees it (its keys in name order, as they always were).
#[derive(Serialize)]
struct RotaData<'a> {
    active_end: Option<i64>,
    /// The positions a block in force names, by turn: `[start, end, [names]]`.
    blocks: Vec<(i64, i64, Vec<&'a str>)>,
    duty: Vec<[i64; 2]>,
    /// Each step: `[minutes, "position"|"rota"|"person", name or id]`.
    escalation: Vec<(i64, &'static str, &'a str)>,
    handback: BTreeMap<String, Vec<(&'a str, i64)>>,
    handoff: BTreeMap<String, Vec<&'a str>>,
    id: &'a str,
    kind: Option<&'static str>,
    name: &'a str,
    positions: Vec<PositionData<'a>>,
    timezone: &'static str,
}

#[derive(Serialize)]
struct PositionData<'a> {
    holds: Vec<Hold<'a>>,
    name: &'a str,
    shadow: bool,
}

/// One rota as the page's script sees it: its duty hours, its positions' holds, its
/// escalation chain, and who takes over at each of its duty edges.
fn rota_data<'a>(cx: &SiteContext<'a>, rs: &'a RotaSchedule, window: Interval) -> RotaData<'a> {
    let rota = cx.rota(&rs.rota);
    let name = rota.map_or(rs.rota.as_str(), |r| r.name.as_str());
    let kind = rota.map(|r| r.kind.as_str());
    let timezone = rota.map_or(cx.tz, |r| r.timezone);
    let windows = interval::clip(&rs.duty, window);
    let duty = windows.iter().map(|d| [ms(d.start), ms(d.end)]).collect();
    let active_end = rs.active.map(|a| ms(a.end));
    // At the end of each duty window, the rotas whose duty starts then ("then X takes
    // over"); at the start of each, the rotas whose window ends then, with that window's
    // start ("X until then" while it is in force).
    let rota_name = |id: &'a str| cx.rota(id).map_or(id, |r| r.name.as_str());
    let mut handoff: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut handback: BTreeMap<String, Vec<(&str, i64)>> = BTreeMap::new();
    for d in &windows {
        let starting: Vec<&str> = cx
            .duty_starts
            .get(&d.end)
            .into_iter()
            .flatten()
            .filter(|id| **id != rs.rota)
            .map(|id| rota_name(id))
            .collect();
        if !starting.is_empty() {
            handoff.insert(ms(d.end).to_string(), starting);
        }
        let ending: Vec<(&str, i64)> = cx
            .duty_ends
            .get(&d.start)
            .into_iter()
            .flatten()
            .filter(|(id, _)| *id != rs.rota)
            .map(|(id, since)| (rota_name(id), ms(*since)))
            .collect();
        if !ending.is_empty() {
            handback.insert(ms(d.start).to_string(), ending);
        }
    }
    let positions = rs
        .positions
        .iter()
        .map(|p| PositionData {
            holds: holds(&p.segments, window),
            name: &p.name,
            shadow: p.shadow,
        })
        .collect();
    let escalation = rota
        .and_then(|r| r.escalation.as_ref())
        .into_iter()
        .flatten()
        .map(|step| {
            let (kind, target) = match &step.notify {
                EscalationTarget::Position(p) => ("position", p),
                EscalationTarget::Rota(r) => ("rota", r),
                EscalationTarget::Person(p) => ("person", p),
            };
            (step.after.approx_minutes(), kind, target.as_str())
        })
        .collect();
    // So the script lists the same positions as `rota now` does.
    let blocks = rota
        .map(|r| {
            let mut out: Vec<(Instant, Instant, usize)> = Vec::new();
            for t in rs
                .turns
                .iter()
                .filter(|t| t.end > window.start && t.start < window.end)
            {
                match out.last_mut() {
                    Some(last) if last.2 == t.block && last.1 == t.start => last.1 = t.end,
                    _ => out.push((t.start, t.end, t.block)),
                }
            }
            out.into_iter()
                .map(|(start, end, b)| {
                    let names: Vec<&str> = r.blocks[b]
                        .positions
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect();
                    (ms(start), ms(end), names)
                })
                .collect()
        })
        .unwrap_or_default();
    RotaData {
        active_end,
        blocks,
        duty,
        escalation,
        handback,
        handoff,
        id: &rs.rota,
        kind,
        name,
        positions,
        timezone: timezone.name(),
    }
}

/// The data the home and rota pages' script answers from: every rota's holds and duty
/// hours from two weeks back to the horizon, the zones' UTC offsets, people's names and
/// handles, leave that matters to who is called, and the runbooks due for review. Made
/// once per build (see [`SiteContext::now_data`]): the home page embeds it and
/// `assets/now-data.js` carries it for every other page.
pub fn now_data(cx: &SiteContext) -> String {
    let repo = &cx.model.repo;
    let from = cx.clock.now - TimeDelta::days(14);
    let window = Interval::new(from, cx.upcoming_window.end);
    let rotas: Vec<RotaData> = repo
        .rotas
        .iter()
        .filter_map(|r| cx.rota_schedule(&r.id))
        .map(|rs| rota_data(cx, rs, window))
        .collect();
    // Names and work handles: [name, handle|null]. Never contact details.
    let people: BTreeMap<&str, (&str, Option<&str>)> = repo
        .people
        .iter()
        .map(|p| (p.id.as_str(), (p.name.as_str(), p.handle.as_deref())))
        .collect();
    // Leave that matters to who is called: entries of people who hold a position or are
    // an escalation step, overlapping the window — dates only, as [start, end, last day].
    let called: BTreeSet<&str> = repo
        .rotas
        .iter()
        .flat_map(|r| {
            let mut ids: Vec<&str> = r.members().into_iter().map(|m| m.id.as_str()).collect();
            ids.extend(
                r.overrides
                    .iter()
                    .filter_map(|o| o.person.as_ref())
                    .map(|p| p.id.as_str()),
            );
            ids.extend(
                r.escalation
                    .iter()
                    .flatten()
                    .filter_map(|s| match &s.notify {
                        EscalationTarget::Person(p) => Some(p.as_str()),
                        _ => None,
                    }),
            );
            ids
        })
        .collect();
    let mut leave: BTreeMap<&str, Vec<(i64, i64, String)>> = BTreeMap::new();
    for l in &repo.leave {
        let span = Interval::new(
            time::start_of_day(cx.tz, l.from),
            time::start_of_day(cx.tz, l.to + chrono::Days::new(1)),
        );
        if called.contains(l.person.id.as_str()) && span.overlaps(&window) {
            leave.entry(l.person.id.as_str()).or_default().push((
                ms(span.start),
                ms(span.end),
                crate::schedule::oncall::day_text(l.to),
            ));
        }
    }
    let zones_span = Interval::new(
        window.start,
        cx.schedule.window.end.max(window.end) + TimeDelta::days(400),
    );
    let mut zones: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    zones.insert(cx.tz.name(), offsets(cx.tz, zones_span));
    for r in &repo.rotas {
        zones
            .entry(r.timezone.name())
            .or_insert_with(|| offsets(r.timezone, zones_span));
    }
    // The home page's runbooks overdue for review, recomputed for the organisation's date:
    // every runbook due before the horizon, [slug, title, due, owner].
    let last = time::local_date(cx.tz, window.end);
    let reviews: Vec<Review> = repo
        .runbooks
        .iter()
        .filter_map(|rb| {
            let due = crate::rules::catalogue::review_due(repo.config.policy.review_in, rb)?;
            (due <= last).then(|| {
                (
                    rb.slug.as_str(),
                    rb.title.as_str(),
                    due.to_string(),
                    rb.owner.as_deref(),
                )
            })
        })
        .collect();
    /// A runbook due for review: `[slug, title, due, owner|null]`.
    type Review<'a> = (&'a str, &'a str, String, Option<&'a str>);
    /// The keys in name order, as they always were.
    #[derive(Serialize)]
    struct NowData<'a> {
        built: i64,
        end: i64,
        from: i64,
        leave: BTreeMap<&'a str, Vec<(i64, i64, String)>>,
        offsets: Option<&'a Vec<Value>>,
        people: BTreeMap<&'a str, (&'a str, Option<&'a str>)>,
        reviews: Vec<Review<'a>>,
        root: &'static str,
        rotas: Vec<RotaData<'a>>,
        timezone: &'static str,
        to: i64,
        zones: &'a BTreeMap<&'a str, Vec<Value>>,
    }
    script_json(&NowData {
        built: ms(cx.clock.now),
        end: ms(cx.schedule.window.end),
        from: ms(window.start),
        leave,
        offsets: zones.get(cx.tz.name()),
        people,
        reviews,
        root: "",
        rotas,
        timezone: cx.tz.name(),
        to: ms(window.end),
        zones: &zones,
    })
}

/// `api/oncall.json`: every rota at build time — holders with handles, the escalation
/// chain, the duty edge — and the shifts from now to the horizon
/// (docs/site.md#chat-bots-and-status-pages-apioncalljson).
pub fn oncall_json(cx: &SiteContext) -> String {
    let doc = crate::schedule::oncall::api(
        cx.model,
        cx.schedule,
        cx.clock.now,
        cx.upcoming_window.end,
        &cx.upcoming,
    );
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// A runbook's entry in the search index, as script-safe JSON text (made inside each
/// runbook's page job, so the index is only joined at the end).
pub fn search_entry(rb: &Runbook, r: &RenderedRunbook) -> String {
    #[derive(Serialize)]
    struct Entry<'a> {
        title: &'a str,
        url: String,
        headings: Vec<(&'a str, &'a str)>,
        words: &'a str,
        /// The start of the text, quoted in results.
        text: &'a str,
        owner: Option<&'a str>,
    }
    script_json(&Entry {
        title: &rb.title,
        url: format!("runbooks/{}.html", rb.slug),
        headings: r
            .toc
            .iter()
            .map(|h| (h.text.as_str(), h.id.as_str()))
            .collect(),
        words: r.words.trim_end(),
        text: &r.excerpt,
        owner: rb.owner.as_deref(),
    })
}

/// `assets/search-index.js`: runbooks (titles, headings, words and the start of their
/// text), alerts, rotas, people (name and work handle only: docs/security.md) and
/// services, as one JSON value assigned to `window.rotaSearchIndex` (a script, so search
/// works from `file://`). Each entry is bounded, so the index grows linearly with the
/// repository. This is the other collections as one script-safe JSON object; the
/// runbooks' entries ([`search_entry`]) are written between [`SEARCH_INDEX_HEAD`] and
/// [`search_index_tail`] of it.
pub fn search_index_rest(cx: &SiteContext) -> String {
    #[derive(Serialize)]
    struct AlertEntry<'a> {
        id: &'a str,
        /// The alerting rule's name, when it was read from one.
        name: Option<&'a str>,
        summary: &'a str,
        severity: &'a str,
        service: Option<&'a str>,
        rotas: Vec<&'a str>,
        url: String,
    }
    #[derive(Serialize)]
    struct RotaEntry<'a> {
        id: &'a str,
        name: &'a str,
        kind: &'a str,
        text: &'a str,
        url: String,
    }
    #[derive(Serialize)]
    struct PersonEntry<'a> {
        id: &'a str,
        name: &'a str,
        handle: Option<&'a str>,
        rotas: Vec<&'a str>,
        url: String,
    }
    #[derive(Serialize)]
    struct ServiceEntry<'a> {
        id: &'a str,
        name: &'a str,
        text: String,
        url: String,
    }
    let repo = &cx.model.repo;
    let alerts: Vec<AlertEntry> = repo
        .alerts
        .iter()
        .map(|a| AlertEntry {
            id: &a.id,
            name: a.rule.as_ref().map(|r| r.name.as_str()),
            summary: &a.summary,
            severity: a.severity.as_str(),
            service: a.service.as_ref().map(|s| {
                cx.service_names
                    .get(s.id.as_str())
                    .copied()
                    .unwrap_or(&s.id)
            }),
            rotas: a
                .pages
                .iter()
                .map(|r| cx.rota(&r.id).map_or(r.id.as_str(), |x| x.name.as_str()))
                .collect(),
            url: format!("alerts.html#{}", a.id),
        })
        .collect();
    let rotas: Vec<RotaEntry> = repo
        .rotas
        .iter()
        .map(|r| RotaEntry {
            id: &r.id,
            name: &r.name,
            kind: r.kind.as_str(),
            text: &r.description,
            url: format!("rotas/{}.html", r.id),
        })
        .collect();
    let people: Vec<PersonEntry> = repo
        .people
        .iter()
        .map(|p| PersonEntry {
            id: &p.id,
            name: &p.name,
            handle: p.handle.as_deref(),
            rotas: cx
                .rotas_of_person
                .get(p.id.as_str())
                .map(|rs| rs.iter().map(|r| r.name.as_str()).collect())
                .unwrap_or_default(),
            url: format!("people/{}.html", p.id),
        })
        .collect();
    let services: Vec<ServiceEntry> = repo
        .services
        .iter()
        .map(|s| ServiceEntry {
            id: &s.id,
            name: &s.name,
            text: s.impact.join(" "),
            url: format!("alerts.html?service={}", s.id),
        })
        .collect();
    // Typed, not a `json!` value: 100,000 alerts as a tree of JSON values cost more
    // than everything else the build holds.
    #[derive(Serialize)]
    struct Rest<'a> {
        alerts: Vec<AlertEntry<'a>>,
        people: Vec<PersonEntry<'a>>,
        rotas: Vec<RotaEntry<'a>>,
        services: Vec<ServiceEntry<'a>>,
    }
    script_json(&Rest {
        alerts,
        people,
        rotas,
        services,
    })
}

/// How `assets/search-index.js` starts: the runbooks' entries follow, separated by commas.
pub const SEARCH_INDEX_HEAD: &str = "window.rotaSearchIndex = {\"runbooks\":[";

/// How `assets/search-index.js` ends after the runbooks' entries: the other collections
/// (`rest`, the JSON object of [`search_index_rest`]) without its opening brace.
pub fn search_index_tail(rest: &str) -> String {
    format!("],{};\n", rest.strip_prefix('{').unwrap_or(rest))
}

/// `assets/now-data.js`: the shift data the home page embeds ([`now_data`]), for the
/// pages that say who holds a rota now outside the home page (rota and runbook pages
/// and the alert catalogue): one file, loaded by those pages, so the data is written
/// once however many pages use it.
pub fn now_script(data: &str) -> String {
    format!("window.rotaNowData = {data};\n")
}

/// `sitemap.xml`: every page but the 404, under `base_url`.
pub fn sitemap<'a>(model: &Model, paths: impl Iterator<Item = &'a String>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths.filter(|p| p.ends_with(".html") && p.as_str() != "404.html") {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::encode::html(&crate::output::feeds::site_url(model, path))
        ));
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn script_json_cannot_close_the_element() {
        let v = json!({ "name": "</script><script>alert(1)</script> & co" });
        let text = script_json(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn london_offsets_change_at_one_in_the_morning_utc() {
        // Clocks go back on Sun 25 Oct 2026 at 01:00 UTC and forward on Sun 28 Mar
        // 2027 at 01:00 UTC.
        let span = Interval::new(
            Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 4, 30, 0, 0, 0).unwrap(),
        );
        let got = offsets(chrono_tz::Europe::London, span);
        let back = Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap();
        let forward = Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap();
        assert_eq!(
            got,
            vec![
                json!([ms(span.start), 60, "BST"]),
                json!([ms(back), 0, "GMT"]),
                json!([ms(forward), 60, "BST"])
            ]
        );
    }
}
