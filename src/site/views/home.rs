//! The home page: who is on call now in each rota, the next handover, and the health panel.

use super::*;

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

pub(super) fn home(cx: &SiteContext) -> Page {
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
pub(super) fn share_over(cx: &SiteContext, s: &Share) -> String {
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
