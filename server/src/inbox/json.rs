//! The inbox's JSON for scripts and the demo page: `GET /responses` (the
//! newest rows, behind the same sign-in or an API token) and
//! `GET /inbox/session` (whether this browser is signed in). No HTML.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::json;

use super::access::{access, Denied};
use super::filters::scoped;
use super::layout::{secure, storage_error};
use crate::{AppState, ClientIp};

/// Rows `GET /responses` returns, newest first.
const RECENT: i64 = 500;

/// `{"signedIn": bool}`: lets a page (the demo) know whether reading
/// `/responses` will work, without provoking a 401. A wrong cookie counts
/// as a failed attempt like anywhere else, so it is no free oracle.
pub async fn session(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    let signed_in = match access(&state, &headers, client).await {
        Ok(_) => true,
        Err(Denied::SignedOut) => false,
        Err(denied) => return denied.api(),
    };
    let mut r = Json(json!({ "signedIn": signed_in })).into_response();
    secure(r.headers_mut());
    r
}

/// `GET /responses`: the newest rows the reader may see, as JSON.
pub async fn responses(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    let who = match access(&state, &headers, client).await {
        Ok(who) => who,
        Err(denied) => return denied.api(),
    };
    match state.db.recent_json(&scoped(&who.scope), RECENT).await {
        Ok(rows) => {
            let mut r = Json(rows).into_response();
            secure(r.headers_mut());
            r
        }
        Err(e) => storage_error(e),
    }
}
