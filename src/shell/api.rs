//! The exported JavaScript API. The loader (`www/feedback.js`) creates one
//! [`Widget`] from its `<script>` tag and forwards `Feedback.decide`,
//! `ask`, `mount` and `configure` to it; it owns `Feedback.on` and `ready`
//! itself.
//!
//! This is the only module with `#[wasm_bindgen]` exports. Every input is
//! validated here into domain types; every domain error leaves as a
//! JavaScript `Error` naming the field.

use super::Cells;
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::Element;

use super::convert::{js_error, to_js, to_value};
use super::delivery;
use super::events::Events;
use super::history::{self, HistoryKey};
use super::host::Host;
use super::platform::{document, now_ms, random_uuid, resolve_url, soon};
use super::session::{act, already_open, at_once, sweep_removed, InParent, Session};
use super::storage::{Store, WebStorage, WebStore};
use crate::domain::context::Verdict;
use crate::domain::{self, Action, Context, Decision, Now, Options, Rules, Source};
use crate::ui::Placement;

/// The TypeScript shapes of what crosses the boundary, next to the Rust
/// types they mirror (`domain::Context`, `Decision`, `Payload`, `Options`).
/// wasm-bindgen writes them into `feedback_wasm.d.ts`; `dist/feedback.d.ts`
/// builds the public API on them.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The conversation (every field optional; see the README). */
export interface FeedbackContext {
  conversationId?: string | number;
  customerId?: string | number;
  agentId?: string | number;
  channel?: "chat" | "messenger" | "phone" | "email" | "social" | (string & {});
  waitSeconds?: number;
  durationSeconds?: number;
  transfers?: number;
  contacts?: number;
  resolved?: boolean;
  outcome?: "resolved" | "unresolved" | "cancelled" | "refund_denied" | "escalated" | (string & {});
  /** From -1 (very negative) to 1 (very positive). */
  sentiment?: number;
  messages?: { from: "customer" | "agent"; text: string }[];
  locale?: string;
  metadata?: Record<string, unknown>;
}
export type FeedbackAction = "effort" | "vent" | "silent";
/** A decision and its reason codes (see the README's list). */
export interface FeedbackDecision { action: FeedbackAction; reasons: string[] }
/** What `ask` and `mount` resolve with. */
export interface FeedbackOutcome extends FeedbackDecision {
  /** `failed`: the endpoint refused the payload for good (see `status` and `error`). */
  outcome: "submitted" | "dismissed" | "suppressed" | "removed" | "failed";
  id: string | null;
  /** For a posted payload: stored, queued for a retry, or refused. */
  delivery?: "delivered" | "queued" | "failed";
  /** For a refused payload: the HTTP status and the endpoint's own words. */
  status?: number | null;
  error?: string;
}
/** The JSON posted to the endpoint. */
export interface FeedbackPayload {
  id: string;
  kind: "response" | "dismissed" | "suppressed";
  action: FeedbackAction;
  reasons: string[];
  effort: number | null;
  comment: string | null;
  followUp: boolean;
  conversationId: string | null;
  agentId: string | null;
  channel: string | null;
  locale: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  version: string;
}
export type FeedbackStrings = Partial<Record<
  "effortStatement" | "stronglyDisagree" | "stronglyAgree" | "effortCommentLabel" | "lowScoreLabel" |
  "highScoreLabel" | "ventTitle" | "ventLine" | "ventCommentLabel" | "optional" | "submit" | "noThanks" |
  "close" | "thanks" | "privacyNote" | "followUp" | "dir", string>>;
/** Options and rules, by their JavaScript names (`configure` takes any subset). */
export interface FeedbackOptions {
  endpoint?: string;
  company?: string;
  locale?: string;
  strings?: Record<string, FeedbackStrings>;
  theme?: "light" | "dark" | "auto";
  position?: "bottom-right" | "bottom-left" | "top-right" | "top-left";
  redact?: boolean;
  headers?: Record<string, string>;
  credentials?: "omit" | "same-origin" | "include";
  timeoutMs?: number;
  simpleRequest?: boolean;
  /** Post as an analytics track call with this event name. */
  trackEvent?: string;
  reportSuppressed?: boolean;
  sampleRate?: number;
  sessionCap?: number;
  answeredCooldownDays?: number;
  dismissedCooldownDays?: number;
  maxDismissedCooldownDays?: number;
  longWaitSeconds?: Partial<Record<"chat" | "messenger" | "phone" | "email" | "social" | "other", number>>;
  longConversationSeconds?: Partial<Record<"chat" | "messenger" | "phone" | "email" | "social" | "other", number>>;
  manyTransfers?: number;
  repeatContacts?: number;
  negativeSentiment?: number;
  mildSentiment?: number;
  mildSignalsForHard?: number;
  forceOutcome?: Record<string, FeedbackAction>;
  forceChannel?: Record<string, FeedbackAction>;
}
/** Lifecycle events and their details. */
export interface FeedbackEvents {
  show: FeedbackDecision & { outcome: "shown"; id: string };
  submit: FeedbackPayload;
  dismiss: FeedbackPayload;
  suppress: FeedbackOutcome;
  delivered: { id: string; status: number; reason: null };
  failed: { id: string; status: number | null; reason: "rejected" | "expired" | "evicted"; error?: string };
}
"#;

#[wasm_bindgen]
extern "C" {
    /// A context from the page.
    #[wasm_bindgen(typescript_type = "FeedbackContext | undefined")]
    pub type ContextArg;
    /// Options or rules from the page.
    #[wasm_bindgen(typescript_type = "FeedbackOptions")]
    pub type OptionsArg;
    /// What `decide` returns.
    #[wasm_bindgen(typescript_type = "FeedbackDecision")]
    pub type DecisionValue;
    /// The loader's `emit(name, detail)`; `emit(name)` says whether the
    /// page listens to `name`.
    #[wasm_bindgen(typescript_type = "(name: keyof FeedbackEvents, detail?: unknown) => boolean | void")]
    pub type EmitFn;
    /// A promise, for `catch` with any function (js-sys's `catch` takes
    /// only a Rust closure): `transport::send_and_forget`.
    #[wasm_bindgen(js_name = Promise)]
    pub type Settling;
    #[wasm_bindgen(method)]
    pub fn catch(this: &Settling, handler: &js_sys::Function);
}

/// One configured widget.
#[wasm_bindgen]
pub struct Widget {
    inner: Rc<Inner>,
}

/// The widget's state, shared with the prompts it shows.
pub struct Inner {
    pub options: RefCell<Options>,
    pub rules: RefCell<Rules>,
    pub events: Events,
    /// The prompts on screen, inline and floating, which the page may take
    /// away (`session::sweep_removed`).
    pub on_screen: RefCell<Vec<std::rc::Weak<super::session::Session>>>,
    /// The outbox loop's own state (leases, flushes, timers, waiters).
    pub delivery: delivery::State,
    /// Locale packs the loader installed: pack tag -> strings.
    pub packs: RefCell<Vec<(String, domain::Value)>>,
    /// The loader's transcript reader (`Widget::use_reader`).
    reader: RefCell<Option<Function>>,
    /// The loader's comment scanner (`Widget::use_redactor`).
    redactor: RefCell<Option<Function>>,
    local: RefCell<Rc<dyn Store>>,
    session: RefCell<Rc<dyn Store>>,
    clock: RefCell<Rc<dyn Fn() -> f64>>,
}

impl Inner {
    pub fn now(&self) -> f64 {
        (self.clock.read())()
    }

    /// Starts fetching the comment scanner if this widget redacts and the
    /// loader has not got it yet: called once a customer starts answering
    /// (a score, a first key in the comment box), so a comment sent
    /// seconds later is scanned, the wasm that shows the prompt does not
    /// carry it, and a prompt let go unanswered never fetches it.
    pub fn want_scanner(&self) {
        if let (true, Some(scan)) = (self.options.read().redact, &*self.redactor.read()) {
            let _ = scan.call0(&JsValue::NULL);
        }
    }

    /// The comment with personal data replaced (`feedback_redact`): by the
    /// scanner compiled in (Rust apps), else by the loader's once it has
    /// arrived, else coarsely (`feedback_redact::mask`: every address and
    /// run of six or more digits), so that no comment waits for a fetch and
    /// none leaves or is stored unredacted.
    pub fn redact(&self, text: &str, cut: bool) -> String {
        #[cfg(feature = "embedded-redaction")]
        return feedback_redact::redact_cut(text, cut);
        #[cfg(not(feature = "embedded-redaction"))]
        {
            let scanned = self.redactor.read().as_ref().and_then(|scan| {
                scan.call2(&JsValue::NULL, &JsValue::from_str(text), &JsValue::from_bool(cut)).ok()?.as_string()
            });
            scanned.unwrap_or_else(|| feedback_redact::mask(text, cut))
        }
    }

    /// The local (per customer, long-lived) and session stores.
    pub fn stores(&self) -> (Rc<dyn Store>, Rc<dyn Store>) {
        (self.local.read().clone(), self.session.read().clone())
    }
}

#[wasm_bindgen]
impl Widget {
    /// A widget configured from an options object (`endpoint`, `company`,
    /// and any rule).
    #[wasm_bindgen(constructor)]
    pub fn new(options: OptionsArg, emit: Option<EmitFn>) -> Result<Widget, JsError> {
        Widget::create(options.into(), emit.map(JsCast::unchecked_into), Source::Object)
    }

    /// A widget configured from the loader's `<script>` tag attributes;
    /// errors name the `data-*` attribute.
    #[wasm_bindgen(js_name = fromScriptTag)]
    pub fn from_script_tag(attributes: JsValue, emit: Option<EmitFn>) -> Result<Widget, JsError> {
        Widget::create(attributes, emit.map(JsCast::unchecked_into), Source::ScriptTag)
    }

    /// Overrides rules and endpoint options (see the README). All or
    /// nothing: a bad field changes nothing and throws an error naming it.
    pub fn configure(&self, settings: OptionsArg) -> Result<(), JsError> {
        let raw = to_value("rules", &settings)?;
        let mut rules = self.inner.rules.read().clone();
        rules.apply(&raw, Source::Object).map_err(js_error)?;
        let options = self.inner.options.read().update(&raw, Source::Object, resolve_url).map_err(js_error)?;
        self.inner.rules.put(rules);
        self.inner.options.put(options);
        Ok(())
    }

    /// The decision for `context`, as `{action, reasons}`. Shows nothing,
    /// records nothing, posts nothing.
    pub fn decide(&self, context: ContextArg) -> Result<DecisionValue, JsError> {
        let context = self.parse_context(&context)?;
        let (decision, _) = decision(&self.inner, &context);
        Ok(to_js(&decision.to_value()).unchecked_into())
    }

    /// Decides, and shows the floating prompt unless the decision is silent.
    /// Resolves with `{outcome, action, reasons, id}` once the customer has
    /// answered or skipped, or at once when nothing is shown.
    pub fn ask(&self, context: ContextArg) -> Result<Promise, JsError> {
        let context = self.parse_context(&context)?;
        let document = document().ok_or_else(|| JsError::new("ask: no document"))?;
        let body = document.body().ok_or_else(|| JsError::new("ask: the page has no <body> yet"))?;
        // (Prompts the page removed no longer count: a floating one taken
        // away with a document a framework rendered again made every later
        // `ask` of the page resolve `suppressed`. A thank-you gives way.)
        let parent = floating_parent(&document, body);
        let shown = sweep_removed(&self.inner, Some(&parent), false, &|_| false);
        if shown == InParent::Asking {
            return Ok(already_open());
        }
        let (decision, key) = decision(&self.inner, &context);
        // A thank-you gives way to a new prompt, not to a silent decision.
        if shown == InParent::Thanking && decision.action != Action::Silent {
            sweep_removed(&self.inner, Some(&parent), false, &|session| session.done.get());
        }
        Ok(act(&self.inner, &parent, Placement::Floating, context, decision, key))
    }

    /// Like `ask`, but renders inline as the last child of `element` (an
    /// Element or a CSS selector).
    pub fn mount(&self, element: JsValue, context: ContextArg) -> Result<Promise, JsError> {
        let parent = find_element(&element)?;
        let context = self.parse_context(&context)?;
        Ok(self.mount_inline(&parent, context))
    }

    /// Forgets what this browser remembers about customers (answers,
    /// dismissals, the session's prompt count), so the next `ask` decides as
    /// for a new customer. For testing and demos; answers not yet delivered
    /// stay in the outbox and are still sent.
    pub fn reset(&self) {
        let (local, session) = self.inner.stores();
        history::forget_all(&*local, &*session);
    }

    /// For the loader: the transcript reader wasm (`reader/`), as a function
    /// from the bytes of the customer's messages
    /// (`feedback_transcript::wire`) to the bits of what it read
    /// (`Verdict::bits`), or -1. Contexts with messages are read with it
    /// from now on.
    #[wasm_bindgen(js_name = useReader)]
    pub fn use_reader(&self, read: Function) {
        self.inner.reader.put(Some(read));
    }

    /// For the loader: the comment scanner (`redact/`, inside the reader
    /// wasm), as a function that, called with nothing, starts fetching it,
    /// and called with a comment and whether the box cut it at its limit,
    /// gives the comment redacted, or `undefined` while the scanner has not
    /// arrived (`Inner::redact` masks coarsely then).
    #[wasm_bindgen(js_name = useRedactor)]
    pub fn use_redactor(&self, redact: Function) {
        self.inner.redactor.put(Some(redact));
    }

    /// For the loader: installs a locale pack (`www/locales/<tag>.json`,
    /// fetched integrity-checked when the language is needed). The strings
    /// are checked like a site's `strings`; a pack for a tag already
    /// installed replaces it.
    #[wasm_bindgen(js_name = installLocale)]
    pub fn install_locale(&self, tag: &str, pack: JsValue) -> Result<(), JsError> {
        let value = to_value("locale pack", &pack)?;
        let wrapped = domain::Value::Object(vec![(tag.to_owned(), value.clone())]);
        domain::strings::validate_overrides(&wrapped, "locale pack").map_err(js_error)?;
        let mut packs = self.inner.packs.write();
        packs.retain(|(t, _)| t != tag);
        packs.push((tag.to_owned(), value));
        Ok(())
    }
}

impl Widget {
    /// The context a page passed, its messages read by the loader's reader
    /// wasm when there is one (`use_reader`): the messages validated here
    /// are the ones it reads.
    fn parse_context(&self, js: &JsValue) -> Result<Context, JsError> {
        let mut context = parse_context(js)?;
        if let (false, Some(read)) = (context.messages.is_empty(), &*self.inner.reader.read()) {
            let bytes = js_sys::Uint8Array::from(&domain::transcript::wire::encode(&context.messages)[..]);
            let bits = read.call1(&JsValue::NULL, &bytes).ok().and_then(|v| v.as_f64());
            context.transcript = bits.filter(|b| (0.0..8.0).contains(b)).map(|b| Verdict::from_bits(b as u8));
        }
        Ok(context)
    }

    fn create(raw: JsValue, emit: Option<Function>, source: Source) -> Result<Widget, JsError> {
        let mut raw = to_value("options", &raw)?;
        if source == Source::ScriptTag {
            parse_json_attribute(&mut raw, "headers")?;
            parse_json_attribute(&mut raw, "strings")?;
        }
        let options = Options::from_value(&raw, source, resolve_url).map_err(js_error)?;
        let mut rules = Rules::default();
        rules.apply(&raw, source).map_err(js_error)?;
        Ok(Widget::start(options, rules, Events::new(emit)))
    }

    /// A widget for Rust code (the Yew component): typed rules, the
    /// endpoint and company validated as from JavaScript; errors as text.
    pub fn for_rust(endpoint: &str, company: Option<&str>, rules: Rules) -> Result<Widget, String> {
        let options = rust_options(endpoint, company)?;
        Ok(Widget::start(options, rules, Events::new(None)))
    }

    /// Reconfigures a widget made by [`Widget::for_rust`] in place (the
    /// Yew component's props changed): the endpoint and company validated
    /// as there, the rules replaced. All or nothing, like `configure`: a
    /// bad endpoint changes nothing and is returned as text.
    pub fn reconfigure(&self, endpoint: &str, company: Option<&str>, rules: Rules) -> Result<(), String> {
        let options = rust_options(endpoint, company)?;
        self.inner.rules.put(rules);
        self.inner.options.put(options);
        Ok(())
    }

    /// A widget on the browser's storage and clock, sending what an
    /// earlier page left in the outbox.
    fn start(options: Options, rules: Rules, events: Events) -> Widget {
        let inner = Rc::new(Inner {
            options: RefCell::new(options),
            rules: RefCell::new(rules),
            events,
            on_screen: RefCell::new(Vec::new()),
            delivery: delivery::State::new(random_uuid().text()),
            packs: RefCell::new(Vec::new()),
            reader: RefCell::new(None),
            redactor: RefCell::new(None),
            local: RefCell::new(Rc::new(WebStore::new(WebStorage::Local))),
            session: RefCell::new(Rc::new(WebStore::new(WebStorage::Session))),
            clock: RefCell::new(Rc::new(now_ms)),
        });
        delivery::start(&inner);
        // Widgets are made when the loader preloads at idle: the first
        // prompt's host is built then, and its code run once, so asking
        // costs a decision and a render.
        let widget = Widget { inner };
        widget.warm_up();
        widget
    }

    /// Runs, once and with no effect, what the first `ask()` runs before it
    /// shows anything (reading a context, the customer's history and the
    /// rules) and renders a prompt off the page: WebAssembly functions are
    /// compiled when first called, and widgets are made at idle. Reads
    /// storage, writes nothing. It runs in a task of its own, after the
    /// calls the loader queued before the widget existed: an `ask()` made
    /// at page load goes first and is not slowed by it (its prompt takes
    /// the prepared host; the warm-up then finds none idle and renders
    /// nothing).
    fn warm_up(&self) {
        let prepared = Host::prepare().is_some();
        let inner = Rc::downgrade(&self.inner);
        soon(Some(0), move || {
            let Some(inner) = inner.upgrade() else { return };
            if prepared {
                Host::warm_up();
            }
            let sample = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&sample, &JsValue::from_str("customerId"), &JsValue::from_str("warm-up"));
            if let Ok(context) = parse_context(&sample) {
                let _ = decision(&inner, &context);
            }
        });
    }

    /// Decides for a validated context and shows the prompt inline in
    /// `parent` (or records the suppression). Not into an element the
    /// page has already thrown away, nor a second time for the same
    /// conversation into the same one; what shows there for another
    /// conversation (a chat view reused for the next one) goes first, as
    /// if removed; but not while its customer's answer is on its way from
    /// the prompt (a page's focus handler reached as they send), which is
    /// `already_open`.
    pub fn mount_inline(&self, parent: &Element, context: Context) -> Promise {
        let other = |session: &Session| {
            session.context.conversation_id != context.conversation_id && (session.done.get() || !session.sending.get())
        };
        if sweep_removed(&self.inner, Some(parent), false, &other) != InParent::Nothing {
            return already_open();
        }
        let (decision, key) = decision(&self.inner, &context);
        if !parent.is_connected() {
            return at_once("removed", &decision);
        }
        act(&self.inner, parent, Placement::Inline, context, decision, key)
    }

    /// Replaces the clock (tests: "fourteen days later").
    #[doc(hidden)]
    pub fn set_clock(&self, clock: impl Fn() -> f64 + 'static) {
        self.inner.clock.put(Rc::new(clock));
    }

    /// Replaces the stores (tests: a storage that throws, or a fresh one).
    #[doc(hidden)]
    pub fn set_stores(&self, local: Rc<dyn Store>, session: Rc<dyn Store>) {
        self.inner.local.put(local);
        self.inner.session.put(session);
    }
}

/// The last handle is gone: the page listeners go now, even while an open
/// prompt or a pending retry still holds the shared state (a retry timer
/// keeps it until the outbox is empty, so what was submitted is still sent).
impl Drop for Widget {
    fn drop(&mut self) {
        self.inner.delivery.listeners.take();
    }
}

/// The decision for `context` with the customer's stored history, and
/// where that history lives.
/// Where a floating prompt goes: on `<html>`, beside `<body>`. A page
/// whose `<body>` has a transform, a filter, `will-change` or `contain`
/// makes `<body>`, not the screen, what a `position: fixed` child is
/// placed against (an outsider's phone, scrolled down: the prompt was
/// 1,185 px above the screen, never seen).
fn floating_parent(document: &web_sys::Document, body: web_sys::HtmlElement) -> Element {
    document.document_element().unwrap_or_else(|| body.into())
}

fn decision(inner: &Inner, context: &Context) -> (Decision, HistoryKey) {
    let (local, session) = inner.stores();
    let key = HistoryKey::for_context(context, &*local);
    let past = history::load(&key, &*local, &*session);
    let now = Now { ms: inner.now(), coin: js_sys::Math::random() };
    (domain::decide(context, &past, &inner.rules.read(), now), key)
}

/// The options of a widget made from Rust: an endpoint and a company,
/// validated as if they came from JavaScript.
fn rust_options(endpoint: &str, company: Option<&str>) -> Result<Options, String> {
    let mut fields = vec![("endpoint".to_owned(), domain::Value::String(endpoint.to_owned()))];
    if let Some(company) = company {
        fields.push(("company".to_owned(), domain::Value::String(company.to_owned())));
    }
    Options::from_value(&domain::Value::Object(fields), Source::Object, resolve_url).map_err(|e| e.message())
}

/// `data-headers='{"X-Api-Key": "..."}'` arrives as text: read it as JSON.
fn parse_json_attribute(raw: &mut domain::Value, field: &str) -> Result<(), JsError> {
    let domain::Value::Object(fields) = raw else { return Ok(()) };
    for (key, value) in fields.iter_mut() {
        if key != field {
            continue;
        }
        if let domain::Value::String(text) = value {
            let parsed = super::platform::json("parse", text.as_str().into()).ok_or_else(|| {
                let example =
                    if field == "headers" { r#"{"X-Api-Key": "..."}"# } else { r#"{"en": {"submit": "Send"}}"# };
                JsError::new(&["data-", field, ": expected a JSON object, e.g. ", example].concat())
            })?;
            *value = to_value(&["data-", field].concat(), &parsed)?;
        }
    }
    Ok(())
}

fn parse_context(js: &JsValue) -> Result<Context, JsError> {
    Context::from_value(&to_value("context", js)?).map_err(js_error)
}

fn find_element(target: &JsValue) -> Result<Element, JsError> {
    let element = match target.as_string() {
        Some(selector) => match document().map(|d| d.query_selector(&selector)) {
            Some(Ok(Some(found))) => found,
            Some(Err(_)) => return Err(JsError::new(&["mount: not a CSS selector: ", &selector].concat())),
            _ => return Err(JsError::new(&["mount: no element matches the selector ", &selector].concat())),
        },
        None => target.clone().dyn_into::<Element>().map_err(|_| {
            JsError::new(
                "mount: expected an Element of this page or a CSS selector as the first argument (for a chat in an iframe, load the widget in the iframe)",
            )
        })?,
    };
    // An element that shows no children would hold an invisible prompt,
    // counted as shown (the session's one prompt spent on nothing) and
    // never answered.
    // (`platform::call`: `matches` was an import of its own.)
    let matches = super::platform::call(&element, "matches", SHOWS_NO_CHILDREN.into(), JsValue::UNDEFINED);
    if matches.is_some_and(|m| m.as_bool() == Some(true)) {
        return Err(JsError::new(
            "mount: that element shows no children (a form control, an image, a line break...); mount into one such as a <div>",
        ));
    }
    Ok(element)
}

/// Elements whose children a page never shows: void elements, form
/// controls, replaced and embedding elements, the document's head, and
/// `<svg>` (whose children are drawn, not laid out).
const SHOWS_NO_CHILDREN: &str =
    "area,audio,base,br,canvas,col,embed,frame,frameset,head,hr,iframe,img,input,link,meta,meter,noscript,\
object,option,progress,script,select,source,style,svg,template,textarea,title,track,video,wbr";
