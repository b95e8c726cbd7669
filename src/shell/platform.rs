//! What the domain must not do itself: read the clock, draw random bytes,
//! resolve URLs against the page, log to the console.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Crypto, Document, Url, Window};

use crate::domain::{ResolvedUrl, Uuid};

pub fn window() -> Option<Window> {
    web_sys::window()
}

pub fn document() -> Option<Document> {
    window().and_then(|w| w.document())
}

/// `target[name]`, or `undefined` when reading it throws. For the
/// properties read in one or two places: web-sys gives each property its
/// own typed getter, an import of the wasm and a function in the glue.
pub fn property(target: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[method](a, b)`: the method found on `target` and called with it
/// as `this`, as web-sys's typed bindings do, through imports the wasm
/// has anyway (each typed binding was an import of its own, with its own
/// glue function). A method of fewer arguments is given `undefined` for
/// the others, which a Web IDL operation ignores (or takes as absent, for
/// an optional one). `None` when it throws.
pub fn call(target: &JsValue, method: &str, a: JsValue, b: JsValue) -> Option<JsValue> {
    try_call(target, method, a, b).ok()
}

/// [`call`], with what it threw.
pub fn try_call(target: &JsValue, method: &str, a: JsValue, b: JsValue) -> Result<JsValue, JsValue> {
    property(target, method).unchecked_into::<js_sys::Function>().call2(target, &a, &b)
}

/// `JSON[method](a)` (`parse` or `stringify`, with nothing for their
/// optional reviver or replacer) through [`call`]: `js_sys::JSON`'s
/// bindings were an import each. `None` when it throws.
pub fn json(method: &str, a: JsValue) -> Option<JsValue> {
    call(&property(&js_sys::global(), "JSON"), method, a, JsValue::UNDEFINED)
}

/// A timer that runs `f` after `ms` (dropped: cancelled). Every caller's
/// closure goes in one box, so gloo's `Timeout::new` and wasm-bindgen's
/// closure code are in the wasm once, not once per closure type.
pub fn after(ms: u32, f: impl FnOnce() + 'static) -> gloo_timers::callback::Timeout {
    after_boxed(ms, Box::new(f))
}

fn after_boxed(ms: u32, f: Box<dyn FnOnce()>) -> gloo_timers::callback::Timeout {
    gloo_timers::callback::Timeout::new(ms, f)
}

/// Ready `ms` milliseconds from now, in a task of its own: a promise
/// that `setTimeout` resolves. (No Rust closure, so nothing to keep alive
/// or let go: gloo's `TimeoutFuture` was a closure and a channel of its
/// own in the wasm, beside the timers of [`after`]; and the promise's own
/// future, not an `async fn`, which was a future type of its own.)
pub fn sleep(ms: u32) -> wasm_bindgen_futures::JsFuture {
    let (promise, resolve, _) = deferred();
    // `window.setTimeout(resolve, ms)`, called as a function found on the
    // window (the same lookup the typed binding makes): through imports
    // the wasm has anyway, not one of its own.
    if let Some(window) = window() {
        call(&window, "setTimeout", resolve.into(), ms.into());
    }
    wasm_bindgen_futures::JsFuture::from(promise)
}

/// A new promise and its resolve and reject functions. (Every caller's
/// `Promise::new` executor was a closure type of its own in the wasm;
/// the executor runs before `Promise::new` returns, so the functions are
/// always there.)
pub fn deferred() -> (js_sys::Promise, js_sys::Function, js_sys::Function) {
    let mut ends = (JsValue::UNDEFINED, JsValue::UNDEFINED);
    let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, reject: js_sys::Function| {
        ends = (resolve.into(), reject.into());
    });
    (promise, ends.0.unchecked_into(), ends.1.unchecked_into())
}

/// Runs `f` in a task of its own once the current one is over, and after
/// [`sleep`]ing `wait` milliseconds when given (a spawned future, not a
/// timer: nothing to keep alive). Every caller's closure goes in one box,
/// so there is one future type for them in the wasm, not one each.
pub fn soon(wait: Option<u32>, f: impl FnOnce() + 'static) {
    soon_boxed(wait, Box::new(f))
}

fn soon_boxed(wait: Option<u32>, f: Box<dyn FnOnce()>) {
    wasm_bindgen_futures::spawn_local(Soon { wait, sleep: None, f: Some(f) })
}

/// [`soon`]'s task, what `async { if let Some(ms) = wait { sleep(ms).await }
/// f() }` was, written out: the timer is set at the first poll, `f` runs
/// once it has fired. (An `async` block carried a panic path, and its
/// location, for being polled after it finished, which a spawned task
/// never is; this one does nothing then.)
struct Soon {
    wait: Option<u32>,
    sleep: Option<wasm_bindgen_futures::JsFuture>,
    f: Option<Box<dyn FnOnce()>>,
}

impl std::future::Future for Soon {
    type Output = ();

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        let this = self.get_mut();
        if let Some(ms) = this.wait.take() {
            this.sleep = Some(sleep(ms));
        }
        if let Some(sleep) = &mut this.sleep {
            if std::pin::Pin::new(sleep).poll(cx).is_pending() {
                return std::task::Poll::Pending;
            }
            this.sleep = None;
        }
        if let Some(f) = this.f.take() {
            f()
        }
        std::task::Poll::Ready(())
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh random v4 UUID from `crypto.getRandomValues`, falling back to
/// `Math.random` on the rare page without Web Crypto.
pub fn random_uuid() -> Uuid {
    let mut bytes = [0u8; 16];
    let crypto = window().map(|w| property(&w, "crypto")).filter(JsValue::is_object);
    let filled =
        crypto.is_some_and(|c| c.unchecked_into::<Crypto>().get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    Uuid::from_random_bytes(bytes)
}

/// Resolves `raw` against the page's base URL, as a link would be.
pub fn resolve_url(raw: &str) -> Option<ResolvedUrl> {
    let document = document()?;
    let base = property(&document, "baseURI").as_string()?;
    let url = Url::new_with_base(raw, &base).ok()?;
    let text = |name: &str| property(&url, name).as_string().unwrap_or_default();
    Some(ResolvedUrl { href: text("href"), protocol: text("protocol"), hostname: text("hostname") })
}

/// Logs a warning prefixed with the widget's name.
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&["[feedback] ", message].concat()));
}
