//! The decision: should this conversation get the effort question, a quiet
//! place to vent, or nothing at all, and why.
//!
//! [`decide`] is pure: the context, the customer's history, the rules and
//! the time are passed in, so the same input always gives the same
//! decision. It works in three steps:
//!
//! 1. **The conversation**: a cancellation (the outcome, or the customer
//!    saying so) is let go (`silent`); a hard interaction (any hard signal,
//!    enough mild ones together, or a frustrated transcript) gets a venting
//!    box (`vent`); a smooth one the CES question (`effort`).
//! 2. **The site**: a forced action for the outcome or channel replaces it.
//! 3. **Fatigue**: a shown prompt is withheld (`silent`) after the session
//!    cap, within the cooldowns after an answer or a dismissal, right after
//!    a vent, or when the conversation is sampled out.
//!
//! Every decision carries at least one reason; the deciding one comes first.

use super::context::{Context, Message, Outcome, Verdict};
use super::decision::{Action, Decision, Reason};
use super::history::{unit_hash, History};
use super::rules::Rules;

const DAY_MS: f64 = 86_400_000.0;

/// The time, and a random number in [0, 1) for sampling conversations that
/// have no `conversationId`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Now {
    pub ms: f64,
    pub coin: f64,
}

/// Decides what to show after the conversation described by `context`.
pub fn decide(context: &Context, history: &History, rules: &Rules, now: Now) -> Decision {
    let (mut action, mut reasons) = assess(context, rules);

    if let Some((forced, by_outcome)) = rules.forced(context.channel.as_ref(), context.outcome.as_ref()) {
        action = forced;
        reasons.insert(0, if by_outcome { Reason::ForcedByOutcome } else { Reason::ForcedByChannel });
    }
    if action == Action::Silent {
        return Decision { action, reasons };
    }

    let spared = fatigue(context, history, rules, now);
    if spared.is_empty() {
        Decision { action, reasons }
    } else {
        let mut all = spared;
        all.extend(reasons);
        Decision { action: Action::Silent, reasons: all }
    }
}

/// What the conversation itself calls for.
fn assess(context: &Context, rules: &Rules) -> (Action, Vec<Reason>) {
    let channel = context.channel.as_ref();
    let mut hard = Vec::new();
    let mut mild = 0u32;

    if let Some(wait) = context.wait_seconds {
        let long = rules.long_wait.get(channel);
        if wait >= long {
            hard.push(Reason::LongWait);
        } else if wait >= long / 2.0 {
            mild += 1;
        }
    }
    if let Some(duration) = context.duration_seconds {
        let long = rules.long_conversation.get(channel);
        if duration >= long {
            hard.push(Reason::LongConversation);
        } else if duration >= long / 2.0 {
            mild += 1;
        }
    }
    if let Some(transfers) = context.transfers {
        if rules.many_transfers > 0 && transfers >= rules.many_transfers {
            hard.push(Reason::ManyTransfers);
        } else if transfers >= 1 && transfers + 1 >= rules.many_transfers {
            mild += 1;
        }
    }
    if let Some(contacts) = context.contacts {
        if rules.repeat_contacts > 0 && contacts >= rules.repeat_contacts {
            hard.push(Reason::RepeatContact);
        } else if contacts >= 2 && contacts + 1 >= rules.repeat_contacts {
            mild += 1;
        }
    }
    if context.resolved == Some(false) || context.outcome == Some(Outcome::Unresolved) {
        hard.push(Reason::Unresolved);
    }
    match context.outcome {
        Some(Outcome::Escalated) => hard.push(Reason::Escalated),
        Some(Outcome::RefundDenied) => hard.push(Reason::RefundDenied),
        _ => {}
    }
    if let Some(sentiment) = context.sentiment {
        if sentiment <= rules.negative_sentiment {
            hard.push(Reason::NegativeSentiment);
        } else if sentiment <= rules.mild_sentiment {
            mild += 1;
        }
    }
    if hard.is_empty() && rules.mild_signals_for_hard > 0 && mild >= rules.mild_signals_for_hard {
        hard.push(Reason::MildSignals);
    }
    let words = context.transcript.unwrap_or_else(|| read_transcript(&context.messages));
    if words.frustrated {
        hard.push(Reason::TranscriptFrustrated);
    }
    if words.waited {
        hard.push(Reason::TranscriptWaited);
    }

    let mut leaving = Vec::new();
    if context.outcome == Some(Outcome::Cancelled) {
        leaving.push(Reason::Cancelled);
    }
    if words.cancel_intent {
        leaving.push(Reason::TranscriptCancelIntent);
    }
    if !leaving.is_empty() {
        leaving.extend(hard);
        return (Action::Silent, leaving);
    }
    if hard.is_empty() {
        (Action::Effort, vec![Reason::Smooth])
    } else {
        (Action::Vent, hard)
    }
}

/// Why a prompt that would be shown is withheld, most decisive first.
fn fatigue(context: &Context, history: &History, rules: &Rules, now: Now) -> Vec<Reason> {
    let mut spared = Vec::new();
    let within = |at: Option<f64>, days: f64| {
        at.is_some_and(|at| {
            let elapsed = now.ms - at;
            // A time far in the future is a broken clock, not a reason.
            elapsed > -DAY_MS && elapsed < days * DAY_MS
        })
    };
    if history.shown_this_session >= rules.session_cap {
        spared.push(Reason::SessionCap);
    }
    if within(history.last_answered_ms, rules.answered_cooldown_days) {
        spared.push(Reason::RecentlyAnswered);
    }
    if within(history.last_dismissed_ms, rules.dismissed_cooldown(history.dismissals)) {
        spared.push(Reason::RecentlyDismissed);
    }
    if history.vent_pending {
        spared.push(Reason::RecentVent);
    }
    let draw = match &context.conversation_id {
        Some(id) => unit_hash(id),
        None => now.coin,
    };
    // A NaN rate or draw samples out: when in doubt, do not ask.
    if draw.partial_cmp(&rules.sample_rate) != Some(std::cmp::Ordering::Less) {
        spared.push(Reason::SampledOut);
    }
    spared
}

/// The customer's words read here: with the reader compiled in
/// (`embedded-lexicons`: native, Rust/Yew apps). The shipped wasm has no
/// reader; the loader reads the messages with the reader wasm and passes
/// what it read (`Context::transcript`), or nothing when it could not load
/// it (a console warning says so).
#[cfg(feature = "embedded-lexicons")]
fn read_transcript(messages: &[Message]) -> Verdict {
    super::transcript::read(messages).verdict()
}

#[cfg(not(feature = "embedded-lexicons"))]
fn read_transcript(_: &[Message]) -> Verdict {
    Verdict::default()
}
