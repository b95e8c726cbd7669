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

/// The names between `start` and the next `}` of the TypeScript in
/// `src/shell/api.rs`, one per `name?:` or `name:` line.
fn ts_members(start: &str) -> Vec<String> {
    let types = read("src/shell/api.rs");
    let at = types.find(start).unwrap_or_else(|| panic!("{start}"));
    let body = &types[at + start.len()..];
    let body = &body[..body.find("\n}").unwrap()];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("/**") && !l.starts_with('*'))
        .filter_map(|l| l.split_once(':'))
        .map(|(name, _)| name.trim().trim_end_matches('?').to_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

fn sorted<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut v = items.to_vec();
    v.sort();
    v
}

/// `data-timeout-ms` for `timeoutMs`, as the widget names attributes.
fn kebab(name: &str) -> String {
    use feedback_widget::domain::fields::Fields;
    use feedback_widget::domain::{Source, Value};
    Fields::new(&Value::Null, Source::ScriptTag, "").name(name)
}

#[test]
fn every_context_field_is_read_documented_and_typed() {
    use feedback_widget::domain::context::FIELDS;
    use feedback_widget::domain::{Context, Value};
    let readme = read("README.md");
    let listed: Vec<String> =
        table_after(&readme, "### The context").iter().flat_map(|r| first_cell_names(r)).map(String::from).collect();
    let fields: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    assert_eq!(sorted(&listed), sorted(&fields), "README's context table");
    assert_eq!(sorted(&ts_members("export interface FeedbackContext {")), sorted(&fields), "FeedbackContext");
    // The reader reads each name: a value of the wrong kind is refused naming it.
    for field in FIELDS {
        let named = [Value::Bool(true), Value::String("x".into())].into_iter().any(|wrong| {
            let context = Value::Object(vec![(field.to_owned(), wrong)]);
            Context::from_value(&context).is_err_and(|e| e.to_string().starts_with(&format!("context.{field}")))
        });
        assert!(named, "context.{field} is read");
    }
}

#[test]
fn every_option_and_rule_is_read_documented_and_typed() {
    use feedback_widget::domain::options::{ResolvedUrl, FIELDS as OPTIONS};
    use feedback_widget::domain::rules::FIELDS as RULES;
    use feedback_widget::domain::{Options, Rules, Source, Value};
    let readme = read("README.md");
    let attributes: Vec<String> = table_after(&readme, "### Options (`data-*` attributes)")
        .iter()
        .flat_map(|r| first_cell_names(r))
        .map(String::from)
        .collect();
    for option in OPTIONS {
        assert!(attributes.contains(&kebab(option)), "README's options table lists {}", kebab(option));
    }
    let rules: Vec<String> =
        table_after(&readme, "### Rules").iter().flat_map(|r| first_cell_names(r)).map(String::from).collect();
    let all_rules: Vec<String> = RULES.iter().map(|r| r.to_string()).collect();
    assert_eq!(sorted(&rules), sorted(&all_rules), "README's rules table");
    for attribute in &attributes {
        let known = OPTIONS.iter().chain(RULES.iter()).any(|n| kebab(n) == *attribute);
        assert!(known, "README's options table lists {attribute}, which no option or rule is");
    }
    let typed = ts_members("export interface FeedbackOptions {");
    let mut names: Vec<String> = OPTIONS.iter().chain(RULES.iter()).map(|n| n.to_string()).collect();
    names.sort();
    assert_eq!(sorted(&typed), names, "FeedbackOptions: every option and rule, nothing else");
    // The readers read each name: a value of the wrong kind is refused naming it.
    let resolve = |url: &str| {
        Some(ResolvedUrl { href: url.to_owned(), protocol: "https:".into(), hostname: "example.com".into() })
    };
    for option in OPTIONS {
        let named = [Value::Bool(true), Value::Number(-1.0), Value::String("x".into())].into_iter().any(|wrong| {
            let mut fields = vec![(option.to_owned(), wrong)];
            if option != "endpoint" {
                fields.push(("endpoint".into(), Value::String("https://example.com/c".into())));
            }
            Options::from_value(&Value::Object(fields), Source::Object, resolve)
                .is_err_and(|e| e.to_string().starts_with(option))
        });
        assert!(named, "the option {option} is read");
    }
    for rule in RULES {
        let named = [Value::Bool(true), Value::Number(-5.0), Value::String("x".into())].into_iter().any(|wrong| {
            let raw = Value::Object(vec![(rule.to_owned(), wrong)]);
            Rules::default()
                .apply(&raw, Source::Object)
                .is_err_and(|e| e.to_string().starts_with(&format!("rules.{rule}")))
        });
        assert!(named, "the rule {rule} is read");
    }
}

#[test]
fn every_event_and_string_is_documented_and_typed() {
    let readme = read("README.md");
    let events: Vec<String> =
        table_after(&readme, "### Events").iter().flat_map(|r| first_cell_names(r)).map(String::from).collect();
    let core = read("www/core.js");
    let at = core.find("var EVENTS = [").expect("the loader's event list");
    let list = &core[at..at + core[at..].find(']').unwrap()];
    let emitted: Vec<String> = list.split('"').skip(1).step_by(2).map(String::from).collect();
    assert_eq!(sorted(&events), sorted(&emitted), "README's events table and the loader's EVENTS");
    assert_eq!(sorted(&ts_members("export interface FeedbackEvents {")), sorted(&emitted), "FeedbackEvents");

    use feedback_widget::domain::strings::FIELDS;
    let at = readme.find("The strings: `effortStatement`").expect("the README's list of strings");
    let sentence = &readme[at..at + readme[at..].find("\n\n").unwrap()];
    let listed: Vec<String> =
        sentence.split('`').skip(1).step_by(2).filter(|s| *s != "{company}").map(String::from).collect();
    let strings: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    assert_eq!(sorted(&listed), sorted(&strings), "README's list of strings");
    let types = read("src/shell/api.rs");
    let at = types.find("export type FeedbackStrings").unwrap();
    let typed = &types[at..at + types[at..].find(">>;").unwrap()];
    for s in &strings {
        assert!(typed.contains(&format!("\"{s}\"")), "FeedbackStrings has {s}");
    }
}

/// A README default cell as a value: `true`, a number, or per channel
/// (`chat 300, messenger 900, ...`); `None` for `none`/`required`/prose.
fn documented_default(cell: &str) -> Option<feedback_widget::domain::Value> {
    use feedback_widget::domain::Value;
    let cell = cell.trim().trim_matches('`');
    if cell == "true" || cell == "false" {
        return Some(Value::Bool(cell == "true"));
    }
    if let Ok(n) = cell.parse::<f64>() {
        return Some(Value::Number(n));
    }
    let per_channel: Option<Vec<(String, Value)>> = cell
        .split(", ")
        .map(|pair| {
            let (channel, n) = pair.split_once(' ')?;
            Some((channel.to_owned(), Value::Number(n.parse().ok()?)))
        })
        .collect();
    per_channel.filter(|p| p.len() > 1).map(Value::Object)
}

/// The same value moved off its default, in each way a rule may accept:
/// a flag flipped; a number plus one, halved, or lowered; every channel plus one.
fn nudged(value: &feedback_widget::domain::Value) -> Vec<feedback_widget::domain::Value> {
    use feedback_widget::domain::Value;
    match value {
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::Number(n) => vec![Value::Number(n + 1.0), Value::Number(n / 2.0), Value::Number(n - 0.1)],
        Value::Object(fields) => {
            vec![Value::Object(fields.iter().map(|(k, v)| (k.clone(), nudged(v).remove(0))).collect())]
        }
        other => vec![other.clone()],
    }
}

#[test]
fn the_rules_table_gives_the_defaults_the_code_has() {
    use feedback_widget::domain::{Rules, Source, Value};
    let readme = read("README.md");
    let mut checked = 0;
    for row in table_after(&readme, "### Rules") {
        let name = first_cell_names(row)[0];
        let cell = row.split('|').nth(2).unwrap_or_default();
        let Some(default) = documented_default(cell) else {
            assert_eq!(cell.trim(), "none", "{name}: a default the test can read, or none");
            continue;
        };
        let mut stated = Rules::default();
        stated.apply(&Value::Object(vec![(name.to_owned(), default.clone())]), Source::Object).unwrap();
        assert_eq!(stated, Rules::default(), "README's default for {name} ({cell:?}) is the code's");
        let moved = nudged(&default).into_iter().find_map(|other| {
            let mut moved = Rules::default();
            moved.apply(&Value::Object(vec![(name.to_owned(), other)]), Source::Object).ok().map(|()| moved)
        });
        assert!(moved.is_some_and(|m| m != Rules::default()), "{name} is read, so the comparison means something");
        checked += 1;
    }
    assert!(checked >= 12, "{checked} defaults checked");
}

#[test]
fn the_options_table_gives_the_defaults_the_code_has() {
    use feedback_widget::domain::options::{ResolvedUrl, FIELDS as OPTIONS};
    use feedback_widget::domain::rules::FIELDS as RULES;
    use feedback_widget::domain::{Options, Rules, Source, Value};
    let resolve = |url: &str| {
        Some(ResolvedUrl { href: url.to_owned(), protocol: "https:".into(), hostname: "example.com".into() })
    };
    let endpoint = || ("endpoint".to_owned(), Value::String("https://example.com/c".into()));
    let plain = Options::from_value(&Value::Object(vec![endpoint()]), Source::ScriptTag, resolve).unwrap();
    let readme = read("README.md");
    let mut checked = 0;
    for row in table_after(&readme, "### Options (`data-*` attributes)") {
        let cell = row.split('|').nth(2).unwrap_or_default().trim();
        // Only a single backticked value is a default to check; `required`,
        // `none` and prose are not.
        let Some(default) = cell.strip_prefix('`').and_then(|c| c.strip_suffix('`')) else { continue };
        let attribute = first_cell_names(row)[0];
        let raw = |name: &str| Value::Object(vec![endpoint(), (name.to_owned(), Value::String(default.to_owned()))]);
        if let Some(option) = OPTIONS.iter().find(|o| kebab(o) == attribute) {
            let stated = Options::from_value(&raw(option), Source::ScriptTag, resolve).unwrap();
            assert_eq!(stated, plain, "README's default for {attribute} ({default:?}) is the code's");
        } else {
            let rule = RULES.iter().find(|r| kebab(r) == attribute).unwrap_or_else(|| panic!("{attribute}"));
            let mut stated = Rules::default();
            stated.apply(&raw(rule), Source::ScriptTag).unwrap();
            assert_eq!(stated, Rules::default(), "README's default for {attribute} ({default:?}) is the code's");
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} defaults checked");
}

/// The map in `docs/architecture.md` names every module of the receiver:
/// each file and folder of `server/src` and of its folders (a new module
/// fails here until the map says what it is for).
#[test]
fn the_architecture_map_names_every_receiver_module() {
    let doc = read("docs/architecture.md");
    let start = doc.find("server/       feedback-receiver").expect("the map's server/ entry");
    let end = start + doc[start..].find("\nxtask/").expect("the entry after server/");
    let words: Vec<&str> = doc[start..end].split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '/')).collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("server/src");
    let mut missing = Vec::new();
    let mut check = |dir: &std::path::Path, depth: usize| -> Vec<std::path::PathBuf> {
        let mut folders = Vec::new();
        for item in std::fs::read_dir(dir).unwrap() {
            let path = item.unwrap().path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let named = if path.is_dir() {
                folders.push(path.clone());
                words.iter().any(|w| *w == format!("{stem}/"))
            } else {
                // The crate's root and a folder's own file are the folder.
                ["lib", "mod", "tests"].contains(&stem.as_str()) || words.contains(&stem.as_str())
            };
            if !named && depth <= 1 {
                missing.push(path.strip_prefix(&root).unwrap().display().to_string());
            }
        }
        folders
    };
    for folder in check(&root, 0) {
        check(&folder, 1);
    }
    missing.sort();
    assert!(missing.is_empty(), "docs/architecture.md's map does not name {missing:?}");
}
