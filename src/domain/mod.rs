//! The pure core: what a conversation context is, what to do about it, and
//! what we post. No browser, no clock, no randomness, no storage: those are
//! passed in as values by `shell`, so everything here builds and is tested
//! natively with `cargo test`.
//!
//! Reading order: `json` (the loose input), `error`, `context` and
//! `options` (validated input), `policy` (the decision), `response` (the
//! payload).

pub mod json;
pub mod error;
pub mod context;
pub mod options;
pub mod policy;
pub mod response;

pub use context::{Channel, Context, Message, Outcome, Sender};
pub use error::{Error, ErrorKind};
pub use json::Value;
pub use options::{Endpoint, Options, ResolvedUrl, Source};
pub use policy::{decide, Action, Decision, Reason};
pub use response::{Answer, Envelope, Kind, Payload, Uuid};
