//! The live inbox: `GET /inbox/events`, a stream of server-sent events
//! (one `answer` event per new answer), and `GET /inbox/live.js`, the one
//! script the inbox's CSP allows, which adds them to the page. The stream
//! has the page's sign-in and the page's clauses: the reader's scope (an
//! agent gets only their own answers) and the page's filters, so it can
//! never carry a row the page would not show. It reads what the
//! follow-ups show (scope, agent, channel, dates) and says of each answer
//! whether the list's own filters (kind, score, comment) take it too.
//! New rows are found by querying, woken by this receiver's writer and
//! every few seconds (for rows other receivers stored), so it works behind
//! a load balancer too. It starts where the page was read (`since`) or,
//! for a browser reconnecting, after the last event it got (each event's
//! id is its `received_ms`, which comes back as `Last-Event-ID`), a few
//! seconds early; the script skips what it already shows.
//! The session is checked again every [`RECHECK`]: a signed-out or
//! revoked one ends its stream. The page itself is `page`'s and works
//! without the script.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use feedback_contract::Kind;
use serde_json::json;

use super::access::access;
use super::filters::Filter;
use super::layout::secure;
use crate::db::{Clause, Entry, Param};
use crate::{clock, AppState, ClientIp};

/// How often the session behind a stream is checked again.
pub const RECHECK: Duration = Duration::from_secs(30);
/// How often the database is asked even when this receiver stored nothing.
const POLL: Duration = Duration::from_secs(3);
/// A row's `received_ms` is set before its batch commits, so rows can
/// appear out of order by up to a batch (or another receiver's clock):
/// each query looks back this far, and ids already sent are skipped.
const LOOK_BACK_MS: i64 = 10_000;
/// Rows read per query at most.
const ROWS: i64 = 200;
/// A stream catches up at most this far back (a page left open while its
/// computer slept shows the rest after a reload).
const CATCH_UP_MS: i64 = 3_600_000;

pub async fn script() -> Response {
    let mut r = include_str!("../../assets/live.js").into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// `GET /inbox/events?<the page's filters>`.
pub async fn events(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let who = match access(&state, &headers, client).await {
        Ok(who) => who,
        Err(denied) => return denied.api(),
    };
    let filter = Filter::from_query(&q, who.scope.clone());
    let clause = filter.base(&mut Vec::new());
    let since_ms = start_ms(&headers, &q, clock::now_ms());
    let live = Live {
        stored: state.db.stored(),
        closing: state.db.closing(),
        state,
        headers,
        client,
        filter,
        clause,
        since_ms,
        sent: HashMap::new(),
        queue: VecDeque::new(),
        checked: Instant::now(),
    };
    let stream = futures_util::stream::unfold(live, |mut live| async move {
        let event = live.next().await?;
        Some((Ok::<Event, Infallible>(event), live))
    });
    let mut r = Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response();
    let h = r.headers_mut();
    secure(h);
    // Proxies (nginx) must pass events on as they come.
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    r
}

/// One reader's stream.
struct Live {
    state: AppState,
    headers: HeaderMap,
    client: std::net::IpAddr,
    /// The page's filters, with this reader's scope.
    filter: Filter,
    /// What the follow-ups are read with: the scope, agent, channel, dates.
    clause: Clause,
    stored: tokio::sync::watch::Receiver<u64>,
    closing: tokio::sync::watch::Receiver<bool>,
    /// Only answers received from then on (the page showed the rest).
    since_ms: i64,
    /// Ids sent, with when they were received (forgotten past the look-back).
    sent: HashMap<String, i64>,
    queue: VecDeque<Entry>,
    checked: Instant,
}

impl Live {
    /// The next event; `None` ends the stream (shutting down, signed out).
    async fn next(&mut self) -> Option<Event> {
        loop {
            if *self.closing.borrow() {
                return None;
            }
            if let Some(e) = self.queue.pop_front() {
                return Some(event(&e, self.filter.narrows_to(&e)));
            }
            if self.checked.elapsed() >= RECHECK {
                access(&self.state, &self.headers, self.client).await.ok()?;
                self.checked = Instant::now();
            }
            match self.read().await {
                Ok(()) if !self.queue.is_empty() => continue,
                Ok(()) => {}
                Err(e) => tracing::warn!(error = %e, "live inbox: query failed"),
            }
            tokio::select! {
                _ = self.stored.changed() => {}
                () = tokio::time::sleep(POLL) => {}
                _ = self.closing.changed() => {}
            }
        }
    }

    /// Queues the rows not sent yet that the page shows, in the order
    /// received. The first page of rows starts a look-back before the
    /// newest sent (for rows that committed late); while a page is full
    /// the next one starts after its last row, so that more rows than a
    /// page in the look-back never hold the stream on the ones it sent.
    async fn read(&mut self) -> Result<(), sqlx::Error> {
        let newest = self.sent.values().copied().max().unwrap_or(self.since_ms);
        let from = (newest - LOOK_BACK_MS).max(self.since_ms);
        self.sent.retain(|_, ms| *ms >= from);
        let mut after: Option<(i64, String)> = None;
        loop {
            let mut clause = self.clause.clone();
            clause.and("received_ms >= ?", [Param::Int(from)]);
            if let Some((ms, id)) = after.take() {
                clause.and(
                    "received_ms > ? OR (received_ms = ? AND id > ?)",
                    [Param::Int(ms), Param::Int(ms), Param::Text(id)],
                );
            }
            let rows = self.state.db.entries(&clause, "received_ms ASC, id ASC", ROWS).await?;
            let full = rows.len() as i64 >= ROWS;
            after = rows.last().map(|e| (e.received_ms, e.answer.id.clone()));
            for e in rows {
                if self.sent.contains_key(&e.answer.id) {
                    continue;
                }
                self.sent.insert(e.answer.id.clone(), e.received_ms);
                if self.filter.narrows_to(&e) || open_follow_up(&e) {
                    self.queue.push_back(e);
                }
            }
            if !full || self.queue.len() >= ROWS as usize {
                return Ok(());
            }
        }
    }
}

/// Where a stream starts: a few seconds ([`LOOK_BACK_MS`]) before the
/// `Last-Event-ID` of a browser reconnecting (the `received_ms` of the
/// last event it got) or the page's `since` (when it was read), and at
/// most [`CATCH_UP_MS`] ago; without either, now.
fn start_ms(headers: &HeaderMap, q: &HashMap<String, String>, now: i64) -> i64 {
    let last_event = headers.get("last-event-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let asked = last_event.or_else(|| q.get("since").cloned()).and_then(|v| v.trim().parse::<i64>().ok());
    match asked {
        Some(ms) => ms.min(now).saturating_sub(LOOK_BACK_MS).max(now - CATCH_UP_MS),
        None => now,
    }
}

/// A follow-up the page's follow-ups section shows (nobody marked it yet).
fn open_follow_up(e: &Entry) -> bool {
    e.answer.kind == Kind::Response && e.answer.follow_up && e.followed_up_ms.is_none()
}

/// An `answer` event: what the list and the follow-up cards show, whether
/// the list takes it (`list`; the follow-ups take it when `followUp`).
fn event(e: &Entry, list: bool) -> Event {
    let a = &e.answer;
    let data = json!({
        "id": a.id,
        "received": clock::short(e.received_ms),
        "agent": a.agent_id,
        "channel": a.channel,
        "what": e.what(),
        "reasons": e.reasons(),
        "effort": a.effort,
        "comment": a.comment,
        "followUp": open_follow_up(e),
        "list": list,
        "conversation": a.conversation_id,
    });
    // The event id is when it was received (a number: a payload id could
    // hold a line break, which an event id cannot); a reconnecting browser
    // sends it back as `Last-Event-ID`.
    Event::default().event("answer").id(e.received_ms.to_string()).data(data.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_starts_at_most_an_hour_back_whatever_it_is_sent() {
        let now = 1_800_000_000_000;
        let since = |v: &str| HashMap::from([("since".to_owned(), v.to_owned())]);
        let none = HeaderMap::new();
        assert_eq!(start_ms(&none, &HashMap::new(), now), now);
        assert_eq!(start_ms(&none, &since("abc"), now), now);
        assert_eq!(start_ms(&none, &since(&(now - 1_000).to_string()), now), now - 1_000 - LOOK_BACK_MS);
        assert_eq!(start_ms(&none, &since("99999999999999"), now), now - LOOK_BACK_MS, "the future is now");
        for far_back in ["0", "-1", &i64::MIN.to_string()] {
            assert_eq!(start_ms(&none, &since(far_back), now), now - CATCH_UP_MS, "{far_back}");
        }
        let mut last = HeaderMap::new();
        last.insert("last-event-id", HeaderValue::from_static("-9223372036854775808"));
        assert_eq!(start_ms(&last, &since("abc"), now), now - CATCH_UP_MS, "Last-Event-ID first, no overflow");
    }
}
