//! Fuzz target: any names, paths, notes and messages through `rota diff`'s Markdown and
//! `check --format github` (and the terminal encoding of exit-2 errors): nothing from the
//! data makes a link, image, heading or mention, or starts a workflow command.
#![no_main]

libfuzzer_sys::fuzz_target!(|values: rota_fuzz::HostileValues| {
    rota_fuzz::cpu_bounded(|| rota_fuzz::encoders(&values));
});
