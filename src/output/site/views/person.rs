//! A person page (their turns, leave, shares and feed) and the people index.

use super::*;

#[derive(Serialize)]
pub(super) struct LeaveView {
    from: String,
    to: String,
    shifts: Vec<String>,
}

pub(super) fn person_page(cx: &SiteContext, person: &Person) -> Page {
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
                "holidays": rota.map(|r| crate::output::feeds::holidays_in_turn(cx.model, r, s.start, s.end)).unwrap_or_default(),
            })
        })
        .collect();
    let rotas: Vec<Value> = cx
        .rotas_of_person
        .get(person.id.as_str())
        .map(|v| v.iter().map(|r| rota_ref(r)).collect())
        .unwrap_or_default();
    // The escalation steps that page them by name, whether or not they are a member.
    let escalations: Vec<Value> = cx
        .escalations_of_person
        .get(person.id.as_str())
        .into_iter()
        .flatten()
        .map(|(r, minutes)| json!({ "rota": rota_ref(r), "minutes": minutes }))
        .collect();
    // The share `check` and `report` count (the highest), with its measure, then their
    // share of each rota alone (as each rota's page shows it).
    let share = cx
        .shares
        .get(&person.id)
        .map(|s| json!({ "percent": s.percent(), "over": share_over(cx, s), "of": s.of_label() }));
    let rota_shares: Vec<Value> = cx
        .rotas_of_person
        .get(person.id.as_str())
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let s = cx.rota_shares.get(&(r.id.as_str(), person.id.as_str()))?;
            Some(json!({ "rota": rota_ref(r), "percent": s.percent(),
                         "on_call": hours(s.on_call), "duty": hours(s.duty) }))
        })
        .collect();
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
            Some(
                json!({ "href": rel, "webcal": webcal(&crate::output::feeds::site_url(cx.model, &rel)) }),
            )
        }
        _ => None,
    };
    p.context.insert(
        "person",
        &json!({ "id": person.id, "name": person.name, "roles": person.roles, "handle": person.handle }),
    );
    p.context.insert("rotas", &rotas);
    p.context.insert("escalations", &escalations);
    p.context
        .insert("published_until", &cx.when(cx.upcoming_window.end));
    p.context.insert("shifts", &shifts);
    p.context.insert("share", &share);
    p.context.insert("rota_shares", &rota_shares);
    // Bank-holiday and weekend duty days on each out-of-hours rota (holiday-fairness).
    let holiday_days: Vec<Value> = cx
        .rotas_of_person
        .get(person.id.as_str())
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let c = cx.holiday_counts.get(&(r.id.as_str(), person.id.clone()))?;
            Some(json!({
                "rota": rota_ref(r),
                "holidays_before": c.before.holidays, "holidays_ahead": c.ahead.holidays,
                "weekends_before": c.before.weekends, "weekends_ahead": c.ahead.weekends,
            }))
        })
        .collect();
    p.context.insert("holiday_days", &holiday_days);
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

pub(super) fn people_page(cx: &SiteContext) -> Page {
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
                "share": cx.shares.get(&person.id).map(|s| json!({
                    "percent": s.percent(),
                    "of": s.of_label(),
                    "measure": match &s.of {
                        Some(r) => format!("of {} alone", cx.model.rota(r).map_or(r.as_str(), |x| x.name.as_str())),
                        None => "of all their rotas together".to_string(),
                    },
                })),
            })
        })
        .collect();
    p.context.insert("people", &people);
    p
}
