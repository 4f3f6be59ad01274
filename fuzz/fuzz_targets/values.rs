//! Fuzz target: the value parsers (durations, local times, dates, date-times, zones,
//! weekdays) and the arithmetic on what they return.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rota_fuzz::cpu_bounded(|| {
        if let Ok(text) = std::str::from_utf8(data) {
            rota_fuzz::parse_values(text);
        }
    });
});
