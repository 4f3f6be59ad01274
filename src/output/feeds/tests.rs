//! Tests of the feeds: RFC 5545 encoding and feed assembly.

use super::*;

#[test]
fn uid_domains_come_from_the_base_urls_host() {
    assert_eq!(
        uid_domain("https://example.github.io/support/"),
        "example.github.io"
    );
    assert_eq!(
        uid_domain("HTTPS://user@Support.Example.ORG:8443/a?b#c"),
        "support.example.org"
    );
    assert_eq!(uid_domain("/"), "rota");
    assert_eq!(uid_domain(""), "rota");
}

/// Written to kill the mutants of the port guard (`true`, `&&` → `||`): a colon
/// that ends an IPv6 address's `::` or sits inside its brackets is not a port
/// separator, so nothing is cut. What remains of `fe80::1` once `:` `[` `]` are
/// filtered out is `fe801`.
#[test]
fn an_ipv6_host_keeps_its_last_group() {
    assert_eq!(uid_domain("http://fe80::1/"), "fe801");
    assert_eq!(uid_domain("http://[fe80::1]/"), "fe801");
    assert_eq!(uid_domain("http://[fe80::1]:8080/"), "fe801");
}

#[test]
fn text_is_escaped() {
    assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
}

#[test]
fn control_characters_are_removed_from_text() {
    // BEL, ESC, TAB, CR, DEL and a C1 control (NEL): none reaches a feed.
    assert_eq!(escape_text("a\u{7}b\u{1b}c\td\re\u{7f}f\u{85}g"), "abcdefg");
    // A CRLF is a line break in the text: it becomes one escaped `\n`.
    assert_eq!(escape_text("one\r\ntwo"), "one\\ntwo");
}

#[test]
fn uri_values_lose_control_characters_and_spaces() {
    assert_eq!(
        escape_uri("https://x.test/\r\nATTACH:https://evil.test/a b\t\u{0}"),
        "https://x.test/ATTACH:https://evil.test/ab"
    );
    assert_eq!(
        escape_uri("https://x.test/rotas/ooh.html"),
        "https://x.test/rotas/ooh.html"
    );
}

#[test]
fn a_content_line_never_holds_a_raw_line_break() {
    let mut out = String::new();
    push_line(&mut out, "URL:https://x.test/\r\nATTACH:evil\u{b}");
    assert_eq!(out, "URL:https://x.test/ATTACH:evil\r\n");
}

#[test]
fn a_line_of_exactly_75_octets_is_not_folded_and_76_is() {
    let mut out = String::new();
    push_line(&mut out, &"x".repeat(75));
    assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
    let mut out = String::new();
    push_line(&mut out, &"x".repeat(76));
    assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
}

#[test]
fn reminders_trigger_before_the_start_in_their_own_unit() {
    assert_eq!(trigger(Duration::Minutes(30)), "-PT30M");
    assert_eq!(trigger(Duration::Hours(12)), "-PT12H");
    assert_eq!(trigger(Duration::Days(1)), "-P1D");
    assert_eq!(trigger(Duration::Weeks(2)), "-P2W");
    assert_eq!(trigger(Duration::Months(1)), "-P30D");
}

fn window(days: &[DaySelector], from: u16, to: u16) -> crate::model::DutyWindow {
    crate::model::DutyWindow {
        days: days.to_vec(),
        from: time::LocalTime(from),
        to: time::LocalTime(to),
        loc: crate::source::Sources::file_start(crate::source::FileId(0)),
    }
}

fn rota_with(hours: Option<DutyHours>) -> Rota {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/_base");
    let repo = crate::load::load(&root).expect("the corpus base loads");
    let mut rota = repo.rotas.into_iter().next().expect("one rota");
    rota.hours = hours;
    rota
}

#[test]
fn duty_hours_are_described_in_words() {
    use DaySelector::{Day, Holiday};
    use chrono::Weekday::*;
    let weekdays = [Day(Mon), Day(Tue), Day(Wed), Day(Thu), Day(Fri)];
    let hours = DutyHours::Windows(vec![
        window(&weekdays, 0, 600),
        window(&[Day(Sat), Day(Sun), Holiday], 0, 1440),
        window(&[Day(Sun)], 0, 600),
        window(&[Day(Mon)], 1080, 1440),
        window(&[Day(Sat)], 0, 1439),
    ]);
    assert_eq!(
        describe_hours(&rota_with(Some(hours))),
        "Mon–Fri 00:00–10:00; Sat, Sun, bank holidays all day; Sun 00:00–10:00; \
         Mon 18:00–24:00; Sat 00:00–23:59"
    );
    assert_eq!(
        describe_hours(&rota_with(Some(DutyHours::Always))),
        "always (24/7)"
    );
    assert_eq!(describe_hours(&rota_with(None)), "not stated");
}

#[test]
fn runs_of_three_weekdays_or_more_are_joined() {
    use DaySelector::Day;
    use chrono::Weekday::*;
    // Listed out of order and with a repeat: sorted and deduplicated first.
    assert_eq!(
        describe_days(&[Day(Wed), Day(Mon), Day(Tue), Day(Mon)]),
        "Mon–Wed"
    );
    assert_eq!(describe_days(&[Day(Mon), Day(Tue)]), "Mon, Tue");
    // A run of two that does not start the list stays two names.
    assert_eq!(
        describe_days(&[Day(Mon), Day(Wed), Day(Thu)]),
        "Mon, Wed, Thu"
    );
    assert_eq!(
        describe_days(&[Day(Fri), Day(Mon), Day(Sat), Day(Sun), Day(Tue)]),
        "Mon, Tue, Fri–Sun"
    );
    assert_eq!(describe_days(&[DaySelector::Holiday]), "bank holidays");
}

#[test]
fn lines_fold_at_75_octets_without_splitting_characters() {
    let mut out = String::new();
    let line = format!("SUMMARY:{}", "Zoë Ōtsuka-Ñúñez ".repeat(10));
    push_line(&mut out, &line);
    for l in out.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(l.len() <= 75, "{} octets: {l}", l.len());
    }
    let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
    assert_eq!(unfolded, line);
}
