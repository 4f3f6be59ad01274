//! `rota swap`: the trade is appended to the rota file as overrides with `replaces:`,
//! every other byte of the file stays as it was (in every style a team may write), the
//! traded weeks really move, and a trade that adds an error is refused without writing.
//!
//! The `ooh` rota: turn k from Wed 2026-01-07 10:00 has primary members[k % 8] and
//! secondary members[(k + 1) % 8]; turn 46 (25 Nov) is grace + heidi, turn 47 (2 Dec)
//! heidi + alice, turn 49 (16 Dec) bob + carol. London is on GMT (= UTC) then.

use crate::common::*;
use serde_json::Value;

const HEAD: &str = "\
name: Out of hours   # the only rota
kind: out-of-hours
hours: always
rotation: { start: 2026-01-07, handover: \"10:00\", every: 1w, members: [alice, bob, carol, dan, erin, frank, grace, heidi] }
positions:
  - { name: primary }
  - { name: secondary, offset: 1 }
";

const ESCALATION: &str = "\
escalation:
  - after: 0m
    notify: primary
  - { after: 5m, notify: secondary }
  - { after: 10m, notify: \"person:alice\" }
";

/// An existing trade (erin takes heidi's primary week from 2 December).
const EXISTING_BLOCK: &str = "\
overrides:
  # Agreed in the team meeting
  - position: primary
    from: 2026-12-02T10:00
    to: 2026-12-09T10:00   # a week
    person: erin
    replaces: heidi

";

/// What the grace ↔ bob trade appends in block style (two-space items).
const TRADE_BLOCK: &str = "  - position: primary
    from: 2026-11-25T10:00
    to: 2026-12-02T10:00
    person: bob
    replaces: grace
    reason: Grace's wedding
  - position: primary
    from: 2026-12-16T10:00
    to: 2026-12-23T10:00
    person: grace
    replaces: bob
    reason: Grace's wedding
";

const TRADE_FLOW_1: &str = "{ position: primary, from: 2026-11-25T10:00, to: 2026-12-02T10:00, person: bob, replaces: grace, reason: Grace's wedding }";
const TRADE_FLOW_2: &str = "{ position: primary, from: 2026-12-16T10:00, to: 2026-12-23T10:00, person: grace, replaces: bob, reason: Grace's wedding }";

fn swap(repo: &TestRepo, a: &str, b: &str) -> std::process::Output {
    repo.rota(&["swap", "ooh", a, b, "--reason", "Grace's wedding"])
        .output()
        .expect("run")
}

fn rota_text(repo: &TestRepo) -> String {
    std::fs::read_to_string(repo.path().join("rota/rotas/ooh.yaml")).expect("read")
}

/// Who holds `position` at `at` (UTC), from `rota shifts`.
fn holder(repo: &TestRepo, position: &str, at: &str) -> String {
    let shifts: Value = repo.json(&[
        "shifts",
        "--rota",
        "ooh",
        "--from",
        "2026-11-20",
        "--to",
        "2027-01-10",
        "--format",
        "json",
    ]);
    shifts
        .as_array()
        .expect("array")
        .iter()
        .find(|s| {
            s["position"] == position
                && s["start"].as_str().is_some_and(|t| t <= at)
                && s["end"].as_str().is_some_and(|t| t > at)
        })
        .map(|s| s["person"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// Writes `before`, runs the grace ↔ bob trade, and checks that the file became
/// `before[..at] + inserted + before[at..]` and that the weeks moved.
fn trade_in_style(before: &str, at: usize, inserted: &str) {
    let repo = TestRepo::new();
    repo.write("rota/rotas/ooh.yaml", before);
    assert_eq!(holder(&repo, "primary", "2026-11-26T00:00:00Z"), "grace");
    let out = swap(&repo, "grace@2026-11-25", "bob@2026-12-16");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let after = rota_text(&repo);
    let expected = format!("{}{inserted}{}", &before[..at], &before[at..]);
    assert_eq!(after, expected);
    assert_eq!(holder(&repo, "primary", "2026-11-26T00:00:00Z"), "bob");
    assert_eq!(holder(&repo, "primary", "2026-12-20T00:00:00Z"), "grace");
    // Untouched: the week between, and the secondaries.
    assert_eq!(holder(&repo, "primary", "2026-12-10T00:00:00Z"), "alice");
    assert_eq!(holder(&repo, "secondary", "2026-11-26T00:00:00Z"), "heidi");
    let (json, code) = repo.check();
    assert_eq!(code, 0, "{json}");
    let leftovers: Vec<_> = std::fs::read_dir(repo.path().join("rota/rotas"))
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

#[test]
fn block_list_with_comments_keeps_every_other_byte() {
    let before = format!("{HEAD}{EXISTING_BLOCK}{ESCALATION}");
    // After the last line of the existing item (its trailing comment stays with it).
    let at = HEAD.len() + EXISTING_BLOCK.len() - 1;
    trade_in_style(&before, at, TRADE_BLOCK);
}

#[test]
fn crlf_line_ends_are_kept_and_used() {
    let before = format!("{HEAD}{EXISTING_BLOCK}{ESCALATION}").replace('\n', "\r\n");
    let at = before.find("replaces: heidi\r\n").expect("item") + "replaces: heidi\r\n".len();
    trade_in_style(&before, at, &TRADE_BLOCK.replace('\n', "\r\n"));
}

#[test]
fn block_list_of_flow_mappings() {
    let existing = "overrides:\n- { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: erin, replaces: heidi }\n";
    let before = format!("{HEAD}{existing}{ESCALATION}");
    let inserted = format!("- {TRADE_FLOW_1}\n- {TRADE_FLOW_2}\n");
    trade_in_style(&before, HEAD.len() + existing.len(), &inserted);
}

#[test]
fn multi_line_flow_list() {
    let existing = "overrides: [\n    { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: erin, replaces: heidi }  # erin\n  ]\n";
    let before = format!("{HEAD}{existing}{ESCALATION}");
    let at = HEAD.len() + existing.find("}  # erin").expect("item end") + 1;
    let inserted = format!(",\n    {TRADE_FLOW_1},\n    {TRADE_FLOW_2}");
    trade_in_style(&before, at, &inserted);
}

#[test]
fn empty_flow_list() {
    let existing = "overrides: []\n";
    let before = format!("{HEAD}{existing}{ESCALATION}");
    let at = HEAD.len() + "overrides: [".len();
    trade_in_style(&before, at, &format!("{TRADE_FLOW_1}, {TRADE_FLOW_2}"));
}

#[test]
fn no_overrides_key_and_no_final_line_end() {
    let before = format!("{HEAD}{ESCALATION}");
    let before = before.trim_end().to_string();
    let inserted = format!("\noverrides:\n{TRADE_BLOCK}");
    trade_in_style(&before, before.len(), &inserted);
}

/// Runs a trade expected to be refused: exit 1, the rule named, the file unchanged.
fn refused(repo: &TestRepo, a: &str, b: &str, rule: &str) {
    let before = rota_text(repo);
    let out = swap(repo, a, b);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("error[{rule}]")), "{err}");
    assert!(err.contains("refused"), "{err}");
    assert_eq!(rota_text(repo), before);
}

#[test]
fn a_trade_that_breaks_two_deep_is_refused() {
    // Heidi is grace's secondary on 25 November: taking the primary too leaves one person.
    let repo = TestRepo::new();
    refused(&repo, "grace@2026-11-25", "heidi@2026-12-02", "two-deep");
}

#[test]
fn a_trade_onto_someones_leave_is_refused() {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: bob, from: 2026-11-28, to: 2026-11-29, note: Away }\n",
    );
    refused(
        &repo,
        "grace@2026-11-25",
        "bob@2026-12-16",
        "leave-conflict",
    );
}

#[test]
fn a_trade_that_fixes_a_leave_conflict_is_written() {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "- { person: grace, from: 2026-11-28, to: 2026-11-29, note: Wedding }\n",
    );
    assert_eq!(repo.check().1, 1);
    let out = swap(&repo, "grace@2026-11-25", "bob@2026-12-16");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(repo.check().1, 0);
}

#[test]
fn bad_command_lines_exit_2_and_write_nothing() {
    let repo = TestRepo::new();
    let before = rota_text(&repo);
    for (args, says) in [
        (["ooh", "grace", "bob@2026-12-16"], "PERSON@DATE"),
        (["ooh", "grace@2026-11-31", "bob@2026-12-16"], "not a date"),
        (
            ["nope", "grace@2026-11-25", "bob@2026-12-16"],
            "no rota `nope`",
        ),
        (
            ["ooh", "zed@2026-11-25", "bob@2026-12-16"],
            "no person `zed`",
        ),
        (
            ["ooh", "alice@2026-11-25", "bob@2026-12-16"],
            "alice holds no position",
        ),
        (
            ["ooh", "grace@2025-11-25", "bob@2026-12-16"],
            "before rota `ooh`",
        ),
        (["ooh", "bob@2026-11-25", "bob@2026-12-16"], "themselves"),
        // Today is 2026-11-22: the turn from 11 Nov ended at 10:00 on the 18th.
        (
            ["ooh", "grace@2026-11-11", "bob@2026-12-16"],
            "ended Wed 18 Nov 2026 10:00",
        ),
    ] {
        let out = repo
            .rota(&["swap", args[0], args[1], args[2]])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(rota_text(&repo), before);
    }
}

#[test]
fn a_rota_file_with_errors_is_not_edited() {
    let repo = TestRepo::new();
    let broken = format!("{OOH}overrides: [ {{ position: primary\n");
    repo.write("rota/rotas/ooh.yaml", &broken);
    let out = swap(&repo, "grace@2026-11-25", "bob@2026-12-16");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("rota/rotas/ooh.yaml:"), "{err}");
    assert_eq!(rota_text(&repo), broken);
}

#[test]
fn trading_a_turn_already_traded_edits_that_override_and_keeps_every_other_byte() {
    // erin already covers heidi's primary week from 2 December (EXISTING_BLOCK); she
    // trades it on with bob for his week from 16 December. bob takes heidi's place in
    // the override already written; erin takes bob's week in a new one.
    let repo = TestRepo::new();
    let before = format!("{HEAD}{EXISTING_BLOCK}{ESCALATION}");
    repo.write("rota/rotas/ooh.yaml", &before);
    let out = swap(&repo, "erin@2026-12-02", "bob@2026-12-16");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .contains("the override on line 10 already traded this turn: its `person:` is now bob"),
        "{stdout}"
    );
    let edited_block = EXISTING_BLOCK.replace("    person: erin\n", "    person: bob\n");
    let at = HEAD.len() + edited_block.len() - 1;
    let edited = format!("{HEAD}{edited_block}{ESCALATION}");
    let appended = "  - position: primary
    from: 2026-12-16T10:00
    to: 2026-12-23T10:00
    person: erin
    replaces: bob
    reason: Grace's wedding
";
    let expected = format!("{}{appended}{}", &edited[..at], &edited[at..]);
    assert_eq!(rota_text(&repo), expected);
    assert_eq!(holder(&repo, "primary", "2026-12-03T00:00:00Z"), "bob");
    assert_eq!(holder(&repo, "primary", "2026-12-17T00:00:00Z"), "erin");
    let (json, _) = repo.check();
    assert!(
        !json.to_string().contains("override-valid"),
        "no overlapping overrides: {json}"
    );
}

#[test]
fn trading_a_turn_already_traded_in_a_flow_override_edits_it_in_place() {
    let repo = TestRepo::new();
    let existing = "overrides:\n  - { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: erin, replaces: heidi }   # agreed\n";
    repo.write(
        "rota/rotas/ooh.yaml",
        &format!("{HEAD}{existing}{ESCALATION}"),
    );
    let out = swap(&repo, "erin@2026-12-02", "bob@2026-12-16");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = rota_text(&repo);
    assert!(
        text.contains("  - { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: bob, replaces: heidi }   # agreed\n"),
        "{text}"
    );
    assert_eq!(text.matches("replaces:").count(), 2, "{text}");
    assert_eq!(holder(&repo, "primary", "2026-12-03T00:00:00Z"), "bob");
}

#[test]
fn two_overrides_of_the_same_span_are_called_the_same_span() {
    let repo = TestRepo::new();
    let twice = "overrides:\n  - { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: erin, replaces: heidi }\n  - { position: primary, from: 2026-12-02T10:00, to: 2026-12-09T10:00, person: bob, replaces: erin }\n";
    repo.write("rota/rotas/ooh.yaml", &format!("{HEAD}{twice}{ESCALATION}"));
    let found = repo.findings("override-valid");
    let same = found
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("covers exactly the same span as"))
        })
        .unwrap_or_else(|| panic!("{found:?}"));
    let help = same["help"].as_str().expect("help");
    assert!(
        help.contains("for the same span") && !help.contains("partly overlap"),
        "{help}"
    );
}
