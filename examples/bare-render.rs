//! The floor for the benchmarks: reads every runbook under `DIR/runbooks/`, drops its
//! front matter and renders the Markdown to HTML with pulldown-cmark alone (the same
//! extensions the site uses, on `--threads N` threads, 2 by default, nothing written).
//! Prints the count and the time. `scripts/bench-site` and `scripts/bench-check` time it
//! as a whole process beside `rota`, in the same run (docs/performance.md).
//!
//! `cargo run --release --example bare-render -- DIR [--threads N]`

use pulldown_cmark::{Parser, html};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let usage = "usage: bare-render DIR [--threads N]";
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut threads = 2;
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            match args.next().and_then(|v| v.parse().ok()) {
                Some(n) if n > 0 => threads = n,
                _ => {
                    eprintln!("--threads: give a whole number above 0\n{usage}");
                    return ExitCode::from(2);
                }
            }
        } else if dir.is_none() {
            dir = Some(arg);
        } else {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    }
    let Some(dir) = dir else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let root = Path::new(&dir).join("runbooks");
    if !root.is_dir() {
        eprintln!("{}: no such folder", root.display());
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            paths.push(entry.into_path());
        }
    }
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let rendered: Result<usize, String> = pool.install(|| {
        paths
            .par_iter()
            .map(|path| {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let mut page = String::with_capacity(text.len() * 3 / 2);
                html::push_html(
                    &mut page,
                    Parser::new_ext(body(&text), rota::markdown::options()),
                );
                Ok(page.len())
            })
            .sum()
    });
    let html_bytes = match rendered {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "runbooks={} threads={threads} seconds={seconds:.4} html_bytes={html_bytes}",
        paths.len()
    );
    ExitCode::SUCCESS
}

/// The Markdown after a `---` front-matter block (or all of it when there is none).
fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}
