//! Signing in and out: the name-and-password form, the session it
//! starts (a random token in an HttpOnly, SameSite=Strict cookie; only
//! its hash is stored), signing out (which ends the session on the server,
//! not only in the browser), and where the form sends you back to (only
//! ever a page of the inbox). Failed sign-ins count per client network
//! and per account (`access`); each is logged and audited without the
//! password. Whether a request is signed in is decided in `access`.

use std::collections::HashMap;

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};

use super::access::{
    attempt, forgiven, from_our_page, limited, secure_cookie, see_other, session_cookie, too_many, Counted,
};
use super::layout::{page, refused, storage_error};
use crate::{auth, clock, AppState, ClientIp};

/// `GET /login`: the form.
pub async fn login_form(State(state): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    let nobody = state.db.user_count().await.is_ok_and(|n| n == 0);
    let hint = nobody.then_some(
        "No account exists yet: create one with `feedback-receiver user add NAME --role admin` \
         (or start with FEEDBACK_INBOX_PASSWORD set).",
    );
    login_page(StatusCode::OK, &safe_next(q.get("next")), "", hint)
}

/// `POST /login`: checks the name and password, starts a session, goes to `next`.
pub async fn login(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let next = safe_next(form.get("next"));
    let name = form.get("name").map_or("", |n| n.trim());
    let password = form.get("password").map_or("", String::as_str);
    if !from_our_page(&headers, state.trust_proxy) {
        return refused();
    }
    let now = clock::now_ms();
    // A name that cannot exist is counted (and logged) as one, not as typed.
    let who = if auth::name_problem(name).is_none() { name } else { "(invalid name)" };
    let keys = [Counted::client(client), Counted::account(who)];
    // Already held: refused without counting. Otherwise counted before the
    // password is checked (`attempt`), so that guesses sent at once are
    // held at the limit too.
    let held = match limited(&state, &keys, now).await {
        Ok(None) => attempt(&state, &keys, now).await,
        held => held,
    };
    match held {
        Ok(Some(wait)) => {
            tracing::warn!(%client, "sign-in refused unchecked: too many failures");
            let error = format!("Too many failed attempts. Try again in {wait} seconds.");
            return too_many(wait, login_page(StatusCode::TOO_MANY_REQUESTS, &next, name, Some(&error)));
        }
        Ok(None) => {}
        Err(e) => return storage_error(e),
    }
    // Counted as a failure now, taken back unless the password turns out
    // wrong: also when this request goes before it is checked (it timed
    // out waiting its turn for a password thread, the client went away,
    // the database failed), which tells its sender nothing.
    let mut counted = Counting(Some((state.clone(), keys.clone(), now)));
    let stored = match state.db.user_named(name).await {
        Ok(stored) => stored,
        Err(e) => return storage_error(e),
    };
    let name = stored.as_deref().unwrap_or(name);
    let hash = match state.db.password_hash(name).await {
        Ok(hash) => hash,
        Err(e) => return storage_error(e),
    };
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| auth::dummy_hash().to_owned());
    let given = password.to_owned();
    let right = auth::check_password(hash, given).await;
    if !(known && right) {
        counted.0 = None;
        // A name nobody has is not written down: it may be a password
        // typed in the wrong box.
        let who = if known { who } else { "(unknown name)" };
        tracing::warn!(%client, user = who, "inbox sign-in refused");
        state.db.audit(now, who, "sign-in refused", "", &client.to_string()).await;
        return login_page(StatusCode::UNAUTHORIZED, &next, name, Some("That name and password do not match."));
    }
    counted.0 = None;
    if let Err(e) = forgiven(&state, &keys, now).await {
        return storage_error(e);
    }
    let token = auth::random_hex();
    if let Err(e) = state.db.add_session(&auth::token_hash(&token), name, now, &client.to_string()).await {
        return storage_error(e);
    }
    tracing::info!(%client, user = name, "signed in");
    state.db.audit(now, name, "sign-in", "", &client.to_string()).await;
    let mut r = see_other(&next);
    r.headers_mut().insert(header::SET_COOKIE, set_session_cookie(&headers, &token, auth::SESSION_MAX_MS / 1000));
    r
}

/// The `Set-Cookie` of the session cookie: `token` for `max_age` seconds
/// (0 and an empty token forget it), under the name and with the
/// `Secure` flag this request's cookie has ([`secure_cookie`]).
fn set_session_cookie(headers: &HeaderMap, token: &str, max_age: i64) -> HeaderValue {
    let secure = secure_cookie(headers);
    let cookie = format!(
        "{}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        auth::cookie_name(secure),
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&cookie).expect("cookie is ASCII")
}

/// A sign-in counted as a failed one before its password was checked
/// ([`attempt`]): taken back when dropped still holding it.
struct Counting(Option<(AppState, [Counted; 2], i64)>);

impl Drop for Counting {
    fn drop(&mut self) {
        if let Some((state, keys, now)) = self.0.take() {
            tokio::spawn(async move {
                if let Err(e) = forgiven(&state, &keys, now).await {
                    tracing::warn!(error = %e, "taking back a sign-in that was not checked");
                }
            });
        }
    }
}

/// `POST /logout`: ends the session on the server and forgets the cookie.
/// Only from our own pages, like every form.
pub async fn logout(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    if !from_our_page(&headers, state.trust_proxy) {
        return refused();
    }
    if let Some(token) = session_cookie(&headers) {
        let hash = auth::token_hash(&token);
        let now = clock::now_ms();
        if let Ok(Some(who)) = state.db.session(&hash, now).await {
            state.db.audit(now, &who.name, "sign-out", "", &client.to_string()).await;
        }
        if let Err(e) = state.db.remove_session(&hash).await {
            return storage_error(e);
        }
    }
    let mut r = see_other("/login");
    r.headers_mut().insert(header::SET_COOKIE, set_session_cookie(&headers, "", 0));
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

fn login_page(status: StatusCode, next: &str, name: &str, error: Option<&str>) -> Response {
    page(status, "Sign in · Feedback inbox", login_form_body(next, name, error))
}

fn login_form_body(next: &str, name: &str, error: Option<&str>) -> Markup {
    html! {
        main.narrow {
            h1 { "Feedback inbox" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/login" class="login" {
                input type="hidden" name="next" value=(next);
                label for="name" { "Name" }
                input #name name="name" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" value=(name) required autofocus;
                label for="password" { "Password" }
                input #password name="password" type="password" autocomplete="current-password" required;
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
        let html = login_form_body(hostile, "<i>", Some("<b>no</b>")).into_string();
        assert!(!html.contains("<script>") && !html.contains("<b>") && !html.contains("<i>"), "{html}");
        assert!(html.contains("value=\"/inbox?&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), "{html}");
        assert!(html.contains("<p class=\"error\" role=\"alert\">&lt;b&gt;no&lt;/b&gt;</p>"), "{html}");
    }
}
