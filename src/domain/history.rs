//! What this browser remembers about one customer's past prompts, so the
//! policy can respect their time: when they last answered or dismissed,
//! how many dismissals in a row, whether the last prompt was a vent, and
//! how many prompts this browser session has shown.
//!
//! The shell stores it (per hashed customer id, never the raw id) and
//! passes it in; this module only reads, updates and (de)serializes it.
//! Stored data that does not parse is discarded, never fatal.

use super::decision::Action;
use super::json::Value;

/// A customer's prompt history in this browser.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// When the customer last answered (ms since the epoch).
    pub last_answered_ms: Option<f64>,
    /// When the customer last dismissed a prompt.
    pub last_dismissed_ms: Option<f64>,
    /// Dismissals in a row since the last answer.
    pub dismissals: u32,
    /// The last prompt shown was a vent; the next conversation is not asked.
    pub vent_pending: bool,
    /// Prompts shown in this browser session (kept in sessionStorage, not
    /// stored with the rest).
    pub shown_this_session: u32,
}

/// Something that happened to a prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A prompt with this action was shown.
    Shown(Action),
    /// The customer answered.
    Answered,
    /// The customer skipped.
    Dismissed,
    /// A decision to stay silent was acted on (it consumes `vent_pending`).
    Suppressed,
    /// An inline prompt the page removed before the customer answered or
    /// skipped it (a chat view re-rendered or closed): as if it had not
    /// been shown, so the next mount may show it again. A vent takes back
    /// the vent it left pending (it was shown with none: one would have
    /// kept it silent); an effort prompt leaves one another prompt, in
    /// this tab or another, left since.
    Withdrawn(Action),
}

impl History {
    /// Reads a stored history; anything malformed gives an empty history.
    pub fn from_value(value: &Value) -> History {
        let time = |key: &str| match value.get(key) {
            Some(Value::Number(n)) if n.is_finite() && *n >= 0.0 => Some(*n),
            _ => None,
        };
        History {
            last_answered_ms: time("lastAnsweredMs"),
            last_dismissed_ms: time("lastDismissedMs"),
            dismissals: match value.get("dismissals") {
                Some(Value::Number(n)) if n.is_finite() && *n >= 0.0 => n.min(1000.0) as u32,
                _ => 0,
            },
            vent_pending: matches!(value.get("ventPending"), Some(Value::Bool(true))),
            shown_this_session: 0,
        }
    }

    /// The history as stored (what [`History::from_value`] reads).
    pub fn to_value(&self) -> Value {
        Value::object(vec![
            ("lastAnsweredMs", self.last_answered_ms.into()),
            ("lastDismissedMs", self.last_dismissed_ms.into()),
            ("dismissals", self.dismissals.into()),
            ("ventPending", self.vent_pending.into()),
        ])
    }

    /// Whether there is nothing of this customer to keep beyond the
    /// session's count: no answer, no dismissal, no vent pending (a
    /// customer never shown a prompt, or whose prompt the page took back).
    pub fn remembers_nothing(&self) -> bool {
        self.last_answered_ms.is_none() && self.last_dismissed_ms.is_none() && self.dismissals == 0 && !self.vent_pending
    }

    /// Updates the history with `event` at `now_ms`.
    pub fn record(&mut self, event: Event, now_ms: f64) {
        match event {
            Event::Shown(action) => {
                self.shown_this_session = self.shown_this_session.saturating_add(1);
                self.vent_pending = action == Action::Vent;
            }
            Event::Answered => {
                self.last_answered_ms = Some(now_ms);
                self.dismissals = 0;
            }
            Event::Dismissed => {
                self.last_dismissed_ms = Some(now_ms);
                self.dismissals = self.dismissals.saturating_add(1);
            }
            Event::Suppressed => self.vent_pending = false,
            Event::Withdrawn(action) => {
                self.shown_this_session = self.shown_this_session.saturating_sub(1);
                if action == Action::Vent {
                    self.vent_pending = false;
                }
            }
        }
    }
}

/// A short, stable, non-reversible-by-eye key for a customer id (FNV-1a,
/// 64 bits, hex). It keeps raw ids out of storage; it is not a secret.
pub fn customer_key(customer_id: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in b"feedback:customer:".iter().chain(customer_id.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hex64(hash)
}

/// A number in [0, 1) derived from `key`: the same key always gives the
/// same number, so sampling is stable per conversation.
pub fn unit_hash(key: &str) -> f64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in b"feedback:sample:".iter().chain(key.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // A final avalanche so that similar ids spread evenly.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

fn hex64(mut n: u64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for slot in out.iter_mut().rev() {
        *slot = HEX[(n & 0xf) as usize];
        n >>= 4;
    }
    out.iter().map(|b| char::from(*b)).collect()
}
