//! The one task that writes new posts, in batches (group commit):
//! whatever arrived while the previous batch was being written goes into
//! the next one, as one multi-row `INSERT` in one transaction. Under light
//! load a batch is one post; under heavy load the cost of a commit is
//! shared. The `INSERT`'s columns and values come from
//! [`columns::COLUMNS`]. In the same transaction it records the
//! notifications each new answer owes (a transactional outbox: the answer
//! and what it owes commit together or not at all; see `outbox`), and
//! after the commit it tells whoever waits for new answers (the
//! notification worker, the live inbox). It only writes posts; the inbox's
//! reads and its one update are in `inbox_queries`.

use std::collections::HashSet;
use std::fmt::Write as _;

use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use super::columns::{self, Value};
use super::handoff::Handoff;
use super::outbox::{self, Claimed, Owed};
use super::{Pools, Stored};
use crate::notify::rules::Route;
use crate::record::Record;

/// One post waiting for the writer.
pub(super) struct Job {
    pub record: Record,
    pub received_ms: i64,
    pub reply: oneshot::Sender<Result<Stored, sqlx::Error>>,
}

/// The most posts written in one batch ([`columns::written_count`]
/// parameters each: well inside SQLite's 32,766 and PostgreSQL's 65,535).
pub(super) const MAX_BATCH: usize = 256;

/// What the writer needs besides the pools: the destinations' routes,
/// and whom to tell after a commit that stored new answers (a counter of
/// batches that did).
pub(super) struct Hooks {
    pub routes: Vec<Route>,
    pub stored: tokio::sync::watch::Sender<u64>,
    /// Told when notifications were recorded without a lease.
    pub unhanded: tokio::sync::watch::Sender<u64>,
    /// Where new notifications go leased, once the worker has said so.
    pub handoff: std::sync::Arc<std::sync::OnceLock<Handoff>>,
}

pub(super) async fn write_loop(pools: Pools, mut jobs: mpsc::Receiver<Job>, hooks: Hooks) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let told = |outcomes: &[Stored]| {
        if outcomes.contains(&Stored::New) {
            hooks.stored.send_modify(|n| *n += 1);
        }
    };
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match write_batch(&pools, &batch, &hooks).await {
            Ok(outcomes) => {
                told(&outcomes);
                for (job, stored) in batch.drain(..).zip(outcomes) {
                    let _ = job.reply.send(Ok(stored));
                }
            }
            // Nothing of the batch was committed. So that one post the
            // database refuses cannot fail the others, write them one by
            // one; each hears its own outcome (a failure becomes a 503,
            // and the widget sends it again).
            Err(e) if batch.len() == 1 => {
                tracing::error!(error = %e, "writing a post failed");
                let job = batch.pop().expect("one job");
                let _ = job.reply.send(Err(e));
            }
            Err(e) => {
                tracing::warn!(error = %e, posts = batch.len(), "writing a batch failed; writing its posts one by one");
                for job in batch.drain(..) {
                    let one = std::slice::from_ref(&job);
                    let result = write_batch(&pools, one, &hooks).await.map(|mut outcomes| outcomes.remove(0));
                    match &result {
                        Ok(stored) => told(std::slice::from_ref(stored)),
                        Err(e) => tracing::error!(error = %e, id = job.record.id(), "writing a post failed"),
                    }
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

/// `INSERT ... VALUES ($1, ...), ($n, ...) ON CONFLICT (id) DO NOTHING RETURNING id`
/// for `posts` posts; with `sqlite`, `?` for each `$n` (see [`mark`]).
fn insert_sql(posts: usize, sqlite: bool) -> String {
    let per_post = columns::written_count();
    let mut sql = format!("INSERT INTO responses ({}) VALUES ", columns::insert_list());
    for i in 0..posts {
        sql.push_str(if i > 0 { ",(" } else { "(" });
        for k in 1..=per_post {
            let _ = write!(sql, "{}{}", if k > 1 { "," } else { "" }, mark(sqlite, i * per_post + k));
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (id) DO NOTHING RETURNING id");
    sql
}

/// The `n`th parameter of a statement whose parameters are bound in
/// order: `$n`, or for SQLite a bare `?`. SQLite keeps named parameters
/// (`$1`, `?1`) in a list it searches for each one bound, which made
/// binding a batch of 256 posts (3,584 parameters) quadratic: the top
/// item of the writer's profile under load.
pub(super) fn mark(sqlite: bool, n: usize) -> String {
    if sqlite {
        "?".to_owned()
    } else {
        format!("${n}")
    }
}

/// Writes `batch` in one transaction, with the notifications that its new
/// answers owe to `routes`; the outcome of each post, in order.
async fn write_batch(pools: &Pools, batch: &[Job], hooks: &Hooks) -> Result<Vec<Stored>, sqlx::Error> {
    let routes = &hooks.routes;
    let sqlite = matches!(pools, Pools::Sqlite { .. });
    let sql = insert_sql(batch.len(), sqlite);
    on_pool!(pools, write, |pool| {
        let mut tx = pool.begin().await?;
        // Only the one-post statement is worth keeping prepared.
        let mut insert = sqlx::query(&sql).persistent(batch.len() == 1);
        for job in batch {
            for value in columns::written(&job.record, job.received_ms) {
                insert = match value {
                    Value::Text(text) => insert.bind(text),
                    Value::Integer(n) => insert.bind(n),
                    Value::Boolean(b) => insert.bind(b),
                };
            }
        }
        let mut inserted: HashSet<String> =
            insert.fetch_all(&mut *tx).await?.iter().map(|row| row.try_get("id")).collect::<Result<_, _>>()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for job in batch {
            // The first post of an id in the batch is the one inserted.
            if inserted.remove(job.record.id()) {
                outcomes.push(Stored::New);
                continue;
            }
            let mut replayed =
                sqlx::query("UPDATE responses SET deliveries = deliveries + 1 WHERE id = $1 AND body = $2")
                    .bind(job.record.id())
                    .bind(&job.record.body)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
            if !replayed {
                // Stored by an older version, which kept `2.0` as sent: the
                // same answer once written as this version writes it.
                let stored: Option<String> = sqlx::query_scalar("SELECT body FROM responses WHERE id = $1")
                    .bind(job.record.id())
                    .fetch_optional(&mut *tx)
                    .await?;
                let same =
                    stored.and_then(|body| serde_json::from_str::<serde_json::Value>(&body).ok()).is_some_and(|body| {
                        let written = crate::record::canonical(&body).to_string();
                        written == job.record.body
                    });
                if same {
                    sqlx::query("UPDATE responses SET deliveries = deliveries + 1 WHERE id = $1")
                        .bind(job.record.id())
                        .execute(&mut *tx)
                        .await?;
                    replayed = true;
                }
            }
            outcomes.push(if replayed { Stored::Replay } else { Stored::Conflict });
        }
        // Only a new answer owes anything: a replay or a conflict was
        // (or was not) owed when it was first stored.
        let owed: Vec<Owed> = batch
            .iter()
            .zip(&outcomes)
            .filter(|(_, stored)| **stored == Stored::New)
            .flat_map(|(job, _)| {
                routes.iter().filter(|r| r.when.wants(&job.record.payload)).map(|r| Owed {
                    delivery_id: outbox::delivery_id(&r.name, job.record.id()),
                    destination: &r.name,
                    response_id: job.record.id(),
                    at_ms: job.received_ms,
                })
            })
            .collect();
        // Leased to this receiver's worker in this transaction, if it has
        // room: one write fewer per notification than claiming it after.
        let leased = hooks.handoff.get().and_then(|h| h.lease(owed.len()).map(|lease| (h, lease)));
        let (lease, locked_until, attempts) = match &leased {
            Some((h, lease)) => (Some(lease.as_str()), crate::clock::now_ms() + h.lease_ms, 1i64),
            None => (None, 0, 0),
        };
        for chunk in owed.chunks(outbox::MAX_OWED) {
            let sql = outbox::enqueue_sql(chunk.len(), sqlite);
            let mut enqueue = sqlx::query(&sql).persistent(chunk.len() == 1);
            for o in chunk {
                enqueue = enqueue
                    .bind(o.delivery_id.as_str())
                    .bind(o.destination)
                    .bind(o.response_id)
                    .bind(o.at_ms)
                    .bind(o.at_ms)
                    .bind(lease)
                    .bind(locked_until)
                    .bind(attempts);
            }
            enqueue.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        match leased {
            Some((h, lease)) => {
                let rows = owed
                    .into_iter()
                    .map(|o| Claimed {
                        delivery_id: o.delivery_id,
                        destination: o.destination.to_owned(),
                        response_id: Some(o.response_id.to_owned()),
                        user_name: None,
                        day: None,
                        attempts: 1,
                        created_ms: o.at_ms,
                    })
                    .collect();
                h.hand(lease, rows);
            }
            _ if !owed.is_empty() => hooks.unhanded.send_modify(|n| *n += 1),
            _ => {}
        }
        Ok(outcomes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_placeholder_per_written_column_per_post() {
        let sql = insert_sql(2, false);
        let per_post = columns::written_count();
        assert!(sql.starts_with(&format!("INSERT INTO responses ({}) VALUES (", columns::insert_list())), "{sql}");
        assert!(sql.contains(&format!("${per_post}),(${}", per_post + 1)), "{sql}");
        assert!(sql.ends_with(&format!("${}) ON CONFLICT (id) DO NOTHING RETURNING id", 2 * per_post)), "{sql}");
        let sqlite = insert_sql(2, true);
        assert_eq!(sqlite.matches('?').count(), 2 * per_post, "{sqlite}");
        assert!(!sqlite.contains('$'), "{sqlite}");
    }
}
