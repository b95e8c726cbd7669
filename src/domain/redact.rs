//! Keeping personal data out of comments: before a comment leaves the
//! browser, email addresses, phone numbers and card numbers in it are
//! replaced by placeholders (`[email]`, `[phone]`, `[card]`). A site can
//! turn this off (`data-redact="false"`).
//!
//! Card numbers are 13 to 19 digits (not starting with 0; spaces or
//! dashes between groups allowed) that pass the Luhn check; numbers that
//! look like cards but fail it are left alone. Phone numbers are 9 to 15
//! digits, separated by at most one of ` -./()` at a time, that start with
//! `+` or `0` (international and national prefixes), or are 10 digits not
//! starting with 1 (North American, Indian, Italian mobile) or 11 starting
//! with 1 and then 2 to 9 (+1 without the plus, Chinese mobiles); dates
//! and decimals are not phone numbers. When a run of space-separated
//! numbers is none of these as a whole, its leading groups are tried, then
//! the run from its next group. No regex: a hand-written scanner over
//! characters, tested natively (the README's Privacy section says the
//! same for customers and site owners).

mod number;

pub use number::luhn;

/// The comment with personal data replaced.
pub fn redact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let word_start = is_local_char(chars[i]) && (i == 0 || !is_local_char(chars[i - 1]));
        if word_start {
            let at = (i..chars.len()).find(|&j| !is_local_char(chars[j])).unwrap_or(chars.len());
            if let Some(end) = email_at(&chars, at) {
                out.push_str("[email]");
                i = end;
                continue;
            }
        }
        let (end, placeholder) = number::at(&chars, i).unwrap_or((i + 1, None));
        match placeholder {
            Some(placeholder) => out.push_str(placeholder),
            None => out.extend(&chars[i..end]),
        }
        i = end.max(i + 1);
    }
    out
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

/// If `at` is the `@` of an email address (after a non-empty local part),
/// where the address ends.
fn email_at(chars: &[char], at: usize) -> Option<usize> {
    if chars.get(at) != Some(&'@') || at == 0 || !is_local_char(chars[at - 1]) {
        return None;
    }
    let mut end = at + 1;
    while end < chars.len() && (chars[end].is_ascii_alphanumeric() || matches!(chars[end], '.' | '-')) {
        end += 1;
    }
    // Trailing dots belong to the sentence.
    while end > at + 1 && chars[end - 1] == '.' {
        end -= 1;
    }
    let domain: String = chars[at + 1..end].iter().collect();
    let tld = domain.rsplit('.').next().unwrap_or("");
    (domain.contains('.') && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())).then_some(end)
}

/// The value of a decimal digit: ASCII, Arabic-Indic, Persian,
/// Devanagari or full-width (as Chinese and Japanese input methods type).
fn digit(c: char) -> Option<u8> {
    ['0', '\u{660}', '\u{6f0}', '\u{966}', '\u{ff10}']
        .into_iter()
        .find_map(|zero| u8::try_from(u32::from(c).wrapping_sub(u32::from(zero))).ok().filter(|&d| d < 10))
}

/// Letters and digits of scripts written with spaces between words: a
/// number glued to one is part of a word ("SKU AB123456789", "4821abc").
/// Chinese, Japanese, Thai and the like are written without spaces, so a
/// number right after such a letter still stands alone ("手机13812345678").
fn word_char(c: char) -> bool {
    digit(c).is_some() || (c.is_alphanumeric() && !unspaced(c))
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
        for (c, glues) in
            [('a', true), ('ü', true), ('я', true), ('7', true), ('机', false), ('ก', false), (' ', false)]
        {
            assert_eq!(word_char(c), glues, "{c}");
        }
    }
}
