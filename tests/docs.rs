//! The manual against the code: every public name that is defined once in
//! Rust (reason codes in `Reason::ALL`, payload fields in the contract's
//! `field::ALL`, its limits) is listed in the README and in the TypeScript
//! declarations, and nothing is listed that the code does not have. A
//! rename or a new code fails here until the manual says so.
#![cfg(not(target_arch = "wasm32"))]

use feedback_contract::limits;
use feedback_contract::payload::field;
use feedback_widget::domain::Reason;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The lines of the Markdown table right under `heading`.
fn table_after<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let at = text.find(heading).unwrap_or_else(|| panic!("README has {heading:?}"));
    text[at..].lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|')).skip(2).collect()
}

/// The backticked names in a table row's first cell.
fn first_cell_names(row: &str) -> Vec<&str> {
    let cell = row.split('|').nth(1).unwrap_or_default();
    cell.split('`').skip(1).step_by(2).collect()
}

#[test]
fn the_reason_code_table_lists_exactly_the_codes() {
    let readme = read("README.md");
    let mut listed: Vec<&str> =
        table_after(&readme, "### Reason codes").iter().flat_map(|r| first_cell_names(r)).collect();
    let mut codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
    listed.sort_unstable();
    codes.sort_unstable();
    assert_eq!(listed, codes, "README's reason codes");
    for code in codes {
        assert!(feedback_contract::text::is_reason_code(code), "{code} keeps to the contract's syntax");
    }
}

#[test]
fn the_payload_table_and_the_typescript_type_list_exactly_the_fields() {
    let readme = read("README.md");
    let mut listed: Vec<&str> = table_after(&readme, "| field | meaning |\n|---|---|\n| `id`")
        .iter()
        .flat_map(|r| first_cell_names(r))
        .collect();
    let mut fields = field::ALL.to_vec();
    listed.sort_unstable();
    fields.sort_unstable();
    assert_eq!(listed, fields, "README's payload fields");

    let types = read("src/shell/api.rs");
    let at = types.find("export interface FeedbackPayload {").expect("the FeedbackPayload type");
    let body = &types[at..at + types[at..].find('}').unwrap()];
    let mut declared: Vec<&str> =
        body.lines().skip(1).filter_map(|l| l.trim().split_once(':')).map(|(name, _)| name.trim()).collect();
    declared.sort_unstable();
    assert_eq!(declared, fields, "FeedbackPayload's fields");
}

#[test]
fn the_limits_table_says_what_the_contract_enforces() {
    let readme = read("README.md");
    let rows = table_after(&readme, "| limit | value |").join("\n");
    let thousands = |n: usize| {
        let digits = n.to_string();
        let (head, tail) = digits.split_at(digits.len() % 3);
        let groups: Vec<&str> = tail.as_bytes().chunks(3).map(|c| std::str::from_utf8(c).unwrap()).collect();
        [head].into_iter().chain(groups).filter(|g| !g.is_empty()).collect::<Vec<_>>().join(",")
    };
    for expected in [
        format!("at most {} bytes (a UUID", limits::MAX_PAYLOAD_ID_BYTES),
        format!("at most {} bytes, no control characters", limits::MAX_ID_BYTES),
        format!("at most {} bytes, no control characters", limits::MAX_WORD_BYTES),
        format!("at most {} bytes |", limits::MAX_LOCALE_BYTES),
        format!("at most {} characters", thousands(limits::MAX_COMMENT_CHARS)),
        format!("at most {} codes", limits::MAX_REASONS),
        format!("at most {} bytes each", limits::MAX_REASON_BYTES),
        format!(
            "at most {} bytes as JSON, nested at most {} deep",
            thousands(limits::MAX_METADATA_BYTES),
            limits::MAX_DEPTH
        ),
        format!("({} bytes)", thousands(limits::MAX_BODY_BYTES)),
    ] {
        assert!(rows.contains(&expected), "the limits table says {expected:?}:\n{rows}");
    }
}
