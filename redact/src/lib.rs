//! Keeping personal data out of comments: before a comment leaves the
//! browser, email addresses, phone numbers, card numbers and IBANs in it
//! are replaced by placeholders (`[email]`, `[phone]`, `[card]`,
//! `[iban]`). A site can turn this off (`data-redact="false"`).
//!
//! Email addresses are a local part (letters and digits of any script,
//! `._%+-'`, of one kind of script), `@` or `＠`, and a domain of two or
//! more labels whose last starts with two letters; the whole address goes.
//!
//! Card numbers are 13 to 19 digits (spaces or dashes between groups
//! allowed) that pass the Luhn check; numbers that look like cards but
//! fail it are left alone. Phone numbers are 9 to 15 digits, separated by
//! at most one of ` -./)` at a time (and `(` around an area code), that
//! start with `+` or `0` (up to 17 after `00`), or are 10 digits not
//! starting with 1 (North American, Indian, Italian mobile) or 11 starting
//! with 1 and then 2 to 9 (+1 without the plus, Chinese mobiles), or 8
//! digits in two groups of four after a word for a phone (Hong Kong,
//! Singapore); dates (and ranges of days with their year) and decimals
//! in a national number make it not one, nor a card number. No-break and
//! ideographic spaces, Unicode dashes and full-width punctuation count
//! as the ASCII separators they look like; the invisible characters pages
//! leave in text are dropped first; a line break, a tab or an em dash
//! splits a number only when it is a card in groups of four, starts with
//! `+` or follows a word for a phone (a list has a value per line). A run of
//! space-separated groups is split into the numbers that hide the most
//! digits ("order 12345 0612345678").
//!
//! IBANs are two letters, two digits and more letters and digits, 15 to
//! 34 in all, in one piece or in groups of four, that pass the ISO 13616
//! mod-97 check.
//!
//! A comment at the box's limit may end in what the cut left of an
//! address or a number ("jane.doe@examp"): that part goes too
//! ([`redact_cut`]).
//!
//! Redacting twice gives what redacting once gave (what follows a
//! placeholder is read as if the text started there), and only `[email]`
//! can be longer than what it replaces, by one character (`a@b.cd`): the
//! caller cuts to length again afterwards.
//!
//! No regex: a hand-written scanner over characters, tested natively. The
//! README's Privacy section states these rules for site owners; keep the
//! two in step.
//!
//! A crate of its own so that the wasm which shows a prompt does not carry
//! it: the script tag and the ES module get it inside
//! `feedback_reader.wasm` (`reader/`), fetched once a customer answers,
//! and the widget masks coarsely (`feedback_widget::domain::redact`) a
//! comment sent before it has arrived. Rust apps get it compiled in (the
//! widget's `embedded-redaction` feature). `no_std` in the wasm.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

mod coarse;
mod email;
mod iban;
mod number;

pub use coarse::mask;
pub use number::luhn;

/// The comment with personal data replaced.
pub fn redact(text: &str) -> String {
    redact_cut(text, false)
}

/// [`redact`], for a comment that the box may have cut at its limit
/// (`cut`): then what the cut left of an address or a number at its very
/// end goes too (see [`cut_tail`]).
pub fn redact_cut(text: &str, cut: bool) -> String {
    let mut chars = visible(text);
    // Numbers and IBANs are read with the spaces and dashes that pages and
    // input methods type read as ASCII ones; what stays is copied as it was.
    let mut seen: Vec<char> = chars.iter().map(|&c| plain(c)).collect();
    if cut {
        let mut keep = cut_tail(&seen);
        while keep > 0 && chars[keep - 1].is_whitespace() {
            keep -= 1;
        }
        chars.truncate(keep);
        seen.truncate(keep);
    }
    let mut emails = email::spans(&chars).into_iter().peekable();
    let mut out = String::with_capacity(text.len());
    // What was replaced is out of sight: what follows it is read as if
    // the text started there, as it will be when the output is redacted
    // again (the placeholder ends in "]", which glues to nothing).
    let mut floor = 0;
    let mut i = 0;
    while i < chars.len() {
        // Numbers are read up to the next address, not into it.
        let limit = match emails.peek() {
            Some(&(start, end)) if start <= i => {
                out.push_str("[email]");
                (i, floor) = (end, end);
                emails.next();
                continue;
            }
            Some(&(start, _)) => start,
            None => chars.len(),
        };
        // IBANs and numbers are read as if the text started at the floor.
        let (scope, base, from) = (&seen[floor..limit], floor, i);
        let (end, spans) = match iban::at(scope, i - base) {
            Some(end) => (end, vec![(i - base, end, "[iban]")]),
            None => number::at(scope, i - base).unwrap_or_default(),
        };
        for (start, end, placeholder) in spans {
            out.extend(&chars[i..base + start]);
            out.push_str(placeholder);
            (i, floor) = (base + end, base + end);
        }
        let end = (base + end).max(i);
        out.extend(&chars[i..end]);
        i = end;
        if i == from {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// How much of `chars` to keep without what a cut at the comment's limit
/// left of an address or a number at its very end. The comment box stops
/// taking text at the limit, so a comment there can end in
/// "jane.doe@examp" or "+44 7700 90", which redaction no longer finds as
/// what they were: an `@` whose domain runs to the end goes with its
/// local part, a run of digits and the separators of numbers at the end
/// goes whole, and so does the start of an IBAN. Only for a comment at
/// the limit: one shorter ended where the customer ended it.
fn cut_tail(chars: &[char]) -> usize {
    let n = chars.len();
    // An address: an `@` with nothing after it but what a domain is made of
    // (a mention in Chinese, "@客服说了很多次", goes too, with the clause
    // before it: it cannot be told from an address "用户@例子.中国" cut short).
    let mut i = n;
    while i > 0 && (letter(chars[i - 1]) || matches!(chars[i - 1], '-' | '.' | '．')) {
        i -= 1;
    }
    let mut keep = n;
    if i > 0 && email::is_at(chars[i - 1]) {
        keep = email::local_part(chars, 0, i - 1).0;
    } else {
        // A number: digits and what separates them, to the end.
        let number = |c: char| digit(c).is_some() || separator(c);
        let mut start = n;
        while start > 0 && number(chars[start - 1]) {
            start -= 1;
        }
        if chars[start..].iter().any(|&c| digit(c).is_some()) {
            keep = start;
        }
        // An IBAN: a word that starts as one does and whose groups, read as
        // `iban::at` reads them, run to the end (the cut may fall just
        // after a separator: "DE89-3704-").
        let mut end = n;
        while end > 0 && matches!(chars[end - 1], ' ' | '\n' | '-') {
            end -= 1;
        }
        for start in 0..end {
            let word = start == 0 || !chars[start - 1].is_ascii_alphanumeric();
            if word
                && iban::starts_like_one(&chars[start..end])
                && (start == 0 || !letter(chars[start - 1]))
                && iban::reach(chars, start) == end
            {
                keep = keep.min(start);
                break;
            }
        }
    }
    keep
}

/// The characters of `text` but the invisible ones that pages and word
/// processors leave in it (zero-width space, word joiner, byte order mark,
/// soft hyphen: "jane.doe@exam\u{ad}ple.com" is an address, and
/// "4111\u{200b}1111..." a card number). A comment sent loses them.
pub(crate) fn visible(text: &str) -> Vec<char> {
    let mut chars = Vec::with_capacity(text.len());
    for c in text.chars() {
        if !matches!(c, '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}') {
            chars.push(c);
        }
    }
    chars
}

/// A space or a dash as pages and input methods also type them, as its
/// ASCII form: no-break, narrow, thin and ideographic spaces (French
/// typography sets "06 12 34 56 78" with narrow ones), the zero-width
/// joiner and non-joiner and the direction marks, Unicode hyphens, en
/// dashes and minus, the long mark `ー` that a Japanese input method types
/// for `-`, and the full-width `（）＋－．／` of Chinese and Japanese input
/// methods (and `＊，` between them, which no number has). A tab, a line
/// break (`\n`, as a comment box gives it, a vertical tab, the Unicode line
/// and paragraph separators), an em dash or a horizontal bar is a break,
/// `\n`: it may split a number (wrapped, pasted from a form), but a value
/// per line is no number, so a number split by one is read only when it
/// is a card or international number or follows a word for a phone (see
/// `number::judge`); in prose an em dash is a pause ("0612345678—9am").
fn plain(c: char) -> char {
    match c {
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{200c}'..='\u{200f}' | '\u{202f}' | '\u{3000}' => ' ',
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\u{2014}' | '\u{2015}' | '\u{2028}' | '\u{2029}' => '\n',
        '\u{2010}'..='\u{2013}' | '\u{2212}' | '\u{30fc}' | '\u{ff70}' => '-',
        '\u{ff08}'..='\u{ff0f}' => char::from((u32::from(c) - 0xfee0) as u8),
        _ => c,
    }
}

/// What may stand between the groups of a number (read as [`plain`]
/// reads it): the cut at the limit and the coarse mask take these.
fn separator(c: char) -> bool {
    matches!(plain(c), ' ' | '\n' | '-' | '.' | '/' | '(' | ')' | '+')
}

/// The value of a decimal digit: ASCII, Arabic-Indic, Persian,
/// Devanagari or full-width (as Chinese and Japanese input methods type).
fn digit(c: char) -> Option<u8> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{660}'..='\u{669}' => '\u{660}',
        '\u{6f0}'..='\u{6f9}' => '\u{6f0}',
        '\u{966}'..='\u{96f}' => '\u{966}',
        '\u{ff10}'..='\u{ff19}' => '\u{ff10}',
        _ => return None,
    };
    Some((u32::from(c) - u32::from(zero)) as u8)
}

/// Letters and digits of scripts written with spaces between words: a
/// number glued to one is part of a word ("SKU AB123456789", "4821abc").
/// Chinese, Japanese, Thai and the like are written without spaces, so a
/// number right after such a letter still stands alone ("手机13812345678").
fn word_char(c: char) -> bool {
    digit(c).is_some() || (letter(c) && !unspaced(c))
}

/// A letter, digit or mark of any script. Outside ASCII that is anything
/// but spaces, punctuation and symbols, told by their blocks and a list
/// of the punctuation of other scripts: `char::is_alphanumeric` would
/// bring Unicode's tables into the wasm.
fn letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (c >= '\u{c0}'
            && !matches!(c,
                '×' | '÷' | '\u{37e}' | '\u{387}' | '\u{55a}'..='\u{55f}' | '\u{589}' | '\u{5be}' | '\u{5c0}'
                | '\u{5c3}' | '\u{5c6}' | '\u{5f3}'..='\u{5f4}' | '\u{60c}'..='\u{60d}' | '\u{61b}' | '\u{61f}'
                | '\u{66a}'..='\u{66d}' | '\u{6d4}' | '\u{964}'..='\u{965}' | '\u{970}' | '\u{e4f}'
                | '\u{e5a}'..='\u{e5b}' | '\u{104a}'..='\u{104f}' | '\u{10fb}' | '\u{1360}'..='\u{1368}'
                | '\u{1680}' | '\u{17d4}'..='\u{17da}' | '\u{1800}'..='\u{180a}'
                // General punctuation to dingbats and arrows; CJK
                // punctuation; variation selectors, small and full-width
                // punctuation; specials; emoji.
                | '\u{2000}'..='\u{2bff}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{3030}'
                | '\u{303d}'..='\u{303f}' | '\u{fe00}'..='\u{fe0f}' | '\u{fe30}'..='\u{fe6f}' | '\u{feff}'
                | '\u{ff00}'..='\u{ff0f}' | '\u{ff1a}'..='\u{ff20}' | '\u{ff3b}'..='\u{ff40}'
                | '\u{ff5b}'..='\u{ff65}' | '\u{fff0}'..='\u{ffff}' | '\u{1f000}'..='\u{1faff}'))
}

/// Characters of scripts written without spaces between words (CJK and
/// everything after it in the Basic Multilingual Plane and above, Thai,
/// Lao, Myanmar, Khmer).
fn unspaced(c: char) -> bool {
    matches!(c, '\u{e00}'..='\u{eff}' | '\u{1000}'..='\u{109f}' | '\u{1780}'..='\u{17ff}' | '\u{2e80}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_several_scripts() {
        let values: Vec<Option<u8>> = "09٠٩۵५０９/:a".chars().map(digit).collect();
        let expected = [Some(0), Some(9), Some(0), Some(9), Some(5), Some(5), Some(0), Some(9), None, None, None];
        assert_eq!(values, expected);
    }

    #[test]
    fn words_of_spaced_scripts_glue_numbers_others_do_not() {
        for (c, glues) in [
            ('a', true),
            ('ü', true),
            ('я', true),
            ('ה', true),
            ('ب', true),
            ('7', true),
            ('٣', true),
            ('\u{301}', true),
            ('机', false),
            ('ก', false),
            (' ', false),
            ('\u{a0}', false),
            ('،', false),
            ('।', false),
            ('€', false),
            ('→', false),
            ('，', false),
            ('📞', false),
            ('\u{fffd}', false),
        ] {
            assert_eq!(word_char(c), glues, "{c:?}");
        }
    }
}
