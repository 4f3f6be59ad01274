//! Fuzzing harness for `rota`: the entry points every fuzz target calls, shared with the
//! main crate's `tests/testsuite/hostile/fuzz_regressions.rs`, which replays the inputs kept under
//! `fuzz/regressions/<target>/` through these same functions on every `cargo test`.
//!
//! Each entry point panics when an invariant breaks (that is what a fuzzer reports); a
//! bad input itself must only ever give findings or a refusal.
//!
//! Fast enough to fuzz: nothing is written to disk per input. The loader reads the fuzzed
//! file (and the rest of the repository) from an in-memory overlay
//! ([`rota::load::load_with`]) over a folder of empty placeholder files written once;
//! `check`, `now`, `shifts` and `build` run through the library in memory, with the site's
//! templates compiled once per process. The regression replay ([`replay`]) also runs every
//! kept input through the disk: loading from disk must agree with the overlay, and the
//! command line's `check`, `now`, `shifts` and `build --out` (staged, swapped in whole)
//! must keep their invariants.

use arbitrary::{Arbitrary, Unstructured};
use chrono::{NaiveDate, TimeDelta};
use rota::cli::Cli;
use rota::finding::{Finding, Level, RuleId};
use rota::model::Model;
use rota::pipeline;
use rota::rules::TradeAdvice;
use rota::schedule::Schedule;
use rota::schedule::interval::Interval;
use rota::time::{self, Clock};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};

#[cfg(feature = "fast")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// The feeds' `DTSTAMP`: what `SOURCE_DATE_EPOCH=1790000000` gives a command-line build.
const STAMP_EPOCH: i64 = 1_790_000_000;

/// Process-wide scratch folders (fuzzers run one input at a time; tests may run in
/// parallel threads, hence the lock).
static SCRATCH: Mutex<Option<Scratch>> = Mutex::new(None);

struct Scratch {
    dir: PathBuf,
    /// Repositories of empty placeholder files, one per set of file names: the loader
    /// lists folders and looks for `X.yaml`/`X.yml` on disk, but reads every text from
    /// the overlay. Written once each, never changed.
    skeletons: BTreeMap<Vec<String>, PathBuf>,
    /// Whether `disk/repo` holds the base repository (for the on-disk refusal of bytes
    /// that are not UTF-8; each such input puts its file back afterwards).
    disk_base: bool,
}

fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    let mut guard = SCRATCH.lock().unwrap_or_else(|e| e.into_inner());
    let s = guard.get_or_insert_with(|| {
        let dir = std::env::temp_dir().join(format!("rota-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Scratch {
            dir,
            skeletons: BTreeMap::new(),
            disk_base: false,
        }
    });
    f(s)
}

/// A folder holding an empty file at each of `rels` (written on first use).
fn skeleton<'a>(rels: impl IntoIterator<Item = &'a str>) -> PathBuf {
    let mut rels: Vec<String> = rels.into_iter().map(str::to_string).collect();
    rels.sort();
    with_scratch(|s| {
        let n = s.skeletons.len();
        let dir = s.dir.join(format!("skeleton-{n}"));
        s.skeletons
            .entry(rels)
            .or_insert_with_key(|rels| {
                for rel in rels {
                    write(&dir, rel, b"");
                }
                dir
            })
            .clone()
    })
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("scratch folder");
    }
    std::fs::write(path, bytes).expect("scratch file");
}

/// Once per process: rayon (site pages, runbook reads) on one worker thread, so a fuzzer
/// uses one core of a shared machine. Under the fuzzer (which calls every input from its
/// own one thread) that worker is the calling thread itself, so rayon's joins run inline:
/// handing each input to another thread and waiting for it cost a sixth of the time in
/// futex calls. Tests (several threads) keep a separate worker.
fn setup() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1);
        #[cfg(fuzzing)]
        let pool = pool.use_current_thread();
        let _ = pool.build_global();
    });
}

/// Runs one input and, when `ROTA_FUZZ_CPU_LIMIT_MS` is set, panics if it took more CPU
/// time than that (this process, all threads; from `/proc/self/stat`, 10 ms ticks). On a
/// shared machine libFuzzer's `-timeout` (wall time) also counts the time the fuzzer is
/// starved by its neighbours or stopped; CPU time measures only the input.
pub fn cpu_bounded<T>(f: impl FnOnce() -> T) -> T {
    static LIMIT_MS: OnceLock<Option<u64>> = OnceLock::new();
    let limit = *LIMIT_MS.get_or_init(|| {
        std::env::var("ROTA_FUZZ_CPU_LIMIT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    let Some(limit) = limit else {
        return f();
    };
    let before = cpu_ticks();
    let out = f();
    if let (Some(a), Some(b)) = (before, cpu_ticks()) {
        let ms = (b - a) * 10;
        assert!(
            ms <= limit,
            "one input took {ms} ms of CPU (limit {limit} ms)"
        );
    }
    out
}

/// User and system CPU time of this process so far, in ticks of 10 ms (`USER_HZ`).
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name: field 3 (state) onwards; utime is field 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// The site generator with the built-in templates, compiled once per process (no
/// fuzzed repository has a `templates/` folder).
fn site() -> &'static rota::output::site::Site {
    static SITE: OnceLock<rota::output::site::Site> = OnceLock::new();
    SITE.get_or_init(|| {
        rota::output::site::Site::built_in().expect("the built-in templates compile")
    })
}

/// The base repository with `rel` replaced by `text`, as an overlay over its skeleton.
fn base_with(rel: &str, text: String) -> (PathBuf, BTreeMap<String, String>) {
    let root = skeleton(BASE.iter().map(|(r, _)| *r));
    let mut overlay: BTreeMap<String, String> = BASE
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
    overlay.insert(rel.to_string(), text);
    (root, overlay)
}

/// The text the loader reads from `bytes` as the file `rel`: without a UTF-8 byte-order
/// mark, as read from disk. Bytes that are not UTF-8 are handed on with the bad bytes
/// replaced (U+FFFD), so that the rest of such an input still reaches the parsers; the
/// regression replay (not the fuzzer, for which a disk write and a second whole load per
/// such input cost more than the input itself) first checks that they are refused on
/// disk (`not UTF-8 text`, exit 2).
fn text_of(rel: &str, bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            if cfg!(not(fuzzing)) {
                assert_disk_refuses(rel, bytes);
            }
            String::from_utf8_lossy(bytes)
        }
    };
    text.strip_prefix('\u{feff}').unwrap_or(&text).to_string()
}

/// Loading the base repository with `bytes` (not UTF-8) as `rel` from disk fails with
/// "not UTF-8 text".
fn assert_disk_refuses(rel: &str, bytes: &[u8]) {
    with_scratch(|s| {
        let repo = s.dir.join("disk/repo");
        if !s.disk_base {
            let _ = std::fs::remove_dir_all(&repo);
            for (rel, text) in BASE {
                write(&repo, rel, text.as_bytes());
            }
            s.disk_base = true;
        }
        write(&repo, rel, bytes);
        let loaded = rota::load::load(&repo);
        let base = BASE.iter().find(|(r, _)| *r == rel).map_or("", |(_, t)| *t);
        write(&repo, rel, base.as_bytes());
        match loaded {
            Err(e) => assert!(
                e.0.contains("not UTF-8 text"),
                "bytes that are not UTF-8 refused with `{e}`"
            ),
            Ok(_) => panic!("{rel}: bytes that are not UTF-8 were loaded"),
        }
    });
}

/// Loads (from `overlay` over the skeleton `root`) and resolves; a load error (exit 2)
/// is a fine answer.
fn load_and_resolve(root: &Path, overlay: &BTreeMap<String, String>) -> Option<Model> {
    setup();
    let repo = rota::load::load_with(root, overlay).ok()?;
    // The overlay was read, not the empty placeholder on disk.
    for (rel, text) in overlay {
        assert!(
            repo.sources
                .iter()
                .any(|(_, f)| f.path == *rel && f.text == *text),
            "{rel} was not read from the overlay"
        );
    }
    let model = rota::load::resolve::resolve(repo);
    // Every finding points inside a file that was read.
    assert_located(model.repo.findings.iter().chain(&model.findings));
    Some(model)
}

fn assert_located<'a>(findings: impl IntoIterator<Item = &'a Finding>) {
    for f in findings {
        assert!(
            f.loc.line >= 1 && f.loc.column >= 1,
            "unlocated finding: {f:?}"
        );
    }
}

/// `bytes` as the file `rel` of the base repository, loaded and resolved.
pub fn load_one_file(rel: &str, bytes: &[u8]) {
    let (root, overlay) = base_with(rel, text_of(rel, bytes));
    load_and_resolve(&root, &overlay);
}

/// `bytes` as the file `rel` of the base repository, through what `check`, `now`,
/// `shifts` and `build` do.
pub fn check_one_file(rel: &str, bytes: &[u8]) {
    let (root, overlay) = base_with(rel, text_of(rel, bytes));
    if let Some(model) = load_and_resolve(&root, &overlay) {
        check_and_build_model(&model);
    }
}

/// The front matter `bytes` in the base runbook.
fn runbook_with_front_matter(bytes: &[u8]) -> Vec<u8> {
    let mut text = b"---\n".to_vec();
    text.extend_from_slice(bytes);
    text.extend_from_slice(b"\n---\n# Body\n");
    text
}

/// `bytes` as the front matter of the base runbook.
pub fn load_runbook_front_matter(bytes: &[u8]) {
    load_one_file("runbooks/site-down.md", &runbook_with_front_matter(bytes));
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

/// `--today TODAY`, at the start of that day in the repository's zone.
fn clock(model: &Model) -> Clock {
    let today = rota::time::parse_date(TODAY).expect("TODAY is a date");
    Clock {
        now: time::start_of_day(model.repo.config.timezone, today),
        today,
    }
}

/// Errors in the files the schedule is read from: `now` and `shifts` refuse to answer.
fn schedule_files_broken(model: &Model) -> bool {
    let sources = &model.repo.sources;
    model.findings.iter().any(|f| {
        f.level == Level::Error
            && rota::cmd::SCHEDULE_FILES
                .iter()
                .any(|n| sources.get(f.loc.file).path.starts_with(n))
    })
}

/// What `rota --today TODAY` runs for `check --format json`, `now --format json`,
/// `shifts --format json --from 2026-11-01 --to 2027-03-01` and `build`, through the
/// library and in memory: the findings must be located; a build that succeeds must
/// hold only plain relative paths and well-formed feeds.
fn check_and_build_model(model: &Model) {
    let repo = &model.repo;
    let tz = repo.config.timezone;
    let clock = clock(model);
    // `check`, and the check `build` runs first: the pipeline every command takes.
    let stamp = chrono::DateTime::from_timestamp(STAMP_EPOCH, 0).expect("a time");
    let options = pipeline::Options {
        stamp,
        ..pipeline::Options::checking(clock, TradeAdvice::Simulate)
    };
    let checked = pipeline::check(model, &options);
    assert_located(&checked.findings);
    let _ = rota::diagnostics::json(&repo.sources, &checked.findings);
    if !schedule_files_broken(model) {
        // `now`: the turns in force and the next five weeks.
        let at = clock.now;
        let near = Schedule::compute(
            &repo.config,
            &repo.people,
            &repo.rotas,
            Interval::new(at, at + TimeDelta::days(35)),
        );
        for rota in &repo.rotas {
            if let Some(rs) = near.rota(&rota.id) {
                let _ = rs.on_duty(at);
                // The text's answers: when duty ends or starts, who takes over.
                if let Some(edge) = rs.duty_edge(at) {
                    assert!(edge > at, "{}: duty edge {edge}, not after {at}", rota.id);
                }
                for h in rs.holdings_at(rota, at) {
                    if let Some(until) = h.until {
                        assert!(
                            until > at,
                            "{}: held until {until}, not after {at}",
                            rota.id
                        );
                        let _ = time::rfc3339(until);
                        let _ = rs.segment_at_anywhere(&h.position, until);
                    } else if h.person.is_none()
                        && let Some((next, _)) = rs.next_holder(&h.position, at)
                    {
                        assert!(
                            next > at,
                            "{}: next holder at {next}, not after {at}",
                            rota.id
                        );
                    }
                }
            }
        }
        // `shifts --from 2026-11-01 --to 2027-03-01`.
        let from = NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date");
        let to = NaiveDate::from_ymd_opt(2027, 3, 2).expect("a date");
        let window = Interval::new(time::start_of_day(tz, from), time::start_of_day(tz, to));
        let shifted = Schedule::compute(&repo.config, &repo.people, &repo.rotas, window);
        for s in shifted.shifts(window) {
            let _ = (
                time::rfc3339(s.start),
                time::rfc3339(s.end),
                s.source.as_str(),
            );
        }
    }
    // `build`: refused with any error (exit 1), the pipeline's own refusals included
    // (`calendar.secret_env` naming an unset variable, no `base_url`).
    let (feeds, refusals) = pipeline::feed_names(model, None);
    let mut checked = checked.to_publish(feeds);
    checked.findings.extend(refusals);
    if checked.counts().0 > 0 {
        return;
    }
    if let Ok(files) = checked.render(site()) {
        for (rel, bytes) in &files {
            assert!(
                Path::new(rel)
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))),
                "output path `{rel}` is not a plain relative path"
            );
            if rel.ends_with(".ics") {
                assert_feed_well_formed(std::str::from_utf8(bytes).expect("feed is UTF-8"));
            }
        }
    }
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

/// The repository `files`, written to disk, through the command line: `check`, `now`,
/// `shifts` and `build` to a folder (the staging folder swapped in whole). A build that
/// succeeds must hold only well-formed feeds, all of it inside `out/`; one that fails
/// must leave no output folder. Slow (files written, commands printing): the regression
/// replay runs it for every kept input, the fuzz targets do not.
fn cli_check_and_build(files: &[(String, Vec<u8>)]) {
    setup();
    with_scratch(|s| {
        // DTSTAMP from SOURCE_DATE_EPOCH: no `git log` per input.
        // SAFETY: the value is the same every time this process sets it.
        unsafe { std::env::set_var("SOURCE_DATE_EPOCH", STAMP_EPOCH.to_string()) };
        let dir = s.dir.join("cli");
        let _ = std::fs::remove_dir_all(&dir);
        let repo = dir.join("repo");
        let out = dir.join("out");
        for (rel, bytes) in files {
            write(&repo, rel, bytes);
        }
        let _ = run(&repo, &["check", "--format", "json"]);
        let _ = run(&repo, &["now", "--format", "json"]);
        let _ = run(&repo, &["now"]);
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
        for entry in std::fs::read_dir(&dir).expect("scratch").flatten() {
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
    });
}

/// The findings of loading `files` from disk and from the overlay agree (the fuzz
/// targets use the overlay; the command line reads the disk).
fn disk_and_overlay_agree(files: &[(String, Vec<u8>)]) {
    let Some(overlay) = files
        .iter()
        .map(|(rel, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?;
            Some((
                rel.clone(),
                text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
            ))
        })
        .collect::<Option<BTreeMap<String, String>>>()
    else {
        return;
    };
    setup();
    let from_overlay =
        rota::load::load_with(&skeleton(overlay.keys().map(String::as_str)), &overlay);
    let from_disk = with_scratch(|s| {
        let repo = s.dir.join("agree/repo");
        let _ = std::fs::remove_dir_all(&repo);
        for (rel, bytes) in files {
            write(&repo, rel, bytes);
        }
        rota::load::load(&repo)
    });
    match (from_overlay, from_disk) {
        (Ok(a), Ok(b)) => assert_eq!(
            format!("{:?}", a.findings),
            format!("{:?}", b.findings),
            "loaded from disk and from the overlay, the findings differ"
        ),
        (Err(_), Err(_)) => {}
        (a, b) => panic!("from the overlay: {:?}; from disk: {:?}", a.err(), b.err()),
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
    /// Unless this is 3 modulo 4: members and positions that pass `min-people` and
    /// `two-deep` come first, and escalation names only the rota's own positions, so that
    /// such a rota can be built.
    shape: u8,
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

/// `base_url`: mostly a valid one (so that `build` runs), sometimes any text.
#[derive(Arbitrary, Debug)]
pub enum GenUrl {
    ProjectPages,
    DomainRoot,
    Text(String),
}

impl GenUrl {
    fn render(&self) -> String {
        match self {
            GenUrl::ProjectPages => json("https://example.github.io/support/"),
            GenUrl::DomainRoot => json("https://oncall.example.org"),
            GenUrl::Text(t) => json(t),
        }
    }
}

/// People every generated repository has besides the generated ones: opted in, vetted
/// and experienced, so that a generated repository can pass `check` and be built.
const STEADY_PEOPLE: usize = 8;

/// A whole data repository.
#[derive(Arbitrary, Debug)]
pub struct GenRepo {
    title: String,
    base_url: GenUrl,
    zone: u8,
    horizon_weeks: u8,
    people: Vec<GenPerson>,
    /// Every repository has a rota (without one it does not load).
    first_rota: GenRota,
    rotas: Vec<GenRota>,
    alerts: Vec<GenAlert>,
    leave: Vec<(u8, GenDate, GenDate)>,
    holidays: Vec<GenDate>,
    runbook_body: String,
}

/// Turn lengths, the usual first: the fuzzer's inputs are mostly zero bytes, and with
/// hourly turns first nearly every input planned 2,000 turns or more a rota (the most a
/// rota may), so runs crawled at 68 inputs a second through the same heavy builds.
const TURNS: &[&str] = &[
    "1w", "1d", "12h", "2w", "8h", "24h", "2d", "7d", "4w", "6h", "4h", "3h", "2h", "1h", "5h",
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

/// A YAML double-quoted string: JSON's escapes are YAML's, but YAML also wants the
/// characters it does not count as printable (DEL, C1 controls, U+FFFE, U+FFFF) escaped.
fn json(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let printable =
        |c: char| !matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    if quoted.chars().all(printable) {
        return quoted;
    }
    quoted
        .chars()
        .map(|c| {
            if printable(c) {
                c.to_string()
            } else {
                format!("\\u{:04x}", u32::from(c))
            }
        })
        .collect()
}

fn person_id(i: u8, people: usize) -> String {
    // Mostly real people, sometimes nobody we know.
    if people > 0 && i < 240 {
        format!("p{}", usize::from(i) % people)
    } else {
        format!("ghost{i}")
    }
}

impl GenRepo {
    /// The repository's files.
    pub fn render(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let people = STEADY_PEOPLE + self.people.len().min(12);
        let mut config = format!(
            "title: {}\nbase_url: {}\ntimezone: {}\nhorizon: {}w\n",
            json(&self.title),
            self.base_url.render(),
            ZONES[usize::from(self.zone) % ZONES.len()],
            self.horizon_weeks % 60 + 1
        );
        if !self.holidays.is_empty() {
            let days: Vec<String> = self.holidays.iter().take(8).map(|d| d.render()).collect();
            let _ = writeln!(config, "holidays: [{}]", days.join(", "));
        }
        files.push(("rota/config.yaml".into(), config));
        let mut ppl = String::new();
        for i in 0..STEADY_PEOPLE {
            let _ = writeln!(
                ppl,
                "- {{ id: p{i}, name: Person {i}, opted_in: true, vetted: 2020-01-01, experienced: true }}"
            );
        }
        for (i, p) in self.people.iter().take(12).enumerate() {
            let i = i + STEADY_PEOPLE;
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
        let all_rotas: Vec<&GenRota> = std::iter::once(&self.first_rota)
            .chain(self.rotas.iter().take(2))
            .collect();
        let rotas = all_rotas.len();
        for (r, rota) in all_rotas.into_iter().enumerate() {
            let valid_core = rota.shape % 4 != 3;
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
            let mut members: Vec<String> = rota
                .members
                .iter()
                .take(24)
                .map(|m| person_id(*m, people))
                .collect();
            if valid_core || members.is_empty() {
                let steady = (0..STEADY_PEOPLE).map(|i| format!("p{i}"));
                members = steady.chain(members).collect();
            }
            let _ = writeln!(y, "  members: [{}]", members.join(", "));
            y.push_str("positions:\n");
            let core = if valid_core { 2 } else { 0 };
            let positions = (core + rota.positions.len()).clamp(1, 4);
            for i in 0..positions {
                let (offset, shadow) = match i.checked_sub(core) {
                    None => (i as i8, false),
                    Some(g) => rota
                        .positions
                        .get(g)
                        .map_or((0, false), |p| (p.offset, p.shadow)),
                };
                let _ = writeln!(
                    y,
                    "  - {{ name: pos{i}, offset: {offset}, shadow: {shadow} }}"
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
                    let notify = match if valid_core { 0 } else { target % 4 } {
                        0 => format!("pos{}", usize::from(*target) % (positions + 1 - core / 2)),
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

/// The repository `generated`, over the skeleton of its file names.
fn generated_overlay(generated: &GenRepo) -> (PathBuf, BTreeMap<String, String>) {
    let overlay: BTreeMap<String, String> = generated.render().into_iter().collect();
    (skeleton(overlay.keys().map(String::as_str)), overlay)
}

/// A generated repository through `check`, `now`, `shifts` and `build`.
pub fn check_and_build(generated: &GenRepo) {
    let (root, overlay) = generated_overlay(generated);
    if let Some(model) = load_and_resolve(&root, &overlay) {
        check_and_build_model(&model);
    }
}

/// The repository made of `files` (relative path → text) through `check`, `now`,
/// `shifts` and `build`, as [`check_and_build`] runs a generated one.
pub fn check_and_build_files(files: &BTreeMap<String, String>) {
    let root = skeleton(files.keys().map(String::as_str));
    if let Some(model) = load_and_resolve(&root, files) {
        check_and_build_model(&model);
    }
}

/// How far a generated repository gets towards `build`: why it does not load, or the
/// rules with errors (`build` runs when there are none and `base_url` is set: `"no
/// base_url"` stands for its absence).
pub fn build_blockers(generated: &GenRepo) -> Result<Vec<String>, String> {
    let (root, overlay) = generated_overlay(generated);
    setup();
    let repo = rota::load::load_with(&root, &overlay).map_err(|e| e.0)?;
    let model = rota::load::resolve::resolve(repo);
    let options = pipeline::Options::checking(clock(&model), TradeAdvice::Simulate);
    let checked = pipeline::for_publishing(&model, &options);
    let mut blockers: Vec<String> = checked
        .findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .map(|f| match f.rule {
            RuleId::Parse => {
                let file = model.repo.sources.get(f.loc.file).path.clone();
                let what: String = f.message.chars().take(40).collect();
                format!("parse ({file}: {what})")
            }
            rule => rule.to_string(),
        })
        .collect();
    blockers.sort();
    blockers.dedup();
    Ok(blockers)
}

/// The base repository's rota with generated duty hours.
fn rota_with_hours(hours: &GenHours) -> String {
    BASE.iter()
        .find(|(rel, _)| *rel == "rota/rotas/ooh.yaml")
        .map(|(_, t)| *t)
        .unwrap_or_default()
        .replace("hours: always", &format!("hours: {}", hours.render()))
}

/// Generated duty hours in the base repository's rota, through check and build.
pub fn duty_windows(hours: &GenHours) {
    check_one_file("rota/rotas/ooh.yaml", rota_with_hours(hours).as_bytes());
}

/// The base repository's files with `rel` replaced by `bytes`.
fn base_files_with(rel: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = BASE
        .iter()
        .filter(|(r, _)| *r != rel)
        .map(|(r, t)| (r.to_string(), t.as_bytes().to_vec()))
        .collect();
    files.push((rel.to_string(), bytes.to_vec()));
    files
}

/// Values from a data repository as the `encoders` target draws them: anything at all,
/// in every place `rota diff`'s Markdown and `check --format github` print data.
#[derive(Arbitrary, Debug)]
pub struct HostileValues {
    base: String,
    /// (rota, position, holder before, holder after)
    changes: Vec<(String, String, Option<String>, Option<String>)>,
    /// (person, share before, share after)
    shares: Vec<(String, Option<i8>, Option<i8>)>,
    /// (an error?, path, line, message, help)
    findings: Vec<(bool, String, u16, String, Option<String>)>,
}

/// At most this many of each list, so that one input stays quick.
const HOSTILE_ITEMS: usize = 8;

/// The `encoders` target: whatever the values, `rota diff`'s Markdown makes no link,
/// image, HTML, heading, table cell, line or mention but its own, and `--format github`
/// and an exit-2 error start no workflow command but rota's annotations
/// (docs/security.md, "Output encoding").
pub fn encoders(values: &HostileValues) {
    diff_markdown_makes_only_its_own_elements(values);
    github_annotations_are_the_only_workflow_commands(values);
    for text in std::iter::once(&values.base).chain(values.findings.iter().map(|f| &f.3)) {
        let line = format!("error: {}", rota::encode::terminal(text));
        assert!(
            !line.chars().any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "a control character reaches the terminal: {line:?}"
        );
    }
}

fn diff_markdown_makes_only_its_own_elements(values: &HostileValues) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    use rota::diff::{Entry, EntryChanges, FindingLine, HandChange, ShareRow, Summary};
    let start = time::start_of_day(
        chrono_tz::UTC,
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
    );
    let finding =
        |(error, path, line, message, _): &(bool, String, u16, String, Option<String>)| {
            FindingLine {
                level: if *error { Level::Error } else { Level::Warning },
                rule: RuleId::LeaveConflict,
                path: path.clone(),
                line: u32::from(*line),
                message: message.clone(),
            }
        };
    let findings: Vec<FindingLine> = values
        .findings
        .iter()
        .take(HOSTILE_ITEMS)
        .map(finding)
        .collect();
    let summary = Summary {
        base: values.base.clone(),
        from: start.date_naive(),
        to: start.date_naive(),
        changes: values
            .changes
            .iter()
            .take(HOSTILE_ITEMS)
            .map(|(rota, position, before, after)| HandChange {
                rota: rota.clone(),
                position: position.clone(),
                start,
                end: start + TimeDelta::days(7),
                before: before.clone(),
                after: after.clone(),
                timezone: chrono_tz::UTC,
            })
            .collect(),
        shares: values
            .shares
            .iter()
            .take(HOSTILE_ITEMS)
            .map(|(person, before, after)| ShareRow {
                person: person.clone(),
                before: before.map(i64::from),
                after: after.map(i64::from),
            })
            .collect(),
        introduced: findings.clone(),
        changed: findings
            .iter()
            .cloned()
            .zip(findings.iter().rev().cloned())
            .collect(),
        entries: vec![EntryChanges {
            kind: "Leave",
            added: values
                .shares
                .iter()
                .take(HOSTILE_ITEMS)
                .zip(
                    values
                        .findings
                        .iter()
                        .map(|f| Some(f.3.clone()))
                        .chain(std::iter::repeat(None)),
                )
                .map(|((person, _, _), detail)| Entry {
                    id: person.clone(),
                    detail,
                })
                .collect(),
            removed: values
                .changes
                .iter()
                .take(HOSTILE_ITEMS)
                .map(|(rota, position, _, _)| Entry {
                    id: rota.clone(),
                    detail: Some(position.clone()),
                })
                .collect(),
        }],
        fixed: findings.into_iter().rev().collect(),
    };
    let markdown = summary.markdown();

    // Every line is one rota writes: no data starts a block of its own.
    const OWN_LINES: &[&str] = &[
        "**rota diff**: ",
        "## rota diff: ",
        "From ",
        "No shift changes hands.",
        "### ",
        "| when (local time) |",
        "|---|",
        "| ",
        "…and ",
        "- **",
        "- added ",
        "- removed ",
    ];
    for line in markdown.lines() {
        assert!(
            line.is_empty() || OWN_LINES.iter().any(|own| line.starts_with(own)),
            "a line rota did not write: {line:?} in\n{markdown}"
        );
    }
    let mut heading: Option<String> = None;
    let mut cells = 0;
    for event in Parser::new_ext(
        &markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::Start(Tag::HtmlBlock)
            | Event::Start(Tag::BlockQuote(_))
            | Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::FootnoteDefinition(_)) => {
                panic!("{event:?} made from data in\n{markdown}")
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let text = heading.take().unwrap_or_default();
                assert!(
                    [
                        "rota diff: ",
                        "Shifts that change hands (",
                        "Shares of on-call time",
                        "Findings introduced (",
                        "Findings fixed (",
                        "Findings changed (",
                        "Leave: "
                    ]
                    .iter()
                    .any(|own| text.starts_with(own)),
                    "a heading rota did not make: {text:?} in\n{markdown}"
                );
            }
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                assert!(
                    cells == 5 || cells == 3,
                    "a row of {cells} cells in\n{markdown}"
                )
            }
            Event::Text(t) => {
                // What GitHub turns into mentions and links is found in text, never in
                // code: rota's own text has no `@`, scheme or `www.`.
                for sign in ["@", "://", "www."] {
                    assert!(!t.contains(sign), "{sign} in text {t:?} in\n{markdown}");
                }
                if let Some(h) = heading.as_mut() {
                    h.push_str(t);
                }
            }
            Event::Code(c) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(c);
                }
            }
            _ => {}
        }
    }
}

fn github_annotations_are_the_only_workflow_commands(values: &HostileValues) {
    let mut sources = rota::source::Sources::default();
    let findings: Vec<Finding> = values
        .findings
        .iter()
        .take(HOSTILE_ITEMS)
        .map(|(error, path, line, message, help)| {
            let file = sources.add(rota::source::SourceFile {
                path: path.clone(),
                disk_path: PathBuf::from("/nonexistent"),
                text: String::new(),
                line_offset: 0,
            });
            let loc = rota::source::Loc {
                file,
                line: u32::from(*line),
                column: 1,
            };
            let f = if *error {
                Finding::error(RuleId::LeaveConflict, loc, message.clone())
            } else {
                Finding::warning(RuleId::LeaveConflict, loc, message.clone())
            };
            match help {
                Some(h) => f.with_help(h.clone()),
                None => f,
            }
        })
        .collect();
    let out = rota::diagnostics::github(&sources, &findings);
    // The runner reads a line at CR or LF and trims white space before `::`.
    let lines: Vec<&str> = out.split(['\n', '\r']).filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines.len(),
        findings.len() + 1,
        "one line per finding and the summary:\n{out}"
    );
    for (line, (_, path, ..)) in lines
        .iter()
        .zip(values.findings.iter().take(findings.len()))
    {
        let file = rota::encode::github_property(path);
        assert!(
            line.starts_with(&format!("::error file={file},"))
                || line.starts_with(&format!("::warning file={file},")),
            "not rota's annotation of {path:?}: {line:?}"
        );
    }
    let summary = lines.last().copied().unwrap_or_default();
    assert!(!summary.trim_start().starts_with("::"), "{summary:?}");
}

/// The file each loader target replaces.
fn loader_file(target: &str) -> Option<&'static str> {
    Some(match target {
        "load_config" => "rota/config.yaml",
        "load_people" => "rota/people.yaml",
        "load_rota" | "check_rota" => "rota/rotas/ooh.yaml",
        "load_alerts" => "rota/alerts/web.yaml",
        "load_services" => "rota/services.yaml",
        "load_leave" => "rota/leave.yaml",
        "load_pages" => "rota/pages/2026-11.yaml",
        "load_runbook" => "runbooks/site-down.md",
        _ => return None,
    })
}

/// The `load_alerting` target: any bytes as a Prometheus rule file, an Alertmanager
/// configuration (or Secret) and a matcher list; whatever loads is routed and its time
/// intervals asked. Then the bytes in a repository whose `alerting:` reads them, merged
/// with `rota/alerts/` into the catalogue and checked: split at lines `#%%` into a rule
/// file, an Alertmanager configuration and a `rota/alerts/` file (one part alone is
/// both the rule file and the configuration). Nothing may panic, and every finding
/// points at a line of the input.
pub fn load_alerting(data: &[u8]) {
    use rota::load::alerting::{alertmanager, rules};
    use rota::model::alerting::{LabelSet, matcher};
    use rota::source::FileId;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = rules::load(FileId(0), text);
    alerting_findings_located(text, &loaded.findings);
    let loaded = alertmanager::load(FileId(0), text);
    alerting_findings_located(text, &loaded.findings);
    let parsed = matcher::parse_matchers(text);
    if let Some(config) = loaded.config {
        let mut labels = LabelSet::new();
        for m in parsed.iter().flatten() {
            labels.insert(m.name.clone(), m.value.clone());
        }
        let routes = config.root.matching(&labels);
        assert!(!routes.is_empty(), "the root route matches every alert");
        let at = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        for route in routes {
            route.notifies_at(&config.time_intervals, at);
        }
    }
    alerting_catalogue(text);
}

/// Where the `load_alerting` target's repository reads the parts of an input.
const ALERTING_FILES: [&str; 2] = ["monitoring/fuzz.rules.yml", "monitoring/am.yml"];

/// `alerting:` of the `load_alerting` target's repository.
const ALERTING_CONFIG: &str = "alerting:
  rules: [\"monitoring/*.rules.yml\"]
  alertmanager: monitoring/am.yml
  receivers: { pager: ooh, tickets: [], \"null\": [] }
  runbook_url: https://example.test/runbooks/
";

/// The parts of `text` (see [`load_alerting`]) as the rule file, the Alertmanager
/// configuration and `rota/alerts/web.yaml` of the base repository with `alerting:`;
/// loaded (the catalogue merged), resolved and checked.
fn alerting_catalogue(text: &str) {
    let parts: Vec<&str> = text.split("\n#%%").collect();
    let (rules, am, alerts) = match parts.as_slice() {
        [one] => (*one, *one, None),
        [rules, am] => (*rules, *am, None),
        [rules, am, alerts, ..] => (*rules, *am, Some(*alerts)),
        [] => return,
    };
    let root = skeleton(BASE.iter().map(|(r, _)| *r).chain(ALERTING_FILES));
    let mut overlay: BTreeMap<String, String> = BASE
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
    overlay.insert(
        "rota/config.yaml".into(),
        format!(
            "{}{ALERTING_CONFIG}",
            BASE.iter()
                .find(|(r, _)| *r == "rota/config.yaml")
                .map_or("", |(_, t)| *t)
        ),
    );
    overlay.insert(ALERTING_FILES[0].into(), rules.to_string());
    overlay.insert(ALERTING_FILES[1].into(), am.to_string());
    if let Some(alerts) = alerts {
        overlay.insert("rota/alerts/web.yaml".into(), alerts.to_string());
    }
    if let Some(model) = load_and_resolve(&root, &overlay) {
        // The catalogue: every entry read from the rules names its rule's file.
        for alert in &model.repo.alerts {
            if alert.rule.is_some() {
                assert_eq!(
                    model.repo.sources.get(alert.loc.file).path,
                    ALERTING_FILES[0],
                    "{alert:?}"
                );
            }
        }
        let findings = rota::rules::check(&model, clock(&model));
        assert_located(&findings);
    }
}

/// Every finding is on a line of the text, counted as YAML counts them (a lone carriage
/// return also ends a line).
fn alerting_findings_located(text: &str, findings: &[Finding]) {
    let lines = (text.matches('\n').count() + text.matches('\r').count()).max(1) as u32;
    for f in findings {
        assert!(f.loc.line >= 1 && f.loc.column >= 1, "{f:?}");
        assert!(f.loc.line <= lines + 1, "{f:?} beyond {lines} lines");
    }
}

/// Replays one kept input of `target` through the target's own entry point; then, for
/// the file targets, checks that loading from disk agrees with the overlay the target
/// uses, and for the targets that check and build, runs the same files through the
/// command line and an on-disk build.
pub fn replay(target: &str, bytes: &[u8]) {
    match target {
        "load_alerting" => load_alerting(bytes),
        "encoders" => {
            if let Ok(values) = HostileValues::arbitrary_take_rest(Unstructured::new(bytes)) {
                encoders(&values);
            }
        }
        "values" => {
            if let Ok(text) = std::str::from_utf8(bytes) {
                parse_values(text);
            }
        }
        "load_runbook" => {
            let text = runbook_with_front_matter(bytes);
            load_runbook_front_matter(bytes);
            disk_and_overlay_agree(&base_files_with("runbooks/site-down.md", &text));
        }
        "check_rota" => {
            let rel = "rota/rotas/ooh.yaml";
            check_one_file(rel, bytes);
            let files = base_files_with(rel, bytes);
            disk_and_overlay_agree(&files);
            cli_check_and_build(&files);
        }
        "duty_windows" => {
            if let Ok(h) = GenHours::arbitrary_take_rest(Unstructured::new(bytes)) {
                duty_windows(&h);
                let files = base_files_with("rota/rotas/ooh.yaml", rota_with_hours(&h).as_bytes());
                disk_and_overlay_agree(&files);
                cli_check_and_build(&files);
            }
        }
        "whole_repo" => {
            if let Ok(r) = GenRepo::arbitrary_take_rest(Unstructured::new(bytes)) {
                check_and_build(&r);
                let files: Vec<(String, Vec<u8>)> = r
                    .render()
                    .into_iter()
                    .map(|(rel, text)| (rel, text.into_bytes()))
                    .collect();
                disk_and_overlay_agree(&files);
                cli_check_and_build(&files);
            }
        }
        other => match loader_file(other) {
            Some(rel) => {
                load_one_file(rel, bytes);
                disk_and_overlay_agree(&base_files_with(rel, bytes));
            }
            None => panic!("no fuzz target `{other}`"),
        },
    }
}
