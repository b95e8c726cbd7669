//! Storage: SQLite (WAL, one writer connection, a few readers) or
//! PostgreSQL, behind one API; new posts are written in batches by one task. Every statement is written once with `$N`
//! placeholders, which both drivers accept, and [`on_pool!`] runs it on
//! whichever pool is configured.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

use crate::clock;
use crate::config::Database;
use crate::record::Record;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The database, and the one task that writes new payloads to it.
///
/// Posts are written by a single task in batches (group commit): whatever
/// arrived while the previous batch was being written goes into the next
/// one, as one multi-row `INSERT` in one transaction. Under light load a
/// batch is one post; under heavy load the cost of a commit is shared.
#[derive(Clone)]
pub struct Db {
    pools: Pools,
    writer: mpsc::Sender<Job>,
}

#[derive(Clone)]
enum Pools {
    /// Writes go through one connection (SQLite has one writer at a time,
    /// and waiting in the pool is cheaper than spinning on `SQLITE_BUSY`);
    /// reads use the others, which WAL lets run alongside.
    Sqlite {
        write: SqlitePool,
        read: SqlitePool,
    },
    Postgres(PgPool),
}

/// One post waiting for the writer.
struct Job {
    record: Record,
    received_ms: i64,
    reply: oneshot::Sender<Result<Stored, sqlx::Error>>,
}

/// The most posts written in one batch ([`POST_COLUMNS`] parameters each:
/// well inside SQLite's 32,766 and PostgreSQL's 65,535).
const MAX_BATCH: usize = 256;

/// Runs `$body` with `$pool` bound to the configured backend's pool
/// (the writer for `write`, a reader for `read`).
macro_rules! on_pool {
    ($pools:expr, $which:ident, |$pool:ident| $body:expr) => {
        match $pools {
            Pools::Sqlite { $which: $pool, .. } => $body,
            Pools::Postgres($pool) => $body,
        }
    };
}

/// A value for a `$N` placeholder of a statement built at run time.
#[derive(Clone, Debug)]
pub enum Param {
    Text(String),
    Int(i64),
    Bool(bool),
}

macro_rules! bound {
    ($sql:expr, $params:expr) => {{
        let mut query = sqlx::query($sql);
        for param in $params {
            query = match param {
                Param::Text(s) => query.bind(s.as_str()),
                Param::Int(i) => query.bind(*i),
                Param::Bool(b) => query.bind(*b),
            };
        }
        query
    }};
}

/// What storing a payload did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same payload again: counted, not stored twice.
    Replay,
    /// The id was stored before with a different payload.
    Conflict,
}

/// One stored answer, as the inbox shows it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: String,
    pub kind: String,
    pub action: Option<String>,
    pub effort: Option<i64>,
    pub comment: Option<String>,
    pub follow_up: bool,
    pub followed_up_ms: Option<i64>,
    pub conversation_id: Option<String>,
    pub agent_id: Option<String>,
    pub channel: Option<String>,
    pub locale: Option<String>,
    pub reasons: String,
    pub received_ms: i64,
    pub deliveries: i64,
}

const ENTRY_COLUMNS: &str = "id, kind, action, effort, comment, follow_up, followed_up_ms, conversation_id, agent_id, \
     channel, locale, reasons, received_ms, deliveries";

macro_rules! entry {
    ($row:expr) => {{
        let r = $row;
        Entry {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            action: r.try_get("action")?,
            effort: r.try_get("effort")?,
            comment: r.try_get("comment")?,
            follow_up: r.try_get("follow_up")?,
            followed_up_ms: r.try_get("followed_up_ms")?,
            conversation_id: r.try_get("conversation_id")?,
            agent_id: r.try_get("agent_id")?,
            channel: r.try_get("channel")?,
            locale: r.try_get("locale")?,
            reasons: r.try_get("reasons")?,
            received_ms: r.try_get("received_ms")?,
            deliveries: r.try_get("deliveries")?,
        }
    }};
}

/// How [`Db::effort_grid`] groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grid {
    Agent,
    Week,
}

/// [`clock::week_of`] in SQL (integer division in both databases).
const WEEK_OF_RECEIVED: &str = "((received_ms + 259200000) / 604800000)";

/// A WHERE clause with its parameters.
#[derive(Clone)]
pub struct Clause {
    pub sql: String,
    pub params: Vec<Param>,
}

impl Clause {
    pub fn new() -> Clause {
        Clause { sql: "1 = 1".into(), params: Vec::new() }
    }

    /// Adds `AND (<condition>)`, where each `?` in `condition` stands for
    /// the next of `params`.
    pub fn and(&mut self, condition: &str, params: impl IntoIterator<Item = Param>) -> &mut Self {
        let mut params = params.into_iter();
        self.sql.push_str(" AND (");
        for (i, piece) in condition.split('?').enumerate() {
            if i > 0 {
                let param = params.next().expect("a parameter for each ?");
                self.params.push(param);
                self.sql.push_str(&format!("${}", self.params.len()));
            }
            self.sql.push_str(piece);
        }
        self.sql.push(')');
        debug_assert!(params.next().is_none(), "a ? for each parameter");
        self
    }
}

impl Default for Clause {
    fn default() -> Self {
        Clause::new()
    }
}

impl Db {
    /// Connects, creating the SQLite file if needed, and migrates.
    pub async fn open(database: &Database) -> Result<Db, sqlx::Error> {
        match database {
            Database::Sqlite(path) => {
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5));
                let write = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
                adopt_first_receiver(&write).await?;
                SQLITE_MIGRATIONS.run(&write).await?;
                let read = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
                Ok(Db::new(Pools::Sqlite { write, read }))
            }
            Database::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Ok(Db::new(Pools::Postgres(pool)))
            }
        }
    }

    fn new(pools: Pools) -> Db {
        let (writer, jobs) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(write_loop(pools.clone(), jobs));
        Db { pools, writer }
    }

    /// Lets in-flight statements finish and closes the connections (for
    /// SQLite this also checkpoints the WAL).
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_pool!(&self.pools, read, |pool| sqlx::query("SELECT 1").execute(pool).await.map(drop))
    }

    /// Stores `record` unless its id is stored: a replay of the same payload is
    /// counted in `deliveries`, a different payload under the same id is a
    /// conflict and changes nothing.
    pub async fn insert(&self, record: Record, received_ms: i64) -> Result<Stored, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        let job = Job { record, received_ms, reply };
        self.writer.send(job).await.map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }

    /// The newest `limit` rows as the JSON the e2e tests and scripts read:
    /// `{payload, idempotencyKey, receivedAt, deliveries}`.
    pub async fn recent_json(&self, limit: i64) -> Result<Vec<Value>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query(
                "SELECT body, idempotency_key, received_at, deliveries FROM responses
                 ORDER BY received_ms DESC, id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    let body: String = row.try_get("body")?;
                    Ok(json!({
                        "payload": serde_json::from_str::<Value>(&body).unwrap_or(Value::Null),
                        "idempotencyKey": row.try_get::<Option<String>, _>("idempotency_key")?,
                        "receivedAt": row.try_get::<String, _>("received_at")?,
                        "deliveries": row.try_get::<i64, _>("deliveries")?,
                    }))
                })
                .collect()
        })
    }

    /// Rows matching `clause`, in `order`, at most `limit`.
    pub async fn entries(&self, clause: &Clause, order: &str, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
        let mut params = clause.params.clone();
        params.push(Param::Int(limit));
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM responses WHERE {} ORDER BY {order} LIMIT ${}",
            clause.sql,
            params.len()
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = bound!(&sql, &params).fetch_all(pool).await?;
            rows.iter().map(|row| Ok(entry!(row))).collect()
        })
    }

    /// How many rows matching `clause` have each value of the text
    /// expression `group` (NULL as `None`).
    pub async fn count_by(&self, group: &str, clause: &Clause) -> Result<Vec<(Option<String>, i64)>, sqlx::Error> {
        let sql = format!(
            "SELECT {group} AS key, count(*) AS n FROM responses WHERE {} GROUP BY {group} ORDER BY {group}",
            clause.sql
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = bound!(&sql, &clause.params).fetch_all(pool).await?;
            rows.iter().map(|row| Ok((row.try_get("key")?, row.try_get("n")?))).collect()
        })
    }

    /// Scored answers matching `clause`, counted per agent (`Grid::Agent`)
    /// or per Monday-based week number (`Grid::Week`) and per effort 1-7.
    pub async fn effort_grid(&self, grid: Grid, clause: &Clause) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
        let label = match grid {
            Grid::Agent => "COALESCE(agent_id, '')",
            Grid::Week => WEEK_OF_RECEIVED,
        };
        let sql = format!(
            "SELECT {label} AS label, effort, count(*) AS n FROM responses WHERE {} AND effort IS NOT NULL
             GROUP BY {label}, effort ORDER BY {label}, effort",
            clause.sql
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = bound!(&sql, &clause.params).fetch_all(pool).await?;
            rows.iter()
                .map(|row| {
                    let label = match grid {
                        Grid::Agent => row.try_get::<String, _>("label")?,
                        Grid::Week => row.try_get::<i64, _>("label")?.to_string(),
                    };
                    Ok((label, row.try_get("effort")?, row.try_get("n")?))
                })
                .collect()
        })
    }

    /// Distinct non-empty values of a column, for the filter menus.
    pub async fn distinct(&self, column: &str) -> Result<Vec<String>, sqlx::Error> {
        let sql = format!(
            "SELECT DISTINCT {column} AS v FROM responses WHERE {column} IS NOT NULL AND {column} <> '' ORDER BY v LIMIT 500"
        );
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query(&sql).fetch_all(pool).await?;
            rows.iter().map(|row| row.try_get("v")).collect()
        })
    }

    /// Marks an answer as followed up (once); false if there is no such
    /// open follow-up.
    pub async fn mark_followed_up(&self, id: &str, at_ms: i64) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done = sqlx::query(
                "UPDATE responses SET followed_up_ms = $1 WHERE id = $2 AND follow_up = $3 AND followed_up_ms IS NULL",
            )
            .bind(at_ms)
            .bind(id)
            .bind(true)
            .execute(pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    pub async fn count(&self) -> Result<i64, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| sqlx::query_scalar("SELECT count(*) FROM responses").fetch_one(pool).await)
    }

    /// The sum of `deliveries` (posts answered 2xx, first sends and replays).
    pub async fn deliveries(&self) -> Result<i64, sqlx::Error> {
        // PostgreSQL sums BIGINT as NUMERIC; the cast keeps one decoder for both.
        on_pool!(&self.pools, read, |pool| {
            sqlx::query_scalar("SELECT CAST(COALESCE(SUM(deliveries), 0) AS BIGINT) FROM responses")
                .fetch_one(pool)
                .await
        })
    }
}

async fn write_loop(pools: Pools, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match write_batch(&pools, &batch).await {
            Ok(outcomes) => {
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
                    let result = write_batch(&pools, one).await.map(|mut outcomes| outcomes.remove(0));
                    if let Err(e) = &result {
                        tracing::error!(error = %e, id = job.record.id, "writing a post failed");
                    }
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

/// The columns [`INSERT_COLUMNS`] names, each bound once per post.
const POST_COLUMNS: usize = 15;
const INSERT_COLUMNS: &str = "INSERT INTO responses (id, idempotency_key, kind, action, effort, comment, follow_up, \
     conversation_id, agent_id, channel, locale, reasons, body, received_at, received_ms) VALUES ";

/// Writes `batch` in one transaction; the outcome of each post, in order.
async fn write_batch(pools: &Pools, batch: &[Job]) -> Result<Vec<Stored>, sqlx::Error> {
    let mut sql = String::from(INSERT_COLUMNS);
    for i in 0..batch.len() {
        let n = i * POST_COLUMNS;
        if i > 0 {
            sql.push(',');
        }
        sql.push('(');
        for k in 1..=POST_COLUMNS {
            let _ = write!(sql, "{}${}", if k > 1 { "," } else { "" }, n + k);
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (id) DO NOTHING RETURNING id");
    on_pool!(pools, write, |pool| {
        let mut tx = pool.begin().await?;
        // Only the one-post statement is worth keeping prepared.
        let mut insert = sqlx::query(&sql).persistent(batch.len() == 1);
        for job in batch {
            let r = &job.record;
            insert = insert
                .bind(&r.id)
                .bind(&r.idempotency_key)
                .bind(&r.kind)
                .bind(&r.action)
                .bind(r.effort)
                .bind(&r.comment)
                .bind(r.follow_up)
                .bind(&r.conversation_id)
                .bind(&r.agent_id)
                .bind(&r.channel)
                .bind(&r.locale)
                .bind(r.reasons.join(" "))
                .bind(&r.body)
                .bind(clock::rfc3339(job.received_ms))
                .bind(job.received_ms);
        }
        let mut inserted: HashSet<String> =
            insert.fetch_all(&mut *tx).await?.iter().map(|row| row.try_get("id")).collect::<Result<_, _>>()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for job in batch {
            // The first post of an id in the batch is the one inserted.
            if inserted.remove(&job.record.id) {
                outcomes.push(Stored::New);
                continue;
            }
            let replayed = sqlx::query("UPDATE responses SET deliveries = deliveries + 1 WHERE id = $1 AND body = $2")
                .bind(&job.record.id)
                .bind(&job.record.body)
                .execute(&mut *tx)
                .await?;
            outcomes.push(if replayed.rows_affected() == 1 { Stored::Replay } else { Stored::Conflict });
        }
        tx.commit().await?;
        Ok(outcomes)
    })
}

/// The first receiver versioned its schema with `PRAGMA user_version` (1:
/// the table, 2: `deliveries`). Brings such a file to what migration 0001
/// creates, so the migrations can take it from there.
async fn adopt_first_receiver(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let version: i64 = sqlx::query_scalar("PRAGMA user_version").fetch_one(pool).await?;
    if version == 1 {
        sqlx::query("ALTER TABLE responses ADD COLUMN deliveries INTEGER NOT NULL DEFAULT 1").execute(pool).await?;
    }
    if version >= 1 {
        sqlx::query("PRAGMA user_version = 0").execute(pool).await?;
    }
    Ok(())
}
