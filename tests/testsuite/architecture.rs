//! The shape of the code that a reader relies on (docs/developing.md): no hidden state
//! below the commands — no thread-local anywhere, the environment read only in `cmd/`
//! and `main.rs` — and copies of the data share its files' text.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, as `src/…` paths with `/` separators, and its text.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut folders: Vec<PathBuf> = vec![root.join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("read src/") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(root)
                    .expect("under the crate")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).expect("read")));
            }
        }
    }
    out.sort();
    assert!(out.len() > 50, "src/ was not found whole: {}", out.len());
    out
}

/// The lines of `text` that are code (not `//` comments), numbered from 1.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
}

#[test]
fn no_thread_local_state_anywhere() {
    let found: Vec<String> = sources()
        .iter()
        .flat_map(|(path, text)| {
            code_lines(text)
                .filter(|(_, l)| l.contains("thread_local!"))
                .map(move |(n, l)| format!("{path}:{n}: {}", l.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "thread-local state hides what a function depends on; pass it in instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_environment_is_read_only_by_the_commands() {
    let found: Vec<String> = sources()
        .iter()
        .filter(|(path, _)| !path.starts_with("src/cmd/") && path != "src/main.rs")
        .flat_map(|(path, text)| {
            code_lines(text)
                .filter(|(_, l)| l.contains("std::env") || l.contains("env::var"))
                .map(move |(n, l)| format!("{path}:{n}: {}", l.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "only src/cmd/ and src/main.rs read the environment (resolve it into pipeline::Options):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_copy_of_the_data_shares_its_files_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let model = rota::load::resolve::resolve(rota::load::load(root).expect("the example loads"));
    let copy = model.clone();
    let (id, file) = model
        .repo
        .sources
        .iter()
        .max_by_key(|(_, f)| f.text.len())
        .expect("files");
    assert!(file.text.len() > 100);
    assert!(
        std::ptr::eq(file.text.as_ptr(), copy.repo.sources.get(id).text.as_ptr()),
        "{}: copied, not shared",
        file.path
    );
}

/// The floor plan of ARCHITECTURE.md, bottom first: a module may use modules of its own
/// layer or a lower one, never a higher one, and no two modules may use each other
/// (directly or round a longer circle). `output` is split into its rooms, since the
/// feeds, the site and the staging folder are kept apart by the same rule.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["time", "source", "encode", "markdown", "finding"]),
    ("model", &["model"]),
    ("load", &["load", "edit"]),
    ("schedule", &["schedule"]),
    ("rules", &["rules", "propose", "diff"]),
    (
        "output",
        &[
            "output::staging",
            "output::json",
            "output::feeds",
            "output::schema",
            "output::site",
            "output",
            "diagnostics",
        ],
    ),
    ("pipeline", &["pipeline", "init"]),
    ("serve", &["serve"]),
    ("commands", &["cli", "cmd"]),
];

/// Modules split into rooms of their own in the import graph.
const SPLIT: &[&str] = &["output"];

/// The module path of a file: `src/output/site/views/mod.rs` → `output::site::views`.
fn module_of(rel: &str) -> Vec<String> {
    let inner = rel.trim_start_matches("src/").trim_end_matches(".rs");
    let mut segs: Vec<String> = inner.split('/').map(str::to_string).collect();
    if segs.last().is_some_and(|s| s == "mod") {
        segs.pop();
    }
    segs
}

/// The node of the import graph a module path belongs to.
fn node_of(path: &[&str]) -> Option<String> {
    let first = *path.first()?;
    if first.is_empty() || !first.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    if SPLIT.contains(&first)
        && let Some(room) = path.get(1)
        && (root.join(first).join(format!("{room}.rs")).is_file()
            || root.join(first).join(room).is_dir())
    {
        return Some(format!("{first}::{room}"));
    }
    Some(first.to_string())
}

/// The leading identifier of `text` (letters, digits, `_`).
fn ident(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The paths a line of code names through `crate::` or `super::`, as absolute module
/// paths (at most two segments are needed to find the node). A `crate::{a, b::c}` group
/// names each of its items.
fn named_paths(line: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = [rest.find("crate::"), rest.find("super::")]
        .into_iter()
        .flatten()
        .min()
    {
        let from_crate = rest[at..].starts_with("crate::");
        let preceded = rest[..at].chars().last();
        if preceded.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == ':') {
            rest = &rest[at + 7..];
            continue;
        }
        let mut base: Vec<String> = Vec::new();
        let mut tail = &rest[at..];
        if from_crate {
            tail = &tail["crate::".len()..];
        } else {
            base = module.to_vec();
            while let Some(t) = tail.strip_prefix("super::") {
                base.pop();
                tail = t;
            }
        }
        if let Some(group) = tail.strip_prefix('{') {
            let close = group.find('}').unwrap_or(group.len());
            for item in group[..close].split(',') {
                let item = item.trim();
                let mut path = base.clone();
                path.extend(item.split("::").take(2).map(|s| ident(s).to_string()));
                out.push(path);
            }
        } else {
            let mut path = base;
            for seg in tail.split("::").take(2) {
                let seg = ident(seg);
                if seg.is_empty() {
                    break;
                }
                path.push(seg.to_string());
            }
            out.push(path);
        }
        rest = tail;
    }
    out
}

/// Node → the nodes it uses, each with one place that shows it.
fn import_graph() -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>
{
    let mut graph: std::collections::BTreeMap<_, std::collections::BTreeMap<String, String>> =
        Default::default();
    for (rel, text) in sources() {
        if rel == "src/lib.rs" || rel == "src/main.rs" {
            continue;
        }
        let module = module_of(&rel);
        let refs: Vec<&str> = module.iter().map(String::as_str).collect();
        let Some(from) = node_of(&refs) else { continue };
        let node = graph.entry(from.clone()).or_default();
        for (n, line) in code_lines(&text) {
            for path in named_paths(line, &module) {
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                if let Some(to) = node_of(&refs)
                    && to != from
                {
                    node.entry(to)
                        .or_insert_with(|| format!("{rel}:{n}: {}", line.trim()));
                }
            }
        }
    }
    graph
}

fn layer_of(node: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, nodes)| nodes.contains(&node))
}

#[test]
fn every_module_has_a_place_in_the_floor_plan() {
    let graph = import_graph();
    let missing: Vec<&String> = graph.keys().filter(|n| layer_of(n).is_none()).collect();
    assert!(
        missing.is_empty(),
        "put each new module in a layer of ARCHITECTURE.md (and LAYERS here): {missing:?}"
    );
    // The table names only modules that exist, so it cannot drift from the tree.
    for (_, nodes) in LAYERS {
        for node in *nodes {
            assert!(
                graph.contains_key(*node),
                "LAYERS names {node}, which src/ does not have"
            );
        }
    }
}

#[test]
fn no_module_uses_a_module_of_a_higher_layer() {
    let graph = import_graph();
    let mut climbs = Vec::new();
    for (from, uses) in &graph {
        for (to, place) in uses {
            if let (Some(a), Some(b)) = (layer_of(from), layer_of(to))
                && b > a
            {
                climbs.push(format!(
                    "{from} ({}) uses {to} ({}): {place}",
                    LAYERS[a].0, LAYERS[b].0
                ));
            }
        }
    }
    assert!(
        climbs.is_empty(),
        "data flows one way (ARCHITECTURE.md); move the code down or pass the value in:\n{}",
        climbs.join("\n")
    );
}

#[test]
fn the_import_graph_has_no_circle() {
    let graph = import_graph();
    // Depth-first search; a node met again while still on the path closes a circle.
    fn visit<'g>(
        node: &'g str,
        graph: &'g std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
        path: &mut Vec<&'g str>,
        done: &mut std::collections::BTreeSet<&'g str>,
        circles: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|n| *n == node) {
            let mut circle: Vec<String> = path[at..].iter().map(|n| n.to_string()).collect();
            circle.push(node.to_string());
            let places: Vec<&str> = path[at..]
                .iter()
                .zip(path[at + 1..].iter().chain([&node]))
                .filter_map(|(a, b)| graph.get(*a)?.get(*b).map(String::as_str))
                .collect();
            circles.push(format!("{}\n  {}", circle.join(" → "), places.join("\n  ")));
            return;
        }
        if !done.insert(node) {
            return;
        }
        path.push(node);
        for next in graph.get(node).into_iter().flat_map(|uses| uses.keys()) {
            visit(next, graph, path, done, circles);
        }
        path.pop();
    }
    let mut circles = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(
        circles.is_empty(),
        "circular imports:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_floor_plan_check_sees_a_climb_a_circle_and_a_grouped_import() {
    // The parser itself: a grouped `crate::{…}` import names each item, `super::` is
    // resolved from the file's module, and a path inside a word is not an import.
    let module = module_of("src/output/site/views/mod.rs");
    assert_eq!(module, ["output", "site", "views"]);
    let paths = named_paths("use crate::{rules::context, output::feeds::name};", &module);
    let nodes: Vec<Option<String>> = paths
        .iter()
        .map(|p| node_of(&p.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    assert_eq!(
        nodes,
        [Some("rules".to_string()), Some("output::feeds".to_string())]
    );
    let up = named_paths("use super::super::staging::Outputs;", &module);
    assert_eq!(up, [["output", "staging", "Outputs"]]);
    assert!(named_paths("let x = mycrate::load::y;", &module).is_empty());
    // And the graph it builds from src/ has the edges the code really has.
    let graph = import_graph();
    assert!(graph["cmd"].contains_key("pipeline"));
    assert!(graph["output::site"].contains_key("output::staging"));
    assert!(graph["rules"].contains_key("schedule"));
    assert!(!graph["schedule"].contains_key("rules"));
}
