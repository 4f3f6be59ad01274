//! The generated rules page stays in step with the registry.

#[test]
fn docs_rules_page_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let wanted = rota::rules::markdown();
    if std::env::var_os("ROTA_BLESS").is_some() {
        std::fs::write(path, &wanted).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        have == wanted,
        "docs/rules.md is stale: run `ROTA_BLESS=1 cargo test docs`"
    );
}

/// The README's sample of `rota now` is what the example repository answers.
#[test]
fn readme_now_sample_is_what_the_example_answers() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README");
    let prompt = "$ rota --at 2026-11-28T03:00 now\n";
    let start = readme.find(prompt).expect("the sample in README.md") + prompt.len();
    let sample = &readme[start..start + readme[start..].find("```").expect("its end")];
    let out = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .args(["--root", root, "--at", "2026-11-28T03:00", "now"])
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(
        sample,
        String::from_utf8_lossy(&out.stdout),
        "README.md's `rota now` sample is stale"
    );
}
