//! Who is asking, and whether they may keep guessing: the session cookie
//! or an API token (`Authorization: Bearer`, tokens only, never a
//! password) becomes a [`Principal`]. Every credential path counts its
//! failures per client network (and sign-in also per account) in the
//! database, so several receivers share the counts; past the limit every
//! attempt is answered 429 with `Retry-After`, before anything is checked,
//! so a right guess looks like a wrong one. [`from_our_page`] checks that
//! a form came from one of the inbox's own pages. Nothing here renders a
//! page; signing in and out is `signin`.

use std::net::IpAddr;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::{self, Principal};
use crate::config::Origins;
use crate::{clock, ingest, AppState};

/// Failed attempts a client network may make per window...
pub const CLIENT_FAILURES: i64 = 10;
pub const CLIENT_WINDOW_MS: i64 = 60_000;
/// ...and failed sign-ins an account may take per window.
pub const ACCOUNT_FAILURES: i64 = 10;
pub const ACCOUNT_WINDOW_MS: i64 = 15 * 60_000;

/// Why a request is not let in.
pub enum Denied {
    /// No credential, or a wrong one.
    SignedOut,
    /// Too many failures: wait this many seconds.
    Limited(u64),
    /// The database did not answer.
    Storage(sqlx::Error),
}

impl From<sqlx::Error> for Denied {
    fn from(e: sqlx::Error) -> Self {
        Denied::Storage(e)
    }
}

/// A key whose failures are counted, with its limit.
#[derive(Clone, Debug)]
pub struct Counted {
    key: String,
    max: i64,
    window_ms: i64,
}

impl Counted {
    /// The client's network (an IPv4 address, an IPv6 /64).
    pub fn client(ip: IpAddr) -> Counted {
        Counted {
            key: format!("client:{}", crate::limit::bucket_key(ip)),
            max: CLIENT_FAILURES,
            window_ms: CLIENT_WINDOW_MS,
        }
    }

    /// One account's sign-ins, wherever they come from. The name is kept
    /// as the first 16 bits of its SHA-256: what was typed as a name may
    /// be a password typed in the wrong box, which a whole hash would give
    /// back to a dictionary (a second reading's); one in 65,536 names
    /// shares a counter, and an account could be held by guessing its own
    /// name anyway. (One counter for every name nobody has would tell a
    /// guesser which names exist: it fills first.) In lower case, as
    /// names are one person whatever their case.
    pub fn account(name: &str) -> Counted {
        let key = format!("account:{}", &crate::auth::token_hash(&name.to_lowercase())[..4]);
        Counted { key, max: ACCOUNT_FAILURES, window_ms: ACCOUNT_WINDOW_MS }
    }

    fn window(&self, now_ms: i64) -> i64 {
        now_ms - now_ms.rem_euclid(self.window_ms)
    }

    /// Seconds until the window of `now_ms` ends.
    fn wait(&self, now_ms: i64) -> u64 {
        ((self.window(now_ms) + self.window_ms - now_ms) as u64).div_ceil(1000).max(1)
    }
}

/// Seconds to wait if any of `keys` is at its limit.
pub async fn limited(state: &AppState, keys: &[Counted], now_ms: i64) -> Result<Option<u64>, sqlx::Error> {
    let mut wait = None;
    for k in keys {
        if state.db.failures(&k.key, k.window(now_ms)).await? >= k.max {
            wait = wait.max(Some(k.wait(now_ms)));
        }
    }
    Ok(wait)
}

/// Counts an attempt as a failure against each of `keys` *before* it is
/// checked, so that attempts sent at once each see their own count (a
/// check of the count before, then a failure counted after a slow
/// password hash, let 30 guesses sent together all through); seconds to
/// wait if that took one past its limit. A right attempt is then
/// [`forgiven`].
pub async fn attempt(state: &AppState, keys: &[Counted], now_ms: i64) -> Result<Option<u64>, sqlx::Error> {
    let mut wait = None;
    for k in keys {
        if state.db.add_failure(&k.key, k.window(now_ms)).await? > k.max {
            wait = wait.max(Some(k.wait(now_ms)));
        }
    }
    Ok(wait)
}

/// Takes back what [`attempt`] counted, for an attempt that was right.
pub async fn forgiven(state: &AppState, keys: &[Counted], now_ms: i64) -> Result<(), sqlx::Error> {
    for k in keys {
        state.db.forgive_failure(&k.key, k.window(now_ms)).await?;
    }
    Ok(())
}

/// Counts a failure against each of `keys`.
pub async fn failed(state: &AppState, keys: &[Counted], now_ms: i64) -> Result<(), sqlx::Error> {
    for k in keys {
        state.db.add_failure(&k.key, k.window(now_ms)).await?;
    }
    Ok(())
}

/// The session cookie or API token of a request, checked.
pub async fn access(state: &AppState, headers: &HeaderMap, client: IpAddr) -> Result<Principal, Denied> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let cookie = session_cookie(headers);
    if bearer.is_none() && cookie.is_none() {
        return Err(Denied::SignedOut);
    }
    let now = clock::now_ms();
    let keys = [Counted::client(client)];
    if let Some(wait) = limited(state, &keys, now).await? {
        tracing::warn!(%client, "credential refused unchecked: too many failures");
        return Err(Denied::Limited(wait));
    }
    let found = match (&bearer, &cookie) {
        (Some(token), _) => state.db.token(&auth::token_hash(token), now).await?,
        (None, Some(session)) => state.db.session(&auth::token_hash(session), now).await?,
        (None, None) => None,
    };
    match found {
        Some(principal) => Ok(principal),
        None => {
            failed(state, &keys, now).await?;
            let what = if bearer.is_some() { "bearer token" } else { "session" };
            tracing::warn!(%client, what, "credential refused");
            Err(Denied::SignedOut)
        }
    }
}

/// The session cookie's value, if the request has one: over https only
/// the `__Host-` name ([`auth::cookie_name`]), which no other subdomain
/// can have set.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    let name = auth::cookie_name(secure_cookie(headers));
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| auth::cookie(v, name))
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Whether the session cookie is the `Secure` one for this request, as
/// the request middleware found ([`crate::ingest::SECURE_COOKIE`]).
pub fn secure_cookie(headers: &HeaderMap) -> bool {
    headers.contains_key(crate::ingest::SECURE_COOKIE)
}

/// 429 with `Retry-After`.
pub fn too_many(wait: u64, body: impl IntoResponse) -> Response {
    let mut r = (StatusCode::TOO_MANY_REQUESTS, body).into_response();
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
    r
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

impl Denied {
    /// For the inbox's pages: sign in (coming back to `next`), wait, or a 503.
    pub fn page(self, next: &str) -> Response {
        match self {
            Denied::SignedOut => see_other(&format!("/login?next={}", super::filters::url_encode(next))),
            Denied::Limited(wait) => too_many(wait, super::layout::limited_page(wait)),
            Denied::Storage(e) => super::layout::storage_error(e),
        }
    }

    /// For scripts (JSON, CSV): 401 with `WWW-Authenticate`, 429, or a 503.
    pub fn api(self) -> Response {
        match self {
            Denied::SignedOut => {
                let error = serde_json::json!({ "error": "sign in, or send Authorization: Bearer <API token>" });
                let mut r = (StatusCode::UNAUTHORIZED, axum::Json(error)).into_response();
                r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                r
            }
            Denied::Limited(wait) => too_many(
                wait,
                axum::Json(serde_json::json!({ "error": "too many failed attempts", "retryAfter": wait })),
            ),
            Denied::Storage(e) => super::layout::storage_error(e),
        }
    }
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
