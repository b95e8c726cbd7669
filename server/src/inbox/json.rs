//! The inbox's JSON for scripts and the demo page: `GET /responses` (the
//! newest rows, behind the same sign-in or a bearer token) and
//! `GET /inbox/session` (whether this browser is signed in). No HTML.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::access::{access, Access};
use super::layout::{off, secure, storage_error};
use crate::AppState;

/// Rows `GET /responses` returns, newest first.
const RECENT: i64 = 500;

/// `{"signedIn": bool}`: lets a page (the demo) know whether reading
/// `/responses` will work, without provoking a 401.
pub async fn session(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = matches!(access(&state, &headers), Access::SignedIn);
    let mut r = Json(json!({ "signedIn": signed_in })).into_response();
    secure(r.headers_mut());
    r
}

/// `GET /responses`: the newest rows as JSON, for scripts and tests.
pub async fn responses(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match access(&state, &headers) {
        Access::Off => return off(),
        Access::SignedOut => {
            let error = json!({ "error": "sign in or send Authorization: Bearer <password>" });
            let mut r = (StatusCode::UNAUTHORIZED, Json(error)).into_response();
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
        Access::SignedIn => {}
    }
    match state.db.recent_json(RECENT).await {
        Ok(rows) => {
            let mut r = Json(rows).into_response();
            secure(r.headers_mut());
            r
        }
        Err(e) => storage_error(e),
    }
}
