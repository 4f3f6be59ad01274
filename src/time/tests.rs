//! Tests of the value formats and of local-to-instant conversion.

use super::*;

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

#[test]
fn durations_parse_in_every_documented_form() {
    assert_eq!(Duration::parse("5m"), Ok(Duration::Minutes(5)));
    assert_eq!(Duration::parse("0m"), Ok(Duration::Minutes(0)));
    assert_eq!(Duration::parse("5 min"), Ok(Duration::Minutes(5)));
    assert_eq!(Duration::parse("30 minutes"), Ok(Duration::Minutes(30)));
    assert_eq!(Duration::parse("12h"), Ok(Duration::Hours(12)));
    assert_eq!(Duration::parse("1 hour"), Ok(Duration::Hours(1)));
    assert_eq!(Duration::parse("90d"), Ok(Duration::Days(90)));
    assert_eq!(Duration::parse("1 day"), Ok(Duration::Days(1)));
    assert_eq!(Duration::parse("13w"), Ok(Duration::Weeks(13)));
    assert_eq!(Duration::parse("2 weeks"), Ok(Duration::Weeks(2)));
    assert_eq!(Duration::parse("6 months"), Ok(Duration::Months(6)));
    assert_eq!(Duration::parse("1 month"), Ok(Duration::Months(1)));
    assert_eq!(Duration::parse("3mo"), Ok(Duration::Months(3)));
}

#[test]
fn bad_durations_say_why() {
    assert!(Duration::parse("5").unwrap_err().contains("no unit"));
    assert!(
        Duration::parse("five minutes")
            .unwrap_err()
            .contains("not a duration")
    );
    assert!(
        Duration::parse("5 fortnights")
            .unwrap_err()
            .contains("unknown unit")
    );
    assert!(Duration::parse("-5m").is_err());
    assert!(Duration::parse("").is_err());
    assert!(Duration::parse("99999999999999999999m").is_err());
}

#[test]
fn review_periods_refuse_units_below_a_day() {
    assert!(Duration::parse_days_or_longer("6m").is_err());
    assert!(Duration::parse_days_or_longer("12h").is_err());
    assert_eq!(
        Duration::parse_days_or_longer("6 months"),
        Ok(Duration::Months(6))
    );
}

#[test]
fn months_clamp_to_the_end_of_the_month() {
    assert_eq!(
        Duration::Months(1).after_date(d("2026-01-31")),
        d("2026-02-28")
    );
    assert_eq!(
        Duration::Months(6).after_date(d("2026-08-28")),
        d("2027-02-28")
    );
    assert_eq!(
        Duration::Days(90).after_date(d("2026-11-22")),
        d("2027-02-20")
    );
}

#[test]
fn local_times_allow_24_00_as_an_end_only() {
    assert_eq!(LocalTime::parse("10:00"), Ok(LocalTime(600)));
    assert_eq!(LocalTime::parse("24:00"), Ok(LocalTime(1440)));
    assert_eq!(LocalTime::parse("7:30"), Ok(LocalTime(450)));
    assert!(LocalTime::parse("24:01").is_err());
    assert!(LocalTime::parse("10:60").is_err());
    assert!(LocalTime::parse("1000").is_err());
    assert!(LocalTime::parse("10:0").is_err());
    assert!(LocalTime::parse_time_of_day("24:00").is_err());
    assert_eq!(
        LocalTime(1440).on(d("2026-12-31")).to_string(),
        "2027-01-01 00:00:00"
    );
}

#[test]
fn dates_and_date_times() {
    assert!(parse_date("2026-02-30").is_err());
    assert!(parse_date("26-02-01").is_err());
    assert_eq!(
        DateTimeSpec::parse("2026-12-23T10:00").unwrap(),
        DateTimeSpec::Local(d("2026-12-23").and_hms_opt(10, 0, 0).unwrap())
    );
    let exact = DateTimeSpec::parse("2026-06-01T10:00:00+01:00").unwrap();
    assert_eq!(
        exact.resolve(chrono_tz::UTC).to_rfc3339(),
        "2026-06-01T09:00:00+00:00"
    );
    assert!(DateTimeSpec::parse("2026-12-23T25:00").is_err());
    assert!(DateTimeSpec::parse("tomorrow").is_err());
}

#[test]
fn zones_and_weekdays() {
    assert!(parse_tz("Europe/London").is_ok());
    assert!(parse_tz("Europe/Londres").is_err());
    assert_eq!(parse_weekday("sat"), Ok(Weekday::Sat));
    assert!(parse_weekday("saturday").is_err());
}

#[test]
fn london_winter_and_summer() {
    let tz: Tz = "Europe/London".parse().unwrap();
    let winter = local_to_instant(tz, d("2026-01-05").and_hms_opt(9, 0, 0).unwrap());
    let summer = local_to_instant(tz, d("2026-07-06").and_hms_opt(9, 0, 0).unwrap());
    assert_eq!(rfc3339(winter), "2026-01-05T09:00:00Z");
    assert_eq!(rfc3339(summer), "2026-07-06T08:00:00Z");
}

#[test]
fn spring_gap_moves_forward_and_autumn_overlap_takes_the_earlier_instant() {
    let tz: Tz = "Europe/London".parse().unwrap();
    // 2027-03-28: 01:00 GMT jumps to 02:00 BST; 01:30 does not exist.
    let gap = local_to_instant(tz, d("2027-03-28").and_hms_opt(1, 30, 0).unwrap());
    assert_eq!(rfc3339(gap), "2027-03-28T01:00:00Z");
    // 2026-10-25: 01:30 happens twice (BST then GMT); take the first.
    let overlap = local_to_instant(tz, d("2026-10-25").and_hms_opt(1, 30, 0).unwrap());
    assert_eq!(rfc3339(overlap), "2026-10-25T00:30:00Z");
}

// Written to kill mutants (issue #13); every expected value is worked out by hand in
// the comments, not read from the code under test.

#[test]
fn the_longest_duration_is_100000_of_a_unit() {
    assert_eq!(Duration::parse("100000m"), Ok(Duration::Minutes(100_000)));
    assert!(Duration::parse("100001m").is_err());
    assert_eq!(Duration::parse(" 2 Weeks "), Ok(Duration::Weeks(2)));
}

#[test]
fn approximate_minutes_count_a_month_as_30_days() {
    // 2 months = 2 × 30 × 24 × 60 = 86 400 minutes; a week 7 × 1440 = 10 080.
    assert_eq!(Duration::Months(2).approx_minutes(), 86_400);
    assert_eq!(Duration::Weeks(1).approx_minutes(), 10_080);
    assert_eq!(Duration::Hours(3).approx_minutes(), 180);
    assert_eq!(Duration::Minutes(7).approx_minutes(), 7);
    assert_eq!(Duration::Days(2).approx_minutes(), 2880);
}

#[test]
fn dates_after_a_duration_count_whole_days() {
    let jan1 = d("2026-01-01");
    // 2 weeks = 14 days: 15 January.
    assert_eq!(Duration::Weeks(2).after_date(jan1), d("2026-01-15"));
    // 49 hours = 2 whole days (and one hour, dropped).
    assert_eq!(Duration::Hours(49).after_date(jan1), d("2026-01-03"));
    // 2885 minutes = 2 whole days (2880) and 5 minutes, dropped.
    assert_eq!(Duration::Minutes(2885).after_date(jan1), d("2026-01-03"));
    assert_eq!(Duration::Days(31).after_date(jan1), d("2026-02-01"));
    // Past the last date chrono can hold: the last date.
    assert_eq!(Duration::Days(1).after_date(NaiveDate::MAX), NaiveDate::MAX);
    assert_eq!(
        Duration::Months(1).after_date(NaiveDate::MAX),
        NaiveDate::MAX
    );
}

#[test]
fn local_times_after_a_duration_step_the_wall_clock() {
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    // The doc's example: 12h from 10:00 is 22:00 the same day.
    assert_eq!(
        Duration::Hours(12).after_local(at("2026-03-28 10:00")),
        at("2026-03-28 22:00")
    );
    // A month from 31 January is 28 February (clamped), same time of day.
    assert_eq!(
        Duration::Months(1).after_local(at("2026-01-31 10:00")),
        at("2026-02-28 10:00")
    );
    assert_eq!(
        Duration::Weeks(1).after_local(at("2026-12-23 10:00")),
        at("2026-12-30 10:00")
    );
    assert_eq!(
        Duration::Minutes(90).after_local(NaiveDateTime::MAX),
        NaiveDateTime::MAX
    );
    assert_eq!(
        Duration::Months(1).after_local(NaiveDateTime::MAX),
        NaiveDateTime::MAX
    );
}

#[test]
fn durations_display_in_their_short_form() {
    assert_eq!(Duration::Minutes(5).to_string(), "5min");
    assert_eq!(Duration::Hours(12).to_string(), "12h");
    assert_eq!(Duration::Days(90).to_string(), "90d");
    assert_eq!(Duration::Weeks(13).to_string(), "13w");
    assert_eq!(Duration::Months(1).to_string(), "1 month");
    assert_eq!(Duration::Months(6).to_string(), "6 months");
}

#[test]
fn local_time_edges() {
    // 01:02 is 62 minutes after midnight.
    assert_eq!(LocalTime::parse("01:02"), Ok(LocalTime(62)));
    assert_eq!(LocalTime::parse("23:59"), Ok(LocalTime(1439)));
    assert_eq!(LocalTime::parse("10:59"), Ok(LocalTime(659)));
    assert!(LocalTime::parse(":30").is_err());
    assert!(LocalTime::parse("001:00").is_err());
    assert!(LocalTime::parse("25:00").is_err());
    assert!(LocalTime::parse("24:30").is_err());
    assert_eq!(LocalTime::parse_time_of_day("00:00"), Ok(LocalTime(0)));
    assert_eq!(LocalTime(450).to_string(), "07:30");
    assert_eq!(LocalTime(1440).to_string(), "24:00");
    assert_eq!(
        LocalTime(450).on(d("2026-12-31")).to_string(),
        "2026-12-31 07:30:00"
    );
    assert_eq!(
        LocalTime(1439).on(d("2026-12-31")).to_string(),
        "2026-12-31 23:59:00"
    );
}

#[test]
fn dates_need_all_ten_characters() {
    assert!(parse_date("2026-1-05").is_err());
    assert_eq!(
        parse_date(" 2026-01-05 "),
        Ok(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap())
    );
}

#[test]
fn date_times_in_every_written_form() {
    let local = |s: &str| {
        DateTimeSpec::Local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap())
    };
    assert_eq!(
        DateTimeSpec::parse("2026-12-23 10:00"),
        Ok(local("2026-12-23 10:00:00"))
    );
    assert_eq!(
        DateTimeSpec::parse("2026-12-23T10:00:30"),
        Ok(local("2026-12-23 10:00:30"))
    );
    // 24:00 is the next day's midnight.
    assert_eq!(
        DateTimeSpec::parse("2026-12-23T24:00"),
        Ok(local("2026-12-24 00:00:00"))
    );
    assert_eq!(
        DateTimeSpec::parse("2026-12-23 24:00"),
        Ok(local("2026-12-24 00:00:00"))
    );
    assert!(DateTimeSpec::parse("2026-12-23T23:00x").is_err());
    assert!(DateTimeSpec::parse("2026-13-23T24:00").is_err());
    // A local time read in London in winter is the same UTC instant.
    let tz: Tz = "Europe/London".parse().unwrap();
    assert_eq!(
        rfc3339(local("2026-12-23 10:00:00").resolve(tz)),
        "2026-12-23T10:00:00Z"
    );
}

#[test]
fn every_weekday_by_name() {
    let days = [
        ("mon", Weekday::Mon),
        ("tue", Weekday::Tue),
        ("wed", Weekday::Wed),
        ("thu", Weekday::Thu),
        ("fri", Weekday::Fri),
        ("sat", Weekday::Sat),
        ("sun", Weekday::Sun),
    ];
    for (name, day) in days {
        assert_eq!(parse_weekday(name), Ok(day));
        assert_eq!(parse_weekday(&name.to_uppercase()), Ok(day));
        assert_eq!(weekday_name(day), name);
    }
    // 2026-12-23 is a Wednesday: two days after Monday the 21st.
    assert_eq!(weekday_index(d("2026-12-23")), 2);
    assert_eq!(weekday_index(d("2026-12-21")), 0);
    assert_eq!(weekday_index(d("2026-12-27")), 6);
}

#[test]
fn a_day_long_gap_is_walked_to_its_end() {
    // Samoa skipped 30 December 2011: 29 December 23:59:59 at UTC-10 was followed by
    // 31 December 00:00 at UTC+14, which is 2011-12-30T10:00Z. 30 December 12:00 local
    // does not exist; the first instant after it is 31 December 00:00 local, 12 hours
    // of wall clock later.
    let tz: Tz = "Pacific/Apia".parse().unwrap();
    let noon = d("2011-12-30").and_hms_opt(12, 0, 0).unwrap();
    assert_eq!(rfc3339(local_to_instant(tz, noon)), "2011-12-30T10:00:00Z");
}

#[test]
fn days_of_the_calendar_and_of_people() {
    let tz: Tz = "Europe/London".parse().unwrap();
    // Summer: London midnight is 23:00 UTC the day before.
    assert_eq!(
        rfc3339(start_of_day(tz, d("2026-07-06"))),
        "2026-07-05T23:00:00Z"
    );
    let late = DateTimeSpec::parse("2026-07-05T23:30:00Z")
        .unwrap()
        .resolve(tz);
    assert_eq!(local_date(tz, late), d("2026-07-06"));
    assert_eq!(
        human(
            tz,
            DateTimeSpec::parse("2026-12-23T10:00:00Z")
                .unwrap()
                .resolve(tz)
        ),
        "Wed 23 Dec 2026 10:00 GMT"
    );
    assert_eq!(days(1), "1 day");
    assert_eq!(days(3), "3 days");
    assert_eq!(days(0), "0 days");
}
