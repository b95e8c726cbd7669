//! IBANs (ISO 13616): two letters (the country), two check digits and up
//! to 30 letters and digits, 15 to 34 in all, in any case, written in one
//! piece or split into groups of four (as printed; the last group may
//! have any length: "DE89 370400440532013000") by spaces, line breaks or
//! dashes, or one piece wrapped over lines. Only those that pass the
//! mod-97 check count.

use alloc::vec::Vec;

use super::word_char;

/// Whether `chars` start as an IBAN does: two letters, two digits.
pub(super) fn starts_like_one(chars: &[char]) -> bool {
    chars.len() >= 4
        && chars[0].is_ascii_alphabetic()
        && chars[1].is_ascii_alphabetic()
        && chars[2].is_ascii_digit()
        && chars[3].is_ascii_digit()
}

/// If an IBAN starts at `at`: where it ends. When IBANs overlap (a code
/// right before a real IBAN can pass the check by chance, 1 in 97) all
/// of them go, as one.
pub(super) fn at(chars: &[char], at: usize) -> Option<usize> {
    if at > 0 && word_char(chars[at - 1]) {
        return None;
    }
    let groups = groups(chars, at);
    let mut end = longest(chars, &groups)?;
    for k in 1..groups.len() {
        if groups[k].0 < end {
            end = end.max(longest(chars, &groups[k..]).unwrap_or(end));
        }
    }
    Some(end)
}

/// The groups an IBAN at `at` could have (start, end): letters and digits
/// split by spaces and line breaks (any number: a PDF's double spaces, a
/// wrap) or by one `-`, every group but the last of four, as far as two
/// IBANs reach; and a group of any length wrapped at a line break (one
/// piece cut by the width of a page).
fn groups(chars: &[char], at: usize) -> Vec<(usize, usize)> {
    let mut groups = Vec::new();
    let mut start = at;
    while start <= at + 2 * 34 {
        let length = chars[start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let end = start + length;
        if length == 0 || chars.get(end).is_some_and(|&c| word_char(c)) {
            break;
        }
        groups.push((start, end));
        let mut next = end;
        while next < chars.len() && matches!(chars[next], ' ' | '\n') {
            next += 1;
        }
        let wrapped = chars[end..next].contains(&'\n');
        if next == end && length == 4 && chars.get(end) == Some(&'-') {
            next += 1;
        }
        if next == end || !(length == 4 || wrapped) {
            break;
        }
        start = next;
    }
    groups
}

/// Where the groups an IBAN at `at` could have end, checked or not (the
/// cut at the limit: what it left of one).
pub(super) fn reach(chars: &[char], at: usize) -> usize {
    groups(chars, at).last().map_or(at, |&(_, end)| end)
}

/// Where the longest IBAN that starts with the first of `groups` ends:
/// two letters and two digits, then up to 34 characters in all.
fn longest(chars: &[char], groups: &[(usize, usize)]) -> Option<usize> {
    let start = groups.first()?.0;
    let is = |i: usize, f: fn(&char) -> bool| chars.get(i).is_some_and(f);
    let shaped = is(start, char::is_ascii_alphabetic)
        && is(start + 1, char::is_ascii_alphabetic)
        && is(start + 2, char::is_ascii_digit)
        && is(start + 3, char::is_ascii_digit);
    let mut n = 0;
    let mut found = None;
    for &(group_start, end) in groups.iter().take_while(|_| shaped) {
        n += end - group_start;
        if n > 34 {
            break;
        }
        if n >= 15 && check(&chars[start..end]) {
            found = Some(end);
        }
    }
    found
}

/// The ISO 13616 check: the first four characters moved to the end,
/// letters read as 10 to 35, the number modulo 97 is 1.
fn check(iban: &[char]) -> bool {
    let characters = iban.iter().filter(|c| c.is_ascii_alphanumeric());
    let mut rest = 0;
    for c in characters.clone().skip(4).chain(characters.take(4)) {
        let Some(value) = c.to_digit(36) else { return false };
        rest = (rest * if value < 10 { 10 } else { 100 } + value) % 97;
    }
    rest == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mod_97_check() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(check(&chars("GB82 WEST 1234 5698 7654 32")));
        assert!(check(&chars("gb82west12345698765432")));
        assert!(!check(&chars("GB28 WEST 1234 5698 7654 32")));
        assert!(!check(&chars("GB82 WEST 1234 5698 7654 3!")));
    }
}
