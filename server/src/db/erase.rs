//! What the law asks of whoever keeps customers' words: deleting answers
//! past a retention period, erasing everything stored for one
//! conversation, one customer key or one agent, and printing what is
//! stored for one conversation. Erasing also removes the audit rows that
//! name an erased answer and the notifications owed or sent about it (the
//! outbox), so no row of it is left in any table.

use serde_json::{json, Value};
use sqlx::Row;

use super::{Db, Pools};

/// Whose answers to erase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Conversation(String),
    /// The payload's `metadata.customerKey` (the widget never posts the
    /// `customerId` itself; a site that wants erasure per customer puts a
    /// pseudonymous key there).
    CustomerKey(String),
    Agent(String),
}

impl Target {
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Conversation(_) => "conversation",
            Target::CustomerKey(_) => "customer-key",
            Target::Agent(_) => "agent",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Target::Conversation(v) | Target::CustomerKey(v) | Target::Agent(v) => v,
        }
    }

    /// The condition on `responses` for each database (`$1` is the value).
    fn condition(&self, postgres: bool) -> &'static str {
        match (self, postgres) {
            (Target::Conversation(_), _) => "conversation_id = $1",
            (Target::Agent(_), _) => "agent_id = $1",
            (Target::CustomerKey(_), false) => "json_valid(body) AND json_extract(body, '$.metadata.customerKey') = $1",
            (Target::CustomerKey(_), true) => "(body::jsonb -> 'metadata' ->> 'customerKey') = $1",
        }
    }
}

impl Db {
    /// Erases every answer of `target` and the audit rows naming them;
    /// returns how many answers.
    pub async fn erase(&self, target: &Target) -> Result<u64, sqlx::Error> {
        let postgres = matches!(self.pools, Pools::Postgres(_));
        let condition = target.condition(postgres);
        on_pool!(&self.pools, write, |pool| {
            let mut tx = pool.begin().await?;
            let ids: Vec<String> = sqlx::query_scalar(&format!("SELECT id FROM responses WHERE {condition}"))
                .bind(target.value())
                .fetch_all(&mut *tx)
                .await?;
            for id in &ids {
                sqlx::query("DELETE FROM audit_log WHERE subject = $1").bind(id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM outbox WHERE response_id = $1").bind(id).execute(&mut *tx).await?;
            }
            let done = sqlx::query(&format!("DELETE FROM responses WHERE {condition}"))
                .bind(target.value())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(done.rows_affected())
        })
    }

    /// Deletes answers (and suppression records) received before
    /// `before_ms`, with the audit rows naming them and their
    /// notifications, and digests recorded before then; returns how many
    /// answers.
    pub async fn expire(&self, before_ms: i64) -> Result<u64, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM audit_log WHERE subject IN (SELECT id FROM responses WHERE received_ms < $1)")
                .bind(before_ms)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM outbox WHERE response_id IN (SELECT id FROM responses WHERE received_ms < $1)
                    OR (response_id IS NULL AND created_ms < $1)",
            )
            .bind(before_ms)
            .execute(&mut *tx)
            .await?;
            let done =
                sqlx::query("DELETE FROM responses WHERE received_ms < $1").bind(before_ms).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(done.rows_affected())
        })
    }

    /// Everything stored for one conversation, oldest first:
    /// `{payload, receivedAt, deliveries, followedUpAt, followedUpBy}`.
    pub async fn conversation(&self, conversation_id: &str) -> Result<Vec<Value>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query(
                "SELECT body, received_at, deliveries, followed_up_ms, followed_up_by FROM responses
                 WHERE conversation_id = $1 ORDER BY received_ms, id",
            )
            .bind(conversation_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    let body: String = row.try_get(0)?;
                    let followed: Option<i64> = row.try_get(3)?;
                    Ok(json!({
                        "payload": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null),
                        "receivedAt": row.try_get::<String, _>(1)?,
                        "deliveries": row.try_get::<i64, _>(2)?,
                        "followedUpAt": followed.map(crate::clock::rfc3339),
                        "followedUpBy": row.try_get::<Option<String>, _>(4)?,
                    }))
                })
                .collect()
        })
    }
}
