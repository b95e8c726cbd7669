//! Scoring one message: rewrite written Cantonese into standard forms,
//! find every lexicon phrase in it (longest phrases first, so "thanks for
//! nothing" is not also "thanks"; a phrase of several words also with a
//! word or two inserted, "waited nearly two whole days"), adjust each for
//! a negator or intensifier just before it, turn thanks into frustration
//! when a sarcasm marker says so, then add what shouting says.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::lexicon::{folds, lexicons, rewrites, Entry, Lexicon};
use super::normalize::{fold, is_cjk, is_word_char, normalize, rewrite};

/// What a lexicon phrase signals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Frustrated,
    Waited,
    CancelIntent,
    Grateful,
    /// Signals nothing; masks shorter phrases inside it ("no problem").
    Neutral,
    /// Takes back the customer's previous message ("ignore what I said").
    Retract,
    /// Turns this message's thanks into frustration ("another week").
    Sarcasm,
    /// "X but Y": Y is what the customer means.
    Contrast,
    /// Someone else's words follow when a `[reporters]` word is just
    /// before it ("my mum says", "我个仔话"): what they complain of in
    /// its clause is not the customer's.
    Reported,
}

impl Label {
    pub fn from_section(name: &str) -> Option<Label> {
        Some(match name {
            "frustrated" => Label::Frustrated,
            "waited" => Label::Waited,
            "cancel_intent" => Label::CancelIntent,
            "grateful" => Label::Grateful,
            "neutral" => Label::Neutral,
            "retract" => Label::Retract,
            "sarcasm" => Label::Sarcasm,
            "contrast" => Label::Contrast,
            "reported" => Label::Reported,
            _ => return None,
        })
    }
}

/// The raw strength of each signal in one message.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub frustrated: f32,
    pub waited: f32,
    pub cancel_intent: f32,
    pub grateful: f32,
    /// The message takes back the one before it.
    pub retract: bool,
    /// The signals the message says in so many words are not there
    /// ([`DENIED_FRUSTRATED`] and the others, or-ed): a phrase of theirs
    /// negated ("I don't want to cancel", "not annoyed at all"), a threat;
    /// and [`ASKED`]: a leaving phrase that only asks or cancels one
    /// thing, or a hypothetical question, which keep the model from
    /// reading leaving but take back nothing said before.
    pub denied: u8,
}

pub const DENIED_FRUSTRATED: u8 = 1;
pub const DENIED_WAITED: u8 = 2;
pub const DENIED_CANCEL: u8 = 4;
/// The message says a condition ("if it happens again…", "再这样…") and
/// no leaving phrase: whatever leaving words it has are a threat, not for
/// the model to read as leaving ("One more time and I'm flying with
/// someone else", "这次再补发错，我以后就不在你家买了").
pub const THREATENED: u8 = 8;
/// The message's leaving words only ask ("if I ever closed my account,
/// would I…?", a hypothetical question in any words) or cancel one thing
/// ("cancel our table for Saturday"): the model does not read leaving
/// into them, and a leaving the customer stated before stands (where a
/// denial, [`DENIED_CANCEL`], takes it back).
pub const ASKED: u8 = 16;

impl Scores {
    /// The signals the message says are there, as [`Scores::denied`] bits.
    pub fn said(&self) -> u8 {
        (u8::from(self.frustrated > 0.0) * DENIED_FRUSTRATED)
            | (u8::from(self.waited > 0.0) * DENIED_WAITED)
            | (u8::from(self.cancel_intent > 0.0) * (DENIED_CANCEL | THREATENED | ASKED))
    }
}

impl Label {
    /// The [`Scores::denied`] bit of a signal the model also reads.
    fn denied_bit(self) -> u8 {
        match self {
            Label::Frustrated => DENIED_FRUSTRATED,
            Label::Waited => DENIED_WAITED,
            Label::CancelIntent => DENIED_CANCEL,
            _ => 0,
        }
    }
}

/// One phrase found in a message, as `cargo xtask explain` shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// The matched text of the normalized message.
    pub text: String,
    pub label: Label,
    pub weight: f32,
    pub negated: bool,
    /// Matched with words (characters) inserted inside the phrase.
    pub gapped: bool,
}

/// One message, read: its normalized text, the phrases found, the scores.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading {
    pub normalized: String,
    pub matches: Vec<Match>,
    pub scores: Scores,
}

/// A misspelt word still counts, a little less.
const TYPO_DISCOUNT: f32 = 0.8;
/// Words shorter than this are too easy to confuse to forgive typos in.
const TYPO_MIN_CHARS: usize = 5;
/// A phrase matched with words inserted inside it counts a little less.
const GAP_DISCOUNT: f32 = 0.9;
/// Words that may be inserted inside a phrase of several words.
const MAX_GAP_WORDS: usize = 2;
/// Characters that may be inserted inside a phrase of four or five
/// characters (one more from six); shorter phrases never stretch: "不要喇"
/// would be found in "不需要喇".
const MAX_GAP_CHARS: usize = 2;

struct Found {
    start: usize,
    end: usize,
    label: Label,
    weight: f32,
    lexicon: usize,
    gapped: bool,
    /// A `[leaving]` phrase: leaving whatever it mentions.
    always: bool,
}

impl Found {
    /// Lexicon `lexicon`'s `entry`, found at `start..end` with `weight`.
    fn of(entry: &Entry, start: usize, end: usize, lexicon: usize, weight: f32, gapped: bool) -> Found {
        Found { start, end, label: entry.label, weight, lexicon, gapped, always: entry.always }
    }
}

/// Scores one message.
pub fn score_message(text: &str) -> Scores {
    read_message(text, false).scores
}

/// Reads one message, keeping what was found (for `explain`).
pub fn explain_message(text: &str) -> Reading {
    read_message(text, true)
}

// (Inlined into its one caller in the browser build, which the threat
// reading had stopped: 84 bytes gzip.)
#[inline(always)]
fn read_message(text: &str, keep: bool) -> Reading {
    let norm = fold(&rewrite(&normalize(text), rewrites(), true), folds());
    let has_latin = norm.bytes().any(|b| b.is_ascii_alphabetic());
    let lexicons = lexicons();

    let mut found = Vec::new();
    let word_starts: Vec<(usize, &str)> = if has_latin { words(&norm) } else { Vec::new() };
    for (index, lexicon) in lexicons.iter().enumerate() {
        if lexicon.spaces {
            if has_latin {
                find_words(&norm, &word_starts, index, lexicon, &mut found);
            }
            continue;
        }
        for (start, _) in norm.char_indices() {
            for &i in lexicon.starting_with(lexicon.key(&norm[start..])) {
                let entry = &lexicon.entries[i];
                let (end, gapped) = if norm[start..].starts_with(entry.phrase.as_str()) {
                    (Some(start + entry.phrase.len()), false)
                } else if matches!(entry.label, Label::Sarcasm | Label::Neutral) {
                    // Irony is in the exact words: "真是感谢" with a word
                    // inside ("真是非常感谢") is real thanks. So is a mask:
                    // "不好意思刚刚口气很差" stretched over "你" or "客服"
                    // would hide the complaint it holds.
                    (None, false)
                } else {
                    let end = gapped_chars(&norm[start..], &entry.phrase).map(|len| start + len);
                    (end.filter(|&end| !negator_inserted(&norm[start..end], &entry.phrase, lexicon)), true)
                };
                if let Some(end) = end {
                    let weight = if gapped { entry.weight * GAP_DISCOUNT } else { entry.weight };
                    found.push(Found::of(entry, start, end, index, weight, gapped));
                }
            }
        }
        find_closed(&norm, index, lexicon, &mut found);
    }
    // Dates and times, read with their numbers; not in a message that
    // thanks ("3号的订单收到了，今天5号那单也到了，谢谢").
    let thanks = found.iter().any(|f| f.label == Label::Grateful);
    if !thanks && text.bytes().any(|b| b.is_ascii_digit()) {
        find_elapsed(text, &norm, has_latin, &mut found);
    }
    if has_latin {
        find_typos(&norm, lexicons, &mut found);
    }

    // Longest first; a phrase inside a longer one does not count again.
    // (A selection, not a sort: a message has a handful of matches, and a
    // sort would add kilobytes to the wasm.)
    // Where each candidate phrase ends: in a language without spaces, what
    // decides a negation starts after the phrase before ("不错不错" is
    // praised twice, not "not good").
    let ends: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.end)).collect();
    // "No, all good": a message that starts by answering the agent's
    // question with "no" does not negate what follows.
    let answer = word_starts
        .first()
        .filter(|&&(at, word)| at == 0 && ANSWERS.contains(&word))
        .map_or(0, |&(_, word)| word.len());
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut scores = Scores::default();
    let mut matches = Vec::new();
    let mut sarcasm = 0.0;
    // What counts, by where it starts, and where the last "but" is.
    let mut counted: Vec<(usize, Label, f32)> = Vec::new();
    let mut contrast: Option<usize> = None;
    let mut retract_at: Option<usize> = None;
    // Where someone else's words are: after a `[reported]` word said by
    // someone (`by_someone`), to the end of its clause (in Chinese also a
    // space, a pause in chat): "my dad keeps saying your app is useless"
    // reports a complaint; "我同事说你们要手续费 很坑" makes one after the pause.
    let mut reported: Vec<(usize, usize)> = Vec::new();
    while let Some(best) = (0..found.len()).max_by(|&a, &b| {
        let (a, b) = (&found[a], &found[b]);
        (a.end - a.start).cmp(&(b.end - b.start)).then(if a.weight > b.weight {
            core::cmp::Ordering::Greater
        } else {
            core::cmp::Ordering::Less
        })
    }) {
        let f = found.swap_remove(best);
        if let Some(&(s, _)) = taken.iter().find(|&&(s, e)| f.start < e && s < f.end) {
            // Hidden by a longer phrase that negates it ("don't want to
            // cancel", "no problem"): said in so many words not to be so.
            if s < f.start && negated(&norm[s..f.start], &lexicons[f.lexicon], 3) {
                scores.denied |= f.label.denied_bit();
            }
            continue;
        }
        taken.push((f.start, f.end));
        let lexicon = &lexicons[f.lexicon];
        // In Chinese a negator two or three characters before "thanks"
        // belongs to something else ("是我没搞懂 谢啦"): only right before counts.
        let reach = if f.label == Label::Grateful && !lexicon.spaces { 2 } else { 3 };
        let from = if lexicon.spaces {
            // ("No good" is still negative: a lone word right after "no".)
            let answers = answer > 0 && (!norm[answer..].starts_with(' ') || norm[f.start..f.end].contains(' '));
            if answers {
                answer.min(f.start)
            } else {
                0
            }
        } else {
            ends.iter().filter(|&&(s, e)| s < f.start && e <= f.start).map(|&(_, e)| e).max().unwrap_or(0)
        };
        let negated = negated(&norm[from..f.start], lexicon, reach)
            || (lexicon.spaces && negated_in_chinese(&norm[..f.start], lexicons));
        let mut weight = f.weight * intensity(&norm[..f.start], lexicon);
        if f.label == Label::CancelIntent && !negated {
            let threat = threat(&norm, f.start, f.end, lexicon.spaces, lexicons);
            if threat || !leaving(&norm, f.start, f.end, f.always, lexicons) {
                if threat {
                    counted.push((f.start, Label::Frustrated, weight));
                }
                weight = 0.0;
                scores.denied |= if threat { DENIED_CANCEL } else { ASKED };
            }
        }
        // ("能不能", "是不是" ask; they deny nothing.)
        if negated && !asks_either_way(&norm[from..f.start]) {
            scores.denied |= f.label.denied_bit();
        }
        match (f.label, negated) {
            (Label::Grateful, true) => counted.push((f.start, Label::Frustrated, weight)),
            (Label::Grateful | Label::Frustrated | Label::Waited | Label::CancelIntent, false) => {
                counted.push((f.start, f.label, weight));
            }
            (Label::Retract, _) => retract_at = retract_at.max(Some(f.start)),
            (Label::Sarcasm, false) => sarcasm += weight,
            (Label::Contrast, _) => contrast = contrast.max(Some(f.start)),
            (Label::Reported, _) if by_someone(&norm, f.start, lexicon) => {
                let to = their_words_end(&norm, f.end, lexicon.spaces);
                // Someone else's words, complaint or not, are not for the
                // model to read as the customer's ("my boyfriend swears
                // your deliveries are always late": no phrase, but angry
                // n-grams), until the customer complains in their own.
                if f.end < to {
                    scores.denied |= DENIED_FRUSTRATED | DENIED_WAITED;
                }
                reported.push((f.end, to));
            }
            _ => {}
        }
        if keep {
            matches.push(Match {
                text: norm[f.start..f.end].to_owned(),
                label: f.label,
                weight,
                negated,
                gapped: f.gapped,
            });
        }
    }
    // "The driver was awful but you've been great": what follows the last
    // "but" is what the customer means. Thanks before it never counts
    // ("I appreciate it, but..." softens a complaint); a complaint before
    // it does not count when thanks follow.
    // Only what comes before it in its own sentence: "Thanks, that fixed
    // it! But one more question" keeps its thanks.
    let before_but = |start: usize| contrast.is_some_and(|at| start < at && !norm[start..at].contains(SENTENCE_ENDS));
    let thanks_after =
        counted.iter().any(|&(start, label, w)| contrast < Some(start) && label == Label::Grateful && w > 0.0);
    // A retraction takes back what comes before it: in its own message
    // ("如果取消会员的话…只是问问", "我要取消会员 发错了") if a signal
    // comes before it there, else the previous message ("ignore what I
    // just said"). What it takes back here, the customer denied.
    let taken_back = |start: usize| retract_at.is_some_and(|at| start < at);
    // "My mate keeps saying your app is a nightmare, but...": a complaint
    // in someone else's words is not the customer's; and, as with a
    // negation, n-grams cannot read that, so the model has no say on the
    // customer's frustration or wait.
    let theirs = |start: usize| {
        reported
            .iter()
            .any(|&(from, to)| from <= start && start < to && !contrast.is_some_and(|c| from <= c && c < start))
    };
    let within = counted.iter().any(|&(start, label, w)| taken_back(start) && label.denied_bit() != 0 && w > 0.0);
    scores.retract = retract_at.is_some() && !within;
    for (start, label, weight) in counted {
        if within && taken_back(start) {
            scores.denied |= label.denied_bit();
            continue;
        }
        if matches!(label, Label::Frustrated | Label::Waited) && theirs(start) {
            // (Either: "she waited three weeks" is an angry story too.)
            scores.denied |= DENIED_FRUSTRATED | DENIED_WAITED;
            continue;
        }
        let before_but = before_but(start);
        if before_but && (label == Label::Grateful || (thanks_after && label != Label::CancelIntent)) {
            continue;
        }
        match label {
            Label::Grateful => scores.grateful += weight,
            Label::Frustrated => scores.frustrated += weight,
            Label::Waited => scores.waited += weight,
            Label::CancelIntent => scores.cancel_intent += weight,
            _ => {}
        }
    }
    // "Wonderful, another week": the thanks was not meant.
    if sarcasm > 0.0 {
        scores.frustrated += scores.grateful + sarcasm;
        scores.grateful = 0.0;
    }
    // "If I ever closed my account, would I lose my points?": a
    // hypothetical question says nothing of leaving, in whatever words.
    // Where no leaving phrase read it (so `leaving` never saw it), the
    // model's reading of leaving does not count either (an outsider's);
    // a leaving the customer stated before stands (a second reading's).
    if scores.cancel_intent == 0.0 && scores.denied & DENIED_CANCEL == 0 && asks_hypothetically(&norm, lexicons) {
        scores.denied |= ASKED;
    }
    if scores.cancel_intent == 0.0 && scores.denied & DENIED_CANCEL == 0 && threatens(&norm, lexicons) {
        scores.denied |= THREATENED;
    }
    shouting(text, &norm, &mut scores);
    Reading { normalized: if keep { norm } else { String::new() }, matches, scores }
}

/// What counting a wait in dates or times weighs: what the lexicons read
/// at this strength counts whatever the model says.
const ELAPSED: f32 = 2.0;

/// A wait counted in dates or times: a `[nows]` word ("现在", "it's
/// now", "today is") followed by a date or a time later than one the
/// message names before it ("约了 2:30 现在 4:10 还未叫我", "3月1号落单
/// 今天19号", "applied on 2 march. it is now 4 april"). The customer says
/// only facts; the facts say how long they waited. Not when the "now"
/// is not later ("我约的是15号，今天12号"), or its clause asks ("can I
/// move it to today's 3pm?").
///
/// The dates are read in the message rewritten a second time, keeping
/// its numbers (`norm` writes a count against a Chinese character as
/// `#`); the phrase found is placed on the same occurrence of the
/// `[nows]` word in `norm`. (Not inlined: the message's reading stays
/// inlined into the reader's one caller, 119 bytes gzip smaller.)
#[inline(never)]
fn find_elapsed(text: &str, norm: &str, has_latin: bool, found: &mut Vec<Found>) {
    let plain = fold(&rewrite(&normalize(text), rewrites(), false), folds());
    let plain = plain.as_str();
    for (index, lexicon) in lexicons().iter().enumerate().filter(|(_, l)| !l.spaces || has_latin) {
        find_elapsed_in(norm, plain, index, lexicon, found);
    }
}

/// [`find_elapsed`] for one lexicon's `[nows]` words, in `plain`.
fn find_elapsed_in(norm: &str, plain: &str, index: usize, lexicon: &Lexicon, found: &mut Vec<Found>) {
    for now in &lexicon.nows {
        for (nth, (start, _)) in plain.match_indices(now.as_str()).enumerate() {
            let end = start + now.len();
            let before = plain[..start].chars().next_back().unwrap_or(' ');
            // ("出现在", "实现在": not "now".)
            let inside = if lexicon.spaces {
                inside_word(plain, start) || !boundary_after(plain, end)
            } else {
                matches!(before, '出' | '实')
            };
            let question = asks(plain, end, end_of(plain, end, &CLAUSE_ENDS));
            let after = plain[end..].trim_start_matches(' ');
            let Some(later) = when(after).filter(|w| w.strict) else { continue };
            let earlier = plain[..start]
                .char_indices()
                .filter(|&(at, _)| starts_token(plain, at))
                .find_map(|(at, _)| when(&plain[at..]));
            let elapsed = earlier.is_some_and(|earlier| later.after(&earlier));
            if inside || question || !elapsed {
                continue;
            }
            if let Some((start, _)) = norm.match_indices(now.as_str()).nth(nth) {
                // The same words in `norm`, its counts written `#`.
                let token = &after[..later.len];
                let from = norm.len() - norm[start + now.len()..].trim_start_matches(' ').len();
                let end = from + aligned(token, &norm[from..]);
                found.push(Found {
                    start,
                    end,
                    label: Label::Waited,
                    weight: ELAPSED,
                    lexicon: index,
                    gapped: false,
                    always: false,
                });
            }
        }
    }
}

/// How long `token` (text with its numbers) is in `norm_from`, which
/// starts with the same text with some numbers written `#`.
fn aligned(token: &str, norm_from: &str) -> usize {
    let (mut i, mut j) = (0, 0);
    let (t, n) = (token.as_bytes(), norm_from.as_bytes());
    while i < t.len() && j < n.len() {
        if t[i].is_ascii_digit() && n[j] == b'#' {
            while i < t.len() && t[i].is_ascii_digit() {
                i += 1;
            }
        } else {
            i += 1;
        }
        j += 1;
    }
    j
}

/// Whether a date or a time may start at `at`: not inside a number or a word.
fn starts_token(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_none_or(|p| !p.is_ascii_alphanumeric())
}

/// Months, in English: a word of three letters or more that starts one of
/// these names ("sep", "sept", "april").
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// What follows "#号" when it numbers a building, a locker, a line or a
/// size, not a day.
const NOT_A_DAY: &str = "楼柜线门码房店机室座";

/// A date or a time at the start of a message's text.
#[derive(Clone, Copy)]
struct When {
    /// Its length in bytes.
    len: usize,
    /// A time of day, else a day.
    clock: bool,
    /// Minutes into the day, or `month * 100 + day` (the month 0 when
    /// only the day is named, the day 0 when only the month is).
    value: u32,
    /// Whole enough to follow "now": not a bare ordinal ("now 2nd one")
    /// or a month alone ("现在3月了").
    strict: bool,
}

impl When {
    /// Whether `self` comes a wait after `earlier`: half an hour on a
    /// clock (on a 12-hour dial), two days on a calendar (a day of the
    /// month into the next month, December into January).
    fn after(&self, earlier: &When) -> bool {
        if self.clock != earlier.clock {
            return true;
        }
        let (now, then) = (self.value, earlier.value);
        if self.clock {
            let now = if now < then && now < 12 * 60 { now + 12 * 60 } else { now };
            return now >= then + 30;
        }
        if now < 100 || then < 100 {
            let (now, then) = (now % 100, then % 100);
            return now >= then + 2 || then >= now + 15;
        }
        (now / 100 > then / 100 || now >= then + 2) || (then / 100 == 12 && now / 100 == 1)
    }
}

/// The date or time at the start of `text`, if one is there: "4:10",
/// "1/21", "19号", "3月1号", "3pm", "2nd", "4 april", "april 4".
fn when(text: &str) -> Option<When> {
    let b = text.as_bytes();
    let number = |from: usize| {
        let n = b.get(from..).unwrap_or_default().iter().take_while(|c| c.is_ascii_digit()).count();
        // (By hand: `str::parse` would bring its error machinery into the wasm.)
        let value = b.get(from..from + n).unwrap_or_default().iter().fold(0, |v, c| v * 10 + u32::from(c - b'0'));
        (n, Some(value).filter(|_| (1..=2).contains(&n)))
    };
    let month = |from: usize| {
        let n = b.get(from..).unwrap_or_default().iter().take_while(|c| c.is_ascii_alphabetic()).count();
        let name = &text[from..from + n];
        // "may" before a word is the verb ("2 may be gone").
        let verb = name == "may" && b.get(from + n + 1).is_some_and(u8::is_ascii_alphabetic);
        let at = MONTHS.iter().position(|m| n >= 3 && m.starts_with(name)).filter(|_| !verb)?;
        Some((n, at as u32 + 1))
    };
    let date = |month: u32, day: u32, len: usize| When { len, clock: false, value: month * 100 + day, strict: true };
    let (digits, value) = number(0);
    let Some(d) = value else {
        // "april 4"
        let (n, m) = month(0)?;
        let (more, day) = number(n + 1);
        return (b.get(n) == Some(&b' ') && more > 0).then_some(date(m, day?, n + 1 + more));
    };
    let rest = &text[digits..];
    let spaced = usize::from(rest.starts_with(' '));
    let word = &rest[spaced..];
    let meridian = |minutes: u32, after: &str| match () {
        _ if after.starts_with("pm") && minutes < 12 * 60 => minutes + 12 * 60,
        _ if after.starts_with("am") && minutes >= 12 * 60 => minutes - 12 * 60,
        _ => minutes,
    };
    let clock = |minutes: u32, len: usize| When { len, clock: true, value: minutes, strict: true };
    if let Some(after) = rest.strip_prefix(':') {
        // "4:10": two digits of minutes, so a score ("2:1") is not a time.
        let (n, minutes) = number(digits + 1);
        let minutes = minutes.filter(|&m| n == 2 && m < 60 && d <= 24)?;
        let spaces = after[2..].len() - after[2..].trim_start_matches(' ').len();
        let after = &after[2 + spaces..];
        let len = digits + 3 + if after.starts_with("am") || after.starts_with("pm") { spaces + 2 } else { 0 };
        return Some(clock(meridian(d * 60 + minutes, after), len));
    }
    if rest.starts_with('/') {
        // "1/21" (either order; one of the two is a month), not "24/7".
        let (n, second) = number(digits + 1);
        let second = second.filter(|&s| s <= 31 && d <= 31 && (d <= 12 || s <= 12) && (d, s) != (24, 7))?;
        return Some(date(d, second, digits + 1 + n));
    }
    if word.starts_with("am") || word.starts_with("pm") {
        let len = digits + spaced + 2;
        return boundary_after(text, len).then(|| clock(meridian(d % 12 * 60, word), len));
    }
    if spaced == 0 {
        let unit = rest.chars().next()?;
        let len = digits + unit.len_utf8();
        let after = &rest[unit.len_utf8()..];
        let day = |value: u32, len: usize, strict: bool| When { len, clock: false, value, strict };
        return match unit {
            '号' | '日' => (d <= 31 && !after.starts_with(|c| NOT_A_DAY.contains(c))).then_some(day(d, len, true)),
            '点' | '时' => Some(clock(d * 60, len)),
            // "3月1号" is a date; "3月" alone only before "now".
            '月' => match number(len) {
                (n, Some(of)) if after[n..].starts_with(['号', '日']) => Some(date(d, of, len + n + 3)),
                _ => Some(day(d * 100, len, false)),
            },
            _ => {
                let ordinal =
                    ["st", "nd", "rd", "th"].iter().any(|s| rest.starts_with(s)) && boundary_after(text, digits + 2);
                ordinal.then_some(day(d, digits + 2, false))
            }
        };
    }
    // "4 april"
    let (n, m) = month(digits + 1)?;
    Some(date(m, d, digits + 1 + n))
}

/// How many characters may stand between a `[closers]` verb and the
/// `[standing]` word it closes ("会员给我退了": two).
const CLOSE_BY: usize = 4;

/// What may stand between a closing verb and the account it closes.
const FILLER: &str = "我的个個这這那了给給帮幫都也全部就直接要请請麻烦煩你们們可以先把将將晒埋咗 ";
/// What may follow the account the verb closes, besides the end of the
/// clause: a particle or a small word.
const PARTICLES: &str = "吧啦了吗嗎呀喇啊喔哦嘛咯囉罷罢佢他它 都也全部就先再以后後";

/// A leaving phrase put together: a `[closers]` verb and a `[standing]`
/// word in one clause, at most [`CLOSE_BY`] characters apart, in either
/// order ("删掉帐号", "帐号删掉", "close户口"), in Chinese (the span holds a
/// Chinese character), with no negator in it and not in the passive
/// ("帐号被关了" is done to the customer). What it finds then goes through
/// the same checks as a listed phrase (negation, a question, one thing
/// cancelled).
fn find_closed(norm: &str, index: usize, lexicon: &Lexicon, found: &mut Vec<Found>) {
    for closer in &lexicon.closers {
        for (at, _) in norm.match_indices(closer.as_str()) {
            let end = at + closer.len();
            // "close", not "closet"; "del", not "delivery".
            if closer.is_ascii() && (inside_word(norm, at) || inside_word(norm, end)) {
                continue;
            }
            let clause_start = at - clause(&norm[..at]).len();
            let (before, after) = (&norm[clause_start..at], &norm[end..end_of(norm, end, &CLAUSE_ENDS)]);
            // Only small words between ("会员给我退了", "取消我的会员"),
            // and nothing owned by the account after it ("删掉帐号里的
            // 照片", "删了会员积分" close something else).
            let filler = |gap: &str| gap.chars().count() <= CLOSE_BY && gap.chars().all(|c| FILLER.contains(c));
            for thing in &lexicon.standing {
                let span =
                    match (before.match_indices(thing.as_str()).last().map(|(i, _)| i), after.find(thing.as_str())) {
                        (Some(i), _) if filler(&before[i + thing.len()..]) => Some((clause_start + i, end)),
                        (_, Some(i)) if filler(&after[..i]) => {
                            // A particle or the end of the clause, not what
                            // the account holds ("删掉账户绑定的银行卡").
                            let next = after[i + thing.len()..].chars().next().unwrap_or(' ');
                            (!is_cjk(next) || PARTICLES.contains(next)).then_some((at, end + i + thing.len()))
                        }
                        _ => None,
                    };
                let Some((start, stop)) = span else { continue };
                let between = &norm[start..stop];
                // Chinese, or Chinese and English mixed ("close户口"); all
                // English is the English lexicon's, which reads "don't".
                if !between.chars().any(is_cjk) {
                    continue;
                }
                // ("我旧个户口取消了": an old account, closed before; "账号
                // 给你们删了": done to the customer, like 被.)
                let old = norm[clause_start..start].chars().rev().take(2).any(|c| matches!(c, '旧' | '舊'));
                let done_to = ["被", "给你", "给他", "給你", "給他"].iter().any(|p| between.contains(p));
                if old || done_to || mentions(between, lexicon, &lexicon.negators) {
                    continue;
                }
                found.push(Found {
                    start,
                    end: stop,
                    label: Label::CancelIntent,
                    weight: 2.0,
                    lexicon: index,
                    gapped: true,
                    always: false,
                });
            }
        }
    }
}

/// The length of the shortest prefix of `text` that holds `phrase`'s
/// characters in order with at most a few others inserted between them,
/// none of them punctuation, for phrases of four characters or more.
fn gapped_chars(text: &str, phrase: &str) -> Option<usize> {
    let len = phrase.chars().count();
    if len < 4 || !phrase.chars().all(is_cjk) {
        return None;
    }
    let mut budget = if len < 6 { MAX_GAP_CHARS } else { MAX_GAP_CHARS + 1 };
    let mut wanted = phrase.chars();
    let mut next = wanted.next();
    for (i, c) in text.char_indices() {
        let Some(w) = next else { return Some(i) };
        if c == w {
            next = wanted.next();
        } else if i == 0 || budget == 0 || !(is_cjk(c) || c == '#') {
            // (`#` is a count: "已讀兩天沒回" stretches "已读没回".)
            return None;
        } else {
            budget -= 1;
        }
    }
    next.is_none().then_some(text.len())
}

/// Whole-word phrases (and `stem*` prefixes) starting at each word; a
/// phrase of several words also with up to two words inserted inside it.
fn find_words(norm: &str, words: &[(usize, &str)], index: usize, lexicon: &Lexicon, found: &mut Vec<Found>) {
    for (w, &(start, word)) in words.iter().enumerate() {
        for &i in lexicon.starting_with(word) {
            let entry = &lexicon.entries[i];
            let end = start + entry.phrase.len();
            if norm[start..].starts_with(entry.phrase.as_str()) && boundary_after(norm, end) {
                found.push(Found::of(entry, start, end, index, entry.weight, false));
            } else if let Some(end) = (entry.label != Label::Neutral)
                .then(|| gapped_words(norm, &words[w..], &entry.phrase))
                .flatten()
                .filter(|&end| !negator_inserted(&norm[start..end], &entry.phrase, lexicon))
            {
                // (A mask only in its exact words: "sorry i got angry"
                // stretched over "a really" would hide "an angry reply".)
                let weight = entry.weight * GAP_DISCOUNT;
                found.push(Found::of(entry, start, end, index, weight, true));
            }
        }
        for &i in &lexicon.prefixes {
            let entry = &lexicon.entries[i];
            if word.starts_with(entry.phrase.as_str()) {
                found.push(Found::of(entry, start, start + word.len(), index, entry.weight, false));
            }
        }
    }
}

/// Where a phrase of several words ends when its words follow `words[0]`
/// in order with at most [`MAX_GAP_WORDS`] others inserted, within one
/// sentence (no `.`, `!`, `?` between them). Its first word is `words[0]`.
fn gapped_words(norm: &str, words: &[(usize, &str)], phrase: &str) -> Option<usize> {
    let mut wanted = phrase.split(' ');
    wanted.next()?;
    let mut next = wanted.next()?;
    let mut budget = MAX_GAP_WORDS;
    let mut previous_end = words[0].0 + words[0].1.len();
    for &(at, word) in &words[1..] {
        if norm[previous_end..at].contains(SENTENCE_ENDS) {
            return None;
        }
        if word == next {
            match wanted.next() {
                Some(w) => next = w,
                None => return Some(at + word.len()),
            }
        } else if budget == 0 {
            return None;
        } else {
            budget -= 1;
        }
        previous_end = at + word.len();
    }
    None
}

fn boundary_after(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// What ends a sentence, and a clause (after normalization, ideographic
/// punctuation is ASCII).
const SENTENCE_ENDS: [char; 3] = ['.', '!', '?'];
const LINE_ENDS: [char; 4] = ['.', '!', '?', '\n'];
const CLAUSE_ENDS: [char; 7] = ['.', ',', '!', '?', ';', ':', '\n'];
/// A clause's ends in Chinese chat, where a space is a pause too.
const PAUSE_ENDS: [char; 8] = ['.', ',', '!', '?', ';', ':', '\n', ' '];

/// The clause just before a match: back to the last punctuation mark.
fn clause(before: &str) -> &str {
    let cut = before.rfind(CLAUSE_ENDS).map_or(0, |i| i + 1);
    &before[cut..]
}

/// Where the clause or sentence (`ends`) that goes on at `at` ends: at
/// its punctuation mark, or at the end of `text`.
fn end_of(text: &str, at: usize, ends: &[char]) -> usize {
    at + text[at..].find(ends).unwrap_or(text.len() - at)
}

/// Whether `text[from..to]`, the rest of a clause or sentence, asks: it
/// ends in "?" or in a question particle ("号码可以带走吗").
fn asks(text: &str, from: usize, to: usize) -> bool {
    text[to..].starts_with('?') || text[from..to].trim_end().ends_with(['吗', '呢'])
}

/// The last `n` words (space languages) or characters (the others) of the
/// clause before a match.
fn window(before: &str, lexicon: &Lexicon, n: usize) -> Vec<String> {
    let clause = clause(before);
    if lexicon.spaces {
        clause.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).rev().take(n).map(str::to_owned).collect()
    } else {
        // Chinese chat uses a space as a pause: "口气不好 谢谢" is two clauses.
        let clause = clause.rsplit(char::is_whitespace).next().unwrap_or("");
        let chars: Vec<char> = clause.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(n)..].iter().collect();
        vec![tail]
    }
}

/// How far before a `[reported]` word its `[reporters]` word may stand:
/// about three words ("my mate keeps saying"), or five Chinese characters
/// ("我妈成日话").
const REPORTER_SPACED: usize = 24;
const REPORTER_UNSPACED: usize = 15;

/// Whether the `[reported]` word ("says", "说") at `start` reports
/// someone else's words: a `[reporters]` word stands just before it in
/// its clause ("my dad keeps saying", "我媽說", "我个仔话"), in the
/// same lexicon; not "也说", "都觉得" ("my husband thinks so too": the
/// customer's view as well).
fn by_someone(norm: &str, start: usize, lexicon: &Lexicon) -> bool {
    if norm[..start].ends_with(['也', '都']) {
        return false;
    }
    let clause_start = start - clause(&norm[..start]).len();
    // "我跟我老公说…": told to them, not by them.
    let told_to = |tail: &str| ["跟我", "和我", "对我", "對我", "向我", "同我"].iter().any(|w| tail.contains(w));
    let spaces = lexicon.spaces;
    let reach = if spaces { REPORTER_SPACED } else { REPORTER_UNSPACED };
    let before = &norm[back_from(norm, start, reach, clause_start, spaces)..start];
    mentions(before, lexicon, &lexicon.reporters) && (spaces || !told_to(before))
}

/// Where the `reach` bytes before `start` begin, within the clause that
/// starts at `clause_start`: on a character boundary and, in a language
/// with spaces, on a word boundary ("unpredic|table" is not "table").
fn back_from(norm: &str, start: usize, reach: usize, clause_start: usize, spaces: bool) -> usize {
    let mut lo = start.saturating_sub(reach).max(clause_start);
    while lo < start && cut(norm, lo, spaces) {
        lo += 1;
    }
    lo
}

/// Whether `at` is inside a character, or inside a word of a language
/// with spaces.
fn cut(norm: &str, at: usize, spaces: bool) -> bool {
    !norm.is_char_boundary(at) || (spaces && inside_word(norm, at))
}

/// Where someone else's words that start at `from` end: at the end of
/// their clause (in Chinese also a space, a pause in chat), or earlier
/// where the customer speaks again: "and" or "I" in English ("my wife
/// said you'd call back and nobody did and I'm fed up"), "我" in Chinese
/// ("我妈说你们很难用 我也这么觉得").
/// A customer who agrees ("and she's not wrong", "我也这么觉得") makes
/// them their own: then they end where they start.
fn their_words_end(norm: &str, from: usize, spaces: bool) -> usize {
    let sentence = &norm[from..end_of(norm, from, &SENTENCE_ENDS)];
    // (From the start of a word: "disagree" does not agree.)
    let agrees = |w: &&str| {
        sentence.match_indices(*w).any(|(at, _)| !sentence[..at].ends_with(|c: char| c.is_ascii_alphabetic()))
    };
    if AGREEING.iter().any(agrees) {
        return from;
    }
    let to = end_of(norm, from, if spaces { &CLAUSE_ENDS } else { &PAUSE_ENDS });
    OWN_WORDS.iter().filter_map(|w| norm[from..to].find(w)).min().map_or(to, |at| from + at)
}

/// What a customer agreeing with what they report says, and where their
/// own words start again (both languages: neither list is found in the
/// other's text).
const AGREEING: [&str; 8] =
    ["agree", "not wrong", "she's right", "he's right", "they're right", "so do i", "我也", "我都"];
const OWN_WORDS: [&str; 7] = [" and ", " i ", " i'm ", " i've ", " we ", " we've ", "我"];

/// Answers to the agent's question that open a message ("no, all good").
const ANSWERS: [&str; 3] = ["no", "nope", "nah"];

/// Bytes looked at on each side of a leaving phrase for what it is
/// about: about five words, or twenty Chinese characters.
const AROUND_SPACED: usize = 32;
const AROUND_UNSPACED: usize = 60;

/// Whether a leaving phrase means leaving: not when its clause makes it a
/// question ("if I ever closed my account, would I...", or a bare "if"
/// in a sentence that ends in "?") or when it is
/// about one thing cancelled ("cancel our table for Saturday",
/// "取消明天下午的门诊 改到下周") and not about the customer's account
/// or plan.
fn leaving(norm: &str, start: usize, end: usize, always: bool, lexicons: &[Lexicon]) -> bool {
    let clause_start = start - clause(&norm[..start]).len();
    let clause_end = end_of(norm, end, &CLAUSE_ENDS);
    let (mut asked, mut standing, mut one_thing) = (false, false, false);
    // The sentence asks: "如果我退保，可以拿回多少?" (not a threat).
    // So does one that ends in a question particle ("号码可以带走吗") or
    // asks "X or not X" after the phrase ("个号码是不是可以带埋走").
    let sentence_end = end_of(norm, end, &SENTENCE_ENDS);
    let question = asks(norm, end, sentence_end) || asks_either_way(&norm[end..sentence_end]);
    for l in lexicons {
        let reach = if l.spaces { AROUND_SPACED } else { AROUND_UNSPACED };
        let lo = back_from(norm, start, reach, clause_start, l.spaces);
        let mut hi = (end + reach).min(clause_end);
        while hi > end && cut(norm, hi, l.spaces) {
            hi -= 1;
        }
        // "如果…我就取消会员，你们到底有没有人管": the phrase after 就 is
        // what the customer will do, a threat, whatever the tail asks.
        let then = !l.spaces && (norm[lo..start].contains('就') || norm[lo..start].contains('便'));
        asked |= mentions(&norm[lo..start], l, &l.conditionals)
            || (question && !then && mentions(&norm[lo..start], l, &l.ifs));
        standing |= mentions(&norm[lo..hi], l, &l.standing);
        one_thing |= mentions(&norm[lo..hi], l, &l.one_off);
    }
    !asked && (always || standing || !one_thing)
}

/// Whether a leaving phrase at `start..end` is a threat, said on a condition
/// earlier in its sentence that the company can still meet: a
/// `[threats]` word ("or I'm", "unless", "否则", "再这样"), an `[ifs]`
/// word ("if it happens again I'm moving…", "如果月尾前都係咁，我轉台",
/// "不给免的话我就…"), or in Chinese a condition before 就 ("再扣错一次我就
/// 解约", "唔退返俾我我就轉台") or 再 in an earlier clause ("再偷偷给我开东西，
/// 我全换别家"). The customer is still a customer, and angry (the
/// labelling rules): frustrated, not leaving, until they say they are
/// leaving.
fn threat(norm: &str, start: usize, end: usize, spaces: bool, lexicons: &[Lexicon]) -> bool {
    // A question is not a threat ("if I don't use it any more, can I
    // close my account?"); a rhetorical one after it in Chinese, past a
    // pause, leaves it one ("再卡下去我就退訂 我是付錢來看轉圈圈的嗎").
    if asks(norm, end, end_of(norm, end, if spaces { &SENTENCE_ENDS } else { &PAUSE_ENDS })) {
        return false;
    }
    // (A line break ends a thought too.)
    let sentence = &norm[norm[..start].rfind(LINE_ENDS).map_or(0, |i| i + 1)..start];
    // (In Chinese chat a space ends a thought too: "还要再等15个工作日 …
    // 就这服务 明年不续了" is not "再…就".)
    let pause = &sentence[sentence.rfind(' ').map_or(0, |i| i + 1)..];
    // A sentence that asks makes a bare "if" a hypothetical ("如果之后想退掉
    // 影音方案，是当月就停还是到期才停？", "如果我转台，个号码是不是可以带走");
    // with a negator after it, a threat.
    let sentence_end = end_of(norm, end, &SENTENCE_ENDS);
    let asked = asks(norm, end, sentence_end) || asks_either_way(&norm[end..sentence_end]);
    // (A threat word reaches past a pause: "再这样落去 我以后都唔会再帮衬".)
    // The forms with 就 read through the phrase, which may hold it
    // ("再寄错，我以后就不在你家买了").
    let through = &norm[start - pause.len()..end];
    said(sentence, false, lexicons, |l| &l.threats)
        || conditional(sentence, true, lexicons, asked)
        || conditional(pause, false, lexicons, asked)
        || then_clause(through, lexicons)
}

/// Whether a message says a condition anywhere (see [`threat`]), in a
/// sentence that does not ask: a `[threats]` word, an "if" with a
/// negator after it ("If it isn't settled by Friday…"), in Chinese also an
/// `[ifs]` word with a clause after it or the forms of [`then_clause`].
/// Not a bare English "if": "if it helps, my account number is…" in one
/// message would keep the model from reading leaving in every later one
/// (a second reading's rows).
fn threatens(norm: &str, lexicons: &[Lexicon]) -> bool {
    let mut from = 0;
    while from < norm.len() {
        let to = end_of(norm, from, &LINE_ENDS);
        let sentence = &norm[from..to];
        if asks(norm, from, to) {
            from = to + 1;
            continue;
        }
        // (`asked`: an "if" counts only with a negator after it.)
        if conditional(sentence, true, lexicons, true) || said(sentence, false, lexicons, |l| &l.threats) {
            return true;
        }
        let mut at = from;
        while at < to {
            let end = end_of(norm, at, &[' ']).min(to);
            let pause = &norm[at..end];
            // (An "if" with no clause after it in its pause is no
            // condition: "人家万一免五", one in ten thousand.)
            let condition = &pause[..pause.rfind(',').max(pause.rfind('就')).unwrap_or(0)];
            if conditional(condition, false, lexicons, false) || then_clause(pause, lexicons) {
                return true;
            }
            at = end + 1;
        }
        from = to + 1;
    }
    false
}

/// Whether a sentence of the message asks a hypothetical question: a
/// `[conditionals]` word ("if I ever", "what happens if", "假如") in a
/// sentence that asks.
fn asks_hypothetically(norm: &str, lexicons: &[Lexicon]) -> bool {
    let mut from = 0;
    while from < norm.len() {
        let to = end_of(norm, from, &LINE_ENDS);
        if asks(norm, from, to) && lexicons.iter().any(|l| mentions(&norm[from..to], l, &l.conditionals)) {
            return true;
        }
        from = to + 1;
    }
    false
}

/// Whether `text` holds a word of `list` of a lexicon with `spaces` or without.
fn said(text: &str, spaces: bool, lexicons: &[Lexicon], list: fn(&Lexicon) -> &Vec<String>) -> bool {
    lexicons.iter().any(|l| l.spaces == spaces && mentions(text, l, list(l)))
}

/// Whether `text` (a sentence, in Chinese a pause) says a condition in
/// the words of the lexicons with `spaces` or without: a `[threats]` word,
/// or an `[ifs]` word not in a courtesy ("if you don't mind", "可以的话"),
/// in a sentence that `asked` only with a negator after it ("if it isn't
/// fixed, can you…").
fn conditional(text: &str, spaces: bool, lexicons: &[Lexicon], asked: bool) -> bool {
    if said(text, spaces, lexicons, |l| &l.threats) {
        return true;
    }
    if said(text, spaces, lexicons, |l| &l.courtesies) {
        return false;
    }
    for l in lexicons.iter().filter(|l| l.spaces == spaces) {
        for w in &l.ifs {
            let whole = |&(at, _): &(usize, &str)| !spaces || whole_word(text, at, w.len());
            if let Some((at, _)) = text.match_indices(w.as_str()).find(whole) {
                if !asked || said(&text[at + w.len()..], spaces, lexicons, |l| &l.negators) {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether a Chinese `pause` says a condition without an "if": 再 and
/// then 就 or a clause's end ("再扣错一次我就…", "这周再解决不了，…都转走";
/// not 再见, 再也, 再次, "一涨再涨", nor "不用再…", which says what to stop,
/// nor, before a comma, doing something again before deciding: "考虑再三，",
/// "我再想想，", "再说一遍，", "麻烦再确认一下，"), or a clause that ends in 就 holding a negator
/// or "still like this" ("唔退返俾我我就…", "明天还是这么我就…"; not with 那
/// or 了, a decision: "没办法那我就注销吧", "不用了我就直接注销吧"), or 的话
/// and then 就 ("不给免的话我就…", "还乱扣费的话，我就销户"; not "这样的话",
/// "in that case", nor a topic's 的话 with no 就: "我们家的话，…所以我决定
/// 取消"). (的话 alone and "还是这样" alone made plain leaving a threat:
/// "这样的话，我还是退订吧", "还是这样吧，帮我取消会员".)
fn then_clause(pause: &str, lexicons: &[Lexicon]) -> bool {
    let negator = |text: &str| said(text, false, lexicons, |l| &l.negators);
    let mut from = 0;
    while let Some(i) = pause[from..].find('再') {
        let at = from + i;
        from = at + '再'.len_utf8();
        let after = &pause[from..];
        let near = at - pause[..at].chars().rev().take(3).map(char::len_utf8).sum::<usize>();
        // ("一涨再涨": the same verb again.)
        let repeated = pause[..at].chars().next_back().is_some_and(|c| after.starts_with(c));
        let word = matches!(after.chars().next(), Some('见' | '也' | '次'));
        let clause = &after[..after.find(',').unwrap_or(after.len())];
        let again = matches!(after.chars().next(), Some('三' | '想' | '说' | '看' | '问' | '查' | '考' | '确' | '商'))
            || clause.contains("一下")
            || clause.contains("一遍");
        let then = after.contains('就') || (after.contains(',') && !again);
        if !negator(&pause[near..at]) && !repeated && !word && then {
            return true;
        }
    }
    let clause_before = |at: usize| &pause[pause[..at].rfind(',').map_or(0, |i| i + 1)..at];
    let then = pause.rfind('就').is_some_and(|then| {
        let clause = clause_before(then);
        let still = clause.contains("还是这") || clause.contains("还这");
        (negator(clause) || still) && !clause.contains('那') && !clause.contains('了')
    });
    let topic = |at: usize| ["这样", "那样", "这么", "那"].iter().any(|w| pause[..at].ends_with(w));
    then || pause.find("的话").is_some_and(|at| pause[at..].contains('就') && !topic(at))
}

/// Whether `text` holds a Chinese "X or not X" question ("能不能",
/// "是不是", "有没有"): its negator asks, it does not deny.
fn asks_either_way(text: &str) -> bool {
    let (mut before, mut middle) = ('\0', '\0');
    for c in text.chars() {
        if c == before && matches!(middle, '不' | '没' | '沒' | '唔' | '冇') && is_cjk(c) {
            return true;
        }
        (before, middle) = (middle, c);
    }
    false
}

/// Whether a phrase found with words (characters) inserted has a negator
/// among them: "我唔係要取消" is not "我要取消" stretched.
fn negator_inserted(span: &str, phrase: &str, lexicon: &Lexicon) -> bool {
    lexicon.negators.iter().any(|n| {
        let one = core::slice::from_ref(n);
        mentions(span, lexicon, one) && !mentions(phrase, lexicon, one)
    })
}

/// Whether `at` falls between two letters of one word.
fn inside_word(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_some_and(is_word_char) && text[at..].chars().next().is_some_and(is_word_char)
}

/// Whether `span` holds one of `list` (as whole words in a language with
/// spaces).
fn mentions(span: &str, lexicon: &Lexicon, list: &[String]) -> bool {
    list.iter().any(|w| span.match_indices(w.as_str()).any(|(at, _)| !lexicon.spaces || whole_word(span, at, w.len())))
}

/// Whether `span[at..at + len]` is a whole word, or words ("life" has no
/// "if").
fn whole_word(span: &str, at: usize, len: usize) -> bool {
    span[..at].chars().next_back().is_none_or(|c| !is_word_char(c)) && boundary_after(span, at + len)
}

fn negated(before: &str, lexicon: &Lexicon, reach: usize) -> bool {
    let words = window(before, lexicon, reach);
    if lexicon.spaces {
        // A negator of two words ("instead of") counts right before the
        // match only, as whole words.
        let right_before = clause(before).trim_end();
        let two_words =
            |n: &str| n.contains(' ') && right_before.strip_suffix(n).is_some_and(|b| b.is_empty() || b.ends_with(' '));
        words.iter().any(|w| lexicon.negators.iter().any(|n| n == w || two_words(n)))
    } else {
        // A negator right before an intensifier reaches over it: "不是很
        // 满意", "唔係好滿意" ("不是好满意" once rewritten) are not satisfied;
        // not one inside a word before it ("受不了那么慢", "怪不得").
        words.iter().any(|w| lexicon.negators.iter().any(|n| w.contains(n.as_str())))
            || lexicon.intensifiers.iter().any(|(word, _)| {
                let rest = before.strip_suffix(word.as_str()).unwrap_or("");
                let rest = rest.strip_suffix('是').unwrap_or(rest);
                lexicon.negators.iter().any(|n| rest.ends_with(n.as_str()))
            })
    }
}

/// An English word inside Chinese ("唔係要 cancel 呀", Hong Kong's
/// code-switching) negated by the Chinese just before it: a negator of a
/// Chinese lexicon within the three characters before the word.
fn negated_in_chinese(before: &str, lexicons: &[Lexicon]) -> bool {
    let before = before.trim_end();
    let tail = &before[before.char_indices().rev().nth(2).map_or(0, |(at, _)| at)..];
    tail.chars().any(is_cjk)
        && lexicons.iter().filter(|l| !l.spaces).any(|l| l.negators.iter().any(|n| tail.contains(n.as_str())))
}

fn intensity(before: &str, lexicon: &Lexicon) -> f32 {
    let words = window(before, lexicon, 2);
    let mut factor: f32 = 1.0;
    for (word, f) in &lexicon.intensifiers {
        let hit = if lexicon.spaces {
            words.iter().any(|w| w == word)
        } else {
            words.iter().any(|w| w.contains(word.as_str()))
        };
        if hit {
            factor = factor.max(*f);
        }
    }
    factor
}

/// Words of five or more letters one edit away from a single-word phrase.
fn find_typos(norm: &str, lexicons: &[Lexicon], found: &mut Vec<Found>) {
    for (at, word) in words(norm) {
        let len = word.chars().count();
        if len < TYPO_MIN_CHARS || found.iter().any(|f| f.start <= at && at < f.end) {
            continue;
        }
        let candidate = lexicons.iter().enumerate().filter(|(_, l)| l.spaces).find_map(|(index, lexicon)| {
            lexicon.entries.iter().find_map(|e| {
                let close = !e.prefix
                    && !matches!(e.label, Label::Neutral | Label::Retract | Label::Sarcasm | Label::Contrast)
                    && e.phrase.len() >= TYPO_MIN_CHARS
                    && !e.phrase.contains(' ')
                    && e.phrase.len().abs_diff(word.len()) <= 1
                    && one_edit_apart(word.as_bytes(), e.phrase.as_bytes());
                close.then_some((index, e))
            })
        });
        if let Some((index, entry)) = candidate {
            found.push(Found::of(entry, at, at + word.len(), index, entry.weight * TYPO_DISCOUNT, false));
        }
    }
}

/// The words of `text` with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// At most one insertion, deletion, substitution or swap of neighbours.
fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match a.len().cmp(&b.len()) {
        core::cmp::Ordering::Equal => {
            a[1..] == b[1..] || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        core::cmp::Ordering::Less => a == &b[1..],
        core::cmp::Ordering::Greater => &a[1..] == b,
    }
}

/// ALL CAPS and runs of "!!!" or "???" amplify whatever the message says;
/// on their own they read as frustration.
fn shouting(original: &str, norm: &str, scores: &mut Scores) {
    let letters = original.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let upper = original.chars().filter(|c| c.is_ascii_uppercase()).count();
    // In a message written in Chinese (or Japanese), Latin capitals are a name or a code
    // ("CHAN TAI MAN", "RX-77120"), not shouting.
    let caps = !original.chars().any(is_cjk) && letters >= 8 && upper * 10 >= letters * 8;
    let run = |mark: char| {
        let mut best = 0;
        let mut current = 0;
        for c in norm.chars() {
            current = if c == mark { current + 1 } else { 0 };
            best = best.max(current);
        }
        best
    };
    let bangs = run('!');
    let mut bonus: f32 = match bangs {
        0 | 1 => 0.0,
        2 => 0.5,
        _ => 1.0,
    };
    if run('?') >= 2 || norm.contains("?!") || norm.contains("!?") {
        bonus += 0.5;
    }
    if caps {
        bonus += 1.0;
    }
    if bonus == 0.0 {
        return;
    }
    if scores.frustrated > 0.0 || scores.waited > 0.0 {
        scores.frustrated += bonus;
    } else if scores.grateful > 0.0 {
        scores.grateful += bonus * 0.5;
    } else if scores.cancel_intent == 0.0 {
        scores.frustrated += bonus;
    }
}
