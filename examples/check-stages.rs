//! Prints how long each stage of `rota check` takes on a data repository (load, resolve,
//! schedule, rules), the mean of several runs, for `scripts/bench-check`.
//!
//! `cargo run --release --example check-stages -- DIR [--today DATE] [--runs N]`

use rota::time::Clock;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let mut root = None;
    let mut today = "2026-11-25".to_string();
    let mut runs: u32 = 5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--today" => today = args.next().unwrap_or_default(),
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(0),
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    let (Some(root), Some(today), true) = (root, rota::time::parse_date(&today).ok(), runs > 0)
    else {
        eprintln!("usage: check-stages DIR [--today YYYY-MM-DD] [--runs N]");
        return ExitCode::from(2);
    };
    let mut totals = [Duration::ZERO; 4];
    let mut findings = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let repo = match rota::load::load(&root) {
            Ok(repo) => repo,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        let t1 = Instant::now();
        let model = rota::resolve::resolve(repo);
        let t2 = Instant::now();
        let clock = Clock {
            now: rota::time::start_of_day(model.repo.config.timezone, today),
            today,
        };
        let schedule = rota::rules::schedule(&model, clock);
        let t3 = Instant::now();
        findings = rota::rules::check_with(&model, &schedule, clock).len();
        let t4 = Instant::now();
        for (total, (a, b)) in totals
            .iter_mut()
            .zip([(t0, t1), (t1, t2), (t2, t3), (t3, t4)])
        {
            *total += b - a;
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / f64::from(runs);
    println!(
        "{}: mean of {runs} runs, {findings} findings",
        root.display()
    );
    for (name, total) in ["load", "resolve", "schedule", "rules"].iter().zip(totals) {
        println!("  {name:<10} {:>9.1} ms", ms(total));
    }
    println!(
        "  {:<10} {:>9.1} ms",
        "total",
        ms(totals.iter().sum::<Duration>())
    );
    ExitCode::SUCCESS
}
