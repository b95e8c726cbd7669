//! The frame every inbox response shares: the HTML page around a body,
//! the security headers (a CSP that allows one script, the same-origin
//! file `/inbox/live.js`, and nothing inline, so even a mistake in a
//! template could not run one), and the short pages that only say
//! something went wrong. Templates are `maud`, which escapes
//! every value spliced into them; nothing here builds HTML from strings.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use crate::OverHttps;

/// `script-src 'self'` admits only script files from this origin, and the
/// inbox serves one (`/inbox/live.js`); no inline script, no `eval`.
/// `connect-src 'self'` lets it open `/inbox/events`.
pub const CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; \
                       img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A whole page with the inbox's security headers.
pub fn page(status: StatusCode, title: &str, body: Markup) -> Response {
    framed(status, title, body, false)
}

/// [`page`], loading the live inbox's script (`/inbox/live.js`).
pub fn live_page(status: StatusCode, title: &str, body: Markup) -> Response {
    framed(status, title, body, true)
}

fn framed(status: StatusCode, title: &str, body: Markup, live: bool) -> Response {
    let html = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/inbox/inbox.css";
                @if live { script src="/inbox/live.js" defer {} }
            }
            body { (body) }
        }
    };
    let mut response = (status, html.into_string()).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    secure(h);
    response
}

/// Headers for everything the inbox sends.
pub fn secure(h: &mut HeaderMap) {
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Not no-referrer: under it a browser sends `Origin: null` with our own
    // form posts, and the origin check refuses them.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// HSTS on every inbox response to a request that came over https (see
/// `OverHttps`): a year, for this host only (whether subdomains are all
/// https is the operator's to say, in the proxy). Never over plain http,
/// where it would mean nothing to a browser and could only mislead.
pub async fn hsts(request: Request, next: Next) -> Response {
    let https = request.extensions().get::<OverHttps>().is_some_and(|h| h.0);
    let mut response = next.run(request).await;
    if https {
        response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// A page that only says one thing: a heading and, if any, a sentence.
fn notice(status: StatusCode, title: &str, heading: &str, text: Option<Markup>) -> Response {
    page(
        status,
        title,
        html! {
            main.narrow {
                h1 { (heading) }
                @if let Some(text) = text { p { (text) } }
            }
        },
    )
}

/// Too many failed attempts from this client or for this account.
pub fn limited_page(wait: u64) -> Response {
    let text = html! { "Too many failed attempts. Try again in " (wait) " seconds." };
    notice(StatusCode::TOO_MANY_REQUESTS, "Wait", "Wait a moment", Some(text))
}

/// A signed-in person without the right (an agent on an admin page, a
/// read-only token on a form).
pub fn forbidden() -> Response {
    let text = html! { "Your account cannot do this." };
    notice(StatusCode::FORBIDDEN, "Not allowed", "Not allowed", Some(text))
}

/// A query failed: logged, and a 503 page.
pub fn storage_error(e: sqlx::Error) -> Response {
    tracing::error!(error = %e, "inbox query failed");
    let text = html! { "Try again in a moment." };
    notice(StatusCode::SERVICE_UNAVAILABLE, "Unavailable", "The database is not answering", Some(text))
}

/// A form post that did not come from one of our pages.
pub fn refused() -> Response {
    let text = html! { "That form did not come from this inbox." };
    notice(StatusCode::FORBIDDEN, "Refused", "Refused", Some(text))
}

/// A form post without the answer's id.
pub fn missing_id() -> Response {
    notice(StatusCode::BAD_REQUEST, "Missing id", "Which answer?", None)
}
