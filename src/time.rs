//! The value formats of docs/data-format.md#values — durations, local times, dates,
//! date-times, time zones, weekdays — and the conversion of local wall-clock times to
//! exact instants.

use chrono::{
    DateTime, Datelike, Days, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
    TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;
use std::fmt;

/// An exact point in time. Every schedule computation happens on these.
pub type Instant = DateTime<Utc>;

/// "Now" and "today" for one run (the real clock, or `--today`/`--at`).
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    pub now: Instant,
    /// Today's date in the config's time zone.
    pub today: NaiveDate,
}

/// A duration as written: the unit matters (a month is not a fixed length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duration {
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Weeks(i64),
    Months(i64),
}

impl Duration {
    /// Parses `5m`, `12h`, `1w`, `13w`, `90d`, `6 months`, `1 week`, `30 minutes`.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let s = text.trim();
        let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (number, unit) = s.split_at(digits_end);
        let unit = unit.trim();
        if number.is_empty() {
            return Err(format!(
                "`{text}` is not a duration: expected a whole number and a unit, like `5m`, `12h`, `1w` or `6 months`"
            ));
        }
        let n: i64 = number
            .parse()
            .ok()
            .filter(|n| *n <= 100_000)
            .ok_or_else(|| format!("`{text}` is too long a duration"))?;
        Ok(match unit.to_ascii_lowercase().as_str() {
            "m" | "min" | "mins" | "minute" | "minutes" => Duration::Minutes(n),
            "h" | "hour" | "hours" => Duration::Hours(n),
            "d" | "day" | "days" => Duration::Days(n),
            "w" | "week" | "weeks" => Duration::Weeks(n),
            "mo" | "month" | "months" => Duration::Months(n),
            "" => {
                return Err(format!(
                    "`{text}` has no unit: write e.g. `{n}m`, `{n}h`, `{n}d`, `{n}w` or `{n} months`"
                ));
            }
            other => {
                return Err(format!(
                    "`{text}`: unknown unit `{other}` (use min/m, h, d, w, mo/months, or minute(s), hour(s), day(s), week(s))"
                ));
            }
        })
    }

    /// Like [`Duration::parse`], but refuses units below a day (for `review_in`, where
    /// `6m` must not silently mean six minutes).
    pub fn parse_days_or_longer(text: &str) -> Result<Duration, String> {
        let d = Duration::parse(text)?;
        match d {
            Duration::Minutes(_) | Duration::Hours(_) => Err(format!(
                "`{text}` is shorter than a day: a review period takes days, weeks or months (`6 months`, `13w`)"
            )),
            _ => Ok(d),
        }
    }

    /// A fixed length, for units that have one (everything but months).
    pub fn fixed(self) -> Option<TimeDelta> {
        match self {
            Duration::Minutes(n) => Some(TimeDelta::minutes(n)),
            Duration::Hours(n) => Some(TimeDelta::hours(n)),
            Duration::Days(n) => Some(TimeDelta::days(n)),
            Duration::Weeks(n) => Some(TimeDelta::weeks(n)),
            Duration::Months(_) => None,
        }
    }

    /// Length in minutes, a month counted as 30 days (for comparisons only).
    pub fn approx_minutes(self) -> i64 {
        match self {
            Duration::Months(n) => n * 30 * 24 * 60,
            other => other.fixed().map(|d| d.num_minutes()).unwrap_or(0),
        }
    }

    /// The date this long after `date`; a month clamps to the month's end; units below a
    /// day count whole days only.
    pub fn after_date(self, date: NaiveDate) -> NaiveDate {
        let added = match self {
            Duration::Months(n) => date.checked_add_months(Months::new(n as u32)),
            Duration::Days(n) => date.checked_add_days(Days::new(n as u64)),
            Duration::Weeks(n) => date.checked_add_days(Days::new(n as u64 * 7)),
            Duration::Hours(n) => date.checked_add_days(Days::new((n / 24) as u64)),
            Duration::Minutes(n) => date.checked_add_days(Days::new((n / 1440) as u64)),
        };
        added.unwrap_or(NaiveDate::MAX)
    }

    /// The local wall-clock time this long after `at` (a 12h step from 10:00 is 22:00 local).
    pub fn after_local(self, at: NaiveDateTime) -> NaiveDateTime {
        match self {
            Duration::Months(n) => at
                .checked_add_months(Months::new(n as u32))
                .unwrap_or(NaiveDateTime::MAX),
            other => other
                .fixed()
                .and_then(|d| at.checked_add_signed(d))
                .unwrap_or(NaiveDateTime::MAX),
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit) = match self {
            Duration::Minutes(n) => (n, "min"),
            Duration::Hours(n) => (n, "h"),
            Duration::Days(n) => (n, "d"),
            Duration::Weeks(n) => (n, "w"),
            Duration::Months(n) => return write!(f, "{n} month{}", if *n == 1 { "" } else { "s" }),
        };
        write!(f, "{n}{unit}")
    }
}

/// A local time of day in minutes since midnight; `24:00` (1440) is allowed as an end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalTime(pub u16);

impl LocalTime {
    pub const MIDNIGHT: LocalTime = LocalTime(0);
    pub const END_OF_DAY: LocalTime = LocalTime(1440);

    /// Parses `HH:MM` (`24:00` allowed).
    pub fn parse(text: &str) -> Result<LocalTime, String> {
        let bad = || {
            format!(
                "`{text}` is not a local time: expected HH:MM from 00:00 to 24:00, like `10:00`"
            )
        };
        let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(LocalTime(h * 60 + m))
    }

    /// Like [`LocalTime::parse`], refusing `24:00` (a handover happens at a time of day).
    pub fn parse_time_of_day(text: &str) -> Result<LocalTime, String> {
        let t = LocalTime::parse(text)?;
        if t == LocalTime::END_OF_DAY {
            return Err(format!("`{text}`: use `00:00` for midnight here"));
        }
        Ok(t)
    }

    /// The wall-clock moment at this time on `date` (`24:00` is the next day's midnight).
    pub fn on(self, date: NaiveDate) -> NaiveDateTime {
        let day = if self.0 >= 1440 {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        };
        let minutes = u32::from(self.0 % 1440);
        day.and_time(NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or_default())
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    if t.len() != 10 {
        return Err(format!(
            "`{text}` is not a date: expected YYYY-MM-DD, like `2026-12-23`"
        ));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: expected YYYY-MM-DD, like `2026-12-23`"))
}

/// A date-time as written: local wall-clock, or exact (RFC 3339 with offset or `Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateTimeSpec {
    Local(NaiveDateTime),
    Exact(Instant),
}

impl DateTimeSpec {
    /// Parses `YYYY-MM-DDTHH:MM` (a space also separates), or RFC 3339.
    pub fn parse(text: &str) -> Result<DateTimeSpec, String> {
        let t = text.trim();
        if let Ok(exact) = DateTime::parse_from_rfc3339(t) {
            return Ok(DateTimeSpec::Exact(exact.with_timezone(&Utc)));
        }
        for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
            if let Ok(local) = NaiveDateTime::parse_from_str(t, format) {
                return Ok(DateTimeSpec::Local(local));
            }
        }
        if let Some((date, time)) = t.split_once(['T', ' '])
            && time == "24:00"
            && let Ok(d) = parse_date(date)
        {
            return Ok(DateTimeSpec::Local(LocalTime::END_OF_DAY.on(d)));
        }
        Err(format!(
            "`{text}` is not a date-time: expected YYYY-MM-DDTHH:MM (local), like `2026-12-23T10:00`, or RFC 3339 with an offset"
        ))
    }

    /// The instant meant, reading local times in `tz`.
    pub fn resolve(self, tz: Tz) -> Instant {
        match self {
            DateTimeSpec::Local(local) => local_to_instant(tz, local),
            DateTimeSpec::Exact(i) => i,
        }
    }
}

/// Parses an IANA time-zone name.
pub fn parse_tz(text: &str) -> Result<Tz, String> {
    text.trim().parse::<Tz>().map_err(|_| {
        format!(
            "`{text}` is not an IANA time zone name (like `Europe/London` or `America/New_York`)"
        )
    })
}

/// Parses `mon` … `sun`.
pub fn parse_weekday(text: &str) -> Result<Weekday, String> {
    Ok(match text.trim().to_ascii_lowercase().as_str() {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => {
            return Err(format!(
                "`{text}` is not a day: use mon, tue, wed, thu, fri, sat, sun or holiday"
            ));
        }
    })
}

/// The instant of a local wall-clock time in `tz`. A time in a spring-forward gap moves
/// forward to the first instant that exists; an ambiguous one (fall back) takes the
/// earlier instant.
pub fn local_to_instant(tz: Tz, local: NaiveDateTime) -> Instant {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
        LocalResult::None => {
            // Walk forward minute by minute to the end of the gap (transitions are on
            // whole minutes; gaps are at most a day long).
            let mut probe = local;
            for _ in 0..(26 * 60) {
                probe += TimeDelta::minutes(1);
                match tz.from_local_datetime(&probe) {
                    LocalResult::Single(t) => return t.with_timezone(&Utc),
                    LocalResult::Ambiguous(a, _) => return a.with_timezone(&Utc),
                    LocalResult::None => {}
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

/// The instant a local date starts in `tz`.
pub fn start_of_day(tz: Tz, date: NaiveDate) -> Instant {
    local_to_instant(tz, date.and_time(NaiveTime::MIN))
}

/// The local date of an instant in `tz`.
pub fn local_date(tz: Tz, at: Instant) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// `Wed 23 Dec 2026 10:00 GMT`: how people read a time.
pub fn human(tz: Tz, at: Instant) -> String {
    let local = at.with_timezone(&tz);
    format!(
        "{} {:02}:{:02} {}",
        human_date(local.date_naive()),
        local.hour(),
        local.minute(),
        local.offset()
    )
}

/// `Fri 27 Nov 2026`: a day as command-line text gives it (the date part of [`human`]).
pub fn human_date(date: NaiveDate) -> String {
    format!(
        "{} {:02} {} {:04}",
        weekday_abbr(date.weekday()),
        date.day(),
        month_abbr(date.month()),
        date.year()
    )
}

/// `2026-12-23T10:00:00Z`: how machines read a time.
pub fn rfc3339(at: Instant) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// `Wed`: what `%a` writes (formatted directly: pages and feeds write hundreds of
/// thousands of times, and `strftime` parses its pattern every time).
pub fn weekday_abbr(day: Weekday) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.num_days_from_monday() as usize]
}

/// `Dec` for 12: what `%b` writes.
pub fn month_abbr(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// Lowercase three-letter weekday name (`mon`).
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// Number of days from the week's Monday (for ordering).
pub fn weekday_index(date: NaiveDate) -> u32 {
    date.weekday().num_days_from_monday()
}

/// `1 day`, `3 days`.
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
mod tests;
