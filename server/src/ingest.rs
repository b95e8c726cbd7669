//! `POST /collect`: the one open route. In order: the client's rate limit,
//! the page's origin, then the payload; a stored answer is never stored
//! twice, and a replay gets the first answer again.

use std::time::Instant;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
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
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let headers = parts.headers;
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
    if let Err(origin) = origin_allowed(&state.origins, &headers) {
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
    // JSON, or `text/plain` (simple-request mode, `sendBeacon`), or no type
    // at all; not a form, whose body is no payload.
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !matches!(essence.as_str(), "" | "application/json" | "text/plain") {
        let error = format!("Content-Type {} cannot carry a payload: send application/json", crate::record::cut(kind));
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, Json(json!({ "error": error }))).into_response();
    }
    // Past the body limit: JSON like every other refusal, so a sender can
    // show why; refused from `Content-Length` alone before a byte is read
    // (and before `Expect: 100-continue` is answered).
    let too_large = || {
        let error = format!(
            "the body is over {} bytes, the most any valid payload takes (see the payload's limits)",
            crate::BODY_LIMIT
        );
        (StatusCode::PAYLOAD_TOO_LARGE, Json(json!({ "error": error }))).into_response()
    };
    let announced = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|n| n > crate::BODY_LIMIT as u64) {
        return too_large();
    }
    let body = match axum::body::to_bytes(body, crate::BODY_LIMIT).await {
        Ok(body) => body,
        Err(e) if std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>()) => {
            return too_large();
        }
        // A body that broke off.
        Err(e) => {
            let error = format!("the body could not be read: {e}");
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response();
        }
    };
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

/// The receiver's own origins for this request, as the request middleware
/// found them ([`own_origins`]): set on every request after removing any
/// copy the client sent, and read by [`origin_allowed`]. An internal
/// header rather than a parameter because the form handlers' checks see
/// only the headers.
pub const OWN_ORIGINS: HeaderName = HeaderName::from_static("x-feedback-receiver-own-origins");

/// Present (with the value `1`) when the session cookie of this request is
/// the `Secure` one (`--cookie-secure`, or the request came over https as
/// `Shared::over_https` found it): set by the request middleware after
/// removing any copy the client sent, read where only the headers are at
/// hand ([`crate::inbox::access::secure_cookie`]).
pub const SECURE_COOKIE: HeaderName = HeaderName::from_static("x-feedback-receiver-secure-cookie");

/// The origins a page of this receiver has, for this request:
///
/// - with `--public-url`, that URL alone; `Host` is not consulted, so a
///   name that DNS rebinding points at us is not "our" origin;
/// - without it, the `Host` the request names (and `X-Forwarded-Host`,
///   which only a trusted proxy can have sent), over http or https, but
///   only when that host is an IP address or `localhost` (which DNS cannot
///   rebind), or the request came through a trusted proxy (whose own
///   routing by name decided it is for us).
pub fn own_origins(public_url: Option<&str>, via_proxy: bool, headers: &HeaderMap) -> Vec<String> {
    if let Some(url) = public_url {
        return vec![url.to_owned()];
    }
    let mut hosts: Vec<String> = Vec::new();
    for name in [header::HOST, HeaderName::from_static("x-forwarded-host")] {
        for value in headers.get_all(name).iter().filter_map(|v| v.to_str().ok()) {
            hosts.extend(value.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()));
        }
    }
    hosts
        .into_iter()
        .filter(|h| via_proxy || not_rebindable(h))
        .flat_map(|h| [format!("http://{h}"), format!("https://{h}")])
        .collect()
}

/// `host[:port]` names an IP address or `localhost`, which no DNS answer
/// can make point somewhere else.
fn not_rebindable(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => return v6.split_once(']').is_some_and(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().is_ok()),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name == "localhost" || name.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Browsers name the posting page's origin; a request without `Origin`
/// (a server, curl) is not a page and is not subject to CORS. The
/// receiver's own origins ([`OWN_ORIGINS`]) are always allowed, compared
/// exactly. Checked on every post, not only on preflights: a `text/plain`
/// post needs no preflight.
pub fn origin_allowed(origins: &Origins, headers: &HeaderMap) -> Result<(), String> {
    let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
    let origin = origin.to_str().unwrap_or("(not text)").to_ascii_lowercase();
    let same = headers
        .get(OWN_ORIGINS)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|own| own.split(' ').any(|o| !o.is_empty() && o == origin));
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

    /// A request's headers after the middleware: `Host`, any
    /// `X-Forwarded-Host`, and the own origins found from them.
    fn request(public_url: Option<&str>, via_proxy: bool, host: &str, forwarded: Option<&str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(f) = forwarded {
            h.insert("x-forwarded-host", HeaderValue::from_str(f).unwrap());
        }
        let own = own_origins(public_url, via_proxy, &h).join(" ");
        h.insert(OWN_ORIGINS, HeaderValue::from_str(&own).unwrap());
        h
    }

    fn with_origin(mut h: HeaderMap, origin: Option<&str>) -> HeaderMap {
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn origins() {
        let list = Origins::List(vec!["https://www.example.com".into()]);
        let own = || request(None, false, "127.0.0.1:8080", None);
        let cases = [
            (&Origins::SameOrigin, None, true),
            (&Origins::SameOrigin, Some("http://127.0.0.1:8080"), true),
            (&Origins::SameOrigin, Some("https://www.example.com"), false),
            (&list, Some("https://www.example.com"), true),
            (&list, Some("https://WWW.example.com"), true),
            (&list, Some("http://www.example.com"), false),
            (&list, Some("https://evil.example"), false),
            (&list, Some("null"), false),
            (&list, Some("http://127.0.0.1:8080"), true),
            (&Origins::Any, Some("https://anyone.example"), true),
        ];
        for (origins, origin, ok) in cases {
            assert_eq!(origin_allowed(origins, &with_origin(own(), origin)).is_ok(), ok, "{origins:?} {origin:?}");
        }
        // Without the middleware's header nothing is our own origin.
        let bare = with_origin(HeaderMap::new(), Some("http://127.0.0.1:8080"));
        assert!(origin_allowed(&Origins::SameOrigin, &bare).is_err());
    }

    /// Public URL, through a trusted proxy, Host, X-Forwarded-Host, Origin, allowed.
    type Case = (Option<&'static str>, bool, &'static str, Option<&'static str>, &'static str, bool);

    #[test]
    fn own_origin_is_the_public_url_or_a_host_dns_cannot_rebind() {
        let public = Some("https://feedback.example.com");
        let cases: [Case; 19] = [
            // Without --public-url: IP literals and localhost, either scheme.
            (None, false, "127.0.0.1:8080", None, "http://127.0.0.1:8080", true),
            (None, false, "127.0.0.1:8080", None, "https://127.0.0.1:8080", true),
            (None, false, "127.0.0.1:8080", None, "http://127.0.0.1:9090", false),
            (None, false, "[::1]:8080", None, "http://[::1]:8080", true),
            (None, false, "localhost:8080", None, "http://localhost:8080", true),
            (None, false, "LocalHost:8080", None, "http://localhost:8080", true),
            (None, false, "192.0.2.2", None, "http://192.0.2.2", true),
            // A name is refused: DNS rebinding sends Host and Origin alike.
            (None, false, "rebind.attacker.example:8080", None, "http://rebind.attacker.example:8080", false),
            (None, false, "feedback.example.com", None, "https://feedback.example.com", false),
            (None, false, "localhost.attacker.example", None, "http://localhost.attacker.example", false),
            (None, false, "[not-an-ip]:80", None, "http://[not-an-ip]:80", false),
            // Through a trusted proxy, its Host or X-Forwarded-Host.
            (None, true, "feedback.example.com", None, "https://feedback.example.com", true),
            (None, true, "127.0.0.1:8080", Some("feedback.example.com"), "https://feedback.example.com", true),
            // With --public-url: that origin exactly, whatever Host says.
            (public, false, "127.0.0.1:8080", None, "https://feedback.example.com", true),
            (public, false, "feedback.example.com", None, "https://feedback.example.com", true),
            (public, false, "127.0.0.1:8080", None, "http://127.0.0.1:8080", false),
            (public, false, "feedback.example.com", None, "http://feedback.example.com", false),
            (public, false, "rebind.attacker.example", None, "http://rebind.attacker.example", false),
            (public, true, "127.0.0.1:8080", Some("rebind.attacker.example"), "https://rebind.attacker.example", false),
        ];
        for (public_url, via_proxy, host, forwarded, origin, ok) in cases {
            let h = with_origin(request(public_url, via_proxy, host, forwarded), Some(origin));
            assert_eq!(
                origin_allowed(&Origins::SameOrigin, &h).is_ok(),
                ok,
                "{public_url:?} proxy={via_proxy} Host {host} X-Forwarded-Host {forwarded:?} Origin {origin}"
            );
        }
    }
}
