//! The transcript reader and the policy on the CHECK batches
//! (`tests/corpus/check/`): the newest batches of conversations written
//! from the labelling rules by helpers who had not seen the lexicons
//! (batches 13 and 14, 480 conversations), read but not trained on. A
//! round of reader changes is chosen on them before they join the tuning
//! set (`tuning.rs`); batch 13 chose this session's general forms, and
//! batch 14 turned down a second round of rules (see docs/transcript.md).
//! Batch 15 (240 more) was written while a third round was chosen on 13
//! and 14, and first read to check it. They print their misses; the
//! frozen and fresh sets stay the estimate.
#![cfg(not(target_arch = "wasm32"))]

mod eval;

const FILES: [(&str, &str); 8] = [
    ("en", include_str!("corpus/check/en-13.txt")),
    ("zh-Hans", include_str!("corpus/check/zh-Hans-13.txt")),
    ("zh-Hant", include_str!("corpus/check/zh-Hant-13.txt")),
    ("yue", include_str!("corpus/check/yue-13.txt")),
    ("en", include_str!("corpus/check/en-14.txt")),
    ("zh-Hans", include_str!("corpus/check/zh-Hans-14.txt")),
    ("zh-Hant", include_str!("corpus/check/zh-Hant-14.txt")),
    ("yue", include_str!("corpus/check/yue-14.txt")),
];

#[test]
fn the_check_batches_are_read_as_labeled() {
    eval::holds("check batches", &FILES, true, FLOOR_ACCURACY, CEILING_PESTERED);
}

/// Batch 15, written while the reader changes chosen on batches 13 and 14
/// were made, and first read to check them; the next round (someone
/// else's complaint, reported) was chosen on it (docs/transcript.md).
const BATCH_15: [(&str, &str); 4] = [
    ("en", include_str!("corpus/check/en-15.txt")),
    ("zh-Hans", include_str!("corpus/check/zh-Hans-15.txt")),
    ("zh-Hant", include_str!("corpus/check/zh-Hant-15.txt")),
    ("yue", include_str!("corpus/check/yue-15.txt")),
];

#[test]
fn check_batch_15_is_read_as_labeled() {
    eval::holds("check batch 15", &BATCH_15, true, FLOOR_ACCURACY_15, CEILING_PESTERED_15);
}

/// Batch 15's lowest per-language accuracy and highest pestered rate with
/// today's reader, rounded down and up.
const FLOOR_ACCURACY_15: f64 = 88.0;
const CEILING_PESTERED_15: f64 = 5.0;

/// Batch 16, written from the labelling rules by four helpers who had not
/// seen the lexicons (one language each), committed before the round
/// chosen on batch 15, and first read to check it; the next round was
/// chosen on it (docs/transcript.md).
const BATCH_16: [(&str, &str); 4] = [
    ("en", include_str!("corpus/check/en-16.txt")),
    ("zh-Hans", include_str!("corpus/check/zh-Hans-16.txt")),
    ("zh-Hant", include_str!("corpus/check/zh-Hant-16.txt")),
    ("yue", include_str!("corpus/check/yue-16.txt")),
];

#[test]
fn check_batch_16_is_read_as_labeled() {
    eval::holds("check batch 16", &BATCH_16, true, FLOOR_ACCURACY_16, CEILING_PESTERED_16);
}

/// Batch 16's lowest per-language accuracy and highest pestered rate with
/// today's reader, rounded down and up.
const FLOOR_ACCURACY_16: f64 = 81.0;
const CEILING_PESTERED_16: f64 = 5.0;

/// Batch 17, written by four more helpers from the same rules with
/// another mix (agents who cannot fix it, formal customers, moods that
/// change, jokes and emoji, error codes, competitors named without
/// leaving), committed before it was read (docs/transcript.md).
const BATCH_17: [(&str, &str); 4] = [
    ("en", include_str!("corpus/check/en-17.txt")),
    ("zh-Hans", include_str!("corpus/check/zh-Hans-17.txt")),
    ("zh-Hant", include_str!("corpus/check/zh-Hant-17.txt")),
    ("yue", include_str!("corpus/check/yue-17.txt")),
];

#[test]
fn check_batch_17_is_read_as_labeled() {
    eval::holds("check batch 17", &BATCH_17, true, FLOOR_ACCURACY_17, CEILING_PESTERED_17);
}

/// Batch 17's lowest per-language accuracy and highest pestered rate with
/// the reader it was written against, rounded down and up.
const FLOOR_ACCURACY_17: f64 = 83.0;
const CEILING_PESTERED_17: f64 = 5.0;

/// Batch 18, written by four more helpers from the same rules with
/// another mix (refunds and renewals, a third party at fault, language
/// switched mid-chat, one-word messages, unhappy with the price but
/// staying, customers hard on themselves), committed before it was read
/// (docs/transcript.md).
const BATCH_18: [(&str, &str); 4] = [
    ("en", include_str!("corpus/check/en-18.txt")),
    ("zh-Hans", include_str!("corpus/check/zh-Hans-18.txt")),
    ("zh-Hant", include_str!("corpus/check/zh-Hant-18.txt")),
    ("yue", include_str!("corpus/check/yue-18.txt")),
];

#[test]
fn check_batch_18_is_read_as_labeled() {
    eval::holds("check batch 18", &BATCH_18, true, FLOOR_ACCURACY_18, CEILING_PESTERED_18);
}

/// Batch 18's lowest per-language accuracy and highest pestered rate with
/// the reader it was written against, rounded down and up.
const FLOOR_ACCURACY_18: f64 = 83.0;
const CEILING_PESTERED_18: f64 = 9.0;

/// The lowest per-language action accuracy with today's reader, rounded down.
const FLOOR_ACCURACY: f64 = 92.0;
/// The highest per-language pestered rate with today's reader, rounded up.
const CEILING_PESTERED: f64 = 2.0;
