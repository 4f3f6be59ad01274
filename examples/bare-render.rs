//! The floor for the site benchmark: reads every runbook under `DIR/runbooks/`, drops its
//! front matter and renders the Markdown to HTML with pulldown-cmark alone (the same
//! extensions the site uses, one thread, nothing written). Prints the count and the time.
//!
//! `cargo run --release --example bare-render -- DIR`

use pulldown_cmark::{Parser, html};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bare-render DIR");
        return ExitCode::from(2);
    };
    let root = Path::new(&dir).join("runbooks");
    if !root.is_dir() {
        eprintln!("{}: no such folder", root.display());
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let mut runbooks = 0usize;
    let mut html_bytes = 0usize;
    let mut page = String::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        };
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = match std::fs::read_to_string(entry.path()) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", entry.path().display());
                return ExitCode::from(2);
            }
        };
        page.clear();
        html::push_html(
            &mut page,
            Parser::new_ext(body(&text), rota::markdown::options()),
        );
        html_bytes += page.len();
        runbooks += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("runbooks={runbooks} seconds={seconds:.4} html_bytes={html_bytes}");
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
