//! Misbehaving on purpose, for delivery tests (`--faults` only): a queue of
//! answers for the next posts to `/collect`, and counts of what was seen.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;

#[derive(Default)]
pub struct Faults {
    queue: Mutex<VecDeque<Fault>>,
    posts: AtomicU64,
    preflights: AtomicU64,
}

/// One answer to give instead of storing: a status (0 keeps the normal
/// answer, after the delay), an optional `Retry-After` in seconds, and a
/// delay before answering.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    #[serde(default)]
    status: u16,
    retry_after: Option<u32>,
    #[serde(default)]
    delay_ms: u64,
}

impl Faults {
    /// The answer for the next post, if a fault is queued.
    pub async fn next(&self) -> Option<Response> {
        let fault = self.queue.lock().await.pop_front()?;
        if fault.delay_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(fault.delay_ms.min(30_000))).await;
        }
        if fault.status == 0 {
            return None;
        }
        let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(json!({ "error": "injected fault" }))).into_response();
        if let Some(seconds) = fault.retry_after {
            if let Ok(value) = seconds.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        Some(response)
    }
}

/// `POST /_faults` with `[{"status": 503}, {"status": 429, "retryAfter": 2}]`.
pub async fn add(State(state): State<crate::AppState>, Json(faults): Json<Vec<Fault>>) -> StatusCode {
    if let Some(f) = &state.faults {
        f.queue.lock().await.extend(faults);
    }
    StatusCode::NO_CONTENT
}

/// `GET /_stats`: posts to `/collect` and CORS preflights seen so far.
pub async fn stats(State(state): State<crate::AppState>) -> Json<serde_json::Value> {
    let f = state.faults.as_ref();
    let get = |c: fn(&Faults) -> &AtomicU64| f.map_or(0, |f| c(f).load(Ordering::SeqCst));
    Json(json!({ "posts": get(|f| &f.posts), "preflights": get(|f| &f.preflights) }))
}

/// Counts posts and preflights to `/collect`.
pub async fn count(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    if request.uri().path() == "/collect" {
        match *request.method() {
            Method::POST => faults.posts.fetch_add(1, Ordering::SeqCst),
            Method::OPTIONS => faults.preflights.fetch_add(1, Ordering::SeqCst),
            _ => 0,
        };
    }
    next.run(request).await
}
