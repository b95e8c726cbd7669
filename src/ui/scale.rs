//! The CES 2.0 answer scale: seven native radio buttons in a `<fieldset>`
//! whose `<legend>` is the statement. Native radios give the WAI-ARIA radio
//! group behaviour for free: one Tab stop, arrow keys move and check, and
//! screen readers announce "n of 7". The two ends carry their labels.
//!
//! A function the prompt calls, not a component of its own: a component
//! costs its own copy of Yew's lifecycle code (creating, comparing props,
//! rendering), and the scale has no state to keep.

use feedback_contract::text::integer;
use yew::prelude::*;
use yew::virtual_dom::VList;

use crate::domain::Strings;

/// Seven choices, 1 = strongly disagree ... 7 = strongly agree, under
/// `legend` (the statement the customer agrees or disagrees with).
pub fn scale(legend: AttrValue, selected: Option<u8>, strings: &Strings, on_choose: &Callback<u8>) -> Html {
    // (A loop into a vector: `{ for iterator }` was its own `Extend` code.)
    let mut options = Vec::with_capacity(7);
    for n in 1..=7u8 {
        let onchange = on_choose.reform(move |_: Event| n);
        let label = match n {
            1 => Some(["1, ", &strings.strongly_disagree].concat()),
            7 => Some(["7, ", &strings.strongly_agree].concat()),
            _ => None,
        };
        options.push(html! {
            <label class="fb-option">
                <input
                    type="radio"
                    name="effort"
                    value={integer(n.into())}
                    checked={selected == Some(n)}
                    aria-label={label}
                    {onchange}
                />
                <span>{ integer(n.into()) }</span>
            </label>
        });
    }
    html! {
        <fieldset class="fb-scale">
            <legend id="fb-title" class="fb-title">{ legend }</legend>
            <div class="fb-options">{ VList::with_children(options, None) }</div>
            <div class="fb-ends" aria-hidden="true">
                <span>{ strings.strongly_disagree.clone() }</span>
                <span>{ strings.strongly_agree.clone() }</span>
            </div>
        </fieldset>
    }
}
