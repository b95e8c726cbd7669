//! The prompt as a Yew component for Rust apps: `<FeedbackPrompt>` with
//! typed props (endpoint, context, rules, callbacks). It runs the same
//! code as the script tag and the ES module (decide, history, the outbox,
//! the shadow-root host), mounted inline where the component sits.
//!
//! ```ignore
//! html! {
//!     <FeedbackPrompt endpoint="https://api.example.com/feedback" company="Acme"
//!                     context={Rc::new(context)} on_outcome={on_outcome} />
//! }
//! ```

use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::Element;
use yew::prelude::*;

use super::api::Widget;
use crate::domain::{Context, Rules};

#[derive(Properties, PartialEq)]
pub struct FeedbackPromptProps {
    /// Where payloads are posted (https, or http on this machine).
    pub endpoint: AttrValue,
    /// The conversation; a new one asks again (subject to the rules).
    pub context: Rc<Context>,
    #[prop_or_default]
    pub company: Option<AttrValue>,
    /// The policy's rules; `Rules::default()` when absent.
    #[prop_or_default]
    pub rules: Option<Rc<Rules>>,
    /// What happened: `submitted`, `dismissed`, `suppressed` or `removed`.
    #[prop_or_default]
    pub on_outcome: Callback<PromptOutcome>,
    /// A configuration error (e.g. a bad endpoint), as its message.
    #[prop_or_default]
    pub on_error: Callback<String>,
}

/// How a prompt ended, for Rust callers.
#[derive(Clone, Debug, PartialEq)]
pub struct PromptOutcome {
    pub outcome: String,
    pub action: String,
    pub reasons: Vec<String>,
    /// The payload's id (also its idempotency key), when one was made.
    pub id: Option<String>,
    /// For a posted payload: `delivered`, `queued` or `failed` (then
    /// `outcome` is `failed` too, and `error` says why).
    pub delivery: Option<String>,
    pub error: Option<String>,
}

/// The prompt, inline. One widget serves the component for its whole life:
/// it is created on the first render, reconfigured in place when
/// `endpoint`, `company` or `rules` change, asked again when `context`
/// changes, and dropped (with its page listeners) when the component is.
#[function_component(FeedbackPrompt)]
pub fn feedback_prompt(props: &FeedbackPromptProps) -> Html {
    let slot = use_node_ref();
    let widget = use_mut_ref(|| None::<Widget>);
    {
        // Declared before the context's effect, so it runs first.
        let widget = widget.clone();
        let on_error = props.on_error.clone();
        let settings = (props.endpoint.clone(), props.company.clone(), props.rules.clone());
        use_effect_with(settings, move |(endpoint, company, rules)| {
            let rules = rules.as_deref().cloned().unwrap_or_default();
            let configured = {
                let mut widget = widget.borrow_mut();
                match widget.as_ref() {
                    Some(widget) => widget.reconfigure(endpoint, company.as_deref(), rules),
                    None => Widget::for_rust(endpoint, company.as_deref(), rules).map(|made| *widget = Some(made)),
                }
            };
            if let Err(error) = configured {
                on_error.emit(error);
            }
        });
    }
    {
        let widget = widget.clone();
        let slot = slot.clone();
        let on_outcome = props.on_outcome.clone();
        let on_error = props.on_error.clone();
        use_effect_with(props.context.clone(), move |context| {
            let widget = widget.borrow();
            // No widget: its configuration failed and `on_error` was told.
            let (Some(widget), Some(parent)) = (widget.as_ref(), slot.cast::<Element>()) else { return };
            // Held to the wire contract's limits, as a context from JavaScript is.
            if let Err(error) = context.check() {
                on_error.emit(error.message());
                return;
            }
            let promise = widget.mount_inline(&parent, (**context).clone());
            spawn_local(async move {
                match JsFuture::from(promise).await {
                    Ok(value) => on_outcome.emit(read_outcome(&value)),
                    Err(error) => on_error.emit(message(&error)),
                }
            });
        });
    }
    use_effect_with((), move |()| {
        // Unmounted: the widget goes now, not whenever Yew drops its hooks.
        move || {
            widget.borrow_mut().take();
        }
    });
    html! { <div ref={slot} class="feedback-prompt-slot"></div> }
}

fn read_outcome(value: &JsValue) -> PromptOutcome {
    let text = |key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
    let reasons = js_sys::Reflect::get(value, &JsValue::from_str("reasons"))
        .map(|r| js_sys::Array::from(&r).iter().filter_map(|r| r.as_string()).collect())
        .unwrap_or_default();
    PromptOutcome {
        outcome: text("outcome").unwrap_or_default(),
        action: text("action").unwrap_or_default(),
        reasons,
        id: text("id"),
        delivery: text("delivery"),
        error: text("error"),
    }
}

fn message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "feedback prompt failed".to_owned())
}
