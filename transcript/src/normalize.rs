//! Text into a form the lexicon can be matched against: full-width ASCII
//! (`ＣＡＮＣＥＬ`, `！`) folded to half-width, ideographic punctuation to
//! its ASCII look-alike, curly apostrophes to straight ones, ASCII letters
//! lower-cased. Nothing is removed, so a match is a plain substring search.
//!
//! Case folding and word characters are decided here by hand, not with
//! Rust's Unicode tables, which would add kilobytes to the wasm: case only
//! matters for the Latin script, and a lexicon for a language with other
//! cased letters lists the forms it needs.

#[allow(unused_imports)]
use crate::prelude::*;
/// The normalized text of one message.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            // Full-width forms of ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{3002}' => '.',
            '\u{3001}' => ',',
            _ => c,
        };
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// True for characters that are part of a word in space-separated
/// languages: ASCII letters and digits, the apostrophe, and letters of
/// other alphabets (anything that is not CJK, punctuation or a symbol).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '\'';
    }
    let n = c as u32;
    let symbol_or_mark = matches!(n,
        0x80..=0xBF | 0xD7 | 0xF7 | 0x2000..=0x2BFF | 0x3000..=0x303F | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x1F000..=0x1FAFF);
    !symbol_or_mark && !is_cjk(c)
}

/// CJK ideographs and kana: languages written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Traditional characters and their Simplified forms (`lexicons/fold.txt`:
/// pairs of characters sorted by the first, for the characters the Chinese
/// lexicons use; `lexicons/make_fold.py` writes it from OpenCC's tables),
/// as the reader keeps them.
pub fn fold_pairs(source: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = source.trim().chars().collect();
    chars.chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

/// Folds Traditional characters to Simplified with `pairs` ("這個問題還沒解決"
/// -> "这个问题还没解决"), so one Chinese lexicon serves both scripts.
pub fn fold(text: &str, pairs: &[(char, char)]) -> String {
    if pairs.is_empty() || !text.chars().any(is_cjk) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match pairs.binary_search_by(|(t, _)| t.cmp(&c)) {
            Ok(at) => pairs[at].1,
            Err(_) => c,
        })
        .collect()
}

/// The Chinese numerals that count ("五天了"), and what they count: a unit
/// of time or a classifier (`rewrite`).
const NUMERALS: &str = "两兩三四五六七八九十";
const UNITS: [&str; 13] = ["天", "日", "周", "週", "星期", "礼拜", "禮拜", "个", "個", "小时", "小時", "分钟", "分鐘"];

/// Rewrites `text` with `pairs` (from, to), longest `from` first at each
/// position, left to right: written Cantonese into the standard forms the
/// Chinese lexicons are written in ("等咗好耐" -> "等了好久"). A pair may
/// map a word to itself to protect it ("關係" keeps its "係").
///
/// A number of one or two digits written against a Chinese character
/// becomes `#` ("断网第9天" -> "断网第#天", "等了40分钟" -> "等了#分钟"),
/// and so does a Chinese numeral from 两 to 十 before a unit of time or a
/// classifier ("五天了" -> "#天了"), so that one lexicon entry reads every
/// count; a lone "1", a digit in a word ("on9", "4G") and longer numbers
/// (order numbers, the 12315 hotline) and numbers among Latin words stay.
/// With `counts` false every number stays as written (and the rest of the
/// text is rewritten exactly as with it).
pub fn rewrite(text: &str, pairs: &[(String, String)], counts: bool) -> String {
    if pairs.is_empty() || !text.chars().any(is_cjk) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    let mut previous = ' ';
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let digits = rest.find(|d: char| !d.is_ascii_digit()).unwrap_or(rest.len());
            let next = rest[digits..].chars().next().unwrap_or(' ');
            // Not part of a word ("on9", "4G") and not a lone "1" ("第1次"
            // is a first time, not a count of times).
            let count = counts
                && digits <= 2
                && !previous.is_ascii_alphanumeric()
                && &rest[..digits] != "1"
                && (is_cjk(previous) || is_cjk(next));
            out.push_str(if count { "#" } else { &rest[..digits] });
            rest = &rest[digits..];
            previous = '0';
            continue;
        }
        // A count in Chinese numerals before a unit of time or a classifier
        // is a count too ("五天了" as "5天了"); not 一 or 二 ("第二日" is
        // the next day), nor before 月 or 年 ("三月" is March) or 次.
        if counts && NUMERALS.contains(c) && UNITS.iter().any(|u| rest[c.len_utf8()..].starts_with(u)) {
            out.push('#');
            rest = &rest[c.len_utf8()..];
            previous = '0';
            continue;
        }
        // `pairs` is sorted longest first, so the first hit is the longest.
        match pairs.iter().find(|(from, _)| rest.starts_with(from.as_str())) {
            Some((from, to)) => {
                out.push_str(to);
                rest = &rest[from.len()..];
                previous = from.chars().next_back().unwrap_or(c);
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
                previous = c;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified_and_cantonese_rewrites_first() {
        let pairs = fold_pairs(include_str!("lexicons/fold.txt"));
        assert_eq!(fold("這個問題還沒解決", &pairs), "这个问题还没解决");
        assert_eq!(fold("plain text", &pairs), "plain text");
        let pairs = [
            ("咗".to_owned(), "了".to_owned()),
            ("關係".to_owned(), "關係".to_owned()),
            ("係".to_owned(), "是".to_owned()),
        ];
        assert_eq!(rewrite("等咗好耐，冇關係", &pairs, true), "等了好耐，冇關係");
        assert_eq!(rewrite("係咪", &pairs, true), "是咪");
        assert_eq!(rewrite("断网第9天 等了40分钟", &pairs, true), "断网第#天 等了#分钟");
        assert_eq!(
            rewrite("打12315投诉, 单号 #58213 了, 3 hours", &pairs, true),
            "打12315投诉, 单号 #58213 了, 3 hours"
        );
        assert_eq!(rewrite("客服on9到爆 4G信号 第1次", &pairs, true), "客服on9到爆 4G信号 第1次");
        assert_eq!(rewrite("约咗2:30 而家4:10", &pairs, false), "约了2:30 而家4:10");
        assert_eq!(rewrite("卡咗五日 等咗两个礼拜 十分钟", &pairs, true), "卡了#日 等了#个礼拜 #分钟");
        assert_eq!(rewrite("第二日 十分满意 三月 说了三次 一天", &pairs, true), "第二日 十分满意 三月 说了三次 一天");
    }
}
