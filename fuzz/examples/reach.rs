//! How often `whole_repo`'s generated repositories reach `build`, over a corpus folder:
//! `cargo run --release --example reach -- CORPUS_DIR`. Prints how many inputs load, how
//! many pass `check` (and so are built), and the rules that most often stop the rest.

use arbitrary::{Arbitrary, Unstructured};
use std::collections::BTreeMap;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: reach CORPUS_DIR [--show]");
    // `--show`: the first input's files; `--show RULE`: the first stopped by RULE.
    let show = std::env::args().nth(2).is_some_and(|a| a == "--show");
    let show_rule = std::env::args().nth(3);
    let mut inputs = 0;
    let mut loaded = 0;
    let mut built = 0;
    let mut stopped_by: BTreeMap<String, usize> = BTreeMap::new();
    let mut load_errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for path in paths {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(repo) = rota_fuzz::GenRepo::arbitrary_take_rest(Unstructured::new(&bytes)) else {
            continue;
        };
        inputs += 1;
        if show
            && show_rule.as_ref().is_none_or(|r| {
                rota_fuzz::build_blockers(&repo).is_ok_and(|b| b.iter().any(|x| x == r))
            })
        {
            for (rel, text) in repo.render() {
                println!("==> {rel}\n{text}");
            }
            show_findings(&repo);
            return;
        }
        let blockers = match rota_fuzz::build_blockers(&repo) {
            Ok(b) => b,
            Err(e) => {
                let e: String = e.chars().take(60).collect();
                *load_errors.entry(e).or_default() += 1;
                continue;
            }
        };
        loaded += 1;
        if blockers.is_empty() {
            built += 1;
        }
        for rule in blockers {
            *stopped_by.entry(rule).or_default() += 1;
        }
    }
    println!("{inputs} inputs, {loaded} load, {built} pass check and are built");
    for (e, n) in &load_errors {
        println!("  {n:6}  not loaded: {e}");
    }
    let mut rules: Vec<_> = stopped_by.into_iter().collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (rule, n) in rules.iter().take(12) {
        println!("  {n:6}  {rule}");
    }
}

/// The first input's files and error findings (`--show`).
fn show_findings(repo: &rota_fuzz::GenRepo) {
    println!("blockers: {:?}", rota_fuzz::build_blockers(repo));
}
