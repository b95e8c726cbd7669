//! Names that older versions stored and this one reads differently, put
//! right once at start. Webhooks were named by their place among the
//! `--webhook` flags (`webhook-1`, `webhook-2`, ...) before they were
//! named by their URL (`notify::rules::webhook_name`): their owed rows are
//! renamed to the name the same flags give now, the destination the older
//! version would have sent them to. Delivery ids are left as they were, so
//! a destination that saw an attempt already de-duplicates the next.

use super::{Db, Pools};

impl Db {
    /// Renames the outbox rows of destination `from` to `to`; how many.
    pub async fn rename_destination(&self, from: &str, to: &str) -> Result<u64, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done = sqlx::query("UPDATE outbox SET destination = $1 WHERE destination = $2")
                .bind(to)
                .bind(from)
                .execute(pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    /// The destinations with rows still owed (pending), and how many each.
    pub async fn owed_by_destination(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            sqlx::query_as(
                "SELECT destination, COUNT(*) FROM outbox WHERE state = 'pending' GROUP BY destination ORDER BY destination",
            )
            .fetch_all(pool)
            .await
        })
    }
}
