//! The site's rules: every threshold the policy uses, named, documented,
//! with defaults a support lead would agree with, and overridable from
//! `data-*` attributes or `Feedback.configure(rules)`.
//!
//! Validation follows the context's: a wrong value is an [`Error`] naming
//! the field (`data-sample-rate`, `rules.longWaitSeconds.chat`).

use super::context::{Channel, Outcome};
use super::decision::Action;
use super::error::{Error, ErrorKind};
use super::fields::Fields;
use super::json::Value;
use super::options::Source;

const DAY_SECONDS: f64 = 86_400.0;

/// All the thresholds and switches of the policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    /// A wait at or above this, per channel, is a hard interaction.
    pub long_wait: PerChannel,
    /// A conversation at or above this length, per channel, is hard.
    pub long_conversation: PerChannel,
    /// This many transfers or more is hard (one fewer is a mild signal).
    pub many_transfers: u32,
    /// This many contacts about the issue or more is hard (one fewer is mild).
    pub repeat_contacts: u32,
    /// A sentiment at or below this is hard.
    pub negative_sentiment: f64,
    /// A sentiment at or below this (but above `negative_sentiment`) is mild.
    pub mild_sentiment: f64,
    /// Mild signals weigh 1 each; this many together make a hard interaction.
    pub mild_signals_for_hard: u32,
    /// No new prompt for this many days after an answer.
    pub answered_cooldown_days: f64,
    /// After a dismissal, no prompt for this many days, doubled for each
    /// further dismissal in a row, up to `max_dismissed_cooldown_days`.
    pub dismissed_cooldown_days: f64,
    pub max_dismissed_cooldown_days: f64,
    /// At most this many prompts per browser session (tab).
    pub session_cap: u32,
    /// Share of conversations that may be asked at all, 0 to 1.
    pub sample_rate: f64,
    /// Post a `suppressed` record for every silent decision.
    pub report_suppressed: bool,
    /// Forced actions by outcome; they win over `force_channel`.
    pub force_outcome: Vec<(Outcome, Action)>,
    /// Forced actions by channel.
    pub force_channel: Vec<(Channel, Action)>,
}

/// A threshold in seconds for each channel.
#[derive(Clone, Debug, PartialEq)]
pub struct PerChannel {
    pub chat: f64,
    pub messenger: f64,
    pub phone: f64,
    pub email: f64,
    pub social: f64,
    /// Channels the site named itself, and conversations without a channel.
    pub other: f64,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            // Five minutes is long in a live chat or on hold; a day is long for email.
            long_wait: PerChannel {
                chat: 300.0,
                messenger: 900.0,
                phone: 600.0,
                email: DAY_SECONDS,
                social: 2.0 * 3600.0,
                other: 600.0,
            },
            long_conversation: PerChannel {
                chat: 1800.0,
                messenger: 3600.0,
                phone: 1800.0,
                email: 3.0 * DAY_SECONDS,
                social: DAY_SECONDS,
                other: 2700.0,
            },
            many_transfers: 2,
            repeat_contacts: 3,
            negative_sentiment: -0.3,
            mild_sentiment: -0.1,
            mild_signals_for_hard: 2,
            answered_cooldown_days: 14.0,
            dismissed_cooldown_days: 30.0,
            max_dismissed_cooldown_days: 180.0,
            session_cap: 1,
            sample_rate: 1.0,
            report_suppressed: true,
            force_outcome: Vec::new(),
            force_channel: Vec::new(),
        }
    }
}

impl PerChannel {
    pub fn get(&self, channel: Option<&Channel>) -> f64 {
        match channel {
            Some(Channel::Chat) => self.chat,
            Some(Channel::Messenger) => self.messenger,
            Some(Channel::Phone) => self.phone,
            Some(Channel::Email) => self.email,
            Some(Channel::Social) => self.social,
            Some(Channel::Other(_)) | None => self.other,
        }
    }

    fn slot(&mut self, name: &str) -> Option<&mut f64> {
        Some(match name {
            "chat" => &mut self.chat,
            "messenger" => &mut self.messenger,
            "phone" => &mut self.phone,
            "email" => &mut self.email,
            "social" => &mut self.social,
            "other" => &mut self.other,
            _ => return None,
        })
    }
}

impl Rules {
    /// The dismissal cooldown after `dismissals` dismissals in a row, in days.
    pub fn dismissed_cooldown(&self, dismissals: u32) -> f64 {
        if dismissals == 0 {
            return 0.0;
        }
        let doubled = self.dismissed_cooldown_days * 2f64.powi(dismissals.min(16) as i32 - 1);
        doubled.min(self.max_dismissed_cooldown_days.max(self.dismissed_cooldown_days))
    }

    /// The forced action for this conversation, if the site set one.
    pub fn forced(&self, channel: Option<&Channel>, outcome: Option<&Outcome>) -> Option<(Action, bool)> {
        if let Some(outcome) = outcome {
            if let Some((_, action)) = self.force_outcome.iter().find(|(o, _)| o == outcome) {
                return Some((*action, true));
            }
        }
        let channel = channel?;
        self.force_channel.iter().find(|(c, _)| c == channel).map(|(_, a)| (*a, false))
    }

    /// Applies overrides from `raw` on top of these rules. Attributes
    /// (`Source::ScriptTag`) are strings and are read as numbers or booleans.
    pub fn apply(&mut self, raw: &Value, source: Source) -> Result<(), Error> {
        let reader = Reader(Fields::new(raw, source, "rules."));
        if !matches!(raw, Value::Object(_) | Value::Null) {
            return Err(Error::new("rules", ErrorKind::WrongType { expected: "an object", found: raw.kind() }));
        }
        reader.per_channel(name::LONG_WAIT_SECONDS, &mut self.long_wait)?;
        reader.per_channel(name::LONG_CONVERSATION_SECONDS, &mut self.long_conversation)?;
        reader.count(name::MANY_TRANSFERS, &mut self.many_transfers)?;
        reader.count(name::REPEAT_CONTACTS, &mut self.repeat_contacts)?;
        reader.number(name::NEGATIVE_SENTIMENT, -1.0, 1.0, "a number from -1 to 1", &mut self.negative_sentiment)?;
        reader.number(name::MILD_SENTIMENT, -1.0, 1.0, "a number from -1 to 1", &mut self.mild_sentiment)?;
        reader.count(name::MILD_SIGNALS_FOR_HARD, &mut self.mild_signals_for_hard)?;
        let days = "a number of days (0 or more)";
        reader.number(name::ANSWERED_COOLDOWN_DAYS, 0.0, 3650.0, days, &mut self.answered_cooldown_days)?;
        reader.number(name::DISMISSED_COOLDOWN_DAYS, 0.0, 3650.0, days, &mut self.dismissed_cooldown_days)?;
        reader.number(name::MAX_DISMISSED_COOLDOWN_DAYS, 0.0, 3650.0, days, &mut self.max_dismissed_cooldown_days)?;
        reader.count(name::SESSION_CAP, &mut self.session_cap)?;
        reader.number(name::SAMPLE_RATE, 0.0, 1.0, "a number from 0 to 1", &mut self.sample_rate)?;
        reader.boolean(name::REPORT_SUPPRESSED, &mut self.report_suppressed)?;
        reader.forced(name::FORCE_OUTCOME, &mut self.force_outcome, Outcome::parse)?;
        reader.forced(name::FORCE_CHANNEL, &mut self.force_channel, Channel::parse)?;
        Ok(())
    }
}

/// The rules' own kinds of field (per channel, forced actions) on top of
/// the one reader of page data, writing into the rules it replaces.
struct Reader<'a>(Fields<'a>);

/// The public names, each written once: the readers below and [`FIELDS`]
/// use these.
pub mod name {
    pub const LONG_WAIT_SECONDS: &str = "longWaitSeconds";
    pub const LONG_CONVERSATION_SECONDS: &str = "longConversationSeconds";
    pub const MANY_TRANSFERS: &str = "manyTransfers";
    pub const REPEAT_CONTACTS: &str = "repeatContacts";
    pub const NEGATIVE_SENTIMENT: &str = "negativeSentiment";
    pub const MILD_SENTIMENT: &str = "mildSentiment";
    pub const MILD_SIGNALS_FOR_HARD: &str = "mildSignalsForHard";
    pub const ANSWERED_COOLDOWN_DAYS: &str = "answeredCooldownDays";
    pub const DISMISSED_COOLDOWN_DAYS: &str = "dismissedCooldownDays";
    pub const MAX_DISMISSED_COOLDOWN_DAYS: &str = "maxDismissedCooldownDays";
    pub const SESSION_CAP: &str = "sessionCap";
    pub const SAMPLE_RATE: &str = "sampleRate";
    pub const REPORT_SUPPRESSED: &str = "reportSuppressed";
    pub const FORCE_OUTCOME: &str = "forceOutcome";
    pub const FORCE_CHANNEL: &str = "forceChannel";
}

/// Every rule, by its JavaScript name; the README's rules table,
/// `FeedbackOptions` and the reader are checked against this list by
/// `tests/docs.rs`.
pub const FIELDS: [&str; 15] = [
    name::LONG_WAIT_SECONDS,
    name::LONG_CONVERSATION_SECONDS,
    name::MANY_TRANSFERS,
    name::REPEAT_CONTACTS,
    name::NEGATIVE_SENTIMENT,
    name::MILD_SENTIMENT,
    name::MILD_SIGNALS_FOR_HARD,
    name::ANSWERED_COOLDOWN_DAYS,
    name::DISMISSED_COOLDOWN_DAYS,
    name::MAX_DISMISSED_COOLDOWN_DAYS,
    name::SESSION_CAP,
    name::SAMPLE_RATE,
    name::REPORT_SUPPRESSED,
    name::FORCE_OUTCOME,
    name::FORCE_CHANNEL,
];

impl Reader<'_> {
    fn name(&self, field: &str) -> String {
        self.0.name(field)
    }

    fn get(&self, field: &str) -> Option<Value> {
        self.0.get(field)
    }

    fn number(&self, field: &str, min: f64, max: f64, expected: &'static str, slot: &mut f64) -> Result<(), Error> {
        if let Some(n) = self.0.number(field, min, max, expected)? {
            *slot = n;
        }
        Ok(())
    }

    fn count(&self, field: &str, slot: &mut u32) -> Result<(), Error> {
        if let Some(n) = self.0.count(field, 1_000_000)? {
            *slot = n;
        }
        Ok(())
    }

    fn boolean(&self, field: &str, slot: &mut bool) -> Result<(), Error> {
        if let Some(b) = self.0.boolean(field)? {
            *slot = b;
        }
        Ok(())
    }

    fn per_channel(&self, field: &str, slot: &mut PerChannel) -> Result<(), Error> {
        const EXPECTED: &str = "an object of seconds per channel, e.g. {\"chat\": 300}";
        let fields = match self.get(field) {
            None => return Ok(()),
            Some(Value::Object(fields)) => fields,
            Some(other) => {
                return Err(Error::new(
                    self.name(field),
                    ErrorKind::WrongType { expected: EXPECTED, found: other.kind() },
                ))
            }
        };
        for (channel, value) in &fields {
            let name = [&*self.name(field), ".", channel].concat();
            let target = slot.slot(channel).ok_or_else(|| {
                Error::new(
                    name.clone(),
                    ErrorKind::BadText {
                        expected: "chat, messenger, phone, email, social or other",
                        found: channel.clone(),
                    },
                )
            })?;
            match value {
                Value::Number(n) if n.is_finite() && *n >= 0.0 => *target = *n,
                Value::Number(n) => {
                    return Err(Error::new(
                        name,
                        ErrorKind::OutOfRange { expected: "a number of seconds (0 or more)", found: *n },
                    ))
                }
                other => {
                    return Err(Error::new(
                        name,
                        ErrorKind::WrongType { expected: "a number of seconds", found: other.kind() },
                    ))
                }
            }
        }
        Ok(())
    }

    fn forced<K>(&self, field: &str, slot: &mut Vec<(K, Action)>, parse: fn(&str) -> K) -> Result<(), Error>
    where
        K: PartialEq,
    {
        const EXPECTED: &str = "an object mapping names to \"effort\", \"vent\" or \"silent\"";
        let fields = match self.get(field) {
            None => return Ok(()),
            Some(Value::Object(fields)) => fields,
            Some(other) => {
                return Err(Error::new(
                    self.name(field),
                    ErrorKind::WrongType { expected: EXPECTED, found: other.kind() },
                ))
            }
        };
        for (key, value) in &fields {
            let action = match value {
                // A site's configuration, read leniently: ` Vent ` is `vent`.
                Value::String(s) => Action::parse(&s.trim().to_ascii_lowercase()),
                _ => None,
            }
            .ok_or_else(|| {
                Error::new(
                    [&*self.name(field), ".", key].concat(),
                    ErrorKind::BadText {
                        expected: "\"effort\", \"vent\" or \"silent\"",
                        found: match value {
                            Value::String(s) => s.clone(),
                            other => other.kind().to_owned(),
                        },
                    },
                )
            })?;
            let key = parse(key);
            slot.retain(|(k, _)| *k != key);
            slot.push((key, action));
        }
        Ok(())
    }
}
