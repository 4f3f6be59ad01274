//! `rota/config.yaml` → [`Config`]: the settings, holidays, severities, limits, alerting
//! and policy, every bad value a located finding.

use super::*;

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
            secret_env: c.secret_env.map(|s| {
                let loc = cx.loc(&s);
                (s.value, loc)
            }),
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

pub(super) fn holidays(cx: &mut Ctx, raw: Option<Vec<S<RawHoliday>>>) -> Holidays {
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
pub(super) fn severities(cx: &mut Ctx, raw: S<Vec<S<RawSeverity>>>) -> Severities {
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
pub(super) fn severity_word(word: &str) -> Result<(), String> {
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
pub(super) fn limits(cx: &mut Ctx, raw: Option<RawLimits>) -> Limits {
    let defaults = Limits::default();
    let Some(raw) = raw else {
        return defaults;
    };
    Limits {
        runbook: cx
            .opt_value(&raw.runbook, crate::load::walk::parse_size)
            .unwrap_or(defaults.runbook),
        data_file: cx
            .opt_value(&raw.data_file, crate::load::walk::parse_size)
            .unwrap_or(defaults.data_file),
    }
}

/// `alerting:`: globs and paths checked to stay in the repository, rota ids checked
/// for their pattern (whether the rotas exist is for resolve).
pub(super) fn alerting(cx: &mut Ctx, raw: RawAlerting) -> AlertingConfig {
    use crate::load::alerting::settings::RawReceiverRotas;
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
            .filter_map(|g| located(cx, g, |v| crate::load::alerting::files::glob(v).map(drop)))
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
pub(super) fn owner_url_pattern(s: &str) -> Result<String, String> {
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
pub(super) fn relative_path(path: &str) -> Result<(), String> {
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
pub(super) fn zone(cx: &mut Ctx, s: &S) -> Option<Tz> {
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
pub(super) fn fixed_offset_zone(name: &str) -> Option<&'static str> {
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
pub(super) const FIVE_YEARS_IN_DAYS: i64 = 5 * 365 + 2;

/// A look-ahead span: longer than five years is refused rather than computed.
pub(super) fn at_most_five_years(text: &str, key: &str) -> Result<Duration, String> {
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
