//! Fuzzing harness for `rota`: the entry points every fuzz target calls, shared with the
//! main crate's `tests/fuzz_regressions.rs`, which replays the inputs kept under
//! `fuzz/regressions/<target>/` through these same functions on every `cargo test`.
//!
//! Each entry point panics when an invariant breaks (that is what a fuzzer reports); a
//! bad input itself must only ever give findings or a refusal.

use arbitrary::{Arbitrary, Unstructured};
use rota::cli::Cli;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The small valid repository every loader target changes one file of.
const BASE: &[(&str, &str)] = &[
    (
        "rota/config.yaml",
        include_str!("../../tests/corpus/_base/rota/config.yaml"),
    ),
    (
        "rota/people.yaml",
        include_str!("../../tests/corpus/_base/rota/people.yaml"),
    ),
    (
        "rota/rotas/ooh.yaml",
        include_str!("../../tests/corpus/_base/rota/rotas/ooh.yaml"),
    ),
    (
        "rota/alerts/web.yaml",
        include_str!("../../tests/corpus/_base/rota/alerts/web.yaml"),
    ),
    (
        "rota/services.yaml",
        include_str!("../../tests/corpus/_base/rota/services.yaml"),
    ),
    (
        "rota/leave.yaml",
        include_str!("../../tests/corpus/_base/rota/leave.yaml"),
    ),
    (
        "rota/pages/2026-11.yaml",
        include_str!("../../tests/corpus/_base/rota/pages/2026-11.yaml"),
    ),
    (
        "runbooks/site-down.md",
        include_str!("../../tests/corpus/_base/runbooks/site-down.md"),
    ),
];

/// "Today" for every run, so that runs are reproducible.
pub const TODAY: &str = "2026-11-22";

/// One scratch repository per process (fuzzers run one input at a time; tests may run
/// in parallel threads, hence the lock). The base files are written once; later inputs
/// only put back the file the previous input replaced.
static SCRATCH: Mutex<Option<Scratch>> = Mutex::new(None);

struct Scratch {
    dir: PathBuf,
    /// Whether `repo/` holds the base repository (but for `dirty`).
    base_written: bool,
    /// Files replaced since the base was written.
    dirty: Vec<String>,
}

fn scratch(guard: &mut Option<Scratch>) -> &mut Scratch {
    guard.get_or_insert_with(|| {
        let dir = std::env::temp_dir().join(format!("rota-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch {
            dir,
            base_written: false,
            dirty: Vec::new(),
        }
    })
}

/// The base repository with `rel` replaced by `bytes`, handed to `f` (the scratch folder).
fn with_scratch_file<T>(rel: &str, bytes: &[u8], f: impl FnOnce(&Path) -> T) -> T {
    let mut guard = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    let s = scratch(&mut guard);
    let repo = s.dir.join("repo");
    if s.base_written {
        for dirty in s.dirty.drain(..) {
            if let Some((_, text)) = BASE.iter().find(|(r, _)| *r == dirty) {
                write(&repo, &dirty, text.as_bytes());
            }
        }
    } else {
        let _ = std::fs::remove_dir_all(&repo);
        for (rel, text) in BASE {
            write(&repo, rel, text.as_bytes());
        }
        s.base_written = true;
        s.dirty.clear();
    }
    write(&repo, rel, bytes);
    s.dirty.push(rel.to_string());
    f(&s.dir)
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("scratch folder");
    }
    std::fs::write(path, bytes).expect("scratch file");
}

/// Loads and resolves the repository; a load error (exit 2) is a fine answer.
fn load_and_resolve(root: &Path) {
    if let Ok(repo) = rota::load::load(root) {
        let model = rota::resolve::resolve(repo);
        // Every finding points inside a file that was read.
        for f in &model.repo.findings {
            assert!(
                f.loc.line >= 1 && f.loc.column >= 1,
                "unlocated finding: {f:?}"
            );
        }
    }
}

/// `bytes` as the file `rel` of the base repository, loaded and resolved.
pub fn load_one_file(rel: &str, bytes: &[u8]) {
    with_scratch_file(rel, bytes, |dir| load_and_resolve(&dir.join("repo")));
}

/// `bytes` as the file `rel` of the base repository, through check, now, shifts, build.
pub fn check_one_file(rel: &str, bytes: &[u8]) {
    with_scratch_file(rel, bytes, check_and_build_dir);
}

/// `bytes` as the front matter of the base runbook.
pub fn load_runbook_front_matter(bytes: &[u8]) {
    let mut text = b"---\n".to_vec();
    text.extend_from_slice(bytes);
    text.extend_from_slice(b"\n---\n# Body\n");
    load_one_file("runbooks/site-down.md", &text);
}

/// Every value parser on `text`, and the arithmetic on what it returns.
pub fn parse_values(text: &str) {
    use rota::time::{self, DateTimeSpec, Duration, LocalTime};
    let anchor = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("a date");
    if let Ok(d) = Duration::parse(text) {
        let _ = d.approx_minutes();
        let _ = d.fixed();
        let _ = d.after_date(anchor);
        let _ = d.after_date(chrono::NaiveDate::MAX);
        let _ = d.after_local(anchor.and_hms_opt(10, 0, 0).expect("a time"));
        let _ = rota::model::TurnLength::from_duration(d).map(|t| (t.hours(), t.times(1000)));
    }
    let _ = Duration::parse_days_or_longer(text);
    if let Ok(t) = LocalTime::parse(text) {
        assert!(t.0 <= 1440);
        let _ = t.on(anchor);
        let _ = t.on(chrono::NaiveDate::MAX);
        let _ = t.to_string();
    }
    let _ = LocalTime::parse_time_of_day(text);
    if let Ok(d) = time::parse_date(text) {
        let _ = time::start_of_day(chrono_tz::Europe::London, d);
    }
    if let Ok(spec) = DateTimeSpec::parse(text) {
        for tz in [chrono_tz::Europe::London, chrono_tz::Pacific::Kiritimati] {
            let at = spec.resolve(tz);
            let _ = time::human(tz, at);
            let _ = time::local_date(tz, at);
        }
    }
    if let Ok(tz) = time::parse_tz(text) {
        let _ = time::start_of_day(tz, anchor);
    }
    let _ = time::parse_weekday(text);
}

/// Runs the command line `rota --root ROOT --today TODAY ARGS…` in process.
fn run(root: &Path, args: &[&str]) -> Option<u8> {
    let mut argv: Vec<String> = vec!["rota".into(), "--root".into(), root.display().to_string()];
    argv.extend(["--today".into(), TODAY.into()]);
    argv.extend(args.iter().map(|a| a.to_string()));
    let cli = <Cli as clap::Parser>::try_parse_from(argv).expect("a valid command line");
    match rota::cmd::run(cli) {
        Ok(code) => Some(if code == std::process::ExitCode::SUCCESS {
            0
        } else {
            1
        }),
        Err(_) => None,
    }
}

/// Checks, then builds; a successful build must hold only well-formed feeds, all of it
/// inside `out/`.
fn check_and_build_dir(dir: &Path) {
    // DTSTAMP from SOURCE_DATE_EPOCH: no `git log` per input.
    // SAFETY: set before any thread reads the environment in this process's runs; the
    // value is the same every time.
    unsafe { std::env::set_var("SOURCE_DATE_EPOCH", "1790000000") };
    let repo = dir.join("repo");
    let out = dir.join("out");
    let _ = std::fs::remove_dir_all(&out);
    let _ = run(&repo, &["check", "--format", "json"]);
    let _ = run(&repo, &["now", "--format", "json"]);
    let _ = run(
        &repo,
        &[
            "shifts",
            "--format",
            "json",
            "--from",
            "2026-11-01",
            "--to",
            "2027-03-01",
        ],
    );
    let built = run(&repo, &["build", "--out", &out.display().to_string()]);
    for entry in std::fs::read_dir(dir).expect("scratch").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            name == "repo" || name == "out",
            "build left `{name}` beside its output folder"
        );
    }
    if built == Some(0) {
        for entry in walk(&out) {
            if entry.extension().is_some_and(|e| e == "ics") {
                let text = std::fs::read_to_string(&entry).expect("feed is UTF-8");
                assert_feed_well_formed(&text);
            }
        }
    } else {
        assert!(!out.exists(), "a failed build left an output folder");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// RFC 5545 lines: CRLF only, at most 75 octets, no other control character.
pub fn assert_feed_well_formed(text: &str) {
    assert!(text.ends_with("\r\n"), "feed does not end with CRLF");
    for line in text[..text.len() - 2].split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line:?}", line.len());
        assert!(
            !line.chars().any(|c| c.is_control()),
            "control character in feed line {line:?}"
        );
    }
}

/// A date as a day offset from 2026-01-01 (about ±90 years).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct GenDate(i16);

impl GenDate {
    fn render(self) -> String {
        let base = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
        let d = base + chrono::TimeDelta::days(i64::from(self.0));
        d.format("%Y-%m-%d").to_string()
    }
}

/// A local time `HH:MM` (sometimes out of range on purpose).
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct GenTime(u8, u8);

impl GenTime {
    fn render(self) -> String {
        format!("{:02}:{:02}", self.0 % 26, self.1 % 64)
    }
}

#[derive(Arbitrary, Debug)]
pub struct GenWindow {
    days: u8,
    holidays: bool,
    from: GenTime,
    to: GenTime,
}

/// Duty hours: `always`, a list of windows, or any text.
#[derive(Arbitrary, Debug)]
pub enum GenHours {
    Always,
    Windows(Vec<GenWindow>),
    Text(String),
}

impl GenHours {
    fn render(&self) -> String {
        match self {
            GenHours::Always => "always".into(),
            GenHours::Text(t) => json(t),
            GenHours::Windows(ws) => {
                let mut s = String::from("\n");
                for w in ws.iter().take(8) {
                    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
                    let mut days: Vec<&str> = (0..7)
                        .filter(|i| w.days & (1 << i) != 0)
                        .map(|i| names[i])
                        .collect();
                    if w.holidays {
                        days.push("holidays");
                    }
                    let _ = writeln!(
                        s,
                        "  - {{ days: [{}], from: \"{}\", to: \"{}\" }}",
                        days.join(", "),
                        w.from.render(),
                        w.to.render()
                    );
                }
                s
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
pub struct GenPerson {
    name: String,
    opted_in: bool,
    vetted: Option<GenDate>,
    experienced: bool,
    left: Option<GenDate>,
}

#[derive(Arbitrary, Debug)]
pub struct GenPosition {
    offset: i8,
    shadow: bool,
}

#[derive(Arbitrary, Debug)]
pub struct GenOverride {
    position: u8,
    from: GenDate,
    from_time: GenTime,
    to: GenDate,
    person: Option<u8>,
    replaces: Option<u8>,
}

#[derive(Arbitrary, Debug)]
pub struct GenRota {
    in_hours: bool,
    name: String,
    hours: GenHours,
    start: GenDate,
    handover: GenTime,
    every: u8,
    members: Vec<u8>,
    positions: Vec<GenPosition>,
    overrides: Vec<GenOverride>,
    escalation: Vec<(u8, u8)>,
}

#[derive(Arbitrary, Debug)]
pub struct GenAlert {
    summary: String,
    severity: u8,
    pages: Vec<u8>,
    runbook: bool,
}

/// A whole data repository.
#[derive(Arbitrary, Debug)]
pub struct GenRepo {
    title: String,
    base_url: String,
    zone: u8,
    horizon_weeks: u8,
    people: Vec<GenPerson>,
    rotas: Vec<GenRota>,
    alerts: Vec<GenAlert>,
    leave: Vec<(u8, GenDate, GenDate)>,
    holidays: Vec<GenDate>,
    runbook_body: String,
}

const TURNS: &[&str] = &[
    "1h", "2h", "3h", "4h", "6h", "8h", "12h", "24h", "1d", "2d", "7d", "1w", "2w", "4w", "5h",
    "0d", "1m", "1 month",
];
const ZONES: &[&str] = &[
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "UTC",
    "America/Santiago",
];
const SEVERITIES: &[&str] = &["critical", "high", "medium", "low", "info"];

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn person_id(i: u8, people: usize) -> String {
    // Mostly real people, sometimes nobody we know.
    if people > 0 && usize::from(i) < people * 4 {
        format!("p{}", usize::from(i) % people)
    } else {
        format!("ghost{i}")
    }
}

impl GenRepo {
    /// The repository's files.
    pub fn render(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let people = self.people.len().min(16);
        let mut config = format!(
            "title: {}\nbase_url: {}\ntimezone: {}\nhorizon: {}w\n",
            json(&self.title),
            json(&self.base_url),
            ZONES[usize::from(self.zone) % ZONES.len()],
            self.horizon_weeks % 60 + 1
        );
        if !self.holidays.is_empty() {
            let days: Vec<String> = self.holidays.iter().take(8).map(|d| d.render()).collect();
            let _ = writeln!(config, "holidays: [{}]", days.join(", "));
        }
        files.push(("rota/config.yaml".into(), config));
        let mut ppl = String::new();
        for (i, p) in self.people.iter().take(16).enumerate() {
            let _ = write!(
                ppl,
                "- {{ id: p{i}, name: {}, opted_in: {}, experienced: {}",
                json(&p.name),
                p.opted_in,
                p.experienced
            );
            if let Some(v) = p.vetted {
                let _ = write!(ppl, ", vetted: {}", v.render());
            }
            if let Some(l) = p.left {
                let _ = write!(ppl, ", left: {}", l.render());
            }
            ppl.push_str(" }\n");
        }
        files.push(("rota/people.yaml".into(), ppl));
        let rotas = self.rotas.len().min(3);
        for (r, rota) in self.rotas.iter().take(3).enumerate() {
            let mut y = format!(
                "name: {}\nkind: {}\nhours: {}\nrotation:\n  start: {}\n  handover: \"{}\"\n  every: {}\n",
                json(&rota.name),
                if rota.in_hours {
                    "in-hours"
                } else {
                    "out-of-hours"
                },
                rota.hours.render(),
                rota.start.render(),
                rota.handover.render(),
                TURNS[usize::from(rota.every) % TURNS.len()],
            );
            let members: Vec<String> = rota
                .members
                .iter()
                .take(24)
                .map(|m| person_id(*m, people))
                .collect();
            let _ = writeln!(y, "  members: [{}]", members.join(", "));
            y.push_str("positions:\n");
            let positions = rota.positions.len().clamp(1, 4);
            for i in 0..positions {
                let p = rota.positions.get(i);
                let _ = writeln!(
                    y,
                    "  - {{ name: pos{i}, offset: {}, shadow: {} }}",
                    p.map_or(0, |p| p.offset),
                    p.is_some_and(|p| p.shadow)
                );
            }
            if !rota.overrides.is_empty() {
                y.push_str("overrides:\n");
                for o in rota.overrides.iter().take(16) {
                    let _ = write!(
                        y,
                        "  - {{ position: pos{}, from: \"{}T{}\", to: \"{}T10:00\", person: {}",
                        usize::from(o.position) % (positions + 1),
                        o.from.render(),
                        o.from_time.render(),
                        o.to.render(),
                        o.person.map_or("null".into(), |p| person_id(p, people))
                    );
                    if let Some(r) = o.replaces {
                        let _ = write!(y, ", replaces: {}", person_id(r, people));
                    }
                    y.push_str(" }\n");
                }
            }
            if !rota.escalation.is_empty() {
                y.push_str("escalation:\n");
                for (after, target) in rota.escalation.iter().take(6) {
                    let notify = match target % 4 {
                        0 => format!("pos{}", target % 5),
                        1 => format!("\"rota:r{}\"", target % 4),
                        2 => format!("\"person:{}\"", person_id(*target, people)),
                        _ => "nobody".into(),
                    };
                    let _ = writeln!(y, "  - {{ after: {}m, notify: {notify} }}", after % 30);
                }
            }
            files.push((format!("rota/rotas/r{r}.yaml"), y));
        }
        let mut alerts = String::new();
        for (i, a) in self.alerts.iter().take(8).enumerate() {
            let pages: Vec<String> = a
                .pages
                .iter()
                .take(3)
                .map(|p| format!("r{}", usize::from(*p) % (rotas + 1)))
                .collect();
            let _ = writeln!(
                alerts,
                "- {{ id: a{i}, summary: {}, severity: {}, pages: [{}]{} }}",
                json(&a.summary),
                SEVERITIES[usize::from(a.severity) % SEVERITIES.len()],
                pages.join(", "),
                if a.runbook { ", runbook: guide" } else { "" }
            );
        }
        files.push(("rota/alerts/all.yaml".into(), alerts));
        let mut leave = String::new();
        for (p, from, to) in self.leave.iter().take(8) {
            let _ = writeln!(
                leave,
                "- {{ person: {}, from: {}, to: {} }}",
                person_id(*p, people),
                from.render(),
                to.render()
            );
        }
        files.push(("rota/leave.yaml".into(), leave));
        files.push((
            "runbooks/guide.md".into(),
            format!(
                "---\ntitle: Guide\nowner: p0\nlast_reviewed: 2026-10-01\n---\n{}\n",
                self.runbook_body
            ),
        ));
        files
    }
}

/// A generated repository through `check`, `now`, `shifts` and `build`.
pub fn check_and_build(generated: &GenRepo) {
    let mut guard = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    let s = scratch(&mut guard);
    s.base_written = false;
    let dir = s.dir.clone();
    let repo = dir.join("repo");
    let _ = std::fs::remove_dir_all(&repo);
    for (rel, text) in generated.render() {
        write(&repo, &rel, text.as_bytes());
    }
    check_and_build_dir(&dir);
}

/// Generated duty hours in the base repository's rota, through check and build.
pub fn duty_windows(hours: &GenHours) {
    let rota = BASE
        .iter()
        .find(|(rel, _)| *rel == "rota/rotas/ooh.yaml")
        .map(|(_, t)| *t)
        .unwrap_or_default()
        .replace("hours: always", &format!("hours: {}", hours.render()));
    with_scratch_file("rota/rotas/ooh.yaml", rota.as_bytes(), check_and_build_dir);
}

/// Replays one kept input of `target` through the target's own entry point.
pub fn replay(target: &str, bytes: &[u8]) {
    match target {
        "load_config" => load_one_file("rota/config.yaml", bytes),
        "load_people" => load_one_file("rota/people.yaml", bytes),
        "load_rota" => load_one_file("rota/rotas/ooh.yaml", bytes),
        "load_alerts" => load_one_file("rota/alerts/web.yaml", bytes),
        "load_services" => load_one_file("rota/services.yaml", bytes),
        "load_leave" => load_one_file("rota/leave.yaml", bytes),
        "load_pages" => load_one_file("rota/pages/2026-11.yaml", bytes),
        "load_runbook" => load_runbook_front_matter(bytes),
        "check_rota" => check_one_file("rota/rotas/ooh.yaml", bytes),
        "values" => {
            if let Ok(text) = std::str::from_utf8(bytes) {
                parse_values(text);
            }
        }
        "duty_windows" => {
            if let Ok(h) = GenHours::arbitrary_take_rest(Unstructured::new(bytes)) {
                duty_windows(&h);
            }
        }
        "whole_repo" => {
            if let Ok(r) = GenRepo::arbitrary_take_rest(Unstructured::new(bytes)) {
                check_and_build(&r);
            }
        }
        other => panic!("no fuzz target `{other}`"),
    }
}
