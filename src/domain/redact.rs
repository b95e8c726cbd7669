//! Keeping personal data out of comments: before a comment leaves the
//! browser, email addresses, phone numbers and card numbers in it are
//! replaced by placeholders (`[email]`, `[phone]`, `[card]`). A site can
//! turn this off (`data-redact="false"`).
//!
//! Card numbers are 13 to 19 digits (single spaces or dashes between
//! groups allowed) that pass the Luhn check; numbers that look like cards
//! but fail it are left alone. Phone numbers are 7 to 15 digits that start
//! with `+`, contain separators, or have the length of a national number
//! (10 digits, or 11 starting with 1); short numbers such as order numbers
//! stay. No regex: a hand-written scanner, tested natively.

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
        if starts_number(&chars, i) {
            let (end, digits) = number_run(&chars, i);
            let run: String = chars[i..end].iter().collect();
            let end = i + run.trim_end_matches([' ', '-', '.', '(']).chars().count();
            let n = digits.len();
            let has_separator = chars[i..end].iter().any(|c| matches!(c, ' ' | '-' | '.' | '(' | ')'));
            let card_like = (13..=19).contains(&n) && card_shaped(&chars[i..end]);
            let national = n == 10 || (n == 11 && digits[0] == 1);
            let replacement = if card_like {
                luhn(&digits).then_some("[card]")
            } else if (7..=15).contains(&n)
                && (chars[i] == '+' || has_separator || national)
                && !date_shaped(&chars[i..end])
            {
                Some("[phone]")
            } else {
                None
            };
            match replacement {
                Some(placeholder) => out.push_str(placeholder),
                None => out.extend(&chars[i..end]),
            }
            i = end.max(i + 1);
            continue;
        }
        out.push(chars[i]);
        i += 1;
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

fn starts_number(chars: &[char], at: usize) -> bool {
    let c = chars[at];
    let after_word = at > 0 && (chars[at - 1].is_ascii_alphanumeric());
    !after_word
        && (c.is_ascii_digit() || ((c == '+' || c == '(') && chars.get(at + 1).is_some_and(|d| d.is_ascii_digit())))
}

/// A run of digits and separators (one at a time, except that a space may
/// precede "(" and follow ")"); returns its end and its digits.
fn number_run(chars: &[char], at: usize) -> (usize, Vec<u8>) {
    let mut digits = Vec::new();
    let mut end = at;
    let mut previous = ' ';
    while end < chars.len() {
        let c = chars[end];
        if c.is_ascii_digit() {
            digits.push(c as u8 - b'0');
        } else {
            let separator = matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && end == at);
            let next = chars.get(end + 1).copied().unwrap_or('x');
            let continues = next.is_ascii_digit() || next == '(' || (c == ')' && next == ' ');
            // Two separators in a row only as " (" or ") ".
            let allowed_pair = (previous == ' ' && c == '(') || (previous == ')' && c == ' ');
            let doubled = end > at && !previous.is_ascii_digit() && !allowed_pair;
            if !separator || !continues || doubled {
                break;
            }
        }
        previous = c;
        end += 1;
    }
    if end < chars.len() && chars[end].is_ascii_alphabetic() {
        // Glued to a word ("4821abc"): not a number we redact.
        return (end, Vec::new());
    }
    (end, digits)
}

/// Dates such as 2024-05-01 or 01.05.2024 are not phone numbers.
fn date_shaped(run: &[char]) -> bool {
    let text: String = run.iter().collect();
    let groups: Vec<usize> = text.split(['-', '.', '/', ' ']).map(str::len).collect();
    matches!(groups.as_slice(), [4, 1..=2, 1..=2] | [1..=2, 1..=2, 4])
}

/// Card numbers are written as digits or groups separated by one kind of
/// separator (space or dash).
fn card_shaped(run: &[char]) -> bool {
    !run.iter().any(|c| matches!(c, '(' | ')' | '+' | '.'))
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
