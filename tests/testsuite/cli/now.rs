//! `rota now` reads only the rota files (config, people, rotas, leave): a runbook, alert
//! or template that is broken, unreadable or hostile cannot slow or stop the answer
//! (docs/commands.md#rota-now).

use crate::common::*;
use std::process::Command as Process;
use std::time::Duration;

const AT: &str = "2026-12-24T12:00";

/// `rota now --at AT --format json` and `rota now --at AT` (text): exit code, stdout and
/// stderr of each.
fn answers(repo: &TestRepo) -> Vec<(Option<i32>, String, String)> {
    [
        vec!["--at", AT, "now", "--format", "json"],
        vec!["--at", AT, "now"],
    ]
    .iter()
    .map(|args| {
        let out = repo
            .rota(args)
            // A FIFO that were opened would block for ever: fail instead.
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .collect()
}

fn mkfifo(repo: &TestRepo, rel: &str) {
    let path = repo.path().join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let status = Process::new("mkfifo")
        .arg(&path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {rel}");
}

#[test]
fn now_answers_without_reading_runbooks_alerts_or_templates() {
    let clean = TestRepo::new();
    let expected = answers(&clean);
    assert_eq!(expected[0].0, Some(0), "{}", expected[0].2);
    assert!(
        expected[0].1.contains("\"rota\": \"ooh\""),
        "{}",
        expected[0].1
    );

    let planted = TestRepo::new();
    // A runbook whose front matter never closes, one that is a FIFO (reading it would
    // block), a broken alert file, an alert file that is a FIFO and a template that is one.
    planted.write("runbooks/broken.md", "---\ntitle: [unclosed\n# X\n");
    mkfifo(&planted, "runbooks/deep/pipe.md");
    planted.write("rota/alerts/a.yaml", "- { id: a, summary: [unclosed\n");
    mkfifo(&planted, "rota/alerts/pipe.yaml");
    mkfifo(&planted, "templates/runbook.html");
    // `rota check` reads them all and reports them.
    let (json, code) = planted.check();
    assert_eq!(code, 1, "{json:#}");
    let files: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "parse")
        .filter_map(|f| f["file"].as_str())
        .collect();
    for file in [
        "runbooks/broken.md",
        "runbooks/deep/pipe.md",
        "rota/alerts/a.yaml",
        "rota/alerts/pipe.yaml",
    ] {
        assert!(files.contains(&file), "check reports {file}: {files:?}");
    }

    // `now` answers exactly as without them, exit 0, with no note: nothing it read has
    // an error, so it did not read (or count) them.
    assert_eq!(answers(&planted), expected);
}

#[test]
fn now_answers_when_runbooks_is_a_link_out_of_the_repository() {
    let repo = TestRepo::new();
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").expect("write");
    std::os::unix::fs::symlink(outside.path(), repo.path().join("runbooks")).expect("symlink");
    // Every command that reads runbooks stops (exit 2) before reading through the link…
    let check = repo.rota(&["check"]).output().expect("run");
    assert_eq!(check.status.code(), Some(2));
    // …but `now` never looks at the folder.
    let clean = TestRepo::new();
    assert_eq!(answers(&repo), answers(&clean));
}

#[test]
fn now_still_notes_errors_in_the_rota_files() {
    let repo = TestRepo::new();
    // A leave entry for someone who does not exist: an error in a file `now` reads.
    repo.write(
        "rota/leave.yaml",
        "- { person: zed, from: 2026-12-01, to: 2026-12-31 }\n",
    );
    repo.write("runbooks/broken.md", "---\ntitle: [unclosed\n# X\n");
    let out = repo
        .rota(&["--at", AT, "now", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // One error (the leave entry), not two: the runbook was not read.
    assert!(
        stderr.contains("note: `rota --today 2026-12-24 check` finds 1 error in the rota files"),
        "{stderr}"
    );
}
