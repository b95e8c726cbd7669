//! The CES 2.0 answer scale: seven native radio buttons in a `<fieldset>`
//! whose `<legend>` is the statement. Native radios give the WAI-ARIA radio
//! group behaviour for free: one Tab stop, arrow keys move and check, and
//! screen readers announce "n of 7". The two ends carry their labels.

use std::rc::Rc;

use yew::prelude::*;

use crate::domain::Strings;

#[derive(Properties, PartialEq)]
pub struct ScaleProps {
    /// The statement the customer agrees or disagrees with.
    pub legend: AttrValue,
    pub selected: Option<u8>,
    pub strings: Rc<Strings>,
    pub on_choose: Callback<u8>,
}

/// Seven choices, 1 = strongly disagree ... 7 = strongly agree.
#[function_component(Scale)]
pub fn scale(props: &ScaleProps) -> Html {
    let options = (1..=7u8).map(|n| {
        let on_choose = props.on_choose.clone();
        let onchange = Callback::from(move |_: Event| on_choose.emit(n));
        let label = match n {
            1 => Some(["1, ", &props.strings.strongly_disagree].concat()),
            7 => Some(["7, ", &props.strings.strongly_agree].concat()),
            _ => None,
        };
        html! {
            <label class="fb-option">
                <input
                    type="radio"
                    name="effort"
                    value={n.to_string()}
                    checked={props.selected == Some(n)}
                    aria-label={label}
                    {onchange}
                />
                <span>{ n }</span>
            </label>
        }
    });
    html! {
        <fieldset class="fb-scale">
            <legend id="fb-title" class="fb-title">{ props.legend.clone() }</legend>
            <div class="fb-options">{ for options }</div>
            <div class="fb-ends" aria-hidden="true">
                <span>{ props.strings.strongly_disagree.clone() }</span>
                <span>{ props.strings.strongly_agree.clone() }</span>
            </div>
        </fieldset>
    }
}
