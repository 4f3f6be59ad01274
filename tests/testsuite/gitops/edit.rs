//! Property test of the located text edit behind `rota swap`: whatever the style of a
//! rota file's `overrides:` list (block or flow, block or flow mappings, indentation,
//! comments, CRLF, no final line end), appending entries leaves every other byte as it
//! was, and a YAML parser reads back the old entries and then exactly the new values —
//! however awkward the text (colons, hashes, quotes, commas, words YAML reads as
//! booleans or numbers).

use proptest::prelude::*;
use rota::edit::{Entry, append_overrides};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug)]
enum Style {
    BlockMappings,
    BlockOfFlowMappings,
    FlowOneLine,
    FlowMultiLine,
    NoKey,
}

#[derive(serde::Deserialize)]
struct Doc {
    #[serde(default)]
    overrides: Vec<BTreeMap<String, String>>,
    escalation: Option<Vec<String>>,
}

fn existing_item(i: usize) -> Vec<(String, String)> {
    vec![
        ("position".into(), "primary".into()),
        ("person".into(), format!("p{i}x")),
    ]
}

fn render(
    style: Style,
    items: usize,
    indent: usize,
    comments: bool,
    trailing_comma: bool,
    crlf: bool,
    final_eol: bool,
) -> String {
    let pad = " ".repeat(indent);
    let comment = if comments { "  # note" } else { "" };
    let mut text = String::from("name: Test # a rota\nkind: out-of-hours\n");
    match style {
        Style::NoKey => {}
        Style::BlockMappings if items > 0 => {
            text.push_str(&format!("overrides:{comment}\n"));
            for i in 0..items {
                if comments {
                    text.push_str(&format!("{pad}# item {i}\n"));
                }
                for (k, (key, value)) in existing_item(i).iter().enumerate() {
                    let lead = if k == 0 {
                        format!("{pad}- ")
                    } else {
                        format!("{pad}  ")
                    };
                    text.push_str(&format!("{lead}{key}: {value}{comment}\n"));
                }
            }
            text.push('\n');
        }
        Style::BlockMappings | Style::BlockOfFlowMappings => {
            text.push_str(&format!("overrides:{comment}\n"));
            for i in 0..items {
                let fields: Vec<String> = existing_item(i)
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                text.push_str(&format!("{pad}- {{ {} }}{comment}\n", fields.join(", ")));
            }
        }
        Style::FlowOneLine => {
            let list: Vec<String> = (0..items)
                .map(|i| {
                    let fields: Vec<String> = existing_item(i)
                        .iter()
                        .map(|(k, v)| format!("{k}: {v}"))
                        .collect();
                    format!("{{{}}}", fields.join(", "))
                })
                .collect();
            text.push_str(&format!("overrides: [{}]{comment}\n", list.join(", ")));
        }
        Style::FlowMultiLine => {
            text.push_str("overrides: [\n");
            for i in 0..items {
                let fields: Vec<String> = existing_item(i)
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                let comma = if i + 1 < items || trailing_comma {
                    ","
                } else {
                    ""
                };
                text.push_str(&format!("  {{ {} }}{comma}{comment}\n", fields.join(", ")));
            }
            text.push_str("]\n");
        }
    }
    text.push_str("escalation: [primary, secondary] # end");
    if final_eol {
        text.push('\n');
    }
    if crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    }
}

fn awkward_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z ]{0,12}",
        "[ -~]{1,20}",
        Just("yes".to_string()),
        Just("null".to_string()),
        Just("123".to_string()),
        Just("a: b # c".to_string()),
        Just("Óscar's \"cover\", [x]".to_string()),
        Just("- dash".to_string()),
    ]
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![
        Just(Style::BlockMappings),
        Just(Style::BlockOfFlowMappings),
        Just(Style::FlowOneLine),
        Just(Style::FlowMultiLine),
        Just(Style::NoKey),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn appending_keeps_every_other_byte_and_reads_back(
        style in style(),
        items in 0usize..4,
        indent in 0usize..5,
        comments: bool,
        trailing_comma: bool,
        crlf: bool,
        final_eol: bool,
        reasons in proptest::collection::vec(awkward_text(), 1..4),
    ) {
        let items = if matches!(style, Style::NoKey) { 0 } else { items };
        let before = render(style, items, indent, comments, trailing_comma, crlf, final_eol);
        let entries: Vec<Entry> = reasons
            .iter()
            .map(|r| Entry {
                fields: vec![
                    ("position", "secondary".to_string()),
                    ("from", "2026-12-23T10:00".to_string()),
                    ("person", "bob".to_string()),
                    ("reason", r.clone()),
                ],
            })
            .collect();
        let after = append_overrides(&before, &entries).expect("edit");

        // Only an insertion: a common prefix and suffix cover the whole original.
        let prefix = before.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
        let suffix = before.bytes().rev().zip(after.bytes().rev()).take_while(|(a, b)| a == b).count();
        prop_assert!(prefix + suffix >= before.len(), "not a pure insertion:\n{before}\n---\n{after}");
        prop_assert_eq!(after.len() > before.len(), true);
        if crlf {
            prop_assert!(!after.replace("\r\n", "").contains('\n'), "a bare LF in a CRLF file:\n{after:?}");
        }

        let doc: Doc = serde_saphyr::from_str(&after)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{after}")))?;
        prop_assert_eq!(doc.escalation, Some(vec!["primary".to_string(), "secondary".to_string()]));
        prop_assert_eq!(doc.overrides.len(), items + reasons.len());
        for (i, old) in doc.overrides.iter().take(items).enumerate() {
            prop_assert_eq!(old.get("person"), Some(&format!("p{i}x")));
        }
        for (new, reason) in doc.overrides.iter().skip(items).zip(&reasons) {
            prop_assert_eq!(new.get("reason"), Some(reason));
            prop_assert_eq!(new.get("from").map(String::as_str), Some("2026-12-23T10:00"));
            prop_assert_eq!(new.get("person").map(String::as_str), Some("bob"));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// `replace_scalar` (a turn already traded): the `person:` value of one override
    /// changes, written plain or quoted, in a block or a flow mapping, with a comment
    /// after it or not; the text before and after it stays byte for byte.
    #[test]
    fn replacing_a_scalar_changes_that_value_only(
        old in prop_oneof![Just("erin".to_string()), Just("\"erin, x\"".to_string()), Just("'o''neil'".to_string())],
        new in awkward_text(),
        flow in any::<bool>(),
        comment in any::<bool>(),
    ) {
        let tail = if comment { "   # agreed" } else { "" };
        let item = if flow {
            format!("  - {{ position: primary, person: {old}, replaces: heidi }}{tail}\n")
        } else {
            format!("  - position: primary\n    person: {old}{tail}\n    replaces: heidi\n")
        };
        let before = format!("name: x\noverrides:\n{item}escalation: [primary, secondary]\n");
        let (line, line_text) = before.lines().enumerate().find(|(_, l)| l.contains("person:")).expect("person");
        let column = line_text[..line_text.find("person:").expect("key") + "person: ".len()].chars().count() + 1;
        let after = rota::edit::replace_scalar(&before, line as u32 + 1, column as u32, &new).expect("edit");
        let at = before.find(&old).expect("old");
        prop_assert_eq!(&after[..at], &before[..at]);
        prop_assert!(after.ends_with(&before[at + old.len()..]), "{after}");
        let doc: Doc = serde_saphyr::from_str(&after)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{after}")))?;
        prop_assert_eq!(doc.overrides[0].get("person"), Some(&new));
        prop_assert_eq!(doc.overrides[0].get("replaces").map(String::as_str), Some("heidi"));
    }
}
