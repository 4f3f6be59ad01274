//! An Alertmanager configuration file (or a Kubernetes Secret carrying one as
//! `alertmanager.yaml`) loaded into a routing tree, its receivers and its time
//! intervals, every mistake a located finding (docs/alerting.md, "Alertmanager").
//! Keys that do not affect routing (`global`, `inhibit_rules`, `templates`, the
//! receivers' integrations, …) are accepted and ignored; unknown keys are refused, as
//! Alertmanager refuses them.

use crate::finding::{Finding, RuleId};
use crate::load::yaml::{self, Ctx};
use crate::model::alerting::duration::parse_duration;
use crate::model::alerting::interval::{self, TimeInterval};
use crate::model::alerting::matcher::{self, MatchType, Matcher};
use crate::model::alerting::{AlertmanagerConfig, Route};
use crate::source::{FileId, Loc, Sources};
use base64::Engine as _;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

type S<T = String> = Spanned<T>;

/// A loaded configuration (none when the file could not be read as one) and the
/// findings of loading it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Option<AlertmanagerConfig>,
    pub findings: Vec<Finding>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[allow(dead_code)]
    global: Option<IgnoredAny>,
    route: Option<S<RawRoute>>,
    receivers: Option<Vec<S<RawReceiver>>>,
    #[allow(dead_code)]
    inhibit_rules: Option<IgnoredAny>,
    #[allow(dead_code)]
    templates: Option<IgnoredAny>,
    time_intervals: Option<Vec<S<RawNamedInterval>>>,
    mute_time_intervals: Option<Vec<S<RawNamedInterval>>>,
    #[allow(dead_code)]
    tracing: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    receiver: Option<S>,
    group_by: Option<Vec<S>>,
    #[serde(rename = "continue")]
    continue_matching: Option<bool>,
    matchers: Option<Vec<S>>,
    #[serde(rename = "match")]
    match_equal: Option<BTreeMap<String, S>>,
    match_re: Option<BTreeMap<String, S>>,
    routes: Option<Vec<S<RawRoute>>>,
    group_wait: Option<S>,
    group_interval: Option<S>,
    repeat_interval: Option<S>,
    mute_time_intervals: Option<Vec<S>>,
    active_time_intervals: Option<Vec<S>>,
}

/// A receiver: only its name matters here; its integrations are ignored.
#[derive(Deserialize)]
struct RawReceiver {
    name: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNamedInterval {
    name: S,
    time_intervals: Option<Vec<S<RawTimeInterval>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeInterval {
    times: Option<Vec<S<RawTimeRange>>>,
    weekdays: Option<Vec<S>>,
    days_of_month: Option<Vec<S>>,
    months: Option<Vec<S>>,
    years: Option<Vec<S>>,
    location: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeRange {
    start_time: Option<S>,
    end_time: Option<S>,
}

/// Just enough of any document to tell a Kubernetes Secret from a plain configuration.
#[derive(Deserialize)]
struct KindProbe {
    kind: Option<String>,
}

/// A Kubernetes Secret (only its data matters).
#[derive(Deserialize)]
struct RawSecret {
    #[serde(rename = "stringData")]
    string_data: Option<BTreeMap<String, S>>,
    data: Option<BTreeMap<String, S>>,
}

/// The key of a Secret that holds the configuration (as the Prometheus Operator names it).
pub const SECRET_KEY: &str = "alertmanager.yaml";

const HELP: &str = "see docs/alerting.md for what rota reads of an Alertmanager configuration";

/// Loads the Alertmanager configuration `text` of the file `file`.
pub fn load(file: FileId, text: &str) -> Loaded {
    let mut findings = Vec::new();
    if yaml::is_blank(text) {
        findings.push(
            Finding::error(
                RuleId::Parse,
                Sources::file_start(file),
                "this Alertmanager configuration is empty: it needs at least a `route` with a `receiver`, and `receivers`",
            )
            .with_help(HELP),
        );
        return Loaded {
            config: None,
            findings,
        };
    }
    let probe = match yaml::parse::<KindProbe>(0, file, text) {
        Ok(p) => p,
        Err(f) => {
            findings.push(f.with_help(HELP));
            return Loaded {
                config: None,
                findings,
            };
        }
    };
    if probe.kind.as_deref() == Some("Secret") {
        return from_secret(file, text);
    }
    let config = parse_config(file, text, 0, &mut findings);
    Loaded { config, findings }
}

fn parse_config(
    file: FileId,
    text: &str,
    line_offset: u32,
    findings: &mut Vec<Finding>,
) -> Option<AlertmanagerConfig> {
    let raw = match yaml::parse::<RawConfig>(line_offset, file, text) {
        Ok(raw) => raw,
        Err(f) => {
            findings.push(f.with_help(HELP));
            return None;
        }
    };
    let mut cx = Ctx {
        file,
        line_offset,
        findings,
    };
    convert(&mut cx, raw)
}

/// The configuration inside a Secret's `stringData` or (base64) `data`. Findings inside
/// a `stringData` block (`|`) point at the line itself; others at the key's value.
fn from_secret(file: FileId, text: &str) -> Loaded {
    let mut findings = Vec::new();
    let secret = match yaml::parse::<RawSecret>(0, file, text) {
        Ok(s) => s,
        Err(f) => {
            findings.push(f.with_help(HELP));
            return Loaded {
                config: None,
                findings,
            };
        }
    };
    let cx = Ctx {
        file,
        line_offset: 0,
        findings: &mut findings,
    };
    let in_string_data = secret.string_data.as_ref().and_then(|d| d.get(SECRET_KEY));
    let in_data = secret.data.as_ref().and_then(|d| d.get(SECRET_KEY));
    let (value, decoded) = match (in_string_data, in_data) {
        (Some(v), _) => (v, None),
        (None, Some(v)) => {
            let cleaned: String = v.value.chars().filter(|c| !c.is_whitespace()).collect();
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(cleaned.as_bytes())
                .map_err(|e| format!("`data.{SECRET_KEY}` is not base64: {e}"))
                .and_then(|bytes| {
                    String::from_utf8(bytes)
                        .map_err(|_| format!("`data.{SECRET_KEY}` does not decode to UTF-8 text"))
                });
            match decoded {
                Ok(text) => (v, Some(text)),
                Err(message) => {
                    let loc = cx.loc(v);
                    findings.push(Finding::error(RuleId::Parse, loc, message).with_help(HELP));
                    return Loaded {
                        config: None,
                        findings,
                    };
                }
            }
        }
        (None, None) => {
            let mut keys: Vec<&String> = secret
                .string_data
                .iter()
                .chain(secret.data.iter())
                .flat_map(|d| d.keys())
                .collect();
            keys.sort();
            let has = if keys.is_empty() {
                "has no keys".to_string()
            } else {
                format!(
                    "has only {}",
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            // At the first key it has (where the configuration was meant to be).
            let at = secret
                .string_data
                .iter()
                .chain(secret.data.iter())
                .flat_map(|d| d.values())
                .next()
                .map_or(Sources::file_start(file), |v| cx.loc(v));
            findings.push(
                Finding::error(
                    RuleId::Parse,
                    at,
                    format!(
                        "this Secret carries no `{SECRET_KEY}` in `stringData` or `data` (it {has})"
                    ),
                )
                .with_help("Alertmanager (and the Prometheus Operator) read the configuration from the key `alertmanager.yaml`"),
            );
            return Loaded {
                config: None,
                findings,
            };
        }
    };
    let key_loc = cx.loc(value);
    let mut inner = Vec::new();
    let config = match &decoded {
        Some(text) => parse_config(file, text, 0, &mut inner),
        None => parse_config(file, &value.value, 0, &mut inner),
    };
    // A block scalar's lines stand in the file, shifted by its first line and indent;
    // anything else (a quoted string, base64) is located at the value itself.
    let block = decoded.is_none() && is_block_scalar(text, key_loc, &value.value);
    for mut f in inner {
        if block {
            f.message = format!("(in `{SECRET_KEY}`) {}", f.message);
            f.loc.line += key_loc.line - 1;
            f.loc.column += key_loc.column - 1;
        } else {
            f.message = format!(
                "line {}, column {} of `{SECRET_KEY}`: {}",
                f.loc.line, f.loc.column, f.message
            );
            f.loc = key_loc;
        }
        findings.push(f);
    }
    Loaded { config, findings }
}

/// Whether the value located at `loc` is written as a block scalar whose first line
/// starts there (so that its lines map one to one onto the file's).
fn is_block_scalar(text: &str, loc: Loc, value: &str) -> bool {
    let Some(line) = text.lines().nth(loc.line.saturating_sub(1) as usize) else {
        return false;
    };
    let from: String = line.chars().skip(loc.column as usize - 1).collect();
    let first = value.lines().next().unwrap_or("");
    value.contains('\n') && from.trim_end() == first.trim_end()
}

fn convert(cx: &mut Ctx, raw: RawConfig) -> Option<AlertmanagerConfig> {
    let mut receivers: Vec<(String, Loc)> = Vec::new();
    for r in raw.receivers.iter().flatten() {
        match &r.value.name {
            Some(name) if !name.value.is_empty() => {
                let loc = cx.loc(name);
                if receivers.iter().any(|(n, _)| *n == name.value) {
                    cx.error(
                        loc,
                        format!(
                            "the receiver `{}` is defined twice: names must be unique",
                            name.value
                        ),
                    );
                } else {
                    receivers.push((name.value.clone(), loc));
                }
            }
            _ => {
                let loc = cx.loc(r);
                cx.error(loc, "this receiver has no `name`");
            }
        }
    }
    let mut time_intervals = BTreeMap::new();
    for named in raw
        .time_intervals
        .iter()
        .flatten()
        .chain(raw.mute_time_intervals.iter().flatten())
    {
        let loc = cx.loc(&named.value.name);
        let name = named.value.name.value.clone();
        if name.is_empty() {
            cx.error(loc, "this time interval has an empty `name`");
            continue;
        }
        if time_intervals.contains_key(&name) {
            cx.error(loc, format!("the time interval `{name}` is defined twice"));
            continue;
        }
        let entries = named
            .value
            .time_intervals
            .iter()
            .flatten()
            .map(|t| time_interval(cx, &t.value))
            .collect();
        time_intervals.insert(name, entries);
    }
    let Some(root) = &raw.route else {
        cx.error(
            Sources::file_start(cx.file),
            "this Alertmanager configuration has no `route`: every alert needs a root route with a `receiver`",
        );
        return None;
    };
    let names = Names {
        receivers: &receivers,
        intervals: &time_intervals,
    };
    let root = route(cx, root, None, &names)?;
    Some(AlertmanagerConfig {
        root,
        receivers,
        time_intervals,
    })
}

/// What a route may refer to.
struct Names<'a> {
    receivers: &'a [(String, Loc)],
    intervals: &'a BTreeMap<String, Vec<TimeInterval>>,
}

fn time_interval(cx: &mut Ctx, raw: &RawTimeInterval) -> TimeInterval {
    fn each<T>(
        cx: &mut Ctx,
        list: &Option<Vec<S>>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<Vec<T>> {
        list.as_ref()
            .map(|l| l.iter().filter_map(|s| cx.value(s, &parse)).collect())
    }
    let times = raw.times.as_ref().map(|ts| {
        ts.iter()
            .filter_map(|t| match (&t.value.start_time, &t.value.end_time) {
                (Some(s), Some(e)) => {
                    let loc = cx.loc(s);
                    interval::time_range(&s.value, &e.value)
                        .map_err(|m| cx.error(loc, m))
                        .ok()
                }
                _ => {
                    let loc = cx.loc(t);
                    cx.error(loc, "both `start_time` and `end_time` must be given");
                    None
                }
            })
            .collect()
    });
    TimeInterval {
        times,
        weekdays: each(cx, &raw.weekdays, interval::weekday_range),
        days_of_month: each(cx, &raw.days_of_month, interval::day_of_month_range),
        months: each(cx, &raw.months, interval::month_range),
        years: each(cx, &raw.years, interval::year_range),
        location: cx.opt_value(&raw.location, interval::location),
    }
}

fn route(
    cx: &mut Ctx,
    raw: &S<RawRoute>,
    parent: Option<(&str, Loc)>,
    names: &Names,
) -> Option<Route> {
    let r = &raw.value;
    let loc = cx.loc(raw);
    let is_root = parent.is_none();
    let mut matchers: Vec<Matcher> = Vec::new();
    for (name, value) in r.match_equal.iter().flatten() {
        let vloc = cx.loc(value);
        match label_matcher(MatchType::Equal, name, &value.value) {
            Ok(m) => matchers.push(m),
            Err(e) => cx.error(vloc, e),
        }
    }
    for (name, value) in r.match_re.iter().flatten() {
        let vloc = cx.loc(value);
        match label_matcher(MatchType::Regexp, name, &value.value) {
            Ok(m) => matchers.push(m),
            Err(e) => cx.error(vloc, e),
        }
    }
    for line in r.matchers.iter().flatten() {
        if let Some(ms) = cx.value(line, matcher::parse_matchers) {
            matchers.extend(ms);
        }
    }
    for d in [&r.group_wait, &r.group_interval, &r.repeat_interval] {
        cx.opt_value(d, parse_duration);
    }
    for label in r.group_by.iter().flatten() {
        if label.value != "..." && !matcher::is_label_name(&label.value) {
            let l = cx.loc(label);
            cx.error(
                l,
                format!("`{}` is not a label name to group by", label.value),
            );
        }
    }
    if is_root {
        if r.match_equal.is_some() || r.match_re.is_some() || r.matchers.is_some() {
            cx.error(
                loc,
                "the root route must not have matchers: it receives every alert",
            );
        }
        if r.mute_time_intervals.is_some() || r.active_time_intervals.is_some() {
            cx.error(
                loc,
                "the root route cannot have mute or active time intervals",
            );
        }
    }
    let (receiver, receiver_loc) = match (&r.receiver, parent) {
        (Some(own), _) if !own.value.is_empty() => {
            let rloc = cx.loc(own);
            if !names.receivers.iter().any(|(n, _)| *n == own.value) {
                let known = names.receivers.iter().map(|(n, _)| n.as_str());
                let near = crate::finding::did_you_mean(&own.value, known)
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                cx.error(
                    rloc,
                    format!(
                        "`{}` is not a receiver defined under `receivers`{near}",
                        own.value
                    ),
                );
            }
            (own.value.clone(), rloc)
        }
        (_, Some((inherited, at))) => (inherited.to_string(), at),
        (_, None) => {
            cx.error(
                loc,
                "the root route must name a `receiver`: alerts no other route takes go there",
            );
            return None;
        }
    };
    let mut intervals = |list: &Option<Vec<S>>| -> Vec<String> {
        let mut out = Vec::new();
        for name in list.iter().flatten() {
            if !names.intervals.contains_key(&name.value) {
                let l = cx.loc(name);
                cx.error(
                    l,
                    format!(
                        "`{}` is not a time interval defined under `time_intervals`",
                        name.value
                    ),
                );
            }
            out.push(name.value.clone());
        }
        out
    };
    let active_time_intervals = intervals(&r.active_time_intervals);
    let mute_time_intervals = intervals(&r.mute_time_intervals);
    let routes = r
        .routes
        .iter()
        .flatten()
        .filter_map(|child| route(cx, child, Some((&receiver, receiver_loc)), names))
        .collect();
    Some(Route {
        receiver,
        receiver_loc,
        matchers,
        continue_matching: r.continue_matching.unwrap_or(false),
        routes,
        active_time_intervals,
        mute_time_intervals,
        loc,
    })
}

/// A `match` or `match_re` entry: the key must be a label name.
fn label_matcher(kind: MatchType, name: &str, value: &str) -> Result<Matcher, String> {
    if !matcher::is_label_name(name) {
        return Err(format!("`{name}` is not a valid label name"));
    }
    Matcher::new(kind, name, value)
}
