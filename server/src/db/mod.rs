//! Storage: SQLite (WAL, one writer connection, a few readers) or
//! PostgreSQL, behind one API. This module owns the pools, the migrations
//! and the few statements the service itself needs; its children, in
//! reading order:
//!
//! - [`columns`]: the `responses` table's columns, listed once;
//! - [`entry`]: one stored answer as the inbox reads it;
//! - `writer`: the one task that writes new posts, in batches;
//! - [`clause`]: `WHERE` clauses built at run time, with parameters;
//! - `inbox_queries`: what the inbox reads (and its one update);
//! - [`accounts`]: users, sessions and API tokens; [`audit`]: the audit
//!   log; `failures`: failed-credential counters; [`erase`]: retention,
//!   erasure and export;
//! - [`outbox`]: the notifications owed (recorded by the writer) and
//!   their delivery state.
//!
//! The `Db` also carries two signals for the tasks that live as long as
//! it: a counter the writer bumps after storing new answers
//! ([`Db::stored`]), and whether the receiver is shutting down
//! ([`Db::closing`]); [`Db::close`] waits for the tasks handed to
//! [`Db::hold`] before closing the pools.
//!
//! Every statement is written once with `$N` placeholders, which both
//! drivers accept, and [`on_pool!`] runs it on whichever pool is
//! configured. Nothing here renders HTML or knows about HTTP.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::{mpsc, oneshot, watch};

use crate::config::Database;
use crate::notify::rules::Route;
use crate::record::Record;

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

#[macro_use]
pub mod clause;
pub mod accounts;
pub mod audit;
pub mod columns;
pub mod entry;
pub mod erase;
mod failures;
pub mod handoff;
mod inbox_queries;
pub mod outbox;
mod resend;
mod upgrade;
mod writer;

pub use clause::{Clause, Param};
pub use entry::Entry;
pub use inbox_queries::Grid;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The database, and the one task that writes new payloads to it
/// (see `writer`: posts are written in batches, group commit).
#[derive(Clone)]
pub struct Db {
    pools: Pools,
    writer: mpsc::Sender<writer::Job>,
    stored: watch::Receiver<u64>,
    /// Changes each time the writer recorded notifications unleased.
    unhanded: watch::Receiver<u64>,
    handoff: Arc<std::sync::OnceLock<handoff::Handoff>>,
    closing: Arc<watch::Sender<bool>>,
    held: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
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

/// What storing a payload did.
#[derive(Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    /// The same payload again: counted, not stored twice.
    Replay,
    /// The id was stored before with a different payload.
    Conflict,
}

impl Db {
    /// Connects, creating the SQLite file if needed, and migrates; new
    /// answers owe no notification.
    pub async fn open(database: &Database) -> Result<Db, sqlx::Error> {
        Db::open_with(database, Vec::new()).await
    }

    /// [`Db::open`], with the destinations whose notifications new answers
    /// owe (recorded with each answer, in its transaction).
    pub async fn open_with(database: &Database, routes: Vec<Route>) -> Result<Db, sqlx::Error> {
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
                Db::new(Pools::Sqlite { write, read }, routes).upgraded().await
            }
            Database::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Db::new(Pools::Postgres(pool), routes).upgraded().await
            }
        }
    }

    /// Puts right what older versions stored and this one reads
    /// differently (see `upgrade`).
    async fn upgraded(self) -> Result<Db, sqlx::Error> {
        self.upkeep().await?;
        Ok(self)
    }

    fn new(pools: Pools, routes: Vec<Route>) -> Db {
        let (writer, jobs) = mpsc::channel(4 * writer::MAX_BATCH);
        let (stored_tx, stored) = watch::channel(0);
        let (unhanded_tx, unhanded) = watch::channel(0);
        let handoff = Arc::new(std::sync::OnceLock::new());
        let hooks = writer::Hooks { routes, stored: stored_tx, unhanded: unhanded_tx, handoff: handoff.clone() };
        tokio::spawn(writer::write_loop(pools.clone(), jobs, hooks));
        let closing = Arc::new(watch::channel(false).0);
        Db { pools, writer, stored, unhanded, handoff, closing, held: Arc::default() }
    }

    /// Has the writer lease new answers' notifications to this receiver's
    /// worker and hand them over (see `handoff`); set once, by the worker.
    /// The destinations are the writer's routes, which the worker serves.
    pub fn hand_new_notifications(&self, to: handoff::Handoff) -> Option<&handoff::Handoff> {
        let _ = self.handoff.set(to);
        self.handoff.get()
    }

    /// Changes each time the writer recorded notifications it did not hand
    /// to the worker (to be claimed).
    pub fn unhanded(&self) -> watch::Receiver<u64> {
        self.unhanded.clone()
    }

    /// Changes each time the writer has committed new answers.
    pub fn stored(&self) -> watch::Receiver<u64> {
        self.stored.clone()
    }

    /// True once the receiver is shutting down: long-lived tasks and
    /// streams end.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Says that the receiver is shutting down (see [`Db::closing`]).
    pub fn begin_closing(&self) {
        self.closing.send_replace(true);
    }

    /// A task that uses the database until [`Db::closing`]: [`Db::close`]
    /// waits for it (up to 15 s) before closing the connections.
    pub fn hold(&self, task: tokio::task::JoinHandle<()>) {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).push(task);
    }

    /// Tells held tasks to stop and waits for them, lets in-flight
    /// statements finish and closes the connections (for SQLite this also
    /// checkpoints the WAL).
    pub async fn close(&self) {
        self.begin_closing();
        let held: Vec<_> = std::mem::take(&mut *self.held.lock().unwrap_or_else(|e| e.into_inner()));
        for task in held {
            if tokio::time::timeout(Duration::from_secs(15), task).await.is_err() {
                tracing::warn!("a background task did not stop within 15 s; closing the database anyway");
            }
        }
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
        let job = writer::Job { record, received_ms, reply };
        self.writer.send(job).await.map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
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
