//! Signing in and out: the password form, the signed session cookie it
//! sets, and where the form sends you back to (only ever a page of the
//! inbox). Wrong passwords count against a per-client limit. Whether a
//! request is signed in is decided in `access`, not here.

use std::collections::HashMap;
use std::time::Instant;

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};

use super::access::{from_our_page, see_other};
use super::layout::{off, page};
use crate::{auth, clock, AppState, ClientIp};

/// `GET /login`: the form.
pub async fn login_form(State(state): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    if state.auth.is_none() {
        return off();
    }
    login_page(StatusCode::OK, &safe_next(q.get("next")), None)
}

/// `POST /login`: checks the password, sets the cookie, goes to `next`.
pub async fn login(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(auth) = &state.auth else { return off() };
    let next = safe_next(form.get("next"));
    // Only wrong passwords count against the limit (10 a minute per client).
    if let Err(wait) = state.login_limit.check(client, Instant::now()) {
        let mut r = login_page(StatusCode::TOO_MANY_REQUESTS, &next, Some(&format!("Too many tries. Wait {wait} s.")));
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    if !from_our_page(&headers, state.trust_proxy)
        || !auth.password_matches(form.get("password").map_or("", String::as_str))
    {
        let _ = state.login_limit.take(client, Instant::now());
        tracing::warn!(%client, "inbox sign-in refused");
        return login_page(StatusCode::UNAUTHORIZED, &next, Some("That password is not right."));
    }
    let secure = state.cookie_secure
        || (state.trust_proxy && headers.get("x-forwarded-proto").is_some_and(|p| p.as_bytes() == b"https"));
    let cookie = format!(
        "{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
        auth::COOKIE,
        auth.issue(clock::now_ms() / 1000),
        auth::SESSION_SECS,
        if secure { "; Secure" } else { "" }
    );
    let mut r = see_other(&next);
    r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("cookie is ASCII"));
    r
}

/// `POST /logout`: forgets the cookie.
pub async fn logout() -> Response {
    let mut r = see_other("/login");
    let gone = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", auth::COOKIE);
    r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&gone).expect("ASCII"));
    r
}

/// Only a path inside the inbox, so a login link cannot send anyone
/// elsewhere. Control characters are dropped before the checks: browsers
/// ignore tabs and line breaks in URLs, so `/inbox/<TAB>/x` would be read
/// as `/inbox//x`, and a header cannot carry them at all.
fn safe_next(next: Option<&String>) -> String {
    let next: Option<String> = next.map(|n| n.chars().filter(|c| !c.is_control()).collect());
    match next {
        Some(n) if n.starts_with("/inbox") && !n.contains("//") && !n.contains('\\') => n,
        _ => "/inbox".into(),
    }
}

fn login_page(status: StatusCode, next: &str, error: Option<&str>) -> Response {
    page(status, "Sign in · Feedback inbox", login_form_body(next, error))
}

fn login_form_body(next: &str, error: Option<&str>) -> Markup {
    html! {
        main.narrow {
            h1 { "Feedback inbox" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/login" class="login" {
                input type="hidden" name="next" value=(next);
                label for="password" { "Password" }
                input #password name="password" type="password" autocomplete="current-password" required autofocus;
                button type="submit" { "Sign in" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_inside_the_inbox() {
        assert_eq!(safe_next(Some(&"//evil.example/inbox".into())), "/inbox");
        assert_eq!(safe_next(Some(&"/inbox?agent=ada".into())), "/inbox?agent=ada");
        assert_eq!(safe_next(Some(&"https://evil.example".into())), "/inbox");
        assert_eq!(safe_next(Some(&"/inbox\\evil".into())), "/inbox");
        assert_eq!(safe_next(None), "/inbox");
        let controls = [
            ("/inbox\0", "/inbox"),
            ("/inbox?\r\nSet-Cookie: a=b", "/inbox?Set-Cookie: a=b"),
            ("/inbox/\t/evil.example", "/inbox"),
            ("/\t/evil.example", "/inbox"),
            ("/inbox?agent=\u{85}ada\u{7f}", "/inbox?agent=ada"),
        ];
        for (next, want) in controls {
            assert_eq!(safe_next(Some(&next.into())), want, "{next:?}");
        }
    }

    #[test]
    fn the_form_shows_next_and_the_error_as_text() {
        let hostile = "/inbox?\"><script>alert(1)</script>";
        let html = login_form_body(hostile, Some("<b>no</b>")).into_string();
        assert!(!html.contains("<script>") && !html.contains("<b>"), "{html}");
        assert!(html.contains("value=\"/inbox?&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), "{html}");
        assert!(html.contains("<p class=\"error\" role=\"alert\">&lt;b&gt;no&lt;/b&gt;</p>"), "{html}");
    }
}
