//! Schema-only value types: the formats of docs/data-format.md#values (dates, times,
//! durations, ids, enums) as JSON Schema, for the loader's raw types to name in
//! `#[schemars(with = …)]`. The loader keeps these values as spanned strings and parses
//! them in `convert`; the allowed values below come from the same constants and
//! registries it uses.

use crate::finding::RuleId;
use crate::load::IMPACTS;
use crate::load::raw::{RawBlock, RawWindow};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use std::borrow::Cow;

/// The id pattern (docs/data-format.md#values).
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,62}$";

/// A severity word: what a Prometheus `severity` label usually holds.
pub const SEVERITY_PATTERN: &str = "^[A-Za-z0-9_-]{1,63}$";

/// A string value with a pattern or a list of allowed values, a description and examples.
macro_rules! string_value {
    ($(#[$doc:meta])* $name:ident, $description:expr, $constraint:ident = $value:expr, examples = [$($example:expr),* $(,)?]) => {
        $(#[$doc])*
        pub struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let mut schema = json_schema!({
                    "type": "string",
                    "description": $description,
                    "examples": [$($example),*],
                });
                schema.insert(stringify!($constraint).into(), serde_json::json!($value));
                schema
            }
        }
    };
}

string_value!(
    /// A person, rota, alert or service id.
    Id,
    "An id: lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters (ids become file names and URLs).",
    pattern = ID_PATTERN,
    examples = ["alice"]
);

string_value!(
    /// A runbook slug: the path under `runbooks/` without `.md`.
    Slug,
    "A runbook slug: the path under runbooks/ without .md (runbooks/db/failover.md is db/failover); each segment is an id.",
    pattern = "^[a-z0-9][a-z0-9-]{0,62}(/[a-z0-9][a-z0-9-]{0,62})*$",
    examples = ["site-down", "db/failover"]
);

string_value!(
    /// A file size, as in `limits:`.
    Size,
    "A size: a whole number of bytes, or with KB, MB or GB (powers of 1024), from 1 byte to 1GB.",
    pattern = "^[0-9]+ ?(B|K|KB|KiB|M|MB|MiB|G|GB|GiB)?$",
    examples = ["4MB", "512KB"]
);

string_value!(
    /// `YYYY-MM-DD`.
    Date,
    "A date, YYYY-MM-DD.",
    pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    examples = ["2026-12-23"]
);

string_value!(
    /// `HH:MM`, `24:00` allowed as an end.
    LocalTime,
    "A local time HH:MM in the rota's time zone; 24:00 is allowed as the end of a window. Quote it (\"10:00\") so that every YAML reader sees a string.",
    pattern = "^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)$",
    examples = ["10:00", "24:00"]
);

string_value!(
    /// `HH:MM`, a time of day (no `24:00`).
    TimeOfDay,
    "A local time of day HH:MM (00:00 for midnight; 24:00 is not a time of day).",
    pattern = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$",
    examples = ["10:00"]
);

string_value!(
    /// `YYYY-MM-DDTHH:MM` local, or RFC 3339 with an offset.
    DateTime,
    "A date-time: YYYY-MM-DDTHH:MM in local time (the rota's time zone, or config.timezone outside rotas), or RFC 3339 with an offset or Z.",
    pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)(Z|[+-][0-9]{2}:[0-9]{2})?$",
    examples = ["2026-12-23T10:00", "2026-12-23T10:00:00Z"]
);

/// The units [`crate::time::Duration::parse`] reads.
const DURATION_PATTERN: &str = "^ *[0-9]+ *(m|min|mins|minute|minutes|h|hour|hours|d|day|days|w|week|weeks|mo|month|months) *$";

string_value!(
    /// A duration: a whole number and a unit.
    Duration,
    "A duration: a whole number and a unit: min/m (minutes), h, d, w, mo/month(s); long forms minute(s), hour(s), day(s), week(s).",
    pattern = DURATION_PATTERN,
    examples = ["5m", "12h", "1w", "13w", "6 months"]
);

string_value!(
    /// A turn length (`every`).
    TurnLength,
    "A turn length: whole hours that divide 24 (1, 2, 3, 4, 6, 8, 12 or 24 h), or whole days (d) or weeks (w), counted in local wall-clock time.",
    pattern = "^ *(0*(1|2|3|4|6|8|12|24) *(h|hour|hours)|0*[1-9][0-9]* *(d|day|days|w|week|weeks)) *$",
    examples = ["1w", "1d", "12h"]
);

string_value!(
    /// A duration of a day or more (`review_in`).
    LongDuration,
    "A period of days, weeks or months (d, w, mo/month(s), day(s), week(s)); units below a day are refused so that 6m is not read as six minutes.",
    pattern = "^ *[0-9]+ *(d|day|days|w|week|weeks|mo|month|months) *$",
    examples = ["6 months", "13w", "90d"]
);

string_value!(
    /// `primary`, `rota:ID` or `person:ID`.
    NotifyTarget,
    "Who is notified at this level: a position of this rota (primary), another rota's own chain (rota:ID) or one person (person:ID).",
    pattern = "^((rota|person):)?[A-Za-z0-9][A-Za-z0-9 _-]*$",
    examples = ["primary", "secondary", "rota:second-line"]
);

string_value!(
    /// `out-of-hours` or `in-hours`.
    RotaKind,
    "What the rota covers: out-of-hours (nights, weekends, holidays; members must opt in) or in-hours.",
    enum = ["out-of-hours", "in-hours"],
    examples = ["out-of-hours"]
);

string_value!(
    /// An alert's severity.
    Severity,
    "How bad it is: one of the words under `severities:` in rota/config.yaml (default critical, warning, info, or the older high, medium, low). Only the words that page out of hours may page an out-of-hours rota.",
    pattern = SEVERITY_PATTERN,
    examples = ["critical"]
);

string_value!(
    /// A severity word in `severities:`.
    SeverityWord,
    "A severity word as the alerts' `severity` label writes it: letters, digits, `_` and `-`, at most 63 characters.",
    pattern = SEVERITY_PATTERN,
    examples = ["critical"]
);

string_value!(
    /// A service's impact.
    Impact,
    "What harm an outage of the service does.",
    enum = IMPACTS,
    examples = [IMPACTS[0]]
);

string_value!(
    /// A rule level override.
    RuleLevel,
    "The level a rule's findings are capped at: error, warning or off.",
    enum = ["error", "warning", "off"],
    examples = ["warning"]
);

/// A person id, or null (a position left empty on purpose).
pub struct IdOrNull;

impl JsonSchema for IdOrNull {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "IdOrNull".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "null"],
            "pattern": ID_PATTERN,
            "description": "A person id, or null to leave the position empty on purpose.",
            "examples": ["bob", null],
        })
    }
}

/// A weekday `mon` … `sun`, or `holiday`.
pub struct Day;

impl JsonSchema for Day {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Day".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut days = Vec::new();
        let mut day = chrono::Weekday::Mon;
        for _ in 0..7 {
            days.push(crate::time::weekday_name(day));
            day = day.succ();
        }
        days.push("holiday");
        json_schema!({
            "type": "string",
            "description": "A weekday (mon … sun) or holiday (the dates in config `holidays`; mon … sun never match a holiday).",
            "enum": days,
            "examples": ["mon", "holiday"],
        })
    }
}

/// An IANA time-zone name.
pub struct TimeZone;

impl JsonSchema for TimeZone {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "TimeZone".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        json_schema!({
            "type": "string",
            "description": "An IANA time-zone name.",
            "enum": names,
            "examples": ["Europe/London"],
        })
    }
}

/// A fraction from 0 to 1.
pub struct Share;

impl JsonSchema for Share {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Share".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "A share of on-call time, a fraction from 0 to 1.",
            "examples": [0.5],
        })
    }
}

/// `rules:`: rule id → level.
pub struct RuleLevels;

impl JsonSchema for RuleLevels {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "RuleLevels".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        let description = format!(
            "Per-rule level overrides (rule id: error | warning | off). {} cannot be lowered.",
            RuleId::unlowerable("")
        );
        json_schema!({
            "type": "object",
            "description": description,
            "propertyNames": { "enum": ids },
            "additionalProperties": generator.subschema_for::<RuleLevel>(),
            "examples": [{ "back-to-back": "warning" }],
        })
    }
}

/// `hours:` — `always`, or a list of windows.
pub struct Hours;

impl JsonSchema for Hours {
    fn schema_name() -> Cow<'static, str> {
        "Hours".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "When this rota is on duty: `always` (24/7), or a list of { days, from, to } windows. A window with to <= from runs overnight into the next day and belongs to the day it starts on.",
            "oneOf": [
                { "const": "always" },
                { "type": "array", "items": generator.subschema_for::<RawWindow>() },
            ],
        })
    }
}

/// `rotation:` — one block, or a list of blocks.
pub struct Rotation;

impl JsonSchema for Rotation {
    fn schema_name() -> Cow<'static, str> {
        "Rotation".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let block = generator.subschema_for::<RawBlock>();
        // The first block has nothing to inherit from: it states `handover` and `every`.
        let mut first = RawBlock::json_schema(generator);
        if let Some(serde_json::Value::Array(required)) = first.get_mut("required") {
            required.extend(["handover".into(), "every".into()]);
        }
        json_schema!({
            "description": "The repeating pattern: one block, or a list of blocks, each applying from its start until the next block's start. A later block inherits every key it does not restate; the first states handover and every.",
            "oneOf": [
                first.clone(),
                { "type": "array", "minItems": 1, "prefixItems": [first], "items": block },
            ],
        })
    }
}
