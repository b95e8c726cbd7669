//! Versioned migrations: a database from the first receiver is adopted and
//! brought up to date in place; a current one is migrated once.

mod support;

use feedback_receiver::clock;
use feedback_receiver::config::Database;
use feedback_receiver::db::{columns, Clause, Db, Stored};
use feedback_receiver::record::Record;
use serde_json::json;

#[tokio::test]
async fn a_database_from_the_first_receiver_is_migrated_in_place() {
    let fresh = support::sqlite();
    let Database::Sqlite(path) = &fresh.database else { unreachable!() };
    // What the first receiver (rusqlite, PRAGMA user_version = 1) left behind.
    let old = sqlx::sqlite::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", path.display())).await.unwrap();
    sqlx::query(
        "CREATE TABLE responses (id TEXT PRIMARY KEY, idempotency_key TEXT, kind TEXT NOT NULL, action TEXT,
            effort INTEGER, comment TEXT, follow_up INTEGER NOT NULL DEFAULT 0, conversation_id TEXT, agent_id TEXT,
            body TEXT NOT NULL, received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))",
    )
    .execute(&old)
    .await
    .unwrap();
    let body = json!({"id": "old", "kind": "response", "action": "effort", "effort": 5, "channel": "chat",
        "reasons": ["smooth", "grateful"]});
    sqlx::query("INSERT INTO responses (id, kind, action, effort, body, received_at) VALUES ('old', 'response', 'effort', 5, $1, '2026-11-02T10:00:00.000Z')")
        .bind(body.to_string())
        .execute(&old)
        .await
        .unwrap();
    // It stored any word as the action.
    sqlx::query("INSERT INTO responses (id, kind, action, body, received_at) VALUES ('shout', 'dismissed', 'shout', '{}', '2026-11-01T10:00:00.000Z')")
        .execute(&old)
        .await
        .unwrap();
    sqlx::query("PRAGMA user_version = 1").execute(&old).await.unwrap();
    old.close().await;

    let db = Db::open(&fresh.database).await.expect("the old file is adopted");
    let rows = db.entries(&Clause::new(), "id", 10).await.expect("every old row reads");
    assert_eq!(rows.len(), 2);
    let row = &rows[0];
    assert_eq!((rows[1].answer.id.as_str(), rows[1].answer.action), ("shout", None), "an unknown action is none");
    assert_eq!(row.received_ms, clock::parse_date("2026-11-02").unwrap() + 10 * clock::HOUR_MS, "from received_at");
    assert_eq!(row.answer.channel.as_deref(), Some("chat"), "from the stored payload");
    assert_eq!(row.reasons(), "smooth grateful");
    assert_eq!(row.deliveries, 1);
    let replay = Record::from_payload(&body, None).unwrap();
    assert_eq!(db.insert(replay, clock::now_ms()).await.unwrap(), Stored::Replay, "the same payload is a replay");
    db.close().await;
    let again = Db::open(&fresh.database).await.expect("reopening runs nothing twice");
    assert_eq!(again.count().await.unwrap(), 2);
    assert_eq!(again.deliveries().await.unwrap(), 3);
    again.close().await;
    fresh.drop_database().await;
}

async fn applied(database: &Database) -> Vec<i64> {
    match database {
        Database::Sqlite(path) => {
            let pool = sqlx::sqlite::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            let v = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            v
        }
        Database::Postgres(url) => {
            let pool = sqlx::postgres::PgPool::connect(url).await.unwrap();
            let v = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&pool)
                .await
                .unwrap();
            pool.close().await;
            v
        }
    }
}

async fn migrates_once(fresh: support::Fresh) {
    for _ in 0..2 {
        Db::open(&fresh.database).await.unwrap().close().await;
        assert_eq!(applied(&fresh.database).await, [1, 2, 3, 4]);
    }
    fresh.drop_database().await;
}

support::on_both_databases!(each_version_once, migrates_once);

/// The migrated `responses` table as `(name, type, nullable)`, sorted by
/// name, with the types as the database reports them.
async fn table_columns(database: &Database) -> Vec<(String, String, bool)> {
    let mut columns: Vec<(String, String, bool)> = match database {
        Database::Sqlite(path) => {
            let pool = sqlx::sqlite::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            // A TEXT PRIMARY KEY may hold NULL in SQLite (a quirk it keeps for
            // compatibility); the list, like PostgreSQL, counts it NOT NULL.
            let rows: Vec<(String, String, i64)> =
                sqlx::query_as("SELECT name, type, \"notnull\" OR pk > 0 FROM pragma_table_info('responses')")
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            pool.close().await;
            rows.into_iter().map(|(name, ty, notnull)| (name, ty.to_ascii_lowercase(), notnull == 0)).collect()
        }
        Database::Postgres(url) => {
            let pool = sqlx::postgres::PgPool::connect(url).await.unwrap();
            let rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = 'responses'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            pool.close().await;
            rows.into_iter().map(|(name, ty, nullable)| (name, ty, nullable == "YES")).collect()
        }
    };
    columns.sort();
    columns
}

/// The column list in the code ([`columns::COLUMNS`]) is the table the
/// migrations make: the same names, types and NULLs, on each database.
async fn columns_match_the_list(fresh: support::Fresh) {
    Db::open(&fresh.database).await.unwrap().close().await;
    let postgres = matches!(fresh.database, Database::Postgres(_));
    let mut listed: Vec<(String, String, bool)> = columns::COLUMNS
        .iter()
        .map(|c| {
            let ty = match (c.ty, postgres) {
                (columns::Type::Text, _) => "text",
                (columns::Type::Integer, false) | (columns::Type::Boolean, false) => "integer",
                (columns::Type::Integer, true) => "bigint",
                (columns::Type::Boolean, true) => "boolean",
            };
            (c.name.to_owned(), ty.to_owned(), c.nullable)
        })
        .collect();
    listed.sort();
    assert_eq!(table_columns(&fresh.database).await, listed, "the migrations and db::columns::COLUMNS differ");
    fresh.drop_database().await;
}

support::on_both_databases!(column_list, columns_match_the_list);
