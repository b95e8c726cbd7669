//! The browser edge: everything that touches `window`, `document`, `fetch`
//! or JavaScript values lives here, and only here.
//!
//! Reading order: `convert` (JsValue <-> domain values and errors),
//! `platform` (clock, randomness, the page), `storage` (local/session
//! storage with a memory fallback), `history` (a customer's history in
//! storage), `events` (the loader's event hub), `listeners` (page event
//! listeners a widget owns and removes when it goes), `transport` (one
//! HTTP attempt), `delivery` (the outbox and the loop that empties it),
//! `host` (the shadow-root home of a rendered prompt), `session` (one
//! prompt from decision to removal), `api` (the `#[wasm_bindgen]` exports
//! that tie it together), `component` (the same, as a Yew component for
//! Rust apps).

pub mod api;
pub mod component;
pub mod convert;
pub mod delivery;
pub mod events;
pub mod history;
pub mod host;
pub mod listeners;
pub mod platform;
pub mod session;
pub mod storage;
pub mod transport;

/// `RefCell::borrow`, `borrow_mut` and `replace` under names of their own, which are
/// not `#[track_caller]`: the standard library's put a panic location (a
/// record of the file, line and column) in the wasm for every call, for
/// a panic the shipped wasm never prints. One location for all of them.
pub trait Cells<T> {
    fn read(&self) -> std::cell::Ref<'_, T>;
    fn write(&self) -> std::cell::RefMut<'_, T>;
    /// `RefCell::replace`.
    fn put(&self, value: T) -> T;
}

impl<T> Cells<T> for std::cell::RefCell<T> {
    #[inline]
    fn read(&self) -> std::cell::Ref<'_, T> {
        self.borrow()
    }

    #[inline]
    fn write(&self) -> std::cell::RefMut<'_, T> {
        self.borrow_mut()
    }

    /// (Through `write`: `replace` is `#[track_caller]` too, another
    /// location for the same panic.)
    #[inline]
    fn put(&self, value: T) -> T {
        std::mem::replace(&mut *self.write(), value)
    }
}
