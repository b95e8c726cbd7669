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
//! The host element itself is the one thing page CSS can reach (`body > *`,
//! `* { ... !important }`). It is pinned with `!important` declarations set
//! through the CSSOM (which CSP allows and which beat any stylesheet's
//! `!important`): everything reset to its initial value, then made visible
//! and placed. Custom properties (`--fb-*`) are not reset, so theming works.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Element, HtmlElement, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use super::platform::{document, window};
use crate::domain::Position;
use crate::ui::{Placement, PromptProps, PromptSlot, SlotProps};

/// The widget's stylesheet, shipped inside the wasm.
const CSS: &str = include_str!("../../www/prompt.css");

/// The tag of our host element. A custom-element name never collides with
/// the page's own elements.
pub const HOST_TAG: &str = "feedback-prompt";

/// Idle hosts kept for reuse; more than this many at once are let go.
const POOL: usize = 4;

thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
    static IDLE: RefCell<Vec<(Element, AppHandle<PromptSlot>)>> = const { RefCell::new(Vec::new()) };
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// A prompt on the page.
pub struct Host {
    element: Element,
    app: Option<AppHandle<PromptSlot>>,
}

impl Host {
    /// Renders `props` in a host element appended to `parent`.
    pub fn render(parent: &Element, props: PromptProps, position: Position) -> Result<Host, JsValue> {
        let (element, mut app) = match IDLE.with(|idle| idle.borrow_mut().pop()) {
            Some(reused) => reused,
            None => create()?,
        };
        let placement = props.placement;
        element.set_attribute("data-placement", placement_name(placement))?;
        if let Some(host) = element.dyn_ref::<HtmlElement>() {
            pin(host, placement, position);
        }
        parent.append_child(&element)?;
        let generation = GENERATION.with(|g| {
            g.set(g.get() + 1);
            g.get()
        });
        app.update(SlotProps { prompt: Some(Rc::new(props)), generation });
        Ok(Host { element, app: Some(app) })
    }

    /// The host element (for tests and for the page's own inspection).
    pub fn element(&self) -> &Element {
        &self.element
    }

    /// Takes the prompt off the page and keeps the host for the next one.
    pub fn close(mut self) {
        self.element.remove();
        if let Some(mut app) = self.app.take() {
            app.update(SlotProps { prompt: None, generation: 0 });
            IDLE.with(|idle| {
                let mut idle = idle.borrow_mut();
                if idle.len() < POOL {
                    idle.push((self.element.clone(), app));
                } else {
                    app.destroy();
                }
            });
        }
    }
}

/// A new host element with its shadow root, stylesheet and (empty) app.
fn create() -> Result<(Element, AppHandle<PromptSlot>), JsValue> {
    let document = document().ok_or_else(|| JsValue::from_str("no document"))?;
    let element = document.create_element(HOST_TAG)?;
    let shadow = element.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    match stylesheet() {
        Some(sheet) => shadow.set_adopted_style_sheets(&Array::of1(&sheet)),
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

/// Pins the host element's own box against hostile page CSS.
fn pin(host: &HtmlElement, placement: Placement, position: Position) {
    let style = host.style();
    style.set_css_text("");
    let set = |name: &str, value: &str| {
        let _ = style.set_property_with_priority(name, value, "important");
    };
    set("all", "initial");
    set("display", "block");
    set("visibility", "visible");
    set("opacity", "1");
    set("transform", "none");
    set("filter", "none");
    set("clip-path", "none");
    set("pointer-events", "auto");
    set("direction", "ltr");
    match placement {
        Placement::Inline => {
            set("position", "relative");
            set("width", "auto");
            set("max-width", "100%");
        }
        Placement::Floating => {
            // On a small screen a bottom corner would cover a messenger's
            // input: go to the top instead.
            let small =
                window().and_then(|w| w.match_media("(max-width: 480px)").ok().flatten()).is_some_and(|m| m.matches());
            let (vertical, horizontal) = match position {
                Position::BottomRight if small => ("top", "right"),
                Position::BottomLeft if small => ("top", "left"),
                Position::BottomRight => ("bottom", "right"),
                Position::BottomLeft => ("bottom", "left"),
                Position::TopRight => ("top", "right"),
                Position::TopLeft => ("top", "left"),
            };
            set("position", "fixed");
            set("z-index", "2147483000");
            set(vertical, "var(--fb-offset-y, 16px)");
            if small {
                // Full width with a small margin, so each score stays 44 px wide.
                set("left", "8px");
                set("right", "8px");
                set("width", "auto");
            } else {
                set(horizontal, "var(--fb-offset-x, 16px)");
                set("width", "min(var(--fb-width, 380px), calc(100vw - 16px))");
            }
            set("max-height", "calc(100vh - 16px)");
            set("overflow", "auto");
        }
    }
}

fn placement_name(placement: Placement) -> &'static str {
    match placement {
        Placement::Floating => "floating",
        Placement::Inline => "inline",
    }
}

/// Our stylesheet, built once per page and shared by every prompt.
fn stylesheet() -> Option<CssStyleSheet> {
    SHEET.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let sheet = CssStyleSheet::new().ok()?;
            sheet.replace_sync(CSS).ok()?;
            *cell = Some(sheet);
        }
        cell.clone()
    })
}
