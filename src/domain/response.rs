//! What we post: the payload built from a decision, the customer's answer
//! (if any) and the context, plus the small value types it needs (a v4 UUID
//! from bytes the shell drew, an RFC 3339 timestamp from milliseconds the
//! shell read).
//!
//! The payload's field names are a public contract (see the README); the
//! comment is carried verbatim, never interpreted as HTML.

use serde::Serialize;

use super::context::{cut, Context};
use super::json::Value;
use super::policy::{Action, Decision, Reason};

/// The longest comment we send, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// The payload format's version (the widget's version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What happened to a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The customer answered (a score, a comment, or both).
    Response,
    /// The customer closed the prompt without answering.
    Dismissed,
    /// The policy decided not to ask.
    Suppressed,
}

/// What the customer gave us.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// CES 2.0 score, 1 (strongly disagree) to 7 (strongly agree).
    pub effort: Option<u8>,
    pub comment: String,
    pub follow_up: bool,
}

/// The JSON body posted to the endpoint.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Payload {
    pub id: String,
    pub kind: Kind,
    pub action: Action,
    pub reasons: Vec<Reason>,
    pub effort: Option<u8>,
    pub comment: Option<String>,
    pub follow_up: bool,
    pub conversation_id: Option<String>,
    pub agent_id: Option<String>,
    pub channel: Option<String>,
    pub locale: Option<String>,
    pub metadata: Value,
    pub created_at: String,
    pub version: &'static str,
}

/// Everything a payload is built from; `id` and `created_at` come from the
/// shell (randomness and the clock are not the domain's business).
pub struct Envelope<'a> {
    pub id: Uuid,
    pub now_ms: f64,
    pub context: &'a Context,
    pub decision: &'a Decision,
    pub locale: &'a str,
    /// Replace personal data in the comment before it leaves.
    pub redact: bool,
}

impl Envelope<'_> {
    /// The payload for `kind`; `answer` is ignored unless the kind is a response.
    pub fn payload(&self, kind: Kind, answer: Option<&Answer>) -> Payload {
        let answer = answer.filter(|_| kind == Kind::Response);
        let effort = answer.and_then(|a| a.effort).filter(|e| (1..=7).contains(e));
        let comment = answer
            .map(|a| cut(a.comment.trim(), MAX_COMMENT_CHARS))
            .map(|c| if self.redact { super::redact::redact(&c) } else { c })
            .filter(|c| !c.is_empty());
        Payload {
            id: self.id.to_string(),
            kind,
            action: self.decision.action,
            reasons: self.decision.reasons.clone(),
            effort,
            comment,
            follow_up: answer.is_some_and(|a| a.follow_up),
            conversation_id: self.context.conversation_id.clone(),
            agent_id: self.context.agent_id.clone(),
            channel: self.context.channel.as_ref().map(|c| c.as_str().to_owned()),
            locale: Some(self.locale.to_owned()),
            metadata: self.context.metadata.clone().unwrap_or(Value::Object(Vec::new())),
            created_at: rfc3339(self.now_ms),
            version: VERSION,
        }
    }
}

/// A payload in the shape of an analytics `track` call (Segment-style
/// APIs): the event name, the payload's id as `messageId` (those APIs
/// de-duplicate on it), its time, and the payload as `properties`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Track<'a> {
    pub event: &'a str,
    pub message_id: &'a str,
    pub timestamp: &'a str,
    pub properties: &'a Payload,
}

impl Payload {
    /// This payload as a `track` call named `event`.
    pub fn as_track<'a>(&'a self, event: &'a str) -> Track<'a> {
        Track { event, message_id: &self.id, timestamp: &self.created_at, properties: self }
    }
}

/// A random (version 4) UUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uuid([u8; 16]);

impl Uuid {
    /// Builds a v4 UUID from 16 random bytes, setting the version and
    /// variant bits.
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> Uuid {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Uuid(bytes)
    }
}

impl std::fmt::Display for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 36];
        let mut at = 0;
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out[at] = b'-';
                at += 1;
            }
            out[at] = HEX[(byte >> 4) as usize];
            out[at + 1] = HEX[(byte & 0xf) as usize];
            at += 2;
        }
        // The buffer holds only ASCII hex digits and dashes.
        f.write_str(std::str::from_utf8(&out).unwrap_or_default())
    }
}

/// Formats milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
/// Times before 1970 or after 9999 are clamped.
pub fn rfc3339(ms: f64) -> String {
    let ms = if ms.is_finite() { ms.clamp(0.0, 253_402_300_799_999.0) as i64 } else { 0 };
    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
    let mut out = String::with_capacity(24);
    for (value, width, sep) in
        [(y, 4, '-'), (m, 2, '-'), (d, 2, 'T'), (h, 2, ':'), (min, 2, ':'), (s, 2, '.'), (milli, 3, 'Z')]
    {
        push_padded(&mut out, value, width);
        out.push(sep);
    }
    out
}

fn push_padded(out: &mut String, value: i64, width: u32) {
    let mut div = 10i64.pow(width - 1);
    while div > 0 {
        out.push(char::from(b'0' + (value / div % 10) as u8));
        div /= 10;
    }
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (y, m, d).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_known_instants() {
        let check = |ms: f64, expected: &str| assert_eq!(rfc3339(ms), expected, "{ms}");
        check(0.0, "1970-01-01T00:00:00.000Z");
        check(951_782_400_000.0, "2000-02-29T00:00:00.000Z");
        check(1_795_730_583_123.0, "2026-11-26T22:03:03.123Z");
        check(-5.0, "1970-01-01T00:00:00.000Z");
        check(f64::NAN, "1970-01-01T00:00:00.000Z");
        check(4_102_444_799_999.0, "2099-12-31T23:59:59.999Z");
    }

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let text = Uuid::from_random_bytes([0xff; 16]).to_string();
        assert_eq!(text, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let text = Uuid::from_random_bytes([0; 16]).to_string();
        assert_eq!(text, "00000000-0000-4000-8000-000000000000");
    }
}
