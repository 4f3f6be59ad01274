//! Raw serde values → the typed model, every bad value a located finding.

use super::raw::*;
use super::yaml::Ctx;
use crate::finding::RuleId;
use crate::model::*;
use crate::source::{Loc, Sources};
use crate::time::{self, DateTimeSpec, Duration, LocalTime};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

pub const IMPACTS: [&str; 4] = [
    "danger-to-life",
    "justice-critical",
    "staff-safety",
    "public-access",
];

pub fn config(cx: &mut Ctx, raw: RawConfig) -> Config {
    let defaults = Config::default();
    let mut rules = std::collections::BTreeMap::new();
    for (rule, level) in raw.rules.unwrap_or_default() {
        let setting = match level.value.as_str() {
            "error" => Some(RuleLevelSetting::Error),
            "warning" => Some(RuleLevelSetting::Warning),
            "off" => Some(RuleLevelSetting::Off),
            other => {
                let loc = cx.loc(&level);
                cx.error(
                    loc,
                    format!("`{other}` is not a rule level: use error, warning or off"),
                );
                None
            }
        };
        if let Some(setting) = setting {
            rules.insert(rule, (setting, cx.loc(&level)));
        }
    }
    let policy = match &raw.policy {
        Some(p) => policy(cx, &p.value).apply(&defaults.policy),
        None => defaults.policy.clone(),
    };
    let calendar = raw
        .calendar
        .map(|c| CalendarConfig {
            reminder: cx.opt_value(&c.reminder, Duration::parse),
            secret_env: c.secret_env.map(|s| s.value),
        })
        .unwrap_or_default();
    let (edit_url, owner_url) = raw
        .site
        .map(|s| (s.edit_url, s.owner_url))
        .unwrap_or_default();
    let site = SiteConfig {
        edit_url: edit_url.and_then(|u| cx.value(&u, |s| absolute_url(s, "site.edit_url"))),
        owner_url: owner_url.and_then(|u| cx.value(&u, owner_url_pattern)),
    };
    let (holidays, holiday_names, holidays_loc) = holidays(cx, raw.holidays);
    Config {
        title: raw.title.map(|t| t.value).unwrap_or(defaults.title),
        base_url_loc: raw.base_url.as_ref().map(|b| cx.loc(b)),
        base_url: cx
            .opt_value(&raw.base_url, |s| absolute_url(s, "base_url"))
            .unwrap_or(defaults.base_url),
        timezone: zone(cx, &raw.timezone).unwrap_or(defaults.timezone),
        horizon: cx
            .opt_value(&raw.horizon, |s| at_most_five_years(s, "horizon"))
            .unwrap_or(defaults.horizon),
        policy,
        rules,
        calendar,
        site,
        holidays,
        holiday_names,
        holidays_loc,
        limits: limits(cx, raw.limits),
        alerting: raw.alerting.map(|a| alerting(cx, a)),
        severities: raw
            .severities
            .map(|s| severities(cx, s))
            .unwrap_or_default(),
        loc: Sources::file_start(cx.file),
    }
}

/// `holidays:`: the dates, the names of those that have one, and where the list is. A
/// bad date, an empty name or a date listed twice is a located finding (docs/data-format.md,
/// "holidays").
type Holidays = (
    BTreeSet<NaiveDate>,
    BTreeMap<NaiveDate, String>,
    Option<Loc>,
);

fn holidays(cx: &mut Ctx, raw: Option<Vec<S<RawHoliday>>>) -> Holidays {
    let mut dates = BTreeSet::new();
    let mut names = BTreeMap::new();
    let mut first_seen: BTreeMap<NaiveDate, Loc> = BTreeMap::new();
    let Some(raw) = raw else {
        return (dates, names, None);
    };
    let list_loc = raw.first().map(|h| cx.loc(h));
    for entry in &raw {
        let (date, name, loc) = match &entry.value {
            RawHoliday::Date(text) => {
                let loc = cx.loc(entry);
                match time::parse_date(text) {
                    Ok(date) => (date, None, loc),
                    Err(message) => {
                        cx.error(loc, message);
                        continue;
                    }
                }
            }
            RawHoliday::Named(named) => {
                let Some(date) = cx.value(&named.date, time::parse_date) else {
                    continue;
                };
                let name = named.name.value.trim();
                if name.is_empty() {
                    let loc = cx.loc(&named.name);
                    cx.error(
                        loc,
                        "a holiday's `name` is empty: name the day, or write the bare date",
                    );
                }
                let name = Some(name.to_string()).filter(|n| !n.is_empty());
                (date, name, cx.loc(&named.date))
            }
        };
        if let Some(first) = first_seen.get(&date) {
            cx.error(
                loc,
                format!(
                    "{date} is listed twice in `holidays` (first on line {}): keep one entry",
                    first.line
                ),
            );
            continue;
        }
        first_seen.insert(date, loc);
        dates.insert(date);
        if let Some(name) = name {
            names.insert(date, name);
        }
    }
    (dates, names, list_loc)
}

/// `severities:`: the team's words in order, each located; a word written twice, a bad
/// word, `every_hour` without `out_of_hours`, or an empty list is a located finding
/// (docs/data-format.md, "Severities"). Nothing usable: the default list.
fn severities(cx: &mut Ctx, raw: S<Vec<S<RawSeverity>>>) -> Severities {
    let list_loc = cx.loc(&raw);
    let mut levels: Vec<Severity> = Vec::new();
    let mut first_seen: BTreeMap<String, Loc> = BTreeMap::new();
    for entry in &raw.value {
        let (word, word_loc, out_of_hours, every_hour) = match &entry.value {
            RawSeverity::Word(word) => (word.clone(), cx.loc(entry), false, false),
            RawSeverity::Full(full) => {
                let every = full.every_hour.as_ref().is_some_and(|e| e.value);
                if let Some(ooh) = full.out_of_hours.as_ref().filter(|o| !o.value && every) {
                    let loc = cx.loc(ooh);
                    cx.error(
                        loc,
                        format!(
                            "severity `{}` must be covered at every hour (`every_hour: true`) but does not page out of hours: an alert that must reach someone at night pages out of hours",
                            full.name.value
                        ),
                    );
                }
                let ooh = full.out_of_hours.as_ref().is_some_and(|o| o.value);
                (full.name.value.clone(), cx.loc(&full.name), ooh, every)
            }
        };
        if let Err(message) = severity_word(&word) {
            cx.error(word_loc, message);
            continue;
        }
        if let Some(first) = first_seen.get(&word) {
            cx.error(
                word_loc,
                format!(
                    "severity `{word}` is listed twice in `severities` (first on line {}): keep one entry",
                    first.line
                ),
            );
            continue;
        }
        first_seen.insert(word.clone(), word_loc);
        let rank = u16::try_from(levels.len()).unwrap_or(u16::MAX - 1);
        levels.push(Severity::new(rank, &word, out_of_hours, every_hour));
    }
    if levels.is_empty() {
        if raw.value.is_empty() {
            cx.error(
                list_loc,
                "`severities` is empty: list the team's severity words, most severe first, e.g. `[{ name: critical, out_of_hours: true, every_hour: true }, warning, info]`, or leave the key out for that default",
            );
        }
        return Severities::default();
    }
    Severities {
        levels,
        loc: Some(list_loc),
    }
}

/// A severity word as a `severity` label writes it: ASCII letters, digits, `_`, `-`.
fn severity_word(word: &str) -> Result<(), String> {
    if word.is_empty()
        || word.len() > 63
        || !word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(format!(
            "`{word}` is not a severity word: use letters, digits, `_` and `-` (at most 63), as the alerts' `severity` label writes it"
        ));
    }
    if word == "none" {
        return Err(
            "`none` is what rota calls an alert without a severity: choose another word".into(),
        );
    }
    Ok(())
}

/// `limits:`, each key defaulted when absent or wrong (a located finding).
fn limits(cx: &mut Ctx, raw: Option<RawLimits>) -> Limits {
    let defaults = Limits::default();
    let Some(raw) = raw else {
        return defaults;
    };
    Limits {
        runbook: cx
            .opt_value(&raw.runbook, super::walk::parse_size)
            .unwrap_or(defaults.runbook),
        data_file: cx
            .opt_value(&raw.data_file, super::walk::parse_size)
            .unwrap_or(defaults.data_file),
    }
}

/// `alerting:`: globs and paths checked to stay in the repository, rota ids checked
/// for their pattern (whether the rotas exist is for resolve).
fn alerting(cx: &mut Ctx, raw: RawAlerting) -> AlertingConfig {
    use crate::alerting::settings::RawReceiverRotas;
    fn located(
        cx: &mut Ctx,
        s: &S,
        check: impl FnOnce(&str) -> Result<(), String>,
    ) -> Option<(String, Loc)> {
        let loc = cx.loc(s);
        cx.value(s, |v| check(v).map(|()| (v.to_string(), loc)))
    }
    let receivers = raw
        .receivers
        .unwrap_or_default()
        .into_iter()
        .map(|(name, rotas)| {
            let loc = cx.loc(&rotas);
            let ids = match &rotas.value {
                RawReceiverRotas::One(id) => {
                    let spanned = S::new(id.clone(), rotas.referenced, rotas.defined);
                    vec![cx.id(&spanned, "rota")]
                }
                RawReceiverRotas::Many(ids) => ids.iter().map(|id| cx.id(id, "rota")).collect(),
            };
            (name, (ids, loc))
        })
        .collect();
    AlertingConfig {
        rules: (raw.rules.unwrap_or_default().iter())
            .filter_map(|g| located(cx, g, |v| crate::alerting::files::glob(v).map(drop)))
            .collect(),
        alertmanager: raw
            .alertmanager
            .as_ref()
            .and_then(|p| located(cx, p, relative_path)),
        receivers,
        runbook_url: raw
            .runbook_url
            .as_ref()
            .and_then(|u| located(cx, u, |v| absolute_url(v, "alerting.runbook_url").map(drop))),
    }
}

/// `site.owner_url`: an absolute http(s) URL with `{owner}` in it.
fn owner_url_pattern(s: &str) -> Result<String, String> {
    let url = absolute_url(s, "site.owner_url")?;
    if url.contains("{owner}") {
        Ok(url)
    } else {
        Err(format!(
            "`site.owner_url` must say where the owner goes with `{{owner}}`, as in https://chat.example.com/channels/{{owner}}, not `{s}`"
        ))
    }
}

/// A path relative to the repository root that stays inside it.
fn relative_path(path: &str) -> Result<(), String> {
    if path.is_empty() || path.starts_with('/') || path.contains('\\') {
        return Err(format!(
            "`{path}` is not a path relative to the repository root (write it with `/`, without a leading `/`)"
        ));
    }
    if path.split('/').any(|s| s == "..") {
        return Err(format!(
            "`{path}` leads out of the repository (`..`): rota reads only the repository's own files"
        ));
    }
    Ok(())
}

/// A time zone: an IANA name, with "did you mean" for a near miss, and a warning for a
/// fixed-offset zone (`GMT`, `UTC`, `Etc/…`), whose clocks never change.
fn zone(cx: &mut Ctx, s: &S) -> Option<Tz> {
    let tz = cx.value(s, |name| {
        time::parse_tz(name).map_err(|e| {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
            match crate::finding::did_you_mean(name.trim(), names) {
                Some(near) => format!("{e}; did you mean `{near}`?"),
                None => e,
            }
        })
    })?;
    if let Some(instead) = fixed_offset_zone(tz.name()) {
        let loc = cx.loc(s);
        cx.findings.push(
            crate::finding::Finding::warning(
                RuleId::Parse,
                loc,
                format!(
                    "`{}` is a fixed-offset zone: its clocks never change for daylight saving, so handovers would drift an hour against the team's clocks for half the year",
                    tz.name()
                ),
            )
            .with_help(if instead.is_empty() {
                "name the team's place instead, like `Europe/London` or `America/New_York` (keep a fixed offset only if the team's clocks really never change)".to_string()
            } else {
                format!("name the place instead, e.g. `{instead}` (keep a fixed offset only if the team's clocks really never change)")
            }),
        );
    }
    Some(tz)
}

/// For a zone with a fixed offset from UTC, an IANA zone at that offset in winter whose
/// clocks change (a suggestion, not a certainty; `""` when there is no obvious one).
fn fixed_offset_zone(name: &str) -> Option<&'static str> {
    let offset_hours = match name {
        "GMT" | "UTC" | "UCT" | "Zulu" | "Universal" | "Greenwich" | "GMT0" | "GMT+0" | "GMT-0" => {
            0
        }
        "EST" => -5,
        "MST" => -7,
        "HST" => -10,
        _ => {
            let rest = name.strip_prefix("Etc/")?;
            match rest {
                "GMT" | "UTC" | "UCT" | "Zulu" | "Universal" | "Greenwich" | "GMT0" | "GMT+0"
                | "GMT-0" => 0,
                // POSIX signs: Etc/GMT-1 is one hour *ahead* of UTC.
                _ => -rest.strip_prefix("GMT")?.parse::<i32>().ok()?,
            }
        }
    };
    Some(match offset_hours {
        0 => "Europe/London",
        1 => "Europe/Paris",
        2 => "Europe/Helsinki",
        -4 => "America/Halifax",
        -5 => "America/New_York",
        -6 => "America/Chicago",
        -7 => "America/Denver",
        -8 => "America/Los_Angeles",
        -9 => "America/Anchorage",
        10 => "Australia/Sydney",
        12 => "Pacific/Auckland",
        _ => "",
    })
}

/// An absolute `http(s)` URL with a host, free of whitespace and control characters
/// (it is written into feeds and pages, where a line break would inject a line).
pub fn absolute_url(s: &str, key: &str) -> Result<String, String> {
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{key}` must be one URL without spaces or control characters (found {})",
            c.escape_default()
        ));
    }
    let host = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(host) if !host.is_empty() && !host.starts_with(':') && !host.contains('@') => {
            Ok(s.to_string())
        }
        _ => Err(format!(
            "`{key}` must be an absolute http(s) URL such as https://example.github.io/support/, not `{s}`"
        )),
    }
}

/// The longest look-ahead `horizon` and `plan_ahead` may ask for: five years.
const FIVE_YEARS_IN_DAYS: i64 = 5 * 365 + 2;

/// A look-ahead span: longer than five years is refused rather than computed.
fn at_most_five_years(text: &str, key: &str) -> Result<Duration, String> {
    let d = Duration::parse(text)?;
    if d.approx_minutes() > FIVE_YEARS_IN_DAYS * 24 * 60 {
        return Err(format!(
            "`{key}: {}` looks further ahead than 5 years; rota plans at most 5 years ahead (e.g. `13w` or `52w`)",
            text.trim()
        ));
    }
    Ok(d)
}

pub fn policy(cx: &mut Ctx, raw: &RawPolicy) -> PolicyOverrides {
    let share = |cx: &mut Ctx, s: &Option<S<f64>>| {
        s.as_ref().and_then(|s| {
            if (0.0..=1.0).contains(&s.value) {
                Some(s.value)
            } else {
                let loc = cx.loc(s);
                cx.error(
                    loc,
                    format!("a share is a fraction from 0 to 1, not {}", s.value),
                );
                None
            }
        })
    };
    PolicyOverrides {
        min_people: raw.min_people.as_ref().map(|v| v.value),
        ideal_people: raw.ideal_people.as_ref().map(|v| v.value),
        max_share: share(cx, &raw.max_share),
        ideal_share: share(cx, &raw.ideal_share),
        min_on_call: raw.min_on_call.as_ref().map(|v| v.value),
        plan_ahead: cx.opt_value(&raw.plan_ahead, |s| at_most_five_years(s, "plan_ahead")),
        ack_timeout: cx.opt_value(&raw.ack_timeout, Duration::parse),
        experienced_after: raw.experienced_after.as_ref().map(|v| v.value),
        max_consecutive_turns: raw.max_consecutive_turns.as_ref().map(|v| v.value),
        review_in: cx.opt_value(&raw.review_in, Duration::parse_days_or_longer),
        holiday_spread: raw.holiday_spread.as_ref().map(|v| v.value),
        weekend_spread: raw.weekend_spread.as_ref().map(|v| v.value),
        fairness_window: cx.opt_value(&raw.fairness_window, Duration::parse_days_or_longer),
    }
}

pub fn person(cx: &mut Ctx, raw: RawPerson) -> Person {
    Person {
        id: cx.id(&raw.id, "person").id,
        name: raw.name.value,
        roles: raw
            .roles
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.value)
            .collect(),
        opted_in: raw.opted_in.unwrap_or(false),
        vetted: cx.opt_value(&raw.vetted, time::parse_date),
        experienced: raw.experienced.unwrap_or(false),
        handle: raw.handle.map(|h| h.value),
        left: cx.opt_value(&raw.left, time::parse_date),
        loc: cx.loc(&raw.id),
    }
}

pub fn rota(cx: &mut Ctx, id: String, raw: RawRota, config: &Config) -> Rota {
    let file_start = Sources::file_start(cx.file);
    let kind = match raw.kind.value.as_str() {
        "out-of-hours" => RotaKind::OutOfHours,
        "in-hours" => RotaKind::InHours,
        other => {
            let loc = cx.loc(&raw.kind);
            cx.error(
                loc,
                format!("`{other}` is not a rota kind: use out-of-hours or in-hours"),
            );
            RotaKind::InHours
        }
    };
    let timezone: Tz = raw
        .timezone
        .as_ref()
        .and_then(|z| zone(cx, z))
        .unwrap_or(config.timezone);
    let hours = raw.hours.as_ref().map(|h| duty_hours(cx, &h.value));
    let default_positions: Option<Vec<Position>> = raw
        .positions
        .as_ref()
        .map(|ps| ps.iter().map(|p| position(cx, p)).collect());
    let blocks = match &raw.rotation {
        None => Vec::new(),
        Some(r) => match &r.value {
            RawRotation::One(b) => {
                let loc = cx.loc(r);
                blocks(cx, &[(b.as_ref(), loc)], default_positions)
            }
            RawRotation::Many(list) => {
                let with_locs: Vec<(&RawBlock, Loc)> =
                    list.iter().map(|b| (&b.value, cx.loc(b))).collect();
                if with_locs.is_empty() {
                    Vec::new()
                } else {
                    blocks(cx, &with_locs, default_positions)
                }
            }
        },
    };
    let overrides = raw
        .overrides
        .unwrap_or_default()
        .iter()
        .filter_map(|o| override_(cx, o, timezone))
        .collect();
    let escalation = raw.escalation.as_ref().map(|steps| {
        steps
            .value
            .iter()
            .filter_map(|s| {
                Some(EscalationStep {
                    after: cx.value(&s.value.after, Duration::parse)?,
                    after_loc: cx.loc(&s.value.after),
                    notify: EscalationTarget::parse(&s.value.notify.value),
                    notify_loc: cx.loc(&s.value.notify),
                })
            })
            .collect()
    });
    Rota {
        name: raw.name.map(|n| n.value).unwrap_or_else(|| id.clone()),
        id,
        file: cx.file,
        description: raw.description.map(|d| d.value).unwrap_or_default(),
        kind,
        kind_loc: cx.loc(&raw.kind),
        timezone,
        hours,
        hours_loc: raw.hours.as_ref().map(|h| cx.loc(h)).unwrap_or(file_start),
        blocks,
        policy: raw
            .policy
            .as_ref()
            .map(|p| policy(cx, &p.value))
            .unwrap_or_default(),
        policy_loc: raw.policy.as_ref().map(|p| cx.loc(p)),
        overrides,
        escalation_loc: raw
            .escalation
            .as_ref()
            .map(|e| cx.loc(e))
            .unwrap_or(file_start),
        escalation,
        loc: file_start,
    }
}

fn duty_hours(cx: &mut Ctx, raw: &RawHours) -> DutyHours {
    match raw {
        RawHours::Always => DutyHours::Always,
        RawHours::Windows(windows) => DutyHours::Windows(
            windows
                .iter()
                .filter_map(|w| {
                    let days = w
                        .value
                        .days
                        .iter()
                        .filter_map(|d| {
                            cx.value(d, |s| {
                                if s.trim() == "holiday" {
                                    Ok(DaySelector::Holiday)
                                } else {
                                    time::parse_weekday(s).map(DaySelector::Day)
                                }
                            })
                        })
                        .collect();
                    let from = cx.value(&w.value.from, LocalTime::parse_time_of_day);
                    let to = cx.value(&w.value.to, LocalTime::parse);
                    Some(DutyWindow {
                        days,
                        from: from?,
                        to: to?,
                        loc: cx.loc(w),
                    })
                })
                .collect(),
        ),
    }
}

fn position(cx: &mut Ctx, raw: &S<RawPosition>) -> Position {
    let p = &raw.value;
    Position {
        name: p.name.value.clone(),
        offset: p.offset.as_ref().map(|o| o.value).unwrap_or(0),
        members: p
            .members
            .as_ref()
            .map(|ms| ms.iter().map(|m| cx.reference(m)).collect()),
        role: p.role.as_ref().map(|r| cx.reference(r)),
        shadow: p.shadow.unwrap_or(false),
        loc: cx.loc(raw),
    }
}

/// Rotation blocks, each inheriting what it does not restate from the one before.
fn blocks(
    cx: &mut Ctx,
    raw: &[(&RawBlock, Loc)],
    default_positions: Option<Vec<Position>>,
) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    // Once a block is dropped for a bad value, later blocks cannot inherit from it:
    // their missing keys follow from that value and are not reported again.
    let mut dropped_a_block = false;
    for (b, loc) in raw {
        let prev = out.last();
        let Some(start) = cx.value(&b.start, time::parse_date) else {
            dropped_a_block = true;
            continue;
        };
        let handover = match &b.handover {
            Some(h) => cx.value(h, LocalTime::parse_time_of_day),
            None => prev.map(|p| p.handover),
        };
        let every = match &b.every {
            Some(e) => cx
                .value(e, |s| {
                    Duration::parse(s).and_then(TurnLength::from_duration)
                })
                .map(|every| (every, cx.loc(e))),
            None => prev.map(|p| (p.every, p.every_loc)),
        };
        let members = match &b.members {
            Some(ms) => ms.iter().map(|m| cx.reference(m)).collect(),
            None => prev.map(|p| p.members.clone()).unwrap_or_default(),
        };
        let positions = match &b.positions {
            Some(ps) => ps.iter().map(|p| position(cx, p)).collect(),
            None => prev
                .map(|p| p.positions.clone())
                .or_else(|| default_positions.clone())
                .unwrap_or_default(),
        };
        let (until, until_loc) = match &b.until {
            Some(u) => (cx.value(u, time::parse_date), Some(cx.loc(u))),
            None => (prev.and_then(|p| p.until), prev.and_then(|p| p.until_loc)),
        };
        if let Some(p) = prev
            && start <= p.start
        {
            cx.error(
                    cx.loc(&b.start),
                    format!(
                        "this rotation block starts on {start}, not after the block before it ({}): list blocks in date order",
                        p.start
                    ),
                );
            continue;
        }
        let (Some(handover), Some((every, every_loc))) = (handover, every) else {
            if !dropped_a_block && (b.handover.is_none() || b.every.is_none()) {
                cx.error(
                    *loc,
                    "the first rotation block needs `handover` (a local time) and `every` (the turn length)",
                );
            }
            dropped_a_block = true;
            continue;
        };
        if positions.is_empty() {
            cx.error(
                *loc,
                "no positions: list them under `positions:` (e.g. `- { name: primary }` and `- { name: secondary, offset: 1 }`)",
            );
            continue;
        }
        for p in &positions {
            if p.members.is_none() && members.is_empty() {
                cx.error(
                    p.loc,
                    format!(
                        "position `{}` has no members: give the block `members:` or the position its own list",
                        p.name
                    ),
                );
            }
        }
        let first = b.first.as_ref().map(|f| cx.reference(f));
        out.push(Block {
            start,
            handover,
            every,
            every_loc,
            members,
            positions,
            until,
            until_loc,
            first,
            loc: *loc,
        });
    }
    out
}

fn override_(cx: &mut Ctx, raw: &S<RawOverride>, tz: Tz) -> Option<Override> {
    let o = &raw.value;
    let from = cx.value(&o.from, DateTimeSpec::parse);
    let to = cx.value(&o.to, DateTimeSpec::parse);
    let (from, to) = (from?.resolve(tz), to?.resolve(tz));
    if to <= from {
        cx.error(
            cx.loc(&o.to),
            format!(
                "this override ends ({}) before it starts ({})",
                time::human(tz, to),
                time::human(tz, from)
            ),
        );
        return None;
    }
    let person_loc = cx.loc(&o.person);
    Some(Override {
        position: o.position.as_ref().map(|p| cx.reference(p)),
        from,
        to,
        from_loc: cx.loc(&o.from),
        person: o.person.value.as_ref().map(|p| Named {
            id: p.trim().to_string(),
            loc: person_loc,
        }),
        person_loc,
        replaces: o.replaces.as_ref().map(|r| cx.reference(r)),
        reason: o.reason.as_ref().map(|r| r.value.clone()),
        loc: cx.loc(raw),
    })
}

pub fn alert(cx: &mut Ctx, raw: &RawAlert, severities: &Severities) -> Option<Alert> {
    let severity = match &raw.severity {
        Some(s) => Some(cx.value(s, |w| severities.parse(w))?),
        None => None,
    };
    let mut unstated = Vec::new();
    if raw.summary.is_none() {
        unstated.push("summary");
    }
    if severity.is_none() {
        unstated.push("severity");
    }
    Some(Alert {
        id: cx.id(&raw.id, "alert").id,
        summary: raw
            .summary
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        service: raw.service.as_ref().map(|s| cx.reference(s)),
        severity: severity.unwrap_or(Severity::UNSTATED),
        severity_loc: match &raw.severity {
            Some(s) => cx.loc(s),
            None => cx.loc(&raw.id),
        },
        pages: raw
            .pages
            .iter()
            .flatten()
            .map(|p| cx.reference(p))
            .collect(),
        runbook: raw.runbook.as_ref().map(|r| cx.reference(r)),
        loc: cx.loc(&raw.id),
        rule: None,
        unstated,
    })
}

pub fn service(cx: &mut Ctx, raw: &RawService) -> Service {
    let impact = raw
        .impact
        .iter()
        .flatten()
        .filter_map(|i| {
            cx.value(i, |s| {
                if IMPACTS.contains(&s) {
                    Ok(s.to_string())
                } else {
                    Err(format!(
                        "`{s}` is not an impact: use {}",
                        IMPACTS.join(", ")
                    ))
                }
            })
        })
        .collect();
    Service {
        id: cx.id(&raw.id, "service").id,
        name: raw.name.value.clone(),
        impact,
        out_of_hours: raw.out_of_hours.unwrap_or(false),
        rota: raw.rota.as_ref().map(|r| cx.reference(r)),
        loc: cx.loc(&raw.id),
    }
}

pub fn leave(cx: &mut Ctx, raw: &S<RawLeave>) -> Option<LeaveEntry> {
    let l = &raw.value;
    let from = cx.value(&l.from, time::parse_date);
    let to = cx.value(&l.to, time::parse_date);
    let (from, to) = (from?, to?);
    if to < from {
        cx.error(
            cx.loc(&l.to),
            format!("this leave ends ({to}) before it starts ({from})"),
        );
        return None;
    }
    Some(LeaveEntry {
        person: cx.reference(&l.person),
        from,
        to,
        note: l.note.as_ref().map(|n| n.value.clone()),
        loc: cx.loc(raw),
    })
}

pub fn page(cx: &mut Ctx, raw: &S<RawPage>, tz: Tz) -> Option<PageEntry> {
    let p = &raw.value;
    let at = cx.value(&p.at, DateTimeSpec::parse)?.resolve(tz);
    let worked = match &p.worked {
        Some(w) => cx.value(w, |s| {
            let d = Duration::parse(s)?;
            if d.fixed().is_none() {
                return Err(format!("`{s}`: give time worked in minutes or hours"));
            }
            Ok(d)
        })?,
        None => Duration::Minutes(0),
    };
    Some(PageEntry {
        at,
        person: cx.reference(&p.person),
        alert: cx.reference(&p.alert),
        woke: p.woke.unwrap_or(false),
        worked,
        loc: cx.loc(raw),
    })
}

#[cfg(test)]
mod tests {
    use super::absolute_url;

    #[test]
    fn only_absolute_http_urls_without_line_breaks_pass() {
        for good in [
            "https://example.github.io/support/",
            "http://localhost:8000/",
            "https://example.com",
        ] {
            assert!(absolute_url(good, "base_url").is_ok(), "{good}");
        }
        for bad in [
            "/support/",
            "example.com/support/",
            "ftp://example.com/",
            "javascript:alert(1)",
            "https:///path",
            "https://example.com/\r\nATTACH:http://evil/",
            "https://exa mple.com/",
            "https://user@example.com/",
            "",
        ] {
            assert!(absolute_url(bad, "base_url").is_err(), "{bad:?}");
        }
    }
}
