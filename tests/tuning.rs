//! The transcript reader and the policy on the TUNING set
//! (`tests/corpus/tuning/`): conversations written, like the frozen set,
//! by helpers who had not seen the lexicons, but meant to be tuned on:
//! this one prints every miss (`cargo test --test tuning -- --nocapture`).
#![cfg(not(target_arch = "wasm32"))]

mod eval;

const FILES: [(&str, &str); 48] = [
    ("en", include_str!("corpus/tuning/en.txt")),
    ("en", include_str!("corpus/tuning/en-2.txt")),
    ("en", include_str!("corpus/tuning/en-3.txt")),
    ("en", include_str!("corpus/tuning/en-4.txt")),
    ("en", include_str!("corpus/tuning/en-5.txt")),
    ("en", include_str!("corpus/tuning/en-6.txt")),
    ("en", include_str!("corpus/tuning/en-7.txt")),
    ("en", include_str!("corpus/tuning/en-8.txt")),
    ("en", include_str!("corpus/tuning/en-9.txt")),
    ("en", include_str!("corpus/tuning/en-10.txt")),
    ("en", include_str!("corpus/tuning/en-11.txt")),
    ("en", include_str!("corpus/tuning/en-12.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-2.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-3.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-4.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-5.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-6.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-7.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-8.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-9.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-10.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-11.txt")),
    ("zh-Hans", include_str!("corpus/tuning/zh-Hans-12.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-2.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-3.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-4.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-5.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-6.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-7.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-8.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-9.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-10.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-11.txt")),
    ("zh-Hant", include_str!("corpus/tuning/zh-Hant-12.txt")),
    ("yue", include_str!("corpus/tuning/yue.txt")),
    ("yue", include_str!("corpus/tuning/yue-2.txt")),
    ("yue", include_str!("corpus/tuning/yue-3.txt")),
    ("yue", include_str!("corpus/tuning/yue-4.txt")),
    ("yue", include_str!("corpus/tuning/yue-5.txt")),
    ("yue", include_str!("corpus/tuning/yue-6.txt")),
    ("yue", include_str!("corpus/tuning/yue-7.txt")),
    ("yue", include_str!("corpus/tuning/yue-8.txt")),
    ("yue", include_str!("corpus/tuning/yue-9.txt")),
    ("yue", include_str!("corpus/tuning/yue-10.txt")),
    ("yue", include_str!("corpus/tuning/yue-11.txt")),
    ("yue", include_str!("corpus/tuning/yue-12.txt")),
];

#[test]
fn the_tuning_set_is_read_as_labeled() {
    eval::holds("tuning set", &FILES, true, FLOOR_ACCURACY, CEILING_PESTERED);
}

/// Since the learned model is trained on this set, this is a training
/// fit, not an estimate (the frozen set is that): 96.8-98.4% with 74
/// misses after twelve batches. The floor only catches a model file that
/// no longer fits its corpus, or a reader change that breaks what it was
/// trained to read.
const FLOOR_ACCURACY: f64 = 96.0;
const CEILING_PESTERED: f64 = 3.0;

/// The shipped model (`lexicons/model.txt`) was trained on this corpus as
/// the reader reads it today: a conversation added or changed since, or a
/// change to how the reader prepares, cuts or drops the text it gives the
/// model, fails here until `cargo xtask train` is run again.
#[test]
fn the_model_was_trained_on_the_corpus_as_it_is() {
    use feedback_widget::domain::transcript::{learned_model, model::train};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/tuning");
    let corpus = train::read_corpus(&dir).expect("the tuning corpus reads");
    let files = std::fs::read_dir(&dir).expect("the corpus").filter_map(Result::ok);
    assert_eq!(
        files.filter(|e| e.path().extension().is_some_and(|x| x == "txt")).count(),
        FILES.len(),
        "every tuning file is evaluated above"
    );
    let examples: Vec<_> = corpus.iter().map(train::example).collect();
    let model = learned_model().expect("the shipped model reads");
    assert_eq!(
        model.corpus,
        train::fingerprint(&examples),
        "the tuning corpus or the reader changed since the model was trained: run `cargo xtask train`"
    );
}
