//! The coarse mask: what the widget sends in place of [`redact_cut`]'s
//! output when the scanner is not there (the script tag and the ES module
//! fetch it once the customer starts answering; a comment may be sent
//! before it has arrived, or it may not arrive at all). It must hide at
//! least what the scanner would, and so it hides more:
//!
//! - every word with an `@`, `＠` or `﹫` in it (up to a space or a
//!   bracket, double quote, comma, semicolon or colon, ASCII or
//!   full-width) becomes `[email]`;
//! - every run of six or more digits becomes `[number]`, where a run is
//!   words with digits in them (letters and digits, as in `3M02` or
//!   `HK2411`) joined only by the separators a number is typed with
//!   (` -./()+`, and what [`plain`] reads as them, line breaks and tabs
//!   included: unlike the scanner, a value per line is masked too). A
//!   word of letters only
//!   ends it ("order 123 then more" stays), unless it has four letters or
//!   fewer and digits follow, as a bank's code in an IBAN;
//! - so does an IBAN of mostly letters (two letters, two digits and at
//!   least eleven more letters and digits, in one piece or in groups),
//!   and a run of fewer digits glued to an address ("9123 4567或者
//!   leung@example.com" is all one word), and at the box's limit, whatever
//!   run of digits the text ends in.
//!
//! The invisible characters the scanner drops are dropped here too. Small
//! on purpose: it is compiled into the widget's wasm, the scanner is not.
//!
//! [`redact_cut`]: super::redact_cut

use alloc::string::String;

use super::{digit, email, iban, plain, separator, visible};

/// The most digits a run may have and stay.
const KEPT_DIGITS: usize = 5;

/// `text` with every address and every run of more than five digits
/// replaced; with `cut`, the run of digits at its very end too. (Plain
/// loops over one vector: this is in the wasm that shows a prompt.)
pub fn mask(text: &str, cut: bool) -> String {
    let chars = visible(text);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // (`get`s, not indexes: each index the compiler could not prove in
    // bounds was a panic location of its own in the wasm. Every position
    // here is at most the length: nothing reachable changes.)
    while let Some(&here) = chars.get(i) {
        if let Some(end) = address(&chars, i) {
            out.push_str("[email]");
            i = end;
            continue;
        }
        if let Some((end, digits, glued)) = run(&chars, i) {
            let mut rest = end;
            while chars.get(rest).is_some_and(|&c| separator(c) || c.is_whitespace()) {
                rest += 1;
            }
            // (Digits glued to an address, or at the limit's cut, may be
            // what is left of a longer number.)
            if digits > KEPT_DIGITS || glued || (cut && rest == chars.len()) {
                out.push_str("[number]");
            } else {
                for &c in chars.get(i..end).unwrap_or_default() {
                    out.push(c);
                }
            }
            i = end;
            continue;
        }
        out.push(here);
        i += 1;
    }
    out
}

/// What ends an address on either side.
fn stops_address(c: char) -> bool {
    // (Not `'`: an address may have one, "o'brien@example.com".)
    c.is_whitespace()
        || matches!(c, '(' | ')' | '<' | '>' | '[' | ']' | '"' | ',' | ';' | ':')
        || matches!(c, '，' | '。' | '；' | '：' | '、' | '「' | '」' | '『' | '』' | '《' | '》' | '【' | '】')
}

/// The end of the word that starts at `at` (after the start of the text
/// or a character that ends an address), if it has an `@` in it.
fn address(chars: &[char], at: usize) -> Option<usize> {
    if at.checked_sub(1).and_then(|before| chars.get(before)).is_some_and(|&c| !stops_address(c)) {
        return None;
    }
    let (mut end, mut found) = (at, false);
    while end < chars.len() && !stops_address(chars[end]) {
        found |= email::is_at(chars[end]);
        end += 1;
    }
    found.then_some(end)
}

/// A digit or an ASCII letter: what the words of a number are made of.
fn word(c: char) -> bool {
    digit(c).is_some() || c.is_ascii_alphabetic()
}

/// A run of words with digits in them that starts at `at` (and not in the
/// middle of a word): where it ends, past its last digit or letter, how
/// many digits it has, and whether an address follows it with nothing
/// but separators between. A word of one to four letters between two
/// such words is part of it ("GB43 LOYD 4549 ...", a bank's code in an
/// IBAN), and after a group of four (an IBAN's last group).
fn run(chars: &[char], at: usize) -> Option<(usize, usize, bool)> {
    if at > 0 && word(chars[at - 1]) {
        return None;
    }
    let (mut i, mut end, mut digits, mut last) = (at, at, 0, 0);
    // Letters and digits so far, and how many there were before a word
    // that starts as an IBAN does (two letters, two digits).
    let (mut alnum, mut iban_at) = (0, None);
    // A `+` or `(` may open the run; separators between words join them.
    while i < chars.len() && matches!(plain(chars[i]), '+' | '(') {
        i += 1;
        if address(chars, i).is_some() {
            return None;
        }
    }
    loop {
        if address(chars, i).is_some() {
            return (digits > 0).then_some((end, digits, true));
        }
        let start = i;
        if iban_at.is_none() && iban::starts_like_one(chars.get(start..).unwrap_or_default()) {
            iban_at = Some(alnum);
        }
        let mut has = 0;
        while i < chars.len() && word(chars[i]) {
            has += usize::from(digit(chars[i]).is_some());
            i += 1;
        }
        if has == 0 {
            let mut next = i;
            while next < chars.len() && separator(chars[next]) {
                next += 1;
            }
            let mut digits_next = false;
            while next < chars.len() && word(chars[next]) {
                digits_next |= digit(chars[next]).is_some();
                next += 1;
            }
            if digits == 0 || i == start || i - start > 4 || !(digits_next || last == 4) {
                break;
            }
        }
        digits += has;
        alnum += i - start;
        last = i - start;
        end = i;
        while i < chars.len() && separator(chars[i]) {
            i += 1;
            // (An address may start after a space: "4000 (+a@b.cd".)
            if address(chars, i).is_some() {
                return Some((end, digits, true));
            }
        }
    }
    // An IBAN of mostly letters ("LV71 BANK ABCD EFGH IJKL M"): two
    // letters, two digits and at least eleven more letters and digits.
    let iban = iban_at.is_some_and(|before| alnum - before >= 15);
    (digits > 0).then_some((end, if iban { KEPT_DIGITS + 1 } else { digits }, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_long_runs_go_short_ones_stay() {
        for (text, masked) in [
            ("mail jane.doe@example.com today", "mail [email] today"),
            ("write to (jane@x.io), thanks", "write to ([email]), thanks"),
            ("請寄到jane＠example.com，謝謝", "[email]，謝謝"),
            ("me @ noon", "me [email] noon"),
            (" (0612345678@", " ([email]"),
            ("4000 0000 (+a@", "[number] ([email]"),
            ("(+000000@", "([email]"),
            ("DE8900tel -00@", "[number] [email]"),
            ("'o'brien@example.com'", "[email]"),
            ("call +44 20 7946 0958 please", "call [number] please"),
            ("order 48213, not 4111 1111 1111 1112", "order 48213, not [number]"),
            ("order 123 then more", "order 123 then more"),
            ("order 123 and 456", "order [number]"),
            ("iban ch93 0076 2011 6238 5295 7 or", "iban [number] or"),
            ("IBAN FR14 2004 1010 0505 0001 3M02 606", "IBAN [number]"),
            ("訂單HK24112800315，謝謝", "訂單[number]，謝謝"),
            ("手机１３８１２３４５６７８", "手机[number]"),
            ("on 2024-01-05 at 10:30", "on [number]:30"),
            ("on 2024-01-05, at 10:30", "on [number], at 10:30"),
            ("room 12345", "room 12345"),
            ("to GB43 LOYD 4549 7177 3527 92 (Barclays)", "to [number] (Barclays)"),
            ("order 123 AND more", "order 123 AND more"),
            ("iban gb43 loyd 4549 7177 3527 92, thanks", "iban [number], thanks"),
            ("to LV71 BANK ABCD EFGH IJKL M now", "to [number] now"),
            ("to LV71BANKABCDEFGHIJKLM now", "to [number] now"),
            ("my DE12 code", "my DE12 code"),
            ("(AA550AAAAAAAAAA)", "[number])"),
            ("0 (AA69AAAAAAAAAA0 ", "[number] "),
            ("聯絡我 9123 4567或者leung_kf@netvigator.com，平日", "聯絡我 [number] [email]，平日"),
            ("4111\u{200b}1111\u{200b}1111\u{200b}1111 thanks", "[number] thanks"),
            ("call 0612\t345 678 now", "call [number] now"),
            ("+44 7700\n900123", "[number]"),
            ("0151\u{2014}1234\u{ad}5678", "[number]"),
            ("waited 45\nminutes, 20\u{2014}30 more", "waited 45\nminutes, 20\u{2014}30 more"),
            ("", ""),
        ] {
            assert_eq!(mask(text, false), masked, "{text:?}");
        }
    }

    #[test]
    fn at_the_limit_the_run_it_ends_in_goes() {
        assert_eq!(mask("call me on +44 20 7", true), "call me on [number]");
        assert_eq!(mask("call me on +44 20 7", false), "call me on +44 20 7");
        assert_eq!(mask("room 12 then", true), "room 12 then");
        assert_eq!(mask("write jane.doe@examp", true), "write [email]");
    }
}
