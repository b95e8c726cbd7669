//! Browser tests of the Yew components (`ui`) and the browser edge
//! (`shell`), run by wasm-bindgen-test in headless Chromium:
//! `cargo xtask test` (or `cargo test --target wasm32-unknown-unknown`
//! with `CHROMEDRIVER` set).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use feedback_widget::domain::Answer;
use feedback_widget::shell::api::Widget;
use feedback_widget::shell::host::Host;
use feedback_widget::ui::{Mode, Placement, Prompt, PromptProps};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement, InputEvent, InputEventInit};
use yew::{AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

/// What the callbacks of one rendered prompt reported.
#[derive(Default)]
struct Seen {
    submitted: Vec<Answer>,
    dismissed: u32,
    done: u32,
}

fn props(mode: Mode, seen: &Rc<RefCell<Seen>>) -> PromptProps {
    let (s1, s2, s3) = (seen.clone(), seen.clone(), seen.clone());
    PromptProps {
        mode,
        placement: Placement::Inline,
        company: AttrValue::from("Acme"),
        strings: &feedback_widget::ui::strings::EN,
        thanks_ms: 0,
        on_submit: Callback::from(move |a: Answer| s1.borrow_mut().submitted.push(a)),
        on_dismiss: Callback::from(move |()| s2.borrow_mut().dismissed += 1),
        on_done: Callback::from(move |()| s3.borrow_mut().done += 1),
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Renders a prompt into a fresh element; returns the element.
async fn render(mode: Mode, seen: &Rc<RefCell<Seen>>) -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Prompt>::with_root_and_props(root.clone(), props(mode, seen)).render();
    yew::scheduler::flush().await;
    root
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into().unwrap()).collect()
}

fn one(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).dyn_into().unwrap()
}

fn type_comment(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = one(root, "textarea").dyn_into().unwrap();
    area.set_value(text);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

async fn settle() {
    yew::scheduler::flush().await;
    // Let timers (the thank-you) and effects run.
    gloo_timers::future::TimeoutFuture::new(10).await;
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn effort_prompt_is_a_labeled_group_of_seven_radios() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = render(Mode::Effort, &seen).await;
    let legend = one(&root, "fieldset > legend");
    assert_eq!(legend.text_content().unwrap(), "Acme made it easy for me to handle my issue.");
    let radios = all(&root, "fieldset input[type=radio][name=effort]");
    assert_eq!(radios.len(), 7);
    assert_eq!(radios[0].get_attribute("aria-label").as_deref(), Some("1, Strongly disagree"));
    assert_eq!(radios[6].get_attribute("aria-label").as_deref(), Some("7, Strongly agree"));
    assert!(one(&root, ".fb-submit").has_attribute("disabled"), "nothing chosen yet");
    assert_eq!(root.query_selector("section[role=region]").unwrap().unwrap().get_attribute("aria-labelledby").as_deref(), Some("fb-title"));
}

#[wasm_bindgen_test]
async fn submitting_twice_reports_one_answer_with_score_and_comment() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = render(Mode::Effort, &seen).await;
    let six: HtmlInputElement = all(&root, "input[type=radio]")[5].clone().dyn_into().unwrap();
    six.click();
    type_comment(&root, "很好 <b>ok</b>");
    settle().await;
    let submit = one(&root, ".fb-submit");
    assert!(!submit.has_attribute("disabled"));
    submit.click();
    submit.click();
    settle().await;
    let seen = seen.borrow();
    assert_eq!(seen.submitted.len(), 1);
    assert_eq!(seen.submitted[0].effort, Some(6));
    assert_eq!(seen.submitted[0].comment, "很好 <b>ok</b>");
    assert_eq!(seen.dismissed, 0);
    assert_eq!(seen.done, 1, "thank-you finished");
    assert!(root.query_selector(".fb-thanks[aria-live=polite]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn vent_prompt_has_no_score_and_needs_a_comment() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = render(Mode::Vent, &seen).await;
    assert!(all(&root, "input[type=radio]").is_empty(), "a vent prompt never asks for a score");
    assert!(one(&root, ".fb-submit").has_attribute("disabled"));
    type_comment(&root, "   ");
    settle().await;
    assert!(one(&root, ".fb-submit").has_attribute("disabled"), "blank is not a comment");
    type_comment(&root, "three transfers");
    settle().await;
    one(&root, ".fb-submit").click();
    settle().await;
    assert_eq!(seen.borrow().submitted[0], Answer { effort: None, comment: "three transfers".into(), follow_up: false });
}

#[wasm_bindgen_test]
async fn no_thanks_and_close_each_dismiss_once() {
    for selector in [".fb-skip", ".fb-close"] {
        let seen = Rc::new(RefCell::new(Seen::default()));
        let root = render(Mode::Effort, &seen).await;
        one(&root, selector).click();
        one(&root, ".fb-close").click();
        settle().await;
        assert_eq!(seen.borrow().dismissed, 1, "{selector}");
        assert!(seen.borrow().submitted.is_empty());
    }
}

#[wasm_bindgen_test]
async fn host_renders_in_a_shadow_root_with_an_adopted_stylesheet_and_leaves_cleanly() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let parent = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&parent).unwrap();
    let host = Host::render(&parent, props(Mode::Effort, &seen)).unwrap();
    yew::scheduler::flush().await;
    let shadow = host.element().shadow_root().expect("an open shadow root");
    assert_eq!(shadow.adopted_style_sheets().length(), 1);
    assert!(shadow.query_selector("style").unwrap().is_none(), "no inline <style> under CSP");
    assert!(shadow.query_selector("[style]").unwrap().is_none(), "no style attributes under CSP");
    assert!(shadow.query_selector("fieldset").unwrap().is_some());
    assert!(parent.query_selector("fieldset").unwrap().is_none(), "the page cannot see into the prompt");
    host.close();
    settle().await;
    assert_eq!(parent.child_element_count(), 0);
}

fn message(error: wasm_bindgen::JsError) -> String {
    let value: JsValue = error.into();
    js_sys::Error::from(value).message().into()
}

fn script_attributes(endpoint: Option<&str>) -> JsValue {
    let obj = js_sys::Object::new();
    if let Some(e) = endpoint {
        js_sys::Reflect::set(&obj, &"endpoint".into(), &e.into()).unwrap();
    }
    obj.into()
}

#[wasm_bindgen_test]
fn bad_endpoints_are_refused_naming_the_attribute() {
    let check = |endpoint: Option<&str>, needle: &str| {
        let error = Widget::from_script_tag(script_attributes(endpoint), None).err().expect("must be refused");
        let text = message(error);
        assert!(text.starts_with("data-endpoint"), "{text}");
        assert!(text.contains(needle), "{text} should contain {needle}");
    };
    check(None, "missing");
    check(Some("not a url"), "expected an http(s) URL");
    check(Some("ftp://example.com/x"), "expected an http(s) URL");
    check(Some("http://example.com/collect"), "must use https");
    assert!(Widget::from_script_tag(script_attributes(Some("/collect")), None).is_ok(), "relative to the page");
    assert!(Widget::from_script_tag(script_attributes(Some("https://example.com/c")), None).is_ok());
}

#[wasm_bindgen_test]
fn decide_validates_the_context_and_records_nothing() {
    let widget = Widget::from_script_tag(script_attributes(Some("/collect")), None).unwrap();
    let error = widget.decide(JsValue::from_str("hi")).err().unwrap();
    assert_eq!(message(error), "context: expected an object, got a string");
    let before = document().query_selector_all("feedback-prompt").unwrap().length();
    let decision = widget.decide(JsValue::UNDEFINED).unwrap();
    let action = js_sys::Reflect::get(&decision, &"action".into()).unwrap();
    assert_eq!(action.as_string().as_deref(), Some("effort"));
    assert_eq!(document().query_selector_all("feedback-prompt").unwrap().length(), before);
}
