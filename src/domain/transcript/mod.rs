//! Reading the customer's own words: a small, explainable signal reader
//! that notices frustration, complaints about waiting or being passed
//! around, cancel intent, and gratitude in a transcript, in English and
//! Chinese (Simplified and Traditional), without sending the text anywhere.
//!
//! No model and no regex: every signal comes from a phrase in a lexicon
//! data file (`lexicons/*.lex`, one per language, compiled in), adjusted
//! by negation ("not happy", "没解决"), intensifiers ("so", "太"),
//! shouting (ALL CAPS, "!!!", "！！！"), emoji, and one-letter typos of
//! the longer words. Only the customer's messages count, and the last ones
//! weigh most: anger that ends in "thanks, that fixed it" has faded.
//!
//! Reading order: `normalize` (text into a comparable form, written
//! Cantonese into standard forms), `language` (which one a message is
//! in), `lexicon` (the data files), `score` (one message), then [`read`]
//! here (the conversation).

mod language;
mod lexicon;
mod normalize;
mod score;

use serde::Serialize;

use super::context::{Message, Sender};
pub use language::{detect, Language};
#[cfg(feature = "embedded-lexicons")]
pub use lexicon::malformed_lines;
pub use lexicon::{install, installed, split_bundle, FILES};
pub use score::{explain_message, score_message, Label, Match, Reading, Scores};

/// How strongly each signal is present at the end of a conversation.
/// A signal counts when its strength reaches [`THRESHOLD`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signals {
    pub frustrated: f32,
    pub waited: f32,
    pub cancel_intent: f32,
    pub grateful: f32,
    /// The language most of the customer's messages are in (computed
    /// natively; `Unknown` in the browser build, where nothing reads it).
    pub language: Language,
}

/// The strength at which a signal counts.
pub const THRESHOLD: f32 = 1.0;

/// How much of each signal carries over a customer message that thanks:
/// anger fades fast, complaints about waiting slower; an intent to cancel
/// hardly at all, after any message.
const CARRY_FRUSTRATED: f32 = 0.6;
const CARRY_WAITED: f32 = 0.8;
const CARRY_CANCEL: f32 = 0.9;
const CARRY_GRATEFUL: f32 = 0.5;
/// How much carries over a message without thanks (an "ok", an order
/// number, another complaint): a complaint is not erased by the customer
/// answering the agent's questions, only worn down by thanks.
const HOLD_FRUSTRATED: f32 = 0.9;
const HOLD_WAITED: f32 = 1.0;
/// How much frustration one unit of plain gratitude takes away.
const RELIEF: f32 = 1.5;

impl Signals {
    pub fn frustrated(&self) -> bool {
        self.frustrated >= THRESHOLD
    }

    pub fn waited(&self) -> bool {
        self.waited >= THRESHOLD
    }

    pub fn cancel_intent(&self) -> bool {
        self.cancel_intent >= THRESHOLD
    }

    pub fn grateful(&self) -> bool {
        self.grateful >= THRESHOLD
    }
}

/// A conversation read one customer message at a time: [`read`] and
/// `cargo xtask explain` both step through it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Running {
    now: Signals,
    /// The signals before the last message, for a retraction to go back to.
    before_last: Signals,
}

impl Running {
    /// Takes in one more customer message, scored `m`.
    pub fn push(&mut self, m: &Scores) {
        // "Ignore what I just said": back to before the previous message.
        if m.retract {
            self.now = self.before_last;
        }
        self.before_last = self.now;
        self.now = next(self.now, m);
    }

    /// The signals so far.
    pub fn signals(&self) -> Signals {
        self.now
    }
}

/// Reads the customer's messages of a transcript, oldest first.
pub fn read(messages: &[Message]) -> Signals {
    let customer = || messages.iter().filter(|m| m.from == Sender::Customer).map(|m| m.text.as_str());
    let mut running = Running::default();
    for text in customer() {
        running.push(&score_message(text));
    }
    #[cfg_attr(target_arch = "wasm32", allow(unused_mut))]
    let mut s = running.signals();
    // Reported natively (`cargo xtask explain`, the corpus tests); nothing
    // in the browser reads it, so the wasm does not carry the tables.
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.language = language::detect_all(customer());
    }
    s
}

/// The signals after one more customer message scored `m`.
fn next(s: Signals, m: &Scores) -> Signals {
    let mut s = s;
    // Only thanks wears a complaint down faster than time does: another
    // complaint, of any kind, does not.
    let (carry_frustrated, carry_waited) =
        if m.grateful == 0.0 { (HOLD_FRUSTRATED, HOLD_WAITED) } else { (CARRY_FRUSTRATED, CARRY_WAITED) };
    s.frustrated = s.frustrated * carry_frustrated + m.frustrated;
    s.waited = s.waited * carry_waited + m.waited;
    s.cancel_intent = s.cancel_intent * CARRY_CANCEL + m.cancel_intent;
    s.grateful = s.grateful * CARRY_GRATEFUL + m.grateful;
    // Thanks without a complaint in the same breath means it got better
    // ("I appreciate your help, but as I said..." is a complaint).
    if m.grateful > 0.0 && m.frustrated == 0.0 && m.waited == 0.0 {
        s.frustrated = (s.frustrated - m.grateful * RELIEF).max(0.0);
        s.waited = (s.waited - m.grateful * RELIEF).max(0.0);
    }
    s
}
