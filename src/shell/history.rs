//! Loading and saving a customer's [`History`] through a [`Store`]: one
//! entry per hashed customer id in local storage (an anonymous random id
//! when the page gives none), and the session's prompt count in session
//! storage. Corrupt entries read as an empty history.

use super::platform::random_uuid;
use super::storage::{read_json, write_json, Store};
use crate::domain::history::customer_key;
use crate::domain::{Context, Event, History};
use feedback_contract::text::integer;

const PREFIX: &str = "feedback:v1:history:";
const ANONYMOUS_ID: &str = "feedback:v1:anonymous-id";
const SHOWN: &str = "feedback:v1:shown";

/// Where one customer's history lives.
pub struct HistoryKey(String);

impl HistoryKey {
    /// The storage key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key for the context's customer, or for this browser's anonymous
    /// customer (created on first use).
    pub fn for_context(context: &Context, local: &dyn Store) -> HistoryKey {
        let id = match &context.customer_id {
            Some(id) => ["id:", id].concat(),
            None => {
                let anonymous = local.get(ANONYMOUS_ID).filter(|s| s.len() == 36).unwrap_or_else(|| {
                    let fresh = random_uuid().text();
                    local.set(ANONYMOUS_ID, &fresh);
                    fresh
                });
                ["anonymous:", &anonymous].concat()
            }
        };
        HistoryKey([PREFIX, &customer_key(&id)].concat())
    }
}

/// Forgets every customer's history in this browser and this tab's
/// prompt count (for testing and demos: `Feedback.reset()`). Answers not
/// yet delivered stay in the outbox.
pub fn forget_all(local: &dyn Store, session: &dyn Store) {
    local.remove_prefixed(PREFIX);
    local.remove_prefixed(ANONYMOUS_ID);
    session.remove_prefixed(SHOWN);
}

pub fn load(key: &HistoryKey, local: &dyn Store, session: &dyn Store) -> History {
    let mut history = read_json(local, &key.0).map(|value| History::from_value(&value)).unwrap_or_default();
    history.shown_this_session = session.get(SHOWN).and_then(|s| s.parse().ok()).unwrap_or(0);
    history
}

/// Saves `history` under `key`, or removes the entry when there is nothing
/// to keep (a messenger's every suppressed conversation wrote one, never
/// removed).
pub fn save(key: &HistoryKey, history: &History, local: &dyn Store, session: &dyn Store) {
    if history.remembers_nothing() {
        local.remove(&key.0);
    } else {
        write_json(local, &key.0, &history.to_value());
    }
    session.set(SHOWN, &integer(history.shown_this_session.into()));
}

/// Records `event` at `now_ms` in the history under `key`, read fresh
/// (another tab may have written since).
pub fn record(key: &HistoryKey, event: Event, now_ms: f64, local: &dyn Store, session: &dyn Store) {
    let mut past = load(key, local, session);
    past.record(event, now_ms);
    save(key, &past, local, session);
}
