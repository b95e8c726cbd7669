//! The audit log: who signed in (or was refused), marked a follow-up,
//! exported, changed people or tokens, or erased answers, and when. The
//! application only ever appends to it, with one exception: erasing
//! answers also removes the audit rows that name them (see `erase`).
//! Never a password or a token in it.

use sqlx::Row;

use super::{Db, Pools};

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// A user's name, `token:<name>`, `cli`, or `system`.
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub client: String,
}

impl Db {
    /// Appends one line. A failure is logged, not returned: the action it
    /// records has already happened.
    pub async fn audit(&self, at_ms: i64, actor: &str, action: &str, subject: &str, client: &str) {
        let done = on_pool!(&self.pools, write, |pool| {
            sqlx::query("INSERT INTO audit_log (at_ms, actor, action, subject, client) VALUES ($1, $2, $3, $4, $5)")
                .bind(at_ms)
                .bind(actor)
                .bind(action)
                .bind(subject)
                .bind(client)
                .execute(pool)
                .await
                .map(drop)
        });
        if let Err(e) = done {
            tracing::error!(error = %e, action, "could not write the audit log");
        }
    }

    /// The newest `limit` lines, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            let rows =
                sqlx::query("SELECT at_ms, actor, action, subject, client FROM audit_log ORDER BY seq DESC LIMIT $1")
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
            rows.iter()
                .map(|r| {
                    Ok(AuditEntry {
                        at_ms: r.try_get(0)?,
                        actor: r.try_get(1)?,
                        action: r.try_get(2)?,
                        subject: r.try_get(3)?,
                        client: r.try_get(4)?,
                    })
                })
                .collect()
        })
    }
}
