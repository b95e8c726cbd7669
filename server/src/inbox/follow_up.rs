//! `POST /inbox/follow-up`: marks an answer followed up, from one of the
//! inbox's own pages only, and goes back to the page it came from (with
//! its filters). It changes one row and renders only refusals; the cards
//! are `sections::follow_ups`.

use std::collections::HashMap;

use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::access::{access, from_our_page, see_other, Access};
use super::layout::{missing_id, off, refused, storage_error};
use crate::{clock, AppState};

pub async fn follow_up(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    match access(&state, &headers) {
        Access::Off => return off(),
        Access::SignedOut => return see_other("/login"),
        Access::SignedIn => {}
    }
    if !from_our_page(&headers, state.trust_proxy) {
        return refused();
    }
    let Some(id) = form.get("id") else { return missing_id() };
    match state.db.mark_followed_up(id, clock::now_ms()).await {
        Ok(marked) => {
            tracing::info!(id, marked, "followed up");
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
