//! Replays every input kept under `fuzz/regressions/<target>/` through the fuzz target's
//! own entry point (the harness in `fuzz/src/lib.rs`), so an input that once crashed, hung
//! or broke an invariant stays fixed without nightly or cargo-fuzz.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::path::Path;

#[test]
fn every_kept_fuzz_input_still_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    let mut targets: Vec<_> = std::fs::read_dir(&root)
        .expect("fuzz/regressions")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    targets.sort();
    for dir in targets {
        let target = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .expect("target folder")
            .map(|e| e.expect("entry").path())
            .collect();
        inputs.sort();
        for input in inputs {
            let bytes = std::fs::read(&input).expect("read input");
            eprintln!("replaying {}", input.display());
            harness::replay(&target, &bytes);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression inputs under fuzz/regressions/");
}
