//! `cargo xtask train` (or `cargo run --release --example train`): fits
//! the transcript reader's model (`transcript/src/model.rs`) to
//! the tuning corpus (`tests/corpus/tuning/*.txt`) and writes
//! `transcript/src/lexicons/model.txt`. Never the frozen set.
//!
//! `--without LETTER` leaves out one tuning batch (ids `<lang>-<LETTER>NNN`)
//! and, instead of writing the model, prints each left-out conversation's
//! labels, distinct n-grams, log-odds, the lexicons' signals and denials
//! as JSON lines: how the batches were used to choose the settings (then
//! with the batches before the sixth only, and the lexicons as they were
//! before each batch was tuned on; today's run trains on every other
//! batch and reads with today's lexicons, so its figures are higher).
//!
//! Deterministic on one platform: the same corpus gives the same file
//! (full-batch gradient descent in a fixed order; only `exp` comes from
//! the platform's maths library).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use feedback_widget::domain::transcript::model::train;
    use feedback_widget::domain::transcript::{run, what_is_read};
    use std::path::Path;

    let args: Vec<String> = std::env::args().skip(1).collect();
    let without = match args.as_slice() {
        [] => None,
        [flag, letter] if flag == "--without" => Some(letter.clone()),
        _ => {
            eprintln!("usage: cargo run --release --example train [-- --without LETTER]");
            std::process::exit(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = train::read_corpus(&root.join("tests/corpus/tuning")).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let mut train_set = Vec::new();
    let mut held_out = Vec::new();
    for c in &all {
        let batch = c.id.rsplit('-').next().and_then(|n| n.chars().next()).map(String::from);
        if without.is_some() && batch == without {
            held_out.push(c);
        } else {
            train_set.push(train::example(c));
        }
    }
    let corpus = train::fingerprint(&train_set);
    let fitted = train::fit(&train_set, corpus);
    if without.is_some() {
        for c in held_out {
            let (features, labels) = train::example(c);
            let (id, messages) = (&c.id, &c.messages);
            let z = fitted.logits(&features);
            let running = run(what_is_read(messages));
            let r = running.signals();
            println!(
                "{{\"id\":\"{id}\",\"labels\":[{},{},{}],\"n\":{},\"z\":[{},{},{}],\"r\":[{},{},{}],\"denied\":{},\"peak\":{}}}",
                labels[0],
                labels[1],
                labels[2],
                features.len(),
                z[0],
                z[1],
                z[2],
                r.frustrated,
                r.waited,
                r.cancel_intent,
                running.denied(),
                running.peak_cancel()
            );
        }
        return;
    }
    let out = root.join("transcript/src/lexicons/model.txt");
    std::fs::write(&out, train::write(&fitted)).expect("model.txt written");
    eprintln!("trained on {} conversations; wrote {}", train_set.len(), out.display());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
