//! Names that older versions stored and this one reads differently, put
//! right once at start. Webhooks were named by their place among the
//! `--webhook` flags (`webhook-1`, `webhook-2`, ...) before they were
//! named by their URL (`notify::rules::webhook_name`): their owed rows are
//! renamed to the name the same flags give now, the destination the older
//! version would have sent them to. Delivery ids are left as they were, so
//! a destination that saw an attempt already de-duplicates the next.
//!
//! Receivers before 2026-11-29 stored a NUL in an answer's metadata as
//! the sender wrote it, `\u0000` in the body; this one stores U+FFFD
//! (`record::without_nul`). Such an old body cannot be read as
//! PostgreSQL's `jsonb`, which broke erasure by customer key for every
//! answer, and a widget's retry of the answer no longer matched it and was
//! refused as a conflict. [`Db::open`] rewrites those bodies, once: the
//! `upkeep` table lists the work still owed.

use sqlx::Row;

use super::{Db, Pools};

impl Db {
    /// Does the work the `upkeep` table says is owed, deleting each task
    /// when done.
    pub(super) async fn upkeep(&self) -> Result<(), sqlx::Error> {
        let owed: Vec<String> = on_pool!(&self.pools, read, |pool| {
            sqlx::query_scalar("SELECT task FROM upkeep").fetch_all(pool).await?
        });
        for task in owed {
            if task == "nul-in-bodies" {
                let rewritten = self.put_nul_bodies_right().await?;
                if rewritten > 0 {
                    tracing::info!(
                        "{rewritten} stored answers had a NUL in their metadata: now U+FFFD, as new answers are stored"
                    );
                }
            }
            on_pool!(&self.pools, write, |pool| {
                sqlx::query("DELETE FROM upkeep WHERE task = $1").bind(&task).execute(pool).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Rewrites the bodies that still hold a NUL as this version stores
    /// them; how many. A body with a typed `\\u0000` (text, not a NUL) is
    /// read and left as it is.
    async fn put_nul_bodies_right(&self) -> Result<u64, sqlx::Error> {
        let find = match self.pools {
            Pools::Sqlite { .. } => r"SELECT id, body FROM responses WHERE instr(body, '\u0000') > 0",
            Pools::Postgres(_) => r"SELECT id, body FROM responses WHERE strpos(body, '\u0000') > 0",
        };
        on_pool!(&self.pools, write, |pool| {
            let mut rewritten = 0;
            for row in sqlx::query(find).fetch_all(pool).await? {
                let (id, body): (String, String) = (row.try_get(0)?, row.try_get(1)?);
                let Ok(stored) = serde_json::from_str::<serde_json::Value>(&body) else { continue };
                let right = crate::record::canonical(&stored).to_string();
                if right != body {
                    // Only the body read: another receiver may have done it.
                    let done = sqlx::query("UPDATE responses SET body = $1 WHERE id = $2 AND body = $3")
                        .bind(&right)
                        .bind(&id)
                        .bind(&body)
                        .execute(pool)
                        .await?;
                    rewritten += done.rows_affected();
                }
            }
            Ok(rewritten)
        })
    }

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
