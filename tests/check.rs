//! The transcript reader and the policy on the CHECK batch
//! (`tests/corpus/check/`): the newest batch of conversations written from
//! the labelling rules by helpers who had not seen the lexicons (batch 13,
//! 240 conversations), read but not trained on. It is what a round of
//! reader changes is chosen by before the batch joins the tuning set
//! (`tuning.rs`) and a newer one takes its place, so it prints its misses;
//! the frozen and fresh sets stay the estimate.
#![cfg(not(target_arch = "wasm32"))]

mod eval;

const FILES: [(&str, &str); 4] = [
    ("en", include_str!("corpus/check/en-13.txt")),
    ("zh-Hans", include_str!("corpus/check/zh-Hans-13.txt")),
    ("zh-Hant", include_str!("corpus/check/zh-Hant-13.txt")),
    ("yue", include_str!("corpus/check/yue-13.txt")),
];

#[test]
fn the_check_batch_is_read_as_labeled() {
    eval::holds("check batch", &FILES, true, FLOOR_ACCURACY, CEILING_PESTERED);
}

/// The lowest per-language action accuracy with today's reader, rounded down.
const FLOOR_ACCURACY: f64 = 85.0;
/// The highest per-language pestered rate with today's reader, rounded up.
const CEILING_PESTERED: f64 = 5.0;
