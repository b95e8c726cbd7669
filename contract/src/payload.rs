//! The payload: one JSON object per answer, skip or suppression, posted to
//! the site's endpoint. Its field names are a public contract, written
//! once here ([`field`]) and used by both the serializer the widget runs and
//! the reader the receiver runs ([`Payload::from_value`]); both then apply
//! the same rules ([`Payload::check`]).

use std::borrow::Cow;
use std::fmt;

use serde::ser::{Serialize, Serializer};

use crate::json::Value;
use crate::limits::{
    MAX_COMMENT_CHARS, MAX_DEPTH, MAX_ID_BYTES, MAX_METADATA_BYTES, MAX_PAYLOAD_ID_BYTES, MAX_REASONS, MAX_WORD_BYTES,
};
use crate::text::{has_control, is_locale_tag, is_reason_code, without_nul};
use crate::time::parse_rfc3339;

/// The payload's field names, as they appear in the JSON.
pub mod field {
    pub const ID: &str = "id";
    pub const KIND: &str = "kind";
    pub const ACTION: &str = "action";
    pub const REASONS: &str = "reasons";
    pub const EFFORT: &str = "effort";
    pub const COMMENT: &str = "comment";
    pub const FOLLOW_UP: &str = "followUp";
    pub const CONVERSATION_ID: &str = "conversationId";
    pub const AGENT_ID: &str = "agentId";
    pub const CHANNEL: &str = "channel";
    pub const LOCALE: &str = "locale";
    pub const METADATA: &str = "metadata";
    pub const CREATED_AT: &str = "createdAt";
    pub const VERSION: &str = "version";
    /// Every field, in the order they are written.
    pub const ALL: [&str; 14] = [
        ID,
        KIND,
        ACTION,
        REASONS,
        EFFORT,
        COMMENT,
        FOLLOW_UP,
        CONVERSATION_ID,
        AGENT_ID,
        CHANNEL,
        LOCALE,
        METADATA,
        CREATED_AT,
        VERSION,
    ];
}

/// What happened to a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The customer answered (a score, a comment, or both).
    Response,
    /// The customer closed the prompt without answering.
    Dismissed,
    /// The policy decided not to ask.
    Suppressed,
}

/// What the widget does for a conversation, from least to most intrusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Show nothing.
    Silent,
    /// Offer only an optional comment box, no score.
    Vent,
    /// Ask the CES 2.0 question, with an optional comment.
    Effort,
}

/// The JSON body posted to the endpoint. `reasons` and `version` borrow
/// static text in the widget and own parsed text in the receiver.
#[derive(Clone, Debug, PartialEq)]
pub struct Payload {
    /// A random UUID, also the `Idempotency-Key` header.
    pub id: String,
    pub kind: Kind,
    /// What the widget decided; a receiver accepts its absence from other
    /// senders, the widget always sets it.
    pub action: Option<Action>,
    pub reasons: Vec<Cow<'static, str>>,
    /// CES 2.0 score, 1 (strongly disagree) to 7 (strongly agree).
    pub effort: Option<u8>,
    pub comment: Option<String>,
    pub follow_up: bool,
    pub conversation_id: Option<String>,
    pub agent_id: Option<String>,
    pub channel: Option<String>,
    pub locale: Option<String>,
    /// An object (`{}` when the site gave none).
    pub metadata: Value,
    /// RFC 3339 (see [`crate::time`]); optional from other senders.
    pub created_at: Option<String>,
    pub version: Option<Cow<'static, str>>,
}

/// A payload field that broke the contract, and what was expected of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub expected: &'static str,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field)?;
        f.write_str(": expected ")?;
        f.write_str(self.expected)
    }
}

impl std::error::Error for Problem {}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Response, Kind::Dismissed, Kind::Suppressed];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Response => "response",
            Kind::Dismissed => "dismissed",
            Kind::Suppressed => "suppressed",
        }
    }

    /// Reads `response`, `dismissed` or `suppressed`, exactly.
    pub fn parse(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Silent, Action::Vent, Action::Effort];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Silent => "silent",
            Action::Vent => "vent",
            Action::Effort => "effort",
        }
    }

    /// Reads `effort`, `vent` or `silent`, exactly as the wire writes them.
    pub fn parse(word: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == word)
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The payload as it goes on the wire (the widget hands this to the
/// browser; the receiver writes it with serde, through the same value).
impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

const ID_TEXT: &str = "an identifier of at most 256 bytes without control characters, or null";
const WORD_TEXT: &str = "a word of at most 64 bytes without control characters, or null";

impl Payload {
    /// A payload with only its id and kind: no decision, reasons, score or
    /// text, and empty metadata. It passes [`Payload::check`] when the id
    /// does.
    pub fn new(id: String, kind: Kind) -> Payload {
        Payload {
            id,
            kind,
            action: None,
            reasons: Vec::new(),
            effort: None,
            comment: None,
            follow_up: false,
            conversation_id: None,
            agent_id: None,
            channel: None,
            locale: None,
            metadata: Value::Object(Vec::new()),
            created_at: None,
            version: None,
        }
    }

    /// The payload as JSON data: every field of [`field::ALL`], in that
    /// order, absent ones `null`.
    pub fn to_value(&self) -> Value {
        let text = |o: &Option<String>| Value::from(o.as_deref());
        Value::object(vec![
            (field::ID, self.id.as_str().into()),
            (field::KIND, self.kind.as_str().into()),
            (field::ACTION, self.action.map(Action::as_str).into()),
            (field::REASONS, Value::Array(self.reasons.iter().map(|r| r.as_ref().into()).collect())),
            (field::EFFORT, self.effort.map(u32::from).into()),
            (field::COMMENT, text(&self.comment)),
            (field::FOLLOW_UP, self.follow_up.into()),
            (field::CONVERSATION_ID, text(&self.conversation_id)),
            (field::AGENT_ID, text(&self.agent_id)),
            (field::CHANNEL, text(&self.channel)),
            (field::LOCALE, text(&self.locale)),
            (field::METADATA, self.metadata.clone()),
            (field::CREATED_AT, text(&self.created_at)),
            (field::VERSION, self.version.as_deref().into()),
        ])
    }

    /// Checks every rule of the contract; the first broken one is named.
    /// The widget's payloads always pass (a property test shows it); the
    /// receiver refuses what does not.
    pub fn check(&self) -> Result<(), Problem> {
        let problem = |field, expected| Err(Problem { field, expected });
        if self.id.trim().is_empty() || self.id.len() > MAX_PAYLOAD_ID_BYTES || has_control(&self.id) {
            return problem(
                field::ID,
                "an id of at most 64 bytes without control characters (the widget sends a UUID)",
            );
        }
        if self.reasons.len() > MAX_REASONS || !self.reasons.iter().all(|r| is_reason_code(r)) {
            return problem(
                field::REASONS,
                "at most 32 reason codes (letters, digits, _ and -, at most 64 bytes each)",
            );
        }
        if self.effort.is_some_and(|e| !(1..=7).contains(&e)) {
            return problem(field::EFFORT, "an integer from 1 to 7, or null");
        }
        if let Some(comment) = &self.comment {
            // (`from_value` takes a NUL in it as U+FFFD.)
            if comment.chars().count() > MAX_COMMENT_CHARS || comment.contains('\0') {
                return problem(field::COMMENT, "at most 2000 characters, or null");
            }
        }
        for (name, id) in [(field::CONVERSATION_ID, &self.conversation_id), (field::AGENT_ID, &self.agent_id)] {
            if id.as_deref().is_some_and(|id| id.len() > MAX_ID_BYTES || has_control(id)) {
                return problem(name, ID_TEXT);
            }
        }
        for (name, word) in [(field::CHANNEL, self.channel.as_deref()), (field::VERSION, self.version.as_deref())] {
            if word.is_some_and(|w| w.len() > MAX_WORD_BYTES || has_control(w)) {
                return problem(name, WORD_TEXT);
            }
        }
        if self.locale.as_deref().is_some_and(|l| !is_locale_tag(l)) {
            return problem(field::LOCALE, "a language tag (letters, digits and -, at most 35 bytes), or null");
        }
        if !matches!(self.metadata, Value::Object(_)) {
            return problem(field::METADATA, "an object");
        }
        if self.metadata.encoded_len_bound() > MAX_METADATA_BYTES || self.metadata.depth() > MAX_DEPTH {
            return problem(field::METADATA, "an object of at most 8 KB as JSON, nested at most 32 deep");
        }
        if self.created_at.as_deref().is_some_and(|t| parse_rfc3339(t).is_none()) {
            return problem(field::CREATED_AT, "an RFC 3339 date-time such as 2026-11-27T09:05:03.123Z, or null");
        }
        Ok(())
    }

    /// Reads a payload from parsed JSON, as the receiver gets it from any
    /// sender: absent and `null` are the same, a comment is stored without NUL
    /// (see [`without_nul`]), and the result has passed [`Payload::check`].
    pub fn from_value(value: &Value) -> Result<Payload, Problem> {
        if !matches!(value, Value::Object(_)) {
            return Err(Problem { field: "body", expected: "a JSON object" });
        }
        let get = |name| value.get(name).filter(|v| !v.is_null());
        let text = |name: &'static str, expected: &'static str| match get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Problem { field: name, expected }),
        };
        let id = text(field::ID, "an id string")?.ok_or(Problem { field: field::ID, expected: "an id string" })?;
        let kinds = Problem { field: field::KIND, expected: "response, dismissed or suppressed" };
        let kind = text(kinds.field, kinds.expected)?.and_then(|w| Kind::parse(&w)).ok_or(kinds)?;
        let actions = Problem { field: field::ACTION, expected: "effort, vent or silent, or null" };
        let action = match text(actions.field, actions.expected)? {
            None => None,
            Some(w) => Some(Action::parse(&w).ok_or(actions)?),
        };
        const CODES: &str = "an array of reason codes";
        let reasons = match get(field::REASONS) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(code) => Ok(Cow::Owned(code.clone())),
                    _ => Err(Problem { field: field::REASONS, expected: CODES }),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(Problem { field: field::REASONS, expected: CODES }),
        };
        const SCORE: &str = "an integer from 1 to 7, or null";
        let effort = match get(field::EFFORT) {
            None => None,
            Some(Value::Number(n)) if n.fract() == 0.0 && (1.0..=7.0).contains(n) => Some(*n as u8),
            Some(_) => return Err(Problem { field: field::EFFORT, expected: SCORE }),
        };
        let follow_up = match get(field::FOLLOW_UP) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(Problem { field: field::FOLLOW_UP, expected: "true or false" }),
        };
        let metadata = match get(field::METADATA) {
            None => Value::Object(Vec::new()),
            // (NUL as U+FFFD, as the widget sends it.)
            Some(object @ Value::Object(_)) => object.clone().json_safe(),
            Some(_) => return Err(Problem { field: field::METADATA, expected: "an object" }),
        };
        let payload = Payload {
            id,
            kind,
            action,
            reasons,
            effort,
            // (Only the comment's NUL is taken as U+FFFD: in an id or a
            // word it is a control character, refused by `check`, not an
            // id nobody sent.)
            comment: text(field::COMMENT, "a string or null")?.map(|c| without_nul(&c)),
            follow_up,
            conversation_id: text(field::CONVERSATION_ID, ID_TEXT)?,
            agent_id: text(field::AGENT_ID, ID_TEXT)?,
            channel: text(field::CHANNEL, WORD_TEXT)?,
            locale: text(field::LOCALE, "a language tag, or null")?,
            metadata,
            created_at: text(field::CREATED_AT, "an RFC 3339 date-time, or null")?,
            version: text(field::VERSION, WORD_TEXT)?.map(Cow::Owned),
        };
        payload.check()?;
        Ok(payload)
    }
}

#[cfg(test)]
mod tests;
