//! The lexicons: one data file per language (`lexicons/*.lex`), compiled
//! into the binary (feature `embedded-lexicons`, the default) or fetched by
//! the browser build only when a context has messages and [`install`]ed,
//! and parsed once. Adding a language is adding a file here and its name
//! in [`FILES`] (and `SOURCES`); no code changes.
//!
//! File format (UTF-8, `#` starts a comment line):
//!
//! ```text
//! @spaces yes             # yes: words are separated by spaces (match whole words)
//! [frustrated]            # a label section: frustrated, waited, cancel_intent,
//! 2 ridiculous            #   grateful, or neutral (phrases that only mask others)
//! 1.5 cancel*             # a trailing * matches any word starting with it
//! [negators]              # words that flip what follows ("not happy")
//! not
//! [intensifiers]          # words that multiply what follows ("so slow")
//! 1.5 so
//! [leaving]               # cancel_intent phrases that mean leaving whatever
//! 2 never buying again    #   they mention ([oneoff] does not apply)
//! [retract]               # phrases that take back the message before
//! ignore what i said      #   ("cancel that last message"): weightless
//! [sarcasm]               # markers that turn this message's thanks into
//! 1 another week          #   frustration ("wonderful, another week")
//! [contrast]              # "X but Y": Y is what the customer means
//! but                     #   (weightless, like neutral and retract)
//! [ifs]                   # a leaving phrase after one of these in a
//! 如果                    #   sentence that ends in "?" only asks
//! [conditionals]          # a leaving phrase after one of these in its
//! if i ever               #   clause is a question, not an intent; a
//!                         #   sentence with one that asks denies the
//!                         #   model leaving
//! [oneoff]                # a leaving phrase with one of these in its clause
//! appointment             #   cancels one thing, not the customer's business,
//! [standing]              #   unless one of these is there too
//! account
//! [nows]                  # "now", "today": one followed by a date or a time,
//! today is                #   in a message that names an earlier one, counts
//!                         #   a wait ("约了 2:30 现在 4:10")
//! [closers]               # in a language without spaces, one of these and
//! 删掉                    #   a [standing] word in one clause, in either
//!                         #   order ("帐号删掉"), is a leaving phrase
//! [threats]               # a leaving phrase after one of these in its
//! or i'm                  #   sentence ("sort it out or I'm leaving", "否则"),
//!                         #   or after an [ifs] word and a negator ("if it
//!                         #   isn't fixed"), is a threat: frustrated, not
//!                         #   leaving
//! [courtesies]            # an "if" in one of these is no condition ("if
//! if you don't mind       #   you don't mind, close my account")
//! [reported]              # "says", "说": after one of these, with a
//! says                    #   [reporters] word just before it ("my mum
//! [reporters]             #   says", "我个仔话"), to the end of the
//! mum                     #   clause, what is complained of is someone
//!                         #   else's words (weightless, like retract)
//! [normalize]             # rewrites before matching, `from to`: written
//! 咗 了                   #   Cantonese into standard forms
//! ```
//!
//! Phrases of several words (or of three or more characters) also match
//! with a few words (characters) inserted inside them, a little less
//! (`score`).

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::boxed::Box;
use core::sync::atomic::{AtomicPtr, Ordering};

use super::model::Model;
use super::normalize::{fold, fold_pairs, normalize};
use super::score::Label;

/// Every lexicon file, in the order they are applied (by name: the
/// bundle `cargo xtask dist` writes for the browser has them in this order).
pub const FILES: [&str; 4] = ["en.lex", "symbols.lex", "yue.lex", "zh.lex"];

#[cfg(feature = "embedded-lexicons")]
const FOLD: &str = include_str!("lexicons/fold.txt");

#[cfg(feature = "embedded-lexicons")]
const MODEL: &str = include_str!("lexicons/model.txt");

#[cfg(feature = "embedded-lexicons")]
const SOURCES: [&str; 4] = [
    include_str!("lexicons/en.lex"),
    include_str!("lexicons/symbols.lex"),
    include_str!("lexicons/yue.lex"),
    include_str!("lexicons/zh.lex"),
];

/// One language's phrases and modifiers.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Words are separated by spaces: match whole words, allow typos.
    pub spaces: bool,
    pub entries: Vec<Entry>,
    pub negators: Vec<String>,
    /// `[conditionals]`: "if I ever" before a leaving phrase.
    pub conditionals: Vec<String>,
    /// `[ifs]`: a bare "if" ("如果", "假設") before a leaving phrase in a
    /// sentence that asks (ends in "?") makes it a question; without the
    /// question mark it may be a threat ("如果不解决我就取消").
    pub ifs: Vec<String>,
    /// `[oneoff]`: things cancelled once ("table", "appointment", "改期").
    pub one_off: Vec<String>,
    /// `[standing]`: what a customer leaves by cancelling ("account").
    pub standing: Vec<String>,
    /// `[closers]`: verbs that end what a `[standing]` word names, in
    /// either order ("删掉帐号", "帐号删掉", "close户口").
    pub closers: Vec<String>,
    /// `[nows]`: "now", "today is": followed by a date or a time in a
    /// message that names an earlier one, the customer counts a wait.
    pub nows: Vec<String>,
    /// `[reporters]`: "mum", "我妈": one before a `[reported]` word
    /// ("my mum keeps saying") makes what follows someone else's words.
    pub reporters: Vec<String>,
    /// `[threats]`: "or I'm", "否则": one before a leaving phrase in its
    /// sentence makes it a threat, not leaving (`score::threat`).
    pub threats: Vec<String>,
    /// `[courtesies]`: "if you don't mind", "不麻烦": an "if" in one is no
    /// condition (`score::threat`).
    pub courtesies: Vec<String>,
    pub intensifiers: Vec<(String, f32)>,
    /// Entries by their first word (space languages) or first character
    /// (the others), so a message is scanned once, not once per phrase.
    /// Sorted by key, for a binary search.
    pub by_first: Vec<(String, Vec<usize>)>,
    /// Entries ending in `*`, checked against every word.
    pub prefixes: Vec<usize>,
    /// `[normalize]` pairs: (from, to).
    pub rewrites: Vec<(String, String)>,
}

/// A phrase that signals `label` with `weight`.
#[derive(Debug)]
pub struct Entry {
    pub phrase: String,
    pub label: Label,
    pub weight: f32,
    /// Matches any word that starts with `phrase`.
    pub prefix: bool,
    /// `[leaving]`: means leaving whatever it mentions ("never buying
    /// from you again", "以后不会再在你们家买"): a `[oneoff]` word beside
    /// it does not make it one thing cancelled.
    pub always: bool,
}

/// Every lexicon, parsed, with every `[normalize]` pair longest first and
/// the Traditional-to-Simplified pairs.
struct Parsed {
    lexicons: Vec<Lexicon>,
    rewrites: Vec<(String, String)>,
    fold: Vec<(char, char)>,
    /// The learned weights (`model.txt`), if the bundle had a readable one.
    model: Option<Model>,
}

/// The lexicons once parsed or installed, set once and never freed (a
/// `OnceLock` without `std`).
static PARSED: AtomicPtr<Parsed> = AtomicPtr::new(core::ptr::null_mut());

// What `OnceLock` required: the lexicons are shared by every thread.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<Parsed>()
};

/// The lexicons, if set.
fn current() -> Option<&'static Parsed> {
    // SAFETY: PARSED is null or a leaked Box that is never freed or moved.
    unsafe { PARSED.load(Ordering::Acquire).as_ref() }
}

/// Sets the lexicons unless they were set already: false then (the first
/// ones stay).
fn set(parsed: Parsed) -> bool {
    let new = Box::into_raw(Box::new(parsed));
    match PARSED.compare_exchange(core::ptr::null_mut(), new, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => true,
        Err(_) => {
            // SAFETY: `new` was never shared.
            drop(unsafe { Box::from_raw(new) });
            false
        }
    }
}

fn parsed<'a>(fold: &str, model: &str, sources: impl Iterator<Item = &'a str>) -> Parsed {
    let fold = fold_pairs(fold);
    let lexicons: Vec<Lexicon> = sources.map(|s| parse(s, &fold)).collect();
    let mut rewrites: Vec<(String, String)> = lexicons.iter().flat_map(|l| l.rewrites.iter().cloned()).collect();
    // Longest first (an insertion sort: a few dozen pairs, and `sort_by`
    // would add its code to the wasm).
    for i in 1..rewrites.len() {
        let mut j = i;
        while j > 0 && rewrites[j - 1].0.len() < rewrites[j].0.len() {
            rewrites.swap(j - 1, j);
            j -= 1;
        }
    }
    Parsed { lexicons, rewrites, fold, model: Model::parse(model) }
}

fn get() -> Option<&'static Parsed> {
    #[cfg(feature = "embedded-lexicons")]
    if current().is_none() {
        set(parsed(FOLD, MODEL, SOURCES.into_iter()));
    }
    current()
}

/// The parsed lexicons (none until [`install`]ed in a build without
/// `embedded-lexicons`: the reader then finds nothing).
pub fn lexicons() -> &'static [Lexicon] {
    get().map_or(&[], |p| p.lexicons.as_slice())
}

/// Every lexicon's `[normalize]` pairs, longest `from` first.
pub fn rewrites() -> &'static [(String, String)] {
    get().map_or(&[], |p| p.rewrites.as_slice())
}

/// The Traditional-to-Simplified pairs.
pub fn folds() -> &'static [(char, char)] {
    get().map_or(&[], |p| p.fold.as_slice())
}

/// The learned model, if the lexicons came with one.
pub fn model() -> Option<&'static Model> {
    get().and_then(|p| p.model.as_ref())
}

/// Whether the lexicons are there to read with.
pub fn installed() -> bool {
    get().is_some()
}

/// Installs lexicons fetched at run time: the bundle `cargo xtask dist`
/// writes, `fold.txt`, `model.txt` and the files of [`FILES`], each after
/// a line `@lexicon NAME`. False if lexicons were there already (the first
/// ones stay).
pub fn install(bundle: &str) -> bool {
    if installed() {
        return false;
    }
    set(from_bundle(bundle))
}

fn from_bundle(bundle: &str) -> Parsed {
    let parts: Vec<(&str, &str)> = split_bundle(bundle).collect();
    let part = |wanted: &str| parts.iter().find(|(name, _)| *name == wanted).map_or("", |(_, body)| *body);
    let lexicons = parts.iter().filter(|(name, _)| !matches!(*name, "fold.txt" | "model.txt")).map(|(_, body)| *body);
    parsed(part("fold.txt"), part("model.txt"), lexicons)
}

/// The files of a bundle: (name, text).
pub fn split_bundle(bundle: &str) -> impl Iterator<Item = (&str, &str)> {
    bundle.split("@lexicon ").filter(|part| !part.trim().is_empty()).map(|part| {
        let (name, body) = part.split_once('\n').unwrap_or((part, ""));
        (name.trim(), body)
    })
}

impl Lexicon {
    /// The key an entry or a message position is indexed by.
    pub fn key<'t>(&self, text: &'t str) -> &'t str {
        let end = if self.spaces {
            text.find(|c: char| !super::normalize::is_word_char(c)).unwrap_or(text.len())
        } else {
            text.chars().next().map_or(0, char::len_utf8)
        };
        &text[..end]
    }

    fn index(&mut self) {
        for (i, entry) in self.entries.iter().enumerate() {
            if entry.prefix && self.spaces {
                self.prefixes.push(i);
                continue;
            }
            let key = self.key(&entry.phrase).to_owned();
            match self.by_first.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
                Ok(at) => self.by_first[at].1.push(i),
                Err(at) => self.by_first.insert(at, (key, vec![i])),
            }
        }
    }

    /// The entries whose first word (or character) is `key`.
    pub fn starting_with(&self, key: &str) -> &[usize] {
        match self.by_first.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(at) => &self.by_first[at].1,
            Err(_) => &[],
        }
    }
}

/// Parses one lexicon file. Malformed lines are skipped (the native tests
/// check that the shipped files have none).
pub fn parse(source: &str, folds: &[(char, char)]) -> Lexicon {
    let mut lexicon = Lexicon::default();
    let mut section = "";
    for line in source.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(value) = line.strip_prefix("@spaces") {
            lexicon.spaces = value.trim() == "yes";
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
            continue;
        }
        match section {
            "negators" => lexicon.negators.push(fold(&normalize(line), folds)),
            "conditionals" => lexicon.conditionals.push(fold(&normalize(line), folds)),
            "ifs" => lexicon.ifs.push(fold(&normalize(line), folds)),
            "oneoff" => lexicon.one_off.push(fold(&normalize(line), folds)),
            "standing" => lexicon.standing.push(fold(&normalize(line), folds)),
            "closers" => lexicon.closers.push(fold(&normalize(line), folds)),
            "nows" => lexicon.nows.push(fold(&normalize(line), folds)),
            "reporters" => lexicon.reporters.push(fold(&normalize(line), folds)),
            "threats" => lexicon.threats.push(fold(&normalize(line), folds)),
            "courtesies" => lexicon.courtesies.push(fold(&normalize(line), folds)),
            "normalize" => {
                if let Some((from, to)) = line.split_once([' ', '\t']) {
                    lexicon.rewrites.push((normalize(from), normalize(to.trim())));
                }
            }
            "intensifiers" => {
                if let Some((factor, word)) = weighted(line) {
                    lexicon.intensifiers.push((fold(&normalize(word), folds), factor));
                }
            }
            _ => {
                let always = section == "leaving";
                let Some(label) = Label::from_section(if always { "cancel_intent" } else { section }) else {
                    continue;
                };
                let (weight, phrase) = match label {
                    Label::Neutral | Label::Retract | Label::Contrast | Label::Reported => (0.0, line),
                    _ => match weighted(line) {
                        Some(pair) => pair,
                        None => continue,
                    },
                };
                let (phrase, prefix) = match phrase.strip_suffix('*') {
                    Some(stem) => (stem, true),
                    None => (phrase, false),
                };
                lexicon.entries.push(Entry { phrase: fold(&normalize(phrase), folds), label, weight, prefix, always });
            }
        }
    }
    lexicon.index();
    lexicon
}

/// `"1.5 so"` -> `(1.5, "so")`.
fn weighted(line: &str) -> Option<(f32, &str)> {
    let (number, rest) = line.split_once([' ', '\t'])?;
    let weight = super::decimal::parse_decimal(number)? as f32;
    Some((weight, rest.trim()))
}

/// Lines of the shipped files that do not parse (for the tests).
/// The sections that are plain lists of words, one per line (no weight).
#[cfg(feature = "embedded-lexicons")]
const WORD_LISTS: [&str; 10] =
    ["negators", "conditionals", "ifs", "oneoff", "standing", "closers", "nows", "reporters", "threats", "courtesies"];

#[cfg(feature = "embedded-lexicons")]
pub fn malformed_lines() -> Vec<String> {
    let mut bad = Vec::new();
    for source in SOURCES {
        let mut section = "";
        for line in source.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with("@spaces") {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = name;
                let known = WORD_LISTS.contains(&name) || matches!(name, "intensifiers" | "normalize" | "leaving");
                if !known && Label::from_section(name).is_none() {
                    bad.push(line.to_owned());
                }
                continue;
            }
            let ok = match section {
                _ if WORD_LISTS.contains(&section) => true,
                "neutral" | "retract" | "contrast" | "reported" => true,
                "normalize" => line.split_once([' ', '\t']).is_some_and(|(_, to)| !to.trim().is_empty()),
                _ => weighted(line).is_some_and(|(_, p)| !p.is_empty()),
            };
            if !ok {
                bad.push(line.to_owned());
            }
        }
    }
    bad
}

#[cfg(all(test, feature = "embedded-lexicons"))]
mod tests {
    use super::*;

    /// The bundle the browser fetches (as `cargo xtask dist` writes it)
    /// reads as the compiled-in lexicons do.
    #[test]
    fn a_bundle_reads_like_the_embedded_lexicons() {
        let mut bundle = String::from("@lexicon fold.txt\n");
        bundle.push_str(FOLD);
        bundle.push_str("@lexicon model.txt\n");
        bundle.push_str(MODEL);
        for (name, source) in FILES.iter().zip(SOURCES) {
            bundle.push_str("\n@lexicon ");
            bundle.push_str(name);
            bundle.push('\n');
            bundle.push_str(source);
        }
        let parts: Vec<(&str, &str)> = split_bundle(&bundle).collect();
        let names: Vec<&str> = parts.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["fold.txt", "model.txt", "en.lex", "symbols.lex", "yue.lex", "zh.lex"]);
        let from_bundle = from_bundle(&bundle);
        let embedded = get().unwrap();
        assert!(embedded.model.is_some(), "the shipped model.txt reads");
        assert_eq!(from_bundle.model, embedded.model);
        assert_eq!(from_bundle.fold, embedded.fold);
        assert_eq!(from_bundle.rewrites, embedded.rewrites);
        for (a, b) in from_bundle.lexicons.iter().zip(&embedded.lexicons) {
            let phrases = |l: &Lexicon| l.entries.iter().map(|e| (e.phrase.clone(), e.always)).collect::<Vec<_>>();
            assert_eq!(phrases(a), phrases(b));
            assert_eq!(
                (&a.negators, &a.conditionals, &a.ifs, &a.one_off, &a.standing, &a.closers, &a.nows),
                (&b.negators, &b.conditionals, &b.ifs, &b.one_off, &b.standing, &b.closers, &b.nows)
            );
            assert_eq!((&a.reporters, &a.threats, &a.courtesies), (&b.reporters, &b.threats, &b.courtesies));
        }
    }
}
