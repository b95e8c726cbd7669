//! The conversation the prompt is about: parsed once, at the edge, from the
//! loose JSON a page passes to `Feedback.ask(context)` into a validated
//! [`Context`].
//!
//! Every field is optional. A field of the wrong type or out of range is an
//! [`Error`] that names it; unknown fields are ignored (they are not copied
//! into `metadata`). Nothing here decides anything: see `policy`.

use feedback_contract::limits::{MAX_DEPTH, MAX_ID_BYTES, MAX_METADATA_BYTES, MAX_WORD_BYTES};
pub(crate) use feedback_contract::text::cut;
use feedback_contract::text::{has_control, integer};

use super::error::{Error, ErrorKind};
use super::json::Value;
pub use feedback_transcript::{Message, Sender, Verdict, MAX_MESSAGES, MAX_MESSAGE_CHARS};

/// The public names, each written once: the readers below and [`FIELDS`]
/// use these.
pub mod name {
    pub const CONVERSATION_ID: &str = "conversationId";
    pub const CUSTOMER_ID: &str = "customerId";
    pub const AGENT_ID: &str = "agentId";
    pub const CHANNEL: &str = "channel";
    pub const WAIT_SECONDS: &str = "waitSeconds";
    pub const DURATION_SECONDS: &str = "durationSeconds";
    pub const TRANSFERS: &str = "transfers";
    pub const CONTACTS: &str = "contacts";
    pub const RESOLVED: &str = "resolved";
    pub const OUTCOME: &str = "outcome";
    pub const SENTIMENT: &str = "sentiment";
    pub const MESSAGES: &str = "messages";
    pub const LOCALE: &str = "locale";
    pub const METADATA: &str = "metadata";
}

/// Every field a page may put in a context, by its JavaScript name (the
/// README's context table, `FeedbackContext` and the reader are checked
/// against this list by `tests/docs.rs`).
pub const FIELDS: [&str; 14] = [
    name::CONVERSATION_ID,
    name::CUSTOMER_ID,
    name::AGENT_ID,
    name::CHANNEL,
    name::WAIT_SECONDS,
    name::DURATION_SECONDS,
    name::TRANSFERS,
    name::CONTACTS,
    name::RESOLVED,
    name::OUTCOME,
    name::SENTIMENT,
    name::MESSAGES,
    name::LOCALE,
    name::METADATA,
];

/// A validated conversation context.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Context {
    pub conversation_id: Option<String>,
    pub customer_id: Option<String>,
    pub agent_id: Option<String>,
    pub channel: Option<Channel>,
    pub wait_seconds: Option<f64>,
    pub duration_seconds: Option<f64>,
    pub transfers: Option<u32>,
    pub contacts: Option<u32>,
    pub resolved: Option<bool>,
    pub outcome: Option<Outcome>,
    /// From -1 (very negative) to 1 (very positive).
    pub sentiment: Option<f64>,
    pub messages: Vec<Message>,
    /// What the reader wasm the loader fetched read in `messages` (set by
    /// the shell, never from page data). `None`: the policy reads them
    /// itself when the reader is compiled in (`embedded-lexicons`).
    pub transcript: Option<Verdict>,
    pub locale: Option<String>,
    /// Whatever object the site passed, carried into the payload untouched.
    pub metadata: Option<Value>,
}

/// Where the conversation happened. Sites may use their own names.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    Chat,
    Messenger,
    Phone,
    Email,
    Social,
    Other(String),
}

/// How the conversation ended. Sites may use their own words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Resolved,
    Unresolved,
    Cancelled,
    RefundDenied,
    Escalated,
    Other(String),
}

impl Context {
    /// Validates the JSON a page passed. `null`/`undefined` is the empty
    /// context; anything but an object is an error.
    pub fn from_value(value: &Value) -> Result<Context, Error> {
        let fields = match value {
            Value::Null => return Ok(Context::default()),
            Value::Object(_) => Fields {
                inner: super::fields::Fields::new(value, super::options::Source::Object, "context."),
                prefix: "context.",
            },
            other => {
                return Err(Error::new("context", ErrorKind::WrongType { expected: "an object", found: other.kind() }))
            }
        };
        // Read into a default context field by field: a field that does not
        // validate then drops one context, not each field read before it (a
        // struct literal's `?`s were a drop path each).
        let mut context = Context::default();
        fields.read_into(&mut context)?;
        Ok(context)
    }

    /// Checks a context built in Rust (the Yew component's props) against
    /// the limits [`Context::from_value`] applies to one from JavaScript,
    /// so that it cannot produce a payload a receiver refuses.
    pub fn check(&self) -> Result<(), Error> {
        let named = |field: &str| ["context.", field].concat();
        for (field, id) in [
            (name::CONVERSATION_ID, &self.conversation_id),
            (name::CUSTOMER_ID, &self.customer_id),
            (name::AGENT_ID, &self.agent_id),
        ] {
            id.as_deref().map_or(Ok(()), |id| check_id(&named(field), id))?;
        }
        if let Some(Channel::Other(word)) = &self.channel {
            check_word(&named(name::CHANNEL), word)?;
        }
        if let Some(Outcome::Other(word)) = &self.outcome {
            check_word(&named(name::OUTCOME), word)?;
        }
        self.locale.as_deref().map_or(Ok(()), |l| check_word(&named(name::LOCALE), l))?;
        match &self.metadata {
            None => Ok(()),
            Some(object @ Value::Object(_)) => check_metadata(&named(name::METADATA), object),
            Some(other) => Err(Error::new(
                named(name::METADATA),
                ErrorKind::WrongType { expected: "an object", found: other.kind() },
            )),
        }
    }

    /// The customer's messages, oldest first.
    pub fn customer_messages(&self) -> impl Iterator<Item = &str> {
        self.messages.iter().filter(|m| m.from == Sender::Customer).map(|m| m.text.as_str())
    }
}

impl Channel {
    /// Reads a channel name; unknown names are kept as the site wrote them.
    pub fn parse(word: &str) -> Channel {
        match word.trim().to_ascii_lowercase().as_str() {
            "chat" | "livechat" | "live_chat" | "web" => Channel::Chat,
            "messenger" | "in_app" | "in-app" | "inapp" => Channel::Messenger,
            "phone" | "voice" | "call" => Channel::Phone,
            "email" | "e-mail" | "mail" => Channel::Email,
            "social" => Channel::Social,
            _ => Channel::Other(word.trim().to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Channel::Chat => "chat",
            Channel::Messenger => "messenger",
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Social => "social",
            Channel::Other(s) => s,
        }
    }
}

impl Outcome {
    /// Reads an outcome; both spellings of "cancel(l)ed" are understood.
    pub fn parse(word: &str) -> Outcome {
        let lower: String =
            word.trim().chars().map(|c| if matches!(c, '-' | ' ') { '_' } else { c.to_ascii_lowercase() }).collect();
        match lower.as_str() {
            "resolved" | "solved" => Outcome::Resolved,
            "unresolved" | "not_resolved" => Outcome::Unresolved,
            "cancelled" | "canceled" | "cancellation" => Outcome::Cancelled,
            "refund_denied" => Outcome::RefundDenied,
            "escalated" => Outcome::Escalated,
            _ => Outcome::Other(word.trim().to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::Unresolved => "unresolved",
            Outcome::Cancelled => "cancelled",
            Outcome::RefundDenied => "refund_denied",
            Outcome::Escalated => "escalated",
            Outcome::Other(s) => s,
        }
    }
}

/// The context's own kinds of field (ids, words, metadata, the
/// transcript) on top of the one reader of page data.
struct Fields<'a> {
    inner: super::fields::Fields<'a>,
    prefix: &'static str,
}

impl<'a> Fields<'a> {
    /// Every field of a context (but `transcript`, the shell's).
    fn read_into(&self, context: &mut Context) -> Result<(), Error> {
        context.conversation_id = self.id(name::CONVERSATION_ID)?;
        context.customer_id = self.id(name::CUSTOMER_ID)?;
        context.agent_id = self.id(name::AGENT_ID)?;
        context.channel = self.word(name::CHANNEL)?.map(|w| Channel::parse(&w));
        context.wait_seconds = self.number(name::WAIT_SECONDS, 0.0, f64::MAX, "a number of seconds (0 or more)")?;
        context.duration_seconds =
            self.number(name::DURATION_SECONDS, 0.0, f64::MAX, "a number of seconds (0 or more)")?;
        context.transfers = self.count(name::TRANSFERS)?;
        context.contacts = self.count(name::CONTACTS)?;
        context.resolved = self.boolean(name::RESOLVED)?;
        context.outcome = self.word(name::OUTCOME)?.map(|w| Outcome::parse(&w));
        context.sentiment = self.number(name::SENTIMENT, -1.0, 1.0, "a number from -1 to 1")?;
        context.messages = self.messages(name::MESSAGES)?;
        context.locale = self.word(name::LOCALE)?;
        context.metadata = self.object(name::METADATA)?;
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.inner.raw(name)
    }

    fn wrong(&self, name: &str, expected: &'static str, found: &Value) -> Error {
        self.inner.wrong(name, expected, found)
    }

    fn number(&self, name: &str, min: f64, max: f64, expected: &'static str) -> Result<Option<f64>, Error> {
        self.inner.number(name, min, max, expected)
    }

    fn count(&self, name: &str) -> Result<Option<u32>, Error> {
        self.inner.count(name, u32::MAX)
    }

    fn boolean(&self, name: &str) -> Result<Option<bool>, Error> {
        self.inner.boolean(name)
    }

    fn id(&self, name: &str) -> Result<Option<String>, Error> {
        const EXPECTED: &str = "a string or an integer (an identifier)";
        let text = match self.get(name) {
            None => return Ok(None),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => integer(*n as i64),
            Some(other) => return Err(self.wrong(name, EXPECTED, other)),
        };
        check_id(&[self.prefix, name].concat(), &text)?;
        Ok(if text.is_empty() { None } else { Some(text) })
    }

    fn word(&self, name: &str) -> Result<Option<String>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => {
                check_word(&[self.prefix, name].concat(), s)?;
                Ok(Some(s.trim().to_owned()))
            }
            Some(other) => Err(self.wrong(name, "a string", other)),
        }
    }

    /// An object of at most [`MAX_METADATA_BYTES`] as JSON, with numbers
    /// JSON cannot carry (`NaN`, `Infinity`) read as `null`, as
    /// `JSON.stringify` would send them.
    fn object(&self, name: &str) -> Result<Option<Value>, Error> {
        match self.get(name) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => {
                check_metadata(&[self.prefix, name].concat(), v)?;
                Ok(Some(v.clone().json_safe()))
            }
            Some(other) => Err(self.wrong(name, "an object", other)),
        }
    }

    fn messages(&self, name: &str) -> Result<Vec<Message>, Error> {
        const EXPECTED: &str = "an array of {from: \"customer\"|\"agent\", text}";
        let items = match self.get(name) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => return Err(self.wrong(name, EXPECTED, other)),
        };
        let skip = items.len().saturating_sub(MAX_MESSAGES);
        let mut messages = Vec::with_capacity(items.len() - skip);
        for (i, item) in items.iter().enumerate().skip(skip) {
            let field = |part: &str| [self.prefix, name, "[", &integer(i as i64), "]", part].concat();
            if !matches!(item, Value::Object(_)) {
                return Err(Error::new(
                    field(""),
                    ErrorKind::WrongType { expected: "an object {from, text}", found: item.kind() },
                ));
            }
            let from = match item.get("from") {
                Some(Value::String(s)) if s.eq_ignore_ascii_case("customer") => Sender::Customer,
                Some(Value::String(s)) if s.eq_ignore_ascii_case("agent") => Sender::Agent,
                Some(Value::String(s)) => {
                    return Err(Error::new(
                        field(".from"),
                        ErrorKind::BadText { expected: "\"customer\" or \"agent\"", found: cut(s, 40) },
                    ))
                }
                Some(other) => {
                    return Err(Error::new(
                        field(".from"),
                        ErrorKind::WrongType { expected: "\"customer\" or \"agent\"", found: other.kind() },
                    ))
                }
                None => {
                    return Err(Error::new(
                        field(".from"),
                        ErrorKind::Missing { expected: "\"customer\" or \"agent\"" },
                    ))
                }
            };
            let text = match item.get("text") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => cut(s, MAX_MESSAGE_CHARS),
                Some(other) => {
                    return Err(Error::new(
                        field(".text"),
                        ErrorKind::WrongType { expected: "a string", found: other.kind() },
                    ))
                }
            };
            messages.push(Message { from, text });
        }
        Ok(messages)
    }
}

// The wire contract's limits on what a context carries into a payload,
// shared by `Context::from_value` and `Context::check`.

fn check_id(field: &str, text: &str) -> Result<(), Error> {
    if text.len() <= MAX_ID_BYTES && !has_control(text) {
        return Ok(());
    }
    let expected = "at most 256 bytes without control characters";
    Err(Error::new(field, ErrorKind::BadText { expected, found: cut(text, 40) }))
}

fn check_word(field: &str, text: &str) -> Result<(), Error> {
    if text.len() <= MAX_WORD_BYTES && !has_control(text.trim()) {
        return Ok(());
    }
    let expected = "a short word (at most 64 bytes, no control characters)";
    Err(Error::new(field, ErrorKind::BadText { expected, found: cut(text, 40) }))
}

fn check_metadata(field: &str, value: &Value) -> Result<(), Error> {
    let bytes = value.encoded_len_bound();
    if bytes > MAX_METADATA_BYTES {
        let expected = "an object of at most 8192 bytes as JSON";
        return Err(Error::new(field, ErrorKind::TooLarge { expected, bytes }));
    }
    if value.depth() > MAX_DEPTH {
        let expected = "an object nested at most 32 deep";
        return Err(Error::new(field, ErrorKind::TooLarge { expected, bytes }));
    }
    Ok(())
}
