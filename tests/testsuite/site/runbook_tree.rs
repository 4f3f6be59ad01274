//! An existing runbook tree works as it is: a Hugo-style tree (real pages of
//! prometheus-operator/runbooks, see tests/fixtures/runbook-tree/SOURCES.md) with its
//! front matter, CamelCase file names and `_index.md` section pages loads and builds a
//! site whose runbook navigation is the folder tree.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/runbook-tree";

/// Copies the fixture tree (not its SOURCES.md) into `runbooks/` of `repo`.
fn with_tree(repo: &TestRepo) {
    fn copy(from: &Path, rel: &str, repo: &TestRepo) {
        let mut entries: Vec<_> = std::fs::read_dir(from)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string();
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if path.is_dir() {
                copy(&path, &rel, repo);
            } else if rel != "SOURCES.md" {
                let text = std::fs::read_to_string(&path).expect("fixture page");
                repo.write(&format!("runbooks/{rel}"), &text);
            }
        }
    }
    copy(Path::new(FIXTURE), "", repo);
}

fn findings(json: &Value) -> &Vec<Value> {
    json["findings"].as_array().expect("findings")
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_hugo_runbook_tree_builds_without_a_parse_error() {
    let repo = TestRepo::new();
    with_tree(&repo);
    let (json, _) = repo.check();
    let errors: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["level"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // No front matter, or one without owner and review date: the review rule says so.
    let review: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "runbook-review")
        .collect();
    assert!(
        review
            .iter()
            .any(|f| f["file"] == "runbooks/kubernetes/KubeAPIDown.md"
                && f["level"] == "warning"
                && f["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("no owner")),
        "{review:#?}"
    );
    assert!(
        !findings(&json).iter().any(|f| f["rule"] == "parse"),
        "{json:#}"
    );

    let out = tempfile::tempdir().expect("temp dir");
    repo.stdout(&["build", "--out", out.path().to_str().expect("utf-8 path")]);
    // Slugs are the paths lowercased; a folder's _index.md is the folder's page.
    let page = read(
        out.path(),
        "runbooks/alertmanager/alertmanagerclusterdown.html",
    );
    assert!(page.contains("Alertmanager Cluster Down"), "{page}");
    let folder = read(out.path(), "runbooks/alertmanager.html");
    assert!(
        folder.contains(r#"href="../runbooks/alertmanager/alertmanagerfailedreload.html""#),
        "the folder page lists its children: {folder}"
    );
    // A page without front matter takes its title from its first heading; TOML front
    // matter gives its title.
    let no_front = read(out.path(), "runbooks/kubernetes/kubeapidown.html");
    assert!(
        no_front.contains("<h1 id=\"kubeapidown\">KubeAPIDown</h1>")
            || no_front.contains(">KubeAPIDown</h1>"),
        "{no_front}"
    );
    let toml = read(out.path(), "runbooks/general/infoinhibitor.html");
    assert!(toml.contains(">Info Inhibitor</h1>"), "{toml}");
    // The breadcrumb: the runbook index, then the folder's page.
    assert!(
        toml.contains(r#"<a href="../../runbooks/general.html">general</a>"#),
        "{toml}"
    );
    // The index lists runbooks by folder, under the root page's introduction.
    let index = read(out.path(), "runbooks/index.html");
    assert!(
        index.contains("Welcome to the site hosting runbooks"),
        "{index}"
    );
    let general = index
        .find(r#"<a href="general.html">general</a>"#)
        .expect("general folder heading");
    let watchdog = index
        .find(r#"<a href="general/watchdog.html">Watchdog</a>"#)
        .expect("watchdog listed");
    let kubernetes = index
        .find(r#"<a href="kubernetes.html">kubernetes</a>"#)
        .expect("kubernetes heading");
    assert!(general < watchdog && watchdog < kubernetes, "{index}");
}

#[test]
fn a_misspelt_front_matter_key_is_reported_with_its_did_you_mean() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/db/ReplicaLag.md",
        "---\ntitle: Replica lag\nowner: \"#db\"\nweight: 10\nlast_reveiwed: 2026-10-01\n---\n# Replica lag\n",
    );
    let (json, _) = repo.check();
    let typo: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap_or_default()
                .contains("last_reveiwed")
        })
        .collect();
    assert_eq!(typo.len(), 1, "{json:#}");
    assert_eq!(typo[0]["file"], "runbooks/db/ReplicaLag.md");
    assert_eq!(typo[0]["line"], 5);
    assert!(
        typo[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `last_reviewed`?"),
        "{:#}",
        typo[0]
    );
    // `weight` is a site generator's key, not a typo: nothing about it.
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f["message"].as_str().unwrap_or_default().contains("weight")),
        "{json:#}"
    );
    // The same near miss in TOML front matter, at its line too.
    repo.write(
        "runbooks/db/ReplicaLag.md",
        "+++\ntitle = \"Replica lag\"\nowner = \"#db\"\nlast_reveiwed = 2026-10-01\n+++\n# Replica lag\n",
    );
    let (json, _) = repo.check();
    let typo: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap_or_default()
                .contains("did you mean `last_reviewed`?")
        })
        .collect();
    assert_eq!(typo.len(), 1, "{json:#}");
    assert_eq!(typo[0]["line"], 4);
}

#[test]
fn toml_front_matter_is_read_and_its_errors_are_located_in_the_page() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/Watchdog.md",
        "+++\ntitle = \"Watchdog\"\nowner = \"#ops\"\nlast_reviewed = 2026-10-01\n+++\n# Watchdog\n",
    );
    let (json, code) = repo.check();
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f["rule"] == "runbook-review" || f["rule"] == "parse"),
        "owner and a recent review date were read: {json:#}"
    );
    assert_eq!(code, 0, "{json:#}");
    repo.write(
        "runbooks/Watchdog.md",
        "+++\ntitle = \"Watchdog\"\nowner = \"#ops\nlast_reviewed = 2026-10-01\n+++\n# Watchdog\n",
    );
    let (json, code) = repo.check();
    let parse: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "parse")
        .collect();
    assert_eq!(parse.len(), 1, "{json:#}");
    assert_eq!(
        (parse[0]["file"].as_str(), parse[0]["line"].as_u64()),
        (Some("runbooks/Watchdog.md"), Some(3))
    );
    assert_eq!(code, 1);
}

#[test]
fn two_files_with_one_slug_are_a_located_error_naming_both() {
    let repo = TestRepo::new();
    repo.write("runbooks/db/ReplicaLag.md", "# Replica lag\n");
    repo.write("runbooks/db/replicalag.md", "# Replica lag again\n");
    let (json, code) = repo.check();
    let clash: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "invalid-id")
        .collect();
    assert_eq!(clash.len(), 2, "one at each file: {json:#}");
    for f in &clash {
        let message = f["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("runbooks/db/ReplicaLag.md")
                && message.contains("runbooks/db/replicalag.md")
                && message.contains("`db/replicalag`"),
            "{f:#}"
        );
        assert_eq!(f["line"], 1);
    }
    assert_eq!(code, 1);
    // A folder's page beside a page of the folder's name: one address too.
    let repo = TestRepo::new();
    repo.write("runbooks/db/_index.md", "# Databases\n");
    repo.write("runbooks/DB.md", "# Databases, again\n");
    let (json, _) = repo.check();
    assert_eq!(
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "invalid-id")
            .count(),
        2,
        "{json:#}"
    );
    // Different names after lowercasing: no clash.
    let repo = TestRepo::new();
    repo.write("runbooks/db/ReplicaLag.md", "# Replica lag\n");
    repo.write("runbooks/db/ReplicaLagHigh.md", "# Replica lag high\n");
    let (json, _) = repo.check();
    assert!(
        !findings(&json).iter().any(|f| f["rule"] == "invalid-id"),
        "{json:#}"
    );
}

#[test]
fn a_runbook_without_front_matter_gets_review_warnings_not_parse_errors() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/SiteDown.md",
        "Intro line.\n\n# Site down\n\n## Act\n",
    );
    let (json, code) = repo.check();
    let all = findings(&json);
    assert!(!all.iter().any(|f| f["level"] == "error"), "{json:#}");
    let mut review: Vec<&str> = all
        .iter()
        .filter(|f| f["rule"] == "runbook-review" && f["level"] == "warning")
        .map(|f| f["message"].as_str().unwrap_or_default())
        .collect();
    review.sort_unstable();
    assert_eq!(
        review,
        [
            "runbook `sitedown` has never been reviewed",
            "runbook `sitedown` has no owner"
        ],
        "{json:#}"
    );
    assert_eq!(code, 0, "warnings only");
    let out = tempfile::tempdir().expect("temp dir");
    repo.stdout(&["build", "--out", out.path().to_str().expect("utf-8 path")]);
    let page = read(out.path(), "runbooks/sitedown.html");
    assert!(
        page.contains(">Site down</h1>"),
        "title from the first heading: {page}"
    );
}

#[test]
fn links_between_runbooks_resolve_whatever_their_case() {
    let repo = TestRepo::new();
    repo.write(
        "runbooks/general/TargetDown.md",
        "# Target down\n\nSee [the API](../Kubernetes/KubeAPIDown.md#check), [its folder](../kubernetes/) and [kubelet](../kubernetes/KubeletDown).\n",
    );
    repo.write("runbooks/kubernetes/_index.md", "# Kubernetes\n");
    repo.write(
        "runbooks/kubernetes/KubeAPIDown.md",
        "# KubeAPIDown\n\n## Check\n",
    );
    repo.write("runbooks/kubernetes/KubeletDown.md", "# KubeletDown\n");
    let (json, _) = repo.check();
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f["rule"] == "unknown-reference"),
        "{json:#}"
    );
    let out = tempfile::tempdir().expect("temp dir");
    repo.stdout(&["build", "--out", out.path().to_str().expect("utf-8 path")]);
    let page = read(out.path(), "runbooks/general/targetdown.html");
    for href in [
        "../../runbooks/kubernetes/kubeapidown.html#check",
        "../../runbooks/kubernetes.html",
        "../../runbooks/kubernetes/kubeletdown.html",
    ] {
        assert!(page.contains(&format!("href=\"{href}\"")), "{href}: {page}");
    }
    // A link to a runbook that is not there is still reported.
    repo.write(
        "runbooks/general/TargetDown.md",
        "# Target down\n\n[x](../kubernetes/KubeProxyDown.md)\n",
    );
    let (json, _) = repo.check();
    assert!(
        findings(&json).iter().any(|f| f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("kubernetes/kubeproxydown")),
        "{json:#}"
    );
}
