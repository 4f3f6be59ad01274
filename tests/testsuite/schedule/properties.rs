//! Property tests of the schedule engine's invariants.

use chrono::{Days, NaiveDate, TimeDelta, Timelike};
use chrono_tz::Tz;
use proptest::prelude::*;
use rota::model::*;
use rota::schedule::Schedule;
use rota::schedule::interval::Interval;
use rota::source::{FileId, Loc};
use rota::time::{self, LocalTime};

fn loc() -> Loc {
    Loc {
        file: FileId(0),
        line: 1,
        column: 1,
    }
}

fn named(id: &str) -> Named {
    Named {
        id: id.to_string(),
        loc: loc(),
    }
}

fn rota(
    tz: Tz,
    start: NaiveDate,
    handover: u16,
    every: TurnLength,
    members: usize,
    overrides: Vec<Override>,
) -> Rota {
    let members: Vec<Named> = (0..members).map(|i| named(&format!("p{i}"))).collect();
    Rota {
        id: "r".into(),
        file: FileId(0),
        name: "R".into(),
        description: String::new(),
        kind: RotaKind::OutOfHours,
        kind_loc: loc(),
        timezone: tz,
        hours: Some(DutyHours::Always),
        hours_loc: loc(),
        blocks: vec![Block {
            start,
            handover: LocalTime(handover),
            every,
            every_loc: loc(),
            members,
            positions: vec![
                Position {
                    name: "primary".into(),
                    offset: 0,
                    members: None,
                    role: None,
                    shadow: false,
                    loc: loc(),
                },
                Position {
                    name: "secondary".into(),
                    offset: 1,
                    members: None,
                    role: None,
                    shadow: false,
                    loc: loc(),
                },
            ],
            until: None,
            until_loc: None,
            first: None,
            loc: loc(),
        }],
        policy: PolicyOverrides::default(),
        policy_loc: None,
        overrides,
        escalation: None,
        escalation_loc: loc(),
        loc: loc(),
    }
}

fn zones() -> impl Strategy<Value = Tz> {
    prop_oneof![
        Just(chrono_tz::Europe::London),
        Just(chrono_tz::America::New_York),
        Just(chrono_tz::Australia::Lord_Howe),
        Just(chrono_tz::Asia::Kolkata),
        Just(chrono_tz::UTC),
    ]
}

fn turn_lengths() -> impl Strategy<Value = TurnLength> {
    prop_oneof![
        prop::sample::select(vec![1u32, 2, 3, 4, 6, 8, 12]).prop_map(TurnLength::Hours),
        (1u32..4).prop_map(TurnLength::Days),
        (1u32..3).prop_map(TurnLength::Weeks),
    ]
}

fn schedule_of(r: Rota, days: u64) -> (Schedule, rota::time::Instant, rota::time::Instant) {
    let start = time::local_to_instant(r.timezone, r.blocks[0].handover.on(r.blocks[0].start));
    let to = time::start_of_day(r.timezone, r.blocks[0].start + Days::new(days));
    let s = Schedule::compute(&Config::default(), &[], &[r], Interval::new(start, to));
    (s, start, to)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn turns_tile_time_without_gap_or_overlap(
        tz in zones(), day in 0u64..730, handover in 0u16..1440, every in turn_lengths(), n in 1usize..10,
    ) {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(day);
        let (s, first, _) = schedule_of(rota(tz, start, handover, every, n, vec![]), 60);
        let turns = &s.rotas[0].turns;
        prop_assert!(!turns.is_empty());
        prop_assert_eq!(turns[0].start, first);
        for pair in turns.windows(2) {
            prop_assert!(pair[0].start < pair[0].end);
            prop_assert_eq!(pair[0].end, pair[1].start);
        }
    }

    #[test]
    fn each_position_has_exactly_one_holder_at_every_instant(
        tz in zones(), day in 0u64..365, handover in 0u16..1440, every in turn_lengths(), n in 2usize..9,
        cuts in prop::collection::vec((0i64..40 * 24 * 60, 1i64..5 * 24 * 60, 0usize..9), 0..4),
        probes in prop::collection::vec(0i64..40 * 24 * 60, 20),
    ) {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(day);
        let base = time::local_to_instant(tz, LocalTime(handover).on(start));
        // Nested overrides: each one inside the one before.
        let mut overrides = Vec::new();
        let (mut lo, mut hi) = (base, base + TimeDelta::days(40));
        for (offset, len, who) in cuts {
            let from = (base + TimeDelta::minutes(offset)).max(lo);
            let to = (from + TimeDelta::minutes(len)).min(hi);
            if to <= from { break; }
            overrides.push(Override {
                position: Some(named("primary")), from, to, from_loc: loc(),
                person: Some(named(&format!("p{}", who % n))), person_loc: loc(), replaces: None, reason: None, loc: loc(),
            });
            (lo, hi) = (from, to);
        }
        let (s, first, _) = schedule_of(rota(tz, start, handover, every, n, overrides), 45);
        let rs = &s.rotas[0];
        for position in &rs.positions {
            for pair in position.segments.windows(2) {
                prop_assert_eq!(pair[0].end, pair[1].start);
            }
            for p in &probes {
                let t = first + TimeDelta::minutes(*p);
                let holders: Vec<_> = position.segments.iter().filter(|s| s.start <= t && t < s.end).collect();
                prop_assert_eq!(holders.len(), 1);
                prop_assert!(holders[0].person.is_some());
            }
        }
    }

    #[test]
    fn daily_handovers_land_at_the_stated_local_time_through_both_clock_changes(
        tz in prop_oneof![Just(chrono_tz::Europe::London), Just(chrono_tz::America::New_York), Just(chrono_tz::Europe::Berlin)],
        handover in 0u16..1440,
    ) {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let (s, _, _) = schedule_of(rota(tz, start, handover, TurnLength::Days(1), 8, vec![]), 366);
        let turns = &s.rotas[0].turns;
        prop_assert_eq!(turns.len(), 366);
        for (i, turn) in turns.iter().enumerate() {
            let local = turn.start.with_timezone(&tz);
            let day = start + Days::new(i as u64);
            let wanted = LocalTime(handover).on(day);
            if local.naive_local() != wanted {
                // Only a time that does not exist (spring forward) may move, and only forward
                // to the first instant that does.
                let just_before = turn.start - TimeDelta::minutes(1);
                prop_assert!(local.naive_local() > wanted, "{} {}", local, wanted);
                prop_assert!(just_before.with_timezone(&tz).naive_local() < wanted);
            } else {
                prop_assert_eq!((local.hour() * 60 + local.minute()) as u16, handover);
            }
        }
    }
}

/// Rotas with up to three blocks (new member lists, `first:`, `until`), a leaver, and
/// overrides with and without `position:` (nested or apart).
#[derive(Debug, Clone)]
struct Scenario {
    tz: Tz,
    start: NaiveDate,
    handover: u16,
    every: TurnLength,
    n: usize,
    blocks: Vec<(u64, usize, Option<usize>)>,
    until: Option<u64>,
    left: Option<(usize, u64)>,
    overrides: Vec<(i64, i64, usize, Option<usize>, bool)>,
}

fn scenarios() -> impl Strategy<Value = Scenario> {
    (
        zones(),
        0u64..365,
        0u16..1440,
        prop_oneof![
            prop::sample::select(vec![1u32, 6, 12]).prop_map(TurnLength::Hours),
            (1u32..3).prop_map(TurnLength::Days),
            (1u32..3).prop_map(TurnLength::Weeks),
        ],
        1usize..6,
        prop::collection::vec((1u64..400, 1usize..7, prop::option::of(0usize..7)), 0..3),
        prop::option::of(30u64..1100),
        prop::option::of((0usize..6, 0u64..900)),
        prop::collection::vec(
            (
                0i64..900 * 24 * 60,
                1i64..500 * 24 * 60,
                0usize..8,
                prop::option::of(0usize..7),
                any::<bool>(),
            ),
            0..4,
        ),
    )
        .prop_map(
            |(tz, day, handover, every, n, blocks, until, left, overrides)| Scenario {
                tz,
                start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(day),
                handover,
                every,
                n,
                blocks,
                until,
                left,
                overrides,
            },
        )
}

/// The rota and the people (with `left`) a scenario describes.
fn build(s: &Scenario) -> (Rota, Vec<Person>) {
    let mut r = rota(s.tz, s.start, s.handover, s.every, s.n, vec![]);
    let first_block = r.blocks[0].clone();
    let mut day = 0;
    for (gap, members, first) in &s.blocks {
        day += gap;
        let members: Vec<Named> = (0..*members).map(|i| named(&format!("p{i}"))).collect();
        let first = first
            .filter(|f| *f < members.len())
            .map(|f| members[f].clone());
        r.blocks.push(Block {
            start: s.start + Days::new(day),
            members,
            first,
            ..first_block.clone()
        });
    }
    if let Some(u) = s.until {
        let until = s.start + Days::new(u);
        for b in &mut r.blocks {
            b.until = Some(until);
        }
    }
    let base = time::local_to_instant(s.tz, LocalTime(s.handover).on(s.start));
    for (offset, len, who, replaces, positioned) in &s.overrides {
        let from = base + TimeDelta::minutes(*offset);
        let to = from + TimeDelta::minutes(*len);
        let apart = r.overrides.iter().all(|o: &Override| {
            o.to <= from
                || to <= o.from
                || (o.from <= from && to <= o.to)
                || (from <= o.from && o.to <= to)
        });
        if !apart || (replaces.is_none() && !positioned) {
            continue;
        }
        r.overrides.push(Override {
            position: positioned.then(|| {
                named(if offset % 2 == 0 {
                    "primary"
                } else {
                    "secondary"
                })
            }),
            from,
            to,
            from_loc: loc(),
            person: (*who < 7).then(|| named(&format!("p{who}"))),
            person_loc: loc(),
            replaces: replaces.map(|p| named(&format!("p{p}"))),
            reason: None,
            loc: loc(),
        });
    }
    let people = (0..8)
        .map(|i| Person {
            id: format!("p{i}"),
            name: format!("P{i}"),
            roles: vec![],
            opted_in: true,
            vetted: None,
            experienced: false,
            handle: None,
            left: s
                .left
                .filter(|(who, _)| *who == i)
                .map(|(_, d)| s.start + Days::new(d)),
            loc: loc(),
        })
        .collect();
    (r, people)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// `now` (a schedule of the instant alone) and `shifts` (a schedule of the years
    /// after it) agree on who holds each position, until when, and whether it is on duty.
    #[test]
    fn now_agrees_with_shifts_at_any_distance(s in scenarios(), probe in 0i64..1200 * 24 * 60) {
        let (r, people) = build(&s);
        let config = Config::default();
        let base = time::local_to_instant(s.tz, LocalTime(s.handover).on(s.start));
        let t = base + TimeDelta::minutes(probe);
        let at = Schedule::compute(&config, &people, std::slice::from_ref(&r), Interval::new(t, t + TimeDelta::seconds(1)));
        let limit = t + TimeDelta::days(rota::schedule::HOLD_LOOKAHEAD_DAYS);
        let ahead = Schedule::compute(&config, &people, std::slice::from_ref(&r), Interval::new(t, limit + TimeDelta::weeks(8)));
        let (now, long) = (&at.rotas[0], &ahead.rotas[0]);
        prop_assert_eq!(now.on_duty(t), long.on_duty(t));
        let shifts = ahead.shifts(Interval::new(t, limit + TimeDelta::weeks(8)));
        for position in ["primary", "secondary"] {
            let mine: Vec<_> = shifts.iter().filter(|x| x.position == position).collect();
            let here = mine.iter().position(|x| x.start <= t && t < x.end);
            let holder = now.segment_at(position, t).and_then(|x| x.person.clone());
            prop_assert_eq!(holder.as_deref(), here.map(|i| mine[i].person), "holder of {} at {}", position, t);
            let expected = here.map(|i| {
                let mut end = mine[i].end;
                for x in &mine[i + 1..] {
                    if x.start != end || x.person != mine[i].person {
                        break;
                    }
                    end = x.end;
                }
                end
            });
            let expected = expected.filter(|e| *e < limit);
            prop_assert_eq!(now.held_until(position, t), expected, "until of {} at {}", position, t);
        }
    }
}

use crate::common;

/// The rota file of the history scenario: `start` moved back by `back` days.
fn history_rota(
    every: &str,
    n: usize,
    back: u64,
    first: Option<usize>,
    trades: &[(u64, usize)],
) -> String {
    let start = NaiveDate::from_ymd_opt(2026, 1, 7).unwrap() - Days::new(back);
    let members: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let mut text = format!(
        "name: R\nkind: out-of-hours\nhours: always\nrotation:\n  - {{ start: {start}, handover: \"10:00\", every: {every}, members: [{}] }}\n",
        members.join(", ")
    );
    if let Some(f) = first {
        text.push_str(&format!(
            "  - {{ start: 2026-12-16, members: [{}, p7], first: p{} }}\n",
            members.join(", "),
            f % n
        ));
    }
    text.push_str("positions: [{ name: primary }, { name: secondary, offset: 1 }]\n");
    text.push_str("escalation:\n  - { after: 0m, notify: primary }\n  - { after: 5m, notify: secondary }\n  - { after: 10m, notify: \"person:p0\" }\n");
    if !trades.is_empty() {
        text.push_str("overrides:\n");
        for (day, who) in trades {
            let from = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() + Days::new(*day);
            text.push_str(&format!(
                "  - {{ position: primary, from: {from}T10:00, to: {}T10:00, person: p{} }}\n",
                from + Days::new(1),
                who % 8
            ));
        }
    }
    text
}

type Found = Vec<(String, String, String, i64, i64)>;

fn findings_of(repo: &common::TestRepo) -> Found {
    let (json, _) = repo.check();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_i64().unwrap(),
                f["column"].as_i64().unwrap(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Moving a rota's start back by whole rotation cycles changes no shift in the window
    /// and no finding, except that experience findings may only go away (and
    /// `holiday-fairness`, which counts the year before today, may change).
    #[test]
    fn an_older_start_changes_nothing_but_experience(
        every in prop::sample::select(vec!["12h", "1d", "1w"]),
        n in 4usize..8,
        cycles in 1u64..60,
        first in prop::option::of(0usize..8),
        trades in prop::collection::vec((0u64..60, 0usize..8), 0..3),
    ) {
        let cycle_days = match every { "12h" => n as u64, "1d" => n as u64, _ => 7 * n as u64 };
        // 12h turns: 2n turns make n days, a whole number of cycles.
        let back = cycles * cycle_days;
        let people: String = (0..8)
            .map(|i| format!(
                "- {{ id: p{i}, name: P{i}, opted_in: true, vetted: 1990-01-01, experienced: {} }}\n",
                i % 3 == 0
            ))
            .collect();
        let run = |back: u64| {
            let repo = common::TestRepo::empty();
            repo.write("rota/config.yaml", common::CONFIG)
                .write("rota/people.yaml", &people)
                .write("rota/rotas/r.yaml", &history_rota(every, n, back, first, &trades));
            let shifts = repo.stdout(&["shifts", "--from", "2026-11-01", "--to", "2027-03-01", "--format", "csv"]);
            (shifts, findings_of(&repo))
        };
        let (shifts, found) = run(0);
        let (older_shifts, older_found) = run(back);
        prop_assert_eq!(shifts, older_shifts);
        let experience = |f: &(String, String, String, i64, i64)| {
            f.0 == "first-timer-paired" || f.0 == "in-hours-first"
        };
        let history = |f: &(String, String, String, i64, i64)| {
            experience(f) || f.0 == "holiday-fairness"
        };
        let others = |v: &Found| v.iter().filter(|f| !history(f)).cloned().collect::<Found>();
        prop_assert_eq!(others(&found), others(&older_found));
        for f in older_found.iter().filter(|f| experience(f)) {
            prop_assert!(
                found.iter().any(|g| (&g.0, &g.2, g.3, g.4) == (&f.0, &f.2, f.3, f.4)),
                "{:?} appeared with the older start", f
            );
        }
    }
}

fn evenings_and_weekends() -> DutyHours {
    use chrono::Weekday::*;
    DutyHours::Windows(vec![
        DutyWindow {
            days: [Mon, Tue, Wed, Thu, Fri]
                .into_iter()
                .map(DaySelector::Day)
                .collect(),
            from: LocalTime(18 * 60),
            to: LocalTime(24 * 60),
            loc: loc(),
        },
        DutyWindow {
            days: vec![DaySelector::Day(Sat), DaySelector::Day(Sun)],
            from: LocalTime(0),
            to: LocalTime(24 * 60),
            loc: loc(),
        },
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Turns served before an instant, counted from the rotation without walking history,
    /// equal the count over the whole schedule from the rota's first handover.
    #[test]
    fn turns_served_before_match_a_walk_from_the_start(
        s in scenarios(), evenings in any::<bool>(), probe in 0i64..900 * 24 * 60, person in 0usize..8,
    ) {
        let (mut r, people) = build(&s);
        if evenings {
            r.hours = Some(evenings_and_weekends());
        }
        let config = Config::default();
        let base = time::local_to_instant(s.tz, LocalTime(s.handover).on(s.start));
        let t = base + TimeDelta::minutes(probe);
        let whole = Schedule::compute(&config, &people, std::slice::from_ref(&r), Interval::new(base, t));
        let rs = &whole.rotas[0];
        let who = format!("p{person}");
        let walked = rs
            .counted_turns()
            .iter()
            .zip(&rs.turns)
            .filter(|(people, turn)| turn.start < t && people.contains(&who))
            .count();
        prop_assert_eq!(rs.counted_before(&who, t, usize::MAX), walked);
        prop_assert_eq!(rs.counted_before(&who, t, 3), walked.min(3));
    }
}
