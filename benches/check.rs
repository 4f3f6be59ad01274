//! `cargo bench`: how long loading and checking the example repository takes, by stage.
//! Prints numbers (no assertions): compare the stages with each other within one run.

use rota::time::Clock;
use std::path::Path;
use std::time::{Duration, Instant};

fn time<T>(runs: u32, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(f());
    }
    start.elapsed() / runs
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let today = rota::time::parse_date("2026-11-22").expect("date");
    let tz = chrono_tz::Europe::London;
    let clock = Clock {
        now: rota::time::start_of_day(tz, today),
        today,
    };
    let runs = 50;
    let load = time(runs, || rota::load::load(root).expect("load"));
    let model = rota::load::resolve::resolve(rota::load::load(root).expect("load"));
    let check = time(runs, || rota::rules::check(&model, clock));
    let whole = time(runs, || {
        let model = rota::load::resolve::resolve(rota::load::load(root).expect("load"));
        rota::rules::check(&model, clock)
    });
    println!("example repository, mean of {runs} runs:");
    println!("  load + parse        {:>8.2} ms", load.as_secs_f64() * 1e3);
    println!(
        "  schedule + rules    {:>8.2} ms",
        check.as_secs_f64() * 1e3
    );
    println!(
        "  whole check         {:>8.2} ms",
        whole.as_secs_f64() * 1e3
    );
}
