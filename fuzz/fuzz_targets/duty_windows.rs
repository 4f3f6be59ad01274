//! Fuzz target: structured duty-hour windows (and raw text as `hours:`) in a rota, loaded,
//! checked and built.
#![no_main]

libfuzzer_sys::fuzz_target!(|hours: rota_fuzz::GenHours| {
    rota_fuzz::cpu_bounded(|| {
        rota_fuzz::duty_windows(&hours);
    });
});
