//! Lifecycle events (`show`, `submit`, `dismiss`, `suppress`, `delivered`,
//! `failed`). Handlers are registered with `Feedback.on` in the loader,
//! which hands us one `emit(name, detail)` function; a throwing handler is
//! the loader's to catch, never ours to crash on.

use js_sys::Function;
use wasm_bindgen::JsValue;

/// The loader's `emit(name, detail)`.
#[derive(Clone)]
pub struct Events {
    emit: Option<Function>,
}

impl Events {
    pub fn new(emit: Option<Function>) -> Events {
        Events { emit }
    }

    /// Emits `name` with `detail`; errors from handlers are ignored.
    pub fn emit(&self, name: &str, detail: &JsValue) {
        if let Some(emit) = &self.emit {
            let _ = emit.call2(&JsValue::NULL, &JsValue::from_str(name), detail);
        }
    }
}
