//! # feedback-widget
//!
//! An embeddable, skippable effort-and-venting prompt shown after a support
//! conversation. It reads the conversation's context, decides whether to ask
//! the CES 2.0 question (`effort`), offer only a comment box (`vent`), or
//! stay quiet (`silent`), and posts what happened to any HTTP endpoint.
//!
//! ## Bird's eye view
//!
//! A page loads `feedback.js` (the hand-written loader in `www/`), which
//! defines `window.Feedback`, queues calls, and loads this crate compiled to
//! WebAssembly. The loader creates one [`shell::api::Widget`] with the
//! options from its `<script>` tag. Each `ask(context)` parses the context
//! into a [`domain::Context`], asks [`domain::decide`] what to do, renders
//! the matching Yew component from [`ui`] into a shadow root, and posts the
//! resulting [`domain::Payload`].
//!
//! ## Code map
//!
//! - `contract/` (the `feedback-contract` crate, re-exported through
//!   `domain`): the wire format shared with the receiver: the payload, its
//!   limits, `Kind`, `Action`, the JSON value, dates.
//! - `domain/`: pure Rust. Context and options validation, the decision
//!   vocabulary (`decision`: actions and reason codes), the policy that
//!   decides, the payload. Tested natively.
//! - `ui/`: Yew function components. They render state and report what the
//!   customer did through callbacks; they never fetch or store anything.
//! - `shell/`: the browser edge. The exported JS API, option parsing from
//!   `JsValue`, the shadow-root host, and transport.
//!
//! ## Architecture invariants
//!
//! - Architecture Invariant: `domain` never imports `yew`, `web_sys`,
//!   `wasm_bindgen`, `js_sys` or `gloo`; time and randomness are passed in as
//!   values. CI checks this with a grep (`cargo xtask lint`).
//! - Architecture Invariant: only `shell` touches the browser, and only
//!   `shell::api` carries `#[wasm_bindgen]` exports.
//! - Architecture Invariant: raw options and contexts are parsed once, at the
//!   edge, into validated domain types; nothing past the edge sees a
//!   `JsValue` of unknown shape (metadata travels as a [`domain::Value`]).
//! - Architecture Invariant: the host page never breaks because of us: no
//!   panics on page data, errors become rejected promises with a message
//!   naming the field.

pub mod domain;

#[cfg(target_arch = "wasm32")]
pub mod shell;
#[cfg(target_arch = "wasm32")]
pub mod ui;

// The shipped wasm's allocator (`cargo xtask dist` turns the feature on):
// a free list, a few hundred bytes against dlmalloc's 7 KB. The widget
// allocates little and briefly (a prompt, a payload, a transcript read).
// SAFETY: wasm32-unknown-unknown without threads runs one thread.
#[cfg(all(target_arch = "wasm32", feature = "small-allocator"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
