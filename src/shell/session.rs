//! One prompt, from the decision to its removal: renders the matching Yew
//! component in a [`Host`], records what the customer did in their
//! history, posts the payload, emits the lifecycle events, and resolves the
//! page's promise with what happened. Silent decisions are recorded and
//! posted as `suppressed` here too.

use super::Cells;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};
use yew::{AttrValue, Callback};

use super::api::Inner;
use super::convert::to_js;
use super::delivery::{self, Delivery};
use super::history::{self, HistoryKey};
use super::host::Host;
use super::platform::{deferred, document, now_ms, property, random_uuid, soon, window};
use crate::domain::decision::codes;
use crate::domain::strings::{choose_locale, pack_tag};
use crate::domain::Strings;
use crate::domain::{Action, Answer, Context, Decision, Envelope, Event, Kind, Reason, Redact, Uuid, Value};
use crate::ui::{Mode, Placement, PromptProps};

/// What `ask`/`mount` resolve with, and the detail of most events.
pub struct Outcome<'a> {
    pub outcome: &'a str,
    pub action: Action,
    pub reasons: &'a [Reason],
    pub id: Option<String>,
    /// For a posted payload: `delivered`, `queued` or `failed`.
    pub delivery: Option<&'static str>,
    /// For a refused payload: the HTTP status (if any) and the endpoint's words.
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl<'a> Outcome<'a> {
    fn new(outcome: &'a str, decision: &'a Decision, id: Option<String>) -> Outcome<'a> {
        Outcome {
            outcome,
            action: decision.action,
            reasons: &decision.reasons,
            id,
            delivery: None,
            status: None,
            error: None,
        }
    }

    /// `{outcome, action, reasons, id}`, and `delivery`, `status` and
    /// `error` when they are known.
    fn to_value(&self) -> Value {
        let mut fields = vec![
            ("outcome", self.outcome.into()),
            ("action", self.action.as_str().into()),
            ("reasons", codes(self.reasons)),
            ("id", self.id.as_deref().into()),
        ];
        if let Some(delivery) = self.delivery {
            fields.push(("delivery", delivery.into()));
        }
        if let Some(status) = self.status {
            fields.push(("status", u32::from(status).into()));
        }
        if let Some(error) = &self.error {
            fields.push(("error", error.as_str().into()));
        }
        Value::object(fields)
    }

    /// This outcome once the first attempt at its payload has settled: a
    /// refusal turns it into `failed`, so the page is never told
    /// `submitted` for an answer nobody stored.
    fn delivered(mut self, delivery: Delivery) -> Outcome<'a> {
        match delivery {
            Delivery::Delivered => self.delivery = Some("delivered"),
            Delivery::Queued => self.delivery = Some("queued"),
            Delivery::Failed { status, reason, error } => {
                self.outcome = "failed";
                self.delivery = Some("failed");
                self.status = status;
                self.error = error.or_else(|| Some(reason.to_owned()));
            }
        }
        self
    }
}

/// A prompt on screen.
pub struct Session {
    inner: Rc<Inner>,
    placement: Placement,
    pub(super) context: Context,
    decision: Decision,
    key: HistoryKey,
    /// The language the prompt speaks and the payload reports.
    locale: String,
    id: Uuid,
    resolve: Function,
    host: RefCell<Option<Host>>,
    /// Answered or skipped: the page removing the prompt's element after
    /// that changes nothing.
    pub(super) done: Cell<bool>,
    /// The customer sent or skipped, and the prompt has not yet said what
    /// they gave (it does once it has changed): not to be let go for
    /// another conversation meanwhile.
    pub(super) sending: Cell<bool>,
    /// The customer started answering, and the comment scanner was asked
    /// for (once a prompt: `Inner::want_scanner`).
    engaged: Cell<bool>,
    /// When a check first found it off the page (`now_ms`; 0 while on
    /// it): let go once it has been off for half a second.
    missing_since: Cell<f64>,
    /// Where it was shown.
    parent: Element,
    /// What had focus when it was shown (the chat's input, the button that
    /// ended the chat), given focus back when the prompt is answered or
    /// skipped from the keyboard.
    had_focus: Option<HtmlElement>,
}

/// Set while a prompt's own callback runs (its answer or skip, which
/// emit the site's events): see [`Session::close`]. (A static, not a
/// `thread_local!`, whose every access carries a panic path: the wasm
/// runs one thread, where an atomic is a plain load and store.)
static IN_CALLBACK: AtomicBool = AtomicBool::new(false);

/// Runs `f` as a prompt's own callback.
fn in_callback(f: impl FnOnce()) {
    let was = IN_CALLBACK.swap(true, Relaxed);
    f();
    IN_CALLBACK.store(was, Relaxed);
}

/// What a prompt in an element is doing.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InParent {
    Nothing,
    /// Its thank-you is showing.
    Thanking,
    /// It waits for its customer.
    Asking,
}

/// Lets go of the prompts whose element the page removed (a chat view
/// re-rendered or closed, a document rendered again: `Session::removed`),
/// so they do not count against the session, and gives their hosts back
/// at once, a thank-you's too: a thank-you in a view the messenger closed
/// as the customer answered kept its host 2.5 s, so the next prompt took a
/// new one, and every host let go leaks Yew's listeners. Also lets go of
/// what shows in `parent` that `end` picks, as if it were removed: the
/// thank-you where a new prompt is about to go (a new `ask` waited it out
/// as `already_open`, without an id, and the conversation it was for went
/// unrecorded), or, in a chat view reused for the next conversation, what
/// shows for the last one (its prompt stayed, and its answer was posted
/// for the conversation it no longer sat in). Says what a prompt still on
/// the page in `parent` is doing (the same view mounted twice, as an
/// effect that runs twice does). `mount` and `ask` call it before
/// deciding, and each prompt's `watch_removal` twice a second, with
/// `grace`: then a prompt is let go only once it has been off the page
/// for half a second, so a view put back sooner (a route's transition, a
/// tab switched and back) keeps its prompt. (Measured in time, not in
/// checks: every open prompt's watch runs the check.)
pub fn sweep_removed(inner: &Inner, parent: Option<&Element>, grace: bool, end: &dyn Fn(&Session) -> bool) -> InParent {
    let mut here = InParent::Nothing;
    // (Taken out of the list while it is gone through: what is let go may
    // reach the page's own handlers, which may ask again.)
    let listed = std::mem::take(&mut *inner.on_screen.write());
    let mut kept = Vec::new();
    for weak in listed {
        let Some(session) = weak.upgrade() else { continue };
        let on_page = session.host.read().as_ref().is_some_and(|host| host.element().is_connected());
        let there = parent == Some(&session.parent);
        let now = if on_page { 0.0 } else { now_ms() };
        // (A wall clock set back starts the half second again, rather
        // than keeping a prompt no longer on the page for ever.)
        let since = Some(session.missing_since.get()).filter(|&since| since > 0.0 && since <= now).unwrap_or(now);
        session.missing_since.set(since);
        let wait = grace && !on_page && now - since < 500.0;
        if wait || on_page && !(there && end(&session)) {
            if there {
                here = here.max(if session.done.get() { InParent::Thanking } else { InParent::Asking });
            }
            kept.push(weak);
        } else {
            session.removed();
            session.close();
        }
    }
    // (Before any shown meanwhile.)
    let mut listed = inner.on_screen.write();
    kept.append(&mut listed);
    *listed = kept;
    here
}

/// Acts on a decision: shows the prompt in `parent`, or records and posts
/// a suppression. The promise resolves when the customer is done.
pub fn act(
    inner: &Rc<Inner>,
    parent: &Element,
    placement: Placement,
    context: Context,
    decision: Decision,
    key: HistoryKey,
) -> Promise {
    let mode = match decision.action {
        Action::Silent => return suppress(inner, &context, &decision, &key),
        Action::Vent => Mode::Vent,
        Action::Effort => Mode::Effort,
    };
    // (Every element that can have focus has `focus()`: HTML, SVG, MathML.)
    let had_focus = document().and_then(|d| d.active_element()).map(JsCast::unchecked_into);
    let (promise, resolve, reject) = deferred();
    let locale = locale(inner, &context);
    let session = Rc::new(Session {
        inner: inner.clone(),
        placement,
        context,
        decision,
        key,
        locale,
        id: random_uuid(),
        resolve,
        host: RefCell::new(None),
        done: Cell::new(false),
        sending: Cell::new(false),
        engaged: Cell::new(false),
        missing_since: Cell::new(0.0),
        parent: parent.clone(),
        had_focus,
    });
    let position = inner.options.read().position;
    match Host::render(parent, props(&session, mode), position) {
        Ok(host) => {
            session.host.put(Some(host));
            session.remember(Event::Shown(session.decision.action));
            // `show` once the prompt is rendered (Yew renders in a
            // task it has just queued): a messenger that scrolls the
            // chat to the bottom then scrolls to the prompt's end.
            let shown = session.clone();
            soon(None, move || shown.inner.events.emit("show", &shown.outcome("shown").to_value()));
            inner.on_screen.write().push(Rc::downgrade(&session));
            watch_removal(&session);
        }
        Err(error) => {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    }
    promise
}

fn props(session: &Rc<Session>, mode: Mode) -> PromptProps {
    let inner = &session.inner;
    let options = inner.options.read();
    PromptProps {
        mode,
        placement: session.placement,
        company: AttrValue::from(options.company.clone()),
        strings: Rc::new({
            let packs = inner.packs.read();
            let pack = pack_tag(&session.locale).and_then(|tag| packs.iter().find(|(t, _)| t == tag)).map(|(_, p)| p);
            Strings::builtin(&session.locale).with_pack(pack).with_overrides(&options.strings)
        }),
        theme: options.theme,
        redacting: options.redact,
        thanks_ms: 2_500,
        on_submit: {
            let session = session.clone();
            Callback::from(move |answer: Answer| {
                in_callback(|| {
                    session.remember(Event::Answered);
                    session.finish(Kind::Response, Some(&answer));
                })
            })
        },
        on_dismiss: on(session, |session| {
            in_callback(|| {
                session.remember(Event::Dismissed);
                session.finish(Kind::Dismissed, None);
                session.close_soon();
            })
        }),
        on_done: on(session, Session::close_soon),
        // The comment scanner is fetched once the customer starts
        // answering: seconds before a comment is sent, and never for a
        // prompt let go unanswered.
        on_engaged: on(session, |session| {
            if !session.engaged.replace(true) {
                session.inner.want_scanner();
            }
        }),
        on_leaving: {
            // Giving focus back reaches the page's handlers before the
            // answer is recorded: one that mounts the next conversation
            // here must not end this prompt as `removed` (`sending`), nor
            // empty it from inside its own callback.
            let session = session.clone();
            Callback::from(move |keyed: bool| {
                session.sending.set(true);
                in_callback(|| session.give_back_focus(keyed))
            })
        },
    }
}

/// A callback of the prompt's that calls `act` with its session: one
/// closure type for the three that take nothing, not one each.
fn on(session: &Rc<Session>, act: fn(&Rc<Session>)) -> Callback<()> {
    let session = session.clone();
    Callback::from(move |()| act(&session))
}

/// A silent decision: remembered, reported (unless the site turned that
/// off), announced, and resolved at once.
fn suppress(inner: &Rc<Inner>, context: &Context, decision: &Decision, key: &HistoryKey) -> Promise {
    let now = inner.now();
    let (local, session) = inner.stores();
    history::record(key, Event::Suppressed, now, &*local, &*session);

    let id = random_uuid();
    // (No id for what is not posted: the README's "null when nothing was
    // posted" is how a page knows there is nothing to look up.)
    let reported = inner.rules.read().report_suppressed;
    let outcome = Outcome::new("suppressed", decision, reported.then(|| id.text()));
    inner.events.emit("suppress", &outcome.to_value());
    if !reported {
        return Promise::resolve(&to_js(&outcome.to_value()));
    }
    let locale = locale(inner, context);
    // (No comment in it to redact.)
    let envelope = Envelope { id, now_ms: now, context, decision, locale: &locale, redact: None };
    let payload = envelope.payload(Kind::Suppressed, None);
    let (promise, resolve, _) = deferred();
    delivery::enqueue(inner, &payload, waiter(resolve, "suppressed", decision.clone(), id, None));
    promise
}

/// What hears how the first attempt at a payload went and resolves its
/// promise with the outcome. (One closure type for the suppression's and
/// the prompt's: `keep` is the prompt's session, kept alive until then,
/// as its own closure did.)
fn waiter(
    resolve: Function,
    outcome: &'static str,
    decision: Decision,
    id: Uuid,
    keep: Option<Rc<Session>>,
) -> delivery::Waiter {
    Box::new(move |delivery: Delivery| {
        let settled = Outcome::new(outcome, &decision, Some(id.text())).delivered(delivery);
        let _ = resolve.call1(&JsValue::NULL, &to_js(&settled.to_value()));
        drop(keep);
    })
}

/// A prompt whose element the page removed (a chat view that was closed,
/// a floating one taken away with the document's content) is let go
/// (`Session::removed`), checked twice a second and before any other
/// prompt is shown (`sweep_removed`).
fn watch_removal(session: &Rc<Session>) {
    // (Through the thank-you too: a view closed during it gives its host
    // back at once.)
    if session.host.read().is_some() {
        let session = session.clone();
        soon(Some(500), move || {
            sweep_removed(&session.inner, None, true, &|_| false);
            watch_removal(&session)
        });
    }
}

/// Resolves at once with `outcome`, showing, recording and posting
/// nothing: `suppressed` when the site asked while a floating prompt was
/// still open, or mounted twice into one element; `removed` for a mount
/// into an element the page had already thrown away (a view re-rendered
/// while the widget loaded).
pub fn at_once(outcome: &'static str, decision: &Decision) -> Promise {
    Promise::resolve(&to_js(&Outcome::new(outcome, decision, None).to_value()))
}

/// `suppressed` at once, with reason `already_open`.
pub fn already_open() -> Promise {
    at_once("suppressed", &Decision { action: Action::Silent, reasons: vec![Reason::AlreadyOpen] })
}

/// The prompt's language: the context's, the site's, the page's, the
/// browser's first, English.
fn locale(inner: &Inner, context: &Context) -> String {
    // (`<html>`'s `lang` property, which is its `lang` attribute, or ""
    // without one: skipped as no language, as a missing one was. Not
    // `getAttribute`, an import of its own for this one read.)
    let page = document().and_then(|d| property(&property(&d, "documentElement"), "lang").as_string());
    let site = inner.options.read().locale.clone();
    // `navigator.languages[0]`
    let browser = window().and_then(|w| property(&property(&w.navigator(), "languages"), "0").as_string());
    choose_locale(&[context.locale.as_deref(), site.as_deref(), page.as_deref(), browser.as_deref()])
}

impl Session {
    fn outcome(&self, outcome: &'static str) -> Outcome<'_> {
        Outcome::new(outcome, &self.decision, Some(self.id.text()))
    }

    /// Records `event` in the customer's history (read fresh: another tab
    /// may have written since the prompt was shown).
    fn remember(&self, event: Event) {
        let (local, session) = self.inner.stores();
        history::record(&self.key, event, self.inner.now(), &*local, &*session);
    }

    /// The page removed the prompt before the customer was done: the
    /// promise resolves `removed`, nothing is posted, and the prompt is
    /// taken back from the customer's history (`Event::Withdrawn`: the next
    /// mount may show it again). The caller closes it.
    fn removed(&self) {
        if self.done.replace(true) {
            return;
        }
        self.remember(Event::Withdrawn(self.decision.action));
        let removed = Outcome::new("removed", &self.decision, None);
        let _ = self.resolve.call1(&JsValue::NULL, &to_js(&removed.to_value()));
    }

    /// The customer is done: emit, post, and resolve once the first
    /// attempt has settled (stored, queued for a retry, or refused).
    fn finish(self: &Rc<Self>, kind: Kind, answer: Option<&Answer>) {
        self.done.set(true);
        let redact = |text: &str, cut: bool| self.inner.redact(text, cut);
        let envelope = Envelope {
            id: self.id,
            now_ms: self.inner.now(),
            context: &self.context,
            decision: &self.decision,
            locale: &self.locale,
            redact: self.inner.options.read().redact.then_some(&redact as Redact),
        };
        let payload = envelope.payload(kind, answer);
        let (event, outcome) = match kind {
            Kind::Response => ("submit", "submitted"),
            Kind::Dismissed => ("dismiss", "dismissed"),
            Kind::Suppressed => ("suppress", "suppressed"),
        };
        self.inner.events.emit(event, &payload.to_value());
        let waiter = waiter(self.resolve.clone(), outcome, self.decision.clone(), self.id, Some(self.clone()));
        delivery::enqueue(&self.inner, &payload, waiter);
    }

    /// A customer on the keyboard who answers or skips goes back to what
    /// had focus when the prompt was shown, instead of to the top of the
    /// page (focus fell to `<body>` with the prompt's form). Called by the
    /// prompt before it changes (`on_leaving`), while what the customer
    /// used still has focus; only from the keyboard (`keyed`: Escape or
    /// Ctrl/Cmd+Enter, keys a phone's on-screen keyboard does not have;
    /// or `:focus-visible`), as a tap must not focus a chat input and
    /// raise a phone's keyboard.
    fn give_back_focus(&self, keyed: bool) {
        let Some(to) = &self.had_focus else { return };
        // (Asked inside the shadow root: the host itself never matches it.
        // Not of the comment box, which matches it however it was focused,
        // and keeps focus on a tap of Submit in iOS Safari. The host is let
        // go of before `focus`, whose handlers on the page may mount again.
        // Through `Document`'s `querySelector`, which is the same call, JS
        // `root.querySelector(..)`, as the shadow root's own: one import of
        // the wasm, not two.)
        let keyboard = keyed
            || self.host.read().as_ref().and_then(|host| host.element().shadow_root()).is_some_and(|root| {
                let root = root.unchecked_ref::<web_sys::Document>();
                root.query_selector(":focus-visible:not(textarea)").ok().flatten().is_some()
            });
        if keyboard && to.is_connected() {
            // (`platform::call`: `focus` was an import of its own; no
            // options, as before.)
            super::platform::call(to, "focus", JsValue::UNDEFINED, JsValue::UNDEFINED);
        }
    }

    /// Takes the prompt off the page and gives its host back to the pool,
    /// once: at once, or just after when called from inside a prompt's own
    /// callback (a Yew app is not emptied from inside its own callback: a
    /// site's `submit` handler that closes the view and mounts the next
    /// prompt).
    fn close(self: &Rc<Self>) {
        if IN_CALLBACK.load(Relaxed) {
            self.close_soon();
            return;
        }
        let host = self.host.write().take();
        if let Some(host) = host {
            host.close();
        }
    }

    /// [`Session::close`] after the current event has been handled.
    /// (A spawned future, not a forgotten timer: a forgotten closure would
    /// keep the whole session alive, one per prompt.)
    fn close_soon(self: &Rc<Self>) {
        let session = self.clone();
        soon(Some(0), move || session.close());
    }
}
