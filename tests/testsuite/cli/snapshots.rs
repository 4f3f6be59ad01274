//! Snapshots of `rota check` in each format, on one repository with an error and a warning.

use crate::common::*;

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        // Dan's one-way cover is a weekend more than Bob's: allowed here.
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-16T10:00, to: 2026-12-23T10:00, person: dan, replaces: bob }\npolicy: { weekend_spread: 4 }\n"),
    );
    repo.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-10, to: 2026-12-11, note: \"Dentist, then rest\" }\n",
    );
    repo
}

fn output(format: &str) -> String {
    let out = repo()
        .rota(&["check", "--format", format])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn human() {
    insta::assert_snapshot!(output("human"));
}

#[test]
fn json() {
    insta::assert_snapshot!(output("json"));
}

#[test]
fn github() {
    insta::assert_snapshot!(output("github"));
}
