//! The generic webhook: a `POST` of `{deliveryId, receivedAt, payload}`
//! (the payload as stored), signed as Stripe and GitHub sign theirs:
//! `Feedback-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
//! with `--webhook-secret`, and `Feedback-Delivery: <delivery id>` for
//! de-duplication. Also the one HTTP `POST` every web destination uses
//! ([`post`]), whose failures say what happened without the URL (which
//! may hold a token). When to send, and again, is the worker's.

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::value::RawValue;
use sha2::Sha256;

use crate::db::outbox::Answer;

/// Why a delivery did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// A sentence without secrets (no URL, no address with a password).
    pub error: String,
    /// Trying again cannot help (an e-mail without an address).
    pub permanent: bool,
    /// The destination asked us to wait this long (`Retry-After`).
    pub retry_after: Option<Duration>,
}

impl Failure {
    pub fn again(error: impl Into<String>) -> Failure {
        Failure { error: error.into(), permanent: false, retry_after: None }
    }

    pub fn permanent(error: impl Into<String>) -> Failure {
        Failure { error: error.into(), permanent: true, retry_after: None }
    }
}

/// The body of a delivery: `{"deliveryId", "receivedAt", "payload"}`, the
/// payload byte for byte as stored (checked to be JSON, not re-parsed into
/// a tree and re-written: a delivery costs about as much as the post that
/// owed it, and this is its share of that).
pub fn body(delivery_id: &str, answer: &Answer) -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Body<'a> {
        delivery_id: &'a str,
        received_at: &'a str,
        payload: Option<&'a RawValue>,
    }
    let payload = serde_json::from_str::<&RawValue>(&answer.body).ok();
    let body = Body { delivery_id, received_at: &answer.received_at, payload };
    serde_json::to_string(&body).unwrap_or_default()
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under secret>`.
pub fn signature(secret: &str, unix_seconds: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={unix_seconds},v1={}", crate::auth::hex(&mac.finalize().into_bytes()))
}

/// `text` fit for an HTTP header: ASCII as is, every byte outside it (a
/// payload id may be any text without control characters: "ответ 1",
/// "好") percent-encoded, so that no receiver's HTTP parser has to guess at
/// raw UTF-8 in a header, and `%` and the space too: an id of U+202E and x
/// and an id "%E2%80%AEx" gave one header, and a consumer de-duplicating
/// on it (as docs/receiver.md advises) dropped the second answer (an
/// outsider's find); "a" and "a " did too, as HTTP drops the space at a
/// value's end (a second reading's). An ASCII id without `%` or a space
/// keeps the header it had before this encoding (a retry across an upgrade
/// carries the same one). The body carries the id as it is.
pub fn header_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_graphic() && b != b'%' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// POSTs `body` as JSON with `headers`; a 2xx answer is a success.
pub async fn post(
    client: &reqwest::Client,
    url: &str,
    headers: &[(&str, String)],
    body: String,
    timeout: Duration,
) -> Result<(), Failure> {
    let mut request = client
        .post(url)
        .timeout(timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(reqwest::header::USER_AGENT, concat!("feedback-receiver/", env!("CARGO_PKG_VERSION")));
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.body(body).send().await.map_err(|e| {
        let e = e.without_url();
        if e.is_timeout() {
            Failure::again(format!("no answer within {} s", timeout.as_secs()))
        } else if e.is_connect() {
            Failure::again("could not connect")
        } else {
            Failure::again(format!("the request failed: {e}"))
        }
    })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| retry_after(v, std::time::SystemTime::now()));
    Err(Failure {
        error: format!("answered HTTP {}", status.as_u16()),
        permanent: refused_for_good(status),
        retry_after,
    })
}

/// A `Retry-After` value (RFC 9110: seconds, or an HTTP date) as the wait
/// from `now`, at most an hour; a date already past is no wait.
pub fn retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => httpdate::parse_http_date(value).ok()?.duration_since(now).unwrap_or_default(),
    };
    Some(wait.min(Duration::from_secs(3600)))
}

/// A destination's answer about the notification itself, which trying
/// again will not change: 400 (malformed for it), 410 (gone), 413 (too
/// large), 415 and 422 (not a body it takes). Such a notification is
/// marked failed at once (an admin can resend it). Any other answer is
/// retried with back-off for a day, also a 401, 403 or 404: those say
/// more about the destination's set-up, which a deploy or a fixed
/// credential may put right within the hour, than about this message.
pub fn refused_for_good(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 400 | 410 | 413 | 415 | 422)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn delivery_headers_are_ascii_and_tell_every_id_apart() {
        let ids = ["c2b1-9", "ответ 1", "\u{202e}abc", "%E2%80%AEabc", "100%", "100%25", "a b", "a", "a ", " a"];
        let headers: Vec<String> = ids.iter().map(|id| header_value(id)).collect();
        for (id, header) in ids.iter().zip(&headers) {
            assert!(header.bytes().all(|b| b.is_ascii_graphic()), "{id}: {header}");
        }
        let distinct: std::collections::HashSet<&String> = headers.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{headers:?}");
        assert_eq!(header_value("c2b1-9"), "c2b1-9", "a UUID-like id as it was");
        assert_eq!(header_value("ответ"), "%D0%BE%D1%82%D0%B2%D0%B5%D1%82");
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let date = |secs: u64| httpdate::fmt_http_date(now + Duration::from_secs(secs));
        let cases = [
            ("30".to_owned(), Some(30)),
            (" 120 ".to_owned(), Some(120)),
            ("99999".to_owned(), Some(3600)),
            (date(90), Some(90)),
            (date(7200), Some(3600)),
            (httpdate::fmt_http_date(now - Duration::from_secs(60)), Some(0)),
            ("soon".to_owned(), None),
            ("-5".to_owned(), None),
        ];
        for (value, secs) in cases {
            assert_eq!(retry_after(&value, now), secs.map(Duration::from_secs), "{value}");
        }
    }

    #[test]
    fn only_an_answer_about_the_message_is_final() {
        let cases = [
            (200, false),
            (400, true),
            (401, false),
            (403, false),
            (404, false),
            (408, false),
            (410, true),
            (413, true),
            (415, true),
            (422, true),
            (425, false),
            (429, false),
            (500, false),
            (503, false),
        ];
        for (code, final_) in cases {
            assert_eq!(refused_for_good(reqwest::StatusCode::from_u16(code).unwrap()), final_, "{code}");
        }
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_the_timestamp_and_body() {
        // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test_secret_123'
        assert_eq!(
            signature("whsec_test_secret_123", 1_700_000_000, r#"{"a":1}"#),
            "t=1700000000,v1=e89dcbfdce3392fb275033fb083d8c81e095a63bf687d9a2cd50e7d5f55e21f6"
        );
    }

    #[test]
    fn the_body_carries_the_stored_payload() {
        let mut payload = feedback_contract::Payload::new("p-1".into(), feedback_contract::Kind::Response);
        payload.effort = Some(2);
        let entry = crate::db::Entry::new(payload, 0);
        let answer = Answer {
            entry,
            body: r#"{"id":"p-1","kind":"response","effort":2}"#.into(),
            received_at: "2026-11-27T10:00:00.000Z".into(),
        };
        let v: Value = serde_json::from_str(&body("webhook-1:p-1", &answer)).unwrap();
        assert_eq!(
            v,
            json!({"deliveryId": "webhook-1:p-1", "receivedAt": "2026-11-27T10:00:00.000Z",
                   "payload": {"id": "p-1", "kind": "response", "effort": 2}})
        );
        // The payload goes as stored, its keys in their order, not re-written.
        assert!(body("d", &answer).ends_with(r#""payload":{"id":"p-1","kind":"response","effort":2}}"#));
        let broken = Answer { body: "{not json".into(), ..answer };
        assert_eq!(body("d", &broken), r#"{"deliveryId":"d","receivedAt":"2026-11-27T10:00:00.000Z","payload":null}"#);
    }
}
