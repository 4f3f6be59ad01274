//! No input makes rota panic: random and mutated data files go through load, resolve,
//! schedule and every rule.

use crate::common::*;
use proptest::prelude::*;
use rota::time::{Clock, parse_date, start_of_day};

fn run_everything(repo: &TestRepo) {
    let Ok(loaded) = rota::load::load(repo.path()) else {
        return;
    };
    let model = rota::load::resolve::resolve(loaded);
    let today = parse_date(TODAY).unwrap();
    let clock = Clock {
        now: start_of_day(model.repo.config.timezone, today),
        today,
    };
    let _ = rota::rules::check(&model, clock);
}

/// Pieces of plausible YAML to splice into real files.
fn fragments() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        "\n",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "&a ",
        "*a",
        "null",
        "~",
        "24:00",
        "25:61",
        "0m",
        "-1w",
        "2026-02-30",
        "2027-03-28T01:30",
        "9999-12-31",
        "0000-01-01",
        "Europe/London",
        "Mars/Olympus",
        "holiday",
        "every: 1h",
        "every: 0d",
        "offset: -3",
        "offset: 99999999999",
        "offset: 9223372036854775807",
        "offset: -9223372036854775808",
        "person: null",
        "members: []",
        "positions: []",
        "hours: []",
        "until: 2020-01-01",
        "first: zed",
        "after: 999999m",
        "notify: rota:ooh",
        "\u{feff}",
        "é",
        "\t",
        "#",
        "---",
        "...",
        "!!binary",
        "<<: *a",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn mutated_rota_files_never_panic(cuts in prop::collection::vec((0usize..400, fragments()), 1..6)) {
        let repo = TestRepo::new();
        let mut text = OOH.to_string();
        for (at, piece) in cuts {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) { at -= 1; }
            text.insert_str(at, &piece);
        }
        repo.write("rota/rotas/ooh.yaml", &text);
        run_everything(&repo);
    }

    #[test]
    fn mutated_people_and_leave_never_panic(cuts in prop::collection::vec((0usize..800, fragments()), 1..6)) {
        let repo = TestRepo::new();
        let mut people = PEOPLE.to_string();
        for (at, piece) in &cuts {
            let mut at = (*at).min(people.len());
            while !people.is_char_boundary(at) { at -= 1; }
            people.insert_str(at, piece);
        }
        repo.write("rota/people.yaml", &people);
        repo.write("rota/leave.yaml", &format!("- {{ person: alice, from: {}, to: 2027-01-02 }}\n", cuts[0].1));
        run_everything(&repo);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let repo = TestRepo::new();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        repo.write("rota/rotas/ooh.yaml", &text);
        repo.write("runbooks/x.md", &format!("---\n{text}\n---\n# X\n"));
        run_everything(&repo);
    }
}
