//! Text as the contract handles it: cut at a number of characters, cleaned
//! of what a database cannot store, and checked for the small vocabularies
//! (reason codes, language tags) that the payload carries.

/// The first `max` characters of `s`.
pub fn cut(s: &str, max: usize) -> String {
    // (`get`, not indexing: a character's start is always a boundary, and
    // an index that panics puts a panic location of its own in the wasm.)
    let end = s.char_indices().nth(max).map_or(s.len(), |(end, _)| end);
    s.get(..end).unwrap_or(s).to_owned()
}

/// An integer in decimal, as `to_string` writes it. One function for
/// every integer type the widget writes, instead of each type's
/// `Display` and the formatting machinery behind it in the wasm.
pub fn integer(n: i64) -> String {
    // (Written from the highest digit down, with no buffer to index: an
    // index the compiler cannot prove in bounds is a panic location of its
    // own in the wasm.)
    let rest = n.unsigned_abs();
    let mut unit = 1;
    while rest / unit >= 10 {
        unit *= 10;
    }
    let mut out = String::with_capacity(21);
    if n < 0 {
        out.push('-');
    }
    loop {
        out.push(char::from(b'0' + (rest / unit % 10) as u8));
        if unit == 1 {
            break;
        }
        unit /= 10;
    }
    out
}

/// `s` with every NUL replaced by U+FFFD. PostgreSQL text cannot hold a
/// NUL and it never carries meaning in a customer's words, so the receiver
/// stores text this way; the widget sends it this way, so what is stored
/// is exactly what was sent.
pub fn without_nul(s: &str) -> String {
    s.chars().map(|c| if c == '\0' { '\u{fffd}' } else { c }).collect()
}

/// Whether `s` has a control character (C0, DEL or C1): identifiers and
/// words may not, since they end up in headers, CSV cells and logs.
pub fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A reason code: 1 to 64 bytes of ASCII letters, digits, `_` and `-`
/// (`long_wait`, `transcript_frustrated`, or a site's own).
pub fn is_reason_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= crate::limits::MAX_REASON_BYTES
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A language tag as the payload reports it: 1 to 35 bytes of ASCII
/// letters, digits and `-` (`en`, `zh-Hant-TW`).
pub fn is_locale_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= crate::limits::MAX_LOCALE_BYTES
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_written_as_to_string_writes_them() {
        for n in [0, 7, -7, 10, 99, 100, 2000, 65_535, -1_000_000, 9_007_199_254_740_991, i64::MAX, i64::MIN] {
            assert_eq!(integer(n), n.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn every_integer_is_written_as_to_string_writes_it(n in proptest::num::i64::ANY) {
            proptest::prop_assert_eq!(integer(n), n.to_string());
        }
    }

    #[test]
    fn cuts_at_characters_not_bytes() {
        assert_eq!(cut("好好好", 2), "好好");
        assert_eq!(cut("ab", 5), "ab");
        assert_eq!(cut("", 0), "");
    }

    #[test]
    fn vocabularies() {
        for (code, ok) in [("long_wait", true), ("a-b_9", true), ("", false), ("<script>", false), ("é", false)] {
            assert_eq!(is_reason_code(code), ok, "{code}");
        }
        assert!(!is_reason_code(&"x".repeat(65)));
        for (tag, ok) in [("en", true), ("zh-Hant-TW", true), ("zh_TW", false), ("", false), ("e n", false)] {
            assert_eq!(is_locale_tag(tag), ok, "{tag}");
        }
        assert_eq!(without_nul("a\0b"), "a\u{fffd}b");
        assert!(has_control("a\u{7}") && has_control("\u{85}") && !has_control("中文 ok"));
    }
}
