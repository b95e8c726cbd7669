//! `cargo xtask train` (or `cargo run --release --example train`): fits
//! the transcript reader's model (`src/domain/transcript/model.rs`) to
//! the tuning corpus (`tests/corpus/tuning/*.txt`) and writes
//! `src/domain/transcript/lexicons/model.txt`. Never the frozen set.
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
    use feedback_widget::domain::transcript::model::{train, LABELS};
    use feedback_widget::domain::transcript::{model_features, run};
    use feedback_widget::domain::{Message, Sender};
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
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/corpus/tuning"))
        .expect("tests/corpus/tuning")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let texts: Vec<String> = files.iter().map(|p| std::fs::read_to_string(p).expect("a corpus file")).collect();
    let corpus = train::fingerprint(texts.iter().map(String::as_str));
    let mut train_set = Vec::new();
    let mut held_out = Vec::new();
    for text in &texts {
        let mut current: Option<(String, [bool; 3], Vec<Message>)> = None;
        let mut all = Vec::new();
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("## ") {
                all.extend(current.take());
                let fields: Vec<&str> = header.split('|').map(str::trim).collect();
                let [id, _, labels, _] = fields[..] else {
                    eprintln!("a header needs four fields: {line}");
                    std::process::exit(1);
                };
                let labels: Vec<&str> = labels.split(',').map(str::trim).collect();
                current = Some((id.to_owned(), LABELS.map(|l| labels.contains(&l)), Vec::new()));
            } else if let Some((who, text)) = line.split_once(": ") {
                let from = match who {
                    "C" => Sender::Customer,
                    "A" => Sender::Agent,
                    _ => continue,
                };
                current.as_mut().expect("a message after a header").2.push(Message { from, text: text.to_owned() });
            }
        }
        all.extend(current.take());
        for (id, labels, messages) in all {
            let batch = id.rsplit('-').next().and_then(|n| n.chars().next()).map(String::from);
            let example = (model_features(&messages), labels);
            if without.is_some() && batch == without {
                held_out.push((id, example, messages));
            } else {
                train_set.push(example);
            }
        }
    }
    let fitted = train::fit(&train_set, corpus);
    if without.is_some() {
        for (id, (features, labels), messages) in held_out {
            let z = fitted.logits(&features);
            let running = run(&messages);
            let r = running.signals();
            println!(
                "{{\"id\":\"{id}\",\"labels\":[{},{},{}],\"n\":{},\"z\":[{},{},{}],\"r\":[{},{},{}],\"denied\":{}}}",
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
                running.denied()
            );
        }
        return;
    }
    let out = root.join("src/domain/transcript/lexicons/model.txt");
    std::fs::write(&out, train::write(&fitted)).expect("model.txt written");
    eprintln!("trained on {} conversations; wrote {}", train_set.len(), out.display());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
