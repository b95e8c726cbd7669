//! The delivery worker: claims due outbox rows (woken by the writer's
//! commits, and every second for retries and other receivers' rows),
//! delivers each to its destination with at most [`IN_FLIGHT`] at once,
//! and records the outcomes in batches: sent; pending again after an
//! exponential back-off with jitter; or failed, after a permanent refusal
//! or [`GIVE_UP_MS`] of trying. A row is claimed under a lease that ends
//! `--notify-timeout` plus [`LEASE_SLACK_MS`] later, so a receiver that
//! dies mid-delivery (kill -9) leaves it to be claimed again, under the
//! same delivery id. What a message says is the destinations' modules'.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Semaphore};

use super::webhook::{self, Failure};
use super::{mail, slack, Settings};
use crate::clock::{self, DAY_MS};
use crate::db::handoff::Handoff;
use crate::db::outbox::{Answer, Claimed, Finished, Outcome};
use crate::db::Db;

/// Deliveries in flight at once, per receiver.
pub const IN_FLIGHT: usize = 128;
/// Claims are at least this far apart: under load each is one write for
/// many rows, not one per answer; idle, a claim comes at once.
const CLAIM_EVERY: Duration = Duration::from_millis(10);
/// Outcomes are written at most this often (they are not on the way to
/// the destination; their rows stay leased until then). A crash can thus
/// repeat the deliveries answered in the last 50 ms before it, under the
/// same delivery ids; written every 10 ms, the load bench's ingest with a
/// webhook for every answer fell from about 10,000 to 9,100 posts/s.
const RECORD_EVERY: Duration = Duration::from_millis(50);
/// With fewer permits free than this, the worker waits (briefly) for more
/// before it claims.
const CLAIM_AT_LEAST: usize = 16;
/// A lease outlasts the delivery timeout by this much.
pub const LEASE_SLACK_MS: i64 = 5_000;
/// A notification still failing this long after it was owed is given up.
pub const GIVE_UP_MS: i64 = DAY_MS;
/// The first retry waits about this long; each next one twice as long...
const FIRST_RETRY_MS: i64 = 1_000;
/// ...up to this.
const LONGEST_RETRY_MS: i64 = 10 * 60_000;

/// The wait before attempt `attempts + 1`: `FIRST_RETRY_MS * 2^(attempts-1)`,
/// at most [`LONGEST_RETRY_MS`], of which a random half (`jitter` in
/// 0..1), so that receivers retrying a destination that came back do not
/// all knock at once.
pub fn backoff_ms(attempts: i64, jitter: f64) -> i64 {
    let doublings = attempts.clamp(1, 30) - 1;
    let full = FIRST_RETRY_MS.saturating_mul(1 << doublings).min(LONGEST_RETRY_MS);
    full / 2 + ((full / 2) as f64 * jitter.clamp(0.0, 1.0)) as i64
}

fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    let _ = getrandom::getrandom(&mut bytes);
    f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX)
}

/// Everything a delivery needs.
pub(super) struct Worker {
    pub db: Db,
    pub settings: Settings,
    pub http: reqwest::Client,
    pub mailer: Option<mail::Transport>,
    /// `--public-url`, for links to the inbox.
    pub public_url: Option<String>,
}

impl Worker {
    /// Claims and delivers until the receiver shuts down; then lets the
    /// deliveries in flight finish (they are bounded by the timeout) and
    /// records them.
    pub async fn run(self: Arc<Self>) {
        let lease_ms = self.settings.timeout.as_millis() as i64 + LEASE_SLACK_MS;
        let process = &crate::auth::random_hex()[..12];
        let destinations = self.settings.destinations();
        let permits = Arc::new(Semaphore::new(IN_FLIGHT));
        let (done, outcomes) = mpsc::channel(4 * IN_FLIGHT);
        let recorder = tokio::spawn(record(self.db.clone(), outcomes));
        // New answers' notifications come leased from the writer (see
        // `db::handoff`); claims are for retries, the rows the writer had
        // no room to hand, and other receivers' rows.
        let (hand, mut handed) = mpsc::channel(4 * IN_FLIGHT);
        let handoff = self.db.hand_new_notifications(Handoff::new(process.to_owned(), lease_ms, hand));
        let mut stored = self.db.unhanded();
        let mut closing = self.db.closing();
        let mut claims = 0u64;
        let mut last_claim = tokio::time::Instant::now() - CLAIM_EVERY;
        // Whether the last claim took all it asked for (more may be due):
        // then claim again without waiting to be woken.
        let mut backlog = true;
        while !*closing.borrow() {
            while let Ok((lease, rows)) = handed.try_recv() {
                self.take_handed(handoff, rows, &lease, &permits, &done).await;
            }
            if !backlog {
                tokio::select! {
                    biased;
                    Some((lease, rows)) = handed.recv() => {
                        self.take_handed(handoff, rows, &lease, &permits, &done).await;
                        continue;
                    }
                    _ = stored.changed() => {}
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = closing.changed() => continue,
                }
            }
            if permits.available_permits() < CLAIM_AT_LEAST {
                // Claim in bulk: one claim for each freed permit would cost
                // a write per delivery. Wait until a few are free, but not
                // long, so a destination that hangs does not hold up others.
                let enough = permits.acquire_many(CLAIM_AT_LEAST as u32);
                tokio::select! {
                    enough = enough => drop(enough),
                    () = tokio::time::sleep(Duration::from_millis(50)) => {}
                    _ = closing.changed() => continue,
                }
                if permits.available_permits() == 0 {
                    backlog = true;
                    continue;
                }
            }
            // A claim is a write, and SQLite has one writer: under load, at
            // most one per CLAIM_EVERY (each takes up to IN_FLIGHT rows).
            tokio::time::sleep_until(last_claim + CLAIM_EVERY).await;
            last_claim = tokio::time::Instant::now();
            let free = permits.available_permits();
            claims += 1;
            let lease = format!("{process}-{claims}");
            let now = clock::now_ms();
            backlog = false;
            match self.db.claim(now, now + lease_ms, &lease, free as i64, &destinations).await {
                Ok(rows) if !rows.is_empty() => {
                    backlog = rows.len() >= free;
                    self.take(rows, &lease, &permits, &done).await;
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "notifications: claiming due rows failed"),
            }
        }
        // Wait for what is in flight, then for its outcomes to be written.
        let wait = self.settings.timeout + Duration::from_secs(1);
        let _ = tokio::time::timeout(wait, permits.acquire_many(IN_FLIGHT as u32)).await;
        drop(done);
        let _ = recorder.await;
    }

    /// Delivers rows the writer handed over, counting them taken.
    async fn take_handed(
        self: &Arc<Self>,
        handoff: Option<&Handoff>,
        rows: Vec<Claimed>,
        lease: &str,
        permits: &Arc<Semaphore>,
        done: &mpsc::Sender<Finished>,
    ) {
        if let Some(h) = handoff {
            h.taken(rows.len());
        }
        self.take(rows, lease, permits, done).await;
    }

    /// Delivers rows held under `lease` (claimed, or handed by the writer).
    async fn take(
        self: &Arc<Self>,
        rows: Vec<Claimed>,
        lease: &str,
        permits: &Arc<Semaphore>,
        done: &mpsc::Sender<Finished>,
    ) {
        let ids: Vec<String> = rows.iter().filter_map(|r| r.response_id.clone()).collect();
        match self.db.answers(&ids).await {
            Ok(answers) => self.spawn_all(rows, answers, lease, permits, done).await,
            Err(e) => {
                // The leases run out and the rows are claimed again.
                tracing::warn!(error = %e, "notifications: reading the answers failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }

    async fn spawn_all(
        self: &Arc<Self>,
        rows: Vec<Claimed>,
        answers: HashMap<String, Answer>,
        lease: &str,
        permits: &Arc<Semaphore>,
        done: &mpsc::Sender<Finished>,
    ) {
        for row in rows {
            // Several destinations may owe the same answer.
            let answer = row.response_id.as_ref().and_then(|id| answers.get(id).cloned());
            if row.response_id.is_some() && answer.is_none() {
                // Erased while it waited: nothing to say any more.
                let _ = self.db.forget_notification(&row.delivery_id).await;
                continue;
            }
            let Ok(permit) = permits.clone().acquire_owned().await else { return };
            let (worker, done, lease) = (self.clone(), done.clone(), lease.to_owned());
            tokio::spawn(async move {
                let result = worker.deliver(&row, answer.as_ref()).await;
                let now = clock::now_ms();
                let outcome = match result {
                    Ok(()) => Outcome::Sent,
                    Err(f) if f.permanent || now - row.created_ms >= GIVE_UP_MS => Outcome::Failed { error: f.error },
                    Err(f) => {
                        let wait =
                            backoff_ms(row.attempts, jitter()).max(f.retry_after.map_or(0, |d| d.as_millis() as i64));
                        Outcome::Retry { next_ms: now + wait, error: f.error }
                    }
                };
                match &outcome {
                    Outcome::Sent => tracing::debug!(delivery = row.delivery_id, "notification sent"),
                    // The first failure is a warning; the retries after it
                    // (about 15 an hour each during an outage) are debug
                    // lines, and the admin page shows every row's state.
                    Outcome::Retry { error, .. } if row.attempts <= 1 => {
                        tracing::warn!(delivery = row.delivery_id, error, "notification will be retried")
                    }
                    Outcome::Retry { error, .. } => {
                        tracing::debug!(
                            delivery = row.delivery_id,
                            attempts = row.attempts,
                            error,
                            "notification will be retried"
                        )
                    }
                    Outcome::Failed { error } => {
                        tracing::error!(
                            delivery = row.delivery_id,
                            attempts = row.attempts,
                            error,
                            "notification failed"
                        )
                    }
                }
                let _ = done.send(Finished { delivery_id: row.delivery_id, lease, outcome, at_ms: now }).await;
                drop(permit);
            });
        }
    }

    /// One attempt at one notification.
    async fn deliver(&self, row: &Claimed, answer: Option<&Answer>) -> Result<(), Failure> {
        let timeout = self.settings.timeout;
        let link = |a: &Answer| {
            self.public_url
                .as_deref()
                .map(|base| format!("{base}/inbox?id={}", crate::inbox::url_encode(&a.entry.answer.id)))
        };
        let destination = row.destination.as_str();
        if destination.starts_with("webhook-") {
            let webhooks = &self.settings.webhooks;
            let target = webhooks.iter().find(|t| t.name == destination).ok_or_else(|| unknown(destination))?;
            let answer = answer.ok_or_else(|| unknown(destination))?;
            let secret = self.settings.webhook_secret.as_deref().unwrap_or_default();
            let body = webhook::body(&row.delivery_id, answer);
            let signature = webhook::signature(secret, clock::now_ms() / 1000, &body);
            let headers =
                [("feedback-signature", signature), ("feedback-delivery", webhook::header_value(&row.delivery_id))];
            return webhook::post(&self.http, &target.url, &headers, body, timeout).await;
        }
        match destination {
            "slack" => {
                let target = self.settings.slack.as_ref().ok_or_else(|| unknown(destination))?;
                let answer = answer.ok_or_else(|| unknown(destination))?;
                let body = slack::message(&answer.entry, link(answer).as_deref()).to_string();
                webhook::post(&self.http, &target.url, &[], body, timeout).await
            }
            "mail" => {
                let (Some(mailer), Some(from), Some(answer)) = (&self.mailer, &self.settings.mail_from, answer) else {
                    return Err(unknown(destination));
                };
                let agent_address = match answer.entry.answer.agent_id.as_deref() {
                    Some(agent) => self.db.email_for_agent(agent).await.map_err(storage)?,
                    None => None,
                };
                let Some(to) = agent_address.or_else(|| self.settings.mail_team.clone()) else {
                    return Err(Failure::permanent(
                        "no address: nobody with this agent id has an e-mail address (feedback-receiver user email \
                         NAME ADDR) and there is no --mail-team",
                    ));
                };
                let message =
                    mail::answer_message(from, &to, &row.delivery_id, &answer.entry, link(answer).as_deref())?;
                mail::send(mailer, message).await
            }
            "digest" => {
                let (Some(mailer), Some(from)) = (&self.mailer, &self.settings.mail_from) else {
                    return Err(unknown(destination));
                };
                let (Some(user), Some(day)) = (&row.user_name, &row.day) else { return Err(unknown(destination)) };
                let Some(start) = clock::parse_date(day) else { return Err(unknown(destination)) };
                let Some((email, agent_ids)) = self.db.person(user).await.map_err(storage)? else {
                    return Err(Failure::permanent("no such agent any more"));
                };
                let Some(to) = email else {
                    return Err(Failure::permanent("the agent has no e-mail address any more"));
                };
                let entries = mail::answers_of(&self.db, &agent_ids, start, start + DAY_MS).await.map_err(storage)?;
                if entries.is_empty() {
                    // Erased since: nothing to tell.
                    return Ok(());
                }
                let link = self.public_url.as_deref().map(|base| {
                    let agent = agent_ids.first().map(|a| crate::inbox::url_encode(a)).unwrap_or_default();
                    format!("{base}/inbox?agent={agent}&from={day}&to={day}")
                });
                let message = mail::digest_message(from, &to, &row.delivery_id, day, &entries, link.as_deref())?;
                mail::send(mailer, message).await
            }
            _ => Err(unknown(destination)),
        }
    }
}

fn unknown(destination: &str) -> Failure {
    Failure::permanent(format!("{destination}: not a destination this receiver was started with"))
}

fn storage(e: sqlx::Error) -> Failure {
    tracing::warn!(error = %e, "notifications: a query failed");
    Failure::again("the database did not answer")
}

/// Writes outcomes as they come, many per transaction.
async fn record(db: Db, mut outcomes: mpsc::Receiver<Finished>) {
    let mut batch = Vec::with_capacity(256);
    let mut last = tokio::time::Instant::now() - RECORD_EVERY;
    while outcomes.recv_many(&mut batch, 256).await > 0 {
        // Gather what else finishes meanwhile, into the same write.
        tokio::time::sleep_until(last + RECORD_EVERY).await;
        last = tokio::time::Instant::now();
        while batch.len() < 1024 {
            match outcomes.try_recv() {
                Ok(finished) => batch.push(finished),
                Err(_) => break,
            }
        }
        for attempt in 1..=5 {
            match db.finish(&batch).await {
                Ok(()) => break,
                // Not written: the leases run out and the rows are sent
                // again, under the same delivery ids.
                Err(e) if attempt == 5 => tracing::error!(error = %e, "notifications: recording outcomes failed"),
                Err(e) => {
                    tracing::warn!(error = %e, attempt, "notifications: recording outcomes failed; trying again");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        batch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_with_jitter_up_to_ten_minutes() {
        assert_eq!(backoff_ms(1, 0.0), 500);
        assert_eq!(backoff_ms(1, 1.0), 1_000);
        assert_eq!(backoff_ms(2, 1.0), 2_000);
        assert_eq!(backoff_ms(5, 0.0), 8_000);
        assert_eq!(backoff_ms(11, 1.0), LONGEST_RETRY_MS);
        assert_eq!(backoff_ms(1_000, 0.5), LONGEST_RETRY_MS * 3 / 4);
        // A destination down for an hour is tried about 15 times, not lost.
        let (mut waited, mut attempts) = (0, 0);
        while waited < 3_600_000 {
            attempts += 1;
            waited += backoff_ms(attempts, 1.0);
        }
        assert!((10..30).contains(&attempts), "{attempts}");
    }
}
