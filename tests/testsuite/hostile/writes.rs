//! A data repository is untrusted input: what it commits (links where rota writes, odd
//! folder names, a short secret) must not make rota write outside it, plant a git hook,
//! make a file executable, run git with other options, or inject YAML keys. Each test is
//! an attack run end to end against the binary (docs/security.md, "Writing files").

use crate::common::*;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

/// The `ooh` rota as an attacker commits it: a shell script's first line (a YAML
/// comment), its payload in a block `description`, and mode 755.
fn script_rota() -> String {
    format!(
        "#!/bin/sh\ndescription: |\n  touch pwned; exit 0\n{}",
        OOH.trim_start()
    )
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o7777
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The repository with the executable script rota and a link at the name `swap` wrote
/// its temporary file to, pointing at `target`.
fn planted_swap_repo(target: &Path) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("rota/rotas/ooh.yaml", &script_rota());
    let rota = repo.path().join("rota/rotas/ooh.yaml");
    std::fs::set_permissions(&rota, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    symlink(
        target,
        repo.path().join("rota/rotas/.ooh.yaml.rota-swap.tmp"),
    )
    .expect("link");
    repo
}

fn swap(repo: &TestRepo) -> std::process::Output {
    repo.rota(&["swap", "ooh", "grace@2026-11-25", "bob@2026-12-16"])
        .output()
        .expect("run")
}

/// After a swap: the rota file is a regular file, not executable, with the trade in it.
fn assert_rota_file_traded_and_not_executable(repo: &TestRepo) {
    let rota = repo.path().join("rota/rotas/ooh.yaml");
    assert!(!is_link(&rota), "the rota file was replaced by a link");
    assert_eq!(mode(&rota) & 0o111, 0, "the rota file is executable");
    let text = std::fs::read_to_string(&rota).expect("read");
    assert!(text.contains("replaces: grace"), "{text}");
}

#[test]
fn swap_does_not_write_through_a_planted_link_to_a_file_outside() {
    let outside = tempfile::tempdir().expect("temp dir");
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").expect("write");
    let repo = planted_swap_repo(&victim);
    let out = swap(&repo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "precious\n"
    );
    assert_eq!(
        mode(&victim) & 0o111,
        0,
        "the file outside was made executable"
    );
    assert_rota_file_traded_and_not_executable(&repo);
    assert!(is_link(
        &repo.path().join("rota/rotas/.ooh.yaml.rota-swap.tmp")
    ));
}

/// The repository with the link at `.git/hooks/pre-commit`, and that hook's path.
fn hook_planted_repo() -> (TestRepo, std::path::PathBuf) {
    let repo = planted_swap_repo(Path::new("../../.git/hooks/pre-commit"));
    std::fs::create_dir_all(repo.path().join(".git/hooks")).expect("mkdir");
    let hook = repo.path().join(".git/hooks/pre-commit");
    (repo, hook)
}

#[test]
fn swap_does_not_plant_a_git_hook_through_a_link() {
    let (repo, hook) = hook_planted_repo();
    let out = swap(&repo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!hook.exists(), "swap wrote a pre-commit hook");
    assert_rota_file_traded_and_not_executable(&repo);
}

#[test]
fn swap_does_not_overwrite_an_existing_git_hook_through_a_link() {
    let (repo, hook) = hook_planted_repo();
    std::fs::write(&hook, "#!/bin/sh\necho mine\n").expect("write");
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = swap(&repo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&hook).expect("read"),
        "#!/bin/sh\necho mine\n"
    );
    assert_eq!(mode(&hook), 0o755);
    assert_rota_file_traded_and_not_executable(&repo);
}

#[test]
fn swap_refuses_a_rota_file_that_is_a_link_and_names_it() {
    let repo = TestRepo::new();
    repo.write("shared/ooh.yaml", OOH);
    let rota = repo.path().join("rota/rotas/ooh.yaml");
    std::fs::remove_file(&rota).expect("remove");
    symlink("../../shared/ooh.yaml", &rota).expect("link");
    let out = swap(&repo);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rota/rotas/ooh.yaml") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("shared/ooh.yaml")).expect("read"),
        OOH
    );
    assert!(is_link(&rota));
}

/// `rota ARGS…` run in `cwd` (a checked-out repository), without `--root`.
fn rota_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run")
}

/// A file outside the repository and a link to it committed at `rel`.
fn link_out_of(repo: &TestRepo, rel: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let outside = tempfile::tempdir().expect("temp dir");
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").expect("write");
    let link = repo.path().join(rel);
    std::fs::create_dir_all(link.parent().expect("parent")).expect("mkdir");
    symlink(&victim, &link).expect("link");
    (outside, victim)
}

#[test]
fn schema_out_refuses_links_committed_under_the_folder() {
    let repo = TestRepo::new();
    let (_outside, victim) = link_out_of(&repo, ".rota/schema/people.schema.json");
    let out = rota_in(repo.path(), &["schema", "--out", ".rota/schema"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("people.schema.json") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "precious\n"
    );
    // Nothing is written when one target is refused.
    assert!(!repo.path().join(".rota/schema/config.schema.json").exists());
}

#[test]
fn schema_out_refuses_an_out_folder_that_is_a_link() {
    let repo = TestRepo::new();
    let outside = tempfile::tempdir().expect("temp dir");
    symlink(outside.path(), repo.path().join("schemas")).expect("link");
    let out = rota_in(repo.path(), &["schema", "--out", "schemas"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("schemas: is a symbolic link"));
    assert_eq!(std::fs::read_dir(outside.path()).expect("read").count(), 0);
    assert!(is_link(&repo.path().join("schemas")));
    // Nor through a committed link on the way to a new folder.
    symlink(outside.path(), repo.path().join(".rota")).expect("link");
    let out = rota_in(repo.path(), &["schema", "--out", ".rota/schema"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_dir(outside.path()).expect("read").count(), 0);
}

#[test]
fn man_out_refuses_a_link_at_the_page() {
    let repo = TestRepo::new();
    let (_outside, victim) = link_out_of(&repo, "man/rota.1");
    let out = rota_in(repo.path(), &["man", "--out", "man"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "precious\n"
    );
}

#[test]
fn schema_and_man_out_write_their_files_into_a_new_folder() {
    let repo = TestRepo::new();
    let out = rota_in(repo.path(), &["schema", "--out", "a/schema"]);
    assert!(out.status.success());
    let schema = repo.path().join("a/schema/people.schema.json");
    assert!(
        std::fs::read_to_string(&schema)
            .expect("read")
            .contains("\"$schema\"")
    );
    assert_eq!(mode(&schema) & 0o111, 0);
    let out = rota_in(repo.path(), &["man", "--out", "a/man"]);
    assert!(out.status.success());
    assert!(repo.path().join("a/man/rota.1").is_file());
}

/// `rota build` of the repository into its default output folder, `public/`.
fn build(repo: &TestRepo) -> std::process::Output {
    repo.rota(&["build"])
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .env_remove("ROTA_FEED_SECRET")
        .output()
        .expect("run")
}

#[test]
fn build_refuses_an_output_folder_that_is_a_link_out_of_the_repository() {
    let repo = TestRepo::new();
    let outside = tempfile::tempdir().expect("temp dir");
    // A folder that looks like an earlier build, so that it would be replaced.
    std::fs::write(outside.path().join(".rota-build"), "x").expect("write");
    std::fs::write(outside.path().join("index.html"), "theirs").expect("write");
    let public = repo.path().join("public");
    symlink(outside.path(), &public).expect("link");
    let out = build(&repo);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("public: is a symbolic link"), "{stderr}");
    assert!(is_link(&public), "the link was replaced by a folder");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("index.html")).expect("read"),
        "theirs"
    );
    // Nothing is left beside it either.
    let names: Vec<_> = std::fs::read_dir(repo.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rota-"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn build_does_not_write_through_links_planted_in_the_output_folder() {
    let repo = TestRepo::new();
    let (outside, victim) = link_out_of(&repo, "public/index.html");
    symlink(outside.path(), repo.path().join("public/calendars")).expect("link");
    repo.write("public/.rota-build", "x");
    let public_mode = mode(&repo.path().join("public"));
    let out = build(&repo);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&victim).expect("read"),
        "precious\n"
    );
    let outside_names: Vec<_> = std::fs::read_dir(outside.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(outside_names.len(), 1, "{outside_names:?}");
    let public = repo.path().join("public");
    for rel in ["index.html", "calendars"] {
        assert!(!is_link(&public.join(rel)), "{rel} is still a link");
    }
    assert!(public.join("calendars/alice.ics").is_file());
    assert_eq!(
        mode(&public),
        public_mode,
        "the output folder's mode is kept"
    );
}

/// `rota init ARGS…` run in `cwd`.
fn init_in(cwd: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .current_dir(cwd)
        .args(["--today", TODAY, "init"])
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn init_passes_a_folder_named_like_an_option_to_git_as_a_folder() {
    let cwd = tempfile::tempdir().expect("temp dir");
    let out = init_in(cwd.path(), &["--", "--bare"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `git init --bare` would have made the working folder a bare repository.
    for bare in ["HEAD", "config", "objects", "refs"] {
        assert!(
            !cwd.path().join(bare).exists(),
            "git init --bare ran: {bare}"
        );
    }
    let made = cwd.path().join("--bare");
    assert!(made.join("rota/config.yaml").is_file());
    assert!(made.join(".git/HEAD").is_file(), "git init ran in --bare/");
}

/// `rota init` of a folder called `name`; the parsed rota/config.yaml and whether
/// `rota check` passes on the result.
fn init_named(name: &str) -> (serde_json::Value, std::process::Output) {
    let parent = tempfile::tempdir().expect("temp dir");
    let dir = parent.path().join(name);
    let out = init_in(parent.path(), &[dir.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.join("rota/config.yaml")).expect("read");
    let config: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
    let check = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(&dir)
        .args(["--today", TODAY, "check"])
        .output()
        .expect("run");
    (config, check)
}

/// The keys `rota init` writes in rota/config.yaml, and no more.
fn assert_only_init_keys(config: &serde_json::Value) {
    let keys: Vec<&str> = config
        .as_object()
        .expect("a mapping")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "base_url", "calendar", "horizon", "rules", "timezone", "title"
        ],
        "{config}"
    );
    assert_eq!(
        config["rules"],
        serde_json::json!({"back-to-back": "warning"}),
        "{config}"
    );
}

#[test]
fn init_quotes_a_team_name_that_is_yaml_syntax() {
    let (config, check) = init_named("a: b");
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert_eq!(config["title"], "On call at a: b");
    assert_only_init_keys(&config);
}

#[test]
fn init_does_not_let_a_newline_in_the_name_inject_keys() {
    let name = "x\nrules: {two-deep: off}";
    let (config, check) = init_named(name);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert_eq!(config["title"], format!("On call at {name}"));
    assert_only_init_keys(&config);
}

#[test]
fn init_refuses_a_folder_that_is_a_link() {
    let parent = tempfile::tempdir().expect("temp dir");
    let elsewhere = parent.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let dir = parent.path().join("support");
    symlink(&elsewhere, &dir).expect("link");
    let out = init_in(parent.path(), &["support"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("support: is a symbolic link"));
    assert!(is_link(&dir));
    assert_eq!(std::fs::read_dir(&elsewhere).expect("read").count(), 0);
    assert_eq!(std::fs::read_dir(parent.path()).expect("read").count(), 2);
}

/// The repository with secret feed names from `ROTA_HOSTILE_SECRET`, and `rota ARGS…`
/// with that variable set to `secret`.
fn with_secret(secret: &str, args: &[&str]) -> (TestRepo, std::process::Output) {
    let repo = TestRepo::new();
    repo.write(
        "rota/config.yaml",
        &format!("{CONFIG}calendar:\n  secret_env: ROTA_HOSTILE_SECRET\n"),
    );
    let out = repo
        .rota(args)
        .env("ROTA_HOSTILE_SECRET", secret)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("run");
    (repo, out)
}

#[test]
fn a_feed_secret_shorter_than_32_bytes_is_refused_by_build_and_feed_url() {
    // `serve` shows the same `feed-secret` error in its banner instead of a preview:
    // serve::serve_refuses_guessable_feed_names_as_build_does.
    for secret in ["Q", &"s3cr3t".repeat(6)[..31]] {
        for args in [&["build"][..], &["feed-url", "alice"]] {
            let (repo, out) = with_secret(secret, args);
            // A located `feed-secret` error: exit 1, nothing published.
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("ROTA_HOSTILE_SECRET") && stderr.contains("at least 32 bytes"),
                "{args:?}: {stderr}"
            );
            assert!(!stderr.contains(secret), "the secret is printed: {stderr}");
            assert!(out.stdout.is_empty(), "{args:?}");
            assert!(!repo.path().join("public").exists());
        }
    }
}

#[test]
fn a_feed_secret_of_32_bytes_is_accepted() {
    let secret = "0123456789abcdef0123456789abcdef";
    let (repo, out) = with_secret(secret, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!repo.path().join("public/calendars/alice.ics").exists());
    let (_, out) = with_secret(secret, &["feed-url", "alice"]);
    let url = String::from_utf8_lossy(&out.stdout);
    assert!(
        url.starts_with("webcal://example.test/calendars/") && !url.contains("alice"),
        "{url}"
    );
}

#[test]
fn a_data_repository_reached_through_the_users_own_link_still_builds_and_swaps() {
    let repo = TestRepo::new();
    let links = tempfile::tempdir().expect("temp dir");
    let root = links.path().join("team");
    symlink(repo.path(), &root).expect("link");
    let rota = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("rota")
            .expect("binary")
            .current_dir(links.path())
            .args(["--root", "team", "--today", TODAY])
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1790000000")
            .env_remove("ROTA_FEED_SECRET")
            .output()
            .expect("run")
    };
    let out = rota(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(repo.path().join("public/index.html").is_file());
    let out = rota(&["swap", "ooh", "grace@2026-11-25", "bob@2026-12-16"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(repo.path().join("rota/rotas/ooh.yaml"))
            .expect("read")
            .contains("replaces: grace")
    );
}
