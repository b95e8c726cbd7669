//! The exported JavaScript API. The loader (`www/feedback.js`) creates one
//! [`Widget`] from its `<script>` tag and forwards `Feedback.decide`,
//! `ask` and `mount` to it; it owns `Feedback.on` and `ready` itself.
//!
//! This is the only module with `#[wasm_bindgen]` exports. Every input is
//! validated here into domain types; every domain error leaves as a
//! JavaScript `Error` naming the field.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::{AttrValue, Callback};

use super::convert::{js_error, to_js, to_value};
use super::events::Events;
use super::host::Host;
use super::platform::{document, now_ms, random_uuid, resolve_url, warn};
use super::transport::{post, Delivery};
use crate::domain::{self, Action, Answer, Context, Decision, Envelope, Kind, Options, Reason, Source, Uuid};
use crate::ui::{Mode, Placement, PromptProps};

/// One configured widget.
#[wasm_bindgen]
pub struct Widget {
    inner: Rc<Inner>,
}

struct Inner {
    options: Options,
    events: Events,
    /// Whether a floating prompt is on screen; there is never more than one.
    floating_open: Cell<bool>,
}

/// What `ask`/`mount` resolve with.
#[derive(Serialize)]
struct Outcome<'a> {
    outcome: &'a str,
    action: Action,
    reasons: &'a [Reason],
    id: Option<String>,
}

#[wasm_bindgen]
impl Widget {
    /// A widget configured from an options object (`endpoint`, `company`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, emit: Option<Function>) -> Result<Widget, JsError> {
        Widget::configure(options, emit, Source::Object)
    }

    /// A widget configured from the loader's `<script>` tag attributes;
    /// errors name the `data-*` attribute.
    #[wasm_bindgen(js_name = fromScriptTag)]
    pub fn from_script_tag(attributes: JsValue, emit: Option<Function>) -> Result<Widget, JsError> {
        Widget::configure(attributes, emit, Source::ScriptTag)
    }

    /// The decision for `context`, as `{action, reasons}`. Shows nothing,
    /// records nothing, posts nothing.
    pub fn decide(&self, context: JsValue) -> Result<JsValue, JsError> {
        let context = parse_context(&context)?;
        Ok(to_js(&domain::decide(&context)))
    }

    /// Decides, and shows the floating prompt unless the decision is silent.
    /// Resolves with `{outcome, action, reasons, id}` once the customer has
    /// answered or skipped (or at once when nothing is shown).
    pub fn ask(&self, context: JsValue) -> Result<Promise, JsError> {
        let context = parse_context(&context)?;
        let decision = domain::decide(&context);
        if self.inner.floating_open.get() {
            let decision = Decision { action: Action::Silent, reasons: vec![Reason::AlreadyOpen] };
            return Ok(suppressed(&self.inner, &decision));
        }
        let body = document().and_then(|d| d.body()).ok_or_else(|| JsError::new("ask: the page has no <body> yet"))?;
        Ok(show(&self.inner, &body, Placement::Floating, context, decision))
    }

    /// Like `ask`, but renders inline as the last child of `element` (an
    /// Element or a CSS selector).
    pub fn mount(&self, element: JsValue, context: JsValue) -> Result<Promise, JsError> {
        let parent = find_element(&element)?;
        let context = parse_context(&context)?;
        let decision = domain::decide(&context);
        Ok(show(&self.inner, &parent, Placement::Inline, context, decision))
    }
}

impl Widget {
    fn configure(raw: JsValue, emit: Option<Function>, source: Source) -> Result<Widget, JsError> {
        let raw = to_value("options", &raw)?;
        let options = Options::from_value(&raw, source, resolve_url).map_err(js_error)?;
        let inner = Inner { options, events: Events::new(emit), floating_open: Cell::new(false) };
        Ok(Widget { inner: Rc::new(inner) })
    }
}

fn parse_context(js: &JsValue) -> Result<Context, JsError> {
    Context::from_value(&to_value("context", js)?).map_err(js_error)
}

fn find_element(target: &JsValue) -> Result<Element, JsError> {
    if let Some(selector) = target.as_string() {
        let found = document().and_then(|d| d.query_selector(&selector).ok().flatten());
        return found.ok_or_else(|| JsError::new(&["mount: no element matches the selector ", &selector].concat()));
    }
    target
        .clone()
        .dyn_into::<Element>()
        .map_err(|_| JsError::new("mount: expected an Element or a CSS selector as the first argument"))
}

/// A decision not to show anything.
fn suppressed(inner: &Inner, decision: &Decision) -> Promise {
    let outcome = Outcome { outcome: "suppressed", action: decision.action, reasons: &decision.reasons, id: None };
    inner.events.emit("suppress", &to_js(&outcome));
    Promise::resolve(&to_js(&outcome))
}

/// One prompt from render to removal.
struct Session {
    inner: Rc<Inner>,
    placement: Placement,
    context: Context,
    decision: Decision,
    id: Uuid,
    resolve: Function,
    host: RefCell<Option<Host>>,
}

fn show(inner: &Rc<Inner>, parent: &Element, placement: Placement, context: Context, decision: Decision) -> Promise {
    let mode = match decision.action {
        Action::Silent => return suppressed(inner, &decision),
        Action::Vent => Mode::Vent,
        Action::Effort => Mode::Effort,
    };
    let mut parts = Some((context, decision));
    Promise::new(&mut |resolve: Function, reject: Function| {
        let Some((context, decision)) = parts.take() else { return };
        let session = Rc::new(Session {
            inner: inner.clone(),
            placement,
            context,
            decision,
            id: random_uuid(),
            resolve,
            host: RefCell::new(None),
        });
        let props = PromptProps {
            mode,
            placement,
            company: AttrValue::from(inner.options.company.clone()),
            strings: &crate::ui::strings::EN,
            thanks_ms: 2_500,
            on_submit: {
                let session = session.clone();
                Callback::from(move |answer: Answer| session.finish(Kind::Response, Some(&answer)))
            },
            on_dismiss: {
                let session = session.clone();
                Callback::from(move |()| {
                    session.finish(Kind::Dismissed, None);
                    session.close_soon();
                })
            },
            on_done: {
                let session = session.clone();
                Callback::from(move |()| session.close_soon())
            },
        };
        match Host::render(parent, props) {
            Ok(host) => {
                if placement == Placement::Floating {
                    inner.floating_open.set(true);
                }
                session.host.replace(Some(host));
                let detail = Outcome {
                    outcome: "shown",
                    action: session.decision.action,
                    reasons: &session.decision.reasons,
                    id: Some(session.id.to_string()),
                };
                inner.events.emit("show", &to_js(&detail));
            }
            Err(error) => {
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        }
    })
}

impl Session {
    /// Records what the customer did: resolves the promise, emits the
    /// event, and posts the payload.
    fn finish(&self, kind: Kind, answer: Option<&Answer>) {
        let envelope = Envelope {
            id: self.id,
            now_ms: now_ms(),
            context: &self.context,
            decision: &self.decision,
            locale: self.context.locale.as_deref().unwrap_or("en"),
        };
        let payload = envelope.payload(kind, answer);
        let (event, outcome) = match kind {
            Kind::Response => ("submit", "submitted"),
            Kind::Dismissed => ("dismiss", "dismissed"),
            Kind::Suppressed => ("suppress", "suppressed"),
        };
        let js_payload = to_js(&payload);
        self.inner.events.emit(event, &js_payload);
        let result = Outcome {
            outcome,
            action: self.decision.action,
            reasons: &self.decision.reasons,
            id: Some(payload.id.clone()),
        };
        let _ = self.resolve.call1(&JsValue::NULL, &to_js(&result));

        let body = js_sys::JSON::stringify(&js_payload).map(String::from).unwrap_or_default();
        let inner = self.inner.clone();
        let id = payload.id;
        wasm_bindgen_futures::spawn_local(async move {
            let delivery = post(inner.options.endpoint.as_str(), &id, &body).await;
            report(&inner.events, &id, delivery);
        });
    }

    /// Removes the prompt after the current event has been handled (a Yew
    /// app must not be destroyed from inside its own callback).
    fn close_soon(self: &Rc<Self>) {
        let session = self.clone();
        gloo_timers::callback::Timeout::new(0, move || {
            if let Some(host) = session.host.borrow_mut().take() {
                host.close();
            }
            if session.placement == Placement::Floating {
                session.inner.floating_open.set(false);
            }
        })
        .forget();
    }
}

#[derive(Serialize)]
struct DeliveryEvent<'a> {
    id: &'a str,
    status: Option<u16>,
    reason: Option<&'a str>,
}

fn report(events: &Events, id: &str, delivery: Delivery) {
    match delivery {
        Delivery::Delivered { status } => {
            events.emit("delivered", &to_js(&DeliveryEvent { id, status: Some(status), reason: None }))
        }
        Delivery::Rejected { status } => {
            warn(&["the endpoint refused a response with HTTP ", &status.to_string()].concat());
            events.emit("failed", &to_js(&DeliveryEvent { id, status: Some(status), reason: Some("http_status") }));
        }
        Delivery::NetworkError { message } => {
            warn(&["could not reach the endpoint: ", &message].concat());
            events.emit("failed", &to_js(&DeliveryEvent { id, status: None, reason: Some("network") }));
        }
    }
}
