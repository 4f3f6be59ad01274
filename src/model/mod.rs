//! The typed data of docs/data-format.md, each value carrying where it was written. The
//! loader builds these; nothing downstream parses YAML again.

pub mod alerting;
mod catalogue;
mod config;
mod people;
mod repo;
mod rota;

pub use catalogue::{Alert, LeaveEntry, PageEntry, Runbook, Service, Severities, Severity};
pub use config::{
    AlertingConfig, CalendarConfig, Config, Limits, Policy, PolicyOverrides, RuleLevelSetting,
    SiteConfig,
};
pub use people::Person;
pub use repo::{Model, Repo, Unloaded};
pub use rota::{
    Block, DaySelector, DutyHours, DutyWindow, EscalationStep, EscalationTarget, Override,
    Position, Rota, RotaKind, TurnLength,
};

use crate::source::Loc;

/// An id (person, rota, alert, service, runbook slug segment) and where it was written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Named {
    pub id: String,
    pub loc: Loc,
}

/// Does `id` match `^[a-z0-9][a-z0-9-]{0,62}$`?
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 63
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::is_valid_id;

    #[test]
    fn id_pattern() {
        assert!(is_valid_id("alice"));
        assert!(is_valid_id("out-of-hours"));
        assert!(is_valid_id("0day"));
        assert!(is_valid_id(&"a".repeat(63)));
        assert!(!is_valid_id(&"a".repeat(64)));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("Alice"));
        assert!(!is_valid_id("a_b"));
        assert!(!is_valid_id("a.b"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("../etc"));
    }
}
