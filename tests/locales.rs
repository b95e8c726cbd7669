//! The locale packs (`www/locales/*.json`): every pack has every string
//! the prompt shows (a missing key fails here, not on a customer's
//! screen), nothing else, the `{company}` placeholder once, and a pack tag
//! the widget maps locales to. The README's list of languages is checked
//! against the files.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::strings::{pack_tag, FIELDS, PACKS};

fn packs() -> Vec<(String, serde_json::Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/www/locales");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let tag = path.file_stem().unwrap().to_string_lossy().into_owned();
            let value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{tag}: {e}"));
            out.push((tag, value));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn every_pack_has_every_string_and_nothing_else() {
    let packs = packs();
    let tags: Vec<&str> = packs.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(tags, PACKS, "the files and the widget's list of packs agree");
    for (tag, pack) in &packs {
        let object = pack.as_object().unwrap_or_else(|| panic!("{tag}: an object"));
        for field in FIELDS {
            let text =
                object.get(field).and_then(|v| v.as_str()).unwrap_or_else(|| panic!("{tag}: {field} is missing"));
            assert!(!text.trim().is_empty(), "{tag}: {field} is empty");
        }
        for key in object.keys() {
            assert!(FIELDS.contains(&key.as_str()) || key == "dir", "{tag}: unknown key {key}");
        }
        let statement = object["effortStatement"].as_str().unwrap();
        assert_eq!(statement.matches("{company}").count(), 1, "{tag}: {statement}");
        assert_eq!(object.get("dir").and_then(|d| d.as_str()) == Some("rtl"), tag == "ar", "{tag}: dir");
        assert_eq!(pack_tag(tag), Some(tag.as_str()), "{tag} maps to itself");
    }
}

#[test]
fn locales_map_to_their_pack() {
    let cases = [
        ("en", None),
        ("en-GB", None),
        ("es-MX", Some("es")),
        ("pt", Some("pt-BR")),
        ("pt-PT", Some("pt-BR")),
        ("zh", Some("zh-Hans")),
        ("zh-CN", Some("zh-Hans")),
        ("zh-TW", Some("zh-Hant")),
        ("zh-HK", Some("zh-Hant")),
        ("zh-Hant-TW", Some("zh-Hant")),
        ("ar-EG", Some("ar")),
        ("ja-JP", Some("ja")),
        ("sw", None),
    ];
    for (locale, pack) in cases {
        assert_eq!(pack_tag(locale), pack, "{locale}");
    }
}

#[test]
fn the_statement_names_the_company_wherever_the_placeholder_is() {
    use feedback_widget::domain::Strings;
    let check = |statement: &str, expected: &str| {
        let strings = Strings { effort_statement: statement.to_owned(), ..Strings::builtin("en") };
        assert_eq!(strings.statement("Acme 株式会社"), expected, "{statement}");
    };
    check("{company} made it easy.", "Acme 株式会社 made it easy.");
    check("{company}让我轻松解决了问题。", "Acme 株式会社让我轻松解决了问题。");
    check("Mit {company} war es leicht ({company}).", "Mit Acme 株式会社 war es leicht (Acme 株式会社).");
    check("No placeholder: {company", "No placeholder: {company");
    check("", "");
}
