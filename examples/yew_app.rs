//! A Rust/Yew app that uses the widget as a component: a support chat
//! that, when it ends, shows `<FeedbackPrompt>` inline and prints what
//! happened. Built and run in Chromium by `cargo xtask test`:
//!
//! ```sh
//! cargo build --example yew_app --target wasm32-unknown-unknown
//! wasm-bindgen target/wasm32-unknown-unknown/debug/examples/yew_app.wasm \
//!     --target web --out-dir target/yew-example
//! cp examples/yew_app.html target/yew-example/index.html
//! ```

#[cfg(target_arch = "wasm32")]
mod app {
    use std::rc::Rc;

    use feedback_widget::domain::{Channel, Context, Rules};
    use feedback_widget::shell::component::{FeedbackPrompt, PromptOutcome};
    use yew::prelude::*;

    #[function_component(App)]
    pub fn app() -> Html {
        let ended = use_state(|| None::<Rc<Context>>);
        let outcome = use_state(|| None::<PromptOutcome>);
        let end_chat = {
            let ended = ended.clone();
            Callback::from(move |_: MouseEvent| {
                ended.set(Some(Rc::new(Context {
                    conversation_id: Some("yew-app-1".into()),
                    agent_id: Some("agent-rust".into()),
                    channel: Some(Channel::Messenger),
                    wait_seconds: Some(30.0),
                    resolved: Some(true),
                    ..Context::default()
                })))
            })
        };
        let on_outcome = {
            let outcome = outcome.clone();
            Callback::from(move |o: PromptOutcome| outcome.set(Some(o)))
        };
        // A site's own rules, typed: one prompt per session is the default;
        // this app also samples everything in.
        let rules = Rc::new(Rules { sample_rate: 1.0, ..Rules::default() });
        html! {
            <main>
                <h1>{ "Rusty Co support" }</h1>
                <button id="end-chat" onclick={end_chat}>{ "End chat" }</button>
                if let Some(context) = (*ended).clone() {
                    <FeedbackPrompt endpoint="/collect" company="Rusty Co" {context} {rules} {on_outcome} />
                }
                <p id="outcome">{
                    match &*outcome {
                        Some(o) => format!("{} ({}: {})", o.outcome, o.action, o.reasons.join(", ")),
                        None => String::new(),
                    }
                }</p>
            </main>
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
