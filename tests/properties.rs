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
