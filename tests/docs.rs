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
