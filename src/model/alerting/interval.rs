//! Alertmanager time intervals (`time_intervals` / `mute_time_intervals`): when a route
//! may notify. Parsed and evaluated as Alertmanager 0.25's `timeinterval` package does
//! (docs/alerting.md, "Time intervals").

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, Offset, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// One entry of a named time interval: every field that is set must contain the instant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeInterval {
    /// Minutes of the day, `[start, end)`.
    pub times: Option<Vec<(u32, u32)>>,
    /// Inclusive weekday ranges, 0 = Sunday.
    pub weekdays: Option<Vec<(u32, u32)>>,
    /// Inclusive day-of-month ranges; negative counts from the month's end (-1 = last day).
    pub days_of_month: Option<Vec<(i32, i32)>>,
    /// Inclusive month ranges, 1 = January.
    pub months: Option<Vec<(u32, u32)>>,
    /// Inclusive year ranges.
    pub years: Option<Vec<(i32, i32)>>,
    /// The zone the fields are read in (UTC when not given).
    pub location: Option<Tz>,
}

impl TimeInterval {
    /// Whether the instant lies in this interval (Alertmanager's `ContainsTime`).
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let tz = self.location.unwrap_or(Tz::UTC);
        let t = at.with_timezone(&tz);
        let any = |ranges: &Option<Vec<(i64, i64)>>, x: i64| {
            ranges
                .as_ref()
                .is_none_or(|rs| rs.iter().any(|&(b, e)| x >= b && x <= e))
        };
        let widen = |rs: &Option<Vec<(u32, u32)>>| {
            rs.as_ref()
                .map(|v| v.iter().map(|&(b, e)| (b as i64, e as i64)).collect())
        };
        if let Some(times) = &self.times {
            let minute = t.hour() * 60 + t.minute();
            if !times.iter().any(|&(s, e)| minute >= s && minute < e) {
                return false;
            }
        }
        if let Some(days) = &self.days_of_month {
            let in_month = days_in_month(&tz, t.year(), t.month());
            let day = t.day() as i32;
            let hit = days.iter().any(|&(b, e)| {
                let begin = if b < 0 { in_month + b + 1 } else { b };
                let end = if e < 0 { in_month + e + 1 } else { e };
                if begin > in_month {
                    return false;
                }
                let begin = begin.clamp(-in_month, in_month);
                let end = end.clamp(-in_month, in_month);
                day >= begin && day <= end
            });
            if !hit {
                return false;
            }
        }
        any(&widen(&self.months), t.month() as i64)
            && any(
                &widen(&self.weekdays),
                t.weekday().num_days_from_sunday() as i64,
            )
            && any(
                &self
                    .years
                    .as_ref()
                    .map(|v| v.iter().map(|&(b, e)| (b as i64, e as i64)).collect()),
                t.year() as i64,
            )
    }
}

impl TimeInterval {
    /// The instants in `[start, end)` at which [`TimeInterval::contains`] may change its
    /// answer, in order and each once: every local midnight, every start and end of
    /// `times` (both instants of one in a repeated hour), and every change of the zone's
    /// offset (which also stands for a boundary in a skipped hour). Every field is read
    /// from the local date and minute, which change only there, so between two of these
    /// instants `contains` gives one answer: a caller asks it once per stretch, not once
    /// per minute. `start` should be on a whole minute.
    pub fn changes(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let tz = self.location.unwrap_or(Tz::UTC);
        let mut out = Vec::new();
        let offset = |t: DateTime<Utc>| t.with_timezone(&tz).offset().fix().local_minus_utc();
        // The offset's changes: a day at a time (no zone in the database changes its
        // offset and back within a day in the years a check looks at), then to the minute
        // by bisection.
        let mut at = start;
        while at < end {
            let next = (at + TimeDelta::days(1)).min(end);
            if offset(at) != offset(next) {
                let (mut same, mut changed) = (at, next);
                while changed - same > TimeDelta::minutes(1) {
                    let mid = same + TimeDelta::minutes((changed - same).num_minutes() / 2);
                    if offset(mid) == offset(same) {
                        same = mid;
                    } else {
                        changed = mid;
                    }
                }
                out.push(changed);
            }
            at = next;
        }
        let mut minutes = vec![0];
        for &(from, to) in self.times.iter().flatten() {
            minutes.extend([from, to].into_iter().filter(|m| *m < 24 * 60));
        }
        let first = start.with_timezone(&tz).date_naive() - chrono::Days::new(1);
        let last = end.with_timezone(&tz).date_naive() + chrono::Days::new(1);
        for day in first.iter_days().take_while(|d| *d <= last) {
            for &m in &minutes {
                let Some(naive) = day.and_hms_opt(m / 60, m % 60, 0) else {
                    continue;
                };
                match tz.from_local_datetime(&naive) {
                    LocalResult::Single(t) => out.push(t.with_timezone(&Utc)),
                    LocalResult::Ambiguous(a, b) => {
                        out.extend([a.with_timezone(&Utc), b.with_timezone(&Utc)])
                    }
                    LocalResult::None => {}
                }
            }
        }
        out.retain(|t| start <= *t && *t < end);
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The days in a month as Alertmanager counts them: the hours from the first midnight
/// to the next month's, divided by 24 and rounded down, so that a month in which the
/// clocks go forward counts one day short (Go's `daysInMonth`; kept for exactness).
fn days_in_month(tz: &Tz, year: i32, month: u32) -> i32 {
    let start = NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let midnight = |d: NaiveDate| {
        let naive = d.and_hms_opt(0, 0, 0)?;
        // Go normalises a midnight that does not exist forward, like `earliest` here
        // after the gap; no zone in the database skips a midnight at a month's start
        // and the end of one at once.
        tz.from_local_datetime(&naive).earliest().or_else(|| {
            tz.from_local_datetime(&(naive + chrono::TimeDelta::hours(1)))
                .earliest()
        })
    };
    match (start.and_then(midnight), next.and_then(midnight)) {
        (Some(a), Some(b)) => ((b - a).num_hours() / 24) as i32,
        _ => 31,
    }
}

/// `HH:MM` (00:00 to 24:00) as minutes of the day.
pub fn parse_time(s: &str) -> Result<u32, String> {
    let bad = || format!("`{s}` is not a time of day: write HH:MM, from 00:00 to 24:00");
    if s == "24:00" {
        return Ok(24 * 60);
    }
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 || !(h.chars().chain(m.chars())).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// A `start_time`/`end_time` pair.
pub fn time_range(start: &str, end: &str) -> Result<(u32, u32), String> {
    let (s, e) = (parse_time(start)?, parse_time(end)?);
    if s >= e {
        return Err(format!(
            "start time {start} is not before end time {end}: a range cannot cross midnight (write two ranges)"
        ));
    }
    Ok((s, e))
}

const WEEKDAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `a` or `a:b`, lowercased, each end read by `member`.
fn range<T: Copy>(s: &str, member: impl Fn(&str) -> Result<T, String>) -> Result<(T, T), String> {
    let lower = s.to_lowercase();
    match lower.split(':').collect::<Vec<_>>().as_slice() {
        [one] => member(one).map(|v| (v, v)),
        [a, b] => Ok((member(a)?, member(b)?)),
        _ => Err(format!(
            "`{s}` is not a range: write one value or `start:end`"
        )),
    }
}

fn number(s: &str) -> Result<i32, String> {
    s.parse::<i32>()
        .map_err(|_| format!("`{s}` is not a whole number"))
}

/// `monday` or `monday:friday`.
pub fn weekday_range(s: &str) -> Result<(u32, u32), String> {
    let (b, e) = range(s, |d| {
        WEEKDAYS
            .iter()
            .position(|w| *w == d)
            .map(|p| p as u32)
            .ok_or_else(|| {
                let near = crate::finding::did_you_mean(d, WEEKDAYS);
                format!(
                    "`{d}` is not a weekday: write monday … sunday{}",
                    near.map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default()
                )
            })
    })?;
    if b > e {
        return Err(format!(
            "`{s}`: the range starts after it ends (a weekday range runs sunday to saturday; write two ranges)"
        ));
    }
    Ok((b, e))
}

/// `1`, `1:15`, `-7:-1` or `20:-1`.
pub fn day_of_month_range(s: &str) -> Result<(i32, i32), String> {
    let (b, e) = range(s, number)?;
    for d in [b, e] {
        if d == 0 || !(-31..=31).contains(&d) {
            return Err(format!(
                "{d} is not a day of the month: use 1 to 31, or -1 (the last day) to -31"
            ));
        }
    }
    if b < 0 && e > 0 {
        return Err(format!(
            "`{s}`: the end day must be negative when the start day is"
        ));
    }
    let check = |d: i32| if d < 0 { 28 + d } else { d };
    if check(b) > check(e) {
        return Err(format!("`{s}`: end day {e} is always before start day {b}"));
    }
    Ok((b, e))
}

/// `march`, `3`, `january:march` or `1:3`.
pub fn month_range(s: &str) -> Result<(u32, u32), String> {
    let (b, e) = range(s, |m| match MONTHS.iter().position(|n| *n == m) {
        Some(p) => Ok(p as u32 + 1),
        None => match m.parse::<u32>() {
            Ok(n) if (1..=12).contains(&n) => Ok(n),
            _ => Err(format!(
                "`{m}` is not a month: write january … december or 1 … 12"
            )),
        },
    })?;
    if b > e {
        return Err(format!("`{s}`: the end month is before the start month"));
    }
    Ok((b, e))
}

/// `2026` or `2026:2028`.
pub fn year_range(s: &str) -> Result<(i32, i32), String> {
    let (b, e) = range(s, number)?;
    if b > e {
        return Err(format!("`{s}`: end year {e} is before start year {b}"));
    }
    Ok((b, e))
}

/// An IANA zone name (`UTC` and `Local` included: `Local`, the Alertmanager host's own
/// zone, is read as UTC, since rota cannot know that host).
pub fn location(s: &str) -> Result<Tz, String> {
    if s == "Local" || s.is_empty() {
        return Ok(Tz::UTC);
    }
    s.parse::<Tz>().map_err(|_| {
        let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
        match crate::finding::did_you_mean(s, names) {
            Some(near) => format!("`{s}` is not a time zone; did you mean `{near}`?"),
            None => format!("`{s}` is not a time zone: use an IANA name like Europe/London"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn london_office_hours() -> TimeInterval {
        TimeInterval {
            times: Some(vec![time_range("09:00", "17:00").unwrap()]),
            weekdays: Some(vec![weekday_range("Monday:Friday").unwrap()]),
            location: Some(location("Europe/London").unwrap()),
            ..TimeInterval::default()
        }
    }

    /// `contains` gives one answer between two of `changes`: checked minute by minute
    /// over spring and autumn clock changes in zones that move by an hour, by half an
    /// hour (Lord Howe) and not at all, for intervals of every kind of field.
    #[test]
    fn contains_changes_only_at_the_changes() {
        let zones = [
            "Europe/London",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kolkata",
            "UTC",
        ];
        let intervals = |zone: &str| {
            let location = Some(location(zone).unwrap());
            vec![
                TimeInterval {
                    location,
                    ..london_office_hours()
                },
                TimeInterval {
                    times: Some(vec![
                        time_range("00:00", "00:30").unwrap(),
                        time_range("01:30", "02:30").unwrap(),
                        time_range("23:45", "24:00").unwrap(),
                    ]),
                    location,
                    ..TimeInterval::default()
                },
                TimeInterval {
                    days_of_month: Some(vec![day_of_month_range("-3:-1").unwrap()]),
                    months: Some(vec![month_range("march:april").unwrap()]),
                    times: Some(vec![time_range("02:15", "03:05").unwrap()]),
                    location,
                    ..TimeInterval::default()
                },
                TimeInterval {
                    weekdays: Some(vec![
                        weekday_range("saturday").unwrap(),
                        weekday_range("sunday").unwrap(),
                    ]),
                    years: Some(vec![year_range("2026").unwrap()]),
                    location,
                    ..TimeInterval::default()
                },
            ]
        };
        for (from, to) in [
            ("2026-03-20T00:00:00Z", "2026-04-08T00:00:00Z"),
            ("2026-10-01T00:00:00Z", "2026-11-05T00:00:00Z"),
        ] {
            let (from, to) = (at(from), at(to));
            for zone in zones {
                for (n, interval) in intervals(zone).iter().enumerate() {
                    let changes = interval.changes(from, to);
                    let mut next = changes.iter().peekable();
                    let mut answer = interval.contains(from);
                    let mut t = from;
                    while t < to {
                        if next.peek() == Some(&&t) {
                            next.next();
                            answer = interval.contains(t);
                        }
                        assert_eq!(interval.contains(t), answer, "{zone} interval {n} at {t}");
                        t += TimeDelta::minutes(1);
                    }
                    assert!(next.next().is_none(), "a change off the minute grid");
                }
            }
        }
    }

    #[test]
    fn office_hours_follow_the_clock_change() {
        let office = london_office_hours();
        // Friday 27 March 2026, GMT: 09:00 local is 09:00Z.
        assert!(office.contains(at("2026-03-27T09:00:00Z")));
        assert!(!office.contains(at("2026-03-27T08:59:00Z")));
        // Monday 30 March 2026, BST (clocks went forward on Sunday 29th): 09:00 local is 08:00Z.
        assert!(office.contains(at("2026-03-30T08:00:00Z")));
        assert!(!office.contains(at("2026-03-30T16:00:00Z")));
        // Saturday.
        assert!(!office.contains(at("2026-03-28T12:00:00Z")));
        // Without a location the fields are UTC.
        let utc = TimeInterval {
            location: None,
            ..office
        };
        assert!(utc.contains(at("2026-03-30T16:30:00Z")));
        assert!(!utc.contains(at("2026-03-30T08:30:00Z")));
    }

    #[test]
    fn negative_days_count_from_the_month_end() {
        let last_two = TimeInterval {
            days_of_month: Some(vec![day_of_month_range("-2:-1").unwrap()]),
            ..TimeInterval::default()
        };
        assert!(last_two.contains(at("2027-02-27T12:00:00Z")));
        assert!(last_two.contains(at("2027-02-28T12:00:00Z")));
        assert!(!last_two.contains(at("2027-02-26T12:00:00Z")));
        assert!(last_two.contains(at("2026-04-29T00:00:00Z")));
        assert!(!last_two.contains(at("2026-04-28T23:59:00Z")));
        // From the 20th to the end of the month.
        let late = TimeInterval {
            days_of_month: Some(vec![day_of_month_range("20:-1").unwrap()]),
            ..TimeInterval::default()
        };
        assert!(late.contains(at("2026-01-31T10:00:00Z")));
        assert!(!late.contains(at("2026-01-19T10:00:00Z")));
    }

    #[test]
    fn a_month_with_a_clock_change_forward_counts_a_day_short_as_in_alertmanager() {
        // March 2026 in London has 31 days of 743 hours: Alertmanager counts 30, so
        // "the last day" (-1) is the 30th there, and the 31st matches no negative day.
        let last = TimeInterval {
            days_of_month: Some(vec![day_of_month_range("-1").unwrap()]),
            location: Some(location("Europe/London").unwrap()),
            ..TimeInterval::default()
        };
        assert!(last.contains(at("2026-03-30T12:00:00Z")));
        assert!(!last.contains(at("2026-03-31T12:00:00Z")));
        // October (clocks go back, 745 hours) counts 31.
        assert!(last.contains(at("2026-10-31T12:00:00Z")));
        // In UTC March has 31 days.
        let utc = TimeInterval {
            location: None,
            ..last
        };
        assert!(utc.contains(at("2026-03-31T12:00:00Z")));
    }

    #[test]
    fn months_and_years_by_name_or_number() {
        let winter = TimeInterval {
            months: Some(vec![
                month_range("january:march").unwrap(),
                month_range("12").unwrap(),
            ]),
            years: Some(vec![year_range("2026:2027").unwrap()]),
            ..TimeInterval::default()
        };
        assert!(winter.contains(at("2026-12-01T00:00:00Z")));
        assert!(winter.contains(at("2027-02-10T00:00:00Z")));
        assert!(!winter.contains(at("2027-04-01T00:00:00Z")));
        assert!(!winter.contains(at("2028-01-01T00:00:00Z")));
    }

    #[test]
    fn bad_values_are_refused_with_reasons() {
        assert!(time_range("17:00", "09:00").is_err());
        assert!(time_range("9:00", "17:00").is_err());
        assert_eq!(time_range("00:00", "24:00"), Ok((0, 1440)));
        assert!(weekday_range("friday:monday").is_err());
        assert!(weekday_range("mondy").unwrap_err().contains("monday"));
        assert!(day_of_month_range("0").is_err());
        assert!(day_of_month_range("-1:5").is_err());
        assert!(day_of_month_range("10:5").is_err());
        assert!(month_range("13").is_err());
        assert!(year_range("2028:2026").is_err());
        assert!(
            location("Europe/Londn")
                .unwrap_err()
                .contains("Europe/London")
        );
    }
}
