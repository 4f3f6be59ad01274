//! Duty hours → the exact instants a rota is on duty, day by day in its own time zone.

use super::interval::{Interval, merge};
use crate::model::{DaySelector, DutyHours};
use crate::time::{self, local_date};
use chrono::{Datelike, Days, NaiveDate};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// The on-duty intervals of `hours` inside `window`. `holiday` matches the dates in
/// `holidays`; a weekday never matches a holiday date.
pub fn duty_intervals(
    hours: &DutyHours,
    tz: Tz,
    holidays: &BTreeSet<NaiveDate>,
    window: Interval,
) -> Vec<Interval> {
    if window.is_empty() {
        return Vec::new();
    }
    let windows = match hours {
        DutyHours::Always => return vec![window],
        DutyHours::Windows(w) => w,
    };
    let first = local_date(tz, window.start) - Days::new(1);
    let last = local_date(tz, window.end) + Days::new(1);
    let mut spans = Vec::new();
    let mut day = first;
    while day <= last {
        let holiday = holidays.contains(&day);
        for w in windows {
            let matches = w.days.iter().any(|sel| match sel {
                DaySelector::Holiday => holiday,
                DaySelector::Day(wd) => !holiday && day.weekday() == *wd,
            });
            if !matches {
                continue;
            }
            let start = time::local_to_instant(tz, w.from.on(day));
            let end_day = if w.to <= w.from {
                day + Days::new(1)
            } else {
                day
            };
            let end = time::local_to_instant(tz, w.to.on(end_day));
            if let Some(span) = Interval::new(start, end).intersect(&window) {
                spans.push(span);
            }
        }
        day = day + Days::new(1);
    }
    merge(spans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DutyWindow;
    use crate::source::{FileId, Loc};
    use crate::time::{LocalTime, parse_date, rfc3339};
    use chrono::Weekday;

    fn loc() -> Loc {
        Loc {
            file: FileId(0),
            line: 1,
            column: 1,
        }
    }

    fn out_of_hours() -> DutyHours {
        let weekdays: Vec<DaySelector> = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(DaySelector::Day)
        .collect();
        DutyHours::Windows(vec![
            DutyWindow {
                days: weekdays.clone(),
                from: LocalTime(0),
                to: LocalTime(600),
                loc: loc(),
            },
            DutyWindow {
                days: weekdays,
                from: LocalTime(1080),
                to: LocalTime(1440),
                loc: loc(),
            },
            DutyWindow {
                days: vec![
                    DaySelector::Day(Weekday::Sat),
                    DaySelector::Day(Weekday::Sun),
                    DaySelector::Holiday,
                ],
                from: LocalTime(0),
                to: LocalTime(1440),
                loc: loc(),
            },
        ])
    }

    fn day_window(tz: Tz, date: &str, days: u64) -> Interval {
        let d = parse_date(date).unwrap();
        Interval::new(
            time::start_of_day(tz, d),
            time::start_of_day(tz, d + Days::new(days)),
        )
    }

    #[test]
    fn a_bank_holiday_is_on_duty_all_day_for_out_of_hours() {
        let tz = chrono_tz::Europe::London;
        let holidays: BTreeSet<NaiveDate> = [parse_date("2026-12-25").unwrap()].into();
        // Friday 25 December: all day, joined to Thursday evening and the weekend.
        let spans = duty_intervals(
            &out_of_hours(),
            tz,
            &holidays,
            day_window(tz, "2026-12-24", 4),
        );
        let shown: Vec<String> = spans
            .iter()
            .map(|s| format!("{}..{}", rfc3339(s.start), rfc3339(s.end)))
            .collect();
        assert_eq!(
            shown,
            vec![
                "2026-12-24T00:00:00Z..2026-12-24T10:00:00Z",
                "2026-12-24T18:00:00Z..2026-12-28T00:00:00Z"
            ]
        );
    }

    #[test]
    fn overnight_windows_run_into_the_next_day() {
        let tz = chrono_tz::UTC;
        let hours = DutyHours::Windows(vec![DutyWindow {
            days: vec![DaySelector::Day(Weekday::Mon)],
            from: LocalTime(22 * 60),
            to: LocalTime(6 * 60),
            loc: loc(),
        }]);
        let spans = duty_intervals(
            &hours,
            tz,
            &BTreeSet::new(),
            day_window(tz, "2026-01-05", 7),
        );
        assert_eq!(spans.len(), 1);
        assert_eq!(rfc3339(spans[0].start), "2026-01-05T22:00:00Z");
        assert_eq!(rfc3339(spans[0].end), "2026-01-06T06:00:00Z");
    }

    #[test]
    fn evening_windows_follow_local_time_across_the_clock_change() {
        let tz = chrono_tz::Europe::London;
        let spans = duty_intervals(
            &out_of_hours(),
            tz,
            &BTreeSet::new(),
            day_window(tz, "2027-03-29", 1),
        );
        // Monday after the clocks go forward: 00:00–10:00 BST and 18:00–24:00 BST.
        assert_eq!(rfc3339(spans[0].start), "2027-03-28T23:00:00Z");
        assert_eq!(rfc3339(spans[0].end), "2027-03-29T09:00:00Z");
        assert_eq!(rfc3339(spans[1].start), "2027-03-29T17:00:00Z");
    }
}
