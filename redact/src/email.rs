//! Email addresses, in any script: `jürgen.müller@beispiel.de`,
//! `用户@例子.中国`, `a.b+tag@xn--bcher-kva.example`.

use alloc::vec::Vec;

use super::{digit, letter, unspaced};

/// Where the email addresses in `chars` are, in order, as (start, end).
pub(super) fn spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for at in 0..chars.len() {
        if !is_at(chars[at]) {
            continue;
        }
        let Some(end) = domain_end(chars, at + 1) else { continue };
        let floor = spans.last().map_or(0, |&(_, end)| end).min(at);
        let (start, local_end) = local_part(chars, floor, at);
        match spans.last_mut() {
            // "a@b.cd@e.fg", "a@b.cd+x@e.fg": one address as far as we
            // can tell, and its second domain is no one's business either.
            Some(last) if last.1 == start => last.1 = end,
            _ if start < local_end => spans.push((start, end)),
            _ => {}
        }
    }
    spans
}

/// An at sign: ASCII, full-width (as Chinese and Japanese input methods
/// type it) or small.
pub(super) fn is_at(c: char) -> bool {
    matches!(c, '@' | '＠' | '﹫')
}

/// The local part before the `@` at `at`, as (start, end), not before
/// `floor`: "support@@example.com" has one, a doubled @ being a typo.
pub(super) fn local_part(chars: &[char], floor: usize, at: usize) -> (usize, usize) {
    let mut end = at;
    while end > floor && is_at(chars[end - 1]) {
        end -= 1;
    }
    (local_start(chars, floor, end), end)
}

/// Where the local part before the `@` at `at` starts (`at` if there is
/// none): letters, digits and `._%+-'` of one kind of script, so that in
/// "我的邮箱是12345@qq.com" the address starts at "12345", and without two
/// dots in a row ("see...jane@x.com"). Leading dots and quotes belong to
/// the sentence.
fn local_start(chars: &[char], floor: usize, at: usize) -> usize {
    let mut start = at;
    let mut script = None;
    while start > floor {
        let c = chars[start - 1];
        let dots = c == '.' && chars.get(start) == Some(&'.');
        if dots || !(letter(c) || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')) {
            break;
        }
        if letter(c) && *script.get_or_insert(unspaced(c)) != unspaced(c) {
            break;
        }
        start -= 1;
    }
    while start < at && matches!(chars[start], '.' | '\'') {
        start += 1;
    }
    start
}

/// If a domain starts at `from`: where it ends. A domain is labels of
/// letters, digits and `-` split by dots (`.` or `．`), of which there is
/// at least one; it ends after the last label that can be a top-level
/// domain: one that starts with two letters (`de`, `中国`, punycode
/// `xn--p1ai`). What follows glued to it goes with it (`example.com2024`):
/// were it cut there, what is left would be read differently the second
/// time round.
fn domain_end(chars: &[char], from: usize) -> Option<usize> {
    let dot = |c: char| matches!(c, '.' | '．');
    let mut end = from;
    while end < chars.len() && (letter(chars[end]) || chars[end] == '-' || dot(chars[end])) {
        end += 1;
    }
    loop {
        while end > from && (chars[end - 1] == '-' || dot(chars[end - 1])) {
            end -= 1;
        }
        let last_dot = (from..end).rev().find(|&i| dot(chars[i]))?;
        let tld = &chars[last_dot + 1..end];
        if last_dot > from && tld.len() >= 2 && tld[..2].iter().all(|&c| letter(c) && digit(c).is_none()) {
            return Some(end);
        }
        end = last_dot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn domains_end_after_a_top_level_domain() {
        for (text, end) in [
            ("beispiel.de bitte", Some(11)),
            ("例子.中国。", Some(5)),
            ("example.com-", Some(11)),
            ("example.com.123", Some(11)),
            ("xn--bcher-kva.xn--p1ai.", Some(22)),
            ("例子.中国0612345678", Some(15)),
            ("b.c2024", None),
            ("localhost", None),
            (".com", None),
            ("b.c", None),
        ] {
            assert_eq!(domain_end(&chars(text), 0), end, "{text}");
        }
    }

    #[test]
    fn local_parts_keep_to_one_kind_of_script() {
        let text = chars("我的邮箱是12345@");
        assert_eq!(local_start(&text, 0, text.len() - 1), 5);
        let text = chars("an 'jürgen.müller@");
        assert_eq!(local_start(&text, 0, text.len() - 1), 4);
        // Decomposed "é" (e and a combining acute accent).
        let text = chars(" jose\u{301}@");
        assert_eq!(local_start(&text, 0, text.len() - 1), 1);
    }
}
