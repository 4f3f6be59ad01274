//! Fuzz target: any bytes as a Prometheus rule file, an Alertmanager configuration (or
//! Secret) and a matcher list; whatever loads is routed and its time intervals asked.
//! Nothing may panic, and every finding points at a line and column of the input.
#![no_main]

use rota::alerting::{LabelSet, alertmanager, matcher, rules};
use rota::finding::Finding;
use rota::source::FileId;

/// Every finding is on a line of the text, counted as YAML counts them (a lone carriage
/// return also ends a line).
fn located(text: &str, findings: &[Finding]) {
    let lines = (text.matches('\n').count() + text.matches('\r').count()).max(1) as u32;
    for f in findings {
        assert!(f.loc.line >= 1 && f.loc.column >= 1, "{f:?}");
        assert!(f.loc.line <= lines + 1, "{f:?} beyond {lines} lines");
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rota_fuzz::cpu_bounded(|| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        let loaded = rules::load(FileId(0), text);
        located(text, &loaded.findings);
        let loaded = alertmanager::load(FileId(0), text);
        located(text, &loaded.findings);
        let parsed = matcher::parse_matchers(text);
        if let Some(config) = loaded.config {
            let mut labels = LabelSet::new();
            for m in parsed.iter().flatten() {
                labels.insert(m.name.clone(), m.value.clone());
            }
            let routes = config.root.matching(&labels);
            assert!(!routes.is_empty(), "the root route matches every alert");
            let at = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
            for route in routes {
                route.notifies_at(&config.time_intervals, at);
            }
        }
    });
});
