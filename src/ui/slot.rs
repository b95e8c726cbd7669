//! The root component of a prompt host: renders the current prompt, or
//! nothing. A host (and its Yew app) is reused from prompt to prompt
//! because Yew keeps every app's event listeners for the life of the page;
//! creating an app per prompt would leak about a kilobyte each time. A new
//! `generation` gives each prompt a fresh component, and so fresh state.

use std::rc::Rc;

use feedback_contract::text::integer;
use yew::prelude::*;

use super::prompt::{Prompt, PromptProps};

#[derive(Properties, PartialEq, Default)]
pub struct SlotProps {
    pub prompt: Option<Rc<PromptProps>>,
    /// Changes with every prompt shown in this slot.
    pub generation: u64,
}

#[function_component(PromptSlot)]
pub fn prompt_slot(props: &SlotProps) -> Html {
    match &props.prompt {
        Some(prompt) => {
            let prompt = (**prompt).clone();
            html! { <Prompt key={integer(props.generation as i64)} ..prompt /> }
        }
        None => html! {},
    }
}
