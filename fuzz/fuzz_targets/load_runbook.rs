//! Fuzz target: any bytes as the front matter of a runbook, loaded and resolved.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rota_fuzz::cpu_bounded(|| {
        rota_fuzz::load_runbook_front_matter(data);
    });
});
