//! The home page: who is on call now in each rota, the next handover, and the health panel.

use super::*;
use crate::schedule::oncall;

/// A "now" card: who holds each position of `rota` at `at` (with their work handle and
/// any leave) and until when, the rota's duty edge and its escalation chain resolved to
/// names — in the words of [`crate::schedule::oncall`], which `rota now` prints and the site's
/// script recomputes.
pub fn rota_now(cx: &SiteContext, rota: &Rota, at: Instant) -> Option<Value> {
    let answer = oncall::rota_at(
        cx.model,
        cx.schedule,
        rota,
        at,
        Some(cx.upcoming_window.end),
    )?;
    let positions: Vec<Value> = answer
        .holders
        .iter()
        .map(|h| {
            // Who takes the position over at `until`, as `rota now` says it ("until
            // 10:00 GMT, then Bob Byrne"): for a rota off duty, who will be on.
            let next = h
                .then
                .as_ref()
                .and_then(|p| p.as_deref())
                .map(|id| json!({ "id": id, "name": cx.person_name(id) }));
            json!({
                "shadow": h.shadow,
                "name": h.position,
                "person": h.person.as_ref().map(|c| json!({ "id": c.id, "name": c.name, "handle": c.handle })),
                "leave": h.person.as_ref().and_then(|c| c.leave_note()),
                "until": h.until.map(|u| json!({ "iso": time::rfc3339(u), "text": oncall::moment(cx.tz, at, u) })),
                "next": next,
            })
        })
        .collect();
    let escalation: Vec<String> = answer.escalation.iter().map(|s| s.text()).collect();
    Some(json!({
        "id": rota.id,
        "name": rota.name,
        "kind": rota.kind.as_str(),
        "on_duty": answer.on_duty,
        "duty": answer.duty_sentence(),
        "positions": positions,
        "escalation": escalation,
    }))
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

pub(super) fn home(cx: &SiteContext) -> Page {
    let repo = &cx.model.repo;
    let mut p = page(cx, "index.html".into(), "index.html", "On call now", "home");
    let now = cx.clock.now;
    let mut rotas: Vec<Value> = repo
        .rotas
        .iter()
        .filter_map(|r| rota_now(cx, r, now))
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
    p.context.insert("data", cx.now_data());
    p.context.insert(
        "at_value",
        &now.with_timezone(&cx.tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    );
    p.context.insert("zone_label", &zone_label(cx.tz, now));
    p.context
        .insert("published_until", &cx.when(cx.upcoming_window.end));
    p
}

/// Errors and warnings, shares above the ideal, overdue runbooks, policy exceptions.
pub(super) fn health(cx: &SiteContext) -> Value {
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

pub(super) fn describe_policy(rota: &Rota) -> String {
    let p = &rota.policy;
    let mut parts = Vec::new();
    if let Some(n) = p.min_people {
        parts.push(format!("at least {n} people"));
    }
    if let Some(n) = p.ideal_people {
        parts.push(format!("ideally {n} people"));
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
    if let Some(n) = p.experienced_after {
        parts.push(format!("experienced after {n} turns"));
    }
    if let Some(n) = p.max_consecutive_turns {
        parts.push(format!("at most {n} turns in a row"));
    }
    if let Some(d) = p.review_in {
        parts.push(format!("runbooks reviewed every {d}"));
    }
    if let Some(n) = p.holiday_spread {
        parts.push(format!("holiday counts within {n}"));
    }
    if let Some(n) = p.weekend_spread {
        parts.push(format!("weekend counts within {n}"));
    }
    if let Some(d) = p.fairness_window {
        parts.push(format!("fairness over {d}"));
    }
    if parts.is_empty() {
        parts.push("its own policy".into());
    }
    parts.join(", ")
}

/// What a share measures, in words: `of the duty time of Out of hours alone` or
/// `of the duty time of all their rotas together (In hours, Out of hours)`, then the hours
/// and the window: `764 h on call of 2249 h on duty, Wed 6 Jan 2027 to Wed 21 Jul 2027`.
pub(super) fn share_over(cx: &SiteContext, s: &Share) -> String {
    let name = |r: &String| cx.model.rota(r).map_or(r.clone(), |x| x.name.clone());
    let measure = match &s.of {
        Some(r) => format!("of the duty time of {} alone", name(r)),
        None => format!(
            "of the duty time of all their rotas together ({})",
            s.rotas.iter().map(name).collect::<Vec<_>>().join(", ")
        ),
    };
    format!(
        "{measure}: {} h on call of {} h on duty, {} to {}",
        hours(s.on_call),
        hours(s.duty),
        day(time::local_date(cx.tz, s.window.start)),
        day(time::local_date(cx.tz, s.window.end))
    )
}

/// `Europe/London (GMT/BST)`: a zone with the abbreviations it uses over the next year,
/// for the moment picker's label.
pub(super) fn zone_label(tz: Tz, from: Instant) -> String {
    format!("{} ({})", tz.name(), zone_abbreviations(tz, from))
}

/// `GMT/BST`: the abbreviations a zone uses over the year from `from`, for a wall-clock
/// time that holds in every season (a handover time).
pub(super) fn zone_abbreviations(tz: Tz, from: Instant) -> String {
    let mut names: Vec<String> = Vec::new();
    for week in 0..53 {
        let t = from + chrono::TimeDelta::weeks(week);
        let abbr = t.with_timezone(&tz).format("%Z").to_string();
        if !names.contains(&abbr) {
            names.push(abbr);
        }
    }
    names.join("/")
}
