//! Prints how long each stage of `rota check` takes on a data repository (load, resolve,
//! schedule, rules), the mean of several runs, for `scripts/bench-check`.
//!
//! `cargo run --release --example check-stages -- DIR [--today DATE] [--runs N]`

use rota::output::feeds::name::FeedNames;
use rota::time::Clock;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let mut root = None;
    let mut today = "2026-11-25".to_string();
    let mut runs: u32 = 5;
    let mut build = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--today" => today = args.next().unwrap_or_default(),
            "--build" => build = true,
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    let (Some(root), Some(today), true) = (root, rota::time::parse_date(&today).ok(), runs > 0)
    else {
        eprintln!("usage: check-stages DIR [--today YYYY-MM-DD] [--runs N]");
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
        let model = rota::load::resolve::resolve(repo);
        let t2 = Instant::now();
        let c2 = cpu_ticks();
        let clock = Clock {
            now: rota::time::start_of_day(model.repo.config.timezone, today),
            today,
        };
        let schedule = rota::schedule::window::schedule(&model, clock);
        let t3 = Instant::now();
        let c3 = cpu_ticks();
        let found = rota::rules::check_with(&model, &schedule, clock);
        findings = found.len();
        let t4 = Instant::now();
        let c4 = cpu_ticks();
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
