//! The home of a rendered prompt: a host element we own, an open shadow
//! root on it (so the page's CSS does not reach in and ours does not leak
//! out), our stylesheet adopted into that root, and a Yew app inside.
//!
//! Hosts are pooled: closing a prompt empties its app and takes the element
//! off the page, and the next prompt reuses both. Yew keeps the event
//! listeners of every app it ever created, so one app per prompt would
//! leak memory with every prompt (a browser test checks it does not).
//!
//! Styles go in through a constructable stylesheet (`adoptedStyleSheets`),
//! which a strict Content-Security-Policy allows; no `<style>` text or
//! `style` attribute markup is written on CSP-capable browsers.
//!
//! The host element itself is the one thing page CSS can reach (`html > *`,
//! `* { ... !important }`). It is pinned with `!important` declarations set
//! through the CSSOM (which CSP allows and which beat any stylesheet's
//! `!important`): everything reset to its initial value, then made visible
//! and placed. Custom properties (`--fb-*`) are not reset, so theming works.
//!
//! A floating prompt is placed against the *visual* viewport (what the
//! customer can see), not the layout viewport: on a phone showing a page a
//! little wider than the screen, or zoomed in, or with the on-screen
//! keyboard up, `position: fixed; right: 16px` would be off-screen. It
//! follows the visual viewport's `resize` and `scroll` events while open.

use super::Cells;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use feedback_contract::text::integer;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Element, EventTarget, HtmlElement, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use super::listeners::Listeners;
use super::platform::{document, property, soon, window};
use crate::domain::Position;
use crate::ui::{Placement, PromptProps, PromptSlot, SlotProps};

/// The widget's stylesheet, shipped inside the wasm.
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/prompt.min.css"));

/// The tag of our host element. A custom-element name never collides with
/// the page's own elements.
pub const HOST_TAG: &str = "feedback-prompt";

/// Idle hosts kept for reuse; more than this many at once are let go.
const POOL: usize = 4;

// (Read with `try_with`, not `with`: `with` carried a panic path for a
// thread-local read while its thread is being torn down, which the wasm's
// one thread never is; `try_with` reports that as an error, taken here as
// nothing to reuse.)
thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
    static IDLE: RefCell<Vec<(HtmlElement, AppHandle<PromptSlot>)>> = const { RefCell::new(Vec::new()) };
}

/// Prompts rendered so far. (A static, not a `thread_local!`, whose every
/// access carries a panic path: the wasm runs one thread.)
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// A prompt on the page.
pub struct Host {
    element: HtmlElement,
    app: Option<AppHandle<PromptSlot>>,
    /// A floating prompt's visual-viewport listeners (removed on close).
    _viewport: Option<Listeners>,
}

impl Host {
    /// Renders `props` in a host element appended to `parent`.
    pub fn render(parent: &Element, props: PromptProps, position: Position) -> Result<Host, JsValue> {
        let (element, mut app) = match IDLE.try_with(|idle| idle.write().pop()).ok().flatten() {
            Some(reused) => reused,
            None => create()?,
        };
        let placement = props.placement;
        element.set_attribute("data-placement", placement_name(placement))?;
        let mut viewport = None;
        pin(&element, placement);
        let floating = placement == Placement::Floating;
        // Placed before it is on the page, while the page's layout is clean:
        // reading what the customer can see after would lay the page out
        // with the host in it, before the prompt's first render and again
        // after it. A page wider than the screen is measured once it is on.
        let unmeasured = floating && place(&element, position);
        parent.append_child(&element)?;
        if unmeasured {
            place(&element, position);
        }
        if floating {
            viewport = follow_viewport(&element, position);
        }
        let generation = GENERATION.fetch_add(1, Relaxed) + 1;
        app.update(SlotProps { prompt: Some(Rc::new(props)), generation });
        Ok(Host { element, app: Some(app), _viewport: viewport })
    }

    /// Builds one idle host ahead of the first prompt (the element, its
    /// shadow root, the adopted stylesheet, an empty app), so that a prompt
    /// asked for after the loader preloaded at idle costs a render, not
    /// this setup. Returns the element the next prompt will use (`None`
    /// without a document); a host already idle is kept, not duplicated.
    pub fn prepare() -> Option<Element> {
        if let Some(next) = Host::next_idle() {
            return Some(next);
        }
        document()?;
        let (element, app) = create().ok()?;
        park(element.clone(), app);
        Some(element.into())
    }

    /// Renders a prompt once in an idle host, laid out in the page but
    /// hidden and clipped to nothing, then takes it away and empties it:
    /// the browser compiles WebAssembly functions when they are first
    /// called, and matches fonts and builds a stylesheet's rules at the
    /// first layout, so without this the first prompt pays for both
    /// (measured: 9 ms to visible after idle instead of 5). Nothing is
    /// shown, stored, posted or emitted. A prompt asked for meanwhile gets
    /// a host of its own.
    pub fn warm_up() {
        let Some((element, mut app)) = IDLE.try_with(|idle| idle.write().pop()).ok().flatten() else { return };
        let nothing = yew::Callback::noop();
        let props = PromptProps {
            mode: crate::ui::Mode::Effort,
            placement: Placement::Floating,
            company: yew::AttrValue::Static(""),
            strings: Rc::new(crate::domain::Strings::builtin("en")),
            theme: crate::domain::Theme::Auto,
            redacting: true,
            thanks_ms: 0,
            on_submit: yew::Callback::noop(),
            on_dismiss: nothing.clone(),
            on_done: nothing.clone(),
            on_leaving: yew::Callback::noop(),
            on_engaged: nothing,
        };
        // Laid out once, hidden, so the browser has matched the fonts and
        // built the stylesheet's rules before the first real prompt
        // (measured: without it, style and layout were most of the first
        // prompt's time after idle).
        let host = element.clone();
        // In `<body>`, not on `<html>` where a real floating prompt goes
        // (`api::floating_parent`): hidden, it needs no place on the
        // screen, and a page that hydrates its whole document (a framework
        // that owns `<html>`) may still be hydrating when the page goes
        // idle; it tolerates an unknown child of `<body>` more than one of
        // `<html>`.
        if let Some(body) = document().and_then(|d| d.body()) {
            // Hidden, and clipped to nothing, so that it cannot make the
            // page scrollable (a transformed body contains fixed elements);
            // the real prompt's `pin` replaces all of it.
            // (Through the CSSOM: a strict Content-Security-Policy blocks
            // style attributes, not this.)
            host.style().set_css_text(WARM_UP_STYLE);
            let _ = body.append_child(&host);
        }
        app.update(SlotProps { prompt: Some(Rc::new(props)), generation: u64::MAX });
        // Yew renders in a microtask; a zero timeout comes after it.
        soon(Some(0), move || {
            let _ = property(&host, "offsetWidth");
            detach(&host);
            app.update(SlotProps { prompt: None, generation: 0 });
            soon(Some(0), move || park(element, app));
        });
    }

    /// The idle host the next prompt will use, if there is one.
    pub fn next_idle() -> Option<Element> {
        IDLE.try_with(|idle| idle.read().last().map(|(element, _)| element.clone().into())).ok().flatten()
    }

    /// The host element (for tests and for the page's own inspection).
    pub fn element(&self) -> &Element {
        &self.element
    }

    /// Takes the prompt off the page and keeps the host for the next one.
    pub fn close(mut self) {
        detach(&self.element);
        if let Some(mut app) = self.app.take() {
            app.update(SlotProps { prompt: None, generation: 0 });
            park(self.element.clone(), app);
        }
    }
}

/// Keeps an emptied host for the next prompt, or lets it go when
/// [`POOL`] are idle already.
fn park(element: HtmlElement, app: AppHandle<PromptSlot>) {
    let _ = IDLE.try_with(|idle| {
        let mut idle = idle.write();
        if idle.len() < POOL {
            idle.push((element, app));
        } else {
            app.destroy();
        }
    });
}

/// The practice prompt's host: fixed, hidden, inert and clipped, against
/// any page CSS.
const WARM_UP_STYLE: &str = "all:initial!important;display:block!important;position:fixed!important;\
top:0!important;left:0!important;width:360px!important;height:0!important;overflow:hidden!important;\
visibility:hidden!important;pointer-events:none!important";

/// Takes `element` off the page, if it is on it: not through `remove()`,
/// which Prototype.js replaces with its own that throws for an element
/// the page already took away.
fn detach(element: &Element) {
    if let Some(parent) = element.parent_node() {
        let _ = parent.remove_child(element);
    }
}

/// A new host element with its shadow root, stylesheet and (empty) app.
fn create() -> Result<(HtmlElement, AppHandle<PromptSlot>), JsValue> {
    let document = document().ok_or_else(|| JsValue::from_str("no document"))?;
    // (An element of an HTML document, with a custom element's name: an
    // `HTMLElement`, without asking.)
    let element: HtmlElement = document.create_element(HOST_TAG)?.unchecked_into();
    // (`platform::try_call`: `attachShadow` was an import of its own; what
    // it throws is still the error.)
    let init = ShadowRootInit::new(ShadowRootMode::Open);
    let shadow: web_sys::ShadowRoot =
        super::platform::try_call(&element, "attachShadow", init.into(), JsValue::UNDEFINED)?.unchecked_into();
    match stylesheet() {
        Some(sheet) => {
            // (`[sheet]` built with `new Array` and an index set, imports
            // the wasm has anyway: `Array.of` was one of its own.)
            let sheets = Array::new();
            sheets.set(0, sheet.into());
            shadow.set_adopted_style_sheets(&sheets)
        }
        None => {
            // Browsers without constructable stylesheets (before 2023).
            let style = document.create_element("style")?;
            style.set_text_content(Some(CSS));
            shadow.append_child(&style)?;
        }
    }
    let root = document.create_element("div")?;
    shadow.append_child(&root)?;
    let app = yew::Renderer::<PromptSlot>::with_root_and_props(root, SlotProps::default()).render();
    Ok((element, app))
}

/// Pins the host element's own box against hostile page CSS: everything
/// reset, then made visible, each `!important`. In one assignment (a
/// property set at a time was fourteen calls into the page on the way to
/// every prompt); through the CSSOM, which a strict Content-Security-Policy
/// does not block, as it does style attributes.
fn pin(host: &HtmlElement, placement: Placement) {
    let placed = match placement {
        Placement::Inline => "position:relative!important;width:auto!important;max-width:100%!important",
        // The highest z-index there is, as consent banners use: at
        // 2147483000 a cookie banner covered the prompt, which could not be
        // answered (an outsider's). The host comes last on the page, so it
        // is drawn over a banner at the same z-index. What scrolls into
        // view (the comment box, when the on-screen keyboard shrinks the
        // screen) clears the sticky buttons.
        Placement::Floating => {
            "position:fixed!important;z-index:2147483647!important;overflow:auto!important;\
overscroll-behavior:contain!important;scroll-padding-bottom:76px!important"
        }
    };
    host.style().set_css_text(&[PINNED, placed].concat());
}

/// What every host is pinned to, however it is placed ([`pin`]).
const PINNED: &str = "all:initial!important;display:block!important;visibility:visible!important;\
opacity:1!important;transform:none!important;filter:none!important;clip-path:none!important;\
pointer-events:auto!important;direction:ltr!important;";

/// The part of the page the customer can see, in layout-viewport CSS
/// pixels: `(left, top, width, height)`, and whether the layout viewport
/// is wider than that.
fn visible_area() -> (f64, f64, f64, f64, bool) {
    let Some(window) = window() else { return (0.0, 0.0, 360.0, 640.0, false) };
    let number = |target: &JsValue, name: &str| property(target, name).as_f64().unwrap_or(0.0);
    let viewport = property(&window, "visualViewport");
    let inner = number(&window, "innerWidth");
    if viewport.is_object() {
        let v = &viewport;
        let width = number(v, "width");
        return (number(v, "offsetLeft"), number(v, "offsetTop"), width, number(v, "height"), inner > width + 0.5);
    }
    (0.0, 0.0, inner, number(&window, "innerHeight"), false)
}

/// Places a floating host inside the visible area: a corner on wide
/// screens; on narrow ones (480 px or less) the full width at the top, so
/// it covers neither a messenger's input nor the on-screen keyboard, and
/// each score keeps its 44 px. Never taller than what is visible (it
/// scrolls inside, with its buttons kept in view). Returns whether it
/// is yet to be measured where it landed (off the page, it cannot be).
fn place(host: &HtmlElement, position: Position) -> bool {
    let (left, top, width, height, wider) = visible_area();
    let on_page = host.is_connected();
    let style = host.style();
    let set = |name: &str, value: &str| {
        let _ = style.set_property_with_priority(name, value, "important");
    };
    let px = |n: f64| {
        let mut s = integer(n.round() as i64);
        s.push_str("px");
        s
    };
    let small = width <= 480.0;
    let margin = if small { 8.0 } else { 16.0 };
    let box_width = if small { width - 2.0 * margin } else { width.min(380.0 + 2.0 * margin) - 2.0 * margin };
    let right = matches!(position, Position::BottomRight | Position::TopRight);
    let bottom = !small && matches!(position, Position::BottomRight | Position::BottomLeft);
    let x = if small || !right { left + margin } else { left + width - margin - box_width };
    set("left", &px(x));
    set("width", &px(box_width.max(0.0)));
    set("right", "auto");
    set("bottom", "auto");
    // Where `left` really put it: on a right-to-left page wider than a
    // phone's screen, Chromium lays out `position: fixed` in a layout
    // viewport as wide as the page whose left edge is off the screen,
    // while `visualViewport.offsetLeft` still says 0. (Measured only when
    // the layout viewport is wider than what is seen: measuring forces a
    // layout before the prompt's first render.)
    if let Some(shift) =
        (wider && on_page).then(|| client_left(host)).flatten().map(|at| at - x).filter(|s| s.abs() >= 1.0)
    {
        set("left", &px(x - shift));
    }
    if bottom {
        set("top", &px(top + height - margin));
        set("transform", "translateY(-100%)");
    } else {
        set("top", &px(top + margin));
        set("transform", "none");
    }
    set("max-height", &px((height - 2.0 * margin).max(0.0)));
    wider && !on_page
}

/// `element.getBoundingClientRect().left`, if it can be read. (In a
/// `display: none` frame it is 0, and the prompt lands a margin further
/// in; it is placed again whenever the visual viewport moves or resizes.)
fn client_left(element: &HtmlElement) -> Option<f64> {
    // (`platform::call`; not a function: the call throws, caught as `None`.)
    let rect = super::platform::call(element, "getBoundingClientRect", JsValue::UNDEFINED, JsValue::UNDEFINED)?;
    property(&rect, "left").as_f64()
}

/// Re-places a floating host whenever the visual viewport moves or
/// resizes (pinch-zoom, scrolling while zoomed, the on-screen keyboard,
/// rotation, a split screen).
fn follow_viewport(host: &HtmlElement, position: Position) -> Option<Listeners> {
    let window = window()?;
    let viewport = property(&window, "visualViewport");
    if !viewport.is_object() {
        return None;
    }
    let viewport: &EventTarget = viewport.unchecked_ref();
    let mut listeners = Listeners::default();
    for kind in ["resize", "scroll"] {
        let host = host.clone();
        listeners.add(viewport, kind, move |_| {
            place(&host, position);
        });
    }
    Some(listeners)
}

fn placement_name(placement: Placement) -> &'static str {
    match placement {
        Placement::Floating => "floating",
        Placement::Inline => "inline",
    }
}

/// Our stylesheet, built once per page and shared by every prompt.
fn stylesheet() -> Option<CssStyleSheet> {
    SHEET
        .try_with(|cell| {
            let mut cell = cell.write();
            if cell.is_none() {
                let sheet = CssStyleSheet::new().ok()?;
                // (`platform::call`: `replaceSync` was an import of its own.)
                super::platform::call(&sheet, "replaceSync", CSS.into(), JsValue::UNDEFINED)?;
                *cell = Some(sheet);
            }
            cell.clone()
        })
        .ok()
        .flatten()
}
