//! One HTTP attempt: posting an outbox item to its endpoint with `fetch`,
//! bounded by a timeout, and reading back what the domain needs to settle
//! it (the status and any `Retry-After`). Also the last-chance send of a
//! page that is going away (`keepalive`, or a beacon in simple mode).
//!
//! Normal mode sends `application/json` with the item's id as the
//! `Idempotency-Key` header (plus the site's headers); simple-request mode
//! sends `text/plain` and no custom header, so the browser needs no CORS
//! preflight and the key travels only in the body. Requests use
//! `keepalive`, so an answer given just before the page closes still
//! leaves, and carry cookies only if the site asked (`credentials`).

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Response};

use super::platform::{call, now_ms, property, warn, window};
use crate::domain::options::origin;
use crate::domain::outbox::{retryable, Attempt, Item};
use crate::domain::{Credentials, Transport};

/// The most of an endpoint's error text that is kept for the `failed`
/// event and the console, in characters.
const MAX_ERROR_CHARS: usize = 300;

/// Posts `item` once and reports how it went, with the endpoint's own
/// words when it refused the payload for good.
pub async fn attempt(item: &Item, transport: &Transport) -> (Attempt, Option<String>) {
    let controller = AbortController::new().ok();
    let first = init(item, transport, controller.as_ref());
    let Some(window) = window() else { return (Attempt::NetworkError, None) };
    let abort = controller.clone().map(|c| {
        super::platform::after(transport.timeout_ms as u32, move || {
            // (`platform::call`: `abort` was an import of its own.)
            call(&c, "abort", JsValue::UNDEFINED, JsValue::UNDEFINED);
        })
    });
    // (An options object `fetch` cannot use, such as a header value
    // outside Latin-1, rejects like a network error.)
    let mut result = JsFuture::from(window.fetch_with_str_and_init(&item.endpoint, first.unchecked_ref()))
        .await
        .map(JsCast::unchecked_into::<Response>);
    // A 301, 302 or 303 turns the POST into a GET without the body, whose
    // 2xx would confirm an answer that never arrived; no response says
    // which code it was. So after any redirect the answer is posted once
    // more, straight to where it led (after a 307 or 308 it arrives twice,
    // with one id), and the site is told where to point `data-endpoint`.
    // To another origin it goes without `Authorization`, as the browser's
    // own following of the redirect does (the Fetch standard drops it
    // there, and only it).
    if let Ok(response) = &result {
        if response.redirected() {
            // (Read through Reflect.get: `Response::url` was an import of
            // its own for this one read.)
            let url = property(response, "url").as_string().unwrap_or_default();
            warn(&["the endpoint redirects to ", &url, ": set data-endpoint to that address"].concat());
            let mut again = transport.clone();
            if origin(&url) != origin(&item.endpoint) {
                again.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
            }
            let again = init(item, &again, controller.as_ref());
            let _ = Reflect::set(&again, &JsValue::from_str("redirect"), &JsValue::from_str("error"));
            result = JsFuture::from(window.fetch_with_str_and_init(&url, again.unchecked_ref()))
                .await
                .map(JsCast::unchecked_into::<Response>);
        }
    }
    let outcome = match result {
        Ok(response) => {
            let status = response.status();
            let attempt = Attempt::Answered { status, retry_after_ms: retry_after(&response) };
            // (`ok` is a status from 200 to 299, by the Fetch standard's
            // definition: read from the status, not through an import.)
            let refused = !(200..300).contains(&status) && !retryable(attempt);
            let error = if refused {
                // (`response.text()` called as a function found on the
                // response: through imports the wasm has anyway, not one of
                // its own. A throw is no text, as before.)
                let text = match call(&response, "text", JsValue::UNDEFINED, JsValue::UNDEFINED) {
                    Some(text) => JsFuture::from(Promise::from(text)).await.ok().and_then(|t| t.as_string()),
                    None => None,
                };
                error_text(text)
            } else {
                None
            };
            (attempt, error)
        }
        Err(error) if is_abort(&error) => (Attempt::TimedOut, None),
        Err(_) => (Attempt::NetworkError, None),
    };
    drop(abort);
    outcome
}

/// A refusal's reason as the endpoint wrote it: the `error` (or
/// `message`) of a JSON body, or the body's text, cut short. `None` when
/// the body cannot be read (a cross-origin answer without CORS).
/// (Read from the body's text by the caller: an `async fn` of its own was
/// a future type of its own in the wasm.)
fn error_text(text: Option<String>) -> Option<String> {
    let text = text?;
    let from_json = super::platform::json("parse", text.as_str().into()).and_then(|json| {
        ["error", "message"].iter().find_map(|key| Reflect::get(&json, &JsValue::from_str(key)).ok()?.as_string())
    });
    let words = from_json.unwrap_or(text);
    let words = words.trim();
    (!words.is_empty()).then(|| feedback_contract::text::cut(words, MAX_ERROR_CHARS))
}

/// Sends `item` without waiting for an answer, for a page that is going
/// away: a `keepalive` fetch, or `navigator.sendBeacon` in simple mode
/// when the site wants cookies sent (a beacon always sends them, so with
/// `omit` or `same-origin` it is not used).
/// The item stays in the outbox; if no confirmation arrives it is sent
/// again later, and the receiver's de-duplication makes that safe.
pub fn send_and_forget(item: &Item, transport: &Transport) {
    let Some(window) = window() else { return };
    if transport.simple_request && transport.credentials == Credentials::Include {
        // (`platform::call`: `sendBeacon` was an import of its own.)
        let sent = call(&window.navigator(), "sendBeacon", item.endpoint.as_str().into(), item.body.as_str().into());
        if sent.is_some_and(|sent| sent.as_bool() == Some(true)) {
            return;
        }
    }
    let sent: Promise = window.fetch_with_str_and_init(&item.endpoint, init(item, transport, None).unchecked_ref());
    // Its failure (the endpoint down, the browser offline) must be
    // handled: an unhandled rejection would reach the host page's error
    // monitoring on every tab switch. Any function handles it; the global
    // `Boolean` is one that exists everywhere and does nothing else (a
    // closure of our own would cost the wasm more).
    if let Ok(handler) = Reflect::get(&window, &JsValue::from_str("Boolean")) {
        sent.unchecked_ref::<super::api::Settling>().catch(handler.unchecked_ref());
    }
}

/// `fetch`'s options as a plain object (one import, `Reflect.set`, where
/// `RequestInit`, `Headers` and `Request` would each bring their own).
fn init(item: &Item, transport: &Transport, controller: Option<&AbortController>) -> Object {
    let set = |target: &Object, name: &str, value: &JsValue| {
        let _ = Reflect::set(target, &JsValue::from_str(name), value);
    };
    let text = |target: &Object, name: &str, value: &str| set(target, name, &JsValue::from_str(value));
    // (The site's header names are each given once, in any case, and
    // their values in Latin-1: `domain::options`.)
    let headers = Object::new();
    if transport.simple_request {
        text(&headers, "content-type", "text/plain;charset=UTF-8");
    } else {
        text(&headers, "content-type", "application/json");
        text(&headers, "idempotency-key", &item.id);
        for (name, value) in &transport.headers {
            text(&headers, name, value);
        }
    }
    let init = Object::new();
    text(&init, "method", "POST");
    text(&init, "mode", "cors");
    text(&init, "credentials", transport.credentials.name());
    set(&init, "headers", &headers);
    text(&init, "body", &item.body);
    if let Some(controller) = controller {
        set(&init, "signal", &controller.signal());
    }
    set(&init, "keepalive", &JsValue::TRUE);
    init
}

fn is_abort(error: &JsValue) -> bool {
    Reflect::get(error, &JsValue::from_str("name")).ok().and_then(|n| n.as_string()).as_deref() == Some("AbortError")
}

/// `Retry-After` as milliseconds from now: delta-seconds or an HTTP date.
/// (A cross-origin receiver must list it in `Access-Control-Expose-Headers`.)
fn retry_after(response: &Response) -> Option<f64> {
    // (`response.headers.get("Retry-After")` through `Reflect.get` and
    // `Function.call`, imports the wasm has anyway: `Response::headers`
    // and `Headers::get` were two of their own. A string, or null.)
    let headers = property(response, "headers");
    let value = call(&headers, "get", "Retry-After".into(), JsValue::UNDEFINED)?.as_string()?;
    let value = value.trim();
    if let Some(seconds) = crate::domain::error::parse_decimal(value) {
        return (seconds >= 0.0).then_some(seconds * 1000.0);
    }
    let at = js_sys::Date::parse(value);
    at.is_finite().then(|| (at - now_ms()).max(0.0))
}
