//! IBANs (ISO 13616): two letters (the country), two check digits and up
//! to 30 letters and digits, 15 to 34 in all, in any case, written in one
//! piece or split by single spaces into groups of four (as printed; the
//! last group may have any length: "DE89 370400440532013000"). Only those
//! that pass the mod-97 check count.

use super::word_char;

/// If an IBAN starts at `at`: where it ends.
pub(super) fn at(chars: &[char], at: usize) -> Option<usize> {
    let is = |i: usize, f: fn(&char) -> bool| chars.get(i).is_some_and(f);
    let shaped = is(at, char::is_ascii_alphabetic)
        && is(at + 1, char::is_ascii_alphabetic)
        && is(at + 2, char::is_ascii_digit)
        && is(at + 3, char::is_ascii_digit);
    if !shaped || (at > 0 && word_char(chars[at - 1])) {
        return None;
    }
    // The ends of its possible groups, with how many characters each
    // prefix has; a group of other than four is the last.
    let mut ends = Vec::new();
    let (mut start, mut count) = (at, 0);
    loop {
        let group = chars[start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let end = start + group;
        if group == 0 || chars.get(end).is_some_and(|&c| word_char(c)) {
            break;
        }
        count += group;
        if count > 34 {
            break;
        }
        ends.push((end, count));
        if group != 4 || chars.get(end) != Some(&' ') {
            break;
        }
        start = end + 1;
    }
    ends.iter().rev().find(|&&(end, n)| n >= 15 && check(&chars[at..end])).map(|&(end, _)| end)
}

/// The ISO 13616 check: the first four characters moved to the end,
/// letters read as 10 to 35, the number modulo 97 is 1.
fn check(iban: &[char]) -> bool {
    let characters = iban.iter().filter(|&&c| c != ' ');
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
