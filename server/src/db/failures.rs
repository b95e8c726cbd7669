//! Failed credential attempts, counted per key (a client's network, or an
//! account) in fixed windows, in the database: receivers that share a
//! PostgreSQL share the counts, so a limit holds behind a load balancer.
//! One upsert per failure, one indexed read per check; rows of past
//! windows are deleted by [`Db::forget_failures`]. The policy (how many,
//! how long) is `inbox::access`'s.

use super::{Db, Pools};

impl Db {
    /// Failures of `key` in the window that starts at `window_ms`.
    pub async fn failures(&self, key: &str, window_ms: i64) -> Result<i64, sqlx::Error> {
        let n: Option<i64> = on_pool!(&self.pools, read, |pool| {
            sqlx::query_scalar("SELECT failures FROM auth_failures WHERE key = $1 AND window_ms = $2")
                .bind(key)
                .bind(window_ms)
                .fetch_optional(pool)
                .await?
        });
        Ok(n.unwrap_or(0))
    }

    /// Counts one failure of `key` in the window starting at `window_ms`
    /// (a new window starts from one); returns the count.
    pub async fn add_failure(&self, key: &str, window_ms: i64) -> Result<i64, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            sqlx::query_scalar(
                "INSERT INTO auth_failures (key, window_ms, failures) VALUES ($1, $2, 1)
                 ON CONFLICT (key) DO UPDATE SET
                     failures = CASE WHEN auth_failures.window_ms = excluded.window_ms
                                     THEN auth_failures.failures + 1 ELSE 1 END,
                     window_ms = excluded.window_ms
                 RETURNING failures",
            )
            .bind(key)
            .bind(window_ms)
            .fetch_one(pool)
            .await
        })
    }

    /// Takes back one failure of `key` counted in the window starting at
    /// `window_ms` (an attempt counted before it was checked, that was right).
    pub async fn forgive_failure(&self, key: &str, window_ms: i64) -> Result<(), sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            sqlx::query(
                "UPDATE auth_failures SET failures = failures - 1
                 WHERE key = $1 AND window_ms = $2 AND failures > 0",
            )
            .bind(key)
            .bind(window_ms)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Deletes counts of windows that started before `before_ms`.
    pub async fn forget_failures(&self, before_ms: i64) -> Result<u64, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done =
                sqlx::query("DELETE FROM auth_failures WHERE window_ms < $1").bind(before_ms).execute(pool).await?;
            Ok(done.rows_affected())
        })
    }
}
