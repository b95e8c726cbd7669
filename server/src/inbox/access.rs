//! Who may see the inbox and where a form may come from: the session
//! cookie or the bearer token decides [`Access`]; [`from_our_page`] checks
//! that a form post came from one of the inbox's own pages. It answers
//! questions about a request and renders nothing; signing in and out is
//! `signin`.

use axum::http::{header, HeaderMap, StatusCode};
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

/// A form post from one of our own pages (not another site's): the
/// session cookie is SameSite=Strict as well.
pub fn from_our_page(headers: &HeaderMap, trust_proxy: bool) -> bool {
    let site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|site| matches!(site, "same-origin" | "none"));
    site_ok && ingest::origin_allowed(&Origins::SameOrigin, headers, trust_proxy).is_ok()
}

/// A 303 to `location` (after a form post, or to the sign-in page).
pub fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_owned())]).into_response()
}
