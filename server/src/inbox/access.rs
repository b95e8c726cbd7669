//! Who may see the inbox and where a form may come from: the session
//! cookie or the bearer token decides [`Access`]; [`from_our_page`] checks
//! that a form post came from one of the inbox's own pages. It answers
//! questions about a request and renders nothing; signing in and out is
//! `signin`.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::config::Origins;
use crate::{auth, clock, ingest, AppState};

pub enum Access {
    /// No password is configured: the inbox is off.
    Off,
    SignedOut,
    SignedIn,
}

/// A signed session cookie or `Authorization: Bearer <password>`.
pub fn access(state: &AppState, headers: &HeaderMap) -> Access {
    let Some(auth) = &state.auth else { return Access::Off };
    let now = clock::now_ms() / 1000;
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).is_some_and(|v| auth.bearer_matches(v));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| auth::cookie(v, auth::COOKIE))
        .any(|v| auth.session_valid(v, now));
    if bearer || cookie {
        Access::SignedIn
    } else {
        Access::SignedOut
    }
}

/// A form post from one of our own pages (not another site's): its
/// `Origin`, when a browser sends one, must be one of the receiver's own
/// ([`ingest::own_origins`]: `--public-url` exactly when it is set), and
/// `Sec-Fetch-Site` must not say another site. The session cookie is
/// SameSite=Strict as well. The own origins travel in the request's headers
/// (set by the request middleware), so `_trust_proxy` is no longer needed;
/// it stays so that callers need not change.
pub fn from_our_page(headers: &HeaderMap, _trust_proxy: bool) -> bool {
    let site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|site| matches!(site, "same-origin" | "none"));
    if !site_ok {
        return false;
    }
    match ingest::origin_allowed(&Origins::SameOrigin, headers) {
        Ok(()) => true,
        Err(origin) => {
            // The page sees only a refusal; the log says what to change.
            tracing::warn!(origin, "form post refused: not from this receiver's own origin (see --public-url)");
            false
        }
    }
}

/// A 303 to `location` (after a form post, or to the sign-in page).
/// Every redirect goes through [`location`], so a value from a form can
/// never make the header invalid (which left a 303 without a `Location`
/// after the post had already done its work).
pub fn see_other(location: &str) -> Response {
    // location() leaves visible ASCII only, which is always a valid value.
    let value = HeaderValue::from_str(&self::location(location)).unwrap_or(HeaderValue::from_static("/inbox"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response()
}

/// A redirect target as a header can carry it: control characters (C0,
/// DEL, C1; browsers drop some of them from URLs, and a header cannot hold
/// them) are removed, and spaces and anything beyond ASCII are
/// percent-encoded as UTF-8.
pub fn location(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    for c in target.chars().filter(|c| !c.is_control()) {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut utf8 = [0; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_is_always_a_valid_header() {
        let cases = [
            ("/inbox?agent=ada", "/inbox?agent=ada"),
            ("/inbox?\r\nSet-Cookie: a=b", "/inbox?Set-Cookie:%20a=b"),
            ("/inbox?\0x\u{1b}[31m\u{7f}", "/inbox?x[31m"),
            ("/inbox?a=\u{85}\u{9f}\tb", "/inbox?a=b"),
            ("/inbox?agent=Zoë 好", "/inbox?agent=Zo%C3%AB%20%E5%A5%BD"),
            ("/inbox?x=\u{2028}", "/inbox?x=%E2%80%A8"),
        ];
        for (target, want) in cases {
            assert_eq!(location(target), want, "{target:?}");
            let r = see_other(target);
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(r.headers()[header::LOCATION], want);
        }
    }
}
