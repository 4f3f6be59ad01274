//! The shape of the code that a reader relies on (docs/developing.md): no hidden state
//! below the commands — no thread-local anywhere, the environment read only in `cmd/`
//! and `main.rs` — and copies of the data share its files' text.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, as `src/…` paths with `/` separators, and its text.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = vec![root.join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read src/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .expect("under the crate")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).expect("read")));
            }
        }
    }
    out.sort();
    assert!(out.len() > 50, "src/ was not found whole: {}", out.len());
    out
}

/// The lines of `text` that are code (not `//` comments), numbered from 1.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

#[test]
fn no_thread_local_state_anywhere() {
    let found: Vec<String> = sources()
        .iter()
        .flat_map(|(path, text)| {
            code_lines(text)
                .filter(|(_, l)| l.contains("thread_local!"))
                .map(move |(n, l)| format!("{path}:{n}: {}", l.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "thread-local state hides what a function depends on; pass it in instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_environment_is_read_only_by_the_commands() {
    let found: Vec<String> = sources()
        .iter()
        .filter(|(path, _)| !path.starts_with("src/cmd/") && path != "src/main.rs")
        .flat_map(|(path, text)| {
            code_lines(text)
                .filter(|(_, l)| l.contains("std::env") || l.contains("env::var"))
                .map(move |(n, l)| format!("{path}:{n}: {}", l.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "only src/cmd/ and src/main.rs read the environment (resolve it into pipeline::Options):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_copy_of_the_data_shares_its_files_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = rota::resolve::resolve(rota::load::load(root).expect("the example loads"));
    let copy = model.clone();
    let (id, file) = model
        .repo
        .sources
        .iter()
        .max_by_key(|(_, f)| f.text.len())
        .expect("files");
    assert!(file.text.len() > 100);
    assert!(
        std::ptr::eq(file.text.as_ptr(), copy.repo.sources.get(id).text.as_ptr()),
        "{}: copied, not shared",
        file.path
    );
}
