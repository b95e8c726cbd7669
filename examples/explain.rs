//! `cargo xtask explain FILE.json` (or `cargo run --example explain --
//! FILE.json`): why a conversation was read the way it was. FILE holds a
//! context as a page passes it to `Feedback.ask` (at least `messages`), or
//! just the array of messages. For each customer message it prints the
//! normalized text, the language, every phrase found (label, weight,
//! negated, stretched), the message's scores and the running signals;
//! then the learned model's log-odds with the n-grams that weighed most,
//! the signals the two make together, and the decision with its reasons.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use feedback_widget::domain::transcript::{
        detect, explain_message, learned_model, model, model_say, what_is_read, Running, Signals, ASKED, DENIED_CANCEL,
        DENIED_FRUSTRATED, DENIED_WAITED, READ_BYTES, THRESHOLD,
    };
    use feedback_widget::domain::{decide, Context, History, Now, Rules, Sender, Value};

    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cargo xtask explain FILE.json   (a context with messages, or an array of messages)");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("{path}: not JSON: {e}");
        std::process::exit(2);
    });
    let value = match value {
        Value::Array(_) => {
            serde_json::from_str(&format!("{{\"messages\":{text}}}")).expect("an object around the array")
        }
        other => other,
    };
    let context = Context::from_value(&value).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let mut running = Running::default();
    let show = |s: &Signals| {
        format!(
            "frustrated {:.2}  waited {:.2}  cancel_intent {:.2}  grateful {:.2}",
            s.frustrated, s.waited, s.cancel_intent, s.grateful
        )
    };
    let read = what_is_read(&context.messages);
    let unread = context.messages.len() - read.len();
    for (i, message) in context.messages.iter().enumerate() {
        if message.from != Sender::Customer {
            println!("#{i} agent: {}\n    (agents' messages never count)", message.text);
            continue;
        }
        if i < unread {
            println!("#{i} customer: {}\n    (not read: the reader reads the newest {READ_BYTES} bytes)", message.text);
            continue;
        }
        let reading = explain_message(&message.text);
        println!("#{i} customer [{}]: {}", detect(&message.text).tag(), message.text);
        println!("    normalized: {}", reading.normalized);
        for m in &reading.matches {
            let mut notes = Vec::new();
            if m.negated {
                notes.push("negated");
            }
            if m.gapped {
                notes.push("with words inserted");
            }
            let label = serde_json::to_value(m.label).expect("a label serializes");
            println!(
                "    found {:?}: {} {:.2}{}",
                m.text,
                label.as_str().unwrap_or("?"),
                m.weight,
                if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) }
            );
        }
        let s = reading.scores;
        println!(
            "    this message: frustrated {:.2}  waited {:.2}  cancel_intent {:.2}  grateful {:.2}{}",
            s.frustrated,
            s.waited,
            s.cancel_intent,
            s.grateful,
            if s.retract { "  (takes back the previous message)" } else { "" }
        );
        running.push(&s);
        println!("    running:      {}", show(&running.signals()));
    }
    println!("\nthe lexicons at the end: {}", show(&running.signals()));
    let denied: Vec<&str> = [
        (DENIED_FRUSTRATED, "frustrated"),
        (DENIED_WAITED, "waited"),
        (DENIED_CANCEL, "cancel_intent"),
        (ASKED, "cancel_intent (only asked about, or one thing cancelled)"),
    ]
    .iter()
    .filter(|(bit, _)| running.denied() & bit != 0)
    .map(|(_, name)| *name)
    .collect();
    if !denied.is_empty() {
        println!("said in so many words not to be there (the model does not add them): {}", denied.join(", "));
    }
    if let Some(model) = learned_model() {
        // Every n-gram of the customer's messages once, with its bucket
        // (what a retraction took back is not read).
        let kept = running.kept(read);
        let mut grams: Vec<(String, u16)> = Vec::new();
        for text in &kept {
            model::ngrams(&model::prepare(text), |gram, bucket| {
                if !grams.iter().any(|(_, b)| *b == bucket) {
                    grams.push((gram.to_owned(), bucket));
                }
            });
        }
        let features = model::features_of(kept.into_iter());
        let z = model.logits(&features);
        println!(
            "the model ({} distinct n-grams, so its say is {:.2} of 1; log-odds, and the n-grams that weighed most):",
            features.len(),
            model_say(features.len())
        );
        for (l, label) in model::LABELS.iter().enumerate() {
            let mut weighed: Vec<(f32, &str)> =
                grams.iter().map(|(g, b)| (model.weight(l, *b), g.as_str())).filter(|(w, _)| *w != 0.0).collect();
            weighed.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
            let top: Vec<String> = weighed.iter().take(8).map(|(w, g)| format!("{g:?} {w:+.2}")).collect();
            println!("    {label} {:+.2}: {}", z[l], top.join(", "));
        }
    } else {
        println!("(no learned model: the lexicons alone decide)");
    }
    let signals = feedback_widget::domain::transcript::read(&context.messages);
    println!("at the end ({}; a signal counts from {THRESHOLD}): {}", signals.language.tag(), show(&signals));
    let decision = decide(&context, &History::default(), &Rules::default(), Now { ms: 0.0, coin: 0.0 });
    let reasons: Vec<String> = decision.reasons.iter().map(|r| r.code().to_owned()).collect();
    println!("decision: {} ({})", decision.action.as_str(), reasons.join(", "));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
