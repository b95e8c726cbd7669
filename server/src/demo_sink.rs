//! The demo's own webhook sink (only with `--static`, which serves the
//! demo page): `cargo xtask demo`
//! points a `--webhook` at `POST /_demo/sink`, which keeps the last 50
//! deliveries in memory, and the demo page shows them from
//! `GET /_demo/sink` as they arrive, each marked `signed` only when its
//! `Feedback-Signature` verifies with `--webhook-secret` (its age is not
//! checked, as a real destination's should be: see the guide's snippets). Not for
//! production (anyone who can reach the receiver reads what it kept): a
//! real destination is another service.

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
    /// `--webhook-secret`, to verify signatures with.
    secret: Option<Arc<str>>,
}

pub fn routes(enabled: bool, secret: Option<&str>) -> Router {
    let sink = Sink { enabled, secret: secret.map(Arc::from), ..Sink::default() };
    Router::new().route("/_demo/sink", post(receive).get(list)).with_state(sink)
}

/// Whether `header` (`t=<secs>,v1=<hex>`) is the signature of `body` with
/// `secret`, as a destination checks it.
fn verifies(secret: &str, header: &str, body: &[u8]) -> bool {
    let t = header.split(',').find_map(|part| part.strip_prefix("t=")).and_then(|t| t.parse::<i64>().ok());
    match (t, std::str::from_utf8(body)) {
        (Some(t), Ok(body)) => crate::notify::webhook::signature(secret, t, body) == header,
        _ => false,
    }
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
        "signed": sink.secret.as_deref().is_some_and(|secret| verifies(secret, &header("feedback-signature"), &body)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_real_signature_verifies() {
        let body = br#"{"deliveryId":"d","payload":{}}"#;
        let good = crate::notify::webhook::signature(
            "a secret of 16 chars",
            1_700_000_000,
            std::str::from_utf8(body).unwrap(),
        );
        assert!(verifies("a secret of 16 chars", &good, body));
        for forged in [good.replace("v1=", "v1=0"), "t=1700000000,v1=00".into(), "v1=".into(), String::new()] {
            assert!(!verifies("a secret of 16 chars", &forged, body), "{forged}");
        }
        assert!(!verifies("another secret here", &good, body));
        assert!(!verifies("a secret of 16 chars", &good, b"{}"));
    }
}
