//! Delivery: the outbox in storage, and the loop that empties it.
//!
//! A payload is written to the outbox (local storage, or memory when
//! storage fails) before its first send and removed only after a 2xx.
//! Pending items are sent when they are added, when the widget starts (so
//! the next page load picks up what a closed tab left), when the browser
//! comes back `online`, and on a timer for retries. When the page is
//! hidden or goes away, what is pending and on no one's way leaves at once
//! with `keepalive` (or a beacon), once per leave, still kept until
//! confirmed (`Outbox::leaving`).
//!
//! The page's promise waits for the first attempt: [`enqueue`] calls
//! back with [`Delivery`] once the endpoint has stored the payload, once
//! it is queued for a retry (or the attempt takes longer than the
//! timeout), or once the endpoint refused it for good. A refusal is never
//! silent: it emits `failed` with the status and the endpoint's error text
//! and logs one line to the console.
//!
//! Tabs of one site share the outbox: a tab sends only under the Web Lock
//! `feedback:outbox` where the browser has Web Locks, and always leases an
//! item in storage before sending it, so two tabs never send the same item
//! at the same time. Each item is an entry of its own
//! (`feedback:v1:outbox:<id>`) and a tab writes only the items it changed
//! (`Outbox::changes`): two tabs adding answers at the same moment each
//! keep theirs (written back whole, one tab's outbox overwrote the other's
//! new answer). A tab hears of items other tabs add (`storage`) and wakes
//! when they fall due, so what a closed tab left is sent by a tab still
//! open.

use super::Cells;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use feedback_contract::text::integer;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::api::Inner;
use super::convert::to_json;
use super::platform::{property, warn, window};
use super::storage::{read_json, write_json};
use super::transport::{attempt, send_and_forget};
use crate::domain::outbox::{Attempt, Item, Limits, Outbox, Settled, MAX_DELAY_MS};
use crate::domain::{Kind, Payload, Value};

/// Where each item is kept: this and its id.
const PREFIX: &str = "feedback:v1:outbox:";
/// Where an earlier version kept the whole outbox, in one value.
const KEY: &str = "feedback:v1:outbox";
const LOCK: &str = "feedback:outbox";
/// A lease outlives the request timeout by this much.
const LEASE_MARGIN_MS: f64 = 5_000.0;

/// Delivery's own state, one per widget.
pub struct State {
    /// This tab's name in outbox leases.
    pub owner: String,
    /// A flush is running; `flush_again` asks it to go round once more.
    flushing: Cell<bool>,
    flush_again: Cell<bool>,
    /// An outbox an earlier version kept in one value was looked for.
    migrated: Cell<bool>,
    /// The retry timer.
    timer: RefCell<Option<gloo_timers::callback::Timeout>>,
    /// Who waits for the first attempt at which payload, each with the
    /// timer that answers `Queued` if no attempt has by then (dropped, and
    /// so cancelled, when the waiter is answered).
    waiters: RefCell<Vec<(String, Waiter, gloo_timers::callback::Timeout)>>,
    /// The page listeners (`online`, `pagehide`, `visibilitychange`); they
    /// go with the widget.
    pub listeners: RefCell<super::listeners::Listeners>,
}

/// Called once with how the first attempt at a payload went.
pub type Waiter = Box<dyn FnOnce(Delivery)>;

/// How the first attempt at a payload went, for the page's promise.
pub enum Delivery {
    /// The endpoint answered 2xx: stored.
    Delivered,
    /// Not confirmed yet (offline, 5xx, 429, slow); the outbox keeps it
    /// and tries again.
    Queued,
    /// Refused for good (a 4xx other than 408, 425 and 429), evicted or
    /// expired: it will not be sent again.
    Failed { status: Option<u16>, reason: &'static str, error: Option<String> },
}

impl State {
    pub fn new(owner: String) -> State {
        State {
            owner,
            flushing: Cell::new(false),
            flush_again: Cell::new(false),
            migrated: Cell::new(false),
            timer: RefCell::new(None),
            waiters: RefCell::new(Vec::new()),
            listeners: RefCell::default(),
        }
    }

    /// Hands the waiter for `id` its answer, once.
    fn settle(&self, id: &str, delivery: Delivery) {
        let waiter = {
            let mut waiters = self.waiters.write();
            let at = waiters.iter().position(|(w, _, _)| w == id);
            at.map(|at| waiters.swap_remove(at).1)
        };
        if let Some(waiter) = waiter {
            waiter(delivery);
        }
    }
}

/// Puts `payload` in the outbox and starts sending; `waiter` hears how
/// the first attempt went (at the latest after the request timeout).
pub fn enqueue(inner: &Rc<Inner>, payload: &Payload, waiter: Waiter) {
    let patience = inner.options.read().transport.timeout_ms + LEASE_MARGIN_MS;
    let (task, id) = (Rc::downgrade(inner), payload.id.clone());
    let timer = super::platform::after(patience as u32, move || {
        if let Some(inner) = task.upgrade() {
            inner.delivery.settle(&id, Delivery::Queued);
        }
    });
    inner.delivery.waiters.write().push((payload.id.clone(), waiter, timer));
    let (endpoint, track_event) = {
        let options = inner.options.read();
        (options.endpoint.as_str().to_owned(), options.track_event.clone())
    };
    let body = to_json(&match &track_event {
        Some(event) => crate::domain::response::as_track(payload, event),
        None => payload.to_value(),
    });
    let has_comment = payload.kind == Kind::Response && payload.comment.is_some();
    let item = Item::new(payload.id.clone(), endpoint, payload.kind, has_comment, body, inner.now());
    let before = load(inner);
    let mut outbox = before.clone();
    let evicted = outbox.push(item, Limits::default());
    save(inner, &before, &outbox);
    for gone in evicted {
        report(inner, &gone.id, &Settled::Dropped { status: None, reason: "evicted" }, None);
    }
    flush(inner);
}

/// Sends whatever is due, one flush at a time per tab.
pub fn flush(inner: &Rc<Inner>) {
    if inner.delivery.flushing.replace(true) {
        inner.delivery.flush_again.set(true);
        return;
    }
    let inner = inner.clone();
    spawn_local(async move {
        loop {
            // The lock, once held: the function that lets go of it and
            // the request's promise, which settles once it is let go of.
            let mut held = match web_lock() {
                Some((locks, request)) => {
                    // The lock is held until the promise its callback
                    // returns settles: once the drain is over. That
                    // callback is `Promise.resolve` bound to a thenable
                    // whose `then` resolves `granted`: called with the lock,
                    // it returns a promise and hands `granted` that
                    // promise's resolve function, called when the drain is
                    // over. (No Rust closure and no second spawned future:
                    // `Closure::once_into_js` and a future of its own were
                    // their own code in the wasm.)
                    let thenable = Object::new();
                    let (granted, resolve, _) = super::platform::deferred();
                    let _ = Reflect::set(&thenable, &JsValue::from_str("then"), &resolve);
                    let grant: Function = property(&thenable, "then").unchecked_into();
                    let promise = property(&granted, "constructor");
                    let run = property(&promise, "resolve").unchecked_into::<Function>().bind1(&promise, &thenable);
                    match request.call2(&locks, &JsValue::from_str(LOCK), &run) {
                        Ok(asked) => {
                            // A lock refused (an opaque origin: a sandboxed
                            // iframe says SecurityError) never runs `run`:
                            // `granted` then gets the error, not a function,
                            // and the drain goes without the lock, as where
                            // there are no Web Locks.
                            asked.unchecked_ref::<super::api::Settling>().catch(&grant);
                            let release =
                                JsFuture::from(granted).await.ok().and_then(|r| r.dyn_into::<Function>().ok());
                            release.map(|release| (release, Promise::from(asked)))
                        }
                        Err(_) => None,
                    }
                }
                None => None,
            };
            // Under the lock when it is held, and let go of then; again
            // without it if its request failed. (One drain: each `.await` of
            // one was code of its own in this future.)
            loop {
                // The drain: due items sent one by one until none is due or
                // the network is gone. (Written here, not an `async fn`:
                // that was a future type of its own in the wasm.)
                loop {
                    let now = inner.now();
                    let before = load(&inner);
                    let mut outbox = before.clone();
                    let Some(id) = outbox.due(now, &inner.delivery.owner).into_iter().next() else { break };
                    let transport = inner.options.read().transport.clone();
                    outbox.lease(&id, &inner.delivery.owner, now + transport.timeout_ms + LEASE_MARGIN_MS);
                    save(&inner, &before, &outbox);
                    let Some(item) = outbox.get(&id).cloned() else { break };

                    let (result, error) = attempt(&item, &transport).await;

                    // Read again: another tab may have changed the outbox meanwhile.
                    let before = load(&inner);
                    let mut outbox = before.clone();
                    let settled = outbox.settle(&id, result, inner.now(), js_sys::Math::random());
                    save(&inner, &before, &outbox);
                    report(&inner, &id, &settled, error);
                    if matches!(result, Attempt::NetworkError | Attempt::TimedOut) {
                        break;
                    }
                }
                let Some((release, asked)) = held.take() else { break };
                let _ = release.call0(&JsValue::UNDEFINED);
                if JsFuture::from(asked).await.is_ok() {
                    break;
                }
            }
            if !inner.delivery.flush_again.replace(false) {
                break;
            }
        }
        inner.delivery.flushing.set(false);
        schedule(&inner);
    });
}

/// Sends what is on no one's way (`Outbox::leaving`), now, without
/// waiting for answers: the page is being hidden or unloaded.
/// Each goes under a lease, as an attempt does, so the second event of
/// one leave (`visibilitychange`, then `pagehide`) does not send it again.
pub fn flush_before_leaving(inner: &Rc<Inner>) {
    let before = load(inner);
    let mut outbox = before.clone();
    let now = inner.now();
    let transport = inner.options.read().transport.clone();
    let leaving = outbox.leaving(now);
    for id in &leaving {
        outbox.lease(id, &inner.delivery.owner, now + transport.timeout_ms + LEASE_MARGIN_MS);
    }
    save(inner, &before, &outbox);
    for id in &leaving {
        if let Some(item) = outbox.get(id) {
            send_and_forget(item, &transport);
        }
    }
}

/// Listens for `online`, `pagehide` and a hidden page for as long as the
/// widget lives (the listeners are kept in `inner` and hold it weakly), and
/// sends what a previous page left behind.
pub fn start(inner: &Rc<Inner>) {
    let Some(window) = window() else { return };
    let mut listeners = super::listeners::Listeners::default();
    // One handler for the four events (one closure type in the wasm, not
    // three), told apart by their type.
    let widget = Rc::downgrade(inner);
    let on_event = move |event: web_sys::Event| {
        let Some(inner) = widget.upgrade() else { return };
        let kind = event.type_();
        match kind.as_str() {
            "online" => flush(&inner),
            // Another tab added an item, or changed one: wake when it falls
            // due (a tab that closed with an answer unsent left it to the
            // tabs open). (No key: the page cleared its storage.)
            "storage" => {
                let ours = property(&event, "key").as_string().is_none_or(|key| key.starts_with(PREFIX));
                if ours && !inner.delivery.flushing.get() {
                    schedule(&inner);
                }
            }
            // `pagehide`, or `visibilitychange` to hidden.
            _ => {
                if kind == "pagehide" || window_hidden() {
                    flush_before_leaving(&inner);
                }
            }
        }
    };
    listeners.add(&window, "online", on_event.clone());
    listeners.add(&window, "pagehide", on_event.clone());
    listeners.add(&window, "storage", on_event.clone());
    if let Some(document) = window.document() {
        listeners.add(&document, "visibilitychange", on_event);
    }
    inner.delivery.listeners.put(listeners);
    flush(inner);
}

fn window_hidden() -> bool {
    window().and_then(|w| w.document()).is_some_and(|d| property(&d, "visibilityState") == "hidden")
}

/// `navigator.locks` and its `request`, where the browser has Web Locks.
fn web_lock() -> Option<(JsValue, Function)> {
    let navigator = window()?.navigator();
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok().filter(|l| l.is_object())?;
    let request = Reflect::get(&locks, &JsValue::from_str("request")).ok()?.dyn_into::<Function>().ok()?;
    Some((locks, request))
}

/// Wakes up when the next item falls due.
fn schedule(inner: &Rc<Inner>) {
    let outbox = load(inner);
    let Some(next) = outbox.next_due_ms() else {
        inner.delivery.timer.put(None);
        return;
    };
    let wait = (next - inner.now()).clamp(0.0, MAX_DELAY_MS) as u32;
    let task = inner.clone();
    let timer = super::platform::after(wait.max(50), move || flush(&task));
    inner.delivery.timer.put(Some(timer));
}

/// The outbox as stored now, every tab's items, oldest first.
///
/// Once per page, one an earlier version kept in a single value is moved
/// into entries of their own first. The value goes only once every entry
/// is in the browser's storage: with storage full the entries live in
/// this page's memory, and removing the value lost the answers for good
/// (a second reading). (A tab of the earlier version still open may add
/// to the value while it is moved; such an answer can be lost.)
fn load(inner: &Inner) -> Outbox {
    let (local, _) = inner.stores();
    if !inner.delivery.migrated.replace(true) {
        if let Some(value) = read_json(&*local, KEY) {
            if save(inner, &Outbox::default(), &Outbox::from_value(&value)) {
                local.remove(KEY);
            }
        }
    }
    let mut items = Vec::new();
    for key in local.keys(PREFIX) {
        if let Some(item) = read_json(&*local, &key).and_then(|v| Item::from_value(&v)) {
            items.push(item);
        }
    }
    Outbox::from_items(items)
}

/// Writes what this tab changed of the outbox it read (`before`), and
/// nothing else: another tab's item added meanwhile stays. True when all
/// of it is in the browser's storage.
fn save(inner: &Inner, before: &Outbox, after: &Outbox) -> bool {
    let (local, _) = inner.stores();
    let (written, removed) = after.changes(before);
    let mut kept = true;
    for item in written {
        kept &= write_json(&*local, &[PREFIX, &item.id].concat(), &item.to_value());
    }
    for id in removed {
        local.remove(&[PREFIX, id].concat());
    }
    kept
}

/// The detail of `delivered`, `{id, status}`, and of `failed`, `{id,
/// status, reason}` and for a refusal the endpoint's own words (its JSON
/// `error`, or its text) as `error` when it gave any.
fn delivery_event(id: &str, status: Option<u16>, reason: Option<&str>, error: Option<&str>) -> Value {
    let mut fields = vec![("id", id.into()), ("status", status.map(u32::from).into())];
    if let Some(reason) = reason {
        fields.push(("reason", reason.into()));
    }
    if let Some(error) = error {
        fields.push(("error", error.into()));
    }
    Value::object(fields)
}

/// Emits `delivered` or `failed` (a refusal also logs one console line
/// with the endpoint's words) and answers whoever waits for `id`.
fn report(inner: &Inner, id: &str, settled: &Settled, error: Option<String>) {
    match settled {
        Settled::Delivered { status } => {
            inner.events.emit("delivered", &delivery_event(id, Some(*status), None, None));
            inner.delivery.settle(id, Delivery::Delivered);
        }
        Settled::Dropped { status, reason } => {
            let mut what = match status {
                Some(status) => {
                    ["the endpoint refused payload ", id, " with HTTP ", &integer(i64::from(*status))].concat()
                }
                None => ["gave up on payload ", id, " (", reason, ")"].concat(),
            };
            if let Some(error) = &error {
                what.push_str(": ");
                what.push_str(error);
            }
            warn(&what);
            inner.events.emit("failed", &delivery_event(id, *status, Some(reason), error.as_deref()));
            inner.delivery.settle(id, Delivery::Failed { status: *status, reason, error });
        }
        Settled::Retry { .. } => inner.delivery.settle(id, Delivery::Queued),
        Settled::Gone => {}
    }
}
