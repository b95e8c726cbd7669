//! Shared by the corpus evaluations (`frozen.rs`, `tuning.rs`): parsing
//! the `## id | language | labels | action` format, and one table of
//! what `decide` does with a context that holds only the messages.
#![allow(dead_code)]

use std::collections::BTreeMap;

use feedback_widget::domain::transcript::read;
use feedback_widget::domain::{decide, Context, History, Message, Now, Rules, Sender};

pub const LABELS: [&str; 4] = ["frustrated", "waited", "cancel_intent", "grateful"];

pub struct Conversation {
    pub id: String,
    pub language: String,
    pub labels: Vec<String>,
    pub action: String,
    pub messages: Vec<Message>,
}

/// Parses `## id | language | labels | action` blocks of `C:`/`A:` lines
/// (with the trainer's parser: one reading of the format).
pub fn parse(text: &str) -> Vec<Conversation> {
    feedback_widget::domain::transcript::model::train::parse_corpus(text)
        .expect("the corpus parses")
        .into_iter()
        .map(|c| Conversation {
            id: c.id,
            language: c.language,
            labels: c.names,
            action: c.action,
            messages: c.messages,
        })
        .collect()
}

fn action_of(messages: &[Message]) -> String {
    let context = Context { messages: messages.to_vec(), ..Context::default() };
    let decision = decide(&context, &History::default(), &Rules::default(), Now { ms: 1_800_000_000_000.0, coin: 0.5 });
    decision.action.as_str().to_owned()
}

#[derive(Default)]
struct Tally {
    n: usize,
    right: usize,
    pestered: usize,
    hard_or_leaving: usize,
    over_spared: usize,
    smooth: usize,
    /// Let go (silent) though nobody wanted to leave: what a retraction
    /// or an order cancelled read as leaving would give.
    silent_not_leaving: usize,
    /// label -> (true positives, predicted, actual)
    labels: BTreeMap<&'static str, (usize, usize, usize)>,
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

/// Prints the table (and, unless the set is held out, every miss); returns
/// the lowest per-language action accuracy and the highest pestered rate.
/// Reads `files` ([`evaluate`]) and fails when the lowest per-language
/// action accuracy is under `floor` or the highest pestered rate over
/// `ceiling` (percent).
pub fn holds(name: &str, files: &[(&str, &str)], show_misses: bool, floor: f64, ceiling: f64) {
    let (worst, most_pestered) = evaluate(name, files, show_misses);
    assert!(worst >= floor, "{name}: action accuracy fell to {worst:.1}% in some language");
    assert!(most_pestered <= ceiling, "{name}: pestered rose to {most_pestered:.1}% in some language");
}

pub fn evaluate(name: &str, files: &[(&str, &str)], show_misses: bool) -> (f64, f64) {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut total = 0;
    for &(language, text) in files {
        let conversations = parse(text);
        assert!(conversations.len() >= 40, "{language}: {}", conversations.len());
        for c in conversations {
            assert_eq!(c.language, language, "{}", c.id);
            total += 1;
            let got = action_of(&c.messages);
            let signals = read(&c.messages);
            let t = tallies.entry(language.to_owned()).or_default();
            t.n += 1;
            if got == c.action {
                t.right += 1;
            } else {
                if show_misses {
                    let customer: Vec<&str> =
                        c.messages.iter().filter(|m| m.from == Sender::Customer).map(|m| m.text.as_str()).collect();
                    misses.push(format!("{} want {} got {}: {}", c.id, c.action, got, customer.join(" / ")));
                } else {
                    misses.push(c.id.clone());
                }
            }
            if got == "silent" && !c.labels.iter().any(|l| l == "cancel_intent") {
                t.silent_not_leaving += 1;
            }
            if c.action != "effort" {
                t.hard_or_leaving += 1;
                if got == "effort" {
                    t.pestered += 1;
                }
            } else {
                t.smooth += 1;
                if got != "effort" {
                    t.over_spared += 1;
                }
            }
            let predicted = [
                ("frustrated", signals.frustrated()),
                ("waited", signals.waited()),
                ("cancel_intent", signals.cancel_intent()),
                ("grateful", signals.grateful() && signals.grateful > signals.frustrated),
            ];
            for (label, p) in predicted {
                let actual = c.labels.iter().any(|l| l == label);
                let e = t.labels.entry(label).or_default();
                e.0 += usize::from(p && actual);
                e.1 += usize::from(p);
                e.2 += usize::from(actual);
            }
        }
    }
    println!("\n{name}: {total} conversations (action = what decide() does with only the messages)");
    println!(
        "| language | n | action accuracy | pestered | over-spared | let go, not leaving | {} |",
        LABELS.map(|l| format!("{l} P/R")).join(" | ")
    );
    println!("|---|---:|---:|---:|---:|---:|{}", "---:|".repeat(LABELS.len()));
    let (mut worst, mut most_pestered) = (100.0f64, 0.0f64);
    for (language, t) in &tallies {
        let labels: Vec<String> = LABELS
            .iter()
            .map(|l| {
                let (tp, p, a) = t.labels.get(l).copied().unwrap_or_default();
                format!("{:.0}% / {:.0}%", pct(tp, p), pct(tp, a))
            })
            .collect();
        println!(
            "| {language} | {} | {:.1}% | {:.1}% ({}) | {:.1}% ({}) | {} | {} |",
            t.n,
            pct(t.right, t.n),
            pct(t.pestered, t.n),
            t.pestered,
            pct(t.over_spared, t.n),
            t.over_spared,
            t.silent_not_leaving,
            labels.join(" | ")
        );
        worst = worst.min(pct(t.right, t.n));
        most_pestered = most_pestered.max(pct(t.pestered, t.n));
    }
    println!("{} conversations decided otherwise than labeled", misses.len());
    if show_misses {
        for m in &misses {
            println!("  miss: {m}");
        }
    }
    (worst, most_pestered)
}
