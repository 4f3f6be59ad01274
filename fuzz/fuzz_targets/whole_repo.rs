//! Fuzz target: a whole data repository from a structured generator, through `check`, `now`,
//! `shifts` and `build` (in memory, through the library).
#![no_main]

libfuzzer_sys::fuzz_target!(|repo: rota_fuzz::GenRepo| {
    rota_fuzz::cpu_bounded(|| {
        rota_fuzz::check_and_build(&repo);
    });
});
