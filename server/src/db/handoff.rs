//! Notifications leased in the transaction that owes them. Claiming a row
//! after it was owed is a write of its own, and SQLite has one writer: with
//! a webhook for every answer that was a third of the outbox's writes. So
//! when this receiver runs a worker, the batch writer records each new
//! answer's notifications already leased to it (`lease`, `locked_until`,
//! one attempt) and, after the commit, hands them to the worker through a
//! channel. Nothing changes for a crash: a handed row the worker never
//! finished is still leased in the database and is claimed again when the
//! lease ends, as a claimed one would be. While the worker has
//! [`HANDOFF_ROWS`] rows handed and not yet taken, new ones are recorded
//! unleased and claimed as before.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;

use super::outbox::Claimed;

/// Rows handed and not yet taken, at most.
pub const HANDOFF_ROWS: usize = 512;

/// Where the writer hands new notifications (set by the worker).
pub struct Handoff {
    /// The worker's lease prefix: each batch is leased `<prefix>-w<n>`.
    pub prefix: String,
    /// How long a lease lasts (the delivery timeout and some slack).
    pub lease_ms: i64,
    /// The leased rows of one batch, under its lease.
    pub rows: mpsc::Sender<(String, Vec<Claimed>)>,
    /// Rows handed and not yet taken by the worker.
    pub waiting: Arc<AtomicUsize>,
    batches: AtomicU64,
}

impl Handoff {
    pub fn new(prefix: String, lease_ms: i64, rows: mpsc::Sender<(String, Vec<Claimed>)>) -> Handoff {
        Handoff { prefix, lease_ms, rows, waiting: Arc::default(), batches: AtomicU64::new(0) }
    }

    /// A lease for `rows` more rows, or `None` when the worker has enough
    /// waiting (they are then recorded unleased and claimed as before).
    pub(super) fn lease(&self, rows: usize) -> Option<String> {
        if rows == 0 || self.waiting.load(Ordering::Relaxed) + rows > HANDOFF_ROWS {
            return None;
        }
        let n = self.batches.fetch_add(1, Ordering::Relaxed) + 1;
        Some(format!("{}-w{n}", self.prefix))
    }

    /// After the commit: hands the rows leased under `lease` to the worker.
    /// If it cannot take them (shutting down), they stay leased and are
    /// claimed again when the lease ends.
    pub(super) fn hand(&self, lease: String, rows: Vec<Claimed>) {
        let n = rows.len();
        self.waiting.fetch_add(n, Ordering::Relaxed);
        if self.rows.try_send((lease, rows)).is_err() {
            self.waiting.fetch_sub(n, Ordering::Relaxed);
        }
    }

    /// The worker took `n` rows.
    pub fn taken(&self, n: usize) {
        self.waiting.fetch_sub(n, Ordering::Relaxed);
    }
}
