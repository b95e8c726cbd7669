//! An admin's resends: one notification made due again now, or every
//! failed one of a destination (after the destination was fixed: a 400 or
//! 410 fails a notification at once, and an outage longer than a day fails
//! them all). A row a worker holds at that moment is left to it.

use super::{Db, Pools};

/// What makes a row due again now (`$1`): pending, unleased, without its
/// last error.
const DUE_AGAIN: &str =
    "UPDATE outbox SET state = 'pending', next_ms = $1, locked_until = 0, lease = NULL, last_error = NULL";

impl Db {
    /// Makes a row due again now (an admin's resend), unless a worker
    /// holds it; the answer it is about, `Some(None)` for a digest, `None`
    /// if there is no such row or it is held.
    pub async fn resend(&self, delivery_id: &str, now_ms: i64) -> Result<Option<Option<String>>, sqlx::Error> {
        let sql = format!("{DUE_AGAIN} WHERE delivery_id = $2 AND locked_until <= $1 RETURNING response_id");
        on_pool!(&self.pools, write, |pool| {
            sqlx::query_scalar(&sql).bind(now_ms).bind(delivery_id).fetch_optional(pool).await
        })
    }

    /// Makes every failed row of `destination` due again now; how many.
    pub async fn resend_failed(&self, destination: &str, now_ms: i64) -> Result<u64, sqlx::Error> {
        let sql = format!("{DUE_AGAIN} WHERE destination = $2 AND state = 'failed'");
        on_pool!(&self.pools, write, |pool| {
            let done = sqlx::query(&sql).bind(now_ms).bind(destination).execute(pool).await?;
            Ok(done.rows_affected())
        })
    }
}
