//! The CPU time one data repository takes through what `whole_repo` runs for each input
//! (`check`, `now`, `shifts` and `build`, in memory), for sizing the generator's largest
//! inputs against the fuzzers' 1 s limit:
//! `cargo run --release --example cost -- DATA_REPO_DIR` (reads its `rota/` and
//! `runbooks/`; the later runs in the same process show the steady cost). Given a folder
//! of `whole_repo` inputs instead (no `rota/` in it), runs each once and prints the total
//! and the slowest, for comparing with the instrumented fuzz binary over the same corpus.

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: cost DATA_REPO_DIR");
    let dir = Path::new(&dir);
    if !dir.join("rota").is_dir() {
        return corpus(dir);
    }
    let mut files = BTreeMap::new();
    for top in ["rota", "runbooks"] {
        for entry in walkdir::WalkDir::new(dir.join(top)).sort_by_file_name() {
            let entry = entry.expect("a readable folder");
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir).expect("under the folder");
                let text = std::fs::read_to_string(entry.path()).expect("UTF-8 text");
                files.insert(rel.to_string_lossy().replace('\\', "/"), text);
            }
        }
    }
    for run in 1..=4 {
        let before = cpu();
        rota_fuzz::check_and_build_files(&files);
        println!("run {run}: {:.2} s of CPU", cpu() - before);
    }
}

/// Every input in `dir` through `whole_repo`'s check and build.
fn corpus(dir: &Path) {
    use arbitrary::{Arbitrary, Unstructured};
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let (mut total, mut slowest) = (0.0, (0.0, String::new()));
    for path in &paths {
        let bytes = std::fs::read(path).expect("readable input");
        let before = cpu();
        if let Ok(repo) = rota_fuzz::GenRepo::arbitrary_take_rest(Unstructured::new(&bytes)) {
            rota_fuzz::check_and_build(&repo);
        }
        let took = cpu() - before;
        total += took;
        if took > slowest.0 {
            slowest = (took, path.display().to_string());
        }
    }
    println!(
        "{} inputs: {total:.2} s of CPU; slowest {:.2} s ({})",
        paths.len(),
        slowest.0,
        slowest.1
    );
}

/// This process's user + system CPU time, in seconds (from `/proc/self/stat`).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}
