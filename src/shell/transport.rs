//! Posting a payload to the site's endpoint with `fetch`.
//!
//! The body is JSON; the payload's `id` also travels as the
//! `Idempotency-Key` header so a receiver can drop repeats. Requests use
//! `keepalive` so an answer given just before the page closes still leaves,
//! and never carry cookies (`credentials: "omit"`).

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCredentials, RequestInit, RequestMode, Response};

use super::platform::window;

/// How a post ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Delivery {
    /// The endpoint answered 2xx.
    Delivered { status: u16 },
    /// The endpoint answered with another status.
    Rejected { status: u16 },
    /// No answer: offline, DNS, CORS, or the request was refused.
    NetworkError { message: String },
}

/// Posts `body` (a JSON text) to `endpoint` with `id` as its idempotency key.
pub async fn post(endpoint: &str, id: &str, body: &str) -> Delivery {
    match try_post(endpoint, id, body).await {
        Ok(status) if (200..300).contains(&status) => Delivery::Delivered { status },
        Ok(status) => Delivery::Rejected { status },
        Err(error) => Delivery::NetworkError {
            message: describe(&error),
        },
    }
}

async fn try_post(endpoint: &str, id: &str, body: &str) -> Result<u16, JsValue> {
    let window = window().ok_or_else(|| JsValue::from_str("no window"))?;
    let headers = Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    headers.set("Idempotency-Key", id)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    // Not in web-sys yet; a plain property of the init dictionary.
    Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE)?;
    let request = Request::new_with_str_and_init(endpoint, &init)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    Ok(response.status())
}

fn describe(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    error
        .as_string()
        .unwrap_or_else(|| "network error".to_owned())
}
