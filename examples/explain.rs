//! `cargo xtask explain FILE.json` (or `cargo run --example explain --
//! FILE.json`): why a conversation was read the way it was. FILE holds a
//! context as a page passes it to `Feedback.ask` (at least `messages`), or
//! just the array of messages. For each customer message it prints the
//! normalized text, the language, every phrase found (label, weight,
//! negated, stretched), the message's scores and the running signals;
//! then the decision with its reasons.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use feedback_widget::domain::transcript::{detect, explain_message, Running, Signals, THRESHOLD};
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
    for (i, message) in context.messages.iter().enumerate() {
        if message.from != Sender::Customer {
            println!("#{i} agent: {}\n    (agents' messages never count)", message.text);
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
    let signals = feedback_widget::domain::transcript::read(&context.messages);
    println!("\nat the end ({}; a signal counts from {THRESHOLD}): {}", signals.language.tag(), show(&signals));
    let decision = decide(&context, &History::default(), &Rules::default(), Now { ms: 0.0, coin: 0.0 });
    let reasons: Vec<String> = decision.reasons.iter().map(|r| r.code().to_owned()).collect();
    println!("decision: {} ({})", decision.action.as_str(), reasons.join(", "));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
