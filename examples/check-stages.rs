//! Prints how long each stage of `rota check` takes on a data repository (load, resolve,
//! schedule, rules), the mean of several runs, for `scripts/bench-check`.
//!
//! `cargo run --release --example check-stages -- DIR [--today DATE] [--runs N] [--rules]`
//! (`--rules`: also each rule's time alone; `CHECK_STAGES_MEMORY=1`: the resident and
//! peak memory after each stage, with the allocator set up as `rota` sets it).

use rota::output::feeds::name::FeedNames;
use rota::time::Clock;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The allocator and its option as `rota` sets them (src/main.rs), so that the memory
/// printed is the command's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // As src/main.rs does, before any other thread starts: freed pages go back at once
    // (mimalloc's purge delay, option 15, set to 0) and no transparent huge pages.
    // SAFETY: setting a numeric option and a flag of this process's memory.
    #[cfg(target_os = "linux")]
    unsafe {
        libmimalloc_sys::mi_option_set(15, 0);
        unsafe extern "C" {
            fn prctl(option: i32, ...) -> i32;
        }
        prctl(41, 1u64, 0u64, 0u64, 0u64);
    }
    let mut root = None;
    let mut today = "2026-11-25".to_string();
    let mut runs: u32 = 5;
    let mut build = false;
    let mut per_rule = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--today" => today = args.next().unwrap_or_default(),
            "--build" => build = true,
            "--rules" => per_rule = true,
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    let (Some(root), Some(today), true) = (root, rota::time::parse_date(&today).ok(), runs > 0)
    else {
        eprintln!("usage: check-stages DIR [--today YYYY-MM-DD] [--runs N] [--build] [--rules]");
        return ExitCode::from(2);
    };
    let mut totals = [Duration::ZERO; 7];
    let mut cpu_totals = [0u64; 7];
    let mut findings = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let c0 = cpu_ticks();
        let repo = match rota::load::load(&root) {
            Ok(repo) => repo,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        let t1 = Instant::now();
        let c1 = cpu_ticks();
        memory("load");
        let model = rota::load::resolve::resolve(repo);
        let t2 = Instant::now();
        let c2 = cpu_ticks();
        memory("resolve");
        let clock = Clock {
            now: rota::time::start_of_day(model.repo.config.timezone, today),
            today,
        };
        let schedule = rota::schedule::window::schedule(&model, clock);
        let t3 = Instant::now();
        let c3 = cpu_ticks();
        memory("schedule");
        if per_rule {
            rule_times(&model, &schedule, clock);
        }
        let found = rota::rules::check_with(&model, &schedule, clock);
        findings = found.len();
        let t4 = Instant::now();
        let c4 = cpu_ticks();
        memory("rules");
        let (mut t5, mut t6, mut t7) = (t4, t4, t4);
        let (mut c5, mut c6, mut c7) = (c4, c4, c4);
        if build {
            let site = rota::output::site::Site::new(&model.repo).expect("templates");
            t5 = Instant::now();
            c5 = cpu_ticks();
            let bytes = std::sync::atomic::AtomicUsize::new(0);
            site.render_each(
                &model,
                &schedule,
                &found,
                clock,
                &FeedNames::by_id(),
                &|_rel, pieces| {
                    for piece in pieces {
                        bytes.fetch_add(piece?.len(), std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok(())
                },
            )
            .expect("site");
            t6 = Instant::now();
            c6 = cpu_ticks();
            let feeds =
                rota::output::outputs(&model, &schedule, clock, clock.now, &FeedNames::by_id());
            std::hint::black_box(feeds);
            t7 = Instant::now();
            c7 = cpu_ticks();
        }
        for (total, (a, b)) in cpu_totals.iter_mut().zip([
            (c0, c1),
            (c1, c2),
            (c2, c3),
            (c3, c4),
            (c4, c5),
            (c5, c6),
            (c6, c7),
        ]) {
            *total += b - a;
        }
        for (total, (a, b)) in totals.iter_mut().zip([
            (t0, t1),
            (t1, t2),
            (t2, t3),
            (t3, t4),
            (t4, t5),
            (t5, t6),
            (t6, t7),
        ]) {
            *total += b - a;
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / f64::from(runs);
    println!(
        "{}: mean of {runs} runs, {findings} findings",
        root.display()
    );
    let names = [
        "load",
        "resolve",
        "schedule",
        "rules",
        "templates",
        "site",
        "feeds",
    ];
    let stages = if build { 7 } else { 4 };
    for ((name, total), cpu) in names.iter().zip(totals).zip(cpu_totals).take(stages) {
        println!(
            "  {name:<10} {:>9.1} ms   CPU {:>7.0} ms",
            ms(total),
            cpu as f64 * 10.0 / f64::from(runs)
        );
    }
    println!(
        "  {:<10} {:>9.1} ms",
        "total",
        ms(totals.iter().sum::<Duration>())
    );
    ExitCode::SUCCESS
}

/// Prints the wall time of each rule run alone, and of the runbook link checks, the
/// slowest first (`--rules`).
fn rule_times(model: &rota::model::Model, schedule: &rota::schedule::Schedule, clock: Clock) {
    let t = Instant::now();
    let ctx = rota::rules::Ctx::new(model, schedule, clock);
    let mut times = vec![("(context)".to_string(), t.elapsed())];
    for rule in rota::rules::registry() {
        if let Some(check) = rule.check {
            let mut out = Vec::new();
            let t = Instant::now();
            check(&ctx, &mut out);
            times.push((rule.id.to_string(), t.elapsed()));
            memory(rule.id.as_str());
        }
    }
    let mut out = Vec::new();
    let t = Instant::now();
    rota::rules::catalogue::runbook_links(&ctx, &mut out);
    times.push(("(runbook links)".to_string(), t.elapsed()));
    memory("links");
    times.sort_by_key(|t| std::cmp::Reverse(t.1));
    for (name, time) in times.iter().take(8) {
        println!("    rule {name:<20} {:>9.1} ms", time.as_secs_f64() * 1e3);
    }
}

/// Prints the resident and peak memory after `stage` (`--memory`).
fn memory(stage: &str) {
    if std::env::var_os("CHECK_STAGES_MEMORY").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    println!(
        "    after {stage:<9} resident {:>10}, peak {:>10}",
        field("VmRSS:"),
        field("VmHWM:")
    );
}

/// User and system CPU time of this process so far, in clock ticks (1/100 s on Linux).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 12th, stime
    // the 13th.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}
