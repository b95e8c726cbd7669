//! Key-value storage behind a small trait: the browser's `localStorage` /
//! `sessionStorage`, falling back to memory whenever the browser's storage
//! is missing, full, or throws (private modes, sandboxed iframes, blocked
//! cookies). Nothing here ever fails the caller: at worst, what we store
//! lives only as long as the page.

use super::Cells;
use std::cell::RefCell;

use super::convert::{to_json, to_value};
use super::platform::{call, property, window};
use crate::domain::Value;
use wasm_bindgen::JsValue;

/// Somewhere to keep small strings.
pub trait Store {
    fn get(&self, key: &str) -> Option<String>;
    /// Stores `value`; true when it is kept beyond this page (the
    /// browser's storage took it, or this is a store of the page only).
    fn set(&self, key: &str, value: &str) -> bool;
    fn remove(&self, key: &str);
    /// The keys that start with `prefix`.
    fn keys(&self, prefix: &str) -> Vec<String>;
    /// Removes every key that starts with `prefix`.
    fn remove_prefixed(&self, prefix: &str) {
        for key in self.keys(prefix) {
            self.remove(&key);
        }
    }
}

/// The JSON value stored under `key`; `None` when absent or unreadable
/// (corrupt data is the caller's empty default, never an error).
pub fn read_json(store: &dyn Store, key: &str) -> Option<Value> {
    let text = store.get(key)?;
    let js = super::platform::json("parse", text.into())?;
    to_value(key, &js).ok()
}

/// Stores `value` as JSON under `key` (see [`Store::set`]).
pub fn write_json(store: &dyn Store, key: &str, value: &Value) -> bool {
    store.set(key, &to_json(value))
}

/// A store that lives as long as the page: the fallback, and the test
/// double. A list, not a hash map: it holds a handful of keys, and a map
/// of its own types would add hashbrown's code for them to the wasm.
#[derive(Default)]
pub struct MemoryStore {
    items: RefCell<Vec<(String, String)>>,
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.items.read().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn set(&self, key: &str, value: &str) -> bool {
        let mut items = self.items.write();
        match items.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => value.clone_into(v),
            None => items.push((key.to_owned(), value.to_owned())),
        }
        true
    }

    fn remove(&self, key: &str) {
        self.items.write().retain(|(k, _)| k != key);
    }

    fn keys(&self, prefix: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for (key, _) in self.items.read().iter() {
            if key.starts_with(prefix) {
                keys.push(key.clone());
            }
        }
        keys
    }
}

/// Which of the browser's stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebStorage {
    Local,
    Session,
}

/// The browser's storage with a memory fallback per key: a value that
/// could not be written to the browser is kept (and read back) from memory.
pub struct WebStore {
    kind: WebStorage,
    memory: MemoryStore,
}

impl WebStore {
    pub fn new(kind: WebStorage) -> WebStore {
        WebStore { kind, memory: MemoryStore::default() }
    }

    fn storage(&self) -> Option<web_sys::Storage> {
        let window = window()?;
        let storage = match self.kind {
            WebStorage::Local => window.local_storage(),
            WebStorage::Session => window.session_storage(),
        };
        storage.ok().flatten()
    }
}

// The storage's methods through `platform::call` (`storage[method](a,
// b)`): `getItem`, `setItem`, `removeItem` and `key` were an import each.
// (Storage's named items never hide its own methods.) `None` when one
// throws (storage full, blocked).
impl Store for WebStore {
    fn get(&self, key: &str) -> Option<String> {
        if let Some(value) = self.memory.get(key) {
            return Some(value);
        }
        let storage = self.storage()?;
        call(&storage, "getItem", key.into(), JsValue::UNDEFINED)?.as_string()
    }

    fn set(&self, key: &str, value: &str) -> bool {
        let written = self.storage().is_some_and(|s| call(&s, "setItem", key.into(), value.into()).is_some());
        if written {
            self.memory.remove(key);
        } else {
            self.memory.set(key, value);
        }
        written
    }

    fn remove(&self, key: &str) {
        self.memory.remove(key);
        if let Some(storage) = self.storage() {
            call(&storage, "removeItem", key.into(), JsValue::UNDEFINED);
        }
    }

    /// The browser's keys and those kept in memory (a value the browser
    /// would not take), each once.
    fn keys(&self, prefix: &str) -> Vec<String> {
        let mut keys = self.memory.keys(prefix);
        let Some(storage) = self.storage() else { return keys };
        let length = property(&storage, "length").as_f64().unwrap_or(0.0) as u32;
        for i in 0..length {
            let key = call(&storage, "key", i.into(), JsValue::UNDEFINED).and_then(|k| k.as_string());
            if let Some(key) = key.filter(|k| k.starts_with(prefix) && !keys.contains(k)) {
                keys.push(key);
            }
        }
        keys
    }
}
