//! What the domain must not do itself: read the clock, draw random bytes,
//! resolve URLs against the page, log to the console.

use wasm_bindgen::JsValue;
use web_sys::{Document, Url, Window};

use crate::domain::{ResolvedUrl, Uuid};

pub fn window() -> Option<Window> {
    web_sys::window()
}

pub fn document() -> Option<Document> {
    window().and_then(|w| w.document())
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh random v4 UUID from `crypto.getRandomValues`, falling back to
/// `Math.random` on the rare page without Web Crypto.
pub fn random_uuid() -> Uuid {
    let mut bytes = [0u8; 16];
    let filled =
        window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    Uuid::from_random_bytes(bytes)
}

/// Resolves `raw` against the page's base URL, as a link would be.
pub fn resolve_url(raw: &str) -> Option<ResolvedUrl> {
    let base = document().and_then(|d| d.base_uri().ok().flatten())?;
    let url = Url::new_with_base(raw, &base).ok()?;
    Some(ResolvedUrl { href: url.href(), protocol: url.protocol(), hostname: url.hostname() })
}

/// Logs a warning prefixed with the widget's name.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&["[feedback] ", message].concat()));
}
