use super::*;

/// The fields of a front matter as (value, line, column), in the order title,
/// owner, last_reviewed, review_in, then each of alerts.
fn fields(f: &FrontMatter) -> Vec<Option<(String, u32, u32)>> {
    [&f.title, &f.owner, &f.last_reviewed, &f.review_in]
        .into_iter()
        .map(Option::as_ref)
        .chain(f.alerts.iter().map(Some))
        .map(|f| f.map(|f| (f.value.clone(), f.loc.line, f.loc.column)))
        .collect()
}

#[test]
fn simple_front_matter_reads_as_the_parser_does() {
    let file = FileId(0);
    let simple = [
        "title: Runbook 9989 for status\nowner: \"#team-29-alerts\"\nlast_reviewed: 2026-10-22\nreview_in: 6 months\n",
        "title: \"ডিস্ক 9629 — traffic\"\nowner: \"#team\"\nlast_reviewed: 2026-10-26\n",
        "owner:    ops-team\n\ntitle: \"\"\n",
        "title: \"  spaced: quoted #not a comment \"\n",
        "title: Café (Ops), v2.1 / east_wing\n",
        "review_in: 3 months\nlast_reviewed: 2026-01-31\n",
        "title: Disk\nalerts: [alert-1979]\n",
        "alerts: [disk-full,disk-slow,  node_down ]\ntitle: x\n",
        "alerts:   [ a1 ]\n",
        "alerts: []\n",
        "alerts: [ ]\n",
    ];
    for front in simple {
        let fast = simple_front_matter(front, file, 1)
            .unwrap_or_else(|| panic!("read without the parser: {front:?}"));
        let mut findings = Vec::new();
        let parsed = yaml::parse_tolerant::<raw::RawFrontMatter>(1, file, front);
        assert!(parsed.findings.is_empty(), "{front:?}");
        let cx = Ctx {
            file,
            line_offset: 1,
            findings: &mut findings,
        };
        let full = from_yaml(&cx, parsed.value.unwrap_or_default());
        assert_eq!(fields(&fast), fields(&full), "{front:?}");
    }
    let not_simple = [
        "# a comment\ntitle: x\n",
        "title: x # a comment\n",
        "title: a: b\n",
        "title: 123\n",
        "title: 1e3\n",
        "title: yes\n",
        "title: Null\n",
        "title: ~\n",
        "title: 'single'\n",
        "title: \"a \\\" b\"\n",
        "title:\tx\n",
        "title: x\r\n",
        "title: x\ntitle: y\n",
        "alerts: [a, ]\n",
        "alerts: [a,, b]\n",
        "alerts: [a b]\n",
        "alerts: [\"a\"]\n",
        "alerts: [a]\nalerts: [b]\n",
        "alerts: []\nalerts: [b]\n",
        "alerts: [123]\n",
        "alerts: [yes]\n",
        "alerts: [a: b]\n",
        "alerts: [[a]]\n",
        "alerts: a\n",
        "alerts:\n  - a\n",
        "weight: 10\n",
        "  title: x\n",
        "title: x \n",
        "title:\n  x\n",
    ];
    for front in not_simple {
        assert!(simple_front_matter(front, file, 1).is_none(), "{front:?}");
    }
}

#[test]
fn front_matter_splits_and_counts_lines() {
    let split = split_front_matter("---\ntitle: x\n---\n# X\n").unwrap();
    assert_eq!(split.front, Some((Syntax::Yaml, "title: x\n")));
    assert_eq!((split.body, split.body_line), ("# X\n", 4));
    let split = split_front_matter("+++\ntitle = \"x\"\n+++\n# X\n").unwrap();
    assert_eq!(split.front, Some((Syntax::Toml, "title = \"x\"\n")));
    assert_eq!(split_front_matter("# X\n").unwrap().front, None);
    assert!(split_front_matter("---\ntitle: x\n").is_err());
    assert!(split_front_matter("+++\ntitle = 1\n---\n").is_err());
}

#[test]
fn title_comes_from_the_first_heading_outside_code() {
    assert_eq!(
        first_heading("```\n# not\n```\n# Yes\n").as_deref(),
        Some("Yes")
    );
    assert_eq!(first_heading("## Two\ntext\n"), None);
}

#[test]
fn only_near_misses_of_known_keys_are_reported() {
    let keys = yaml_keys("weight: 20\nlast_reveiwed: 2025-01-01\naliases:\n  - /x/\nTitle: X\n");
    let found = misspelt_keys(&keys, FileId(0));
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(found.len(), 2, "{messages:?}");
    assert!(messages[0].contains("did you mean `last_reviewed`"));
    assert_eq!(found[0].loc.line, 3);
    assert!(messages[1].contains("`Title`") && messages[1].contains("`title`"));
}
