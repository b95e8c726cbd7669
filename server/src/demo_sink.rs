//! The demo's own webhook sink (only with `--static`, which serves the
//! demo page): `cargo xtask demo`
//! points a `--webhook` at `POST /_demo/sink`, which keeps the last 50
//! deliveries in memory, and the demo page shows them from
//! `GET /_demo/sink` as they arrive, signature checked. Not for
//! production: a real destination is another service.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

/// Deliveries kept.
const KEPT: usize = 50;

#[derive(Clone, Default)]
pub struct Sink {
    kept: Arc<Mutex<VecDeque<Value>>>,
    /// `--demo-sink`: keep what is posted.
    enabled: bool,
}

pub fn routes(enabled: bool) -> Router {
    Router::new().route("/_demo/sink", post(receive).get(list)).with_state(Sink { enabled, ..Sink::default() })
}

async fn receive(State(sink): State<Sink>, headers: HeaderMap, body: Bytes) -> (StatusCode, &'static str) {
    if !sink.enabled {
        return (StatusCode::NOT_FOUND, "start the receiver with --demo-sink to keep deliveries here");
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let payload: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let entry = json!({
        "arrivedAt": crate::clock::rfc3339(crate::clock::now_ms()),
        "delivery": header("feedback-delivery"),
        "signed": header("feedback-signature").contains("v1="),
        "body": payload,
    });
    let mut kept = sink.kept.lock().unwrap_or_else(|e| e.into_inner());
    kept.push_front(entry);
    kept.truncate(KEPT);
    (StatusCode::OK, "ok")
}

async fn list(State(sink): State<Sink>) -> Json<Vec<Value>> {
    Json(sink.kept.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect())
}
