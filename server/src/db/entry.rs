//! One stored answer as the inbox reads it: the columns of
//! [`columns::COLUMNS`] marked `read`, decoded from either database's row.
//! It does not query; the queries are in `inbox_queries`.

use std::borrow::Cow;

use feedback_contract::{Action, Kind, Payload};
use sqlx::{ColumnIndex, Decode, Row};

use super::columns;

/// One stored answer, as the inbox shows it: the answer as the contract
/// types it, and what the receiver keeps beside it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The payload's fields the table keeps as columns. `metadata`,
    /// `createdAt` and `version` stay in the stored body (exports and
    /// webhooks send that); here they are empty.
    pub answer: Payload,
    pub followed_up_ms: Option<i64>,
    pub followed_up_by: Option<String>,
    pub received_ms: i64,
    pub deliveries: i64,
}

impl Entry {
    /// An answer received at `received_ms`, delivered once, not followed up.
    pub fn new(answer: Payload, received_ms: i64) -> Entry {
        Entry { answer, followed_up_ms: None, followed_up_by: None, received_ms, deliveries: 1 }
    }

    /// What the widget decided, in the inbox's words: a score, a vent, a
    /// comment alone, skipped, or not asked.
    pub fn what(&self) -> &'static str {
        match (self.answer.kind, self.answer.action, self.answer.effort) {
            (Kind::Response, _, Some(_)) => "score",
            (Kind::Response, Some(Action::Vent), None) => "vent",
            (Kind::Response, _, None) => "comment",
            (Kind::Dismissed, _, _) => "skipped",
            (Kind::Suppressed, _, _) => "not asked",
        }
    }

    /// The reason codes, separated by spaces, as stored.
    pub fn reasons(&self) -> String {
        self.answer.reasons.join(" ")
    }

    /// Decodes a row selected with [`columns::select_list`].
    pub(super) fn from_row<'r, R>(row: &'r R) -> Result<Entry, sqlx::Error>
    where
        R: Row,
        for<'a> &'a str: ColumnIndex<R>,
        String: Decode<'r, R::Database> + sqlx::Type<R::Database>,
        i64: Decode<'r, R::Database> + sqlx::Type<R::Database>,
        bool: Decode<'r, R::Database> + sqlx::Type<R::Database>,
    {
        let undecodable = |column: &str, value: String| sqlx::Error::ColumnDecode {
            index: column.to_owned(),
            source: format!("not a value the contract knows: {value:?}").into(),
        };
        let kind: String = row.try_get(columns::KIND.name)?;
        let kind = Kind::parse(&kind).ok_or_else(|| undecodable(columns::KIND.name, kind))?;
        // The first receiver stored any word a sender put there; one the
        // contract does not know reads as no decision, not as a broken row.
        let action = row.try_get::<Option<String>, _>(columns::ACTION.name)?.and_then(|w| Action::parse(&w));
        let effort = match row.try_get::<Option<i64>, _>(columns::EFFORT.name)? {
            None => None,
            Some(n) => Some(u8::try_from(n).map_err(|_| undecodable(columns::EFFORT.name, n.to_string()))?),
        };
        let reasons: String = row.try_get(columns::REASONS.name)?;
        let mut answer = Payload::new(row.try_get(columns::ID.name)?, kind);
        answer.action = action;
        answer.reasons = reasons.split_whitespace().map(|code| Cow::Owned(code.to_owned())).collect();
        answer.effort = effort;
        answer.comment = row.try_get(columns::COMMENT.name)?;
        answer.follow_up = row.try_get(columns::FOLLOW_UP.name)?;
        answer.conversation_id = row.try_get(columns::CONVERSATION_ID.name)?;
        answer.agent_id = row.try_get(columns::AGENT_ID.name)?;
        answer.channel = row.try_get(columns::CHANNEL.name)?;
        answer.locale = row.try_get(columns::LOCALE.name)?;
        Ok(Entry {
            answer,
            followed_up_ms: row.try_get(columns::FOLLOWED_UP_MS.name)?,
            followed_up_by: row.try_get(columns::FOLLOWED_UP_BY.name)?,
            received_ms: row.try_get(columns::RECEIVED_MS.name)?,
            deliveries: row.try_get(columns::DELIVERIES.name)?,
        })
    }
}
