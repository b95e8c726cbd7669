//! Event listeners we add to the page (`window`, `document`), owned: each
//! one is kept here with its closure and removed from its target when the
//! owner is dropped. Nothing is `forget()`-ed, so a widget that goes away
//! (a Yew component unmounted) takes its listeners with it, and one that
//! lives as long as the page (the script tag's) keeps them that long.
//!
//! A listener must not keep its widget alive (the widget keeps it): give
//! it a `Weak` handle, not an `Rc`.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

/// Listeners on page targets, removed on drop.
#[derive(Default)]
pub struct Listeners {
    added: Vec<Listener>,
}

/// One `addEventListener` call and the closure it registered.
struct Listener {
    target: EventTarget,
    kind: &'static str,
    closure: Closure<dyn Fn(Event)>,
}

impl Listeners {
    /// Calls `handle` on every `kind` event at `target` until `self` is
    /// dropped.
    pub fn add(&mut self, target: &EventTarget, kind: &'static str, handle: impl Fn(Event) + 'static) {
        self.add_boxed(target, kind, Box::new(handle));
    }

    /// `add`'s body once for every kind of handler, not once per closure
    /// type (wasm-bindgen's `Closure::new` is code of its own for each).
    fn add_boxed(&mut self, target: &EventTarget, kind: &'static str, handle: Box<dyn Fn(Event)>) {
        let closure = Closure::<dyn Fn(Event)>::wrap(handle);
        if listen(target, kind, closure.as_ref().unchecked_ref()).is_ok() {
            self.added.push(Listener { target: target.clone(), kind, closure });
        }
    }
}

/// `target.addEventListener(kind, handler, {})`: an empty options object
/// is what no options are (not capturing, not once, passive as the
/// browser decides). Through the binding Yew's own listeners use: one
/// import of the wasm, with its glue, instead of two.
pub fn listen(target: &EventTarget, kind: &str, handler: &js_sys::Function) -> Result<(), wasm_bindgen::JsValue> {
    target.add_event_listener_with_callback_and_add_event_listener_options(
        kind,
        handler,
        &web_sys::AddEventListenerOptions::new(),
    )
}

/// `target.removeEventListener(kind, handler)`, what [`listen`] added.
/// (`platform::call`: `removeEventListener` of its own was an import.)
pub fn unlisten(target: &EventTarget, kind: &str, handler: &js_sys::Function) {
    super::platform::call(target, "removeEventListener", kind.into(), handler.into());
}

impl Drop for Listeners {
    fn drop(&mut self) {
        for Listener { target, kind, closure } in self.added.drain(..) {
            unlisten(&target, kind, closure.as_ref().unchecked_ref());
        }
    }
}
