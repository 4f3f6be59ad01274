//! Fuzz target: any bytes as a rota file, through check, now, shifts and build (the
//! schedule engine and every rule, not only the loader).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rota_fuzz::cpu_bounded(|| {
        rota_fuzz::check_one_file("rota/rotas/ooh.yaml", data);
    });
});
