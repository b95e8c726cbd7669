//! The outbox: the notifications the receiver owes, as rows. The batch
//! writer records them in the same transaction as the answer
//! ([`enqueue_sql`], used by `writer`); a worker claims the due ones with
//! a lease (a conditional `UPDATE` on `locked_until`, the same statement
//! on both databases, so receivers sharing a PostgreSQL never hold one row
//! at once), and records each outcome. Also: the daily digests owed, the
//! rows the admin page lists, resending one, and the people's e-mail
//! addresses the worker needs. What a notification says and how it is
//! sent are `notify`'s; erasing rows with their answer is `erase`'s.

use std::collections::HashMap;
use std::fmt::Write as _;

use sqlx::Row;

use super::{columns, Db, Entry, Pools};

/// A row the worker claimed: what to send, to which destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    pub delivery_id: String,
    pub destination: String,
    /// The answer it is about (none for a digest).
    pub response_id: Option<String>,
    /// A digest's person and UTC day (`YYYY-MM-DD`).
    pub user_name: Option<String>,
    pub day: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub created_ms: i64,
}

/// An answer as a notification needs it: the row, the stored payload and
/// when it arrived (RFC 3339).
#[derive(Clone, Debug)]
pub struct Answer {
    pub entry: Entry,
    pub body: String,
    pub received_at: String,
}

/// What became of one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Try again at `next_ms`.
    Retry {
        next_ms: i64,
        error: String,
    },
    /// Given up on (an admin can resend it).
    Failed {
        error: String,
    },
}

/// One attempt's outcome, for the row claimed under `lease`.
#[derive(Clone, Debug)]
pub struct Finished {
    pub delivery_id: String,
    pub lease: String,
    pub outcome: Outcome,
    pub at_ms: i64,
}

/// A row as the admin page shows it.
#[derive(Clone, Debug)]
pub struct Notification {
    pub delivery_id: String,
    pub destination: String,
    pub response_id: Option<String>,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub created_ms: i64,
    pub next_ms: i64,
    pub sent_ms: Option<i64>,
    pub last_error: Option<String>,
}

/// One notification owed, as the writer records it.
pub(super) struct Owed<'a> {
    /// [`delivery_id`] of the two below, made once for the row and the hand-off.
    pub delivery_id: String,
    pub destination: &'a str,
    pub response_id: &'a str,
    pub at_ms: i64,
}

/// The delivery id of `destination`'s notification about answer `id`:
/// stable, so a receiver can drop a second delivery of it.
pub fn delivery_id(destination: &str, id: &str) -> String {
    format!("{destination}:{id}")
}

/// The most outbox rows in one `INSERT` (8 parameters each).
pub(super) const MAX_OWED: usize = 1000;

/// `INSERT INTO outbox ... VALUES (...), ... ON CONFLICT DO NOTHING` for
/// `rows` rows of `(delivery_id, destination, response_id, at_ms, at_ms,
/// lease, locked_until, attempts)`, bound in that order: unleased (`NULL,
/// 0, 0`) or leased to this receiver's worker (see `handoff`).
pub(super) fn enqueue_sql(rows: usize, sqlite: bool) -> String {
    let mut sql = String::from(
        "INSERT INTO outbox (delivery_id, destination, response_id, created_ms, next_ms, lease, locked_until, attempts) VALUES ",
    );
    for i in 0..rows {
        let row: Vec<String> = (1..=8).map(|k| super::writer::mark(sqlite, i * 8 + k)).collect();
        let _ = write!(sql, "{}({})", if i > 0 { "," } else { "" }, row.join(", "));
    }
    sql.push_str(" ON CONFLICT (delivery_id) DO NOTHING");
    sql
}

const CLAIMED: &str = "delivery_id, destination, response_id, user_name, day, attempts, created_ms";

impl Db {
    /// Claims up to `limit` due rows of `destinations` (those this
    /// receiver knows) for the worker: each is held until `until_ms` under
    /// `lease` (another worker skips it until then, and takes it over
    /// after, if this one died) and counts one more attempt.
    pub async fn claim(
        &self,
        now_ms: i64,
        until_ms: i64,
        lease: &str,
        limit: i64,
        destinations: &[String],
    ) -> Result<Vec<Claimed>, sqlx::Error> {
        if destinations.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (0..destinations.len()).map(|i| format!("${}", i + 5)).collect();
        let sql = format!(
            "UPDATE outbox SET locked_until = $1, lease = $2, attempts = attempts + 1
             WHERE delivery_id IN (SELECT delivery_id FROM outbox
                                   WHERE state = 'pending' AND next_ms <= $3 AND locked_until <= $3
                                     AND destination IN ({})
                                   ORDER BY next_ms LIMIT $4)
               AND state = 'pending' AND locked_until <= $3
             RETURNING {CLAIMED}",
            marks.join(", ")
        );
        on_pool!(&self.pools, write, |pool| {
            let mut query = sqlx::query(&sql).bind(until_ms).bind(lease).bind(now_ms).bind(limit);
            for d in destinations {
                query = query.bind(d);
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(Claimed {
                        delivery_id: r.try_get(0)?,
                        destination: r.try_get(1)?,
                        response_id: r.try_get(2)?,
                        user_name: r.try_get(3)?,
                        day: r.try_get(4)?,
                        attempts: r.try_get(5)?,
                        created_ms: r.try_get(6)?,
                    })
                })
                .collect()
        })
    }

    /// The answers with these ids, by id (an erased one is missing).
    pub async fn answers(&self, ids: &[String]) -> Result<HashMap<String, Answer>, sqlx::Error> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT {}, body, received_at FROM responses WHERE id IN ({})",
                columns::select_list(),
                marks.join(", ")
            );
            on_pool!(&self.pools, read, |pool| {
                let mut query = sqlx::query(&sql);
                for id in chunk {
                    query = query.bind(id);
                }
                for row in query.fetch_all(pool).await? {
                    let entry = Entry::from_row(&row)?;
                    let answer = Answer { body: row.try_get("body")?, received_at: row.try_get("received_at")?, entry };
                    found.insert(answer.entry.answer.id.clone(), answer);
                }
            });
        }
        Ok(found)
    }

    /// Records outcomes, in one transaction: the sent ones of each lease
    /// with one statement (as sent at the latest of their times, a few
    /// milliseconds apart), the others one by one. A row whose lease has
    /// passed to another worker is left to that worker.
    pub async fn finish(&self, done: &[Finished]) -> Result<(), sqlx::Error> {
        let mut sent: HashMap<&str, (i64, Vec<&str>)> = HashMap::new();
        for f in done.iter().filter(|f| f.outcome == Outcome::Sent) {
            let (at, ids) = sent.entry(f.lease.as_str()).or_insert((f.at_ms, Vec::new()));
            *at = (*at).max(f.at_ms);
            ids.push(&f.delivery_id);
        }
        on_pool!(&self.pools, write, |pool| {
            let mut tx = pool.begin().await?;
            for (lease, (at_ms, ids)) in &sent {
                for chunk in ids.chunks(500) {
                    let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
                    let sql = format!(
                        "UPDATE outbox SET state = 'sent', sent_ms = $1, next_ms = $1, last_error = NULL,
                             locked_until = 0, lease = NULL
                         WHERE lease = $2 AND delivery_id IN ({})",
                        marks.join(", ")
                    );
                    let mut update = sqlx::query(&sql).bind(at_ms).bind(lease);
                    for id in chunk {
                        update = update.bind(*id);
                    }
                    update.execute(&mut *tx).await?;
                }
            }
            for f in done.iter().filter(|f| f.outcome != Outcome::Sent) {
                let (state, next_ms, error) = match &f.outcome {
                    Outcome::Retry { next_ms, error } => ("pending", *next_ms, error.as_str()),
                    Outcome::Failed { error } => ("failed", f.at_ms, error.as_str()),
                    Outcome::Sent => continue,
                };
                sqlx::query(
                    "UPDATE outbox SET state = $1, next_ms = $2, last_error = $3, locked_until = 0, lease = NULL
                     WHERE delivery_id = $4 AND lease = $5",
                )
                .bind(state)
                .bind(next_ms)
                .bind(error)
                .bind(&f.delivery_id)
                .bind(&f.lease)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await
        })
    }

    /// Drops a claimed row whose answer is gone (erased while it waited).
    pub async fn forget_notification(&self, delivery_id: &str) -> Result<(), sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            sqlx::query("DELETE FROM outbox WHERE delivery_id = $1").bind(delivery_id).execute(pool).await.map(drop)
        })
    }

    /// Records the digest owed to `user` for `day`, once (false if it was
    /// recorded already, by this receiver or another).
    pub async fn owe_digest(&self, user: &str, day: &str, now_ms: i64) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done = sqlx::query(
                "INSERT INTO outbox (delivery_id, destination, user_name, day, created_ms, next_ms)
                 VALUES ($1, 'digest', $2, $3, $4, $4) ON CONFLICT (delivery_id) DO NOTHING",
            )
            .bind(format!("digest:{user}:{day}"))
            .bind(user)
            .bind(day)
            .bind(now_ms)
            .execute(pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The newest `limit` rows, newest first, and how many there are in each state.
    pub async fn notifications(&self, limit: i64) -> Result<(Vec<Notification>, Vec<(String, i64)>), sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query(
                "SELECT delivery_id, destination, response_id, state, attempts, created_ms, next_ms, sent_ms, last_error
                 FROM outbox ORDER BY created_ms DESC, delivery_id LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?;
            let list = rows
                .iter()
                .map(|r| {
                    Ok(Notification {
                        delivery_id: r.try_get(0)?,
                        destination: r.try_get(1)?,
                        response_id: r.try_get(2)?,
                        state: r.try_get(3)?,
                        attempts: r.try_get(4)?,
                        created_ms: r.try_get(5)?,
                        next_ms: r.try_get(6)?,
                        sent_ms: r.try_get(7)?,
                        last_error: r.try_get(8)?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let counts = sqlx::query_as("SELECT state, count(*) FROM outbox GROUP BY state ORDER BY state")
                .fetch_all(pool)
                .await?;
            Ok((list, counts))
        })
    }

    /// Sets (or with `None` clears) a person's e-mail address; false if no such person.
    pub async fn set_email(&self, name: &str, email: Option<&str>) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done =
                sqlx::query("UPDATE users SET email = $1 WHERE name = $2").bind(email).bind(name).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The address of the person who answers for `agent_id`, if they gave one.
    pub async fn email_for_agent(&self, agent_id: &str) -> Result<Option<String>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            sqlx::query_scalar(
                "SELECT u.email FROM users u JOIN user_agent_ids a ON a.user_name = u.name
                 WHERE a.agent_id = $1 AND u.email IS NOT NULL ORDER BY u.name LIMIT 1",
            )
            .bind(agent_id)
            .fetch_optional(pool)
            .await
        })
    }

    /// Agents with an e-mail address: name, address and agent ids (for digests).
    pub async fn digest_people(&self) -> Result<Vec<(String, String, Vec<String>)>, sqlx::Error> {
        let rows: Vec<(String, String, String)> = on_pool!(&self.pools, read, |pool| {
            sqlx::query_as(
                "SELECT u.name, u.email, a.agent_id FROM users u JOIN user_agent_ids a ON a.user_name = u.name
                 WHERE u.role = 'agent' AND u.email IS NOT NULL ORDER BY u.name, a.agent_id",
            )
            .fetch_all(pool)
            .await?
        });
        let mut people: Vec<(String, String, Vec<String>)> = Vec::new();
        for (name, email, agent_id) in rows {
            match people.last_mut() {
                Some(last) if last.0 == name => last.2.push(agent_id),
                _ => people.push((name, email, vec![agent_id])),
            }
        }
        Ok(people)
    }

    /// A person's e-mail address and agent ids (a digest is sent to them
    /// with only their own answers).
    pub async fn person(&self, name: &str) -> Result<Option<(Option<String>, Vec<String>)>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            let email: Option<Option<String>> =
                sqlx::query_scalar("SELECT email FROM users WHERE name = $1 AND role = 'agent'")
                    .bind(name)
                    .fetch_optional(pool)
                    .await?;
            let Some(email) = email else { return Ok(None) };
            let ids: Vec<String> =
                sqlx::query_scalar("SELECT agent_id FROM user_agent_ids WHERE user_name = $1 ORDER BY agent_id")
                    .bind(name)
                    .fetch_all(pool)
                    .await?;
            Ok(Some((email, ids)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_of_placeholders_per_notification() {
        assert_eq!(
            enqueue_sql(2, false),
            "INSERT INTO outbox (delivery_id, destination, response_id, created_ms, next_ms, lease, locked_until, attempts) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8),($9, $10, $11, $12, $13, $14, $15, $16) \
             ON CONFLICT (delivery_id) DO NOTHING"
        );
        assert_eq!(delivery_id("webhook-1", "abc"), "webhook-1:abc");
    }
}
