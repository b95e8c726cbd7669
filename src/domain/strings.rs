//! Every sentence the prompt shows, per language, and how the language is
//! chosen: `context.locale`, then `data-locale`, then the page's
//! `<html lang>`, then the browser's languages, then English. English is
//! built in; the other languages of [`PACKS`] are locale packs
//! (`www/locales/*.json`, fetched by the loader only when needed), applied
//! over English; a site can override any string per language
//! (`strings: {"ar": {...}}`), which is also how a language without a pack
//! is added. Right-to-left languages get `dir="rtl"`.

use super::error::{Error, ErrorKind};
use super::json::Value;

/// The copy of one language.
#[derive(Clone, Debug, PartialEq)]
pub struct Strings {
    /// The locale tag this copy is for, e.g. `zh-CN`.
    pub locale: String,
    /// Write right to left.
    pub rtl: bool,
    /// The CES 2.0 statement; `{company}` is replaced by the company name.
    pub effort_statement: String,
    pub strongly_disagree: String,
    pub strongly_agree: String,
    /// The comment label before a score, or for a middling one.
    pub effort_comment_label: String,
    /// The comment label after a low score (1-3).
    pub low_score_label: String,
    /// The comment label after a high score (6-7).
    pub high_score_label: String,
    pub vent_title: String,
    pub vent_line: String,
    pub vent_comment_label: String,
    pub optional: String,
    pub submit: String,
    pub no_thanks: String,
    pub close: String,
    pub thanks: String,
    /// Shown under the comment box while redaction is on.
    pub privacy_note: String,
    /// The follow-up opt-in checkbox.
    pub follow_up: String,
}

/// The field names a site may override, as written in JavaScript.
pub const FIELDS: [&str; 16] = [
    "effortStatement",
    "stronglyDisagree",
    "stronglyAgree",
    "effortCommentLabel",
    "lowScoreLabel",
    "highScoreLabel",
    "ventTitle",
    "ventLine",
    "ventCommentLabel",
    "optional",
    "submit",
    "noThanks",
    "close",
    "thanks",
    "privacyNote",
    "followUp",
];

impl Strings {
    /// The CES statement for `company` (every `{company}` replaced).
    pub fn statement(&self, company: &str) -> String {
        const PLACEHOLDER: &str = "{company}";
        let mut out = String::new();
        let mut rest = self.effort_statement.as_str();
        // (`split_at_checked`, not indexing: each index is a panic location
        // of its own in the wasm; `at` is always a boundary.)
        while let Some((before, after)) = find(rest, PLACEHOLDER).and_then(|at| rest.split_at_checked(at)) {
            out.push_str(before);
            out.push_str(company);
            rest = after.get(PLACEHOLDER.len()..).unwrap_or_default();
        }
        out.push_str(rest);
        out
    }

    /// The comment label for the score chosen so far.
    pub fn comment_label(&self, score: Option<u8>) -> &str {
        match score {
            Some(1..=3) => &self.low_score_label,
            Some(6..=7) => &self.high_score_label,
            _ => &self.effort_comment_label,
        }
    }

    /// The copy for `locale`: English, with the locale's tag and direction
    /// (a locale pack or a site's strings then replace the words).
    pub fn builtin(locale: &str) -> Strings {
        let lang = language(locale);
        let mut strings = Strings::from_table(&EN);
        strings.locale = locale.to_owned();
        strings.rtl = matches!(lang.as_str(), "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "sd" | "dv" | "ug");
        strings
    }

    /// Applies one set of strings (a locale pack: field name to text, and
    /// an optional `dir`).
    pub fn with_pack(mut self, set: Option<&Value>) -> Strings {
        if let Some(set) = set {
            self.apply(set);
        }
        self
    }

    fn apply(&mut self, set: &Value) {
        for (index, field) in FIELDS.into_iter().enumerate() {
            if let Some(Value::String(text)) = set.get(field) {
                *self.field_mut(index) = text.clone();
            }
        }
        if let Some(Value::String(dir)) = set.get("dir") {
            self.rtl = dir.eq_ignore_ascii_case("rtl");
        }
    }

    /// Applies a site's overrides for this language: `overrides` maps locale
    /// tags (`"ar"`, `"zh-TW"`) to objects of strings; the entry for the
    /// exact tag wins over the one for its language.
    pub fn with_overrides(mut self, overrides: &Value) -> Strings {
        let lang = language(&self.locale);
        let Value::Object(locales) = overrides else { return self };
        let mut matching: Vec<&Value> = Vec::new();
        for (tag, set) in locales {
            if language(tag) == lang && !tag.eq_ignore_ascii_case(&self.locale) {
                matching.push(set);
            }
        }
        for (tag, set) in locales {
            if tag.eq_ignore_ascii_case(&self.locale) {
                matching.push(set);
            }
        }
        for set in matching {
            self.apply(set);
        }
        self
    }

    /// The field named `FIELDS[index]` (by its place, as [`Strings::from_table`]
    /// reads the table: matching the name again was a string comparison
    /// per field).
    fn field_mut(&mut self, index: usize) -> &mut String {
        match index {
            0 => &mut self.effort_statement,
            1 => &mut self.strongly_disagree,
            2 => &mut self.strongly_agree,
            3 => &mut self.effort_comment_label,
            4 => &mut self.low_score_label,
            5 => &mut self.high_score_label,
            6 => &mut self.vent_title,
            7 => &mut self.vent_line,
            8 => &mut self.vent_comment_label,
            9 => &mut self.optional,
            10 => &mut self.submit,
            11 => &mut self.no_thanks,
            12 => &mut self.close,
            13 => &mut self.thanks,
            14 => &mut self.privacy_note,
            _ => &mut self.follow_up,
        }
    }

    fn from_table(t: &Table) -> Strings {
        let s = |i: usize| t.1.get(i).copied().unwrap_or_default().to_owned();
        Strings {
            locale: t.0.to_owned(),
            rtl: false,
            effort_statement: s(0),
            strongly_disagree: s(1),
            strongly_agree: s(2),
            effort_comment_label: s(3),
            low_score_label: s(4),
            high_score_label: s(5),
            vent_title: s(6),
            vent_line: s(7),
            vent_comment_label: s(8),
            optional: s(9),
            submit: s(10),
            no_thanks: s(11),
            close: s(12),
            thanks: s(13),
            privacy_note: s(14),
            follow_up: s(15),
        }
    }
}

/// Checks a site's `strings` option: locale tags to objects of known
/// fields with string values.
pub fn validate_overrides(value: &Value, field: &str) -> Result<(), Error> {
    let Value::Object(locales) = value else {
        return Err(Error::new(
            field,
            ErrorKind::WrongType { expected: "an object of locale tags to strings", found: value.kind() },
        ));
    };
    for (tag, set) in locales {
        let name = [field, ".", tag].concat();
        let Value::Object(entries) = set else {
            return Err(Error::new(name, ErrorKind::WrongType { expected: "an object of strings", found: set.kind() }));
        };
        for (key, text) in entries {
            let known = FIELDS.contains(&key.as_str()) || key == "dir";
            if !known {
                return Err(Error::new(
                    [name.as_str(), ".", key].concat(),
                    ErrorKind::BadText { expected: "a known string name (see the README)", found: key.clone() },
                ));
            }
            if !matches!(text, Value::String(_)) {
                return Err(Error::new(
                    [name.as_str(), ".", key].concat(),
                    ErrorKind::WrongType { expected: "a string", found: text.kind() },
                ));
            }
            if let (true, Value::String(dir)) = (key == "dir", text) {
                // (In any case, as it is applied: "RTL" worked before.)
                if !dir.eq_ignore_ascii_case("rtl") && !dir.eq_ignore_ascii_case("ltr") {
                    return Err(Error::new(
                        [name.as_str(), ".dir"].concat(),
                        ErrorKind::BadText { expected: "\"rtl\" or \"ltr\"", found: dir.clone() },
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The first locale given, or English.
pub fn choose_locale(candidates: &[Option<&str>]) -> String {
    candidates
        .iter()
        .flatten()
        .map(|l| l.trim())
        .find(|l| {
            !l.is_empty() && l.len() <= 35 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(|l| l.chars().map(|c| if c == '_' { '-' } else { c }).collect())
        .unwrap_or_else(|| "en".to_owned())
}

/// The language subtag, lower-cased: `zh-Hant-TW` -> `zh`.
fn language(locale: &str) -> String {
    let end = locale.bytes().position(|b| b == b'-' || b == b'_').unwrap_or(locale.len());
    locale.get(..end).unwrap_or(locale).to_ascii_lowercase()
}

/// The locale packs there are (`www/locales/<tag>.json`).
pub const PACKS: [&str; 11] = ["ar", "de", "es", "fr", "hi", "id", "ja", "ko", "pt-BR", "zh-Hans", "zh-Hant"];

/// The pack for `locale`: by its language (`es-MX` -> `es`, any `pt` ->
/// `pt-BR`), and for Chinese by its script or region (`zh-TW`, `zh-HK`,
/// `zh-Hant` -> `zh-Hant`; other `zh` -> `zh-Hans`). `None` for English
/// and languages without a pack. The loader (`www/core.js`) maps the same
/// way, to fetch the pack before the wasm asks.
pub fn pack_tag(locale: &str) -> Option<&'static str> {
    let lang = language(locale);
    match lang.as_str() {
        "zh" if traditional(locale) => Some("zh-Hant"),
        "zh" => Some("zh-Hans"),
        "pt" => Some("pt-BR"),
        _ => PACKS.iter().copied().find(|p| *p == lang),
    }
}

fn traditional(locale: &str) -> bool {
    let lower = locale.to_ascii_lowercase();
    find(&lower, "hant").is_some() || lower.ends_with("-tw") || lower.ends_with("-hk") || lower.ends_with("-mo")
}

/// Where `needle` (ASCII, not empty) first starts in `text`, comparing
/// bytes: `str::replace` and `str::contains` with a string pattern brought
/// the standard library's two-way string searcher into the wasm (2.2 KB)
/// for the statement and the check for Chinese in traditional script.
fn find(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes().windows(needle.len()).position(|w| w == needle.as_bytes())
}

type Table = (&'static str, [&'static str; 16]);

const EN: Table = ("en", [
    "{company} made it easy for me to handle my issue.",
    "Strongly disagree",
    "Strongly agree",
    "What would have made it easier?",
    "What made it hard?",
    "Anything we could do better?",
    "Anything you want to tell us?",
    "Sorry this was harder than it should have been. If you like, tell us what happened; the team reads every word. No score, no pressure.",
    "Your message",
    "(optional)",
    "Submit",
    "No thanks",
    "Close",
    "Thank you, we read every answer.",
    "We remove email addresses, phone numbers, card and bank account numbers before sending.",
    "You may contact me about this",
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_sets_its_own_field() {
        let set = Value::Object(FIELDS.iter().map(|f| ((*f).to_owned(), Value::String((*f).to_owned()))).collect());
        let s = Strings::builtin("en").with_pack(Some(&set));
        let fields = [
            &s.effort_statement,
            &s.strongly_disagree,
            &s.strongly_agree,
            &s.effort_comment_label,
            &s.low_score_label,
            &s.high_score_label,
            &s.vent_title,
            &s.vent_line,
            &s.vent_comment_label,
            &s.optional,
            &s.submit,
            &s.no_thanks,
            &s.close,
            &s.thanks,
            &s.privacy_note,
            &s.follow_up,
        ];
        // The names as the README lists them, not `FIELDS` again: a
        // reordered `FIELDS` must fail here.
        let names = [
            "effortStatement",
            "stronglyDisagree",
            "stronglyAgree",
            "effortCommentLabel",
            "lowScoreLabel",
            "highScoreLabel",
            "ventTitle",
            "ventLine",
            "ventCommentLabel",
            "optional",
            "submit",
            "noThanks",
            "close",
            "thanks",
            "privacyNote",
            "followUp",
        ];
        assert_eq!(fields.len(), names.len());
        for (field, name) in fields.into_iter().zip(names) {
            assert_eq!(field, name);
        }
    }
}
