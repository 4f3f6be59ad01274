//! `holidays-listed`: the listed holidays reach the end of the check window; and
//! `holiday-overnight`: a weekday window that runs past midnight, which a `holiday`
//! day would cut, leaving the next morning uncovered (docs/rules.md).

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::model::{DaySelector, DutyHours, DutyWindow, Rota};
use crate::source::Sources;
use crate::time::LocalTime;
use chrono::{Datelike, Weekday};

pub const HOLIDAYS_LISTED: Rule = Rule {
    id: RuleId::HolidaysListed,
    explanation: "What it checks: when a rota uses `holiday` in its hours and `holidays:` in rota/config.yaml lists some dates, that the list reaches into the year the check window ends in (the window runs from today for `horizon` or `policy.plan_ahead`, whichever is longer). An empty list is taken as a team that keeps no holidays.

Why: a `holiday` window matches only the dates listed. When next year's holidays are missing, New Year's Day and the rest are ordinary weekdays to rota: the out-of-hours rota is off duty and the in-hours rota on duty, and no rule can see it because nothing looks wrong in the schedule.

Example: on 2027-12-01 with a 13-week horizon the window ends in March 2028; holidays listed up to 2027-12-28 give this warning, naming 2028.

How to fix: add the missing year's holidays (`rota holidays import FILE.ics` reads the calendar a government or calendar app publishes), or lower the rule in `rules:` if the team really keeps none that year.",
    check: Some(holidays_listed),
};

pub const HOLIDAY_OVERNIGHT: Rule = Rule {
    id: RuleId::HolidayOvernight,
    explanation: "What it checks: each duty window on weekdays that runs past midnight (`to` at or before `from`, such as `18:00`–`09:00`), in a rota that uses `holiday` or when holidays are listed, for whether the morning after it is covered when its day is a holiday. It looks at the hours only, never at dates, so it finds the problem before any holiday comes into the check window.

Why: a weekday never matches a holiday date (docs/data-format.md, \"hours\"): on a holiday the weekday windows do not start at all and the `holiday` windows start instead. A `holiday` window that ends at `24:00` then leaves the part of the weekday window after midnight — the next morning — with nobody on duty, after every holiday on that weekday.

Example: `{ days: [mon, tue, wed, thu, fri], from: \"18:00\", to: \"09:00\" }` with `{ days: [sat, sun, holiday], from: \"00:00\", to: \"24:00\" }`: on Easter Monday the Monday night window is replaced by the holiday's, which ends at 24:00, so Tuesday 00:00–09:00 is uncovered.

How to fix: split the window at midnight — `18:00`–`24:00` on the same days plus `00:00`–`09:00` on the next days (`[tue, wed, thu, fri, sat]`), which still start after a holiday — or let the holiday's hours run on to the next morning, adding `{ days: [holiday], from: \"18:00\", to: \"09:00\" }` beside the all-day window.",
    check: Some(holiday_overnight),
};

fn uses_holiday(rota: &Rota) -> bool {
    windows(rota).any(|w| w.days.contains(&DaySelector::Holiday))
}

fn windows(rota: &Rota) -> impl Iterator<Item = &DutyWindow> {
    match &rota.hours {
        Some(DutyHours::Windows(w)) => w.iter(),
        _ => [].iter(),
    }
}

fn holidays_listed(ctx: &Ctx, out: &mut Vec<Finding>) {
    let config = &ctx.repo.config;
    let Some(last) = config.holidays.last() else {
        return;
    };
    let users: Vec<&str> = ctx
        .repo
        .rotas
        .iter()
        .filter(|r| uses_holiday(r))
        .map(|r| r.id.as_str())
        .collect();
    if users.is_empty() {
        return;
    }
    // The window's last day (it ends at the start of a day).
    let tz = config.timezone;
    let end = crate::time::local_date(tz, ctx.window_end)
        .pred_opt()
        .unwrap_or(ctx.clock.today);
    if last.year() >= end.year() {
        return;
    }
    let missing: Vec<String> = (last.year() + 1..=end.year())
        .map(|y| y.to_string())
        .collect();
    let years = missing.join(", ");
    let rotas = users
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let loc = config
        .holidays_loc
        .unwrap_or_else(|| Sources::file_start(config.loc.file));
    out.push(
        Finding::warning(
            RuleId::HolidaysListed,
            loc,
            format!(
                "holidays are listed up to {last}, but the check window runs to {end}: no {years} holidays are listed, so {rotas} (`holiday` in its hours) would treat them as ordinary days"
            ),
        )
        .with_help(format!(
            "add the {years} holidays to `holidays:` (`rota holidays import FILE.ics` reads a published calendar), e.g. `- {{ date: {}-01-01, name: New Year's Day }}`",
            missing[0]
        )),
    );
}

/// Minutes of the day from `from` to `to`, as half-open ranges within one day.
type Span = (u16, u16);

fn holiday_overnight(ctx: &Ctx, out: &mut Vec<Finding>) {
    let listed = !ctx.repo.config.holidays.is_empty();
    for rota in &ctx.repo.rotas {
        if !listed && !uses_holiday(rota) {
            continue;
        }
        let all: Vec<&DutyWindow> = windows(rota).collect();
        // After midnight following a holiday: the holiday's own windows that run past
        // midnight.
        let after_holiday: Vec<Span> = all
            .iter()
            .filter(|w| w.days.contains(&DaySelector::Holiday) && runs_overnight(w))
            .map(|w| (0, w.to.0))
            .collect();
        for w in &all {
            if !runs_overnight(w) {
                continue;
            }
            let cut: Vec<Weekday> = w
                .days
                .iter()
                .filter_map(|d| match d {
                    DaySelector::Day(day) => Some(*day),
                    DaySelector::Holiday => None,
                })
                .filter(|day| {
                    // The next day's own windows (an ordinary day) and the holiday's
                    // overnight windows: what runs in the morning after a holiday on `day`.
                    let next = day.succ();
                    let mut spans = after_holiday.clone();
                    spans.extend(
                        all.iter()
                            .filter(|x| x.days.contains(&DaySelector::Day(next)))
                            .map(|x| {
                                let end = if runs_overnight(x) {
                                    LocalTime::END_OF_DAY.0
                                } else {
                                    x.to.0
                                };
                                (x.from.0, end)
                            }),
                    );
                    covered_until(&spans) < w.to.0
                })
                .collect();
            let Some(first) = cut.first() else {
                continue;
            };
            let days = cut
                .iter()
                .map(|d| format!("{d}"))
                .collect::<Vec<_>>()
                .join(", ");
            let next = first.succ();
            let (from, to) = (w.from, w.to);
            let next_days = w
                .days
                .iter()
                .filter_map(|d| match d {
                    DaySelector::Day(day) => Some(format!("{}", day.succ()).to_lowercase()),
                    DaySelector::Holiday => None,
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.push(
                Finding::warning(
                    RuleId::HolidayOvernight,
                    w.loc,
                    format!(
                        "rota `{}`: the {from}–{to} window runs past midnight, so after a holiday on a {days} the next morning is uncovered (e.g. {next} 00:00–{to} after a holiday {first}): on a holiday this window does not start, and the `holiday` windows end by midnight",
                        rota.id
                    ),
                )
                .with_help(format!(
                    "the holiday is the cause: a weekday never matches a holiday, so the holiday's windows replace this one. Split it at midnight: `{from}`–`24:00` on these days plus `{{ days: [{next_days}], from: \"00:00\", to: \"{to}\" }}`, which still starts after a holiday; or let the holiday's hours run on to the next morning, adding `{{ days: [holiday], from: \"{from}\", to: \"{to}\" }}`"
                )),
            );
        }
    }
}

/// `to` at or before `from`, and not ending at midnight: the window runs into the next
/// day.
fn runs_overnight(w: &DutyWindow) -> bool {
    w.to <= w.from && w.to != LocalTime::MIDNIGHT && w.to != LocalTime::END_OF_DAY
}

/// How far from 00:00 the spans cover without a break (minutes).
fn covered_until(spans: &[Span]) -> u16 {
    let mut sorted = spans.to_vec();
    sorted.sort();
    let mut reach = 0;
    for (from, to) in sorted {
        if from > reach {
            break;
        }
        reach = reach.max(to);
    }
    reach
}
