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
}

/// The prompt, inline.
#[function_component(FeedbackPrompt)]
pub fn feedback_prompt(props: &FeedbackPromptProps) -> Html {
    let slot = use_node_ref();
    {
        let slot = slot.clone();
        let endpoint = props.endpoint.clone();
        let company = props.company.clone();
        let rules = props.rules.clone();
        let on_outcome = props.on_outcome.clone();
        let on_error = props.on_error.clone();
        use_effect_with(props.context.clone(), move |context| {
            let context = (**context).clone();
            let rules = rules.map(|r| (*r).clone()).unwrap_or_default();
            match (slot.cast::<Element>(), Widget::for_rust(&endpoint, company.as_deref(), rules)) {
                (Some(parent), Ok(widget)) => {
                    let promise = widget.mount_inline(&parent, context);
                    spawn_local(async move {
                        match JsFuture::from(promise).await {
                            Ok(value) => on_outcome.emit(read_outcome(&value)),
                            Err(error) => on_error.emit(message(&error)),
                        }
                    });
                }
                (_, Err(error)) => on_error.emit(error),
                (None, _) => {}
            }
        });
    }
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
    }
}

fn message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "feedback prompt failed".to_owned())
}
