//! `rota plan`: joiners and leavers on the example repository, member orders on
//! generated teams (checked against exhaustive search), and the holiday-fairness rule.

use crate::common::*;
use rota::propose::{Baseline, order};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A copy of the example repository (the data in this repository's own `rota/`).
fn example() -> TestRepo {
    let repo = TestRepo::empty();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["rota", "runbooks", "monitoring"] {
        copy_dir(&root.join(dir), &repo.path().join(dir));
    }
    repo
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn shifts(repo: &TestRepo, rota: &str) -> Vec<Value> {
    repo.json(&[
        "shifts",
        "--rota",
        rota,
        "--from",
        "2026-01-07",
        "--to",
        "2028-06-30",
        "--format",
        "json",
    ])
    .as_array()
    .unwrap()
    .clone()
}

/// Findings as (rule, message with numbers masked), counted: what "adds a finding" compares.
fn finding_keys(repo: &TestRepo) -> BTreeMap<(String, String), usize> {
    let (json, _) = repo.check();
    let mut out = BTreeMap::new();
    for f in json["findings"].as_array().unwrap() {
        let message: String = f["message"]
            .as_str()
            .unwrap()
            .chars()
            .map(|c| if c.is_ascii_digit() { '#' } else { c })
            .collect();
        *out.entry((f["rule"].as_str().unwrap().to_string(), message))
            .or_default() += 1;
    }
    out
}

fn added(
    before: &BTreeMap<(String, String), usize>,
    after: &BTreeMap<(String, String), usize>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(k, n)| before.get(*k).copied().unwrap_or(0) < **n)
        .map(|(k, _)| format!("{k:?}"))
        .collect()
}

/// The start of the block `plan` wrote: the last `start:` in the rota file.
fn new_block_start(repo: &TestRepo, rota: &str) -> String {
    let text =
        std::fs::read_to_string(repo.path().join(format!("rota/rotas/{rota}.yaml"))).unwrap();
    let line = text.lines().rfind(|l| l.contains("start: ")).unwrap();
    let date = line.split("start: ").nth(1).unwrap();
    date[..10].to_string()
}

fn turn_counts(shifts: &[Value], from: &str, to: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for s in shifts {
        let start = s["start"].as_str().unwrap();
        if start >= from && start < to {
            *out.entry(s["person"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    out
}

fn spread(counts: &BTreeMap<String, usize>, members: &[String]) -> usize {
    let values: Vec<usize> = members
        .iter()
        .map(|m| counts.get(m).copied().unwrap_or(0))
        .collect();
    values.iter().max().unwrap() - values.iter().min().unwrap()
}

#[test]
fn a_first_timer_joins_the_example_rota_without_touching_the_past() {
    let repo = example();
    let people = std::fs::read_to_string(repo.path().join("rota/people.yaml")).unwrap();
    repo.write(
        "rota/people.yaml",
        &format!("{people}- {{ id: pat, name: Pat New, roles: [developer], opted_in: true, vetted: 2026-10-01, handle: \"@pat\" }}\n"),
    );
    let before_text =
        std::fs::read_to_string(repo.path().join("rota/rotas/out-of-hours.yaml")).unwrap();
    let before = shifts(&repo, "out-of-hours");
    let findings_before = finding_keys(&repo);
    let dry = repo.stdout(&["plan", "join", "pat", "--rota", "out-of-hours"]);
    assert!(dry.contains("Dry run"), "{dry}");
    assert!(dry.contains("+ ") && dry.contains("pat"), "{dry}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("rota/rotas/out-of-hours.yaml")).unwrap(),
        before_text,
        "a dry run writes nothing"
    );
    repo.stdout(&["plan", "join", "pat", "--rota", "out-of-hours", "--write"]);
    let after_text =
        std::fs::read_to_string(repo.path().join("rota/rotas/out-of-hours.yaml")).unwrap();
    assert!(
        after_text.starts_with(before_text.split("positions:").next().unwrap()),
        "{after_text}"
    );
    assert!(after_text.ends_with(before_text.split("first: erin").nth(1).unwrap()));
    let start = new_block_start(&repo, "out-of-hours");
    // The freeze: eight weeks from 2026-11-22.
    assert!(start.as_str() >= "2027-01-17", "{start}");
    let after = shifts(&repo, "out-of-hours");
    let early = |list: &[Value]| -> Vec<Value> {
        list.iter()
            .filter(|s| s["start"].as_str().unwrap() < start.as_str())
            .cloned()
            .collect()
    };
    assert_eq!(
        early(&before),
        early(&after),
        "no shift before {start} changes"
    );
    let findings_after = finding_keys(&repo);
    assert_eq!(
        added(&findings_before, &findings_after),
        Vec::<String>::new()
    );

    // Each of pat's first four turns (experienced_after) has an experienced partner:
    // `experienced: true`, or four out-of-hours turns served before it.
    let flagged: BTreeSet<&str> = ["alice", "bob", "erin"].into();
    let mut turns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in &after {
        turns
            .entry(s["start"].as_str().unwrap().to_string())
            .or_default()
            .push(s["person"].as_str().unwrap().to_string());
    }
    let mut served: BTreeMap<String, usize> = BTreeMap::new();
    let mut pats = 0;
    for people in turns.values() {
        if people.iter().any(|p| p == "pat") && pats < 4 {
            pats += 1;
            let partner_ok = people
                .iter()
                .filter(|p| *p != "pat")
                .any(|p| flagged.contains(p.as_str()) || served.get(p).copied().unwrap_or(0) >= 4);
            assert!(
                partner_ok,
                "pat's turn {pats} with {people:?} has no experienced partner"
            );
        }
        for p in people {
            *served.entry(p.clone()).or_default() += 1;
        }
    }
    assert_eq!(pats, 4, "pat has four turns");

    // Share spread over the year from the block: at most one turn more than before.
    let year_end = format!(
        "{}{}",
        &start[..3],
        (start[3..4].parse::<u32>().unwrap() + 1) % 10
    ) + &start[4..];
    let members_before: Vec<String> = [
        "alice", "bob", "carol", "dan", "erin", "frank", "grace", "heidi", "oscar",
    ]
    .map(String::from)
    .to_vec();
    let mut members_after = members_before.clone();
    members_after.push("pat".into());
    let spread_before = spread(&turn_counts(&before, &start, &year_end), &members_before);
    let spread_after = spread(&turn_counts(&after, &start, &year_end), &members_after);
    assert!(
        spread_after <= spread_before + 1,
        "{spread_before} → {spread_after}"
    );
}

#[test]
fn a_member_leaves_the_example_rota_without_touching_the_past() {
    let repo = example();
    let before = shifts(&repo, "out-of-hours");
    let findings_before = finding_keys(&repo);
    let out = repo.stdout(&[
        "plan",
        "leave",
        "grace",
        "--rota",
        "out-of-hours",
        "--write",
    ]);
    assert!(
        out.contains("Written to rota/rotas/out-of-hours.yaml"),
        "{out}"
    );
    let start = new_block_start(&repo, "out-of-hours");
    assert!(start.as_str() >= "2027-01-17", "{start}");
    let after = shifts(&repo, "out-of-hours");
    let split = |list: &[Value], early: bool| -> Vec<Value> {
        list.iter()
            .filter(|s| (s["start"].as_str().unwrap() < start.as_str()) == early)
            .cloned()
            .collect()
    };
    assert_eq!(split(&before, true), split(&after, true));
    assert!(
        split(&after, false).iter().all(|s| s["person"] != "grace"),
        "grace holds nothing from {start}"
    );
    assert_eq!(
        added(&findings_before, &finding_keys(&repo)),
        Vec::<String>::new()
    );
}

#[test]
fn a_proposal_that_adds_a_finding_is_not_written() {
    // Two members left on a rota that needs six: any block without one adds a finding.
    let repo = TestRepo::new();
    let before_text = ooh_with("policy: { min_people: 8 }\n");
    repo.write("rota/rotas/ooh.yaml", &before_text);
    let out = repo
        .rota(&["plan", "leave", "bob", "--rota", "ooh", "--write"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not written"));
    assert_eq!(
        std::fs::read_to_string(repo.path().join("rota/rotas/ooh.yaml")).unwrap(),
        before_text
    );
    // Wrong requests are exit 2, with the reason.
    let out = repo
        .rota(&["plan", "join", "nobody", "--rota", "ooh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = repo
        .rota(&["plan", "join", "alice", "--rota", "ooh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already"));
}

// ---- generated teams for `plan order` ----

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const WEEKS: usize = 12;
/// The new block starts at turn 52 of the rota (2027-01-06), 12 weeks planned.
const BLOCK_TURN: usize = 52;

/// One generated team: the out-of-hours rota `ooh` (weekly, primary and secondary), the
/// other rotas' holders per planned turn, and who is on leave in which planned turn.
struct Case {
    n: usize,
    /// other[t]: team members on another rota in planned turn t.
    other: Vec<BTreeSet<usize>>,
    /// leave[t]: team members on leave in planned turn t.
    leave: Vec<BTreeSet<usize>>,
    files: Vec<(String, String)>,
}

fn day(turn: usize, plus: u64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 7).unwrap() + chrono::Days::new(turn as u64 * 7 + plus)
}

/// A team built so that an order without clashes exists (`feasible`), or so that planned
/// turn 0 has too few people free (not feasible).
fn case(rng: &mut Rng, n: usize, feasible: bool) -> Case {
    let names: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
    // The hidden order: turn t is held by hidden[t % n] and hidden[(t + 1) % n].
    let mut hidden: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        hidden.swap(i, rng.below(i + 1));
    }
    let holds = |t: usize| -> [usize; 2] { [hidden[t % n], hidden[(t + 1) % n]] };
    let mut leave = vec![BTreeSet::new(); WEEKS];
    let mut leave_yaml = String::new();
    let on_leave = rng.below(7);
    for _ in 0..on_leave {
        let who = rng.below(n);
        let t = rng.below(WEEKS);
        if feasible && holds(t).contains(&who) {
            continue;
        }
        leave[t].insert(who);
        // Thursday to Tuesday: inside that turn only.
        leave_yaml.push_str(&format!(
            "- {{ person: {}, from: {}, to: {} }}\n",
            names[who],
            day(BLOCK_TURN + t, 1),
            day(BLOCK_TURN + t, 6)
        ));
    }
    if !feasible {
        // All but one on leave in planned turn 0, and a few more elsewhere.
        for (who, name) in names.iter().enumerate().take(n - 1) {
            if leave[0].insert(who) {
                leave_yaml.push_str(&format!(
                    "- {{ person: {}, from: {}, to: {} }}\n",
                    name,
                    day(BLOCK_TURN, 1),
                    day(BLOCK_TURN, 6)
                ));
            }
        }
    }
    let mut other = vec![BTreeSet::new(); WEEKS];
    let mut files = Vec::new();
    let mut outsiders = 0;
    let mut used: BTreeSet<usize> = BTreeSet::new();
    for r in 0..1 + rng.below(3) {
        let k = 4 + rng.below(3);
        let mut list: Vec<String> = Vec::new();
        let mut slots: Vec<Option<usize>> = Vec::new();
        for _ in 0..k {
            let who = rng.below(n);
            // Team members only in feasible cases, each on one other rota at most.
            if feasible && !used.contains(&who) && !slots.contains(&Some(who)) && rng.below(2) == 0
            {
                slots.push(Some(who));
            } else {
                slots.push(None);
            }
        }
        // A slot whose turns meet the hidden order's turns of that person goes to an outsider.
        for (i, slot) in slots.iter_mut().enumerate() {
            if let Some(who) = *slot {
                let clashes =
                    (0..WEEKS).any(|t| (BLOCK_TURN + t) % k == i && holds(t).contains(&who));
                if clashes {
                    *slot = None;
                }
            }
        }
        for slot in &slots {
            match slot {
                Some(who) => {
                    used.insert(*who);
                    list.push(names[*who].clone());
                }
                None => {
                    outsiders += 1;
                    list.push(format!("x{outsiders}"));
                }
            }
        }
        for (t, set) in other.iter_mut().enumerate() {
            if let Some(who) = slots[(BLOCK_TURN + t) % k] {
                set.insert(who);
            }
        }
        files.push((
            format!("rota/rotas/day{r}.yaml"),
            format!(
                "name: Day {r}\nkind: in-hours\nhours:\n  - {{ days: [mon, tue, wed, thu, fri], from: \"10:00\", to: \"18:00\" }}\nrotation:\n  start: 2026-01-07\n  handover: \"10:00\"\n  every: 1w\n  members: [{}]\npositions:\n  - {{ name: engineer }}\n",
                list.join(", ")
            ),
        ));
    }
    let mut people = String::new();
    for name in names.iter().chain(
        (1..=outsiders)
            .map(|i| format!("x{i}"))
            .collect::<Vec<_>>()
            .iter(),
    ) {
        people.push_str(&format!(
            "- {{ id: {name}, name: {name}, roles: [oncall], opted_in: true, vetted: 2020-01-01, experienced: true }}\n"
        ));
    }
    files.push(("rota/people.yaml".into(), people));
    files.push((
        "rota/config.yaml".into(),
        format!("{CONFIG}policy: {{ min_people: 4, ideal_people: 4, max_share: 0.9, ideal_share: 0.9, max_consecutive_turns: 3 }}\n"),
    ));
    files.push((
        "rota/leave.yaml".into(),
        if leave_yaml.is_empty() {
            "[]\n".into()
        } else {
            leave_yaml
        },
    ));
    files.push((
        "rota/rotas/ooh.yaml".into(),
        format!(
            "name: Out of hours\nkind: out-of-hours\nhours: always\nrotation:\n  start: 2026-01-07\n  handover: \"10:00\"\n  every: 1w\n  members: [{}]\npositions:\n  - {{ name: primary }}\n  - {{ name: secondary, offset: 1 }}\n",
            names.join(", ")
        ),
    ));
    Case {
        n,
        other,
        leave,
        files,
    }
}

/// Clashes of an order with offsets [0, o]: shifts whose holder is on leave or on another rota.
fn clashes(case: &Case, order: &[usize], o: usize) -> usize {
    let n = case.n;
    (0..WEEKS)
        .map(|t| {
            [order[t % n], order[(t + o) % n]]
                .iter()
                .filter(|m| case.leave[t].contains(m) || case.other[t].contains(m))
                .count()
        })
        .sum()
}

fn fewest_by_search(case: &Case) -> usize {
    let n = case.n;
    let mut best = usize::MAX;
    let mut order: Vec<usize> = (0..n).collect();
    fn permute(p: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
        if k == p.len() {
            f(p);
            return;
        }
        for i in k..p.len() {
            p.swap(k, i);
            permute(p, k + 1, f);
            p.swap(k, i);
        }
    }
    permute(&mut order, 0, &mut |p| {
        for o in 1..n {
            best = best.min(clashes(case, p, o));
        }
    });
    best
}

/// What `plan order` proposes for a case: the order (as member indexes), its secondary
/// offset, and the clashes it reports.
fn proposed(case: &Case) -> (Vec<usize>, usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in &case.files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let model = rota::load::resolve::resolve(rota::load::load(dir.path()).unwrap());
    assert!(model.findings.is_empty(), "{:?}", model.findings);
    let tz = chrono_tz::Europe::London;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let clock = rota::time::Clock {
        now: rota::time::start_of_day(tz, today),
        today,
    };
    let rota = model.rota("ooh").unwrap();
    let (date, start) = rota::propose::first_handover(&model, rota, day(BLOCK_TURN, 0)).unwrap();
    assert_eq!(date, day(BLOCK_TURN, 0));
    let base = Baseline::new(&model, clock, rota, start);
    let best = order::propose(&base, date, WEEKS as i64, 1)
        .unwrap()
        .remove(0);
    let order: Vec<usize> = best
        .block
        .members
        .iter()
        .map(|m| m[1..].parse().unwrap())
        .collect();
    let offsets = best.block.offsets.clone().unwrap_or(vec![0, 1]);
    assert_eq!(offsets[0], 0);
    // Every clash it reports names a trade or says there is none; each is in a planned turn.
    for c in &best.clashes {
        assert!(!c.why.is_empty());
    }
    (order, offsets[1] as usize, best.clashes.len())
}

#[test]
fn plan_order_finds_a_clash_free_order_whenever_one_exists() {
    let mut rng = Rng(2026);
    for i in 0..200 {
        let n = 6 + i % 7;
        let case = case(&mut rng, n, true);
        let (order, o, reported) = proposed(&case);
        assert_eq!(
            clashes(&case, &order, o),
            0,
            "case {i}: order {order:?} offset {o}"
        );
        assert_eq!(reported, 0, "case {i}");
    }
}

#[test]
fn plan_order_reports_the_fewest_clashes_when_none_avoids_them_all() {
    let mut rng = Rng(7);
    for i in 0..24 {
        let n = 6 + i % 2;
        let case = case(&mut rng, n, false);
        let (order, o, reported) = proposed(&case);
        let fewest = fewest_by_search(&case);
        assert!(fewest >= 1, "case {i} was built without a clash-free order");
        assert_eq!(clashes(&case, &order, o), fewest, "case {i}");
        assert_eq!(reported, fewest, "case {i}");
    }
}

#[test]
fn plan_order_writes_a_block_that_check_accepts() {
    let mut rng = Rng(99);
    let case = case(&mut rng, 8, true);
    let repo = TestRepo::empty();
    for (path, text) in &case.files {
        repo.write(path, text);
    }
    // Leave and other rotas only: the weekends a partial cycle leaves uneven are
    // `holiday-fairness`'s (tested below), which would hold the write back.
    let ooh = case
        .files
        .iter()
        .find(|(p, _)| p.ends_with("ooh.yaml"))
        .unwrap();
    repo.write(
        &ooh.0,
        &format!("{}policy: {{ weekend_spread: 20 }}\n", ooh.1),
    );
    let out = repo.stdout(&[
        "plan",
        "order",
        "--rota",
        "ooh",
        "--from",
        "2027-01-06",
        "--weeks",
        "12",
        "--write",
    ]);
    assert!(out.contains("Written to rota/rotas/ooh.yaml"), "{out}");
    for rule in ["leave-conflict", "double-duty", "rest"] {
        assert_eq!(repo.findings(rule), Vec::<Value>::new(), "{rule}");
    }
}

// ---- holiday-fairness ----

/// Holidays on `dates` for the test rota (turn 48, from 2026-12-09, is alice's as primary
/// and bob's as secondary).
fn with_holidays(dates: &[&str]) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}holidays: [{}]\n", dates.join(", ")),
    );
    repo
}

#[test]
fn three_bank_holidays_for_some_and_none_for_others_is_unfair() {
    let repo = with_holidays(&["2026-12-10", "2026-12-11", "2026-12-14"]);
    let found = repo.findings("holiday-fairness");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["level"], "warning");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("bank-holiday duty days per member differ by 3"),
        "{found:?}"
    );
    // `rota report` shows each member's counts.
    let report = repo.stdout(&["report"]);
    assert!(
        report.contains("alice            holidays   0 | 3"),
        "{report}"
    );
    assert!(
        report.contains("carol            holidays   0 | 0"),
        "{report}"
    );
}

#[test]
fn a_spread_at_the_limit_is_fair() {
    let repo = with_holidays(&["2026-12-10"]);
    assert_eq!(repo.findings("holiday-fairness"), Vec::<Value>::new());
    // A wider limit set in the policy lets three through.
    let repo = with_holidays(&["2026-12-10", "2026-12-11", "2026-12-14"]);
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("policy: { holiday_spread: 3 }\n"),
    );
    assert_eq!(repo.findings("holiday-fairness"), Vec::<Value>::new());
}
