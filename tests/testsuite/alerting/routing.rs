//! Alerting: rota's Alertmanager routing proven equal to Alertmanager's own `amtool`
//! over a generated routing tree and 1,200 generated label sets; the example's and real
//! public rule files and Alertmanager configurations load without a finding; and
//! `rota route` answers, refuses and locates as docs/alerting.md says.

use rota::load::alerting::{alertmanager, rules};
use rota::model::alerting::{LabelSet, matcher};
use rota::source::FileId;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A deterministic pseudo-random sequence (SplitMix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// A label value: mostly a common one, so that routes match often enough to be tested.
    fn value(&mut self) -> &'static str {
        if self.chance(65) {
            self.pick::<&str>(&VALUES[..COMMON_VALUES])
        } else {
            self.pick::<&str>(VALUES)
        }
    }
}

/// How many of [`VALUES`] (the first ones) are common.
const COMMON_VALUES: usize = 9;

const LABELS: &[&str] = &["team", "severity", "service", "env", "region", "alertname"];

/// Label values, including quotes, spaces, backslashes, commas, braces, unicode, regex
/// metacharacters, a line break and the empty value.
const VALUES: &[&str] = &[
    "web",
    "WEB",
    "db",
    "critical",
    "warning",
    "info",
    "prod",
    "prod-eu1",
    "staging",
    "123",
    "42",
    "a.b*c",
    "(x|y)",
    "[brackets]",
    "with space",
    "say \"hi\"",
    "back\\slash",
    "comma, here",
    "{braced}",
    "ünïcødé",
    "日本",
    "ü",
    "$^",
    "line\nbreak",
    "tab\there",
    "",
    "x",
    "xx",
    "xxx",
];

/// Regular expressions for `=~`, `!~` and `match_re` (RE2 syntax, as Go reads it).
const REGEXES: &[&str] = &[
    "web|db",
    ".*",
    ".+",
    "crit.*",
    "a\\.b\\*c",
    "\\(x\\|y\\)",
    "[a-z]+",
    "\\d+",
    "\\d{2,3}",
    "ü.*",
    ".*space.*",
    "(?i)web",
    "[[:alpha:]]+",
    "x{2,}",
    "prod-\\w+",
    "[^a-c]+",
    ".*\\s.*",
    "日.",
    "\\[brackets\\]",
    "say \"hi\"",
    ".*,.*",
    "",
];

const RECEIVERS: &[&str] = &[
    "root",
    "web-pager",
    "db-pager",
    "tickets",
    "team chat",
    "ünï",
    "audit",
    "null",
    "escalate",
];

/// A YAML scalar: a JSON string is a double-quoted YAML scalar.
fn yaml(s: &str) -> String {
    serde_json::to_string(s).expect("a string")
}

/// A matcher value as Alertmanager's parser reads it: unquoted when plain, else quoted
/// with `\\`, `\"` and `\n` escapes.
fn matcher_value(r: &mut Random, value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '*' | '|' | '+'));
    if plain && r.chance(50) {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One matcher in the `matchers:` syntax, with every operator and spacing.
fn one_matcher(r: &mut Random) -> String {
    let name = r.pick(LABELS);
    let (op, value) = match r.below(20) {
        0..=6 => ("=", r.value()),
        7..=9 => ("!=", r.value()),
        10..=16 => ("=~", *r.pick(REGEXES)),
        _ => ("!~", *r.pick(REGEXES)),
    };
    let space = if r.chance(20) { " " } else { "" };
    format!("{name}{space}{op}{space}{}", matcher_value(r, value))
}

/// A route (and its children, up to `depth` more levels) written at `indent`.
fn route(r: &mut Random, out: &mut String, indent: usize, depth: usize) {
    let pad = " ".repeat(indent);
    let mut first = true;
    let key = |out: &mut String, first: &mut bool, text: String| {
        let lead = if *first {
            format!("{pad}- ")
        } else {
            format!("{pad}  ")
        };
        *first = false;
        writeln!(out, "{lead}{text}").unwrap();
    };
    if r.chance(80) {
        key(
            out,
            &mut first,
            format!("receiver: {}", yaml(r.pick::<&str>(RECEIVERS))),
        );
    }
    if r.chance(45) {
        key(out, &mut first, "continue: true".into());
    }
    let (with_match, with_match_re) = (r.chance(25), r.chance(25));
    // A route without matchers takes every alert its siblings after it would: rare.
    if r.chance(70) || (!with_match && !with_match_re && r.chance(85)) {
        let mut lines = Vec::new();
        for _ in 0..1 + usize::from(r.chance(20)) {
            if r.chance(25) {
                // The list form: several matchers in one line, in braces or not.
                let list: Vec<String> = (0..2).map(|_| one_matcher(r)).collect();
                let (open, close) = if r.chance(50) { ("{", "}") } else { ("", "") };
                lines.push(format!("{open}{}{close}", list.join(", ")));
            } else {
                lines.push(one_matcher(r));
            }
        }
        let lines: Vec<String> = lines.iter().map(|l| yaml(l)).collect();
        key(out, &mut first, format!("matchers: [{}]", lines.join(", ")));
    }
    if with_match {
        key(
            out,
            &mut first,
            format!("match: {{{}: {}}}", r.pick(LABELS), yaml(r.value())),
        );
    }
    if with_match_re {
        key(
            out,
            &mut first,
            format!(
                "match_re: {{{}: {}}}",
                r.pick(LABELS),
                yaml(r.pick::<&str>(REGEXES))
            ),
        );
    }
    if first {
        key(out, &mut first, "continue: false".into());
    }
    if depth > 0 && r.chance(60) {
        writeln!(out, "{pad}  routes:").unwrap();
        for _ in 0..1 + r.below(4) {
            route(r, out, indent + 4, depth - 1);
        }
    }
}

/// An Alertmanager configuration: a root with several subtrees up to 4 levels deep.
fn generated_config(seed: u64) -> String {
    let mut r = Random(seed);
    let mut out = String::from("route:\n  receiver: root\n  group_by: [alertname]\n  routes:\n");
    for _ in 0..6 {
        // Every subtree reaches at least 3 levels below the root.
        route(&mut r, &mut out, 4, 3);
    }
    out.push_str("receivers:\n");
    for name in RECEIVERS {
        writeln!(out, "  - name: {}", yaml(name)).unwrap();
    }
    out
}

/// Label sets as amtool's arguments (`name="value"` or `name=value`).
fn generated_label_args(seed: u64, count: usize) -> Vec<Vec<String>> {
    let mut r = Random(seed);
    (0..count)
        .map(|_| {
            let mut names: Vec<&str> = LABELS.to_vec();
            let n = 2 + r.below(LABELS.len() - 1);
            (0..n)
                .map(|_| {
                    let name = names.remove(r.below(names.len()));
                    let value = r.value();
                    format!("{name}={}", matcher_value(&mut r, value))
                })
                .collect()
        })
        .collect()
}

fn amtool_available() -> bool {
    let found = Command::new("amtool").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "amtool is missing: .ci/run installs Debian's prometheus-alertmanager, which the routing proof needs"
        );
        eprintln!(
            "amtool not installed: skipping the comparison with Alertmanager (CI installs it)"
        );
    }
    found
}

/// What amtool answers for each label set, with 16 processes at a time.
fn amtool_receivers(config: &Path, sets: &[Vec<String>]) -> Vec<String> {
    let mut answers = vec![String::new(); sets.len()];
    let chunk = sets.len().div_ceil(16);
    std::thread::scope(|scope| {
        for (sets, answers) in sets.chunks(chunk).zip(answers.chunks_mut(chunk)) {
            scope.spawn(move || {
                for (labels, answer) in sets.iter().zip(answers.iter_mut()) {
                    let out = Command::new("amtool")
                        .args(["config", "routes", "test"])
                        .arg(format!("--config.file={}", config.display()))
                        .args(labels)
                        .output()
                        .expect("amtool runs");
                    assert!(
                        out.status.success(),
                        "amtool refused {labels:?}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    *answer = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
                }
            });
        }
    });
    answers
}

#[test]
fn routing_agrees_with_amtool_on_generated_trees_and_label_sets() {
    if !amtool_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for (seed, count) in [(7_u64, 400_usize), (11, 400), (42, 400)] {
        let text = generated_config(seed);
        let config_path = dir.path().join(format!("alertmanager-{seed}.yml"));
        std::fs::write(&config_path, &text).unwrap();
        let check = Command::new("amtool")
            .args(["check-config"])
            .arg(&config_path)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "amtool refuses the generated configuration:\n{}\n{text}",
            String::from_utf8_lossy(&check.stdout)
        );
        let loaded = alertmanager::load(FileId(0), &text);
        assert_eq!(loaded.findings, vec![], "{text}");
        let config = loaded.config.expect("a configuration");
        let depth = |route: &rota::model::alerting::Route| {
            fn d(r: &rota::model::alerting::Route) -> usize {
                1 + r.routes.iter().map(d).max().unwrap_or(0)
            }
            d(route)
        };
        assert!(
            depth(&config.root) >= 4,
            "the tree nests 3 levels below the root"
        );
        let sets = generated_label_args(seed + 1, count);
        let expected = amtool_receivers(&config_path, &sets);
        let mut disagreements = Vec::new();
        let mut continued = 0;
        for (args, amtool) in sets.iter().zip(&expected) {
            let labels: LabelSet = args
                .iter()
                .map(|a| matcher::parse_label(a).expect("a label amtool took"))
                .collect();
            let ours = config.receivers_for(&labels).join(",");
            continued += usize::from(ours.contains(','));
            if ours != *amtool {
                disagreements.push(format!("{args:?}: amtool {amtool:?}, rota {ours:?}"));
            }
            compared += 1;
        }
        assert!(
            disagreements.is_empty(),
            "{} of {count} label sets disagree, e.g.:\n{}\nconfiguration:\n{text}",
            disagreements.len(),
            disagreements[..disagreements.len().min(10)].join("\n")
        );
        eprintln!(
            "seed {seed}: {continued} continued; {:?}",
            expected.iter().collect::<std::collections::BTreeSet<_>>()
        );
        assert!(
            continued > 0,
            "some label sets reach several receivers (continue)"
        );
        let distinct: std::collections::BTreeSet<&String> = expected.iter().collect();
        assert!(
            distinct.len() > 5,
            "the label sets reach many routes: {distinct:?}"
        );
    }
    assert!(compared >= 1000);
}

#[test]
fn rota_route_prints_what_amtool_prints_for_the_example() {
    let cases: &[&[&str]] = &[
        &["severity=critical", "team=web"],
        &["severity=\"warning\"", "team=database"],
        &["severity=info"],
        &[],
    ];
    let config = format!("{ROOT}/monitoring/alertmanager.yml");
    let check_amtool = amtool_available();
    for labels in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_rota"))
            .args([
                "--root",
                ROOT,
                "--at",
                "2026-12-07T10:00",
                "route",
                "--format",
                "json",
            ])
            .args(*labels)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let receivers: Vec<&str> = json["receivers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["receiver"].as_str().unwrap())
            .collect();
        if labels.first() == Some(&"severity=critical") {
            // Monday 10:00 in London: office hours, so the in-hours pager notifies.
            assert_eq!(
                json["receivers"][0],
                serde_json::json!({
                    "receiver": "pager-in-hours",
                    "mapped": true,
                    "rotas": ["in-hours"],
                    "active_time_intervals": ["office-hours"],
                    "mute_time_intervals": ["bank-holidays"],
                    "notifies_now": true,
                })
            );
            assert_eq!(json["receivers"][1]["notifies_now"], false);
            assert_eq!(json["receivers"][2]["notifies_now"], false);
            assert_eq!(
                json["labels"],
                serde_json::json!({"severity": "critical", "team": "web"})
            );
        }
        if check_amtool {
            let amtool = Command::new("amtool")
                .args(["config", "routes", "test"])
                .arg(format!("--config.file={config}"))
                .args(*labels)
                .output()
                .unwrap();
            assert_eq!(
                receivers.join(","),
                String::from_utf8_lossy(&amtool.stdout).trim_end()
            );
        }
    }
}

fn rota_route(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rota"))
        .arg("--root")
        .arg(root)
        .args(["--at", "2026-12-07T20:00", "route"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn rota_route_names_the_rotas_and_the_unmapped_receivers() {
    let out = rota_route(Path::new(ROOT), &["severity=critical", "team=web"]);
    let text = String::from_utf8_lossy(&out.stdout);
    // Monday 20:00 in London: out of office hours, so only the out-of-hours pager notifies.
    assert_eq!(
        text,
        "pager-in-hours: pages in-hours; only during office-hours; muted during bank-holidays (silent now)\n\
         pager-out-of-hours: pages out-of-hours; muted during office-hours (notifies now)\n\
         pager-out-of-hours: pages out-of-hours; only during bank-holidays (silent now)\n"
    );
    let dir = example_copy();
    let config = dir.path().join("rota/config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("    tickets: []\n", "")).unwrap();
    let out = rota_route(dir.path(), &["severity=info"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "tickets: not mapped to a rota (add it to alerting.receivers)\n"
    );
}

/// A copy of the example repository's rota/, runbooks/ and monitoring/.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for top in ["rota", "runbooks", "monitoring"] {
        for entry in walkdir::WalkDir::new(Path::new(ROOT).join(top)) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(ROOT).unwrap();
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    dir
}

#[test]
fn rota_route_refuses_bad_labels_a_missing_setting_and_a_broken_file() {
    let out = rota_route(Path::new(ROOT), &["severity<critical"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`severity<critical` is not a matcher"));
    let out = rota_route(Path::new(ROOT), &["severity=~crit.*"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("name=value"));

    let dir = example_copy();
    let config = dir.path().join("rota/config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("  alertmanager: monitoring/alertmanager.yml\n", ""),
    )
    .unwrap();
    let out = rota_route(dir.path(), &["severity=critical"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("alerting.alertmanager"));
    std::fs::write(&config, text).unwrap();

    let am = dir.path().join("monitoring/alertmanager.yml");
    let broken = std::fs::read_to_string(&am)
        .unwrap()
        .replace("severity=~\"warning|info\"", "severity=~\"warning|(info\"")
        .replace("receiver: database-chat", "receiver: databse-chat");
    std::fs::write(&am, broken).unwrap();
    let out = rota_route(dir.path(), &["severity=critical"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("monitoring/alertmanager.yml:25:") && stderr.contains("regular expression"),
        "{stderr}"
    );
    assert!(
        stderr.contains("monitoring/alertmanager.yml:30:")
            && stderr.contains("did you mean `database-chat`"),
        "{stderr}"
    );
}

#[test]
fn the_example_rule_file_passes_promtool_and_loads() {
    let path = format!("{ROOT}/monitoring/platform.rules.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = rules::load(FileId(0), &text);
    assert_eq!(loaded.findings, vec![]);
    let names: Vec<&str> = loaded.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["SiteDown", "DbReplicaLag", "DiskFilling", "CertExpiry"]
    );
    match Command::new("promtool")
        .args(["check", "rules", &path])
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        ),
        Err(_) => assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "promtool is missing: .ci/run installs Debian's prometheus"
        ),
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/tests/fixtures/alerting/{name}")).unwrap()
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn real_public_rule_files_load_without_a_finding() {
    let manifest = rules::load(
        FileId(0),
        &fixture("kube-prometheus-alertmanager-prometheusRule.yaml"),
    );
    assert_eq!(manifest.findings, vec![]);
    assert_eq!(manifest.rules.len(), 8);
    let down = &manifest.rules[6];
    assert_eq!(down.name, "AlertmanagerClusterDown");
    assert_eq!(down.labels["severity"].0, "critical");
    assert!(
        down.annotations["runbook_url"]
            .0
            .ends_with("/alertmanagerclusterdown")
    );
    assert_eq!(down.for_ms, 300_000);
    let plain = rules::load(
        FileId(0),
        &fixture("awesome-prometheus-alerts-node-exporter-under-utilized.yml"),
    );
    assert_eq!(plain.findings, vec![]);
    let names: Vec<&str> = plain.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["HostMemoryIsUnderUtilized", "HostCpuIsUnderUtilized"]
    );
    assert_eq!(plain.rules[1].loc.line, 16);
}

#[test]
fn real_public_alertmanager_configurations_load_and_route() {
    let simple = alertmanager::load(FileId(0), &fixture("alertmanager-doc-examples-simple.yml"));
    assert_eq!(simple.findings, vec![]);
    let simple = simple.config.unwrap();
    let route = |pairs: &[(&str, &str)]| simple.receivers_for(&labels(pairs)).join(",");
    assert_eq!(route(&[]), "team-X-mails");
    assert_eq!(
        route(&[("service", "foo1"), ("severity", "critical")]),
        "team-X-pager"
    );
    assert_eq!(route(&[("service", "files")]), "team-Y-mails");
    assert_eq!(route(&[("service", "database")]), "team-DB-pager");
    assert_eq!(
        route(&[("service", "database"), ("owner", "team-X")]),
        "team-X-pager"
    );
    // `match_re` is anchored even when the expression already is.
    assert_eq!(route(&[("service", "foo12")]), "team-X-mails");

    let secret = alertmanager::load(
        FileId(0),
        &fixture("kube-prometheus-alertmanager-secret.yaml"),
    );
    assert_eq!(secret.findings, vec![]);
    let secret = secret.config.unwrap();
    assert_eq!(
        secret.receivers_for(&labels(&[("alertname", "Watchdog")])),
        ["null"]
    );
    assert_eq!(secret.receivers.len(), 1);
}

#[test]
fn a_secret_in_base64_data_is_read_and_one_without_the_key_is_located() {
    use base64::Engine as _;
    let config = "route:\n  receiver: a\nreceivers:\n- name: a\n";
    let encoded = base64::engine::general_purpose::STANDARD.encode(config);
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata: {{name: am}}\ndata:\n  alertmanager.yaml: {encoded}\n"
    );
    let loaded = alertmanager::load(FileId(0), &secret);
    assert_eq!(loaded.findings, vec![]);
    assert_eq!(loaded.config.unwrap().root.receiver, "a");

    let missing = "apiVersion: v1\nkind: Secret\nstringData:\n  config.yaml: |\n    route: {}\n";
    let loaded = alertmanager::load(FileId(0), missing);
    assert!(loaded.config.is_none());
    assert!(
        loaded.findings[0]
            .message
            .contains("no `alertmanager.yaml`")
    );
    assert!(loaded.findings[0].message.contains("`config.yaml`"));
}

#[test]
fn mistakes_in_an_alertmanager_configuration_are_located() {
    let at = |text: &str| -> Vec<(u32, u32, String)> {
        alertmanager::load(FileId(0), text)
            .findings
            .into_iter()
            .map(|f| (f.loc.line, f.loc.column, f.message))
            .collect()
    };
    let base = "route:\n  receiver: a\n  routes:\n  - matchers: [MATCHER]\n    receiver: RECEIVER\nreceivers:\n- name: a\n";
    let with = |m: &str, r: &str| base.replace("MATCHER", m).replace("RECEIVER", r);
    // A broken regular expression.
    let found = at(&with("'team=~\"(web\"'", "a"));
    assert_eq!((found[0].0, found[0].1), (4, 16), "{found:?}");
    assert!(found[0].2.contains("regular expression"), "{found:?}");
    // An unknown operator.
    let found = at(&with("'team<>web'", "a"));
    assert_eq!(
        (found[0].0, found[0].2.contains("not a matcher")),
        (4, true),
        "{found:?}"
    );
    // A receiver that does not exist.
    let found = at(&with("team=web", "b"));
    assert_eq!((found[0].0, found[0].1), (5, 15), "{found:?}");
    assert!(found[0].2.contains("`b` is not a receiver"), "{found:?}");
    // Not YAML at all.
    let found = at("route: [\n  receiver: a\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].0 >= 1);
    // An unknown key, named.
    let found = at("route:\n  receiver: a\n  recever: b\nreceivers:\n- name: a\n");
    assert_eq!(found[0].0, 3);
    assert!(found[0].2.contains("recever"), "{found:?}");
    // Inside a Secret's block, at the line in the Secret itself.
    let secret = "kind: Secret\nstringData:\n  alertmanager.yaml: |\n    route:\n      receiver: nobody\n    receivers:\n    - name: a\n";
    let found = at(secret);
    assert_eq!((found[0].0, found[0].1), (5, 17), "{found:?}");
}

#[test]
fn time_intervals_decide_when_a_route_notifies() {
    let text = fixture_free_intervals();
    let loaded = alertmanager::load(FileId(0), &text);
    assert_eq!(loaded.findings, vec![]);
    let config = loaded.config.unwrap();
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let routes = config.root.matching(&labels(&[("severity", "critical")]));
    let notifying = |t: &str| -> Vec<&str> {
        routes
            .iter()
            .filter(|r| r.notifies_at(&config.time_intervals, at(t)))
            .map(|r| r.receiver.as_str())
            .collect()
    };
    // Wednesday 12:00 in New York (EST, UTC-5), not the last day of the month.
    assert_eq!(notifying("2026-12-09T17:00:00Z"), ["day"]);
    // Wednesday 20:00 in New York.
    assert_eq!(notifying("2026-12-10T01:00:00Z"), ["night"]);
    // The last day of the month is a freeze: nothing notifies in the day.
    assert_eq!(notifying("2026-12-31T17:00:00Z"), Vec::<&str>::new());
    // In summer (EDT, UTC-4) 12:00 local is 16:00Z.
    assert_eq!(notifying("2026-07-08T16:00:00Z"), ["day"]);
}

fn fixture_free_intervals() -> String {
    "route:
  receiver: day
  routes:
    - matchers: [severity=critical]
      receiver: day
      active_time_intervals: [office]
      mute_time_intervals: [freeze]
      continue: true
    - matchers: [severity=critical]
      receiver: night
      mute_time_intervals: [office]
receivers: [{name: day}, {name: night}]
time_intervals:
  - name: office
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:00'}]
        weekdays: ['monday:friday']
        location: America/New_York
mute_time_intervals:
  - name: freeze
    time_intervals:
      - days_of_month: ['-1']
        months: ['december']
"
    .to_string()
}

#[test]
fn alerting_settings_are_checked_where_they_are_written() {
    let dir = example_copy();
    let config = dir.path().join("rota/config.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let check = |text: String| {
        std::fs::write(&config, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_rota"))
            .arg("--root")
            .arg(dir.path())
            .args(["--today", "2026-11-22", "check"])
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let (code, out) = check(text.replace("  rules: [", "  rule: ["));
    assert_eq!(code, Some(1));
    assert!(
        out.contains(&format!("rota/config.yaml:{}:", line("  rules: [")))
            && out.contains("did you mean `rules`"),
        "{out}"
    );
    let (code, out) = check(text.replace("monitoring/**/*.rules.yml", "../elsewhere/*.yml"));
    assert_eq!(code, Some(1));
    assert!(out.contains("leads out of the repository"), "{out}");
    let (code, out) = check(text.replace("pager-in-hours: in-hours", "pager-in-hours: [In-Hours]"));
    assert_eq!(code, Some(1));
    assert!(out.contains("`In-Hours` is not a valid rota id"), "{out}");
    let (code, _) = check(text.clone());
    assert_eq!(code, Some(0));
}

/// The example with `rules` generated alerting rules (a tenth critical) in
/// monitoring/bulk-*.rules.yml and a routing tree of 500 routes (497 by team before the
/// example's own three).
fn bulk_alerting(rules: usize) -> tempfile::TempDir {
    let dir = example_copy();
    // 500 rules a file: each well under the data-file limit.
    let mut text = String::new();
    for i in 0..rules {
        if i % 500 == 0 {
            if !text.is_empty() {
                std::fs::write(
                    dir.path().join(format!("monitoring/bulk-{i}.rules.yml")),
                    &text,
                )
                .unwrap();
            }
            text = String::from("groups:\n- name: bulk\n  rules:\n");
        }
        let severity = if i % 10 == 0 { "critical" } else { "warning" };
        writeln!(
            text,
            "  - alert: Bulk{i}Down\n    expr: up{{job=\"j{i}\"}} == 0\n    for: 5m\n    labels: {{severity: {severity}, team: t{}}}\n    annotations:\n      summary: Bulk {i} is down\n      runbook_url: https://example.github.io/support/runbooks/site-down/",
            i % 497
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("monitoring/bulk-last.rules.yml"), text).unwrap();
    let am_path = dir.path().join("monitoring/alertmanager.yml");
    let am = std::fs::read_to_string(&am_path).unwrap();
    let mut teams = String::from("  routes:\n");
    for t in 0..497 {
        writeln!(
            teams,
            "    - matchers: ['team=\"t{t}\"', 'severity!=\"critical\"']\n      receiver: tickets"
        )
        .unwrap();
    }
    std::fs::write(&am_path, am.replacen("  routes:\n", &teams, 1)).unwrap();
    dir
}

/// `rota check` of 5,000 alerting rules over a 500-route tree costs about ten times
/// what 500 rules cost over the same tree (measured side by side, the ratio of the
/// means), so a step quadratic in the rules, or per rule × instant, fails.
#[test]
fn alerting_rules_cost_grows_linearly() {
    let (small, big) = (bulk_alerting(500), bulk_alerting(5_000));
    let mut times = (Vec::new(), Vec::new());
    for _ in 0..2 {
        for (dir, into) in [(&small, &mut times.0), (&big, &mut times.1)] {
            let start = std::time::Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_rota"))
                .arg("--root")
                .arg(dir.path())
                .args(["--today", "2026-12-07", "check"])
                .output()
                .unwrap();
            into.push(start.elapsed().as_secs_f64().max(0.01));
            assert!(
                out.status.success(),
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let mean = |v: &Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
    let ratio = mean(&times.1) / mean(&times.0);
    eprintln!("alerting: check of 5,000 rules costs {ratio:.1}× that of 500");
    assert!(
        ratio <= 25.0,
        "rota check of 5,000 alerting rules cost {ratio:.1}× that of 500 (linear is at most 10)"
    );
    // The big catalogue is what rota alerts lists.
    let out = Command::new(env!("CARGO_BIN_EXE_rota"))
        .arg("--root")
        .arg(big.path())
        .args(["alerts", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["alerts"].as_array().unwrap().len(), 5_000 + 5);
}

/// Each bad input of the alerting files, through `rota check`: a located `parse` error
/// (file, line, column) in the file itself, exit 1, and nothing else of it guessed.
#[test]
fn bad_alerting_files_are_located_errors_in_rota_check() {
    let dir = example_copy();
    let am_path = dir.path().join("monitoring/alertmanager.yml");
    let rules_path = dir.path().join("monitoring/platform.rules.yml");
    let am = std::fs::read_to_string(&am_path).unwrap();
    let rules = std::fs::read_to_string(&rules_path).unwrap();
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let check = || {
        let out = Command::new(env!("CARGO_BIN_EXE_rota"))
            .arg("--root")
            .arg(dir.path())
            .args(["--today", "2026-11-22", "check", "--format", "json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let parse: Vec<(String, u64, u64, String)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "parse")
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (out.status.code(), parse)
    };
    let am_file = "monitoring/alertmanager.yml";
    let cases: Vec<(&str, String, usize, &str)> = vec![
        (
            am_file,
            am.replace("severity=~\"warning|info\"", "severity=~\"warning|(info\""),
            line_of(&am, "severity=~\"warning|info\""),
            "regular expression",
        ),
        (
            am_file,
            am.replace("'severity=~\"warning|info\"'", "'severity<>warning'"),
            line_of(&am, "severity=~\"warning|info\""),
            "not a matcher",
        ),
        (
            am_file,
            am.replace("receiver: database-chat", "receiver: chat-of-nobody"),
            line_of(&am, "receiver: database-chat"),
            "`chat-of-nobody` is not a receiver",
        ),
        (
            "monitoring/platform.rules.yml",
            rules.replace("    rules:\n", "    rules: [\n"),
            line_of(&rules, "    rules:"),
            "",
        ),
        (
            am_file,
            "apiVersion: v1\nkind: Secret\nmetadata: {name: alertmanager}\nstringData:\n  config.yaml: |\n    route: {receiver: tickets}\n".to_string(),
            // At the key it has instead (its value, a block, starts on line 6).
            5,
            "no `alertmanager.yaml`",
        ),
    ];
    for (file, text, line, says) in cases {
        let path = dir.path().join(file);
        std::fs::write(&path, &text).unwrap();
        let (code, parse) = check();
        assert_eq!(code, Some(1), "{file}: {says}");
        let in_file: Vec<_> = parse.iter().filter(|p| p.0 == file).collect();
        assert!(!in_file.is_empty(), "{says}: {parse:?}");
        let first = in_file[0];
        assert!(
            first.1 >= line as u64 && first.1 <= line as u64 + 1 && first.2 >= 1,
            "{says}: expected line {line}, got {first:?}"
        );
        assert!(first.3.contains(says), "{says}: {first:?}");
        std::fs::write(&am_path, &am).unwrap();
        std::fs::write(&rules_path, &rules).unwrap();
    }
    // The nearest case: the files as they are load without a parse error.
    let (code, parse) = check();
    assert_eq!((code, parse.len()), (Some(0), 0), "{parse:?}");
}
