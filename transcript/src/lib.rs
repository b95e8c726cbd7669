//! Reading the customer's own words: a small, explainable signal reader
//! that notices frustration, complaints about waiting or being passed
//! around, cancel intent, and gratitude in a transcript, in English and
//! Chinese (Simplified and Traditional), without sending the text anywhere.
//!
//! Two readers, joined. The lexicons: phrases in data files
//! (`lexicons/*.lex`, one per language), adjusted by negation ("not
//! happy", "没解决"), intensifiers ("so", "太"), shouting (ALL CAPS, "!!!",
//! "！！！"), emoji, and one-letter typos of the longer words, message by
//! message, the last ones weighing most: anger that ends in "thanks, that
//! fixed it" has faded. And a learned model (`model`): one small weight
//! per character n-gram of the whole conversation, which catches what no
//! phrase names. No regex, no model runtime: a sum of integers per signal.
//! Only the customer's messages count.
//!
//! Reading order: `normalize` (text into a comparable form, written
//! Cantonese into standard forms), `language` (which one a message is
//! in), `lexicon` (the data files, the model's weights among them),
//! `score` (one message), `model` (the n-grams), then [`read`] here (the
//! conversation).

#![no_std]
// (no_std, so that the reader wasm, `reader/`, has no panic formatting:
// its panic handler is its own.)
extern crate alloc;
#[cfg(not(target_arch = "wasm32"))]
extern crate std;

/// What the standard prelude would bring (`format!` for the native-only
/// trainer).
#[allow(unused_imports)]
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::String;
    pub use alloc::vec::Vec;
    pub use alloc::{format, vec};
}

mod decimal;
mod language;
mod lexicon;
pub mod model;
mod normalize;
mod score;
pub mod wire;

use serde::Serialize;

use prelude::*;

pub use decimal::parse_decimal;
pub use language::{detect, Language};
#[cfg(feature = "embedded-lexicons")]
pub use lexicon::malformed_lines;
pub use lexicon::{install, installed, model as learned_model, split_bundle, FILES};
pub use score::{
    explain_message, score_message, Label, Match, Reading, Scores, ASKED, DENIED_CANCEL, DENIED_FRUSTRATED,
    DENIED_WAITED, THREATENED,
};

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
/// Thanks this strong in the last message, with no complaint beside it
/// ("搞定了 谢谢你 耐心满分", "thank you so much, you're a star"),
/// leave frustration to the lexicons. Not waiting: the labelling rules
/// keep a wait complained of whatever the thanks, and with waiting too
/// three such chats of the tuning set were missed.
const WARM: f32 = 3.0;

/// How the learned model ([`model`]) joins the lexicons: a signal's
/// strength is the lexicons' (at most `LEXICON_CAP`) plus the model's
/// log-odds plus `MODEL_OFFSET`. With nothing found in the lexicons a
/// signal then counts from a model probability of about 38% (log-odds
/// -0.5), and every unit the lexicons found lowers that bar by one unit
/// of log-odds. Chosen on tuning batches 3-5 left out in turn (the model
/// alone, or the lexicons only able to add, did worse), checked on batch
/// 6 before it was trained on.
const MODEL_OFFSET: f32 = 1.5;
const LEXICON_CAP: f32 = 2.0;
/// What the lexicons read at this strength or more ("this is
/// ridiculous, I am so angry", "never ordering from you again") counts
/// whatever the model says: the model reads a one-line chat as calm, and
/// phrases that strong are rarely wrong.
const LEXICON_SURE: f32 = 2.0;
/// The model learned from conversations of a few lines; on less it reads
/// shortness as calm. So the lexicons alone decide below `MODEL_FROM`
/// distinct n-grams (a sentence of 15-20 characters), the model has its
/// full say from `MODEL_FULL` (about 35-40), and between the two
/// strengths are mixed in proportion. Chosen on the tuning batches, each
/// left out of training in turn (it cost nothing there), and checked on
/// batches 7 and 8 before they were trained on (60-120 pestered more).
const MODEL_FROM: usize = 50;
const MODEL_FULL: usize = 100;

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

    /// Which of the signals the policy acts on count.
    pub fn verdict(&self) -> Verdict {
        Verdict { frustrated: self.frustrated(), waited: self.waited(), cancel_intent: self.cancel_intent() }
    }
}

/// Which signals count at the end of a conversation: what the policy acts
/// on. The reader wasm the loader fetches hands it to the widget as
/// [`Verdict::bits`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    pub frustrated: bool,
    pub waited: bool,
    pub cancel_intent: bool,
}

impl Verdict {
    /// Bit 0 frustrated, bit 1 waited, bit 2 cancel intent.
    pub fn bits(self) -> u8 {
        u8::from(self.frustrated) | u8::from(self.waited) << 1 | u8::from(self.cancel_intent) << 2
    }

    /// The inverse of [`Verdict::bits`]; other bits are ignored.
    pub fn from_bits(bits: u8) -> Verdict {
        Verdict { frustrated: bits & 1 != 0, waited: bits & 2 != 0, cancel_intent: bits & 4 != 0 }
    }
}

/// One message of the transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub from: Sender,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    Customer,
    Agent,
}

/// Only the most recent messages are kept; older ones cannot change a
/// decision about how the conversation ended.
pub const MAX_MESSAGES: usize = 200;
/// Longest message text kept, in characters; the rest is cut off.
pub const MAX_MESSAGE_CHARS: usize = 4_000;

/// A conversation read one customer message at a time: [`read`] and
/// `cargo xtask explain` both step through it.
#[derive(Clone, Debug, Default)]
pub struct Running {
    now: State,
    /// The state before the last message, for a retraction to go back to.
    before_last: State,
    /// Per customer message, whether the model reads it: not when a
    /// retraction took it back, nor the retraction itself.
    kept: Vec<bool>,
    /// The last message thanked warmly, with no complaint beside it.
    ended_warm: bool,
}

/// What a retraction takes back.
#[derive(Clone, Copy, Debug, Default)]
struct State {
    signals: Signals,
    /// The signals the customer said are not there and has not said since
    /// (`Scores::denied` bits).
    denied: u8,
    /// The strongest the intent to leave has been: a leaving statement
    /// followed by practical questions fades, but was said.
    peak_cancel: f32,
}

impl Running {
    /// Takes in one more customer message, scored `m`.
    pub fn push(&mut self, m: &Scores) {
        // "Ignore what I just said": back to before the previous message.
        if m.retract {
            self.now = self.before_last;
            // The message taken back and the one taking it back ("取消我
            // 刚才那句" has "取消" in it) say nothing to the model.
            if let Some(previous) = self.kept.last_mut() {
                *previous = false;
            }
        }
        self.kept.push(!m.retract);
        self.ended_warm = m.grateful >= WARM && m.frustrated == 0.0 && m.waited == 0.0;
        self.before_last = self.now;
        let now = &mut self.now;
        now.signals = next(now.signals, m);
        now.peak_cancel = now.peak_cancel.max(now.signals.cancel_intent);
        // A complaint in the customer's own words, of either kind, gives
        // the model back its say on both ("my mum says it's useless", then
        // "third time I've had to explain").
        let said = m.said();
        let complained =
            if said & (DENIED_FRUSTRATED | DENIED_WAITED) != 0 { DENIED_FRUSTRATED | DENIED_WAITED } else { 0 };
        now.denied = (now.denied | m.denied) & !(said | complained);
        // "唔使 cancel 住", "actually I won't cancel": a customer who says
        // they are not leaving after all is not leaving.
        if m.denied & DENIED_CANCEL != 0 && m.cancel_intent == 0.0 {
            now.signals.cancel_intent = 0.0;
            now.peak_cancel = 0.0;
        }
    }

    /// The strongest the lexicons read the intent to leave so far (not
    /// counting what was taken back or denied since).
    pub fn peak_cancel(&self) -> f32 {
        self.now.peak_cancel
    }

    /// The customer messages of `messages` that were not taken back (the
    /// ones the model reads), in order; `messages` are the ones this
    /// reading took in.
    pub fn kept<'m>(&self, messages: &'m [Message]) -> Vec<&'m str> {
        let mut out = Vec::new();
        let mut kept = self.kept.iter();
        for m in messages.iter().filter(|m| m.from == Sender::Customer) {
            if kept.next() == Some(&true) {
                out.push(m.text.as_str());
            }
        }
        out
    }

    /// The signals the customer has said are not there (a negated phrase;
    /// `ASKED`: leaving words that only ask or cancel one thing) and not
    /// said since: `Scores::denied` bits. The model does not add these.
    pub fn denied(&self) -> u8 {
        self.now.denied
    }

    /// The signals so far.
    pub fn signals(&self) -> Signals {
        self.now.signals
    }
}

/// Reads the customer's messages of a transcript, oldest first: the
/// lexicons' reading ([`read_lexicons`]) joined with the learned model's
/// (when the lexicons came with one), except for a signal the customer
/// said in so many words is not there ("I don't want to cancel, just
/// pause it"): n-grams cannot read a negation, so there the lexicons
/// alone decide.
pub fn read(messages: &[Message]) -> Signals {
    let messages = what_is_read(messages);
    let running = run(messages);
    let mut s = with_language(running.signals(), messages);
    if let Some(model) = lexicon::model() {
        let features = model::features_of(running.kept(messages).into_iter());
        let z = model.logits(&features);
        let say = model_say(features.len());
        let mut denied = running.denied();
        if running.ended_warm {
            denied |= DENIED_FRUSTRATED;
        }
        let say_for = |bit: u8| if denied & bit == 0 { say } else { 0.0 };
        s.frustrated = join(s.frustrated, z[0], say_for(DENIED_FRUSTRATED), s.frustrated >= LEXICON_SURE);
        s.waited = join(s.waited, z[1], say_for(DENIED_WAITED), s.waited >= LEXICON_SURE);
        // A clear "I'm switching" stays said through the practical
        // questions after it (an outsider's long chats).
        let said_leaving = running.peak_cancel() >= LEXICON_SURE;
        // (Nor after a hypothetical question, until leaving is said.)
        let cancel = join(s.cancel_intent, z[2], say_for(DENIED_CANCEL | ASKED), said_leaving);
        // Leaving words said on a condition are a threat: there the model
        // may read less leaving than the lexicons, not more, and what more
        // it reads is anger (as with a threat the lexicons read).
        if denied & THREATENED != 0 && cancel > s.cancel_intent {
            if denied & DENIED_FRUSTRATED == 0 {
                s.frustrated = s.frustrated.max(cancel);
            }
        } else {
            s.cancel_intent = cancel;
        }
    }
    s
}

/// How much the model has its say, 0 to 1, for a conversation of
/// `present` distinct n-grams.
pub fn model_say(present: usize) -> f32 {
    (present.saturating_sub(MODEL_FROM) as f32 / (MODEL_FULL - MODEL_FROM) as f32).min(1.0)
}

/// A signal's strength from the lexicons' and the model's log-odds, the
/// model having `say` (see [`model_say`]); `sure`: the lexicons read it
/// plainly enough that the model cannot take it away.
pub fn join(lexicons: f32, logit: f32, say: f32, sure: bool) -> f32 {
    let joined = say * (lexicons.min(LEXICON_CAP) + logit + MODEL_OFFSET) + (1.0 - say) * lexicons;
    if sure {
        joined.max(lexicons)
    } else {
        joined.max(0.0)
    }
}

/// What the lexicons alone read in the customer's messages (the phrases,
/// negation, retractions, sarcasm, carry-over): `read` without the model.
pub fn read_lexicons(messages: &[Message]) -> Signals {
    let messages = what_is_read(messages);
    with_language(run(messages).signals(), messages)
}

/// What the model reads of a conversation: the n-grams of the customer's
/// messages that were not taken back (what `read` gives it; the trainer
/// and `cargo xtask explain` use it too).
pub fn model_features(messages: &[Message]) -> Vec<u16> {
    let messages = what_is_read(messages);
    model::features_of(run(messages).kept(messages).into_iter())
}

/// The most of the customer's text the reader reads, in bytes of UTF-8,
/// newest first: 150-300 ordinary chat messages, or four pasted messages
/// at the context's limit of 4,000 characters (one or two in Chinese).
/// What is older has faded anyway; the bound is on the time a transcript
/// at the context's limits (200 such messages) takes to read.
pub const READ_BYTES: usize = 16_384;

/// The end of `messages` the reader reads: from the oldest customer
/// message whose text, with the newer ones', fits in [`READ_BYTES`]
/// (always the last customer message).
pub fn what_is_read(messages: &[Message]) -> &[Message] {
    let mut from = messages.len();
    let mut total = 0;
    for (i, m) in messages.iter().enumerate().rev() {
        if m.from != Sender::Customer {
            continue;
        }
        total += m.text.len();
        if total > READ_BYTES && from < messages.len() {
            break;
        }
        from = i;
    }
    messages.get(from..).unwrap_or_default()
}

/// The lexicons' reading of every customer message of `messages`, in
/// order (`read` passes it [`what_is_read`]).
pub fn run(messages: &[Message]) -> Running {
    let mut running = Running::default();
    for m in messages.iter().filter(|m| m.from == Sender::Customer) {
        running.push(&score_message(&m.text));
    }
    running
}

/// The signals with the conversation's language: reported natively
/// (`cargo xtask explain`, the corpus tests); nothing in the browser reads
/// it, so the wasm does not carry the tables.
#[cfg_attr(target_arch = "wasm32", allow(unused_mut, clippy::let_and_return))]
fn with_language(mut s: Signals, messages: &[Message]) -> Signals {
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.language =
            language::detect_all(messages.iter().filter(|m| m.from == Sender::Customer).map(|m| m.text.as_str()));
    }
    #[cfg(target_arch = "wasm32")]
    let _ = messages;
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
