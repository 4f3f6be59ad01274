//! Time off in lieu (TOIL) from the page log, exactly as docs/data-format.md#toil-precisely
//! says. Pure: reads the model, never a file or the clock.
//!
//! Only out-of-hours pages count: a page inside the duty hours of an in-hours rota the
//! paged person belongs to (or, if they belong to none, of any in-hours rota) earns
//! nothing. Pages to one person are grouped into claim windows `[t, t + 60 min)` opened
//! by a page; a window belongs to the month (in `config.timezone`) of its first page and
//! is worth 0.5 day if any of its pages woke the person, else 0.25 day, plus 0.25 day
//! for each started hour of work (the sum of `worked`) beyond the first hour.

use crate::model::Model;
use crate::model::{PageEntry, Rota, RotaKind};
use crate::schedule::hours::duty_intervals;
use crate::schedule::interval::Interval;
use crate::time::{self, Instant};
use chrono::{Datelike, TimeDelta};
use serde::Serialize;
use std::collections::BTreeMap;

/// TOIL earned in one month (also the JSON shape of `rota toil --format json`).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ToilReport {
    /// `YYYY-MM`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    pub month: String,
    /// Everyone with at least one claim window in the month, by person id.
    pub people: Vec<PersonToil>,
}

/// One person's TOIL in a month.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct PersonToil {
    pub person: String,
    /// Claim windows opened in the month.
    pub windows: usize,
    /// Days of TOIL earned (a multiple of 0.25).
    pub days: f64,
}

/// One claim window: the out-of-hours pages to one person in the hour after the first.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimWindow {
    pub person: String,
    /// The first page's time (the window is `[start, start + 60 min)`).
    pub start: Instant,
    /// The pages in the window, indices into `repo.pages`, in time order.
    pub pages: Vec<usize>,
    /// Did any page wake the person?
    pub woke: bool,
    /// Sum of `worked` over the window's pages, in minutes.
    pub worked_minutes: i64,
    /// What the window is worth, in quarter days.
    pub quarter_days: i64,
}

impl ClaimWindow {
    pub fn days(&self) -> f64 {
        self.quarter_days as f64 / 4.0
    }
}

/// How long a claim window stays open after its first page.
pub const CLAIM_WINDOW: TimeDelta = TimeDelta::minutes(60);

/// What a claim window is worth, in quarter days: 2 if woken, else 1, plus 1 for each
/// started hour of work beyond the first.
pub fn window_quarter_days(woke: bool, worked_minutes: i64) -> i64 {
    let base = if woke { 2 } else { 1 };
    let beyond_first_hour = (worked_minutes - 60).max(0);
    base + (beyond_first_hour + 59) / 60
}

/// TOIL per person for the claim windows that open in `month` of `year` (local to
/// `config.timezone`).
pub fn month(model: &Model, year: i32, month: u32) -> ToilReport {
    let mut people: BTreeMap<&str, (usize, i64)> = BTreeMap::new();
    let windows = claim_windows(model);
    for w in windows_in_month(model, &windows, year, month) {
        let entry = people.entry(w.person.as_str()).or_default();
        entry.0 += 1;
        entry.1 += w.quarter_days;
    }
    ToilReport {
        month: format!("{year:04}-{month:02}"),
        people: people
            .into_iter()
            .map(|(person, (windows, quarters))| PersonToil {
                person: person.to_string(),
                windows,
                days: quarters as f64 / 4.0,
            })
            .collect(),
    }
}

/// The windows of `windows` whose first page falls in `month` of `year` in
/// `config.timezone`.
pub fn windows_in_month<'a>(
    model: &Model,
    windows: &'a [ClaimWindow],
    year: i32,
    month: u32,
) -> impl Iterator<Item = &'a ClaimWindow> {
    let tz = model.repo.config.timezone;
    windows.iter().filter(move |w| {
        let date = time::local_date(tz, w.start);
        date.year() == year && date.month() == month
    })
}

/// Every claim window in the page log, by person id, then start.
pub fn claim_windows(model: &Model) -> Vec<ClaimWindow> {
    let duty = InHoursDuty::new(model);
    let pages = &model.repo.pages;
    // Out-of-hours pages per person, in time order (file order breaks ties).
    let mut by_person: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        if duty.is_out_of_hours(page) {
            by_person
                .entry(page.person.id.as_str())
                .or_default()
                .push(i);
        }
    }
    let mut out = Vec::new();
    for (person, mut indices) in by_person {
        indices.sort_by_key(|&i| pages[i].at);
        let mut current: Option<ClaimWindow> = None;
        for i in indices {
            let page = &pages[i];
            let worked = page.worked.fixed().map_or(0, |d| d.num_minutes());
            match current.as_mut() {
                Some(w) if page.at < w.start + CLAIM_WINDOW => {
                    w.pages.push(i);
                    w.woke |= page.woke;
                    w.worked_minutes += worked;
                }
                _ => {
                    out.extend(current.take());
                    current = Some(ClaimWindow {
                        person: person.to_string(),
                        start: page.at,
                        pages: vec![i],
                        woke: page.woke,
                        worked_minutes: worked,
                        quarter_days: 0,
                    });
                }
            }
        }
        out.extend(current);
    }
    for w in &mut out {
        w.quarter_days = window_quarter_days(w.woke, w.worked_minutes);
    }
    out
}

/// The in-hours rotas whose duty hours make a page "in hours", indexed by person once.
struct InHoursDuty<'a> {
    model: &'a Model,
    all: Vec<&'a Rota>,
    by_person: BTreeMap<&'a str, Vec<&'a Rota>>,
}

impl<'a> InHoursDuty<'a> {
    fn new(model: &'a Model) -> Self {
        let all: Vec<&Rota> = model
            .repo
            .rotas
            .iter()
            .filter(|r| r.kind == RotaKind::InHours)
            .collect();
        let mut by_person: BTreeMap<&str, Vec<&Rota>> = BTreeMap::new();
        for rota in &all {
            for member in rota.members() {
                by_person.entry(member.id.as_str()).or_default().push(rota);
            }
        }
        InHoursDuty {
            model,
            all,
            by_person,
        }
    }

    /// Is the page outside the duty hours of the in-hours rotas that apply to its person?
    fn is_out_of_hours(&self, page: &PageEntry) -> bool {
        let rotas = self
            .by_person
            .get(page.person.id.as_str())
            .unwrap_or(&self.all);
        let instant = Interval::new(page.at, page.at + TimeDelta::seconds(1));
        !rotas.iter().any(|rota| {
            rota.hours.as_ref().is_some_and(|hours| {
                !duty_intervals(
                    hours,
                    rota.timezone,
                    &self.model.repo.config.holidays,
                    instant,
                )
                .is_empty()
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::window_quarter_days;

    #[test]
    fn a_window_is_worth_a_quarter_or_a_half_plus_a_quarter_per_started_extra_hour() {
        assert_eq!(window_quarter_days(false, 0), 1);
        assert_eq!(window_quarter_days(true, 0), 2);
        assert_eq!(window_quarter_days(true, 60), 2);
        assert_eq!(window_quarter_days(true, 61), 3);
        assert_eq!(window_quarter_days(false, 120), 2);
        assert_eq!(window_quarter_days(false, 121), 3);
        assert_eq!(window_quarter_days(true, 105), 3);
    }
}
