//! `POST /inbox/follow-up`: marks an answer followed up, from one of the
//! inbox's own pages only, and goes back to the page it came from (with
//! its filters). It changes one row and renders only refusals; the cards
//! are `sections::follow_ups`.

use std::collections::HashMap;

use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;

use super::access::{access, from_our_page, see_other};
use super::filters::scoped;
use super::layout::{forbidden, missing_id, refused, storage_error};
use crate::auth::Via;
use crate::db::Param;
use crate::{clock, AppState, ClientIp};

pub async fn follow_up(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let who = match access(&state, &headers, client).await {
        Ok(who) => who,
        Err(denied) => return denied.page("/inbox"),
    };
    // A bearer token carries no ambient authority, so it needs no origin check.
    if matches!(who.via, Via::Session { .. }) && !from_our_page(&headers, state.trust_proxy) {
        return refused();
    }
    if !who.may_write() {
        return forbidden();
    }
    let Some(id) = form.get("id") else { return missing_id() };
    // Only an answer the reader may see: an agent cannot mark a colleague's.
    let mut clause = scoped(&who.scope);
    clause.and("id = ?", [Param::Text(id.clone())]);
    let now = clock::now_ms();
    match state.db.mark_followed_up(&clause, &who.name, now).await {
        Ok(marked) => {
            tracing::info!(id, marked, by = who.name, "followed up");
            if marked {
                state.db.audit(now, &who.name, "follow-up", id, &client.to_string()).await;
            }
            let back = form.get("back").map(String::as_str).unwrap_or_default();
            see_other(&format!("/inbox?{}", query_only(back)))
        }
        Err(e) => storage_error(e),
    }
}

/// `back` is a query string we wrote; keep it a query string, so it
/// cannot lead anywhere but the inbox, and without control characters (C0,
/// DEL, C1), which a `Location` header cannot carry.
fn query_only(back: &str) -> String {
    back.chars().filter(|c| !matches!(c, '/' | '\\' | '#') && !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_stays_a_query_string() {
        assert_eq!(query_only("agent=ada&kind=all"), "agent=ada&kind=all");
        assert_eq!(query_only("x=1#//evil.example/\r\nSet-Cookie: a"), "x=1evil.exampleSet-Cookie: a");
        assert_eq!(query_only("agent=\0a\u{1b}d\u{7f}a\u{85}\t"), "agent=ada");
    }
}
