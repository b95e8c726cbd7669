//! The comment box's limit (`fit_edit`): what an edit that takes the box
//! over 2,000 characters keeps, as `maxlength` would keep it but counted
//! in characters, given the caret the edit left after what it put in.
//! Table-driven cases, then properties over any edit.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::response::{fit_edit, fitting};
use proptest::prelude::*;

#[test]
fn an_edit_over_the_limit_loses_the_end_of_what_went_in() {
    // (text after the edit, caret in UTF-16 units, max) -> kept text, caret
    for (text, caret, max, kept, at) in [
        // typed at the end of a full box: nothing goes in
        ("abcdex", 6, 5, "abcde", 5),
        // pasted into the middle: the paste is cut, the end stays
        ("ab12345cd", 7, 6, "ab12cd", 4),
        // emoji are one character and two UTF-16 units; Chinese one and one
        ("好🙂🙂好好", 5, 4, "好🙂好好", 3),
        ("ab🙂🙂🙂", 8, 4, "ab🙂🙂", 6),
        // dropped text stays selected: its end is the selection's end
        ("a123b", 4, 3, "a1b", 2),
        // a caret at the start (the text set some other way): off the end
        ("abcdefgh", 0, 5, "abcde", 0),
        // a caret past the end (no selection known): off the end
        ("abcdefgh", usize::MAX, 5, "abcde", 5),
    ] {
        assert_eq!(fit_edit(text, caret, max), Some((kept.to_owned(), at)), "{text:?} at {caret}");
    }
    assert_eq!(fit_edit("abcd", 4, 4), None, "at the limit nothing is cut");
    assert_eq!(fit_edit("", 0, 4), None);
}

#[test]
fn what_fits_of_an_edit_before_it_goes_in() {
    // (text, selection in UTF-16 units, data, max) -> bytes of data that fit
    for (text, start, end, data, max, fits) in [
        // room for all of it: the browser inserts it as it is
        ("abc", 3, 3, "de", 5, None),
        ("abc", 1, 1, "xy", 5, None),
        // room for some: the first characters
        ("abcd", 2, 2, "12345", 6, Some(2)),
        // a full box: none
        ("abcde", 5, 5, "x", 5, Some(0)),
        // what the edit replaces is room
        ("abcdef", 1, 5, "123456789", 6, Some(4)),
        // characters, not UTF-16 units, not bytes: an emoji is one
        ("🙂🙂🙂", 2, 2, "好🙂x", 5, Some(7)),
        ("a🙂b", 1, 3, "🙂🙂🙂", 4, Some(8)),
        // a selection past the end (unknown): nothing replaced
        ("abc", usize::MAX, usize::MAX, "xyz", 4, Some(1)),
    ] {
        assert_eq!(fitting(text, start, end, data, max), fits, "{text:?} {start}..{end} + {data:?}");
    }
}

fn text(alphabet: &'static [char]) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(alphabet), 0..40).prop_map(|c| c.into_iter().collect())
}

const CHARS: &[char] = &['a', 'é', '好', '🙂', '\n'];

fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A box's text within `max` (the first `max` characters of `text`) and
/// a range of it an edit replaces, from two ends `a` and `b`: the text
/// before the range, the range, the text after it.
fn split(text: &str, a: usize, b: usize, max: usize) -> (String, String, String) {
    let chars: Vec<char> = text.chars().take(max).collect();
    let (i, j) = (a.min(b).min(chars.len()), a.max(b).min(chars.len()));
    (chars[..i].iter().collect(), chars[i..j].iter().collect(), chars[j..].iter().collect())
}

proptest! {
    /// Any paste over any range of a box within its limit, the caret
    /// after it: the result is at the limit, holds everything outside the
    /// range and the start of the paste (what `maxlength` keeps, counted
    /// in characters), and the caret is after what went in.
    #[test]
    fn a_paste_keeps_the_customers_text_and_the_start_of_the_paste(
        before in text(CHARS), put in text(CHARS), a in 0usize..41, b in 0usize..41, max in 1usize..30,
    ) {
        let (head, _, tail) = split(&before, a, b, max);
        let after = format!("{head}{put}{tail}");
        match fit_edit(&after, utf16(&head) + utf16(&put), max) {
            None => prop_assert!(after.chars().count() <= max),
            Some((kept, caret)) => {
                let room = max - head.chars().count() - tail.chars().count();
                let put_kept: String = put.chars().take(room).collect();
                prop_assert_eq!(&kept, &format!("{head}{put_kept}{tail}"));
                prop_assert_eq!(caret, utf16(&head) + utf16(&put_kept), "the caret after what went in");
            }
        }
    }

    /// An edit cut before it goes in leaves the same text as one cut
    /// after it (`fit_edit`): the box's two ways of cutting agree.
    #[test]
    fn cutting_before_an_edit_and_after_it_agree(
        before in text(CHARS), put in text(CHARS), a in 0usize..41, b in 0usize..41, max in 1usize..30,
    ) {
        let (head, selected, tail) = split(&before, a, b, max);
        let before = format!("{head}{selected}{tail}");
        let cut = fitting(&before, utf16(&head), utf16(&head) + utf16(&selected), &put, max);
        let inserted = &put[..cut.unwrap_or(put.len())];
        let after = format!("{head}{inserted}{tail}");
        prop_assert!(after.chars().count() <= max);
        let uncut = format!("{head}{put}{tail}");
        let by_fit = fit_edit(&uncut, utf16(&head) + utf16(&put), max).map_or(uncut.clone(), |(kept, _)| kept);
        prop_assert_eq!(after, by_fit);
    }

    /// Whatever the text and the caret: at most `max` characters, and
    /// what is kept is the text with characters taken out, in order.
    #[test]
    fn any_text_and_caret_give_at_most_max_characters(text in text(CHARS), caret in 0usize..100, max in 1usize..30) {
        let (kept, at) = fit_edit(&text, caret, max).unwrap_or((text.clone(), caret));
        prop_assert!(kept.chars().count() <= max);
        prop_assert!(at <= utf16(&kept) || kept == text);
        let mut rest = text.chars();
        prop_assert!(kept.chars().all(|k| rest.any(|c| c == k)), "{:?} is not in order in {:?}", kept, text);
    }
}
