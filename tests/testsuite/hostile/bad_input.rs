//! Bad input of every kind gets a located message and a non-zero exit, never a panic.

use crate::common::*;

/// Runs `check` and returns (exit code, human output); asserts no panic.
fn check_human(repo: &TestRepo) -> (i32, String) {
    let out = repo.rota(&["check"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code().unwrap_or(-1), text)
}

/// Replaces `from` with `to` in the OOH rota and expects a parse finding at `line:column`.
fn bad_rota_value(from: &str, to: &str, line: u32, column: u32, says: &str) {
    let repo = TestRepo::new();
    assert!(OOH.contains(from), "{from}");
    repo.write("rota/rotas/ooh.yaml", &OOH.replacen(from, to, 1));
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1, "{text}");
    let place = format!("rota/rotas/ooh.yaml:{line}:{column}");
    assert!(text.contains(&place), "expected {place} in:\n{text}");
    assert!(text.contains(says), "expected `{says}` in:\n{text}");
}

#[test]
fn a_bad_duration() {
    bad_rota_value("every: 1w", "every: 1 fortnight", 7, 10, "unknown unit");
    bad_rota_value("{ after: 5m,", "{ after: 5,", 14, 14, "no unit");
}

#[test]
fn a_turn_length_that_does_not_divide_the_day() {
    bad_rota_value("every: 1w", "every: 5h", 7, 10, "divide 24");
}

#[test]
fn a_bad_local_time() {
    bad_rota_value(
        "handover: \"10:00\"",
        "handover: \"25:00\"",
        6,
        13,
        "not a local time",
    );
}

#[test]
fn a_bad_date() {
    bad_rota_value(
        "start: 2026-01-07",
        "start: 2026-02-30",
        5,
        10,
        "not a date",
    );
}

#[test]
fn a_bad_date_time() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2026-12-23 at ten, to: 2026-12-30T10:00, person: heidi }\n"),
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(
        text.contains("rota/rotas/ooh.yaml:17:32") && text.contains("not a date-time"),
        "{text}"
    );
}

#[test]
fn a_bad_time_zone() {
    bad_rota_value(
        "kind: out-of-hours",
        "kind: out-of-hours\ntimezone: Europe/Londres",
        3,
        11,
        "IANA",
    );
}

#[test]
fn a_bad_weekday() {
    bad_rota_value(
        "hours: always",
        "hours:\n  - { days: [monday], from: \"00:00\", to: \"24:00\" }",
        4,
        14,
        "not a day",
    );
}

#[test]
fn a_bad_id_and_a_bad_kind() {
    bad_rota_value(
        "members: [alice,",
        "members: [Alice,",
        8,
        13,
        "unknown person `Alice`",
    );
    bad_rota_value(
        "kind: out-of-hours",
        "kind: nights",
        2,
        7,
        "not a rota kind",
    );
}

#[test]
fn a_yaml_syntax_error_is_a_located_finding() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        "- { id: alice, name: Alice\n- { id: bob }\n",
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("rota/people.yaml:"), "{text}");
    assert!(text.contains("error[parse]"), "{text}");
}

#[test]
fn wrong_types_and_unknown_keys_are_located() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "- { name: secondary, offset: 1 }",
            "- { name: secondary, offset: one }",
        ),
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(text.contains("rota/rotas/ooh.yaml:11:"), "{text}");
    repo.write("rota/config.yaml", &format!("{CONFIG}horizn: 13w\n"));
    let (_, text) = check_human(&repo);
    assert!(
        text.contains("rota/config.yaml:4:1") && text.contains("horizn"),
        "{text}"
    );
}

#[test]
fn runbook_front_matter_errors_point_into_the_markdown_file() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/db/failover.md",
        "---\ntitle: Failover\nlast_reviewed: 2026-13-01\n---\n# Failover\n",
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(text.contains("runbooks/db/failover.md:3:16"), "{text}");
    repo.write(
        "runbooks/db/failover.md",
        "---\ntitle: Failover\nowner: [unclosed\n---\n# Failover\n",
    );
    let (code, text) = check_human(&repo);
    assert_eq!(code, 1);
    assert!(text.contains("runbooks/db/failover.md:"), "{text}");
}

#[test]
fn missing_required_files_and_roots_are_exit_2() {
    let repo = TestRepo::new();
    repo.remove("rota/people.yaml");
    let out = repo.rota(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rota/people.yaml"), "{stderr}");
    assert!(
        stderr.contains("`rota init DIR` creates a small example"),
        "{stderr}"
    );
    let no_rotas = TestRepo::new();
    std::fs::remove_dir_all(no_rotas.path().join("rota/rotas")).expect("rm");
    let out = no_rotas.rota(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rota/rotas/") && stderr.contains("rota init DIR"),
        "{stderr}"
    );
    let empty = TestRepo::empty();
    let out = empty.rota(&["now"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rota/config.yaml"));
    let mut cmd = assert_cmd::Command::cargo_bin("rota").unwrap();
    let out = cmd
        .args(["--root", "/no/such/place", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = TestRepo::new()
        .rota(&["now", "--at", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = TestRepo::new().rota(&["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hostile_yaml_is_refused_without_a_panic() {
    let repo = TestRepo::new();
    let bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
    repo.write("rota/services.yaml", bomb);
    repo.write("rota/leave.yaml", &"[".repeat(10_000));
    repo.write(
        "rota/alerts/x.yaml",
        "\u{feff}- { id: x, summary: \"\\uD800\", severity: low }\n",
    );
    let (code, _) = check_human(&repo);
    assert_eq!(code, 1);
}

#[test]
fn extreme_numbers_do_not_overflow() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "- { name: secondary, offset: 1 }",
            "- { name: secondary, offset: 9223372036854775807 }",
        )
        .replace(
            "- { name: primary }",
            "- { name: primary, offset: -9223372036854775808 }",
        ),
    );
    let (_, text) = check_human(&repo);
    assert!(!text.contains("panicked"));
    let out = repo.rota(&["now", "--format", "json"]).output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The example data repository of this project (nine people, three rotas, alerts,
/// runbooks), copied into a temporary folder.
fn example_repo() -> TestRepo {
    let repo = TestRepo::empty();
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["rota", "runbooks", "monitoring"] {
        for entry in walkdir::WalkDir::new(here.join(dir)) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(here).expect("under");
                let text = std::fs::read_to_string(entry.path()).expect("read");
                repo.write(&rel.to_string_lossy(), &text);
            }
        }
    }
    repo
}

fn read(repo: &TestRepo, rel: &str) -> String {
    std::fs::read_to_string(repo.path().join(rel)).expect("read")
}

/// `check --format json`: the findings as (rule, file:line:column, message), in order.
fn findings_in_order(repo: &TestRepo) -> Vec<(String, String, String)> {
    let (json, code) = repo.check();
    assert_eq!(code, 1, "{json}");
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}:{}:{}",
                    f["file"].as_str().unwrap_or(""),
                    f["line"],
                    f["column"]
                ),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The first finding is the real cause, at `place`, saying `says`; at most a handful
/// follow it.
fn first_finding_is(found: &[(String, String, String)], place: &str, says: &str) {
    let first = found.first().expect("a finding");
    assert_eq!(first.0, "parse", "{found:#?}");
    assert_eq!(first.1, place, "{found:#?}");
    assert!(first.2.contains(says), "expected `{says}`: {found:#?}");
    assert!(found.len() <= 4, "more than a handful: {found:#?}");
}

#[test]
fn a_bad_boolean_drops_one_person_and_nothing_follows_from_it() {
    let repo = example_repo();
    let people = read(&repo, "rota/people.yaml");
    // Carol's entry (line 4 of the example) gets the typo.
    let carol = people.lines().nth(3).expect("line 4");
    assert!(carol.contains("id: carol"), "{carol}");
    repo.write(
        "rota/people.yaml",
        &people.replacen(carol, &carol.replace("roles:", "opted_in: ture, roles:"), 1),
    );
    let found = findings_in_order(&repo);
    let column = carol.find("roles:").expect("roles") + 1 + "opted_in: ".len();
    first_finding_is(&found, &format!("rota/people.yaml:4:{column}"), "true");
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn the_rest_of_a_partly_broken_people_file_still_loads() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replacen(
            "id: carol, name: Carol,",
            "id: carol, name: Carol, opted_in: ture,",
            1,
        ),
    );
    repo.write("rota/rotas/ooh.yaml", &OOH.replace("heidi]", "heidi, zed]"));
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/people.yaml:3:39", "true");
    // `zed` is reported (the rest of the file loaded), `carol` is not (her entry broke).
    let unknown: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == "unknown-reference")
        .map(|f| f.2.as_str())
        .collect();
    assert_eq!(unknown, ["unknown person `zed`"], "{found:#?}");
}

#[test]
fn an_empty_people_file_says_so() {
    let repo = example_repo();
    repo.write("rota/people.yaml", "# nobody yet\n");
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/people.yaml:1:1", "empty");
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn a_bad_turn_length_comes_first_and_alone() {
    let repo = example_repo();
    let rota = read(&repo, "rota/rotas/out-of-hours.yaml");
    assert!(rota.lines().nth(10).is_some_and(|l| l == "    every: 1w"));
    repo.write(
        "rota/rotas/out-of-hours.yaml",
        &rota.replacen("every: 1w", "every: 1 fortnight", 1),
    );
    let found = findings_in_order(&repo);
    first_finding_is(
        &found,
        "rota/rotas/out-of-hours.yaml:11:12",
        "unknown unit `fortnight`",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
    let out = repo.rota(&["check"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("fix the 1 parse error first"), "{text}");
}

#[test]
fn a_typo_in_runbook_front_matter_names_the_key_not_a_missing_runbook() {
    let repo = example_repo();
    let runbook = read(&repo, "runbooks/site-down.md");
    let line = runbook
        .lines()
        .position(|l| l.starts_with("owner:"))
        .expect("owner")
        + 1;
    repo.write(
        "runbooks/site-down.md",
        &runbook.replacen("owner:", "ownr:", 1),
    );
    let found = findings_in_order(&repo);
    first_finding_is(
        &found,
        &format!("runbooks/site-down.md:{line}:1"),
        "unknown field `ownr`",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn a_typo_in_a_rota_key_names_the_key_not_an_unknown_rota() {
    let repo = example_repo();
    let rota = read(&repo, "rota/rotas/out-of-hours.yaml");
    repo.write(
        "rota/rotas/out-of-hours.yaml",
        &rota.replacen("\nkind:", "\nkid:", 1),
    );
    let found = findings_in_order(&repo);
    first_finding_is(
        &found,
        "rota/rotas/out-of-hours.yaml:3:1",
        "unknown field `kid`",
    );
    assert!(found[0].2.contains("did you mean `kind`"), "{found:#?}");
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn an_empty_config_says_what_is_missing() {
    let repo = example_repo();
    repo.write("rota/config.yaml", "");
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/config.yaml:1:1", "`timezone:`");
    assert!(found[0].2.contains("empty"), "{found:#?}");
}

#[test]
fn parse_findings_come_first_and_the_summary_says_to_fix_them() {
    let repo = TestRepo::new();
    // An unknown person in a rota (read before runbooks) and a parse error in a runbook.
    repo.write("rota/rotas/ooh.yaml", &OOH.replace("heidi]", "heidi, zed]"));
    repo.write(
        "runbooks/x.md",
        "---\ntitle: X\nownr: \"#team\"\n---\n# X\n",
    );
    let found = findings_in_order(&repo);
    assert_eq!(found[0].0, "parse", "{found:#?}");
    assert_eq!(found[0].1, "runbooks/x.md:3:1", "{found:#?}");
    assert!(
        found.iter().any(|f| f.2 == "unknown person `zed`"),
        "{found:#?}"
    );
    let out = repo.rota(&["check"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("fix the 1 parse error first"), "{text}");
}

#[test]
fn a_byte_order_mark_is_accepted_in_every_file() {
    let repo = TestRepo::new();
    repo.write("rota/config.yaml", &format!("\u{feff}{CONFIG}"));
    repo.write("rota/people.yaml", &format!("\u{feff}{PEOPLE}"));
    repo.write("rota/rotas/ooh.yaml", &format!("\u{feff}{OOH}"));
    repo.write(
        "runbooks/x.md",
        "\u{feff}---\ntitle: X\nowner: \"#team\"\nlast_reviewed: 2026-11-01\n---\n# X\n",
    );
    let (json, code) = repo.check();
    assert_eq!(code, 0, "{json}");
    // The front matter was read, not hidden behind the mark: a bad key in it is found.
    repo.write(
        "runbooks/x.md",
        "\u{feff}---\ntitle: X\nownr: \"#team\"\n---\n# X\n",
    );
    let found = findings_in_order(&repo);
    first_finding_is(&found, "runbooks/x.md:3:1", "unknown field `ownr`");
}

#[test]
fn a_tab_is_reported_on_its_own_line() {
    let repo = TestRepo::new();
    let rota = OOH.replace("  every: 1w\n", "\tevery: 1w\n");
    assert_eq!(rota.lines().nth(6), Some("\tevery: 1w"));
    repo.write("rota/rotas/ooh.yaml", &rota);
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/rotas/ooh.yaml:7:1", "tab");
    // After a plain value the parser names the end of the line before.
    let rota = OOH.replace("  members: [", "\tmembers: [");
    assert!(
        rota.lines()
            .nth(7)
            .is_some_and(|l| l.starts_with("\tmembers"))
    );
    repo.write("rota/rotas/ooh.yaml", &rota);
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/rotas/ooh.yaml:8:1", "tab");
    assert!(found[0].2.contains("spaces"), "{found:#?}");
}

#[test]
fn a_duplicate_key_is_said_in_our_words_at_its_line() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "kind: out-of-hours\n",
            "kind: out-of-hours\nkind: in-hours\n",
        ),
    );
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/rotas/ooh.yaml:3:1", "`kind` is given twice");
    assert!(!found[0].2.contains("DuplicateKeyPolicy"), "{found:#?}");
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repository_is_refused_without_printing_it() {
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret");
    std::fs::write(&secret, "- { id: TOKEN-hunter2-SECRET, oops\n").expect("write");
    let repo = TestRepo::new();
    std::fs::create_dir_all(repo.path().join("rota/alerts")).expect("mkdir");
    std::os::unix::fs::symlink(&secret, repo.path().join("rota/alerts/x.yaml")).expect("link");
    std::fs::create_dir_all(repo.path().join("runbooks")).expect("mkdir");
    std::os::unix::fs::symlink(&secret, repo.path().join("runbooks/y.md")).expect("link");
    std::fs::create_dir_all(repo.path().join("templates")).expect("mkdir");
    std::os::unix::fs::symlink(&secret, repo.path().join("templates/page.html")).expect("link");
    // A link that stays inside the repository is fine.
    repo.write(
        "rota/alerts/real.yaml",
        "- { id: real, summary: Real, severity: low }\n",
    );
    std::os::unix::fs::symlink(
        repo.path().join("rota/alerts/real.yaml"),
        repo.path().join("rota/alerts/alias.yml"),
    )
    .expect("link");
    for format in ["human", "json", "github"] {
        let out = repo
            .rota(&["check", "--format", format])
            .output()
            .expect("run");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("rota/alerts/x.yaml"), "{text}");
        assert!(text.contains("runbooks/y.md"), "{text}");
        assert!(text.contains("outside the data repository"), "{text}");
    }
    let found = findings_in_order(&repo);
    let places: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert!(places.contains(&"rota/alerts/x.yaml:1:1"), "{found:#?}");
    assert!(places.contains(&"runbooks/y.md:1:1"), "{found:#?}");
    assert!(places.contains(&"templates/page.html:1:1"), "{found:#?}");
    // The in-repository link was read: its alert id is a duplicate of the real one.
    assert!(
        found
            .iter()
            .any(|f| f.2.contains("alert id `real` is used twice")),
        "{found:#?}"
    );
}

#[test]
fn yml_is_accepted_for_every_file() {
    let repo = TestRepo::empty();
    repo.write("rota/config.yml", CONFIG)
        .write("rota/people.yml", PEOPLE)
        .write("rota/rotas/ooh.yml", OOH)
        .write("rota/services.yml", "- { id: web, name: Web, rota: ooh }\n")
        .write(
            "rota/leave.yml",
            "- { person: alice, from: 2026-12-01, to: 2026-12-02 }\n",
        )
        .write(
            "rota/alerts/a.yml",
            "- { id: down, summary: Down, severity: low, service: web }\n",
        );
    let (json, code) = repo.check();
    assert!(code <= 1, "{json}");
    let found = json["findings"].as_array().expect("findings");
    assert!(
        found
            .iter()
            .all(|f| f["rule"] != "parse" && f["rule"] != "unknown-reference"),
        "{json}"
    );
    // Alice is on call 2026-12-02 (turn 47 starts 2026-12-02 10:00, erin and frank,
    // turn 46 bob… ) — whichever she holds, leave.yml was read when leave-conflict or
    // nothing fires consistently with leave.yaml:
    let with_yaml = TestRepo::new();
    with_yaml.write(
        "rota/leave.yaml",
        "- { person: alice, from: 2026-12-01, to: 2026-12-02 }\n",
    );
    assert_eq!(
        repo.findings("leave-conflict").len(),
        with_yaml.findings("leave-conflict").len()
    );
    // Both spellings of one file at once are refused: one would be ignored.
    repo.write("rota/people.yaml", PEOPLE);
    let out = repo.rota(&["check"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("keep one"));
}

#[test]
fn secret_feed_names_without_the_secret_refuse_to_publish() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}calendar:\n  secret_env: ROTA_TEST_FEED_SECRET\n"),
    );
    let out_dir = repo.path().join("public");
    for args in [&["build"][..], &["feed-url", "alice"][..]] {
        let out = repo
            .rota(args)
            .args(if args[0] == "build" {
                &["--out"][..]
            } else {
                &[][..]
            })
            .args(if args[0] == "build" {
                vec![out_dir.clone()]
            } else {
                vec![]
            })
            .env_remove("ROTA_TEST_FEED_SECRET")
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // A located `feed-secret` error (exit 1), as any finding that stops a build.
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("ROTA_TEST_FEED_SECRET is not set"),
            "{stderr}"
        );
        assert!(stderr.contains("feed-secret"), "{stderr}");
        assert!(stderr.contains("rota/config.yaml:"), "{stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(!out_dir.exists(), "nothing may be written");
}

#[test]
fn build_and_feed_url_need_an_absolute_base_url() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        "title: Test team\ntimezone: Europe/London\n",
    );
    let out_dir = repo.path().join("public");
    let out = repo
        .rota(&["build", "--out"])
        .arg(&out_dir)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("`base_url` is not set"), "{text}");
    assert!(text.contains("rota/config.yaml:1:1"), "{text}");
    assert!(!out_dir.exists());
    let out = repo.rota(&["feed-url", "alice"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no relative URL is printed");
    // `check` alone does not need it.
    assert_eq!(repo.check().1, 0);
    // A relative or injected base_url is a located finding.
    for (bad, column) in [
        ("/support/", 11),
        ("\"https://x.test/\\r\\nATTACH:http://evil/\"", 11),
    ] {
        repo.write(
            "rota/config.yaml",
            &format!("title: Test team\nbase_url: {bad}\ntimezone: Europe/London\n"),
        );
        let found = findings_in_order(&repo);
        first_finding_is(&found, &format!("rota/config.yaml:2:{column}"), "base_url");
    }
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}site:\n  edit_url: github.com/x/y/edit/main/\n"),
    );
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/config.yaml:5:13", "site.edit_url");
    // An owner link pattern must say where the owner goes.
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}site:\n  owner_url: https://chat.example.com/channels/\n"),
    );
    let found = findings_in_order(&repo);
    first_finding_is(&found, "rota/config.yaml:5:14", "{owner}");
}

#[test]
fn a_build_before_the_first_commit_says_dtstamp_is_the_clock() {
    let repo = TestRepo::new();
    let out_dir = repo.path().join("public");
    let out = repo
        .rota(&["build", "--out"])
        .arg(&out_dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env(
            "GIT_CEILING_DIRECTORIES",
            repo.path().parent().expect("parent"),
        )
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("DTSTAMP") && stderr.contains("SOURCE_DATE_EPOCH"),
        "{stderr}"
    );
    let out = repo
        .rota(&["build", "--out"])
        .arg(&out_dir)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .output()
        .expect("run");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("DTSTAMP"));
}

#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let repo = example_repo();
    // Enough findings and rows that the output outgrows the pipe's buffer.
    repo.write(
        "rota/alerts/many.yaml",
        &(0..2000)
            .map(|i| format!("- {{ id: a{i}, summary: A, severity: low, service: nope }}\n"))
            .collect::<String>(),
    );
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["shifts", "--to", "2027-11-01"],
        &["report"],
        &["now"],
        &["review"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rota"))
            .arg("--root")
            .arg(repo.path())
            .args(["--today", TODAY])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
    }
}

#[test]
fn near_misses_get_a_did_you_mean() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("[alice, bob,", "[alice, bbo,"),
    );
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}rules:\n  back-to-bak: warning\n"),
    );
    let found = findings_in_order(&repo);
    let messages: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
    assert!(
        messages.contains(&"unknown person `bbo`; did you mean `bob`?"),
        "{found:#?}"
    );
    assert!(
        messages.contains(&"`rules:` names no rule `back-to-bak`; did you mean `back-to-back`?"),
        "{found:#?}"
    );
    repo.write(
        "rota/config.yaml",
        &CONFIG.replace("Europe/London", "Europe/Londn"),
    );
    repo.write("rota/rotas/ooh.yaml", OOH);
    let found = findings_in_order(&repo);
    first_finding_is(
        &found,
        "rota/config.yaml:3:11",
        "did you mean `Europe/London`?",
    );
    let out = repo.rota(&["explain", "max-shar"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `max-share`?"));
}

#[test]
fn a_fixed_offset_zone_is_warned_with_the_zone_to_use() {
    let repo = TestRepo::new();
    for (zone, instead) in [
        ("GMT", "Europe/London"),
        ("UTC", "Europe/London"),
        ("Etc/GMT-1", "Europe/Paris"),
        ("Etc/GMT+5", "America/New_York"),
    ] {
        repo.write("rota/config.yaml", &CONFIG.replace("Europe/London", zone));
        let (json, code) = repo.check();
        assert_eq!(code, 0, "a warning only: {json}");
        let first = &json["findings"][0];
        assert_eq!(first["level"], "warning", "{json}");
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(3), Some(11))
        );
        let message = first["message"].as_str().unwrap_or("");
        let help = first["help"].as_str().unwrap_or("");
        assert!(message.contains("daylight saving"), "{json}");
        assert!(help.contains(instead), "{zone}: {json}");
    }
    repo.write("rota/config.yaml", CONFIG);
    repo.write("rota/rotas/ooh.yaml", &ooh_with("timezone: Etc/UTC\n"));
    let warned = repo.findings("parse");
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0]["file"], "rota/rotas/ooh.yaml");
}

#[test]
fn at_takes_an_offset_without_seconds_and_excludes_today() {
    let repo = TestRepo::new();
    // 2026-12-23 10:00 in London is 10:00Z (winter): both spellings mean one instant.
    let local = repo.json(&["--at", "2026-12-23T10:00", "now", "--format", "json"]);
    for at in [
        "2026-12-23T10:00Z",
        "2026-12-23T11:00+01:00",
        "2026-12-23T10:00:00Z",
    ] {
        let mut cmd = assert_cmd::Command::cargo_bin("rota").expect("binary");
        let out = cmd
            .arg("--root")
            .arg(repo.path())
            .args(["--at", at, "now", "--format", "json"])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{at}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(json["at"], "2026-12-23T10:00:00Z", "{at}");
        assert_eq!(json, local, "{at}");
    }
    // With --today too, clap refuses (exit 2), naming both.
    let mut cmd = assert_cmd::Command::cargo_bin("rota").expect("binary");
    let out = cmd
        .arg("--root")
        .arg(repo.path())
        .args(["--today", TODAY, "--at", "2026-12-23T10:00", "now"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--at") && stderr.contains("--today"),
        "{stderr}"
    );
}

#[test]
fn explain_without_a_rule_lists_the_rules() {
    let mut cmd = assert_cmd::Command::cargo_bin("rota").expect("binary");
    let out = cmd.arg("explain").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for id in ["parse", "max-share", "leave-conflict", "coverage-gap"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(id)),
            "{id}: {text}"
        );
    }
}

#[test]
fn contact_privacy_finds_every_number_and_underlines_exactly_it() {
    let repo = TestRepo::new();
    repo.write(
        "rota/people.yaml",
        &format!(
            "# out of hours: 07700 900123 07700 900456\n{}",
            PEOPLE.replacen("name: Bob,", "name: Bob, handle: \"07700 900789\",", 1)
        ),
    );
    let found = findings_in_order(&repo);
    let places: Vec<&str> = found
        .iter()
        .filter(|f| f.0 == "contact-privacy")
        .map(|f| f.1.as_str())
        .collect();
    assert_eq!(
        places,
        [
            "rota/people.yaml:1:17",
            "rota/people.yaml:1:30",
            "rota/people.yaml:3:34"
        ]
    );
    let out = repo.rota(&["check"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    // Under each number exactly twelve carets: not to the end of the line, not the quote.
    let carets: Vec<&str> = text
        .lines()
        .filter(|l| l.contains('^'))
        .map(|l| l.trim_start_matches(|c: char| c != '^'))
        .collect();
    assert_eq!(carets, ["^^^^^^^^^^^^"; 3], "{text}");
}

/// A weekday in-hours rota (09:00–17:00) whose file sorts before `ooh.yaml`.
const DAYTIME: &str = "\
name: Daytime
kind: in-hours
hours:
  - { days: [mon, tue, wed, thu, fri], from: \"09:00\", to: \"17:00\" }
rotation:
  start: 2026-01-05
  handover: \"09:00\"
  every: 1w
  members: [alice, bob, carol, dan, erin, frank, grace, heidi]
positions:
  - { name: first }
  - { name: second, offset: 4 }
";

#[test]
fn now_puts_rotas_on_duty_first_with_handles_window_next_and_escalation() {
    let repo = TestRepo::new();
    repo.write("rota/rotas/a-daytime.yaml", DAYTIME);
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replacen("name: Frank,", "name: Frank, handle: \"@frank\",", 1),
    );
    // Wed 2026-11-25 03:00 London: OOH turn 45 (2026-11-18 10:00, 45 weeks after
    // 2026-01-07) has frank (45 % 8 = 5) and grace; turn 46 grace and heidi.
    let text = repo.stdout(&["--at", "2026-11-25T03:00", "now"]);
    let ooh = text.find("Out of hours (ooh)").expect("ooh listed");
    let day = text.find("Daytime (a-daytime)").expect("daytime listed");
    assert!(ooh < day, "the rota on duty comes first:\n{text}");
    assert!(
        text.contains("Out of hours (ooh) — on duty\n"),
        "24/7: no end of the duty window:\n{text}"
    );
    assert!(
        text.contains("Daytime (a-daytime) — off duty — from 09:00 GMT\n"),
        "{text}"
    );
    assert!(
        text.contains("primary    Frank (frank, @frank) until 10:00 GMT, then Grace (grace)"),
        "{text}"
    );
    assert!(
        text.contains("secondary  Grace (grace) until 10:00 GMT, then Heidi (heidi)"),
        "{text}"
    );
    assert!(
        text.contains(
            "escalation: at once: Frank @frank (primary) · after 5 min: Grace (secondary) · after 10 min: Alice"
        ),
        "{text}"
    );
    // On duty inside a window: when it ends. Wed 25 Nov 12:00 is within 09:00–17:00.
    let text = repo.stdout(&["--at", "2026-11-25T12:00", "now", "--rota", "a-daytime"]);
    assert!(
        text.contains("Daytime (a-daytime) — on duty until 17:00 GMT\n"),
        "{text}"
    );
}

#[test]
fn now_notes_any_error_elsewhere() {
    let repo = TestRepo::new();
    // A rule error (two-deep: a lone position), not a parse error.
    repo.write(
        "rota/rotas/solo.yaml",
        &DAYTIME.replace("  - { name: second, offset: 4 }\n", ""),
    );
    let out = repo
        .rota(&["--at", "2026-11-25T03:00", "now"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The note names the command that shows the errors on the day asked about.
    assert!(
        stderr.contains("note: `rota --today 2026-11-25 check` finds 1 error"),
        "{stderr}"
    );
    let check = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(repo.path())
        .args(["--today", "2026-11-25", "check"])
        .output()
        .expect("run");
    assert_eq!(
        check.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("two-deep"));
    let clean = TestRepo::new();
    let out = clean
        .rota(&["--at", "2026-11-25T03:00", "now"])
        .output()
        .expect("run");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("note:"));
}

#[test]
fn shifts_columns_are_sized_to_the_data() {
    let repo = TestRepo::new();
    let long_rota = "a-very-long-rota-name-indeed";
    repo.write(
        &format!("rota/rotas/{long_rota}.yaml"),
        &OOH.replace(
            "{ name: primary }",
            "{ name: primary-responder-of-the-week }",
        ),
    );
    let text = repo.stdout(&["shifts", "--from", "2026-11-30", "--to", "2026-12-01"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 4, "{text}");
    // Every row's person column starts at one character position.
    let person_column: Vec<usize> = lines
        .iter()
        .map(|l| {
            let person = l.split_whitespace().last().expect("person");
            l.chars().count() - person.chars().count()
        })
        .collect();
    assert!(
        person_column.iter().all(|c| *c == person_column[0]),
        "{text}"
    );
    assert!(lines.iter().all(|l| l.contains("  ")), "{text}");
}

#[test]
fn leave_conflict_suggests_only_trades_that_add_no_error_as_swap_commands() {
    let repo = TestRepo::new();
    // Primary needs the `oncall` role, which alice lacks: she must not be suggested,
    // although she has the lowest share of the free people by name order.
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replacen(
            "id: alice, name: Alice, roles: [oncall]",
            "id: alice, name: Alice, roles: []",
            1,
        ),
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("{ name: primary }", "{ name: primary, role: oncall }"),
    );
    // Turn 50 (2026-12-23 10:00) has carol primary, dan secondary.
    repo.write(
        "rota/leave.yaml",
        "- { person: carol, from: 2026-12-24, to: 2026-12-27 }\n",
    );
    let conflicts = repo.findings("leave-conflict");
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let help = conflicts[0]["help"].as_str().expect("help");
    // frank: secondary in turn 52 (2027-01-06), the nearest of his turns to 50 that is
    // not beside it; grace: secondary in turn 53 (2027-01-13).
    assert!(
        help.starts_with("trade the turn: `rota swap ooh carol@2026-12-23 frank@2027-01-06`"),
        "{help}"
    );
    assert!(
        help.contains("`rota swap ooh carol@2026-12-23 grace@2027-01-13`"),
        "{help}"
    );
    assert!(!help.contains("alice"), "{help}");
    // The suggested command works and leaves no conflict and no new error behind.
    let (before, _) = repo.check();
    let before_errors = before["errors"].as_u64().expect("errors");
    let out = repo
        .rota(&["swap", "ooh", "carol@2026-12-23", "frank@2027-01-06"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(repo.findings("leave-conflict").is_empty());
    let (after, _) = repo.check();
    assert_eq!(after["errors"].as_u64(), Some(before_errors - 1), "{after}");
}

#[test]
fn filling_an_unfilled_turn_is_an_override_without_replaces() {
    let repo = TestRepo::new();
    // Frank leaves on 2026-12-01: turn 53 (2027-01-13, 53 % 8 = 5) has no primary.
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replacen(
            "id: frank, name: Frank,",
            "id: frank, name: Frank, left: 2026-12-01,",
            1,
        ),
    );
    let unfilled = repo.findings("planned-ahead");
    assert!(
        unfilled
            .iter()
            .any(|f| f["message"].as_str().is_some_and(
                |m| m.contains("nobody holds `primary`") && m.contains("13 Jan 2027 10:00")
            )),
        "{unfilled:#?}"
    );
    repo.write(
        "rota/rotas/ooh.yaml",
        &ooh_with("overrides:\n  - { position: primary, from: 2027-01-13T10:00, to: 2027-01-20T10:00, person: alice }\n"),
    );
    let shifts = repo.json(&[
        "shifts",
        "--rota",
        "ooh",
        "--from",
        "2027-01-14",
        "--to",
        "2027-01-14",
        "--format",
        "json",
    ]);
    let primary: Vec<&serde_json::Value> = shifts
        .as_array()
        .expect("shifts")
        .iter()
        .filter(|s| s["position"] == "primary")
        .collect();
    assert_eq!(primary.len(), 1, "{shifts:#}");
    assert_eq!(primary[0]["person"], "alice");
    assert_eq!(primary[0]["source"], "override");
    assert_eq!(primary[0]["start"], "2027-01-13T10:00:00Z");
    assert!(repo.findings("planned-ahead").iter().all(|f| {
        !f["message"]
            .as_str()
            .unwrap_or("")
            .contains("nobody holds `primary` on rota `ooh` from Wed 13 Jan")
    }));
    assert!(repo.findings("override-valid").is_empty());
}

#[test]
fn with_secret_feed_names_no_page_links_a_feed_that_is_not_built() {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}calendar:\n  secret_env: ROTA_TEST_FEED_SECRET\n"),
    );
    let out_dir = repo.path().join("public");
    let out = repo
        .rota(&["build", "--out"])
        .arg(&out_dir)
        .env(
            "ROTA_TEST_FEED_SECRET",
            "a-long-random-secret-of-at-least-32-bytes",
        )
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out_dir.join("calendars/rotas").exists());
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out_dir) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages += 1;
            let html = std::fs::read_to_string(entry.path()).expect("read");
            assert!(
                !html.contains("calendars/rotas/") && !html.contains("calendars/alice.ics"),
                "{} links a feed that is not published",
                entry.path().display()
            );
        }
    }
    assert!(pages > 0, "the site was built");
}
