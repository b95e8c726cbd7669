//! What the policy can decide: an [`Action`] (from least to most
//! intrusive; the contract's type, named here), the [`Reason`]s for it with
//! their codes, and the two together as a [`Decision`]. Only the vocabulary
//! lives here, not the deciding (that is `policy`), so that the rules and
//! the history can speak of actions without depending on the policy that
//! reads them.
//!
//! The action words and the reason codes are a public contract: payloads,
//! events and `decide` carry them, and the README lists them.

pub use feedback_contract::Action;

use super::json::Value;

/// Why a decision was made. The codes ([`Reason::code`]) are a public
/// contract, listed with their meaning in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// Nothing made the conversation hard.
    Smooth,
    /// The customer waited at least the channel's long-wait threshold.
    LongWait,
    /// The conversation lasted at least the channel's long threshold.
    LongConversation,
    /// Transferred `manyTransfers` times or more.
    ManyTransfers,
    /// `repeatContacts` contacts or more about the same issue.
    RepeatContact,
    /// Not resolved (`resolved: false` or outcome `unresolved`).
    Unresolved,
    /// Outcome `escalated`.
    Escalated,
    /// Outcome `refund_denied`.
    RefundDenied,
    /// Sentiment at or below `negativeSentiment`.
    NegativeSentiment,
    /// Several mild signals together (half-long wait, one transfer, a
    /// second contact, slightly negative sentiment...).
    MildSignals,
    /// The customer's own messages read as frustrated at the end.
    TranscriptFrustrated,
    /// The customer complained about waiting or being passed around.
    TranscriptWaited,
    /// The customer said they want to cancel or leave.
    TranscriptCancelIntent,
    /// Outcome `cancelled`: let the customer go.
    Cancelled,
    /// The site forced this action for the conversation's outcome.
    ForcedByOutcome,
    /// The site forced this action for the conversation's channel.
    ForcedByChannel,
    /// The customer answered within `answeredCooldownDays`.
    RecentlyAnswered,
    /// The customer dismissed a prompt within the dismissal cooldown.
    RecentlyDismissed,
    /// The previous prompt was a vent; this conversation is not asked.
    RecentVent,
    /// This browser session already showed `sessionCap` prompts.
    SessionCap,
    /// Outside the `sampleRate`.
    SampledOut,
    /// A floating prompt is already on screen; never two at once.
    AlreadyOpen,
}

/// An action and the reasons for it (never empty).
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub action: Action,
    pub reasons: Vec<Reason>,
}

impl Reason {
    /// Every reason, in the order the README lists them.
    pub const ALL: [Reason; 22] = [
        Reason::Smooth,
        Reason::LongWait,
        Reason::LongConversation,
        Reason::ManyTransfers,
        Reason::RepeatContact,
        Reason::Unresolved,
        Reason::Escalated,
        Reason::RefundDenied,
        Reason::NegativeSentiment,
        Reason::MildSignals,
        Reason::TranscriptFrustrated,
        Reason::TranscriptWaited,
        Reason::TranscriptCancelIntent,
        Reason::Cancelled,
        Reason::ForcedByOutcome,
        Reason::ForcedByChannel,
        Reason::RecentlyAnswered,
        Reason::RecentlyDismissed,
        Reason::RecentVent,
        Reason::SessionCap,
        Reason::SampledOut,
        Reason::AlreadyOpen,
    ];

    /// The reason's code in payloads, events and `decide`'s answer.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Smooth => "smooth",
            Reason::LongWait => "long_wait",
            Reason::LongConversation => "long_conversation",
            Reason::ManyTransfers => "many_transfers",
            Reason::RepeatContact => "repeat_contact",
            Reason::Unresolved => "unresolved",
            Reason::Escalated => "escalated",
            Reason::RefundDenied => "refund_denied",
            Reason::NegativeSentiment => "negative_sentiment",
            Reason::MildSignals => "mild_signals",
            Reason::TranscriptFrustrated => "transcript_frustrated",
            Reason::TranscriptWaited => "transcript_waited",
            Reason::TranscriptCancelIntent => "transcript_cancel_intent",
            Reason::Cancelled => "cancelled",
            Reason::ForcedByOutcome => "forced_by_outcome",
            Reason::ForcedByChannel => "forced_by_channel",
            Reason::RecentlyAnswered => "recently_answered",
            Reason::RecentlyDismissed => "recently_dismissed",
            Reason::RecentVent => "recent_vent",
            Reason::SessionCap => "session_cap",
            Reason::SampledOut => "sampled_out",
            Reason::AlreadyOpen => "already_open",
        }
    }
}

/// Reason codes as JSON data: an array of their codes.
pub fn codes(reasons: &[Reason]) -> Value {
    Value::Array(reasons.iter().map(|r| r.code().into()).collect())
}

impl Decision {
    /// `{action, reasons}`, as `decide()` returns it and events carry it.
    pub fn to_value(&self) -> Value {
        Value::object(vec![("action", self.action.as_str().into()), ("reasons", codes(&self.reasons))])
    }
}
