//! The prompt panel: the CES question (`Mode::Effort`) or a comment-only
//! venting box (`Mode::Vent`), a skip path (close button, "No thanks",
//! Escape) and a short thank-you.
//!
//! All state lives in one [`PromptState`] reducer. The callbacks fire from
//! an effect on the phase, so each fires at most once per prompt however
//! often Submit is clicked.

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use web_sys::{HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use super::scale::Scale;
use super::strings::Strings;
use crate::domain::response::MAX_COMMENT_CHARS;
use crate::domain::Answer;

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

#[derive(Properties, PartialEq)]
pub struct PromptProps {
    pub mode: Mode,
    pub placement: Placement,
    /// Company name used in the CES statement.
    pub company: AttrValue,
    #[prop_or(&super::strings::EN)]
    pub strings: &'static Strings,
    /// How long the thank-you stays before `on_done`.
    #[prop_or(2_500)]
    pub thanks_ms: u32,
    /// The customer submitted; fires once.
    pub on_submit: Callback<Answer>,
    /// The customer skipped; fires once.
    pub on_dismiss: Callback<()>,
    /// The thank-you has been shown long enough; the prompt can go.
    pub on_done: Callback<()>,
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
    pub phase: Phase,
}

/// Every change a customer can make.
pub enum PromptAction {
    Choose(u8),
    Edit(String),
    Submit,
    Dismiss,
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

    fn answer(&self) -> Answer {
        Answer { effort: self.score, comment: self.comment.clone(), follow_up: false }
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
            PromptAction::Edit(text) => next.comment = text.chars().take(MAX_COMMENT_CHARS).collect(),
            PromptAction::Submit if self.can_submit() => next.phase = Phase::Thanking,
            PromptAction::Submit => return self,
            PromptAction::Dismiss => next.phase = Phase::Dismissed,
        }
        Rc::new(next)
    }
}

/// The whole prompt.
#[function_component(Prompt)]
pub fn prompt(props: &PromptProps) -> Html {
    let mode = props.mode;
    let state = use_reducer(move || PromptState::new(mode));
    let strings = props.strings;

    {
        let answer = state.answer();
        let on_submit = props.on_submit.clone();
        let on_dismiss = props.on_dismiss.clone();
        let on_done = props.on_done.clone();
        let thanks_ms = props.thanks_ms;
        use_effect_with(state.phase, move |phase| {
            let mut timer = None;
            match phase {
                Phase::Asking => {}
                Phase::Thanking => {
                    on_submit.emit(answer);
                    timer = Some(Timeout::new(thanks_ms, move || on_done.emit(())));
                }
                Phase::Dismissed => on_dismiss.emit(()),
            }
            move || drop(timer)
        });
    }

    let dispatch = |action: fn() -> PromptAction| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action()))
    };
    // During the thank-you the close button just lets the prompt go.
    let on_close = match state.phase {
        Phase::Thanking => props.on_done.reform(|_: MouseEvent| ()),
        _ => dispatch(|| PromptAction::Dismiss),
    };
    let on_skip = dispatch(|| PromptAction::Dismiss);
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && !e.is_composing() {
                state.dispatch(PromptAction::Dismiss)
            }
        })
    };
    let onsubmit = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            state.dispatch(PromptAction::Submit)
        })
    };
    let on_choose = {
        let state = state.clone();
        Callback::from(move |n: u8| state.dispatch(PromptAction::Choose(n)))
    };
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(PromptAction::Edit(area.value()))
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

    let body = match state.phase {
        Phase::Thanking => html! {
            <p id="fb-title" class="fb-thanks" role="status" aria-live="polite">{ strings.thanks }</p>
        },
        Phase::Dismissed => html! {},
        Phase::Asking => {
            let question = match mode {
                Mode::Effort => html! {
                    <Scale
                        legend={AttrValue::from(strings.statement(&props.company))}
                        selected={state.score}
                        {strings}
                        {on_choose}
                    />
                },
                Mode::Vent => html! {
                    <>
                        <h2 id="fb-title" class="fb-title">{ strings.vent_title }</h2>
                        <p class="fb-line">{ strings.vent_line }</p>
                    </>
                },
            };
            let comment_label = match mode {
                Mode::Effort => strings.effort_comment_label,
                Mode::Vent => strings.vent_comment_label,
            };
            html! {
                <form class="fb-form" {onsubmit} novalidate=true>
                    { question }
                    <label class="fb-comment-label" for="fb-comment">
                        { comment_label }{ " " }<span class="fb-optional">{ strings.optional }</span>
                    </label>
                    <textarea
                        id="fb-comment"
                        class="fb-comment"
                        rows="3"
                        maxlength={MAX_COMMENT_CHARS.to_string()}
                        value={state.comment.clone()}
                        {oninput}
                    />
                    <div class="fb-actions">
                        <button type="button" class="fb-skip" onclick={on_skip}>{ strings.no_thanks }</button>
                        <button type="submit" class="fb-submit" disabled={!state.can_submit()}>{ strings.submit }</button>
                    </div>
                </form>
            }
        }
    };

    html! {
        <section
            class={classes!("fb", placement, mode_class)}
            role="region"
            aria-labelledby="fb-title"
            {onkeydown}
        >
            <button type="button" class="fb-close" aria-label={strings.close} onclick={on_close}>
                <span aria-hidden="true">{ "×" }</span>
            </button>
            { body }
        </section>
    }
}
