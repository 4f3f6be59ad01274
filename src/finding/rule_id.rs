//! Every rule's id, as a type: its id string, default level and how it behaves while the
//! data has parse errors, in one table (docs/rules.md and `rota explain` read it).

use super::Level;

/// Declares [`RuleId`] and its table from one row per rule.
macro_rules! rule_ids {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $id:literal, $level:ident,
            despite_parse_errors: $despite:literal,
            lowerable: $lowerable:literal,
            kept_beside_parse_errors: $kept:literal;
    )*) => {
        /// A rule's id (docs/rules.md). Serialised, printed and matched in `rules:` as its
        /// kebab-case string.
        ///
        /// **Adding a rule**: add a row to the table in `src/finding/rule_id.rs` (the
        /// variant, its id string, default level and the three flags), then a `Rule`
        /// const beside its check in `src/rules/<rule>.rs` with `id: RuleId::NewRule`,
        /// and an arm for it in `rules::rule` (the compiler asks for that arm). Findings
        /// name it as `Finding::error(RuleId::NewRule, …)`. The docs page is regenerated
        /// by `ROTA_BLESS=1 cargo test docs`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RuleId {
            $($(#[$doc])* $variant,)*
        }

        impl RuleId {
            /// Every rule, in the order docs/rules.md and `rota explain` list them.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The id as users write it (`two-deep`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// The level of the rule's worst finding, before any cap in `rules:`.
            pub const fn default_level(self) -> Level {
                match self {
                    $(RuleId::$variant => Level::$level,)*
                }
            }

            /// Whether the rule runs while a file under `rota/` has a parse error: it
            /// reads single values rather than the schedule, so an entry dropped for a
            /// bad value cannot make it report something false. Every other rule waits
            /// until the parse errors are fixed.
            pub const fn runs_despite_parse_errors(self) -> bool {
                match self {
                    $(RuleId::$variant => $despite,)*
                }
            }

            /// Whether `rules:` in config.yaml may lower the rule (`false` for the rules
            /// rota cannot read the data without).
            pub const fn lowerable(self) -> bool {
                match self {
                    $(RuleId::$variant => $lowerable,)*
                }
            }

            /// Whether the rule's findings stand in a file that has a parse error: those
            /// reported while loading and resolving, and those of rules that read the
            /// text itself. Other findings there may only follow from the parse error.
            pub const fn kept_beside_parse_errors(self) -> bool {
                match self {
                    $(RuleId::$variant => $kept,)*
                }
            }
        }
    };
}

rule_ids! {
    /// The file is valid YAML/front matter of the documented shape.
    Parse = "parse", Error,
        despite_parse_errors: false, lowerable: false, kept_beside_parse_errors: true;
    /// Every referenced person, rota, alert, service, runbook exists.
    UnknownReference = "unknown-reference", Error,
        despite_parse_errors: false, lowerable: false, kept_beside_parse_errors: true;
    /// Ids match the id pattern and are unique.
    InvalidId = "invalid-id", Error,
        despite_parse_errors: false, lowerable: false, kept_beside_parse_errors: true;
    /// Each rota states its duty hours.
    HoursStated = "hours-stated", Error,
        despite_parse_errors: false, lowerable: false, kept_beside_parse_errors: false;
    /// Each rota has a rotation.
    Repeats = "repeats", Error,
        despite_parse_errors: false, lowerable: false, kept_beside_parse_errors: false;
    /// Enough distinct members on a rota.
    MinPeople = "min-people", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Nobody's share of on-call time too high.
    MaxShare = "max-share", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// At least `min_on_call` distinct people on call at every duty instant.
    TwoDeep = "two-deep", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Every position filled from today to today + `plan_ahead`.
    PlannedAhead = "planned-ahead", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Overrides lie inside the rota and match the rotation.
    OverrideValid = "override-valid", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Nobody on call during their leave.
    LeaveConflict = "leave-conflict", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// A position with `role` is filled by people with that role.
    RoleCover = "role-cover", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Members of out-of-hours rotas opted in.
    OptedIn = "opted-in", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Members vetted before their first turn.
    Vetted = "vetted", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// First-timers are on call with someone experienced.
    FirstTimerPaired = "first-timer-paired", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// An in-hours turn before the first out-of-hours one.
    InHoursFirst = "in-hours-first", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Not on call in too many consecutive turns.
    BackToBack = "back-to-back", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// No long unbroken run of turns across rotas taken together.
    Rest = "rest", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Every paged rota has a sound escalation chain.
    Escalation = "escalation", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Every paging alert names a runbook that exists.
    AlertRunbook = "alert-runbook", Error,
        despite_parse_errors: true, lowerable: true, kept_beside_parse_errors: false;
    /// Only alerts of paging severities page out-of-hours rotas.
    SeverityRouting = "severity-routing", Error,
        despite_parse_errors: true, lowerable: true, kept_beside_parse_errors: false;
    /// Services are supported as their impact needs.
    ServiceSupport = "service-support", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Runbooks reviewed on time.
    RunbookReview = "runbook-review", Warning,
        despite_parse_errors: true, lowerable: true, kept_beside_parse_errors: false;
    /// Alerting rules route to a rota.
    AlertRoute = "alert-route", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Paging alerts are covered at every hour they must be.
    AlertCoverage = "alert-coverage", Error,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Alerting rules link their runbook.
    RunbookLinked = "runbook-linked", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// The page log agrees with who was on call.
    PageLog = "page-log", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// No phone numbers or personal e-mail addresses.
    ContactPrivacy = "contact-privacy", Error,
        despite_parse_errors: true, lowerable: true, kept_beside_parse_errors: true;
    /// Personal feeds are not published under guessable names.
    FeedSecret = "feed-secret", Error,
        despite_parse_errors: false, lowerable: false, kept_beside_parse_errors: true;
    /// No hole in the week's paged cover.
    CoverageGap = "coverage-gap", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Nobody on two rotas in overlapping turns.
    DoubleDuty = "double-duty", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// The `holidays:` list reaches the end of the check window.
    HolidaysListed = "holidays-listed", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Overnight weekday windows and holidays do not leave an hour uncovered.
    HolidayOvernight = "holiday-overnight", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
    /// Bank holidays and weekends shared fairly on out-of-hours rotas.
    HolidayFairness = "holiday-fairness", Warning,
        despite_parse_errors: false, lowerable: true, kept_beside_parse_errors: false;
}

impl RuleId {
    /// The rule with this id string, if there is one.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == id)
    }

    /// The rules `rules:` may not lower, listed for people: `parse`, `invalid-id` and
    /// `repeats` (each id between `quote`s).
    pub fn unlowerable(quote: &str) -> String {
        let ids: Vec<String> = RuleId::ALL
            .iter()
            .filter(|r| !r.lowerable())
            .map(|r| format!("{quote}{r}{quote}"))
            .collect();
        match ids.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Ordered by id string, as findings were sorted when ids were strings.
impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RuleId;

    #[test]
    fn ids_are_unique_kebab_case_and_read_back() {
        let mut seen = std::collections::BTreeSet::new();
        for &rule in RuleId::ALL {
            let id = rule.as_str();
            assert!(seen.insert(id), "`{id}` twice");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "`{id}` is not kebab-case"
            );
            assert_eq!(RuleId::from_id(id), Some(rule));
        }
        assert_eq!(RuleId::from_id("two-deep"), Some(RuleId::TwoDeep));
        assert_eq!(RuleId::from_id("two_deep"), None);
    }

    #[test]
    fn only_rules_that_read_single_values_run_despite_parse_errors() {
        let despite: Vec<&str> = RuleId::ALL
            .iter()
            .filter(|r| r.runs_despite_parse_errors())
            .map(|r| r.as_str())
            .collect();
        assert_eq!(
            despite,
            [
                "alert-runbook",
                "severity-routing",
                "runbook-review",
                "contact-privacy"
            ]
        );
        let fixed: Vec<&str> = RuleId::ALL
            .iter()
            .filter(|r| !r.lowerable())
            .map(|r| r.as_str())
            .collect();
        assert_eq!(
            fixed,
            [
                "parse",
                "unknown-reference",
                "invalid-id",
                "hours-stated",
                "repeats",
                "feed-secret"
            ]
        );
    }
}
