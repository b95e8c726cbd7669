//! The team's inbox: server-rendered HTML behind each person's own sign-in, usable
//! without JavaScript. Newest answers first with filters; answers whose
//! customer asked to be contacted on top, with a 48-hour clock; how many
//! customers were spared a prompt, and why; CES per agent and per week;
//! a CSV export of the current filter.
//!
//! This module only lists the routes; its children, in reading order:
//! `access` (who is asking, failed-attempt limits, where a form came
//! from), `signin`, `admin` (people, sessions, tokens, audit, erasure), `layout`
//! (the page frame and security headers), `filters` (query string to
//! SQL), `page` (`GET /inbox`) and its `sections`, `live` (new answers as
//! server-sent events, and the one script), `follow_up` (marking an
//! answer), `csv` and `json`. HTML is written with `maud`, which
//! escapes every value; nothing builds HTML by formatting strings.

mod access;
mod admin;
mod csv;
mod filters;
mod follow_up;
mod json;
mod layout;
mod live;
mod page;
mod sections;
mod signin;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

/// Percent-encoding for a query string value (the notifications' links).
pub(crate) use filters::url_encode;

/// The longest window failed attempts are counted in (for housekeeping).
pub const LONGEST_WINDOW_MS: i64 = access::ACCOUNT_WINDOW_MS;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(signin::login_form).post(signin::login))
        .route("/logout", post(signin::logout))
        .route("/inbox", get(page::inbox))
        .route("/inbox/", get(|| async { Redirect::permanent("/inbox") }))
        .route("/inbox/follow-up", post(follow_up::follow_up))
        .route("/inbox/admin", get(admin::show))
        .route("/inbox/admin/", get(|| async { Redirect::permanent("/inbox/admin") }))
        .route("/inbox/admin/revoke-session", post(admin::revoke_session))
        .route("/inbox/admin/erase", post(admin::erase))
        .route("/inbox/admin/resend", post(admin::resend))
        .route("/inbox/export.csv", get(csv::export))
        .route("/inbox/inbox.css", get(css))
        .route("/inbox/live.js", get(live::script))
        .route("/inbox/events", get(live::events))
        .route("/inbox/session", get(json::session))
        .route("/responses", get(json::responses))
        .layer(axum::middleware::from_fn(layout::hsts))
}

async fn css() -> Response {
    let mut r = include_str!("../../assets/inbox.css").into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    r
}
