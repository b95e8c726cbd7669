//! The home of one rendered prompt: a host element we own, an open shadow
//! root on it (so the page's CSS does not reach in and ours does not leak
//! out), our stylesheet adopted into that root, and the Yew app inside.
//!
//! Styles go in through a constructable stylesheet (`adoptedStyleSheets`),
//! which a strict Content-Security-Policy allows; no inline `style`
//! attribute or `<style>` text is written on CSP-capable browsers.

use std::cell::RefCell;

use js_sys::Array;
use wasm_bindgen::JsValue;
use web_sys::{CssStyleSheet, Element, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use super::platform::document;
use crate::ui::{Prompt, PromptProps};

/// The widget's stylesheet, shipped inside the wasm.
const CSS: &str = include_str!("../../www/prompt.css");

/// The tag of our host element. A custom-element name never collides with
/// the page's own elements.
pub const HOST_TAG: &str = "feedback-prompt";

thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
}

/// A prompt on the page.
pub struct Host {
    element: Element,
    app: Option<AppHandle<Prompt>>,
}

impl Host {
    /// Renders `props` in a new host element appended to `parent`.
    pub fn render(parent: &Element, props: PromptProps) -> Result<Host, JsValue> {
        let document = document().ok_or_else(|| JsValue::from_str("no document"))?;
        let element = document.create_element(HOST_TAG)?;
        element.set_attribute("data-placement", placement_name(&props))?;
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
        parent.append_child(&element)?;
        let app = yew::Renderer::<Prompt>::with_root_and_props(root, props).render();
        Ok(Host { element, app: Some(app) })
    }

    /// The host element (for tests and for the page's own inspection).
    pub fn element(&self) -> &Element {
        &self.element
    }

    /// Takes the prompt off the page.
    pub fn close(mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.element.remove();
    }
}

fn placement_name(props: &PromptProps) -> &'static str {
    match props.placement {
        crate::ui::Placement::Floating => "floating",
        crate::ui::Placement::Inline => "inline",
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
