//! Phone and card numbers. A number is a run of digits and separators;
//! when it has spaces in it, it may be several numbers side by side
//! ("order 12345 0612345678"), so its space-separated groups are split
//! into the numbers that hide the most digits.

use alloc::vec;
use alloc::vec::Vec;

use super::{digit, word_char};

/// The most digits anything here can have (a card number).
const MAX_DIGITS: usize = 19;

/// A stretch of a run to replace: start, end, placeholder.
pub(super) type Span = (usize, usize, &'static str);

/// If a number starts at `at`: where it ends, and what in it to replace.
pub(super) fn at(chars: &[char], at: usize) -> Option<(usize, Vec<Span>)> {
    let start = match chars[at] {
        '+' => chars.get(at + 1).is_some_and(|&c| digit(c).is_some()),
        '(' => area_code(chars, at),
        c => digit(c).is_some(),
    };
    if !start || (at > 0 && word_char(chars[at - 1])) {
        return None;
    }
    let (groups, end, glued) = groups(chars, at);
    let spoken = spoken(&chars[at.saturating_sub(16)..at]);
    // best[k]: the most digits that can be hidden in groups k.., and how
    // (the last group of the number that starts group k, if one does).
    let mut best = vec![(0, None); groups.len() + 1];
    for k in (0..groups.len()).rev() {
        let mut choice = (best[k + 1].0, None);
        let mut n = 0;
        for (j, &(_, group_end, digits)) in groups.iter().enumerate().skip(k) {
            n += digits;
            if n > MAX_DIGITS || (glued && j + 1 == groups.len()) {
                break;
            }
            let covered = n + best[j + 1].0;
            if covered >= choice.0 {
                if let Some(placeholder) = judge(&chars[groups[k].0..group_end], n, spoken) {
                    choice = (covered, Some((j, placeholder)));
                }
            }
        }
        best[k] = choice;
    }
    let mut spans = Vec::new();
    let mut k = 0;
    while k < groups.len() {
        match best[k].1 {
            Some((j, placeholder)) => {
                spans.push((groups[k].0, groups[j].1, placeholder));
                k = j + 1;
            }
            None => k += 1,
        }
    }
    Some((end, spans))
}

/// Words for a phone (in English, Chinese, Cantonese and Japanese), any
/// case: eight digits after one may be a local number.
const PHONE_WORDS: [&str; 29] = [
    "tel", "tél", "phone", "call", "mobile", "cell", "handy", "whatsapp", "sms", "text", "contact", "电话", "電話",
    "手机", "手機", "手提", "联系", "聯絡", "聯繫", "打俾", "打返", "打给", "打給", "回电", "回電", "致电", "致電",
    "号码", "號碼",
];

/// Whether the text just before a number has a word for a phone in it,
/// read back to a placeholder's `]` (what follows one is read as if the
/// text started there).
fn spoken(before: &[char]) -> bool {
    let text = &before[before.iter().rposition(|&c| c == ']').map_or(0, |i| i + 1)..];
    PHONE_WORDS.iter().any(|word| {
        let n = word.chars().count();
        text.windows(n).any(|w| w.iter().map(char::to_ascii_lowercase).eq(word.chars()))
    })
}

/// An opening parenthesis around one to five digits: an area code,
/// `(415)`, or the trunk prefix written `(0)`.
fn area_code(chars: &[char], at: usize) -> bool {
    let n = chars[at + 1..].iter().take_while(|&&c| digit(c).is_some()).count();
    (1..=5).contains(&n) && chars.get(at + 1 + n) == Some(&')')
}

/// The number's space-separated groups (start, end, digits), where it
/// ends, and whether it is glued to a word ("4821abc"), so that its last
/// group is part of that word. Digits may be separated by spaces and
/// breaks (`\n`, see `plain`), any number of them, and at most one of
/// `-./` or a `)` closing or a `(` opening an area code; a stretch with a
/// space or a break in it ends a group.
fn groups(chars: &[char], at: usize) -> (Vec<(usize, usize, usize)>, usize, bool) {
    let mut groups = Vec::new();
    let (mut start, mut digits) = (at, 0);
    let mut end = at;
    while end < chars.len() {
        if digit(chars[end]).is_some() {
            digits += 1;
            end += 1;
            continue;
        }
        // The stretch of separators from here, and what follows it.
        let (mut next, mut marks, mut first_space, mut after_space) = (end, 0, None, end);
        while next < chars.len() {
            match chars[next] {
                ' ' | '\n' => {
                    first_space = first_space.or(Some(next));
                    after_space = next + 1;
                }
                '-' | '.' | '/' | ')' => marks += 1,
                '+' if next == at => {}
                '(' if area_code(chars, next) => {
                    marks += 1;
                    next += 1;
                    break;
                }
                _ => break,
            }
            next += 1;
        }
        let opened = next > end && chars[next - 1] == '(';
        if marks > 1 || !(opened || chars.get(next).is_some_and(|&c| digit(c).is_some())) {
            break;
        }
        if let Some(space) = first_space.filter(|_| end > at) {
            // (A group ends at its last digit, or after the `)` of an area
            // code: "4111 1111 1111 1111. 2 charges" is a card and a 2.)
            let closed = chars[end..space].iter().all(|&c| c == ')');
            groups.push((start, if closed { space } else { end }, digits));
            (start, digits) = (after_space, 0);
        }
        end = next;
    }
    let glued = chars.get(end).is_some_and(|&c| word_char(c));
    while end > start && matches!(chars[end - 1], ' ' | '\n' | '-' | '.' | '/' | '(') {
        end -= 1;
    }
    groups.push((start, end, digits));
    (groups, end, glued)
}

/// What the run `run` of `n` digits is: a card, a phone number or neither.
/// `spoken`: a word for a phone comes just before the number.
fn judge(run: &[char], n: usize, spoken: bool) -> Option<&'static str> {
    let digits: Vec<u8> = run.iter().filter_map(|&c| digit(c)).collect();
    let (first, second) = (digits.first().copied()?, digits.get(1).copied().unwrap_or(0));
    // Up to 15 digits after the international prefix (+ or 00), and no
    // date or decimal in a national number or a card number.
    let international = run[0] == '+' || digits.starts_with(&[0, 0]);
    let ordinary = !international && run.split(|&c| c == ' ').any(date_or_decimal);
    // Split by a break (a line break, a tab, an em dash: see `plain`): a
    // card in groups of four or more, an international number, or one
    // after a word for a phone; not a value per line ("Order 482133" and
    // "3377 items" on the next).
    let broken = run.contains(&'\n');
    if (13..=MAX_DIGITS).contains(&n) && card_shaped(run) && luhn(&digits) && !ordinary {
        let mut groups = run.split(|&c| digit(c).is_none()).filter(|g| !g.is_empty()).rev().skip(1);
        let groups_of_four = groups.all(|g| g.len() >= 4);
        if !broken || groups_of_four {
            return Some("[card]");
        }
    }
    // (`852` and eight digits: Hong Kong's country code without its `+`.)
    let hong_kong = n == 11 && digits.starts_with(&[8, 5, 2]) && digits[3] > 1;
    let phone =
        run[0] == '+' || first == 0 || (n == 10 && first != 1) || (n == 11 && first == 1 && second >= 2) || hong_kong;
    let most = if run[0] != '+' && international { 17 } else { 15 };
    // Eight digits written as two groups of four after a word for a
    // phone, as Hong Kong and Singapore write their numbers ("call 9123
    // 4567", "電話2345-6789"; without one, "2500-3000" is a range).
    let local = spoken && n == 8 && matches!(run.get(4), Some(' ' | '\n' | '-')) && run.len() == 9 && first > 1;
    let read = !broken || run[0] == '+' || spoken;
    ((((9..=most).contains(&n) && phone && !ordinary) || local) && read).then_some("[phone]")
}

/// Dates (2024-03-05, 05.03.2024, 5/3/24) and decimals (12345678.90,
/// 0.123456789, but not 0612.345678) are not phone numbers, nor is a
/// number that has one as a group.
fn date_or_decimal(group: &[char]) -> bool {
    let integer = group.split(|&c| c == '.').next().unwrap_or_default();
    let decimal = integer.iter().all(|&c| digit(c).is_some())
        && (integer.len() == 1 || integer.first().and_then(|&c| digit(c)) != Some(0));
    let parts: Vec<usize> = group.split(|&c| matches!(c, '-' | '.' | '/')).map(<[char]>::len).collect();
    // A range of days with its date: a year of 19xx or 20xx and two short
    // parts at one end ("28-30.11.2024", "2024-11-01-2024-11-09").
    let year = |p: &[char]| matches!((digit(p[0]), digit(p[1])), (Some(1), Some(9)) | (Some(2), Some(0)));
    let short = |p: &[usize]| p.iter().all(|&n| n <= 2);
    let n = parts.len();
    match parts[..] {
        [_, _] => group.contains(&'.') && decimal,
        [a, b, c] => matches!((a, b, c), (4, 1..=2, 1..=2) | (1..=2, 1..=2, 2 | 4)),
        [first, .., last] => {
            (first == 4 && year(group) && short(&parts[1..3]))
                || (last == 4 && year(&group[group.len() - 4..]) && short(&parts[n - 3..n - 1]))
        }
        _ => false,
    }
}

/// Card numbers are digits, maybe in groups split by spaces or by dashes
/// (one kind; and breaks); no `+`, no parentheses.
fn card_shaped(run: &[char]) -> bool {
    let only = run.iter().all(|&c| digit(c).is_some() || matches!(c, ' ' | '\n' | '-'));
    only && !(run.contains(&' ') && run.contains(&'-'))
}

/// The Luhn checksum of credit card numbers.
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn groups_end_at_spaces_and_the_last_may_be_glued() {
        assert_eq!(
            groups(&chars("+44 20 7946 0958."), 0),
            (vec![(0, 3, 2), (4, 6, 2), (7, 11, 4), (12, 16, 4)], 16, false)
        );
        assert_eq!(groups(&chars("(415) 555-0132"), 0), (vec![(0, 5, 3), (6, 14, 7)], 14, false));
        assert_eq!(groups(&chars("12 4821abc"), 0), (vec![(0, 2, 2), (3, 7, 4)], 7, true));
        assert_eq!(groups(&chars("0612-"), 0), (vec![(0, 4, 4)], 4, false));
        assert_eq!(groups(&chars("2 (0612345678"), 0), (vec![(0, 1, 1)], 1, false));
    }

    #[test]
    fn side_by_side_numbers_are_split_to_hide_the_most() {
        let spans = |s: &str| at(&chars(s), 0).map(|(_, spans)| spans);
        assert_eq!(spans("2 001 000000 00"), Some(vec![(2, 15, "[phone]")]));
        assert_eq!(spans("0151 12345678 0151 87654321"), Some(vec![(0, 13, "[phone]"), (14, 27, "[phone]")]));
        assert_eq!(spans("4111 1111 1111 1112"), Some(vec![]));
        assert_eq!(spans("x"), None);
    }

    #[test]
    fn dates_and_decimals() {
        for (group, expected) in [
            ("2024-03-05", true),
            ("05.03.2024", true),
            ("5/3/24", true),
            ("12.5", true),
            ("4.2.1", false),
            ("415.555.0132", false),
            ("0612-345678", false),
            ("0.123456789", true),
            ("0612.345678", false),
            ("+44.7700900123", false),
        ] {
            assert_eq!(date_or_decimal(&chars(group)), expected, "{group}");
        }
    }
}
