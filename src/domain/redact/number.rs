//! Phone and card numbers: a run of digits and separators, read from its
//! start, then judged as a whole or, failing that, by its leading groups.

use super::{digit, word_char};

/// The most digits anything here can have (a card number).
const MAX_DIGITS: usize = 19;

/// If a number starts at `at`: where it ends and its placeholder, or
/// `None` for a number that is not personal data (copy it up to the end
/// given and go on from there).
pub(super) fn at(chars: &[char], at: usize) -> Option<(usize, Option<&'static str>)> {
    if !starts(chars, at) {
        return None;
    }
    let candidates = groups(chars, at);
    for &(end, n) in candidates.iter().rev() {
        if let Some(placeholder) = judge(&chars[at..end], n) {
            return Some((end, Some(placeholder)));
        }
    }
    // Nothing here; the next group is looked at on its own.
    Some((candidates.first().map_or(at + 1, |&(end, _)| end), None))
}

/// A number starts with a digit, a `+` before one, or an opening
/// parenthesis around one to five digits (an area code, `(0)`), and not
/// inside a word or another number.
fn starts(chars: &[char], at: usize) -> bool {
    let is_digit = |i: usize| chars.get(i).is_some_and(|&c| digit(c).is_some());
    let opens_area_code = || {
        let n = (at + 1..chars.len()).take_while(|&i| is_digit(i)).count();
        (1..=5).contains(&n) && chars.get(at + 1 + n) == Some(&')')
    };
    let start = match chars[at] {
        '+' => is_digit(at + 1),
        '(' => opens_area_code(),
        _ => is_digit(at),
    };
    start && !(at > 0 && word_char(chars[at - 1]))
}

/// The ends of the number's space-separated leading groups, with how many
/// digits each prefix has, shortest first. Digits may be separated by one
/// of ` -./()` (and `" ("` or `") "`); the last group only counts when the
/// number is not glued to a word ("4821abc").
fn groups(chars: &[char], at: usize) -> Vec<(usize, usize)> {
    let mut ends = Vec::new();
    let mut digits = 0;
    let mut end = at;
    let mut previous = ' ';
    while end < chars.len() {
        let c = chars[end];
        if digit(c).is_some() {
            digits += 1;
        } else {
            let separator = matches!(c, ' ' | '-' | '.' | '/' | '(' | ')') || (c == '+' && end == at);
            let next = chars.get(end + 1).copied().unwrap_or('x');
            let continues = digit(next).is_some() || next == '(' || (c == ')' && next == ' ');
            // Two separators in a row only as " (" or ") ".
            let pair = (previous == ' ' && c == '(') || (previous == ')' && c == ' ');
            let doubled = end > at && digit(previous).is_none() && !pair;
            if !separator || !continues || doubled {
                break;
            }
            if c == ' ' {
                ends.push((end, digits));
                if digits > MAX_DIGITS {
                    return ends;
                }
            }
        }
        previous = c;
        end += 1;
    }
    let glued = chars.get(end).is_some_and(|&c| word_char(c));
    while end > at && matches!(chars[end - 1], ' ' | '-' | '.' | '/' | '(') {
        end -= 1;
    }
    if !glued {
        ends.push((end, digits));
    }
    ends
}

/// What the run `run` of `n` digits is: a card, a phone number or neither.
fn judge(run: &[char], n: usize) -> Option<&'static str> {
    let digits: Vec<u8> = run.iter().filter_map(|&c| digit(c)).collect();
    let (first, second) = (digits.first().copied()?, digits.get(1).copied().unwrap_or(0));
    if (13..=MAX_DIGITS).contains(&n) && card_shaped(run) && luhn(&digits) {
        return Some("[card]");
    }
    let phone = run[0] == '+' || first == 0 || (n == 10 && first != 1) || (n == 11 && first == 1 && second >= 2);
    let ordinary = run.split(|&c| c == ' ').any(date_or_decimal);
    ((9..=15).contains(&n) && phone && !ordinary).then_some("[phone]")
}

/// Dates (2024-03-05, 05.03.2024, 5/3/24) and decimals (12345678.90) are
/// not phone numbers, nor is a number that has one as a group.
fn date_or_decimal(group: &[char]) -> bool {
    let mut parts = group.split(|&c| matches!(c, '-' | '.' | '/')).map(<[char]>::len);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(_), None, _) => group.contains(&'.'),
        (Some(a), Some(b), Some(c), None) => matches!((a, b, c), (4, 1..=2, 1..=2) | (1..=2, 1..=2, 2 | 4)),
        _ => false,
    }
}

/// Card numbers are digits, maybe in groups split by spaces or by dashes
/// (one kind); no `+`, no parentheses.
fn card_shaped(run: &[char]) -> bool {
    let only = run.iter().all(|&c| digit(c).is_some() || c == ' ' || c == '-');
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
    fn groups_end_at_spaces_and_the_last_only_when_not_glued() {
        assert_eq!(groups(&chars("+44 20 7946 0958."), 0), [(3, 2), (6, 4), (11, 8), (16, 12)]);
        assert_eq!(groups(&chars("(415) 555-0132"), 0), [(5, 3), (14, 10)]);
        assert_eq!(groups(&chars("12 4821abc"), 0), [(2, 2)]);
        assert_eq!(groups(&chars("0612-"), 0), [(4, 4)]);
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
        ] {
            assert_eq!(date_or_decimal(&chars(group)), expected, "{group}");
        }
    }
}
