//! The Yew floor: the same prompt as the plain-DOM floor
//! (`benches/floor/floor.js`: a shadow root, an adopted stylesheet, a
//! question, seven radios, a comment box, two buttons, a POST on submit),
//! written as the smallest Yew app that does that work. No decision, no
//! storage, no outbox, no languages. `cargo xtask bench` measures it beside
//! the widget and the plain-DOM floor: its bytes and time are what Yew
//! itself costs to show the prompt, which no change in the widget can cut.
use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use web_sys::{HtmlInputElement, HtmlTextAreaElement, RequestInit, ShadowRootInit, ShadowRootMode};
use yew::prelude::*;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32 without threads has one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// The plain-DOM floor's stylesheet, character for character.
const CSS: &str = ".fb{font:15px/1.45 system-ui,sans-serif;color:#1b1f24;background:#fff;border:1px solid #767f8c;\
border-radius:12px;padding:16px;position:fixed;right:16px;bottom:16px;width:380px}\
.o{display:grid;grid-template-columns:repeat(7,1fr);gap:4px}.o label{position:relative}\
.o input{position:absolute;inset:0;opacity:0;margin:0}.o span{display:flex;min-height:44px;align-items:center;\
justify-content:center;border:1px solid #767f8c;border-radius:8px}textarea{width:100%;min-height:64px}";

#[derive(Properties, PartialEq)]
struct Props {
    conversation_id: Option<AttrValue>,
    /// Called with "response" or "dismissed" once the answer is posted.
    done: Callback<&'static str>,
}

#[function_component]
fn Prompt(props: &Props) -> Html {
    let score = use_state(|| None::<u8>);
    let comment = use_node_ref();
    let finish = {
        let (score, comment, id, done) =
            (score.clone(), comment.clone(), props.conversation_id.clone(), props.done.clone());
        move |kind: &'static str| {
            let text = comment.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            post(kind, if kind == "response" { *score } else { None }, &text, id.as_deref());
            done.emit(kind);
        }
    };
    let on_skip = {
        let finish = finish.clone();
        Callback::from(move |_: MouseEvent| finish("dismissed"))
    };
    let on_submit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        finish("response");
    });
    html! {
        <section class="fb" role="region">
            <form onsubmit={on_submit}>
                <fieldset>
                    <legend>{ "Acme made it easy for me to handle my issue." }</legend>
                    <div class="o">
                        { for (1..=7u8).map(|n| {
                            let score = score.clone();
                            let onchange = Callback::from(move |e: Event| {
                                let input: HtmlInputElement = e.target_unchecked_into();
                                score.set(input.value().parse().ok());
                            });
                            html! {
                                <label>
                                    <input type="radio" name="effort" value={n.to_string()} {onchange} />
                                    <span>{ n }</span>
                                </label>
                            }
                        }) }
                    </div>
                </fieldset>
                <textarea ref={comment} aria-label="What would have made it easier?" />
                <button type="button" onclick={on_skip}>{ "No thanks" }</button>
                <button type="submit" disabled={score.is_none()}>{ "Submit" }</button>
            </form>
        </section>
    }
}

/// POSTs the answer as the plain-DOM floor does (`JSON.stringify` of the
/// same fields, `keepalive`).
fn post(kind: &str, effort: Option<u8>, comment: &str, conversation_id: Option<&str>) {
    let Some(window) = web_sys::window() else { return };
    let body = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&body, &key.into(), &value);
    };
    set("id", window.crypto().map(|c| c.random_uuid().into()).unwrap_or(JsValue::NULL));
    set("kind", kind.into());
    set("action", "effort".into());
    set("reasons", js_sys::Array::of1(&"smooth".into()).into());
    set("effort", effort.map_or(JsValue::NULL, |e| e.into()));
    set("comment", if comment.is_empty() { JsValue::NULL } else { comment.into() });
    set("followUp", false.into());
    set("conversationId", conversation_id.map_or(JsValue::NULL, JsValue::from));
    set("createdAt", js_sys::Date::new_0().to_iso_string().into());
    set("version", "yew-floor".into());
    let init = RequestInit::new();
    init.set_method("POST");
    let _ = Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    let headers = web_sys::Headers::new().unwrap_throw();
    let _ = headers.set("Content-Type", "application/json");
    init.set_headers(&headers);
    if let Ok(text) = JSON::stringify(&body) {
        init.set_body(&text);
    }
    let _ = window.fetch_with_str_and_init("/collect", &init);
}

thread_local! {
    static SHEET: RefCell<Option<web_sys::CssStyleSheet>> = const { RefCell::new(None) };
}

/// `YewFloor.ask(context)`: shows the prompt and resolves with
/// `{ outcome }` once it is answered or dismissed.
#[wasm_bindgen]
pub fn ask(context: JsValue) -> Promise {
    let conversation_id = Reflect::get(&context, &"conversationId".into()).ok().and_then(|v| v.as_string());
    Promise::new(&mut |resolve, _reject| {
        let document = web_sys::window().and_then(|w| w.document()).expect_throw("no document");
        let host = document.create_element("yew-floor-prompt").unwrap_throw();
        let root = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).unwrap_throw();
        let sheet = SHEET.with(|s| {
            s.borrow_mut()
                .get_or_insert_with(|| {
                    let sheet = web_sys::CssStyleSheet::new().unwrap_throw();
                    let _ = sheet.replace_sync(CSS);
                    sheet
                })
                .clone()
        });
        let _ = Reflect::set(&root, &"adoptedStyleSheets".into(), &js_sys::Array::of1(&sheet));
        let app: Rc<RefCell<Option<yew::AppHandle<Prompt>>>> = Rc::default();
        let done = {
            let (app, host) = (app.clone(), host.clone());
            Callback::from(move |kind: &'static str| {
                host.remove();
                if let Some(app) = app.borrow_mut().take() {
                    app.destroy();
                }
                let outcome = Object::new();
                let _ = Reflect::set(
                    &outcome,
                    &"outcome".into(),
                    &(if kind == "response" { "submitted" } else { "dismissed" }).into(),
                );
                let _ = resolve.call1(&JsValue::UNDEFINED, &outcome);
            })
        };
        let props = Props { conversation_id: conversation_id.clone().map(AttrValue::from), done };
        // Yew renders into an element, so the shadow root gets one more
        // (`display: contents`, no box) than the plain-DOM floor's.
        let mount = document.create_element("div").unwrap_throw();
        let _ = mount.set_attribute("style", "display:contents");
        root.append_child(&mount).unwrap_throw();
        app.replace(Some(yew::Renderer::<Prompt>::with_root_and_props(mount, props).render()));
        document.body().unwrap_throw().append_child(&host).unwrap_throw();
    })
}
