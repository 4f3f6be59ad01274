//! Fuzz target: any bytes as a Prometheus rule file, an Alertmanager configuration (or
//! Secret) and a matcher list; whatever loads is routed and its time intervals asked.
//! Nothing may panic, and every finding points at a line and column of the input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rota_fuzz::cpu_bounded(|| rota_fuzz::load_alerting(data));
});
