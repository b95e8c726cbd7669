//! Browser tests of the Yew components (`ui`) and the browser edge
//! (`shell`), run by wasm-bindgen-test in headless Chromium:
//! `cargo xtask test` (or `cargo test --target wasm32-unknown-unknown`
//! with `CHROMEDRIVER` set).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use feedback_widget::domain::{Answer, Position, Strings, Theme};
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
    /// `on_engaged` calls: the customer picked a score or typed.
    engaged: u32,
}

fn props(mode: Mode, seen: &Rc<RefCell<Seen>>) -> PromptProps {
    let (s1, s2, s3, s4) = (seen.clone(), seen.clone(), seen.clone(), seen.clone());
    PromptProps {
        mode,
        placement: Placement::Inline,
        company: AttrValue::from("Acme"),
        strings: Rc::new(Strings::builtin("en")),
        theme: Theme::Auto,
        redacting: true,
        thanks_ms: 0,
        on_submit: Callback::from(move |a: Answer| s1.borrow_mut().submitted.push(a)),
        on_dismiss: Callback::from(move |()| s2.borrow_mut().dismissed += 1),
        on_done: Callback::from(move |()| s3.borrow_mut().done += 1),
        on_leaving: Callback::noop(),
        on_engaged: Callback::from(move |()| s4.borrow_mut().engaged += 1),
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
    assert_eq!(
        root.query_selector("section[role=region]").unwrap().unwrap().get_attribute("aria-labelledby").as_deref(),
        Some("fb-title")
    );
}

#[wasm_bindgen_test]
async fn submitting_twice_reports_one_answer_with_score_and_comment() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = render(Mode::Effort, &seen).await;
    assert_eq!(seen.borrow().engaged, 0, "shown: not engaged yet (no comment scanner fetched)");
    let six: HtmlInputElement = all(&root, "input[type=radio]")[5].clone().dyn_into().unwrap();
    six.click();
    settle().await;
    assert_eq!(seen.borrow().engaged, 1, "a score picked: engaged");
    type_comment(&root, "很好 <b>ok</b>");
    settle().await;
    assert_eq!(seen.borrow().engaged, 2, "and again when typing");
    let submit = one(&root, ".fb-submit");
    assert!(!submit.has_attribute("disabled"));
    submit.click();
    submit.click();
    settle().await;
    let seen = seen.borrow();
    assert_eq!(seen.submitted.len(), 1);
    assert_eq!(seen.submitted[0].effort, Some(6));
    assert_eq!(seen.submitted[0].comment, "很好 <b>ok</b>");
    assert!(!seen.submitted[0].follow_up, "no follow-up offered after a 6");
    assert_eq!(seen.dismissed, 0);
    assert_eq!(seen.done, 1, "thank-you finished");
    assert!(root.query_selector(".fb-thanks[aria-live=polite]").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn vent_prompt_has_no_score_and_needs_a_comment() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = render(Mode::Vent, &seen).await;
    assert!(all(&root, "input[type=radio]").is_empty(), "a vent prompt never asks for a score");
    assert_eq!(seen.borrow().engaged, 0);
    assert!(one(&root, ".fb-submit").has_attribute("disabled"));
    type_comment(&root, "   ");
    settle().await;
    assert!(one(&root, ".fb-submit").has_attribute("disabled"), "blank is not a comment");
    type_comment(&root, "three transfers");
    settle().await;
    assert!(seen.borrow().engaged > 0, "typing in a vent box engages");
    one(&root, ".fb-submit").click();
    settle().await;
    assert_eq!(
        seen.borrow().submitted[0],
        Answer { effort: None, comment: "three transfers".into(), follow_up: false }
    );
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
    let host = Host::render(&parent, props(Mode::Effort, &seen), Position::BottomRight).unwrap();
    yew::scheduler::flush().await;
    let shadow = host.element().shadow_root().expect("an open shadow root");
    assert_eq!(shadow.adopted_style_sheets().length(), 1);
    assert!(shadow.query_selector("style").unwrap().is_none(), "no inline <style> under CSP");
    assert!(shadow.query_selector("[style]").unwrap().is_none(), "no style attributes under CSP");
    let pinned = host.element().dyn_ref::<HtmlElement>().unwrap().style();
    assert_eq!(pinned.get_property_priority("display"), "important", "the host box is pinned against page CSS");
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

/// An endpoint nobody listens on (the discard port): every post fails as a
/// network error, so answers stay queued for a retry. (A path the test
/// server does not have would answer 404, which the widget rightly reports
/// as `failed`.)
const UNREACHABLE: &str = "http://127.0.0.1:9/collect";

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
    let error = widget.decide(JsValue::from_str("hi").unchecked_into()).err().unwrap();
    assert_eq!(message(error), "context: expected an object, got a string");
    let before = document().query_selector_all("feedback-prompt").unwrap().length();
    let decision = widget.decide(JsValue::UNDEFINED.unchecked_into()).unwrap();
    let action = js_sys::Reflect::get(&decision, &"action".into()).unwrap();
    assert_eq!(action.as_string().as_deref(), Some("effort"));
    assert_eq!(document().query_selector_all("feedback-prompt").unwrap().length(), before);
}

// ---- The policy, wired: history in storage, a clock, the prompt. ----

use feedback_widget::shell::storage::{MemoryStore, Store};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

const DAY_MS: f64 = 86_400_000.0;

fn context<T: JsCast>(json: &str) -> T {
    js_sys::JSON::parse(json).unwrap().unchecked_into()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

fn reasons(value: &JsValue) -> Vec<String> {
    js_sys::Array::from(&get(value, "reasons")).iter().map(|r| r.as_string().unwrap()).collect()
}

/// A widget on an in-memory "browser" whose clock the test moves.
fn widget_at(clock: &Rc<std::cell::Cell<f64>>, local: &Rc<MemoryStore>) -> Widget {
    let widget = Widget::from_script_tag(script_attributes(Some(UNREACHABLE)), None).unwrap();
    let clock = clock.clone();
    widget.set_clock(move || clock.get());
    // A fresh session store each time: a new browser session, same customer.
    widget.set_stores(local.clone() as Rc<dyn Store>, Rc::new(MemoryStore::default()));
    widget
}

/// The open prompt's shadow root content.
fn open_prompt() -> Option<web_sys::ShadowRoot> {
    let hosts = document().query_selector_all("feedback-prompt").unwrap();
    (0..hosts.length()).rev().find_map(|i| hosts.item(i).unwrap().dyn_into::<Element>().unwrap().shadow_root())
}

/// Answers the open prompt with score `n`, then waits for the outcome.
async fn answer_with(promise: js_sys::Promise, n: usize) -> JsValue {
    settle().await;
    let root = open_prompt().expect("a prompt is shown");
    let radios = root.query_selector_all("input[type=radio]").unwrap();
    radios.item(n as u32 - 1).unwrap().dyn_into::<HtmlElement>().unwrap().click();
    settle().await;
    root.query_selector(".fb-submit").unwrap().unwrap().dyn_into::<HtmlElement>().unwrap().click();
    JsFuture::from(promise).await.unwrap()
}

/// With the loader's reader wasm (`useReader`), the messages the widget
/// validated are what it reads (written as `feedback_transcript::wire`),
/// and what it read decides, not this build's own reader: the shipped wasm
/// has none. Without messages it is not asked; a reader that throws or
/// answers nonsense is as if there were none (this build then reads
/// itself; the shipped one decides without reading).
#[wasm_bindgen_test]
fn what_the_loader_reads_in_the_validated_messages_decides() {
    use feedback_widget::domain::transcript::wire;
    use feedback_widget::domain::{Message, Sender};
    let clock = Rc::new(std::cell::Cell::new(1_800_000_000_000.0));
    let local = Rc::new(MemoryStore::default());
    let widget = widget_at(&clock, &local);
    let angry = r#"{"messages":[{"from":"customer","text":"This is ridiculous, I am so angry"},{"from":"agent","text":"sorry"}]}"#;
    let action = |widget: &Widget, ctx: &str| {
        let d = widget.decide(context(ctx)).unwrap();
        (get(&d, "action").as_string().unwrap_or_default(), reasons(&d))
    };
    let without = action(&widget, angry);
    assert_eq!(without.0, "vent", "read by this build's reader");

    let seen: Rc<RefCell<Vec<Vec<u8>>>> = Rc::default();
    let answer = Rc::new(std::cell::Cell::new(JsValue::from(2)));
    let read = {
        let (seen, answer) = (seen.clone(), answer.clone());
        Closure::<dyn Fn(js_sys::Uint8Array) -> JsValue>::new(move |bytes: js_sys::Uint8Array| {
            seen.borrow_mut().push(bytes.to_vec());
            let a = answer.replace(JsValue::UNDEFINED);
            answer.set(a.clone());
            a
        })
    };
    widget.use_reader(read.as_ref().unchecked_ref::<js_sys::Function>().clone());
    assert_eq!(action(&widget, angry), ("vent".to_owned(), vec!["transcript_waited".to_owned()]), "its reading");
    let written = wire::decode(&seen.borrow()[0]).unwrap();
    assert_eq!(written, [Message { from: Sender::Customer, text: "This is ridiculous, I am so angry".into() }]);
    assert_eq!(action(&widget, r#"{"waitSeconds":10}"#).0, "effort");
    assert_eq!(seen.borrow().len(), 1, "no messages, not asked");
    for (nonsense, why) in
        [(JsValue::from(-1), "no lexicons"), (JsValue::from(9), "out of range"), (JsValue::from("x"), "not a number")]
    {
        answer.set(nonsense);
        assert_eq!(action(&widget, angry), without, "{why}: as without the loader's reader");
    }
    let throws =
        Closure::<dyn Fn(JsValue) -> JsValue>::new(|_: JsValue| -> JsValue { wasm_bindgen::throw_str("trap") });
    widget.use_reader(throws.as_ref().unchecked_ref::<js_sys::Function>().clone());
    assert_eq!(action(&widget, angry), without, "a reader that throws: as without it");
}

#[wasm_bindgen_test]
async fn decide_records_nothing_and_an_answer_silences_the_customer_for_fourteen_days() {
    let clock = Rc::new(std::cell::Cell::new(1_800_000_000_000.0));
    let local = Rc::new(MemoryStore::default());
    let ctx = r#"{"customerId":"cust-14","channel":"chat","waitSeconds":30}"#;

    let widget = widget_at(&clock, &local);
    for _ in 0..3 {
        let d = widget.decide(context(ctx)).unwrap();
        assert_eq!(get(&d, "action").as_string().as_deref(), Some("effort"), "decide is a dry run");
    }
    let outcome = answer_with(widget.ask(context(ctx)).unwrap(), 6).await;
    assert_eq!(get(&outcome, "outcome").as_string().as_deref(), Some("submitted"));
    assert_eq!(get(&outcome, "delivery").as_string().as_deref(), Some("queued"), "nobody listens: kept for a retry");
    assert!(local.get("feedback:v1:history:cust-14").is_none(), "the raw customer id is never a key");

    for (days, action, why) in [
        (1.0, "silent", Some("recently_answered")),
        (13.99, "silent", Some("recently_answered")),
        (14.01, "effort", None),
    ] {
        clock.set(1_800_000_000_000.0 + days * DAY_MS);
        let later = widget_at(&clock, &local);
        let promise = later.ask(context(ctx)).unwrap();
        let result =
            if action == "silent" { JsFuture::from(promise).await.unwrap() } else { answer_with(promise, 1).await };
        assert_eq!(get(&result, "action").as_string().as_deref(), Some(action), "day {days}");
        if let Some(why) = why {
            assert_eq!(get(&result, "outcome").as_string().as_deref(), Some("suppressed"), "day {days}");
            assert_eq!(reasons(&result)[0], why);
        }
    }
    settle().await;
}

#[wasm_bindgen_test]
async fn a_hard_conversation_gets_a_vent_box_with_no_score() {
    let clock = Rc::new(std::cell::Cell::new(1_800_000_000_000.0));
    let local = Rc::new(MemoryStore::default());
    let widget = widget_at(&clock, &local);
    let promise = widget.ask(context(r#"{"channel":"chat","waitSeconds":2400,"transfers":3}"#)).unwrap();
    settle().await;
    let root = open_prompt().unwrap();
    assert_eq!(root.query_selector_all("input[type=radio]").unwrap().length(), 0, "no score after a hard conversation");
    assert!(root.query_selector(".fb-vent textarea").unwrap().is_some());
    root.query_selector(".fb-skip").unwrap().unwrap().dyn_into::<HtmlElement>().unwrap().click();
    let outcome = JsFuture::from(promise).await.unwrap();
    assert_eq!(get(&outcome, "outcome").as_string().as_deref(), Some("dismissed"));
    assert_eq!(get(&outcome, "action").as_string().as_deref(), Some("vent"));
    assert_eq!(reasons(&outcome), ["long_wait", "many_transfers"]);
    settle().await;
}

#[wasm_bindgen(inline_js = "
export function break_storage() {
  const original = Object.getOwnPropertyDescriptor(window, 'localStorage');
  Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
  return () => Object.defineProperty(window, 'localStorage', original);
}")]
extern "C" {
    fn break_storage() -> js_sys::Function;
}

#[wasm_bindgen(inline_js = "
export function recording_emit(listening) {
  const emit = function (name, detail) {
    emit.calls.push(arguments.length < 2 ? [name] : [name, detail.outcome]);
    return arguments.length < 2 ? listening : undefined;
  };
  emit.calls = [];
  return emit;
}")]
extern "C" {
    fn recording_emit(listening: bool) -> js_sys::Function;
}

/// An event's detail is made into a page object (field by field; `show`'s
/// on the way to the frame that shows the prompt) only for a page that
/// listens to the event: the loader's `emit(name)` says whether it does.
#[wasm_bindgen_test]
fn an_event_detail_is_made_only_for_a_page_that_listens() {
    use feedback_widget::domain::Value;
    use feedback_widget::shell::events::Events;
    for (listening, calls) in [(false, r#"[["show"]]"#), (true, r#"[["show"],["show","shown"]]"#)] {
        let emit = recording_emit(listening);
        Events::new(Some(emit.clone())).emit("show", &Value::object(vec![("outcome", "shown".into())]));
        let seen = js_sys::JSON::stringify(&js_sys::Reflect::get(&emit, &"calls".into()).unwrap()).unwrap();
        assert_eq!(seen.as_string().as_deref(), Some(calls), "listening: {listening}");
    }
}

#[wasm_bindgen_test]
async fn a_throwing_local_storage_still_works_from_memory() {
    let restore = break_storage();
    assert!(web_sys::window().unwrap().local_storage().is_err(), "storage really throws");
    let widget = Widget::from_script_tag(script_attributes(Some(UNREACHABLE)), None).unwrap();
    let ctx = r#"{"customerId":"no-storage"}"#;
    let outcome = answer_with(widget.ask(context(ctx)).unwrap(), 7).await;
    assert_eq!(get(&outcome, "outcome").as_string().as_deref(), Some("submitted"));
    settle().await;
    // Remembered in memory for the life of the page: not asked again.
    let again = widget.decide(context(ctx)).unwrap();
    assert_eq!(get(&again, "action").as_string().as_deref(), Some("silent"));
    assert!(reasons(&again).contains(&"recently_answered".to_owned()), "{:?}", reasons(&again));
    restore.call0(&JsValue::NULL).unwrap();
}

#[wasm_bindgen_test]
async fn configure_is_all_or_nothing() {
    let widget = Widget::from_script_tag(script_attributes(Some(UNREACHABLE)), None).unwrap();
    let bad = context::<feedback_widget::shell::api::OptionsArg>(r#"{"sampleRate":0,"sessionCap":"many"}"#);
    assert_eq!(
        message(widget.configure(bad).unwrap_err()),
        "rules.sessionCap: expected a whole number (0 or more), got a string"
    );
    let d = widget.decide(context(r#"{"conversationId":"x"}"#)).unwrap();
    assert_eq!(get(&d, "action").as_string().as_deref(), Some("effort"), "the bad call changed nothing");
    widget.configure(context(r#"{"forceChannel":{"email":"silent"}}"#)).unwrap();
    let d = widget.decide(context(r#"{"channel":"email"}"#)).unwrap();
    assert_eq!(reasons(&d), ["forced_by_channel", "smooth"]);
}

fn label_text(root: &Element) -> String {
    one(root, ".fb-comment-label").text_content().unwrap()
}

#[wasm_bindgen_test]
async fn the_comment_prompt_adapts_to_the_score_and_a_low_score_offers_follow_up() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = render(Mode::Effort, &seen).await;
    assert!(label_text(&root).starts_with("What would have made it easier?"));
    let radios = all(&root, "input[type=radio]");
    radios[1].clone().dyn_into::<HtmlInputElement>().unwrap().click();
    settle().await;
    assert!(label_text(&root).starts_with("What made it hard?"));
    let follow: HtmlInputElement = one(&root, "#fb-follow-up").dyn_into().unwrap();
    assert!(!follow.checked(), "unticked by default");
    follow.click();
    settle().await;
    radios[6].clone().dyn_into::<HtmlInputElement>().unwrap().click();
    settle().await;
    let checked: Vec<bool> = all(&root, "input[type=radio]")
        .iter()
        .map(|r| r.clone().dyn_into::<HtmlInputElement>().unwrap().checked())
        .collect();
    assert!(radios.iter().all(|r| r.is_connected()), "the radios are never rebuilt (focus would be lost)");
    assert!(label_text(&root).starts_with("Anything we could do better?"), "{} {:?}", label_text(&root), checked);
    assert!(root.query_selector("#fb-follow-up").unwrap().is_none(), "no follow-up after a high score");
    radios[0].clone().dyn_into::<HtmlInputElement>().unwrap().click();
    type_comment(&root, "call me");
    settle().await;
    assert_eq!(one(&root, "#fb-count").text_content().unwrap(), "7/2000");
    one(&root, ".fb-submit").click();
    settle().await;
    let answer = &seen.borrow().submitted[0];
    assert_eq!((answer.effort, answer.follow_up), (Some(1), true));
}

#[wasm_bindgen(inline_js = "
export function compose(area, text) {
  area.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
  area.value = text;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true, data: text, inputType: 'insertCompositionText' }));
  const enter = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: 'Enter', isComposing: true, ctrlKey: true });
  area.dispatchEvent(enter);
  const escape = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: 'Escape', isComposing: true });
  area.dispatchEvent(escape);
}
export function finish(area, text) {
  area.value = text;
  area.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: text }));
}
export function ctrl_enter(area) {
  area.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: 'Enter', ctrlKey: true }));
}")]
extern "C" {
    fn compose(area: &HtmlTextAreaElement, text: &str);
    fn finish(area: &HtmlTextAreaElement, text: &str);
    fn ctrl_enter(area: &HtmlTextAreaElement);
}

#[wasm_bindgen_test]
async fn ime_composition_never_submits_or_loses_text() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = render(Mode::Vent, &seen).await;
    let area: HtmlTextAreaElement = one(&root, "textarea").dyn_into().unwrap();
    compose(&area, "ni hao");
    settle().await;
    let nothing_yet = seen.borrow().submitted.is_empty() && seen.borrow().dismissed == 0;
    assert!(nothing_yet, "Enter or Escape while composing does nothing");
    assert_eq!(area.value(), "ni hao", "the composition is untouched");
    finish(&area, "你好，转接了三次");
    settle().await;
    assert_eq!(area.value(), "你好，转接了三次");
    assert!(!one(&root, ".fb-submit").has_attribute("disabled"), "the composed text counts once final");
    ctrl_enter(&area);
    settle().await;
    assert!(
        !seen.borrow().submitted.is_empty(),
        "phase: {:?}",
        root.query_selector(".fb-live").unwrap().unwrap().text_content()
    );
    assert_eq!(seen.borrow().submitted[0].comment, "你好，转接了三次");
}

#[wasm_bindgen_test]
async fn chinese_and_right_to_left_copy() {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let mut p = props(Mode::Effort, &seen);
    // The zh-Hans locale pack, as the loader installs it.
    let pack = js_sys::JSON::parse(include_str!("../www/locales/zh-Hans.json")).unwrap();
    let pack = feedback_widget::shell::convert::to_value("pack", &pack).unwrap();
    p.strings = Rc::new(Strings::builtin("zh-CN").with_pack(Some(&pack)));
    yew::Renderer::<Prompt>::with_root_and_props(root.clone(), p).render();
    settle().await;
    let statement = pack.get("effortStatement").and_then(|v| match v {
        feedback_widget::domain::Value::String(s) => Some(s.replace("{company}", "Acme")),
        _ => None,
    });
    assert_eq!(one(&root, "legend").text_content(), statement);
    assert_eq!(one(&root, "section").get_attribute("lang").as_deref(), Some("zh-CN"));

    let arabic =
        js_sys::JSON::parse(r#"{"ar": {"effortStatement": "سهّلت {company} علي حل مشكلتي.", "submit": "إرسال"}}"#)
            .unwrap();
    let overrides = feedback_widget::shell::convert::to_value("strings", &arabic).unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let mut p = props(Mode::Effort, &seen);
    p.strings = Rc::new(Strings::builtin("ar").with_overrides(&overrides));
    yew::Renderer::<Prompt>::with_root_and_props(root.clone(), p).render();
    settle().await;
    assert_eq!(one(&root, "section").get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(one(&root, ".fb-submit").text_content().unwrap(), "إرسال");
    assert!(one(&root, "legend").text_content().unwrap().contains("Acme"));
}

/// Bytes of wasm memory in use by the allocator is not visible from here;
/// the linear memory's size is, and it only grows when the heap needs it.
fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().dyn_into().unwrap();
    js_sys::ArrayBuffer::from(memory.buffer()).byte_length() as f64
}

#[wasm_bindgen_test]
async fn rendering_and_closing_prompts_does_not_leak() {
    let parent = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&parent).unwrap();
    let cycle = || async {
        let seen = Rc::new(RefCell::new(Seen::default()));
        let host = Host::render(&parent, props(Mode::Effort, &seen), Position::BottomRight).unwrap();
        yew::scheduler::flush().await;
        host.close();
        settle().await;
    };
    for _ in 0..50 {
        cycle().await;
    }
    let before = wasm_memory_bytes();
    for _ in 0..400 {
        cycle().await;
    }
    let after = wasm_memory_bytes();
    web_sys::console::log_1(&format!("wasm memory: {before} -> {after} bytes over 400 prompts").into());
    assert!(after - before <= 65_536.0, "wasm memory grew by {} bytes over 400 prompts", after - before);
    assert_eq!(parent.child_element_count(), 0);
}

#[wasm_bindgen_test]
async fn a_new_widget_has_the_first_prompts_host_ready_and_the_prompt_uses_it() {
    // Earlier tests left idle hosts: hold them open, so none is idle.
    let parent = document().create_element("div").unwrap();
    let seen = Rc::new(RefCell::new(Seen::default()));
    let mut held = Vec::new();
    while Host::next_idle().is_some() {
        held.push(Host::render(&parent, props(Mode::Effort, &seen), Position::BottomRight).unwrap());
    }
    let local = Rc::new(MemoryStore::default());
    let clock = Rc::new(std::cell::Cell::new(1_800_000_000_000.0));
    let widget = widget_at(&clock, &local);
    // It renders a prompt there once, off the page, to have the code
    // compiled, and puts the host back when that is done: three tasks in
    // a row, which on a loaded machine outlast one `settle` (a full run
    // beside a compile failed here), so waited for, at most 2 s or so.
    for _ in 0..200 {
        settle().await;
        if Host::next_idle().is_some() {
            break;
        }
    }
    // What the widget prepared when it was made: off the page, its shadow
    // root and stylesheet in place, empty again, before anything was asked.
    let ready = Host::next_idle().expect("the widget prepared a host");
    assert!(!ready.is_connected(), "prepared off the page");
    let shadow = ready.shadow_root().expect("its shadow root, made in advance");
    assert_eq!(shadow.adopted_style_sheets().length(), 1, "its stylesheet, adopted in advance");
    assert!(shadow.query_selector("fieldset").unwrap().is_none(), "the warm-up prompt is gone");
    let asked = widget.ask(context(r#"{"customerId":"prepared"}"#)).unwrap();
    settle().await;
    assert!(ready.is_connected(), "the prompt is shown in the prepared host");
    assert!(shadow.query_selector("fieldset").unwrap().is_some(), "and rendered there");
    answer_with(asked, 5).await;
    held.into_iter().for_each(Host::close);
    settle().await;
}

#[wasm_bindgen_test]
async fn corrupt_stored_history_is_discarded_not_fatal() {
    let local = Rc::new(MemoryStore::default());
    let clock = Rc::new(std::cell::Cell::new(1_800_000_000_000.0));
    let widget = widget_at(&clock, &local);
    // Learn the key this customer's history lives under, then spoil it.
    let ctx = r#"{"customerId":"spoiled"}"#;
    answer_with(widget.ask(context(ctx)).unwrap(), 4).await;
    settle().await;
    let key = feedback_widget::shell::history::HistoryKey::for_context(
        &feedback_widget::domain::Context { customer_id: Some("spoiled".into()), ..Default::default() },
        &*local,
    );
    for garbage in ["{not json", "[1,2,3]", r#"{"lastAnsweredMs":"yesterday","dismissals":-4}"#, "null"] {
        local.set(key.as_str(), garbage);
        let later = widget_at(&clock, &local);
        let d = later.decide(context(ctx)).unwrap();
        assert_eq!(get(&d, "action").as_string().as_deref(), Some("effort"), "{garbage}");
    }
}

// ---- The Yew component: one widget for its life, listeners that go. ----

use feedback_widget::domain::{Context, Rules};
use feedback_widget::shell::component::{FeedbackPrompt, PromptOutcome};
use wasm_bindgen::closure::Closure;
use yew::{function_component, html, Html, Properties};

/// A JavaScript method replaced by a Rust closure: `(type, listener, options)`.
type Forwarder = Closure<dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>;

/// Counts the listeners added to and removed from `window` and `document`
/// while it lives, by shadowing their `addEventListener` and
/// `removeEventListener` with own properties that count and forward.
struct PageListenerCount {
    net: Rc<std::cell::Cell<i32>>,
    shadowed: Vec<(js_sys::Object, &'static str)>,
    /// The closures behind the shadowing methods, alive while they are.
    _forwarders: Vec<Forwarder>,
}

impl PageListenerCount {
    fn start() -> PageListenerCount {
        let net = Rc::new(std::cell::Cell::new(0));
        let window: js_sys::Object = web_sys::window().unwrap().unchecked_into();
        let document: js_sys::Object = document().unchecked_into();
        let mut count = PageListenerCount { net, shadowed: Vec::new(), _forwarders: Vec::new() };
        for target in [window, document] {
            for (method, step) in [("addEventListener", 1), ("removeEventListener", -1)] {
                let original: js_sys::Function = get(&target, method).unchecked_into();
                let (net, this) = (count.net.clone(), target.clone());
                let forward = Forwarder::new(move |kind: JsValue, listener: JsValue, options: JsValue| {
                    net.set(net.get() + step);
                    original.call3(&this, &kind, &listener, &options)
                });
                js_sys::Reflect::set(&target, &method.into(), forward.as_ref()).unwrap();
                count.shadowed.push((target.clone(), method));
                count._forwarders.push(forward);
            }
        }
        count
    }

    /// Listeners added minus listeners removed since `start`.
    fn net(&self) -> i32 {
        self.net.get()
    }
}

impl Drop for PageListenerCount {
    fn drop(&mut self) {
        for (target, method) in &self.shadowed {
            js_sys::Reflect::delete_property(target, &(*method).into()).unwrap();
        }
    }
}

#[derive(Properties, PartialEq)]
struct PageProps {
    /// Whether the page shows the prompt at all (false unmounts it).
    shown: bool,
    endpoint: AttrValue,
    context: Rc<Context>,
    rules: Rc<Rules>,
    on_outcome: Callback<PromptOutcome>,
    on_error: Callback<String>,
}

/// A page that shows `<FeedbackPrompt>` while `shown`.
#[function_component(Page)]
fn page(props: &PageProps) -> Html {
    if !props.shown {
        return html! {};
    }
    html! {
        <FeedbackPrompt endpoint={props.endpoint.clone()} context={props.context.clone()}
                        rules={props.rules.clone()} on_outcome={props.on_outcome.clone()}
                        on_error={props.on_error.clone()} />
    }
}

#[wasm_bindgen_test]
async fn the_component_keeps_one_widget_and_its_listeners_go_with_it() {
    let outcomes = Rc::new(RefCell::new(Vec::<PromptOutcome>::new()));
    let errors = Rc::new(RefCell::new(Vec::<String>::new()));
    // Silent and unreported: nothing is shown or posted, only decided.
    let sampled_out = Rc::new(Rules { sample_rate: 0.0, report_suppressed: false, ..Rules::default() });
    let props = |n: u32, endpoint: &'static str, rules: &Rc<Rules>, shown: bool| {
        let (outcomes, errors) = (outcomes.clone(), errors.clone());
        PageProps {
            shown,
            endpoint: AttrValue::from(endpoint),
            context: Rc::new(Context {
                conversation_id: Some(["component-", &n.to_string()].concat()),
                ..Default::default()
            }),
            rules: rules.clone(),
            on_outcome: Callback::from(move |o: PromptOutcome| outcomes.borrow_mut().push(o)),
            on_error: Callback::from(move |e: String| errors.borrow_mut().push(e)),
        }
    };

    let count = PageListenerCount::start();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let mut app =
        yew::Renderer::<Page>::with_root_and_props(root.clone(), props(0, UNREACHABLE, &sampled_out, true)).render();
    settle().await;
    let one_widget = count.net();
    assert!(one_widget > 0, "the counter sees the widget's page listeners");

    for n in 1..=100 {
        app.update(props(n, UNREACHABLE, &sampled_out, true));
        settle().await;
    }
    let after_changes = count.net();
    web_sys::console::log_1(
        &format!("page listeners: {one_widget} after the first render, {after_changes} after 100 new contexts").into(),
    );
    assert_eq!(after_changes, one_widget, "a new context reuses the widget and its listeners");
    assert_eq!(outcomes.borrow().len(), 101, "every context was asked about");
    assert!(outcomes.borrow().iter().all(|o| o.reasons.first().map(String::as_str) == Some("sampled_out")));

    // New rules and a new endpoint reconfigure the same widget in place.
    let capped = Rc::new(Rules { session_cap: 0, report_suppressed: false, ..Rules::default() });
    app.update(props(101, "https://example.com/collect", &capped, true));
    settle().await;
    assert_eq!(outcomes.borrow().last().unwrap().reasons.first().map(String::as_str), Some("session_cap"));
    // A bad endpoint is reported and changes nothing.
    app.update(props(102, "ftp://example.com/collect", &sampled_out, true));
    settle().await;
    assert_eq!(errors.borrow().len(), 1, "{:?}", errors.borrow());
    assert!(errors.borrow()[0].starts_with("endpoint"), "{}", errors.borrow()[0]);
    assert_eq!(outcomes.borrow().last().unwrap().reasons.first().map(String::as_str), Some("session_cap"));
    assert_eq!(count.net(), one_widget, "reconfiguring adds no listeners");

    app.update(props(102, "https://example.com/collect", &capped, false));
    settle().await;
    assert_eq!(count.net(), 0, "unmounted, the widget took its page listeners with it");
    app.destroy();
    settle().await;
    assert_eq!(count.net(), 0);
}

#[wasm_bindgen_test]
fn json_text_is_what_json_stringify_writes_whatever_the_page_gave_arrays() {
    use feedback_widget::domain::Value;
    use feedback_widget::shell::convert::{to_js, to_json};
    let value = Value::Object(vec![
        ("kind".into(), "response".into()),
        ("reasons".into(), Value::Array(vec!["smooth".into(), "long_wait".into()])),
        ("comment".into(), "quote \" backslash \\ tab\t newline\n nul\u{0} bell\u{7} 等咗好耐 👍🏽 \u{2028}".into()),
        (
            "numbers".into(),
            Value::Array([0.0, -0.0, 1.5, 0.1, 1e21, 1e-7, 1_795_892_077_979.0, f64::NAN].map(Value::Number).to_vec()),
        ),
        ("nested".into(), Value::Object(vec![("a".into(), Value::Array(vec![])), ("b".into(), Value::Object(vec![]))])),
        ("flags".into(), Value::Array(vec![Value::Bool(true), Value::Bool(false), Value::Null])),
    ]);
    let native = js_sys::JSON::stringify(&to_js(&value)).unwrap().as_string().unwrap();
    assert_eq!(to_json(&value), native);
    // A page whose library gave arrays, strings and numbers a `toJSON`
    // (Prototype.js 1.6): the text is the same.
    let odd = wasm_bindgen::closure::Closure::<dyn Fn() -> JsValue>::new(|| JsValue::from_str("odd"));
    let prototypes: Vec<js_sys::Object> = ["Array", "String", "Number", "Object"]
        .iter()
        .map(|name| {
            let class = js_sys::Reflect::get(&js_sys::global(), &(*name).into()).unwrap();
            js_sys::Reflect::get(&class, &"prototype".into()).unwrap().unchecked_into()
        })
        .collect();
    for prototype in &prototypes {
        js_sys::Reflect::set(prototype, &"toJSON".into(), odd.as_ref()).unwrap();
    }
    let after = to_json(&value);
    for prototype in &prototypes {
        js_sys::Reflect::delete_property(prototype, &"toJSON".into()).unwrap();
    }
    assert_eq!(after, native);
}
