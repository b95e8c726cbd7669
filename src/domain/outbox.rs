//! The outbox: every payload waits here, in storage, from before its first
//! send until the endpoint confirms it with a 2xx, so that nothing a
//! customer gave us is lost to a flaky network, a closed tab or a receiver
//! that is down.
//!
//! This module is the pure bookkeeping: which items are due, how long to
//! back off after a failure (exponential, full jitter, `Retry-After`
//! honored), which failures are worth a retry, which items make room when
//! the outbox is full (suppression and dismissal records first, answers
//! with comments last), and leases that keep two tabs from sending the
//! same item at once. The shell stores it and does the sending.

use super::json::Value;
use feedback_contract::Kind;

/// First retry after about this long; each further one doubles it...
pub const BASE_DELAY_MS: f64 = 1_000.0;
/// ...up to this.
pub const MAX_DELAY_MS: f64 = 5.0 * 60_000.0;
/// Items older than this are given up (and reported as failed).
pub const MAX_AGE_MS: f64 = 7.0 * 86_400_000.0;
/// How long an item whose attempt met a network error stays leased to
/// the tab that tried (see `Outbox::settle`).
pub const IN_DOUBT_MS: f64 = 1_000.0;

/// How big the outbox may grow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub max_items: usize,
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_items: 100, max_bytes: 256 * 1024 }
    }
}

/// One payload waiting for confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The payload's id, also its idempotency key.
    pub id: String,
    /// Where it goes (the endpoint when it was created).
    pub endpoint: String,
    pub kind: Kind,
    /// A response with a comment: the most precious thing we hold.
    pub has_comment: bool,
    /// The payload as JSON text, sent as is on every attempt.
    pub body: String,
    pub created_ms: f64,
    pub attempts: u32,
    /// Not before this time.
    pub next_ms: f64,
    /// Not before this time even from a page going away: the endpoint's
    /// `Retry-After` (0 when it gave none).
    pub held_ms: f64,
    /// Its last attempt could not reach the endpoint (a network error):
    /// it goes as soon as the endpoint answers 2xx to another.
    pub unreached: bool,
    /// A tab that is sending it owns it until this time.
    pub lease_until_ms: f64,
    pub lease_owner: String,
}

/// The items, oldest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    pub items: Vec<Item>,
}

/// How one attempt ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Attempt {
    /// The endpoint answered; `retry_after_ms` from its `Retry-After`.
    Answered { status: u16, retry_after_ms: Option<f64> },
    /// No answer: offline, DNS, CORS, refused.
    NetworkError,
    /// No answer in time.
    TimedOut,
}

/// What became of an item after an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Settled {
    /// Confirmed: removed.
    Delivered { status: u16 },
    /// Kept, to be tried again at `at_ms`.
    Retry { at_ms: f64 },
    /// Given up: removed. `status` is the refusing status, if any.
    Dropped { status: Option<u16>, reason: &'static str },
    /// The item was no longer there (another tab settled it).
    Gone,
}

/// Whether a failure is worth another try.
pub fn retryable(attempt: Attempt) -> bool {
    match attempt {
        Attempt::Answered { status, .. } => matches!(status, 408 | 425 | 429) || (500..600).contains(&status),
        Attempt::NetworkError | Attempt::TimedOut => true,
    }
}

/// The wait before retry number `attempts` (1 for the first retry):
/// "full jitter", a uniform draw (`coin` in [0, 1)) below the capped
/// exponential, but never less than the server's `Retry-After`.
pub fn backoff_ms(attempts: u32, coin: f64, retry_after_ms: Option<f64>) -> f64 {
    let ceiling = (BASE_DELAY_MS * 2f64.powi(attempts.saturating_sub(1).min(30) as i32)).min(MAX_DELAY_MS);
    let coin = if coin.is_finite() { coin.clamp(0.0, 1.0) } else { 0.5 };
    let jittered = ceiling * coin;
    match retry_after_ms {
        Some(wait) if wait.is_finite() && wait > jittered => wait.min(24.0 * 3_600_000.0),
        _ => jittered,
    }
}

impl Item {
    /// A new item, due now.
    pub fn new(id: String, endpoint: String, kind: Kind, has_comment: bool, body: String, now_ms: f64) -> Item {
        Item {
            id,
            endpoint,
            kind,
            has_comment,
            body,
            created_ms: now_ms,
            attempts: 0,
            next_ms: now_ms,
            held_ms: 0.0,
            unreached: false,
            lease_until_ms: 0.0,
            lease_owner: String::new(),
        }
    }

    /// What this item gives up for room: the lower, the sooner.
    fn keep_rank(&self) -> u8 {
        match (self.kind, self.has_comment) {
            (Kind::Suppressed, _) => 0,
            (Kind::Dismissed, _) => 1,
            (Kind::Response, false) => 2,
            (Kind::Response, true) => 3,
        }
    }
}

impl Outbox {
    /// Reads a stored outbox; malformed items are skipped.
    pub fn from_value(value: &Value) -> Outbox {
        let Value::Array(items) = value else { return Outbox::default() };
        let mut outbox = Outbox::default();
        for item in items {
            if let Some(item) = Item::from_value(item) {
                outbox.items.push(item);
            }
        }
        outbox
    }

    /// The outbox of `items` read from storage in no particular order
    /// (each is an entry of its own, listed in key order, and the keys
    /// are random ids): oldest first, as sending and eviction expect.
    pub fn from_items(mut items: Vec<Item>) -> Outbox {
        // (An insertion sort: a hundred items at most, and no sort code
        // of the standard library in the wasm for them.)
        for i in 1..items.len() {
            let mut j = i;
            // (`get`: an index is a panic location of its own in the wasm.)
            while j > 0 && items.get(j - 1).zip(items.get(j)).is_some_and(|(a, b)| a.created_ms > b.created_ms) {
                items.swap(j - 1, j);
                j -= 1;
            }
        }
        Outbox { items }
    }

    /// The items in one value, as an earlier version stored the whole
    /// outbox (what [`Outbox::from_value`] reads; each item is an entry
    /// of its own now, [`Item::to_value`]).
    pub fn to_value(&self) -> Value {
        Value::Array(self.items.iter().map(Item::to_value).collect())
    }

    pub fn bytes(&self) -> usize {
        self.items.iter().map(|i| i.body.len()).sum()
    }

    /// Adds `item` (replacing one with the same id), then makes room:
    /// returns the items evicted to stay within `limits`, never `item`
    /// itself unless it alone is too big.
    pub fn push(&mut self, item: Item, limits: Limits) -> Vec<Item> {
        self.items.retain(|i| i.id != item.id);
        let id = item.id.clone();
        self.items.push(item);
        let mut evicted = Vec::new();
        while self.items.len() > limits.max_items || self.bytes() > limits.max_bytes {
            // The least precious kind, oldest first; the new item last of all.
            let victim = self
                .items
                .iter()
                .enumerate()
                .min_by(|(ai, a), (bi, b)| {
                    let a_key = (a.id == id, a.keep_rank(), *ai);
                    let b_key = (b.id == id, b.keep_rank(), *bi);
                    a_key.cmp(&b_key)
                })
                .map(|(i, _)| i);
            match victim {
                Some(i) => evicted.push(self.take(i)),
                None => break,
            }
        }
        evicted
    }

    /// Ids of the items `owner` may send now: due, and not leased by
    /// another tab.
    pub fn due(&self, now_ms: f64, owner: &str) -> Vec<String> {
        let mut due = Vec::new();
        for item in &self.items {
            let free = item.lease_until_ms <= now_ms || item.lease_owner == owner;
            if free && item.next_ms <= now_ms {
                due.push(item.id.clone());
            }
        }
        due
    }

    /// What a page going away sends at once: the items on no one's way,
    /// whatever their back-off (the next visit may be far off). Not one
    /// with a lease that has not run out, ours included (an attempt in
    /// flight, or one that just met a network error, goes on by itself as
    /// a keepalive request), nor one the endpoint asked to wait
    /// (`Retry-After`).
    pub fn leaving(&self, now_ms: f64) -> Vec<String> {
        let mut leaving = Vec::new();
        for item in &self.items {
            if item.lease_until_ms <= now_ms && item.held_ms <= now_ms {
                leaving.push(item.id.clone());
            }
        }
        leaving
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Marks `id` as being sent by `owner` until `until_ms`.
    pub fn lease(&mut self, id: &str, owner: &str, until_ms: f64) {
        if let Some(item) = self.items.iter_mut().find(|i| i.id == id) {
            item.lease_owner = owner.to_owned();
            item.lease_until_ms = until_ms;
        }
    }

    /// `Vec::remove` in one place: it is `#[track_caller]`, and each call
    /// was a panic location of its own in the wasm.
    fn take(&mut self, at: usize) -> Item {
        self.items.remove(at)
    }

    /// Records how an attempt ended.
    pub fn settle(&mut self, id: &str, attempt: Attempt, now_ms: f64, coin: f64) -> Settled {
        let Some(at) = self.items.iter().position(|i| i.id == id) else { return Settled::Gone };
        if let Attempt::Answered { status, .. } = attempt {
            if (200..300).contains(&status) {
                let done = self.take(at);
                // The endpoint is back: what could not reach it goes now,
                // not after the rest of its back-off (an outsider's answers
                // queued in an outage took minutes to arrive), unless it is
                // on its way already. What it answered with a 5xx or a 429
                // waits on (a partly failing endpoint).
                for item in &mut self.items {
                    if item.unreached && item.endpoint == done.endpoint && item.lease_until_ms <= now_ms {
                        item.next_ms = now_ms;
                    }
                }
                return Settled::Delivered { status };
            }
        }
        let status = match attempt {
            Attempt::Answered { status, .. } => Some(status),
            _ => None,
        };
        if !retryable(attempt) {
            self.take(at);
            return Settled::Dropped { status, reason: "rejected" };
        }
        let item = &mut self.items[at];
        if now_ms - item.created_ms > MAX_AGE_MS {
            self.take(at);
            return Settled::Dropped { status, reason: "expired" };
        }
        item.attempts = item.attempts.saturating_add(1);
        let retry_after = match attempt {
            Attempt::Answered { retry_after_ms, .. } => retry_after_ms,
            _ => None,
        };
        item.next_ms = now_ms + backoff_ms(item.attempts, coin, retry_after);
        item.held_ms = if retry_after.is_some() { item.next_ms } else { 0.0 };
        item.unreached = attempt == Attempt::NetworkError;
        // A network error may be this page's view only: a page going away
        // sees its attempt fail (the promise rejects as `pagehide` begins)
        // while the request, a keepalive one, goes on. The lease stays a
        // moment, so that page's last-chance send does not send it again.
        if attempt == Attempt::NetworkError {
            item.lease_until_ms = now_ms + IN_DOUBT_MS;
        } else {
            item.lease_until_ms = 0.0;
            item.lease_owner.clear();
        }
        Settled::Retry { at_ms: item.next_ms }
    }

    /// When the next item falls due, if any.
    pub fn next_due_ms(&self) -> Option<f64> {
        self.items.iter().map(|i| i.next_ms.max(i.lease_until_ms)).reduce(f64::min)
    }

    /// What turns the stored `before` into `self`, item by item: the items
    /// to write (new or changed) and the ids to remove. Each item is an
    /// entry of its own in storage, and a tab writes only what it changed:
    /// written back whole, the outbox of one tab overwrote the answer
    /// another tab had added meanwhile.
    pub fn changes<'a>(&'a self, before: &'a Outbox) -> (Vec<&'a Item>, Vec<&'a str>) {
        // (Plain loops: the adapter chains were their own code in the wasm.)
        let (mut written, mut removed) = (Vec::new(), Vec::new());
        for item in &self.items {
            if before.get(&item.id) != Some(item) {
                written.push(item);
            }
        }
        for item in &before.items {
            if self.get(&item.id).is_none() {
                removed.push(item.id.as_str());
            }
        }
        (written, removed)
    }
}

impl Item {
    /// The item as stored (what [`Item::from_value`] reads).
    pub fn to_value(&self) -> Value {
        Value::object(vec![
            ("id", self.id.as_str().into()),
            ("endpoint", self.endpoint.as_str().into()),
            ("kind", self.kind.as_str().into()),
            ("hasComment", self.has_comment.into()),
            ("body", self.body.as_str().into()),
            ("createdMs", self.created_ms.into()),
            ("attempts", self.attempts.into()),
            ("nextMs", self.next_ms.into()),
            ("heldMs", self.held_ms.into()),
            ("unreached", self.unreached.into()),
            ("leaseUntilMs", self.lease_until_ms.into()),
            ("leaseOwner", self.lease_owner.as_str().into()),
        ])
    }

    /// Reads a stored item; `None` when malformed. (Everything that can
    /// make it malformed is checked before any text is copied: each `?`
    /// after a copy was a drop path of its own in the wasm.)
    pub fn from_value(v: &Value) -> Option<Item> {
        let text = |k: &str| match v.get(k) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        let number = |k: &str| match v.get(k) {
            Some(Value::Number(n)) if n.is_finite() => Some(*n),
            _ => None,
        };
        let kind = Kind::parse(text("kind")?)?;
        let id = text("id").filter(|s| !s.is_empty())?;
        let endpoint = text("endpoint").filter(|s| !s.is_empty())?;
        let body = text("body")?;
        let created_ms = number("createdMs")?;
        Some(Item {
            id: id.clone(),
            endpoint: endpoint.clone(),
            kind,
            has_comment: matches!(v.get("hasComment"), Some(Value::Bool(true))),
            body: body.clone(),
            created_ms,
            attempts: number("attempts").map_or(0, |n| n.clamp(0.0, 1e6) as u32),
            next_ms: number("nextMs").unwrap_or(0.0),
            held_ms: number("heldMs").unwrap_or(0.0),
            unreached: matches!(v.get("unreached"), Some(Value::Bool(true))),
            lease_until_ms: number("leaseUntilMs").unwrap_or(0.0),
            lease_owner: text("leaseOwner").cloned().unwrap_or_default(),
        })
    }
}
