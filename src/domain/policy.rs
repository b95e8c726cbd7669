//! The decision: should this conversation get the effort question, a quiet
//! place to vent, or nothing at all, and why.
//!
//! `decide` is pure: everything it needs (the context, the rules) is passed
//! in, so the same input always gives the same decision. Every decision
//! carries at least one reason code.

use serde::Serialize;

use super::context::Context;

/// What the widget does for a conversation, from most to least intrusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Show nothing.
    Silent,
    /// Offer only an optional comment box, no score.
    Vent,
    /// Ask the CES 2.0 question, with an optional comment.
    Effort,
}

/// Why a decision was made. The string codes are a public contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// No rule applied; the walking skeleton always asks.
    Default,
    /// A floating prompt is already on screen; never two at once.
    AlreadyOpen,
}

/// An action and the reasons for it (never empty).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub action: Action,
    pub reasons: Vec<Reason>,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Silent => "silent",
            Action::Vent => "vent",
            Action::Effort => "effort",
        }
    }
}

impl Reason {
    /// The stable snake_case code of this reason.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Default => "default",
            Reason::AlreadyOpen => "already_open",
        }
    }
}

/// Decides what to show after the conversation described by `context`.
pub fn decide(_context: &Context) -> Decision {
    Decision { action: Action::Effort, reasons: vec![Reason::Default] }
}
