//! Fuzz target: a whole data repository from a structured generator, through `check` and
//! `build` (the same entry point as the command line).
#![no_main]

libfuzzer_sys::fuzz_target!(|repo: rota_fuzz::GenRepo| {
    rota_fuzz::check_and_build(&repo);
});
