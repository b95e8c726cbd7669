//! The Yew face: function components that render the prompt's state and
//! report what the customer did through `on_*` callbacks.
//!
//! Components never fetch, store or read the clock; the shell gives them
//! props and acts on their callbacks. All state changes of a prompt go
//! through one reducer (`prompt::PromptState`); effects run in
//! `use_effect_with`, never in `reduce`. The copy comes from
//! `domain::strings`.
//!
//! Reading order: `scale` (the CES radio group), `prompt` (the whole
//! panel), `slot` (the reusable root that shows a prompt or nothing).

pub mod prompt;
pub mod scale;
pub mod slot;

pub use prompt::{Mode, Placement, Prompt, PromptProps};
pub use slot::{PromptSlot, SlotProps};
