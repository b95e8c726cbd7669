//! The transcript reader and the policy on the FROZEN held-out set
//! (`tests/corpus/frozen/`): conversations written by helpers from the
//! labelling rules alone, who never saw the lexicons, committed before any
//! lexicon change and never used to tune. It reports, per language, what
//! `decide` does with a context that holds only the messages: action
//! accuracy, pestered (a hard or leaving customer asked the effort
//! question), over-spared (a smooth one not asked), and per-label
//! precision and recall; the misses are counted, never printed. The
//! figures go to `docs/transcript.md` as they are; the floors below only
//! stop them from getting worse.
#![cfg(not(target_arch = "wasm32"))]

mod eval;

const FILES: [(&str, &str); 4] = [
    ("en", include_str!("corpus/frozen/en.txt")),
    ("zh-Hans", include_str!("corpus/frozen/zh-Hans.txt")),
    ("zh-Hant", include_str!("corpus/frozen/zh-Hant.txt")),
    ("yue", include_str!("corpus/frozen/yue.txt")),
];

#[test]
fn the_frozen_set_is_read_as_labeled() {
    eval::holds("frozen held-out set", &FILES, false, FLOOR_ACCURACY, CEILING_PESTERED);
}

/// The lowest per-language action accuracy measured, rounded down.
const FLOOR_ACCURACY: f64 = 90.0;
/// The highest per-language pestered rate measured, rounded up.
const CEILING_PESTERED: f64 = 7.0;
