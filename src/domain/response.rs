//! What we post: the contract's [`Payload`] built from a decision, the
//! customer's answer (if any) and the context, plus the small value types
//! it needs (a v4 UUID from bytes the shell drew, an RFC 3339 timestamp
//! from milliseconds the shell read).
//!
//! The payload's shape and limits are the `feedback-contract` crate's, the
//! same code the receiver validates with; [`Envelope::payload`] only ever
//! builds payloads that pass [`Payload::check`] (a property test in
//! `server/tests/contract.rs` sends them through the real receiver). The
//! comment is carried verbatim, never interpreted as HTML.

use std::borrow::Cow;

pub use feedback_contract::limits::MAX_COMMENT_CHARS;
pub use feedback_contract::{Kind, Payload};

use feedback_contract::text::{cut, without_nul};
use feedback_contract::time;

use super::context::Context;
use super::decision::Decision;
use super::json::Value;

/// The payload format's version (the widget's version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the customer gave us.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    /// CES 2.0 score, 1 (strongly disagree) to 7 (strongly agree).
    pub effort: Option<u8>,
    pub comment: String,
    pub follow_up: bool,
}

/// Everything a payload is built from; `id` and `created_at` come from the
/// shell (randomness and the clock are not the domain's business).
pub struct Envelope<'a> {
    pub id: Uuid,
    pub now_ms: f64,
    pub context: &'a Context,
    pub decision: &'a Decision,
    pub locale: &'a str,
    /// Replaces personal data in the comment before it leaves (`None`:
    /// the site turned that off). Given the comment and whether the box
    /// cut it at its limit: `feedback_redact::redact_cut`, or its coarse
    /// `mask` while the widget has no scanner (see the shell's
    /// `Inner::redact`).
    pub redact: Option<Redact<'a>>,
}

/// What replaces personal data in a comment: given the comment and whether
/// the box cut it at its limit.
pub type Redact<'a> = &'a dyn Fn(&str, bool) -> String;

impl Envelope<'_> {
    /// The payload for `kind`; `answer` is ignored unless the kind is a response.
    pub fn payload(&self, kind: Kind, answer: Option<&Answer>) -> Payload {
        let answer = answer.filter(|_| kind == Kind::Response);
        let effort = answer.and_then(|a| a.effort).filter(|e| (1..=7).contains(e));
        // Redact, then cut: `[email]` growing by one character never cuts
        // anything in two (the text is first bounded with room for the
        // longest thing redaction looks for, an e-mail address of 254
        // characters).
        let comment = answer
            .map(|a| {
                let text = a.comment.trim();
                if let Some(redact) = self.redact {
                    // The box stopped taking text at the limit: what it cut
                    // through at the end is no longer found as what it was.
                    let at_limit = a.comment.chars().count() >= MAX_COMMENT_CHARS;
                    within_limit(&redact(&cut(text, MAX_COMMENT_CHARS + 256), at_limit))
                } else {
                    cut(text, MAX_COMMENT_CHARS)
                }
            })
            .map(|c| without_nul(&c))
            .filter(|c| !c.is_empty());
        Payload {
            id: self.id.text(),
            kind,
            action: Some(self.decision.action),
            reasons: self.decision.reasons.iter().map(|r| Cow::Borrowed(r.code())).collect(),
            effort,
            comment,
            follow_up: answer.is_some_and(|a| a.follow_up),
            conversation_id: self.context.conversation_id.clone(),
            agent_id: self.context.agent_id.clone(),
            channel: self.context.channel.as_ref().map(|c| c.as_str().to_owned()),
            locale: Some(self.locale.to_owned()),
            metadata: self.context.metadata.clone().unwrap_or(Value::Object(Vec::new())),
            created_at: Some(rfc3339(self.now_ms)),
            version: Some(Cow::Borrowed(VERSION)),
        }
    }
}

/// A redacted comment cut to the limit; a placeholder the cut would split
/// (the redacted text can be longer than the comment: `[email]` for
/// `a@b.cd`) goes whole, not as `[ema`. (Bytes, not `rfind`: the string
/// searcher costs most of a kilobyte in the wasm.)
fn within_limit(redacted: &str) -> String {
    let mut kept = cut(redacted, MAX_COMMENT_CHARS);
    if kept.len() < redacted.len() {
        let bytes = kept.as_bytes();
        let mut at = bytes.len();
        while at > 0 && bytes.len() - at < 8 && bytes[at - 1] != b']' {
            at -= 1;
            if bytes[at] == b'[' {
                kept.truncate(at);
                while kept.ends_with(' ') {
                    kept.pop();
                }
                break;
            }
        }
    }
    kept
}

/// `payload` in the shape of an analytics `track` call named `event`
/// (Segment-style APIs): the event name, the payload's id as `messageId`
/// (those APIs de-duplicate on it), its time, and the payload as
/// `properties`.
pub fn as_track(payload: &Payload, event: &str) -> Value {
    Value::object(vec![
        ("event", event.into()),
        ("messageId", payload.id.as_str().into()),
        ("timestamp", payload.created_at.as_deref().into()),
        ("properties", payload.to_value()),
    ])
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

impl Uuid {
    /// The UUID's 36 characters, lower-case (a plain function, not
    /// `Display`: `to_string` would bring a `Formatter` round trip into
    /// the wasm for each id).
    pub fn text(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
        out
    }
}

/// Milliseconds since the Unix epoch (as the browser's clock gives them)
/// as `YYYY-MM-DDTHH:MM:SS.mmmZ`; times before 1970 or after 9999 clamped.
pub fn rfc3339(ms: f64) -> String {
    time::rfc3339(if ms.is_finite() { ms as i64 } else { 0 })
}

/// What of `data`, about to replace the selection `start..end` (UTF-16
/// code units, as `selectionStart` and `selectionEnd` give it) of a
/// comment box holding `text`, fits under `max` characters: `None` when
/// all of it does, else the length in bytes of its first characters that
/// do (perhaps none). With it the box cuts a typed or pasted edit before
/// it goes in, as `maxlength` does, so that the cut is the browser's own
/// edit and undo and redo know it ([`fit_edit`] then has nothing to do).
pub fn fitting(text: &str, start: usize, end: usize, data: &str, max: usize) -> Option<usize> {
    let (mut kept, mut units) = (0, 0);
    for &b in text.as_bytes() {
        if starts_char(b) {
            kept += usize::from(units < start || units >= end);
            units += units_of(b);
        }
    }
    let mut room = max.saturating_sub(kept);
    for (i, &b) in data.as_bytes().iter().enumerate() {
        if starts_char(b) {
            if room == 0 {
                return Some(i);
            }
            room -= 1;
        }
    }
    None
}

/// Whether a UTF-8 byte starts a character (is not 0b10xxxxxx).
fn starts_char(b: u8) -> bool {
    b & 0xc0 != 0x80
}

/// The UTF-16 code units of the character a UTF-8 byte starts: two for
/// one of four bytes (from 0xf0).
fn units_of(b: u8) -> usize {
    1 + usize::from(b >= 0xf0)
}

/// What a comment box at its limit keeps of an edit, as `maxlength`
/// does but counting characters (what the counter and the payload count;
/// `maxlength` counts UTF-16 code units). `text` is the box's text after
/// the edit and `caret` the end of its selection in UTF-16 code units
/// (`selectionEnd`), which an edit leaves after what it put in (typed,
/// pasted, committed by an IME, or dropped). Under the limit, `None`.
/// Over it, the characters just before the caret go, so a paste into the
/// middle of a full box loses the end of the paste, not the end of what
/// the customer wrote; if there are too few before it, the rest goes off
/// the end. Returns the kept text and the caret's new place in UTF-16
/// code units.
pub fn fit_edit(text: &str, caret: usize, max: usize) -> Option<(String, usize)> {
    // On bytes ([`starts_char`], [`units_of`]): `chars()` decodes each
    // character, three times the code in the wasm.
    let bytes = text.as_bytes();
    let mut over = bytes.iter().filter(|&&b| starts_char(b)).count().checked_sub(max).filter(|&n| n > 0)?;
    let (mut end, mut units) = (bytes.len(), 0);
    for (i, &b) in bytes.iter().enumerate() {
        if starts_char(b) {
            if units >= caret {
                end = i;
                break;
            }
            units += units_of(b);
        }
    }
    let mut start = end;
    while over > 0 && start > 0 {
        start -= 1;
        let b = bytes.get(start).copied().unwrap_or_default();
        if starts_char(b) {
            units -= units_of(b);
            over -= 1;
        }
    }
    // (`get`, not indexing, which is a panic location of its own in the
    // wasm: both are a character's start.)
    let kept = [text.get(..start).unwrap_or_default(), text.get(end..).unwrap_or_default()].concat();
    // Too few characters before the caret (only when the text was set
    // some other way): the rest off the end.
    Some((if over > 0 { cut(&kept, max) } else { kept }, units))
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
        let text = Uuid::from_random_bytes([0xff; 16]).text();
        assert_eq!(text, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let text = Uuid::from_random_bytes([0; 16]).text();
        assert_eq!(text, "00000000-0000-4000-8000-000000000000");
    }
}
