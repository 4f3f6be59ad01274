//! Replays every input kept under `fuzz/regressions/<target>/` through the fuzz target's
//! own entry point (the harness in `fuzz/src/lib.rs`), so an input that once crashed, hung
//! or broke an invariant stays fixed without nightly or cargo-fuzz.

#[path = "../../../fuzz/src/lib.rs"]
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

/// `whole_repo` is only worth fuzzing if what it generates can reach `build`: its
/// generator keeps a valid core (eight steady people, a rota two deep, a real `base_url`)
/// unless the input asks otherwise, and an input of no bytes at all (every choice its
/// first) is a repository that passes `check`.
#[test]
fn the_whole_repo_generator_reaches_build() {
    use arbitrary::{Arbitrary, Unstructured};
    let empty = harness::GenRepo::arbitrary_take_rest(Unstructured::new(&[])).expect("decodes");
    assert_eq!(harness::build_blockers(&empty), Ok(Vec::new()));
    // So do most short inputs: of every two-byte input with the same first byte, most are
    // built (a broken `base_url`, duty hours or rota shape stops the rest).
    let built = (0..=255u8)
        .filter(|b| {
            let bytes = [*b, 0x5a];
            let repo =
                harness::GenRepo::arbitrary_take_rest(Unstructured::new(&bytes)).expect("decodes");
            harness::build_blockers(&repo).is_ok_and(|b| b.is_empty())
        })
        .count();
    assert!(
        built > 128,
        "only {built} of 256 two-byte inputs reach build"
    );
}
