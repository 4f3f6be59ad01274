//! The `alerting:` value of a receiver in `rota/config.yaml`: a rota id, a list of rota
//! ids, or `[]` for a receiver that pages nobody (docs/alerting.md).

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_saphyr::Spanned;
use std::borrow::Cow;

/// The rota ids a receiver pages, as written: one id (located by the span around this
/// value), or a list of ids each with its own location.
pub enum RawReceiverRotas {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for RawReceiverRotas {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawReceiverRotas;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rota id, a list of rota ids, or [] for a receiver that pages nobody")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawReceiverRotas, E> {
                Ok(RawReceiverRotas::One(s.to_string()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawReceiverRotas, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element()? {
                    ids.push(id);
                }
                Ok(RawReceiverRotas::Many(ids))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Schema of [`RawReceiverRotas`].
pub struct ReceiverRotas;

impl JsonSchema for ReceiverRotas {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "ReceiverRotas".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let id = crate::load::raw::value::ID_PATTERN;
        json_schema!({
            "description": "The rotas an Alertmanager receiver pages: a rota id, a list of rota ids, or [] for none.",
            "oneOf": [
                { "type": "string", "pattern": id },
                { "type": "array", "items": { "type": "string", "pattern": id } },
            ],
            "examples": ["out-of-hours", ["out-of-hours", "in-hours"], []],
        })
    }
}

/// Schema of `alerting.receivers`: receiver name → [`ReceiverRotas`].
pub struct ReceiverMap;

impl JsonSchema for ReceiverMap {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "ReceiverMap".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": "Alertmanager receiver name → the rota it pages, a list of rotas, or [] for none.",
            "additionalProperties": generator.subschema_for::<ReceiverRotas>(),
            "examples": [{ "pager-out-of-hours": "out-of-hours", "tickets": [] }],
        })
    }
}
