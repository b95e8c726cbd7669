//! The prompt panel: the CES question (`Mode::Effort`) or a comment-only
//! venting box (`Mode::Vent`), a skip path (close button, "No thanks",
//! Escape) and a short thank-you, announced politely.
//!
//! All state lives in one [`PromptState`] reducer. The callbacks fire from
//! an effect on the phase, so each fires at most once per prompt however
//! often Submit is clicked. The comment box is left to the browser while
//! the customer types (it is never re-written from state), and input that
//! is still being composed with an IME is neither read nor submitted, so
//! Chinese or Japanese input loses nothing.

use std::rc::Rc;

use crate::shell::platform::after;
use feedback_contract::text::{cut, integer};
use js_sys::Reflect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, HtmlDocument, HtmlTextAreaElement, InputEvent, KeyboardEvent};
use yew::prelude::*;

use super::scale::scale;
use crate::domain::response::{fit_edit, fitting, MAX_COMMENT_CHARS};
use crate::domain::{Answer, Strings, Theme};

/// Which question the prompt asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The CES 2.0 statement with a 1-7 scale and an optional comment.
    Effort,
    /// Only an optional comment, no score.
    Vent,
}

/// Where the prompt sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// A non-modal panel in a corner of the viewport (`Feedback.ask`).
    Floating,
    /// In the flow of an element the site chose (`Feedback.mount`).
    Inline,
}

#[derive(Properties, Clone)]
pub struct PromptProps {
    pub mode: Mode,
    pub placement: Placement,
    /// Company name used in the CES statement.
    pub company: AttrValue,
    pub strings: Rc<Strings>,
    #[prop_or(Theme::Auto)]
    pub theme: Theme,
    /// Personal data is removed from comments: say so under the box.
    #[prop_or(true)]
    pub redacting: bool,
    /// How long the thank-you stays before `on_done`.
    #[prop_or(2_500)]
    pub thanks_ms: u32,
    /// The customer submitted; fires once.
    pub on_submit: Callback<Answer>,
    /// The customer skipped; fires once.
    pub on_dismiss: Callback<()>,
    /// The thank-you has been shown long enough; the prompt can go.
    pub on_done: Callback<()>,
    /// The customer is skipping or sending: called before the prompt
    /// changes, while what they used still has focus; `true` when they
    /// did it with a key only a keyboard has (Escape, Ctrl/Cmd+Enter).
    #[prop_or_default]
    pub on_leaving: Callback<bool>,
    /// The customer has started answering (picked a score, typed in the
    /// comment box): called each time they do.
    #[prop_or_default]
    pub on_engaged: Callback<()>,
}

/// The copy compared as the one `Rc` it is, not field by field: the
/// copy of a prompt is not edited in place, and a derived comparison of
/// its thirty-odd strings was code of its own in the wasm.
impl PartialEq for PromptProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.strings, &other.strings)
            && (self.mode, self.placement, self.theme, self.redacting, self.thanks_ms)
                == (other.mode, other.placement, other.theme, other.redacting, other.thanks_ms)
            && self.company == other.company
            && (&self.on_submit, &self.on_dismiss, &self.on_done, &self.on_leaving, &self.on_engaged)
                == (&other.on_submit, &other.on_dismiss, &other.on_done, &other.on_leaving, &other.on_engaged)
    }
}

/// Where the prompt is in its short life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    #[default]
    Asking,
    Thanking,
    Dismissed,
}

/// Everything the customer has done so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PromptState {
    pub mode: Option<Mode>,
    pub score: Option<u8>,
    pub comment: String,
    pub follow_up: bool,
    pub phase: Phase,
    /// The status line says the prompt is here ([`ANNOUNCE_MS`]).
    pub announced: bool,
    /// How often the prompt was found out of sight when it was to say so.
    pub hidden_tries: u8,
    /// The comment box, once rendered: kept with the state (every copy
    /// shares it) rather than in a `use_node_ref` hook, which was its own
    /// copy of Yew's state-hook code.
    pub comment_box: NodeRef,
}

/// Every change a customer can make.
pub enum PromptAction {
    Choose(u8),
    Edit(String),
    FollowUp(bool),
    Submit,
    Dismiss,
    /// Say the prompt is here, if it can be seen (else look again later).
    Announce {
        seen: bool,
    },
}

impl PromptState {
    fn new(mode: Mode) -> PromptState {
        PromptState { mode: Some(mode), ..PromptState::default() }
    }

    /// An effort answer needs a score or a comment; a vent needs a comment.
    pub fn can_submit(&self) -> bool {
        let has_comment = !self.comment.trim().is_empty();
        match self.mode {
            Some(Mode::Effort) => self.score.is_some() || has_comment,
            _ => has_comment,
        }
    }

    /// The follow-up opt-in appears after a low score or with a vent.
    pub fn offers_follow_up(&self) -> bool {
        match self.mode {
            Some(Mode::Effort) => self.score.is_some_and(|s| s <= 3),
            _ => !self.comment.trim().is_empty(),
        }
    }

    fn answer(&self) -> Answer {
        Answer {
            effort: self.score,
            comment: self.comment.clone(),
            follow_up: self.follow_up && self.offers_follow_up(),
        }
    }
}

impl Reducible for PromptState {
    type Action = PromptAction;

    fn reduce(self: Rc<Self>, action: PromptAction) -> Rc<Self> {
        // Once answered or skipped, nothing changes any more.
        if self.phase != Phase::Asking {
            return self;
        }
        let mut next = (*self).clone();
        match action {
            PromptAction::Choose(n) if (1..=7).contains(&n) && self.mode == Some(Mode::Effort) => next.score = Some(n),
            PromptAction::Choose(_) => return self,
            PromptAction::Edit(text) => next.comment = cut(&text, MAX_COMMENT_CHARS),
            PromptAction::FollowUp(on) => next.follow_up = on,
            PromptAction::Submit if self.can_submit() => next.phase = Phase::Thanking,
            PromptAction::Submit => return self,
            PromptAction::Dismiss => next.phase = Phase::Dismissed,
            PromptAction::Announce { seen: true } => next.announced = true,
            PromptAction::Announce { seen: false } => next.hidden_tries = self.hidden_tries.wrapping_add(1),
        }
        if next == *self {
            return self;
        }
        Rc::new(next)
    }
}

/// Yew has no `onbeforeinput` or `oncompositionend`: listens on the
/// comment box itself, before an edit goes in (to cut what would take the
/// box over its limit, [`cut_before`]) and at the end of an IME
/// composition, when its text becomes final. One closure for both.
fn listen(
    area: HtmlTextAreaElement,
    dispatcher: UseReducerDispatcher<PromptState>,
) -> (HtmlTextAreaElement, Closure<dyn Fn(Event)>) {
    let target = area.clone();
    // (Boxed and wrapped, as the page listeners are: one copy of
    // wasm-bindgen's closure code for both.)
    let closure = Closure::<dyn Fn(Event)>::wrap(Box::new(move |e: Event| {
        if e.type_() == "beforeinput" {
            if cut_before(&target, e.unchecked_ref()) {
                dispatcher.dispatch(PromptAction::Edit(target.value()))
            }
        } else {
            // (Cut as typing is: what an IME commits into a nearly full box
            // must not go past the limit either; a second reading found
            // 2,002. A composition's edits cannot be cancelled.)
            dispatcher.dispatch(PromptAction::Edit(fit(&target)))
        }
    }));
    for name in BOX_EVENTS {
        let _ = crate::shell::listeners::listen(&area, name, closure.as_ref().unchecked_ref());
    }
    (area, closure)
}

const BOX_EVENTS: [&str; 2] = ["beforeinput", "compositionend"];

/// How long after it shows the prompt says so in its status line: the
/// prompt never takes focus, so a screen reader would not tell a customer
/// it had appeared, and a live region's text is announced only when it
/// changes after the region is in the accessibility tree (after the
/// 160 ms entrance, too). A prompt out of sight then (mounted into a
/// minimised messenger's `display: none` panel) looks again as long.
const ANNOUNCE_MS: u32 = 250;

/// The whole prompt.
#[function_component(Prompt)]
pub fn prompt(props: &PromptProps) -> Html {
    let mode = props.mode;
    let state = use_reducer(move || PromptState::new(mode));
    let strings = props.strings.clone();

    let comment_ref = state.comment_box.clone();
    {
        let answer = state.answer();
        let on_submit = props.on_submit.clone();
        let on_dismiss = props.on_dismiss.clone();
        let on_done = props.on_done.clone();
        let thanks_ms = props.thanks_ms;
        let dispatcher = state.dispatcher();
        let comment = comment_ref.clone();
        // One effect for the phase (a hook of its own costs its own copy of
        // Yew's effect code): while asking, the comment box's listeners;
        // then the callback of how the prompt ended.
        use_effect_with((state.phase, state.hidden_tries), move |(phase, _)| {
            let mut timer = None;
            let mut listening = None;
            match phase {
                Phase::Asking => {
                    let (announce, area) = (dispatcher.clone(), comment.clone());
                    timer = Some(after(ANNOUNCE_MS, move || {
                        let seen = area.cast::<HtmlTextAreaElement>().is_none_or(|a| number(&a, "offsetWidth") != 0);
                        announce.dispatch(PromptAction::Announce { seen })
                    }));
                    listening = comment.cast::<HtmlTextAreaElement>().map(|area| listen(area, dispatcher))
                }
                Phase::Thanking => {
                    on_submit.emit(answer);
                    timer = Some(after(thanks_ms, move || on_done.emit(())));
                }
                Phase::Dismissed => on_dismiss.emit(()),
            }
            move || {
                drop(timer);
                if let Some((area, closure)) = listening {
                    for name in BOX_EVENTS {
                        crate::shell::listeners::unlisten(&area, name, closure.as_ref().unchecked_ref());
                    }
                }
            }
        });
    }

    // Skipping or sending: `on_leaving` first, while what the customer
    // used still has focus, then the state changes (and the form goes).
    let leave = {
        let dispatcher = state.dispatcher();
        let on_leaving = props.on_leaving.clone();
        let can_submit = state.can_submit();
        move |action: PromptAction, keyed: bool| {
            if !matches!(action, PromptAction::Submit) || can_submit {
                on_leaving.emit(keyed);
            }
            dispatcher.dispatch(action)
        }
    };
    let send = {
        let leave = leave.clone();
        move |action: fn() -> PromptAction| {
            let leave = leave.clone();
            Callback::from(move |_: MouseEvent| leave(action(), false))
        }
    };
    // During the thank-you the close button just lets the prompt go.
    let on_close = match state.phase {
        Phase::Thanking => props.on_done.reform(|_: MouseEvent| ()),
        _ => send(|| PromptAction::Dismiss),
    };
    let on_skip = send(|| PromptAction::Dismiss);
    let dispatcher = state.dispatcher();
    let onkeydown = {
        let leave = leave.clone();
        Callback::from(move |e: KeyboardEvent| {
            typed_here(e.clone());
            if e.is_composing() {
                return;
            }
            if e.key() == "Escape" {
                // Taken here: a messenger's own Escape (closing the chat)
                // must not act on it too, nor a modal `<dialog>`'s, which
                // closes as the key's default action.
                e.stop_propagation();
                e.prevent_default();
                leave(PromptAction::Dismiss, true)
            }
        })
    };
    // Only a submission the button's click did not make reaches here (a
    // page's `requestSubmit`): see `on_submit_click`.
    let onsubmit = {
        let leave = leave.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            leave(PromptAction::Submit, false)
        })
    };
    // Submit is taken at the button's click (also the click Enter on a
    // score makes), its default, the form's submission, cancelled: a frame
    // sandboxed without `allow-forms` blocks a submission before its
    // `submit` event, and the answer was lost (an outsider's).
    let on_submit_click = {
        let leave = leave.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            leave(PromptAction::Submit, false)
        })
    };
    let on_choose = {
        let dispatcher = dispatcher.clone();
        let engaged = props.on_engaged.clone();
        Callback::from(move |n: u8| {
            engaged.emit(());
            dispatcher.dispatch(PromptAction::Choose(n))
        })
    };
    let oninput = {
        let dispatcher = dispatcher.clone();
        let engaged = props.on_engaged.clone();
        Callback::from(move |e: InputEvent| {
            engaged.emit(());
            // Text being composed with an IME is not final yet.
            if e.is_composing() {
                return;
            }
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            dispatcher.dispatch(PromptAction::Edit(fit(&area)))
        })
    };
    let on_comment_key = {
        let leave = leave.clone();
        Callback::from(move |e: KeyboardEvent| {
            // Ctrl/Cmd+Enter sends; plain Enter is a new line; nothing
            // happens while an IME is composing.
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) && !e.is_composing() {
                e.prevent_default();
                leave(PromptAction::Submit, true);
            }
        })
    };
    let on_follow_up = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            dispatcher.dispatch(PromptAction::FollowUp(input.checked()))
        })
    };

    let placement = match props.placement {
        Placement::Floating => "fb-floating",
        Placement::Inline => "fb-inline",
    };
    let mode_class = match mode {
        Mode::Effort => "fb-effort",
        Mode::Vent => "fb-vent",
    };
    let theme = match props.theme {
        Theme::Auto => "fb-theme-auto",
        Theme::Light => "fb-theme-light",
        Theme::Dark => "fb-theme-dark",
    };
    let thanking = state.phase == Phase::Thanking;
    let title = match mode {
        Mode::Effort => strings.statement(&props.company),
        Mode::Vent => strings.vent_title.clone(),
    };

    let form = if state.phase == Phase::Asking {
        let question = match mode {
            Mode::Effort => scale(title.clone().into(), state.score, &strings, &on_choose),
            Mode::Vent => html! {
                <>
                    <h2 id="fb-title" class="fb-title">{ title.clone() }</h2>
                    <p class="fb-line">{ strings.vent_line.clone() }</p>
                </>
            },
        };
        let comment_label = match mode {
            Mode::Effort => strings.comment_label(state.score).to_owned(),
            Mode::Vent => strings.vent_comment_label.clone(),
        };
        let count = state.comment.chars().count();
        let follow_up = state.offers_follow_up().then(|| {
            html! {
                <label class="fb-follow-up">
                    <input type="checkbox" id="fb-follow-up" checked={state.follow_up} onchange={on_follow_up} />
                    <span>{ strings.follow_up.clone() }</span>
                </label>
            }
        });
        html! {
            <form class="fb-form" {onsubmit} novalidate=true>
                { question }
                <label class="fb-comment-label" for="fb-comment">
                    { comment_label }{ " " }<span class="fb-optional">{ strings.optional.clone() }</span>
                </label>
                <textarea
                    id="fb-comment"
                    class="fb-comment"
                    rows="3"
                    aria-describedby="fb-count fb-privacy"
                    ref={comment_ref.clone()}
                    {oninput}
                    onkeydown={on_comment_key}
                />
                <div class="fb-meta">
                    <span id="fb-privacy" class="fb-privacy">
                        { if props.redacting { strings.privacy_note.clone() } else { String::new() } }
                    </span>
                    <span id="fb-count" class="fb-count">{ [&*integer(count as i64), "/", &integer(MAX_COMMENT_CHARS as i64)].concat() }</span>
                </div>
                // A stable slot: a child appearing mid-list would make Yew
                // rebuild its earlier siblings (and lose focus and typing).
                <div class="fb-follow-up-slot">{ for follow_up }</div>
                <div class="fb-actions">
                    <button type="button" class="fb-skip" onclick={on_skip}>{ strings.no_thanks.clone() }</button>
                    <button type="submit" class="fb-submit" disabled={!state.can_submit()} onclick={on_submit_click}>{ strings.submit.clone() }</button>
                </div>
            </form>
        }
    } else {
        html! {}
    };

    html! {
        <section
            role="region"
            aria-labelledby={if thanking { "fb-live" } else { "fb-title" }}
            lang={strings.locale.clone()}
            dir={if strings.rtl { "rtl" } else { "ltr" }}
            // Class lists that are not literals are set as the `className`
            // property (last, where `class` goes): `class={..}` would take
            // them through Yew's `Classes`, a de-duplicating set, and its
            // indexmap and hashbrown code (2.9 KB gzip).
            ~className={["fb ", placement, " ", mode_class, " ", theme].concat()}
            {onkeydown}
            onkeypress={typed_here}
            onkeyup={typed_here}
        >
            <button type="button" class="fb-close" aria-label={strings.close.clone()} onclick={on_close}>
                <span aria-hidden="true">{ "×" }</span>
            </button>
            { form }
            // Always present, so screen readers announce what is written
            // into it: that the prompt is here (out of sight), then the
            // thank-you.
            <p id="fb-live" role="status" aria-live="polite" ~className={if thanking { "fb-live fb-thanks" } else { "fb-live" }}>
                {
                    if thanking {
                        strings.thanks.clone()
                    } else if state.announced {
                        // (No space before a full-width bracket: "（选填）".)
                        let gap = if strings.optional.starts_with('（') { "" } else { " " };
                        [title.as_str(), gap, &strings.optional].concat()
                    } else {
                        String::new()
                    }
                }
            </p>
        </section>
    }
}

/// Keys pressed in the prompt are the customer's, not the page's
/// shortcuts: out of the shadow root their target reads as the host
/// element, not a text box or a radio, so a page's "/" (search) or "?"
/// (help) took what was typed in the comment box, and mdBook's arrows
/// (next chapter, whatever the target) took the scale's. They go no
/// further than the prompt; Tab (a page's focus trap), keys that only
/// modify (a page that saw Shift go down must see it come up) and Escape
/// (the prompt's own skip, stopped where it skips) go on, but not an
/// Escape that cancels an IME composition, which is the IME's (a modal
/// around the prompt would close).
fn typed_here(e: KeyboardEvent) {
    let passes = match e.key().as_str() {
        "Tab" | "Shift" | "Control" | "Alt" | "Meta" | "AltGraph" | "CapsLock" => true,
        "Escape" => !e.is_composing(),
        _ => false,
    };
    if !passes {
        e.stop_propagation();
    }
}

/// Cuts an edit that carries its text (typing, a paste, an autocorrection)
/// and would take the comment box over [`MAX_COMMENT_CHARS`] characters
/// before it goes in, as `maxlength` does (which counts UTF-16 code
/// units: it stopped an outsider at 1,000 emoji with the counter at
/// 1000/2000): the edit is cancelled and what fits of it inserted with
/// `execCommand`, so that the browser's undo and redo know the cut (a
/// second reading found Ctrl+Z dead after a cut made by setting the
/// value, and a redo putting the whole paste back over the customer's
/// last words).
///
/// Where `execCommand` does not insert (a page that replaced it, a browser
/// that refuses it), what fits goes in with `setRangeText`, which fires no
/// `input`: then true, and the caller takes the box's text.
fn cut_before(area: &HtmlTextAreaElement, e: &InputEvent) -> bool {
    if e.is_composing() {
        return false;
    }
    let Some(data) = e.data() else { return false };
    let (start, end) = (number(area, "selectionStart"), number(area, "selectionEnd"));
    let Some(fits) = fitting(&area.value(), start, end, &data, MAX_COMMENT_CHARS) else { return false };
    e.prevent_default();
    if fits == 0 {
        return false;
    }
    let part = data.get(..fits).unwrap_or(&data);
    let inserted = web_sys::window().and_then(|w| w.document()).is_some_and(|document| {
        document.unchecked_into::<HtmlDocument>().exec_command_with_show_ui_and_value("insertText", false, part)
            == Ok(true)
    });
    !inserted && area.set_range_text_with_start_and_end_and_mode(part, start as u32, end as u32, "end").is_ok()
}

/// A number property of the box, `selectionStart`, `selectionEnd` or
/// `offsetWidth` (through `Reflect`, as the few properties read in one
/// place are: typed getters and setters are an import and a glue function
/// each); `usize::MAX` when unknown (past any text).
fn number(area: &HtmlTextAreaElement, name: &str) -> usize {
    Reflect::get(area, &JsValue::from_str(name)).ok().and_then(|v| v.as_f64()).map_or(usize::MAX, |n| n as usize)
}

/// Keeps the comment box to [`MAX_COMMENT_CHARS`] characters after an
/// edit [`cut_before`] could not cut (an IME's, a line break, a drop, a
/// script's): what goes over is taken from just before the caret, off
/// the end of what the edit put in, as `maxlength` does ([`fit_edit`]),
/// not off the end of what the customer wrote.
fn fit(area: &HtmlTextAreaElement) -> String {
    let text = area.value();
    let Some((kept, at)) = fit_edit(&text, number(area, "selectionEnd"), MAX_COMMENT_CHARS) else { return text };
    area.set_value(&kept);
    let at = JsValue::from(at as f64);
    for name in ["selectionStart", "selectionEnd"] {
        let _ = Reflect::set(area, &JsValue::from_str(name), &at);
    }
    kept
}
