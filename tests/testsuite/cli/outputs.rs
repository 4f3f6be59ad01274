//! The JSON outputs without a published schema (`rota alerts`, `rota route`) are written
//! from the types in `rota::output::json`, whose schemas say exactly which fields an
//! object has: every field written is described, and every required one is written.

use crate::common::*;
use serde_json::Value;

/// `rota --root <the example> --today TODAY ARGS…`, parsed.
fn example_json(args: &[&str]) -> Value {
    let out = assert_cmd::Command::cargo_bin("rota")
        .expect("binary")
        .args(["--root", env!("CARGO_MANIFEST_DIR"), "--today", TODAY])
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The object schema `schema` names (following a `$ref` into `root`'s definitions).
fn object<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().expect("a name");
            ["$defs", "definitions"]
                .iter()
                .find_map(|defs| root.get(defs).and_then(|d| d.get(name)))
                .unwrap_or_else(|| panic!("no definition {r}"))
        }
        None => schema,
    }
}

/// The fields of `value` and of the schema's object agree: none undescribed, none
/// required missing.
fn same_fields(what: &str, root: &Value, schema: &Value, value: &Value) {
    let schema = object(root, schema);
    let properties = schema["properties"].as_object().expect("properties");
    let fields = value.as_object().expect("an object");
    for key in fields.keys() {
        assert!(
            properties.contains_key(key),
            "{what}: `{key}` is not described"
        );
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        let key = required.as_str().expect("a name");
        assert!(
            fields.contains_key(key),
            "{what}: `{key}` is required but not written"
        );
    }
}

#[test]
fn rota_alerts_writes_what_its_type_describes() {
    let root = serde_json::to_value(schemars::schema_for!(rota::output::json::AlertsOutput))
        .expect("schema");
    let out = example_json(&["alerts", "--format", "json"]);
    same_fields("alerts", &root, &root, &out);
    let alerts = out["alerts"].as_array().expect("alerts");
    assert!(alerts.len() > 3, "the example's catalogue");
    let entry = &root["properties"]["alerts"]["items"];
    for alert in alerts {
        same_fields("an alert", &root, entry, alert);
    }
}

#[test]
fn rota_route_writes_what_its_type_describes() {
    let root = serde_json::to_value(schemars::schema_for!(rota::output::json::RouteOutput))
        .expect("schema");
    let out = example_json(&["route", "--format", "json", "severity=critical"]);
    same_fields("route", &root, &root, &out);
    let receivers = out["receivers"].as_array().expect("receivers");
    assert!(!receivers.is_empty(), "a critical alert reaches someone");
    let receiver = &root["properties"]["receivers"]["items"];
    for r in receivers {
        same_fields("a receiver", &root, receiver, r);
    }
}
