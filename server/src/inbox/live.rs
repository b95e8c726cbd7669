//! The live inbox: `GET /inbox/events`, a stream of server-sent events
//! (one `answer` event per new answer), and `GET /inbox/live.js`, the one
//! script the inbox's CSP allows, which adds them to the page. The stream
//! has the page's sign-in and the page's clause: the reader's scope (an
//! agent gets only their own answers) and the page's filters, so it can
//! never carry a row the page would not show. New rows are found by
//! querying, woken by this receiver's writer and every few seconds (for
//! rows other receivers stored), so it works behind a load balancer too.
//! The session is checked again every [`RECHECK`]: a signed-out or
//! revoked one ends its stream. The page itself is `page`'s and works
//! without the script.

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Extension;
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
    let clause = filter.list(&mut Vec::new());
    let live = Live {
        stored: state.db.stored(),
        closing: state.db.closing(),
        state,
        headers,
        client,
        clause,
        since_ms: clock::now_ms(),
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
    /// The page's clause for this reader (scope and filters).
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
                return Some(event(&e));
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

    /// Queues the rows not sent yet.
    async fn read(&mut self) -> Result<(), sqlx::Error> {
        let newest = self.sent.values().copied().max().unwrap_or(self.since_ms);
        let from = (newest - LOOK_BACK_MS).max(self.since_ms);
        let mut clause = self.clause.clone();
        clause.and("received_ms >= ?", [Param::Int(from)]);
        let rows = self.state.db.entries(&clause, "received_ms ASC, id ASC", ROWS).await?;
        self.sent.retain(|_, ms| *ms >= from);
        let already: HashSet<&String> = self.sent.keys().collect();
        let fresh: Vec<Entry> = rows.into_iter().filter(|e| !already.contains(&e.id)).collect();
        for e in fresh {
            self.sent.insert(e.id.clone(), e.received_ms);
            self.queue.push_back(e);
        }
        Ok(())
    }
}

/// An `answer` event: what the list and the follow-up cards show.
fn event(e: &Entry) -> Event {
    let data = json!({
        "id": e.id,
        "received": clock::short(e.received_ms),
        "agent": e.agent_id,
        "channel": e.channel,
        "what": e.what(),
        "reasons": e.reasons,
        "effort": e.effort,
        "comment": e.comment,
        "followUp": e.follow_up && e.followed_up_ms.is_none() && e.kind == "response",
        "conversation": e.conversation_id,
    });
    // No `id:` field: a payload id could hold a line break, which an event id cannot.
    Event::default().event("answer").data(data.to_string())
}
