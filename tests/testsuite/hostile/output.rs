//! A data repository is untrusted input: what it holds reaches CI logs, terminals and
//! pull-request comments only as text (docs/security.md, "Output encoding"). Each test
//! plays an attacker's repository against the binary.

use crate::common::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A file name that, printed raw on its own line, is a GitHub workflow command.
const WORKFLOW_FILE_NAMES: &[&str] = &[
    "a\n::warning file=README.md,title=Approved::safe\nx",
    "b\r::add-mask::hunter2\ry",
    "c\n  ::stop-commands::pwned\nz",
];

/// Every line of `text` that the GitHub runner would read as a workflow command (it
/// splits at CR and LF and trims leading white space) and rota did not make: rota's own
/// are its annotations of files under `rota/` or `runbooks/`.
fn foreign_workflow_commands(text: &str) -> Vec<String> {
    text.split(['\n', '\r'])
        .map(str::trim_start)
        .filter(|line| line.starts_with("::"))
        .filter(|line| {
            // `::COMMAND PROPERTIES::MESSAGE`: rota's name a file of the data.
            let Some((head, _message)) = line[2..].split_once("::") else {
                return true;
            };
            let file = head
                .strip_prefix("error file=")
                .or_else(|| head.strip_prefix("warning file="))
                .and_then(|props| props.split(',').next());
            !file.is_some_and(|f| f.starts_with("rota/") || f.starts_with("runbooks/"))
        })
        .map(String::from)
        .collect()
}

fn both(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_file_name_starts_no_workflow_command_in_check_output() {
    for name in WORKFLOW_FILE_NAMES {
        let repo = TestRepo::new();
        repo.write(&format!("rota/rotas/{name}.yaml"), OOH);
        for format in ["github", "human"] {
            let out = repo
                .rota(&["check", "--format", format])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(1), "{name:?} {format}");
            let text = both(&out);
            assert_eq!(
                foreign_workflow_commands(&text),
                Vec::<String>::new(),
                "{name:?} --format {format}:\n{text}"
            );
            assert!(text.contains("invalid-id"), "{text}");
        }
    }
}

#[test]
fn a_file_name_starts_no_workflow_command_in_an_exit_2_error() {
    for name in WORKFLOW_FILE_NAMES {
        let repo = TestRepo::new();
        // Not UTF-8: the repository cannot be read, and the error names the file.
        let path = repo.path().join(format!("rota/rotas/{name}.yaml"));
        std::fs::write(&path, b"name: \xff\n").expect("write");
        for format in ["github", "human"] {
            let out = repo
                .rota(&["check", "--format", format])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(2), "{name:?}: {}", both(&out));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("not UTF-8"), "{stderr}");
            assert_eq!(
                foreign_workflow_commands(&stderr),
                Vec::<String>::new(),
                "{name:?}:\n{stderr}"
            );
            // One line, the file named with its line breaks shown escaped.
            assert_eq!(stderr.lines().count(), 1, "{stderr}");
            assert!(stderr.contains("\\n") || stderr.contains("\\r"), "{stderr}");
        }
    }
}

/// A name that colours the terminal red and hides a hyperlink (OSC 8).
const TERMINAL_ESCAPES: &str = "Grace \\e[31mRED\\e]8;;https://evil.test/\\aclick\\e]8;;\\a";

/// Output that reached a terminal raw would hold ESC or BEL; shown escaped it holds
/// `\u{1b}` instead.
fn assert_escaped(what: &str, out: &Output) {
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{what}: {}",
        both(out)
    );
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !bytes.iter().any(|b| matches!(b, 0x1b | 0x07 | 0x9b)),
            "{what}: {stream} holds raw escapes: {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    assert!(
        both(out).contains("\\u{1b}[31mRED"),
        "{what}: {}",
        both(out)
    );
}

#[test]
fn terminal_escapes_in_names_are_shown_escaped_by_now() {
    let repo = TestRepo::new();
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace(
            "name: Out of hours",
            &format!("name: \"{TERMINAL_ESCAPES}\""),
        ),
    );
    // Grace is secondary in the week of 18 November.
    repo.write(
        "rota/people.yaml",
        &PEOPLE.replace("name: Grace,", &format!("name: \"{TERMINAL_ESCAPES}\",")),
    );
    let out = repo.rota(&["now"]).output().expect("run");
    assert_escaped("now", &out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.matches("\\u{1b}[31mRED").count() >= 2, "{text}");
}

#[test]
fn terminal_escapes_in_a_runbook_are_shown_escaped_by_review() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/site-down.md",
        &format!(
            "---\ntitle: \"{TERMINAL_ESCAPES}\"\nowner: \"{TERMINAL_ESCAPES}\"\nlast_reviewed: 2025-01-01\n---\n# Site down\n\nCheck it.\n"
        ),
    );
    let out = repo.rota(&["review"]).output().expect("run");
    assert_escaped("review", &out);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("site-down"), "{text}");
}

#[test]
fn terminal_escapes_in_a_file_name_are_shown_escaped_by_check() {
    let repo = TestRepo::new();
    let name = "x\u{1b}[31mRED\u{1b}]8;;https://evil.test/\u{7}click\u{1b}]8;;\u{7}";
    repo.write(&format!("rota/rotas/{name}.yaml"), OOH);
    repo.write(
        &format!("runbooks/{name}.md"),
        "---\ntitle: T\nowner: alice\n---\n# T\n",
    );
    let out = repo.rota(&["check"]).output().expect("run");
    assert_escaped("check", &out);
}

/// Markdown that would make an image (a read receipt), links, a heading, a table break,
/// HTML and a team mention if it were passed through.
const MARKDOWN_ATTACK: &str =
    "![](https://x/y.png) [a](https://x) # heading | a | b | <img src=x> @org/team";

#[test]
fn markdown_in_names_and_notes_makes_nothing_in_diffs_summary() {
    let repo = TestRepo::new();
    git(repo.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "rota"]);
    // The position is renamed (its shifts change hands: a row under each name), and
    // frank, primary this week, goes on leave with a note (a finding quoting it).
    let attack = MARKDOWN_ATTACK.replace('"', "\\\"");
    repo.write(
        "rota/rotas/ooh.yaml",
        &OOH.replace("{ name: primary }", &format!("{{ name: \"{attack}\" }}"))
            .replace("notify: primary", &format!("notify: \"{attack}\"")),
    );
    repo.write(
        "rota/leave.yaml",
        &format!(
            "- {{ person: frank, from: 2026-11-23, to: 2026-11-24, note: \"{attack}\\n# and a heading\\n\\n![](https://x/z.png)\" }}\n"
        ),
    );
    let text = repo.stdout(&["diff", "--base", "HEAD"]);
    assert!(text.contains("Shifts that change hands"), "{text}");
    assert!(text.contains("Findings introduced"), "{text}");
    assert!(text.contains("leave-conflict"), "{text}");

    let mut headings = Vec::new();
    let mut heading: Option<String> = None;
    let mut row_cells = Vec::new();
    let mut cells = 0;
    let mut code = 0;
    for event in Parser::new_ext(
        &text,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match &event {
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                panic!("{event:?} in:\n{text}")
            }
            Event::Html(_) | Event::InlineHtml(_) => panic!("{event:?} in:\n{text}"),
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(heading.take()),
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => row_cells.push(cells),
            Event::Code(c) => {
                code += usize::from(c.contains("@org/team"));
                if let Some(h) = heading.as_mut() {
                    h.push_str(c);
                }
            }
            Event::Text(t) => {
                // A mention is made from text, never from code.
                assert!(!t.contains('@'), "{t:?} in:\n{text}");
                if let Some(h) = heading.as_mut() {
                    h.push_str(t);
                }
            }
            _ => {}
        }
    }
    for h in &headings {
        assert!(
            h.starts_with("rota diff: ")
                || h.starts_with("Shifts that change hands (")
                || h.starts_with("Shares of on-call time")
                || h.starts_with("Findings introduced (")
                || h.starts_with("Findings fixed (")
                || h.starts_with("Findings changed (")
                || [
                    "Leave: ",
                    "Holidays: ",
                    "People: ",
                    "Alerts: ",
                    "Runbooks: "
                ]
                .iter()
                .any(|kind| h.starts_with(kind)),
            "a heading rota did not make: {h:?} in:\n{text}"
        );
    }
    // The shifts table has five columns, the shares table three, in every row.
    assert!(
        row_cells.iter().all(|n| *n == 5 || *n == 3),
        "{row_cells:?}:\n{text}"
    );
    assert!(row_cells.contains(&5), "{text}");
    // The position's name and the note are shown, as code.
    assert!(code >= 2, "{text}");
}

/// `rota diff` with a `git` whose `archive` waits `seconds` first, having created the
/// file `mark`: while it waits, the scratch folder exists and rota is running.
#[cfg(unix)]
fn diff_with_a_slow_archive(repo: &TestRepo, tmp: &Path, mark: &Path) -> std::process::Child {
    use std::os::unix::fs::PermissionsExt;
    let real = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .expect("sh");
    let real = String::from_utf8_lossy(&real.stdout).trim().to_string();
    let bin = tmp.join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let wrapper = bin.join("git");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = archive ] && touch '{}' && sleep 5; done\nexec '{real}' \"$@\"\n",
            mark.display()
        ),
    )
    .expect("write");
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let scratch_parent = tmp.join("tmp");
    std::fs::create_dir_all(&scratch_parent).expect("mkdir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new(assert_cmd::cargo::cargo_bin("rota"))
        .args([
            "--root",
            &repo.path().display().to_string(),
            "--today",
            TODAY,
            "diff",
        ])
        .env("PATH", path)
        .env("TMPDIR", &scratch_parent)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run")
}

#[cfg(unix)]
#[test]
fn diffs_scratch_folder_is_private_and_removed_when_rota_is_stopped() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::new();
    git(repo.path(), &["init", "--quiet", "--initial-branch=main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "rota"]);
    let tmp = tempfile::tempdir().expect("temp dir");
    let mark = tmp.path().join("archiving");
    let scratch_parent = tmp.path().join("tmp");
    let scratch = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&scratch_parent)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default()
    };

    // Stopped (SIGTERM, as a CI runner cancelling a job does) while reading the base.
    let mut rota = diff_with_a_slow_archive(&repo, tmp.path(), &mark);
    let waited = Instant::now();
    while !mark.exists() && waited.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(mark.exists(), "git archive never ran");
    let folders = scratch();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let mode = std::fs::metadata(&folders[0])
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o777,
        0o700,
        "scratch folder mode {:o}",
        mode & 0o777
    );
    let killed = Command::new("kill")
        .args(["-TERM", &rota.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = rota.wait().expect("wait");
    assert!(!status.success());
    assert_eq!(scratch(), Vec::<std::path::PathBuf>::new(), "left behind");

    // And after a normal run.
    std::fs::remove_file(&mark).expect("rm");
    let mut rota = diff_with_a_slow_archive(&repo, tmp.path(), &mark);
    assert!(rota.wait().expect("wait").success());
    assert_eq!(scratch(), Vec::<std::path::PathBuf>::new(), "left behind");
}

/// The least of three timings of `f` (the least is the one least disturbed by other
/// work on the machine).
fn least_of_three(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn identical_headings_cost_linear_time() {
    let body = |n: usize| "## Act\n".repeat(n);
    let (small, large) = (body(2_000), body(20_000));
    let t_small = least_of_three(|| assert_eq!(rota::markdown::headings(&small).len(), 2_000));
    let t_large = least_of_three(|| assert_eq!(rota::markdown::headings(&large).len(), 20_000));
    // Ten times the headings: about ten times the time when linear, a hundred when
    // quadratic. Measured against each other in this run, not against a clock.
    let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6);
    assert!(
        ratio < 30.0,
        "20,000 headings took {t_large:?}, 2,000 took {t_small:?}: {ratio:.1}×"
    );
}

#[test]
fn four_megabytes_of_quote_markers_make_a_small_page() {
    let repo = TestRepo::new();
    let mut text = String::from("---\ntitle: Deep\nowner: alice\n---\n# Deep\n\n");
    text.push_str(&">".repeat(4 * 1024 * 1024 - 64));
    text.push('\n');
    repo.write("runbooks/deep.md", &text);
    let out_dir = tempfile::tempdir().expect("temp dir");
    let site = out_dir.path().join("site");
    let out = repo
        .rota(&["build", "--out", &site.display().to_string()])
        .output()
        .expect("run");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", both(&out));
    let page = std::fs::metadata(site.join("runbooks/deep.html"))
        .expect("the page is built")
        .len();
    // The markers past the nesting limit are text: about 4 bytes of `&gt;` each.
    assert!(
        page < 25 * 1024 * 1024,
        "a page of {} MB",
        page / (1024 * 1024)
    );
    let html = std::fs::read_to_string(site.join("runbooks/deep.html")).expect("read");
    let depth = html.matches("<blockquote>").count();
    assert_eq!(depth, rota::markdown::MAX_NESTING, "quotes nested");
}

#[test]
fn a_position_name_is_one_csv_field_and_never_a_spreadsheet_formula() {
    let repo = TestRepo::new();
    let rota = OOH
        .replace(
            "{ name: primary }",
            "{ name: '=HYPERLINK(\"http://x\", \"a\")' }",
        )
        .replace(
            "{ name: secondary, offset: 1 }",
            "{ name: 'first, second', offset: 1 }",
        )
        .replace(
            "notify: primary",
            "notify: '=HYPERLINK(\"http://x\", \"a\")'",
        )
        .replace("notify: secondary", "notify: 'first, second'");
    repo.write("rota/rotas/ooh.yaml", &rota);
    let csv = repo.stdout(&[
        "shifts",
        "--rota",
        "ooh",
        "--from",
        "2026-12-23",
        "--to",
        "2026-12-24",
        "--format",
        "csv",
    ]);
    // Turn 49 (from 16 Dec) is bob and carol, turn 50 carol and dan (common::OOH). Each
    // name is one quoted field; the formula starts with `'`, so a spreadsheet shows it.
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        [
            "rota,position,person,start,end,source",
            r#"ooh,"'=HYPERLINK(""http://x"", ""a"")",bob,2026-12-16T10:00:00Z,2026-12-23T10:00:00Z,rotation"#,
            r#"ooh,"first, second",carol,2026-12-16T10:00:00Z,2026-12-23T10:00:00Z,rotation"#,
            r#"ooh,"'=HYPERLINK(""http://x"", ""a"")",carol,2026-12-23T10:00:00Z,2026-12-30T10:00:00Z,rotation"#,
            r#"ooh,"first, second",dan,2026-12-23T10:00:00Z,2026-12-30T10:00:00Z,rotation"#,
        ]
    );
}
