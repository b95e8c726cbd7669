//! Lifecycle events (`show`, `submit`, `dismiss`, `suppress`, `delivered`,
//! `failed`). Handlers are registered with `Feedback.on` in the loader,
//! which hands us one `emit(name, detail)` function; a throwing handler is
//! the loader's to catch, never ours to crash on.

use js_sys::Function;
use wasm_bindgen::JsValue;

use super::convert::to_js;
use crate::domain::Value;

/// The loader's `emit(name, detail)`; called with a name only, it says
/// whether the page listens to that event.
#[derive(Clone)]
pub struct Events {
    emit: Option<Function>,
}

impl Events {
    pub fn new(emit: Option<Function>) -> Events {
        Events { emit }
    }

    /// Emits `name` with `detail`, if the page listens to it: most pages
    /// listen to few events, and a detail is a page object built field by
    /// field (for `show`, on the way to the frame that shows the prompt).
    /// Errors from handlers are ignored.
    pub fn emit(&self, name: &str, detail: &Value) {
        let Some(emit) = &self.emit else { return };
        let name = JsValue::from_str(name);
        if emit.call1(&JsValue::NULL, &name).is_ok_and(|listening| listening.is_truthy()) {
            let _ = emit.call2(&JsValue::NULL, &name, &to_js(detail));
        }
    }
}
