//! The pure core: what a conversation context is, what to do about it, and
//! what we post. No browser, no clock, no randomness, no storage: those are
//! passed in as values by `shell`, so everything here builds and is tested
//! natively with `cargo test`.
//!
//! The wire format (the payload type, its limits, `Kind`, `Action`, the
//! JSON [`Value`], dates) is the `feedback-contract` crate, shared with the
//! receiver; it is re-exported here. So is the transcript reader
//! (`feedback-transcript`), which the loader also fetches as a wasm of its
//! own.
//!
//! Reading order: `json` (the loose input, from the contract), `error`,
//! `context`, `decision` (what can be decided: actions, reasons and their
//! codes), `options` and `rules` (validated input), `history` (what this
//! browser remembers), `transcript` (reading the customer's words),
//! `policy` (deciding), `response` (the payload).

pub mod context;
pub mod decision;
pub mod error;
pub mod fields;
pub mod history;
pub mod options;
pub mod outbox;
pub mod policy;
pub mod response;
pub mod rules;
pub mod strings;

pub use context::{Channel, Context, Message, Outcome, Sender};
pub use decision::{Action, Decision, Reason};
pub use error::{Error, ErrorKind};
pub use feedback_contract::json::{self, Value};
/// The transcript reader: the `feedback-transcript` crate.
pub use feedback_transcript as transcript;
pub use history::{Event, History};
pub use options::{Credentials, Endpoint, Options, Position, ResolvedUrl, Source, Theme, Transport};
pub use policy::{decide, Now};
pub use response::{Answer, Envelope, Kind, Payload, Redact, Uuid};
pub use rules::{PerChannel, Rules};
pub use strings::Strings;
