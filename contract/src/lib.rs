//! # feedback-contract
//!
//! The wire contract between the feedback widget and any receiver: what a
//! posted payload is ([`Payload`], [`Kind`], [`Action`]), what a reason
//! code looks like, every length and size limit ([`limits`]), and how dates
//! are written ([`time`]). The widget builds its payloads with these types;
//! the receiver (`server/`) validates what arrives with the same
//! [`Payload::check`], so the two sides cannot drift apart: a payload the
//! widget can produce is one the receiver accepts.
//!
//! Architecture Invariant: this crate has no browser, server or JSON-text
//! dependency (serde's derives only). The widget's wasm carries it, so
//! nothing here may grow it: no `format!` in paths the widget runs, no
//! float formatting, no regex.
//!
//! Reading order: `limits`, `json` (the value metadata travels in),
//! `text` (cutting and measuring text), `time`, `payload`.

pub mod json;
pub mod limits;
pub mod payload;
pub mod text;
pub mod time;

pub use json::Value;
pub use payload::{Action, Kind, Payload, Problem};
