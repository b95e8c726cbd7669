//! `POST /collect`: the one open route. In order: the client's rate limit,
//! the page's origin, then the payload; a stored answer is never stored
//! twice, and a replay gets the first answer again.

use std::time::Instant;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use serde_json::{json, Value};

use crate::config::Origins;
use crate::db::Stored;
use crate::record::Record;
use crate::{clock, AppState, ClientIp};

pub async fn collect(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if let Some(limit) = &state.limit {
        if let Err(wait) = limit.take(client, Instant::now()) {
            let error = format!("too many posts from this address; retry after {wait} s");
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, wait.to_string())],
                Json(json!({ "error": error })),
            )
                .into_response();
        }
    }
    if let Err(origin) = origin_allowed(&state.origins, &headers, state.trust_proxy) {
        // The browser hides this answer from the page (no CORS grant), so
        // the log is where a missing --allow-origin shows.
        tracing::warn!(origin, "post refused: origin not in --allow-origin");
        let error = format!("origin {origin} may not post here (see --allow-origin)");
        return (StatusCode::FORBIDDEN, Json(json!({ "error": error }))).into_response();
    }
    if let Some(faults) = &state.faults {
        if let Some(answer) = faults.next().await {
            return answer;
        }
    }
    let payload: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(&format!("body is not JSON: {e}")),
    };
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let record = match Record::from_payload(&payload, key) {
        Ok(record) => record,
        Err(reason) => return bad_request(&reason),
    };
    let answer = Json(json!({ "id": record.id(), "stored": true }));
    let id = record.id().to_owned();
    match state.db.insert(record, clock::now_ms()).await {
        Ok(Stored::New) => (StatusCode::CREATED, answer).into_response(),
        // A replay gets the original answer (as 200), marked as a replay.
        Ok(Stored::Replay) => (StatusCode::OK, [("idempotent-replayed", "true")], answer).into_response(),
        Ok(Stored::Conflict) => {
            let error = "id was already used for a different payload";
            (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": error }))).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, id, "storing a payload failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "5")],
                Json(json!({ "error": "storage unavailable" })),
            )
                .into_response()
        }
    }
}

fn bad_request(reason: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": reason }))).into_response()
}

/// Browsers name the posting page's origin; a request without `Origin`
/// (a server, curl) is not a page and is not subject to CORS. The
/// receiver's own origin (the `Host` it was asked for, or with
/// `trust_proxy` the proxy's `X-Forwarded-Host`) is always allowed.
/// Checked on every post, not only on preflights: a `text/plain` post
/// needs no preflight.
pub fn origin_allowed(origins: &Origins, headers: &HeaderMap, trust_proxy: bool) -> Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
    let origin = origin.to_str().unwrap_or("(not text)").to_ascii_lowercase();
    let host = |name: &str| headers.get(name).and_then(|h| h.to_str().ok()).map(str::to_ascii_lowercase);
    let mut own = vec![host("host")];
    if trust_proxy {
        own.push(host("x-forwarded-host"));
    }
    let same = origin
        .split_once("://")
        .is_some_and(|(_, rest)| own.iter().flatten().any(|h| !h.is_empty() && rest == h.trim()));
    let listed = match origins {
        Origins::Any => true,
        Origins::SameOrigin => false,
        Origins::List(list) => list.contains(&origin),
    };
    if same || listed {
        Ok(())
    } else {
        Err(origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn origins() {
        let list = Origins::List(vec!["https://www.example.com".into()]);
        let host = "feedback.example.com";
        let cases = [
            (&Origins::SameOrigin, None, true),
            (&Origins::SameOrigin, Some("https://feedback.example.com"), true),
            (&Origins::SameOrigin, Some("https://www.example.com"), false),
            (&list, Some("https://www.example.com"), true),
            (&list, Some("https://WWW.example.com"), true),
            (&list, Some("http://www.example.com"), false),
            (&list, Some("https://evil.example"), false),
            (&list, Some("null"), false),
            (&Origins::Any, Some("https://anyone.example"), true),
        ];
        for (origins, origin, ok) in cases {
            assert_eq!(origin_allowed(origins, &headers(origin, host), false).is_ok(), ok, "{origins:?} {origin:?}");
        }
        // Behind a proxy that sends its own address as Host.
        let mut proxied = headers(Some("https://feedback.example.com"), "127.0.0.1:8080");
        assert!(origin_allowed(&Origins::SameOrigin, &proxied, true).is_err(), "no X-Forwarded-Host yet");
        proxied.insert("x-forwarded-host", HeaderValue::from_static("feedback.example.com"));
        assert!(origin_allowed(&Origins::SameOrigin, &proxied, true).is_ok());
        assert!(origin_allowed(&Origins::SameOrigin, &proxied, false).is_err(), "only when the proxy is trusted");
    }
}
