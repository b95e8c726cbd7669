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
//! Reading order: `normalize` (text into a comparable form), `lexicon`
//! (the data files), `score` (one message), then [`read`] here (the
//! conversation).

mod lexicon;
mod normalize;
mod score;

use serde::Serialize;

use super::context::{Message, Sender};
pub use lexicon::malformed_lines;
pub use score::{score_message, Label, Scores};

/// How strongly each signal is present at the end of a conversation.
/// A signal counts when its strength reaches [`THRESHOLD`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signals {
    pub frustrated: f32,
    pub waited: f32,
    pub cancel_intent: f32,
    pub grateful: f32,
}

/// The strength at which a signal counts.
pub const THRESHOLD: f32 = 1.0;

/// How much of each signal carries over to the next customer message:
/// anger fades fast, complaints about waiting slower, and an intent to
/// cancel hardly at all.
const CARRY_FRUSTRATED: f32 = 0.6;
const CARRY_WAITED: f32 = 0.8;
const CARRY_CANCEL: f32 = 0.9;
const CARRY_GRATEFUL: f32 = 0.5;
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

/// Reads the customer's messages of a transcript, oldest first.
pub fn read(messages: &[Message]) -> Signals {
    let mut s = Signals::default();
    for message in messages.iter().filter(|m| m.from == Sender::Customer) {
        let m = score_message(&message.text);
        s.frustrated = s.frustrated * CARRY_FRUSTRATED + m.frustrated;
        s.waited = s.waited * CARRY_WAITED + m.waited;
        s.cancel_intent = s.cancel_intent * CARRY_CANCEL + m.cancel_intent;
        s.grateful = s.grateful * CARRY_GRATEFUL + m.grateful;
        // Thanks without a complaint in the same breath means it got better.
        if m.grateful > 0.0 && m.frustrated == 0.0 {
            s.frustrated = (s.frustrated - m.grateful * RELIEF).max(0.0);
            s.waited = (s.waited - m.grateful * RELIEF).max(0.0);
        }
    }
    s
}
