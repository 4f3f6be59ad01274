//! Fuzz target: any bytes as `rota/services.yaml` of an otherwise valid repository, loaded and resolved.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rota_fuzz::cpu_bounded(|| {
        rota_fuzz::load_one_file("rota/services.yaml", data);
    });
});
