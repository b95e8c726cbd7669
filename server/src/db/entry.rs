//! One stored answer as the inbox reads it: the columns of
//! [`columns::COLUMNS`] marked `read`, decoded from either database's row.
//! It does not query; the queries are in `inbox_queries`.

use sqlx::{ColumnIndex, Decode, Row};

use super::columns;

/// One stored answer, as the inbox shows it.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub id: String,
    pub kind: String,
    pub action: Option<String>,
    pub effort: Option<i64>,
    pub comment: Option<String>,
    pub follow_up: bool,
    pub followed_up_ms: Option<i64>,
    pub followed_up_by: Option<String>,
    pub conversation_id: Option<String>,
    pub agent_id: Option<String>,
    pub channel: Option<String>,
    pub locale: Option<String>,
    pub reasons: String,
    pub received_ms: i64,
    pub deliveries: i64,
}

impl Entry {
    /// What the widget decided, in the inbox's words: a score, a vent, a
    /// comment alone, skipped, or not asked.
    pub fn what(&self) -> &'static str {
        match (self.kind.as_str(), self.action.as_deref(), self.effort) {
            ("response", _, Some(_)) => "score",
            ("response", Some("vent"), None) => "vent",
            ("response", _, None) => "comment",
            ("dismissed", _, _) => "skipped",
            ("suppressed", _, _) => "not asked",
            _ => "other",
        }
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
        Ok(Entry {
            id: row.try_get(columns::ID.name)?,
            kind: row.try_get(columns::KIND.name)?,
            action: row.try_get(columns::ACTION.name)?,
            effort: row.try_get(columns::EFFORT.name)?,
            comment: row.try_get(columns::COMMENT.name)?,
            follow_up: row.try_get(columns::FOLLOW_UP.name)?,
            followed_up_ms: row.try_get(columns::FOLLOWED_UP_MS.name)?,
            followed_up_by: row.try_get(columns::FOLLOWED_UP_BY.name)?,
            conversation_id: row.try_get(columns::CONVERSATION_ID.name)?,
            agent_id: row.try_get(columns::AGENT_ID.name)?,
            channel: row.try_get(columns::CHANNEL.name)?,
            locale: row.try_get(columns::LOCALE.name)?,
            reasons: row.try_get(columns::REASONS.name)?,
            received_ms: row.try_get(columns::RECEIVED_MS.name)?,
            deliveries: row.try_get(columns::DELIVERIES.name)?,
        })
    }
}
