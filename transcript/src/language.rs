//! Which language a customer wrote in: English (or another language with
//! spaces), Simplified Chinese, Traditional Chinese, or written Cantonese.
//! A few characters are enough: Cantonese has particles and words standard
//! Chinese does not write (咗, 唔, 冇, 嘅...), and Simplified and
//! Traditional differ in the most common characters (这/這, 们/們...).
//! It is reported with the signals (`cargo xtask explain` shows it); the
//! reader applies every lexicon to every message whatever it says.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::Serialize;

use super::normalize::is_cjk;

/// The language of a message or a conversation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Language {
    /// No letters at all (emoji, numbers), or nothing read yet.
    #[default]
    #[serde(rename = "und")]
    Unknown,
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-Hans")]
    Simplified,
    #[serde(rename = "zh-Hant")]
    Traditional,
    #[serde(rename = "yue")]
    Cantonese,
}

impl Language {
    pub fn tag(self) -> &'static str {
        match self {
            Language::Unknown => "und",
            Language::English => "en",
            Language::Simplified => "zh-Hans",
            Language::Traditional => "zh-Hant",
            Language::Cantonese => "yue",
        }
    }
}

/// Characters written in Cantonese and not in standard written Chinese.
const CANTONESE: &str = "咗唔冇嘅喺啲哋嬲嚟睇搵揾咩乜嗰啱攞畀諗冧嘢咪噉嗱㗎喎";
/// Common characters whose Simplified and Traditional forms differ, in pairs.
const SIMPLIFIED: &str = "这们为时说对还没问题关系谢请发单钱让过给么个会经处样后网账号话应电东认现买卖尽钟复读烂间该来错银订费务员动级线换货实体长开门边无语气听见帮续约险车机络码讯";
const TRADITIONAL: &str = "這們為時說對還沒問題關係謝請發單錢讓過給麼個會經處樣後網帳號話應電東認現買賣盡鐘復讀爛間該來錯銀訂費務員動級線換貨實體長開門邊無語氣聽見幫續約險車機絡碼訊";

/// The language of one message.
pub fn detect(text: &str) -> Language {
    let (mut cjk, mut cantonese, mut simplified, mut traditional, mut latin) = (0, 0, 0, 0, 0);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if is_cjk(c) {
            cjk += 1;
            if CANTONESE.contains(c) {
                cantonese += 1;
            }
            match (SIMPLIFIED.contains(c), TRADITIONAL.contains(c)) {
                (true, false) => simplified += 1,
                (false, true) => traditional += 1,
                _ => {}
            }
        }
    }
    if cjk == 0 {
        return if latin > 0 { Language::English } else { Language::Unknown };
    }
    if cantonese > 0 {
        Language::Cantonese
    } else if simplified > traditional {
        Language::Simplified
    } else if traditional > simplified {
        Language::Traditional
    } else if cjk * 2 >= latin {
        // Characters written the same in both: call it Simplified, the commoner.
        Language::Simplified
    } else {
        Language::English
    }
}

/// The language most of `texts` are written in (ties: the later one).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub fn detect_all<'a>(texts: impl Iterator<Item = &'a str>) -> Language {
    let mut counts = [0usize; 5];
    let mut last = Language::Unknown;
    for text in texts {
        let language = detect(text);
        if language != Language::Unknown {
            counts[language as usize] += 1;
            last = language;
        }
    }
    let best = *counts.iter().max().unwrap_or(&0);
    if best == 0 || counts[last as usize] == best {
        return last;
    }
    [Language::English, Language::Simplified, Language::Traditional, Language::Cantonese]
        .into_iter()
        .find(|l| counts[*l as usize] == best)
        .unwrap_or(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_apart_by_a_few_characters() {
        let cases = [
            ("Where is my refund?", Language::English),
            ("我的退款到底什么时候到？", Language::Simplified),
            ("這個問題還沒解決欸", Language::Traditional),
            ("等咗好耐都冇人理", Language::Cantonese),
            ("我唔要喇，幫我取消", Language::Cantonese),
            ("個 app 成日 crash，點解嘅", Language::Cantonese),
            ("👍", Language::Unknown),
            ("谢谢", Language::Simplified),
            ("謝謝", Language::Traditional),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), want, "{text}");
        }
        let all = ["ok", "等咗好耐", "冇人理我"];
        assert_eq!(detect_all(all.into_iter()), Language::Cantonese);
    }
}
