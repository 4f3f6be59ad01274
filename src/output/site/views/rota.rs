//! A rota page: its escalation chain, its members and its turns month by month.

use super::*;

/// The escalation chain as the rota page lists it, each step with who it reaches at
/// build time (`(now NAME)`, or `(off duty)` for a rota off duty); the site's script
/// recomputes these for the moment shown.
pub(super) fn escalation(cx: &SiteContext, rota: &Rota) -> Vec<Value> {
    let answer = crate::schedule::oncall::rota_at(cx.model, cx.schedule, rota, cx.clock.now, None);
    rota.escalation
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, step)| {
            let minutes = step.after.approx_minutes();
            let reached = answer.as_ref().and_then(|a| a.escalation.get(i));
            let now = reached
                .and_then(|s| s.person.as_ref())
                .map(|c| cx.person_ref(&c.id));
            let off_duty =
                reached.is_some_and(|s| s.person.is_none() && s.target.ends_with("(off duty)"));
            let target = match &step.notify {
                EscalationTarget::Position(p) => json!({ "kind": "position", "name": p }),
                EscalationTarget::Rota(r) => match cx.rota(r) {
                    Some(x) => json!({ "kind": "rota", "id": x.id, "name": x.name }),
                    None => json!({ "kind": "text", "name": format!("rota {r}") }),
                },
                EscalationTarget::Person(p) => match cx.model.person(p) {
                    Some(x) => json!({ "kind": "person", "id": x.id, "name": x.name }),
                    None => json!({ "kind": "text", "name": format!("person {p}") }),
                },
            };
            json!({ "minutes": minutes, "target": target, "now": now, "off_duty": off_duty })
        })
        .collect()
}

/// One month of a rota page's calendar: the turns that start in it.
#[derive(Serialize)]
pub(super) struct Month<'a> {
    /// `December 2026`
    label: String,
    turns: Vec<TurnView<'a>>,
    /// The first month folded under "Later turns" (see [`TURNS_SHOWN`]).
    opens_later: bool,
}

/// Months whose turns start after this many upcoming turns are folded under "Later
/// turns", so the page answers "who is on next" at a glance on a phone.
const TURNS_SHOWN: usize = 5;

#[derive(Serialize)]
pub(super) struct TurnView<'a> {
    start: When,
    end: When,
    /// `30 Dec – 6 Jan` when the turn starts and ends at the rota's handover time, else
    /// with the times: `Wed 30 Dec, 10:00 – Thu 31 Dec, 18:00`.
    label: String,
    current: bool,
    holders: Vec<Holder<'a>>,
    /// The listed holidays in the turn, each with its name (`Mon 28 Dec 2026 Boxing Day`).
    holidays: Vec<String>,
}

/// Who holds a position in (part of) a turn.
#[derive(Serialize)]
pub(super) struct Holder<'a> {
    position: &'a str,
    shadow: bool,
    person: Option<PersonRef<'a>>,
    /// `FROM to TO` when they hold only part of the turn.
    partial: Option<String>,
    /// Why an override put them there.
    reason: Option<&'a str>,
}

/// Upcoming turns of `rota`, one line each, grouped by the month (in the rota's zone)
/// their start falls in.
pub(super) fn calendar<'a>(
    cx: &'a SiteContext,
    rota: &'a Rota,
    rs: &'a RotaSchedule,
) -> Vec<Month<'a>> {
    let tz = rota.timezone;
    let now = cx.clock.now;
    let handover = rota.blocks.last().map(|b| b.handover.to_string());
    let at_handover = |t: Instant| {
        let l = t.with_timezone(&tz);
        handover.as_deref() == Some(format!("{:02}:{:02}", l.hour(), l.minute()).as_str())
    };
    let first = rs
        .turn_at(now)
        .unwrap_or_else(|| rs.turns.partition_point(|t| t.end <= now));
    let mut months: Vec<(NaiveDate, Vec<TurnView>)> = Vec::new();
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
        let month = local.with_day(1).unwrap_or(local);
        let label = if at_handover(turn.start) && at_handover(turn.end) {
            format!(
                "{} – {}",
                day_month(time::local_date(tz, turn.start)),
                day_month(time::local_date(tz, turn.end))
            )
        } else {
            format!(
                "{} – {}",
                short_when(tz, turn.start),
                short_when(tz, turn.end)
            )
        };
        let entry = TurnView {
            start: cx.when(turn.start),
            end: cx.when(turn.end),
            label,
            current: span.contains(now),
            holders,
            holidays: crate::output::feeds::holidays_in_turn(cx.model, rota, turn.start, turn.end),
        };
        match months.last_mut() {
            Some((m, turns)) if *m == month => turns.push(entry),
            _ => months.push((month, vec![entry])),
        }
    }
    let mut before = 0;
    let mut folded = false;
    months
        .into_iter()
        .map(|(month, turns)| {
            let opens_later = !folded && before >= TURNS_SHOWN;
            folded |= opens_later;
            before += turns.len();
            Month {
                label: month.format("%B %Y").to_string(),
                turns,
                opens_later,
            }
        })
        .collect()
}

/// `30 Dec`
fn day_month(date: NaiveDate) -> String {
    format!("{} {}", date.day(), time::month_abbr(date.month()))
}

pub(super) fn rota_page(cx: &SiteContext, rota: &Rota) -> Page {
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
                .map(|s| json!({ "percent": s.percent(), "on_call": hours(s.on_call), "duty": hours(s.duty) }));
            // The positions they are in (in the current block), for the members table.
            let in_positions: Vec<&str> = rota
                .blocks
                .last()
                .map(|b| {
                    b.positions
                        .iter()
                        .filter(|pos| b.members_of(pos).iter().any(|x| x.id == m.id))
                        .map(|pos| pos.name.as_str())
                        .collect()
                })
                .unwrap_or_default();
            let all = positions.len() > 1 && in_positions.len() == positions.len();
            json!({ "person": cx.person_ref(&m.id), "share": share,
                    "positions": in_positions, "all_positions": all })
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
    // A wall-clock time that holds in every season: `10:00 GMT/BST`.
    let handover = rota.blocks.last().map(|b| {
        format!(
            "{} {}",
            b.handover,
            zone_abbreviations(rota.timezone, cx.clock.now)
        )
    });
    let feed = format!("calendars/rotas/{}.ics", rota.id);
    p.context.insert(
        "rota",
        &json!({
            "id": rota.id,
            "name": rota.name,
            "description": rota.description,
            "kind": rota.kind.as_str(),
            "timezone": rota.timezone.name(),
            "hours": crate::output::feeds::describe_hours(rota),
            "every": every,
            "handover": handover,
            "policy": (!rota.policy.is_empty()).then(|| describe_policy(rota)),
        }),
    );
    // With a few positions, a turn's line names the holders in position order (the
    // positions said once above the list, and to screen readers on every line).
    p.context.insert("compact_turns", &(positions.len() <= 3));
    p.context.insert("positions", &positions);
    p.context.insert("escalation", &escalation(cx, rota));
    p.context
        .insert("now_card", &rota_now(cx, rota, cx.clock.now));
    // The shift data the page's script answers from: the site's one copy
    // (`assets/now-data.js`), not a copy per page.
    p.context.insert("live", &rs.is_some());
    let months = rs.map(|rs| calendar(cx, rota, rs)).unwrap_or_default();
    let later_turns: usize = months
        .iter()
        .skip_while(|m| !m.opens_later)
        .map(|m| m.turns.len())
        .sum();
    p.context.insert("months", &months);
    p.context.insert("later_turns", &later_turns);
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
        &webcal(&crate::output::feeds::site_url(cx.model, &feed)),
    );
    p.context.insert("secret_feeds", &cx.secret_feeds);
    p
}
