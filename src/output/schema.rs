//! JSON Schemas of the data files (docs/data-format.md) and of the JSON outputs
//! (docs/commands.md#json-outputs), generated with schemars from the loader's own raw
//! serde types, so a key the loader accepts is a key the schema documents
//! (`tests/testsuite/cli/tools.rs` checks both directions). Draft 7: the version editors' YAML plugins
//! fully support.

use crate::load::raw::{
    RawAlert, RawConfig, RawFrontMatter, RawLeave, RawPage, RawPerson, RawRota, RawService,
};
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema};
use std::collections::BTreeMap;

/// One schema: a kind of file (or output), its file name and what it describes.
pub struct SchemaKind {
    /// The name `rota schema KIND` takes, e.g. `people`.
    pub kind: &'static str,
    /// The file it is published as, e.g. `people.schema.json`.
    pub file_name: &'static str,
    /// The files (glob under the data repository) or the output it describes.
    pub describes: &'static str,
    generate: fn() -> Schema,
}

impl SchemaKind {
    /// The schema as a JSON value.
    pub fn schema(&self) -> Schema {
        let mut schema = (self.generate)();
        schema.insert("title".into(), format!("rota: {}", self.describes).into());
        schema
    }

    /// The schema as pretty-printed JSON text, ending in a newline.
    pub fn text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.schema()).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Whether it describes a data file (as opposed to a JSON output).
    pub fn is_data(&self) -> bool {
        !self.describes.starts_with("rota ") && !self.describes.starts_with("api/")
    }
}

/// Every schema, data files first, then outputs.
pub const KINDS: &[SchemaKind] = &[
    data::<RawConfig>("config", "config.schema.json", "rota/config.yaml"),
    data::<Vec<RawPerson>>("people", "people.schema.json", "rota/people.yaml"),
    data::<RawRota>("rota", "rota.schema.json", "rota/rotas/*.yaml"),
    data::<Vec<RawAlert>>("alerts", "alerts.schema.json", "rota/alerts/*.yaml"),
    data::<Vec<RawService>>("services", "services.schema.json", "rota/services.yaml"),
    data::<Vec<RawLeave>>("leave", "leave.schema.json", "rota/leave.yaml"),
    data::<Vec<RawPage>>("pages", "pages.schema.json", "rota/pages/*.yaml"),
    data::<RawFrontMatter>(
        "runbook",
        "runbook.schema.json",
        "runbooks/**/*.md (front matter)",
    ),
    output_kind::<super::json::CheckOutput>(
        "check",
        "check.schema.json",
        "rota check --format json",
    ),
    output_kind::<super::json::NowOutput>("now", "now.schema.json", "rota now --format json"),
    output_kind::<Vec<super::json::ShiftOutput>>(
        "shifts",
        "shifts.schema.json",
        "rota shifts --format json",
    ),
    output_kind::<super::json::ReportOutput>(
        "report",
        "report.schema.json",
        "rota report --format json",
    ),
    output_kind::<super::json::ToilOutput>("toil", "toil.schema.json", "rota toil --format json"),
    output_kind::<super::json::ReviewOutput>(
        "review",
        "review.schema.json",
        "rota review --format json",
    ),
    output_kind::<super::json::AlertsOutput>(
        "catalogue",
        "catalogue.schema.json",
        "rota alerts --format json",
    ),
    output_kind::<super::json::RouteOutput>(
        "route",
        "route.schema.json",
        "rota route --format json",
    ),
    output_kind::<crate::schedule::oncall::OnCallApi>(
        "oncall",
        "oncall.schema.json",
        "api/oncall.json",
    ),
];

const fn data<T: JsonSchema>(
    kind: &'static str,
    file_name: &'static str,
    describes: &'static str,
) -> SchemaKind {
    SchemaKind {
        kind,
        file_name,
        describes,
        generate: generate::<T>,
    }
}

const fn output_kind<T: JsonSchema>(
    kind: &'static str,
    file_name: &'static str,
    describes: &'static str,
) -> SchemaKind {
    SchemaKind {
        kind,
        file_name,
        describes,
        generate: generate_output::<T>,
    }
}

fn generate<T: JsonSchema>() -> Schema {
    let mut settings = SchemaSettings::draft07().for_deserialize();
    settings
        .transforms
        .push(Box::new(RecursiveTransform(enum_allows_null)));
    settings.into_generator().into_root_schema_for::<T>()
}

/// An optional key may be written empty (`key:`, YAML null), which the loader reads as
/// absent; where its schema lists allowed values, null is one of them.
fn enum_allows_null(schema: &mut Schema) {
    let null = serde_json::Value::from("null");
    let nullable = match schema.get("type") {
        Some(serde_json::Value::Array(types)) => types.contains(&null),
        Some(t) => *t == null,
        None => false,
    };
    if !nullable {
        return;
    }
    if let Some(serde_json::Value::Array(values)) = schema.get_mut("enum")
        && !values.contains(&serde_json::Value::Null)
    {
        values.push(serde_json::Value::Null);
    }
}

fn generate_output<T: JsonSchema>() -> Schema {
    SchemaSettings::draft07()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// The schema of one kind, if there is such a kind.
pub fn find(kind: &str) -> Option<&'static SchemaKind> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// Every schema: file name (like `rota.schema.json`) → JSON text. For the site's
/// `schema/` folder, `rota schema --out` and `rota init`. Made once per process (they
/// never change, and every build and `rota serve` rebuild writes them).
pub fn files() -> &'static BTreeMap<String, String> {
    static FILES: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        KINDS
            .iter()
            .map(|k| (k.file_name.to_string(), k.text()))
            .collect()
    })
}

/// The `yaml.schemas` mapping for VS Code's YAML extension (yaml-language-server): each
/// data file's schema under `schema_dir` (relative to the data repository) → the files
/// it describes. Runbook front matter is left out: the extension reads whole YAML files.
pub fn vscode_yaml_schemas(schema_dir: &str) -> serde_json::Value {
    let dir = schema_dir.trim_end_matches('/');
    let mapping: serde_json::Map<String, serde_json::Value> = KINDS
        .iter()
        .filter(|k| k.is_data() && k.describes.ends_with(".yaml"))
        .map(|k| (format!("{dir}/{}", k.file_name), k.describes.into()))
        .collect();
    serde_json::json!({ "yaml.schemas": mapping })
}

/// Where `rota init` writes the data files' schemas in a new repository.
pub const REPO_SCHEMA_DIR: &str = ".rota/schema";

/// The schema of a data file at `rel` (a path in a data repository), if editors can use
/// one: a glob of [`SchemaKind::describes`] matches it (`*` within one path segment).
pub fn for_data_file(rel: &str) -> Option<&'static SchemaKind> {
    KINDS
        .iter()
        .filter(|k| k.is_data() && k.describes.ends_with(".yaml"))
        .find(|k| glob_matches(k.describes, rel))
}

fn glob_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, f)| match p.split_once('*') {
                Some((head, tail)) => {
                    f.len() >= head.len() + tail.len() && f.starts_with(head) && f.ends_with(tail)
                }
                None => p == f,
            })
}

/// The yaml-language-server modeline for a data file at `rel`, pointing at its schema in
/// [`REPO_SCHEMA_DIR`] by a relative path (so it works offline and in any editor).
pub fn modeline(rel: &str) -> Option<String> {
    let kind = for_data_file(rel)?;
    let up = "../".repeat(rel.matches('/').count());
    Some(format!(
        "# yaml-language-server: $schema={up}{REPO_SCHEMA_DIR}/{}",
        kind.file_name
    ))
}

/// The editor set-up `rota init` writes: the data files' schemas, VS Code settings that
/// map them to the files, and a recommendation of the YAML extension that reads them.
pub fn editor_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = KINDS
        .iter()
        .filter(|k| k.is_data())
        .map(|k| (format!("{REPO_SCHEMA_DIR}/{}", k.file_name), k.text()))
        .collect();
    let pretty = |v: &serde_json::Value| {
        let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
        text.push('\n');
        text
    };
    files.push((
        ".vscode/settings.json".into(),
        pretty(&vscode_yaml_schemas(REPO_SCHEMA_DIR)),
    ));
    files.push((
        ".vscode/extensions.json".into(),
        pretty(&serde_json::json!({ "recommendations": ["redhat.vscode-yaml"] })),
    ));
    files
}
