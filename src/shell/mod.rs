//! The browser edge: everything that touches `window`, `document`, `fetch`
//! or JavaScript values lives here, and only here.
//!
//! Reading order: `convert` (JsValue <-> domain values and errors),
//! `platform` (clock, randomness, the page), `events` (the loader's event
//! hub), `transport` (posting a payload), `host` (the shadow-root home of a
//! rendered prompt), `api` (the `#[wasm_bindgen]` exports that tie it
//! together).

pub mod convert;
pub mod platform;
pub mod events;
pub mod transport;
pub mod host;
pub mod api;
