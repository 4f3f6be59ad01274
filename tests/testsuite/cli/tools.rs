//! Editors, shells and CI: the JSON Schemas agree with the loader in both directions,
//! `--format gitlab` is a GitLab Code Quality report, completions load in bash, the man
//! page renders, and the JSON outputs have the shapes their schemas document.

use crate::common::{TODAY, TestRepo};
use rota::output::schema::{self, KINDS};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

fn schema_of(kind: &str) -> Value {
    let k = schema::find(kind).unwrap_or_else(|| panic!("no schema {kind}"));
    serde_json::from_str(&k.text()).expect("schema is JSON")
}

fn data_kinds() -> Vec<&'static str> {
    KINDS
        .iter()
        .filter(|k| k.is_data())
        .map(|k| k.kind)
        .collect()
}

/// Follows `$ref`s into the root's `definitions`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.strip_prefix("#/definitions/").expect("local $ref");
            resolve(root, &root["definitions"][name])
        }
        None => schema,
    }
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A document built from a schema with every key present, each leaf its first example:
/// the "maximal" document. Records every object (JSON pointer, schema) and every leaf
/// with a list of allowed values, for the mutation tests below.
struct Maximal<'a> {
    root: &'a Value,
    /// Which alternative of a `oneOf`/`anyOf` to take (the other is tested separately).
    prefer_last: bool,
    objects: Vec<(String, Value)>,
    enums: Vec<(String, Vec<Value>)>,
}

impl<'a> Maximal<'a> {
    fn build(root: &'a Value, prefer_last: bool) -> (Value, Maximal<'a>) {
        let mut m = Maximal {
            root,
            prefer_last,
            objects: Vec::new(),
            enums: Vec::new(),
        };
        let doc = m.instance(root, "");
        (doc, m)
    }

    fn instance(&mut self, schema: &'a Value, ptr: &str) -> Value {
        let schema = resolve(self.root, schema);
        // Draft 7 ignores keywords beside `$ref`, so schemars wraps such refs in `allOf`.
        if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            return self.instance(only, ptr);
        }
        if let Some(alts) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        {
            let real: Vec<&Value> = alts.iter().filter(|a| types(a) != ["null"]).collect();
            let pick = if self.prefer_last {
                real.last()
            } else {
                real.first()
            };
            return self.instance(pick.expect("an alternative"), ptr);
        }
        if let Some(c) = schema.get("const") {
            return c.clone();
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            self.enums.push((ptr.to_string(), values.clone()));
        }
        let kinds = types(schema);
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            self.objects.push((ptr.to_string(), schema.clone()));
            let mut out = serde_json::Map::new();
            for (key, prop) in props {
                out.insert(key.clone(), self.instance(prop, &format!("{ptr}/{key}")));
            }
            return Value::Object(out);
        }
        if let Some(example) = schema
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return example.clone();
        }
        if kinds.contains(&"array") {
            // Draft 7 tuple form: `items: [FIRST]`, `additionalItems: REST`.
            let first = match &schema["items"] {
                Value::Array(tuple) => tuple.first().expect("a first item"),
                one => one,
            };
            let item = self.instance(first, &format!("{ptr}/0"));
            return json!([item]);
        }
        if kinds.contains(&"boolean") {
            return json!(true);
        }
        panic!("the schema gives no example for the value at {ptr}: {schema}");
    }
}

/// Where a document of `kind` goes in a data repository, and its text there.
fn place(kind: &str, doc: &Value) -> (&'static str, String) {
    let text = serde_json::to_string_pretty(doc).expect("json");
    match kind {
        "config" => ("rota/config.yaml", text),
        "people" => ("rota/people.yaml", text),
        "rota" => ("rota/rotas/maximal.yaml", text),
        "alerts" => ("rota/alerts/maximal.yaml", text),
        "services" => ("rota/services.yaml", text),
        "leave" => ("rota/leave.yaml", text),
        "pages" => ("rota/pages/maximal.yaml", text),
        "runbook" => (
            "runbooks/maximal.md",
            format!("---\n{text}\n---\n# Maximal\n"),
        ),
        other => panic!("no data kind {other}"),
    }
}

/// The loader's own verdict: `parse` and `invalid-id` errors in `file` (a warning, like
/// the one for a fixed-offset time zone, accepts the value).
fn load_findings(repo: &TestRepo, file: &str) -> Vec<String> {
    let loaded = rota::load::load(repo.path()).expect("the repository loads");
    loaded
        .findings
        .iter()
        .filter(|f| f.rule.as_str() == "parse" || f.rule.as_str() == "invalid-id")
        // A warning (a fixed-offset zone such as `EST`) accepts the value.
        .filter(|f| f.level == rota::finding::Level::Error)
        .filter(|f| loaded.sources.get(f.loc.file).path == file)
        .map(|f| format!("{}:{}: {} ({})", file, f.loc.line, f.message, f.rule))
        .collect()
}

fn with_document(kind: &str, doc: &Value) -> (TestRepo, &'static str) {
    let repo = TestRepo::new();
    let (file, text) = place(kind, doc);
    repo.write(file, &text);
    (repo, file)
}

fn pointer_mut<'v>(doc: &'v mut Value, ptr: &str) -> &'v mut Value {
    doc.pointer_mut(ptr)
        .unwrap_or_else(|| panic!("no {ptr} in the document"))
}

#[test]
fn every_data_file_has_a_schema_with_descriptions() {
    let kinds = data_kinds();
    assert_eq!(
        kinds,
        [
            "config", "people", "rota", "alerts", "services", "leave", "pages", "runbook"
        ]
    );
    for kind in kinds {
        let root = schema_of(kind);
        assert_eq!(
            root["$schema"], "http://json-schema.org/draft-07/schema#",
            "{kind}"
        );
        let (_, maximal) = Maximal::build(&root, true);
        for (ptr, object) in &maximal.objects {
            for (key, prop) in object["properties"].as_object().expect("properties") {
                let described = prop.get("description").and_then(Value::as_str);
                assert!(
                    described.is_some_and(|d| d.len() > 5),
                    "{kind}: {ptr}/{key} has no description"
                );
            }
        }
    }
}

#[test]
fn maximal_documents_load_without_parse_findings() {
    for kind in data_kinds() {
        let root = schema_of(kind);
        for prefer_last in [false, true] {
            let (doc, _) = Maximal::build(&root, prefer_last);
            let (repo, file) = with_document(kind, &doc);
            let findings = load_findings(&repo, file);
            assert!(
                findings.is_empty(),
                "the loader rejects a document the {kind} schema allows:\n{doc:#}\n{findings:#?}"
            );
        }
    }
}

#[test]
fn every_object_refuses_unknown_keys_and_the_loader_accepts_exactly_its_properties() {
    for kind in data_kinds() {
        let root = schema_of(kind);
        for prefer_last in [false, true] {
            let (doc, maximal) = Maximal::build(&root, prefer_last);
            assert!(!maximal.objects.is_empty());
            for (ptr, object) in &maximal.objects {
                // Runbook front matter keeps another tool's keys (Hugo's `weight`, …) and
                // ignores them (docs/data-format.md#runbooksmd): schema and loader agree.
                if kind == "runbook" {
                    assert_ne!(object["additionalProperties"], json!(false), "{ptr}");
                    let mut extended = doc.clone();
                    pointer_mut(&mut extended, ptr)
                        .as_object_mut()
                        .expect("object")
                        .insert("zz-not-a-key".into(), json!("x"));
                    let (repo, file) = with_document(kind, &extended);
                    let findings = load_findings(&repo, file);
                    assert!(findings.is_empty(), "{findings:#?}");
                    continue;
                }
                assert_eq!(
                    object["additionalProperties"],
                    json!(false),
                    "{kind}: the object at {ptr} must refuse unknown keys, as the loader does"
                );
                let schema_keys: BTreeSet<String> = object["properties"]
                    .as_object()
                    .expect("properties")
                    .keys()
                    .cloned()
                    .collect();
                let mut broken = doc.clone();
                pointer_mut(&mut broken, ptr)
                    .as_object_mut()
                    .expect("object")
                    .insert("zz-not-a-key".into(), json!("x"));
                let (repo, file) = with_document(kind, &broken);
                let findings = load_findings(&repo, file);
                let listed = findings
                    .iter()
                    .find_map(|f| {
                        f.split("unknown field `zz-not-a-key`, expected one of ")
                            .nth(1)
                    })
                    .unwrap_or_else(|| {
                        panic!("{kind}: the loader accepted an unknown key at {ptr}: {findings:#?}")
                    });
                let loader_keys: BTreeSet<String> = listed
                    .trim_end_matches(" (parse)")
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .split(", ")
                    .map(|k| k.trim_matches('`').to_string())
                    .collect();
                assert_eq!(
                    loader_keys, schema_keys,
                    "{kind}: the loader's keys (left) and the schema's (right) differ at {ptr}"
                );
            }
        }
    }
}

#[test]
fn required_keys_are_exactly_those_the_loader_requires() {
    for kind in data_kinds() {
        let root = schema_of(kind);
        let (doc, maximal) = Maximal::build(&root, true);
        for (ptr, object) in &maximal.objects {
            let required: BTreeSet<&str> = object["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for key in object["properties"].as_object().expect("properties").keys() {
                let mut without = doc.clone();
                pointer_mut(&mut without, ptr)
                    .as_object_mut()
                    .expect("object")
                    .remove(key);
                let (repo, file) = with_document(kind, &without);
                let findings = load_findings(&repo, file);
                if required.contains(key.as_str()) {
                    assert!(
                        !findings.is_empty(),
                        "{kind}: the schema requires {ptr}/{key} but the loader does without it"
                    );
                } else {
                    assert!(
                        findings.is_empty(),
                        "{kind}: the schema lets {ptr}/{key} be left out but the loader refuses: {findings:#?}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_allowed_value_is_accepted_by_the_loader() {
    let mut checked = 0;
    for kind in data_kinds() {
        let root = schema_of(kind);
        let (doc, maximal) = Maximal::build(&root, true);
        let repo = TestRepo::new();
        for (ptr, values) in &maximal.enums {
            for value in values.iter().filter(|v| !v.is_null()) {
                let mut one = doc.clone();
                *pointer_mut(&mut one, ptr) = value.clone();
                let (file, text) = place(kind, &one);
                repo.write(file, &text);
                let findings = load_findings(&repo, file);
                assert!(
                    findings.is_empty(),
                    "{kind}: the schema allows {value} at {ptr}, the loader refuses it: {findings:#?}"
                );
                checked += 1;
            }
        }
    }
    // Time zones alone are several hundred; rota kinds, severities, impacts, days, levels.
    assert!(checked > 400, "only {checked} values checked");
}

#[test]
fn schema_lists_the_values_the_loader_refuses_to_guess() {
    let rota = schema_of("rota");
    let kind = &rota["properties"]["kind"]["enum"];
    assert_eq!(kind, &json!(["out-of-hours", "in-hours"]));
    let window = resolve(&rota, &rota["definitions"]["RawWindow"]);
    assert_eq!(
        window["properties"]["days"]["items"]["enum"],
        json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun", "holiday"])
    );
    let alerts = schema_of("alerts");
    let alert = resolve(&alerts, &alerts["items"]);
    // The words are the team's (`severities:` in config.yaml): the schema checks their
    // form; the loader, that the config lists them.
    let severity = resolve(&alerts, &alert["properties"]["severity"]);
    let pattern = serde_json::to_string(severity).expect("schema");
    assert!(pattern.contains("A-Za-z0-9_-"), "{severity:#}");
    let config = schema_of("config");
    let rules = &config["properties"]["rules"];
    let names = rules["propertyNames"]["enum"].as_array().expect("rule ids");
    assert!(names.contains(&json!("max-share")) && names.contains(&json!("two-deep")));
    assert_eq!(
        rules["additionalProperties"]["enum"],
        json!(["error", "warning", "off"])
    );
}

// ---- broken files: rejected by the loader (the schema side runs in scripts/schema-check.sh)

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-broken")
}

fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("under");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Each case folder holds one file, at its place in a data repository.
fn broken_cases() -> Vec<(String, String)> {
    let mut cases = Vec::new();
    for case in std::fs::read_dir(fixtures()).expect("fixtures") {
        let case = case.expect("entry").path();
        for file in walkdir::WalkDir::new(&case) {
            let file = file.expect("walk");
            if file.file_type().is_file() {
                let rel = file.path().strip_prefix(&case).expect("under");
                cases.push((
                    case.file_name()
                        .expect("name")
                        .to_string_lossy()
                        .into_owned(),
                    rel.to_string_lossy().replace('\\', "/"),
                ));
            }
        }
    }
    cases.sort();
    cases
}

#[test]
fn broken_files_are_parse_errors_for_rota_check() {
    let cases = broken_cases();
    assert!(cases.len() >= 4, "{cases:?}");
    for (case, rel) in cases {
        let repo = TestRepo::empty();
        copy_tree(&example_root().join("rota"), &repo.path().join("rota"));
        copy_tree(
            &example_root().join("runbooks"),
            &repo.path().join("runbooks"),
        );
        copy_tree(
            &example_root().join("monitoring"),
            &repo.path().join("monitoring"),
        );
        assert!(
            load_findings(&repo, &rel).is_empty(),
            "{case}: the example's own {rel} must load cleanly"
        );
        std::fs::copy(fixtures().join(&case).join(&rel), repo.path().join(&rel)).expect("copy");
        let (report, code) = repo.check();
        assert_eq!(code, 1, "{case}: rota check must fail");
        let parse: Vec<_> = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["rule"] == "parse" && f["file"] == rel.as_str())
            .collect();
        assert_eq!(parse.len(), 1, "{case}: {report:#}");
    }
}

// ---- GitLab Code Quality

fn gitlab_report(repo: &TestRepo) -> Vec<Value> {
    let out = repo
        .rota(&["check", "--format", "gitlab"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("the report is JSON");
    report.as_array().expect("an array of issues").clone()
}

/// A repo with a typo'd key on line 3 of leave.yaml, plus other findings.
fn repo_with_findings() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "rota/leave.yaml",
        "# leave\n\n- { person: alice, from: 2027-01-04, to: 2027-01-05, notes: typo }\n",
    );
    repo.write(
        "rota/rotas/small.yaml",
        "kind: in-hours\nhours: always\nrotation: { start: 2026-01-07, handover: \"10:00\", every: 1w, members: [bob, carol] }\npositions: [{ name: primary }, { name: secondary, offset: 1 }]\n",
    );
    // Overdue for review: a warning.
    repo.write(
        "runbooks/old.md",
        "---\ntitle: Old\nowner: \"#team\"\nlast_reviewed: 2020-01-01\n---\n# Old\n",
    );
    repo
}

#[test]
fn gitlab_report_has_the_documented_fields() {
    let repo = repo_with_findings();
    let issues = gitlab_report(&repo);
    let (json_report, _) = repo.check();
    let findings = json_report["findings"].as_array().expect("findings");
    assert_eq!(issues.len(), findings.len());
    assert!(issues.len() >= 2);
    for (issue, finding) in issues.iter().zip(findings) {
        let keys: BTreeSet<&str> = issue
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "description",
                "check_name",
                "fingerprint",
                "severity",
                "location"
            ])
        );
        assert!(
            issue["description"]
                .as_str()
                .is_some_and(|d| d.starts_with(finding["message"].as_str().expect("message")))
        );
        assert_eq!(issue["check_name"], finding["rule"]);
        let expected_severity = match finding["level"].as_str() {
            Some("error") => "major",
            Some("warning") => "minor",
            other => panic!("level {other:?}"),
        };
        assert_eq!(issue["severity"], expected_severity);
        assert_eq!(issue["location"]["path"], finding["file"]);
        assert_eq!(issue["location"]["lines"]["begin"], finding["line"]);
        assert!(
            issue["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1)
        );
        let fp = issue["fingerprint"].as_str().expect("fingerprint");
        assert!(fp.len() >= 16 && fp.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    // The typo: hand-located on line 3 (two lines of preamble, then the entry).
    let typo = issues
        .iter()
        .find(|i| i["check_name"] == "parse")
        .expect("the typo is reported");
    assert_eq!(typo["location"]["path"], "rota/leave.yaml");
    assert_eq!(typo["location"]["lines"]["begin"], 3);
    assert_eq!(typo["severity"], "major");
    assert!(
        issues.iter().any(|i| i["severity"] == "minor"),
        "{issues:#?}"
    );
}

#[test]
fn gitlab_fingerprints_are_unique_and_stable_across_runs_and_line_moves() {
    let repo = repo_with_findings();
    let fingerprints = |issues: &[Value]| -> Vec<String> {
        issues
            .iter()
            .map(|i| i["fingerprint"].as_str().expect("fp").to_string())
            .collect()
    };
    let first = fingerprints(&gitlab_report(&repo));
    let unique: BTreeSet<_> = first.iter().collect();
    assert_eq!(unique.len(), first.len(), "fingerprints repeat: {first:?}");
    assert_eq!(
        fingerprints(&gitlab_report(&repo)),
        first,
        "a second run differs"
    );
    // Moving the findings down a line changes `lines.begin`, not the fingerprint, so
    // GitLab does not report them as fixed-and-new.
    let leave = std::fs::read_to_string(repo.path().join("rota/leave.yaml")).expect("read");
    repo.write("rota/leave.yaml", &format!("# moved\n{leave}"));
    let moved = gitlab_report(&repo);
    assert_eq!(fingerprints(&moved), first);
    let typo = moved
        .iter()
        .find(|i| i["check_name"] == "parse")
        .expect("typo");
    assert_eq!(typo["location"]["lines"]["begin"], 4);
}

#[test]
fn gitlab_report_of_a_clean_repo_is_an_empty_array() {
    let repo = TestRepo::new();
    let out = repo
        .rota(&["check", "--format", "gitlab"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report, json!([]));
}

// ---- shells and the man page

fn rota_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rota"))
}

#[test]
fn completions_load_in_bash() {
    let dir = rota_binary().parent().expect("bin dir").to_path_buf();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Process::new("bash")
        .args(["-c", "source <(rota completions bash); complete -p rota"])
        .env("PATH", path)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("complete ") && stdout.trim_end().ends_with(" rota"),
        "{stdout}"
    );
    // Subcommands and their flags complete.
    let script = TestRepo::new().stdout(&["completions", "bash"]);
    for word in [
        "check",
        "schema",
        "completions",
        "--format",
        "gitlab",
        "--deny-warnings",
    ] {
        assert!(script.contains(word), "bash completion lacks {word}");
    }
}

#[test]
fn completions_exist_for_zsh_fish_and_powershell() {
    let repo = TestRepo::empty();
    for (shell, marker) in [
        ("zsh", "#compdef rota"),
        ("fish", "complete -c rota"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = repo.stdout(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("schema"), "{shell}");
    }
}

#[test]
fn man_page_renders_without_warnings() {
    let page = TestRepo::empty().stdout(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH rota 1"),
        "{page}"
    );
    assert!(page.contains(".TH rota 1"));
    for sub in ["check", "build", "schema", "completions"] {
        assert!(page.contains(sub), "the man page lacks {sub}");
    }
    // groff (Debian groff-base; .ci/run installs it) reads it without complaint.
    let groff = Process::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut groff = match groff {
        Ok(child) => child,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipping the groff check (groff not found: {e}); CI requires it");
            return;
        }
        Err(e) => panic!("groff is required in CI: {e}"),
    };
    use std::io::Write;
    groff
        .stdin
        .take()
        .expect("stdin")
        .write_all(page.as_bytes())
        .expect("write");
    let out = groff.wait_with_output().expect("groff");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
}

#[test]
fn man_out_writes_rota_1() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("man1");
    TestRepo::empty().stdout(&["man", "--out", out.to_str().expect("utf-8")]);
    let page = std::fs::read_to_string(out.join("rota.1")).expect("rota.1 written");
    assert!(page.contains(".TH rota 1"));
}

// ---- rota schema

#[test]
fn schema_command_prints_lists_and_writes() {
    let repo = TestRepo::empty();
    let people: Value = serde_json::from_str(&repo.stdout(&["schema", "people"])).expect("JSON");
    assert_eq!(people, schema_of("people"));
    assert_eq!(people["type"], "array");

    let list = repo.stdout(&["schema"]);
    for k in KINDS {
        assert!(
            list.contains(k.kind) && list.contains(k.file_name),
            "{list}"
        );
    }

    let out = repo.rota(&["schema", "nope"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("people"));

    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("schema");
    repo.stdout(&["schema", "--out", target.to_str().expect("utf-8")]);
    let files = schema::files();
    assert_eq!(files.len(), 17);
    let mut written: Vec<String> = std::fs::read_dir(&target)
        .expect("written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, files.keys().cloned().collect::<Vec<_>>());
    for (name, text) in files {
        let on_disk = std::fs::read_to_string(target.join(name)).expect("read");
        assert_eq!(&on_disk, text, "{name}");
    }
}

// ---- JSON outputs against their schemas

/// A small JSON Schema checker for what the output schemas use (`$ref`, `type`,
/// `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `anyOf`,
/// `oneOf`, `minimum`, `maximum`); patterns and formats are left to check-jsonschema in
/// `scripts/schema-check.sh`.
fn violations(root: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(root, schema);
    for part in schema["allOf"].as_array().into_iter().flatten() {
        violations(root, part, value, at, out);
    }
    if let Some(alts) = schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        let matching = alts
            .iter()
            .filter(|a| {
                let mut v = Vec::new();
                violations(root, a, value, at, &mut v);
                v.is_empty()
            })
            .count();
        if matching == 0 {
            out.push(format!("{at}: {value} matches no alternative"));
        }
    }
    let kinds = types(schema);
    if !kinds.is_empty() {
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = kinds.contains(&actual) || (actual == "integer" && kinds.contains(&"number"));
        if !ok {
            out.push(format!("{at}: {value} is not {kinds:?}"));
            return;
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array)
        && !values.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {values:?}"));
    }
    if let Some(n) = value.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            out.push(format!("{at}: {n} below minimum"));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            out.push(format!("{at}: {n} above maximum"));
        }
    }
    if let Value::Object(map) = value {
        let props = schema.get("properties").and_then(Value::as_object);
        for key in schema["required"].as_array().into_iter().flatten() {
            if let Some(key) = key.as_str()
                && !map.contains_key(key)
            {
                out.push(format!("{at}: missing {key}"));
            }
        }
        for (key, v) in map {
            match props.and_then(|p| p.get(key)) {
                Some(prop) => violations(root, prop, v, &format!("{at}/{key}"), out),
                None if schema["additionalProperties"] == json!(false) => {
                    out.push(format!("{at}: unexpected key {key}"))
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            violations(root, item_schema, item, &format!("{at}/{i}"), out);
        }
    }
}

fn assert_matches(kind: &str, value: &Value) {
    let root = schema_of(kind);
    let mut out = Vec::new();
    violations(&root, &root, value, "", &mut out);
    assert!(out.is_empty(), "{kind} output breaks its schema:\n{out:#?}");
}

fn example(args: &[&str]) -> Value {
    example_on(TODAY, args)
}

fn example_on(today: &str, args: &[&str]) -> Value {
    let out = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(example_root())
        .args(["--today", today])
        .args(args)
        .output()
        .expect("run");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "rota {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn json_outputs_match_their_schemas() {
    assert_matches("check", &example(&["check", "--format", "json"]));
    assert_matches("check", &repo_with_findings().check().0);
    assert_matches("now", &example(&["now", "--format", "json"]));
    let shifts = example(&["shifts", "--format", "json"]);
    assert!(shifts.as_array().is_some_and(|s| s.len() > 10));
    assert_matches("shifts", &shifts);
    assert_matches("report", &example(&["report", "--format", "json"]));
    let toil = example(&["toil", "--month", "2026-10", "--format", "json"]);
    assert!(!toil["people"].as_array().expect("people").is_empty());
    assert_matches("toil", &toil);
    let review = example_on("2027-06-01", &["review", "--format", "json"]);
    assert!(!review["owners"].as_array().expect("owners").is_empty());
    assert_matches("review", &review);
    let catalogue = example(&["alerts", "--format", "json"]);
    assert!(catalogue["alerts"].as_array().is_some_and(|a| a.len() > 3));
    assert_matches("catalogue", &catalogue);
    let route = example(&["route", "--format", "json", "severity=critical"]);
    assert!(!route["receivers"].as_array().expect("receivers").is_empty());
    assert_matches("route", &route);
}

#[test]
fn the_output_checker_catches_a_wrong_shape() {
    let mut out = Vec::new();
    let root = schema_of("now");
    let wrong = json!({"at": "2026-11-22T00:00:00Z", "rotas": [{"rota": "x", "on_duty": "yes", "positions": [], "extra": 1}]});
    violations(&root, &root, &wrong, "", &mut out);
    assert_eq!(out.len(), 2, "{out:#?}");
    // An enum behind a `$ref` (wrapped in `allOf` for draft 7) is checked too.
    let root = schema_of("check");
    let finding =
        json!({"rule": "x", "level": "fatal", "message": "m", "file": "f", "line": 1, "column": 1});
    let mut out = Vec::new();
    violations(
        &root,
        &root,
        &json!({"findings": [finding], "errors": 1, "warnings": 0}),
        "",
        &mut out,
    );
    assert_eq!(out.len(), 1, "{out:#?}");
}

// ---- editors

/// `*` matches within one path segment.
fn glob_matches(pattern: &str, path: &str) -> bool {
    let (p, f): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == f.len()
        && p.iter().zip(&f).all(|(p, f)| match p.split_once('*') {
            Some((head, tail)) => {
                f.len() >= head.len() + tail.len() && f.starts_with(head) && f.ends_with(tail)
            }
            None => p == f,
        })
}

#[test]
fn vscode_mapping_gives_every_example_data_file_exactly_one_schema() {
    let settings = schema::vscode_yaml_schemas(".rota/schema/");
    let mapping = settings["yaml.schemas"].as_object().expect("mapping");
    assert_eq!(mapping.len(), 7, "{mapping:#?}");
    let files = schema::files();
    for (schema_path, _) in mapping {
        let name = schema_path
            .strip_prefix(".rota/schema/")
            .expect("under the dir");
        assert!(files.contains_key(name), "{name}");
    }
    let mut count = 0;
    for entry in walkdir::WalkDir::new(example_root().join("rota")) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(example_root())
            .expect("under")
            .to_string_lossy()
            .replace('\\', "/");
        let matching: Vec<_> = mapping
            .iter()
            .filter(|(_, glob)| glob_matches(glob.as_str().expect("glob"), &rel))
            .map(|(schema, _)| schema.clone())
            .collect();
        assert_eq!(matching.len(), 1, "{rel}: {matching:?}");
        count += 1;
    }
    assert!(count >= 9, "{count}");
    assert_eq!(
        mapping[".rota/schema/rota.schema.json"],
        json!("rota/rotas/*.yaml")
    );
}

#[test]
fn init_sets_editors_up_with_schemas_that_work_offline() {
    let dir = tempfile::tempdir().expect("tmp");
    let repo = dir.path().join("team");
    TestRepo::empty().stdout(&["init", repo.to_str().expect("utf-8")]);
    let settings: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join(".vscode/settings.json")).expect("settings"),
    )
    .expect("JSON");
    let mapping = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    assert_eq!(mapping.len(), 7);
    for (schema_path, glob) in mapping {
        let name = schema_path.rsplit('/').next().expect("name");
        let on_disk = std::fs::read_to_string(repo.join(schema_path)).expect("schema written");
        assert_eq!(on_disk, schema::files()[name], "{schema_path} ({glob})");
    }
    let mut yaml_files = 0;
    for entry in walkdir::WalkDir::new(repo.join("rota")) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{}: no modeline: {first}", entry.path().display()));
        let schema_file = entry.path().parent().expect("dir").join(target);
        let rel = entry
            .path()
            .strip_prefix(&repo)
            .expect("under")
            .to_string_lossy()
            .replace('\\', "/");
        let kind = schema::for_data_file(&rel).expect("a data file");
        assert!(schema_file.is_file(), "{rel}: {target} does not exist");
        assert_eq!(
            std::fs::canonicalize(&schema_file).expect("canonical"),
            std::fs::canonicalize(repo.join(".rota/schema").join(kind.file_name))
                .expect("canonical"),
            "{rel}"
        );
        yaml_files += 1;
    }
    assert!(yaml_files >= 5, "{yaml_files}");
    // The new repository still checks clean with the modelines in place.
    let out = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(&repo)
        .args(["check", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn docs_ci_shows_the_gitlab_ci_that_init_writes() {
    let page = std::fs::read_to_string(example_root().join("docs/ci.md")).expect("docs/ci.md");
    let after = page
        .split("<!-- gitlab-ci -->\n```yaml\n")
        .nth(1)
        .expect("docs/ci.md has a .gitlab-ci.yml block after <!-- gitlab-ci -->");
    let shown = after.split("```\n").next().expect("block end");
    let dir = tempfile::tempdir().expect("tmp");
    let repo = dir.path().join("team");
    TestRepo::empty().stdout(&["init", repo.to_str().expect("utf-8"), "--gitlab"]);
    let written = std::fs::read_to_string(repo.join(".gitlab-ci.yml")).expect("written");
    let written = written.replace(rota::init::ROTA_REPOSITORY, "OWNER/rota");
    assert_eq!(shown, written);
    assert!(shown.contains("--format gitlab") && shown.contains("codequality:"));
    assert!(shown.contains("rota diff") && shown.contains("pages:"));
}

#[test]
fn the_site_publishes_the_schemas_and_an_api_that_matches_its_schema() {
    let dir = tempfile::tempdir().expect("tmp");
    let public = dir.path().join("public");
    let out = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .arg("--root")
        .arg(example_root())
        .args(["--today", TODAY, "build", "--out"])
        .arg(&public)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, text) in schema::files() {
        let published = std::fs::read_to_string(public.join("schema").join(name))
            .unwrap_or_else(|e| panic!("schema/{name} not published: {e}"));
        assert_eq!(&published, text, "{name}");
    }
    let api: Value = serde_json::from_str(
        &std::fs::read_to_string(public.join("api/oncall.json")).expect("api/oncall.json"),
    )
    .expect("JSON");
    assert!(api["upcoming"].as_array().is_some_and(|u| !u.is_empty()));
    assert_matches("oncall", &api);
}
