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
        assert_eq!(applied(&fresh.database).await, [1, 2, 3, 4, 5]);
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

/// Runs statements on the database, as an older receiver would have,
/// and then reads the stored body of `id`.
async fn execute_then_body(database: &Database, sql: &str, id: &str) -> String {
    let read = "SELECT body FROM responses WHERE id = $1";
    match database {
        Database::Sqlite(path) => {
            let pool = sqlx::sqlite::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            let body = sqlx::query_scalar(read).bind(id).fetch_one(&pool).await.unwrap();
            pool.close().await;
            body
        }
        Database::Postgres(url) => {
            let pool = sqlx::postgres::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            let body = sqlx::query_scalar(read).bind(id).fetch_one(&pool).await.unwrap();
            pool.close().await;
            body
        }
    }
}

/// Receivers before 2026-11-29 stored a NUL in metadata as `\u0000` in
/// the body. PostgreSQL's `jsonb` cannot hold one, so erasure by customer
/// key (which reads every body as `jsonb`) failed for everyone; and the
/// widget's retry of such an answer, cleaned as this version cleans it,
/// no longer matched its stored body and was refused as a conflict.
async fn bodies_stored_with_a_nul_are_put_right(fresh: support::Fresh) {
    let payload = json!({"id": "nul-old", "kind": "response", "effort": 5,
        "metadata": {"customerKey": "cust-nul", "note": "a\u{0}b", "k\u{0}": 1}});
    let db = Db::open(&fresh.database).await.unwrap();
    let record = Record::from_payload(&payload, None).unwrap();
    db.insert(record, clock::now_ms()).await.unwrap();
    let kept = Record::from_payload(
        &json!({"id": "kept", "kind": "response", "effort": 6,
        "metadata": {"note": "a\\u0000 typed, not a NUL"}}),
        None,
    )
    .unwrap();
    let kept_body = kept.body.clone();
    db.insert(kept, clock::now_ms()).await.unwrap();
    db.close().await;
    // What the older receiver stored, the sender's NULs escaped, and its
    // migrations (the last one, 0005, came with this version).
    let old = "UPDATE responses SET body = replace(body, '\u{fffd}', '\\u0000') WHERE id = 'nul-old';
        DROP TABLE upkeep; DELETE FROM _sqlx_migrations WHERE version = 5";
    let body = execute_then_body(&fresh.database, old, "nul-old").await;
    assert!(body.contains(r#""a\u0000b""#) && body.contains(r#""k\u0000":1"#), "the old body: {body}");

    let db = Db::open(&fresh.database).await.expect("opens with the old body");
    let retry = Record::from_payload(&payload, None).unwrap();
    assert_eq!(db.insert(retry, clock::now_ms()).await.unwrap(), Stored::Replay, "the widget's retry is a replay");
    let body = execute_then_body(&fresh.database, "SELECT 1", "nul-old").await;
    assert!(body.contains("\"a\u{fffd}b\"") && body.contains("\"k\u{fffd}\":1"), "put right: {body}");
    assert_eq!(execute_then_body(&fresh.database, "SELECT 1", "kept").await, kept_body, "a typed \\u0000 is text");
    let erased = db.erase(&feedback_receiver::db::erase::Target::CustomerKey("cust-nul".into())).await;
    assert_eq!(erased.expect("erasure by customer key works"), 1);
    db.close().await;
    fresh.drop_database().await;
}

support::on_both_databases!(nul_bodies, bodies_stored_with_a_nul_are_put_right);

/// Receivers before 2026-11-29 stored a whole number written `2.0` as
/// sent; this version stores it as `2`, as a browser writes it. A retry of
/// such an answer across the upgrade is still the same answer (a replay),
/// and a different one under its id is still a conflict.
async fn a_body_stored_with_a_float_takes_its_retry(fresh: support::Fresh) {
    let payload = json!({"id": "float-old", "kind": "response", "effort": 2.0, "metadata": {"n": 7.0}});
    let db = Db::open(&fresh.database).await.unwrap();
    db.insert(Record::from_payload(&payload, None).unwrap(), clock::now_ms()).await.unwrap();
    db.close().await;
    let old = r#"UPDATE responses SET body = replace(replace(body, '"effort":2', '"effort":2.0'), '"n":7', '"n":7.0')
        WHERE id = 'float-old'"#;
    let body = execute_then_body(&fresh.database, old, "float-old").await;
    assert!(body.contains(r#""effort":2.0"#) && body.contains(r#""n":7.0"#), "the old body: {body}");

    let db = Db::open(&fresh.database).await.unwrap();
    let retry = Record::from_payload(&payload, None).unwrap();
    assert_eq!(db.insert(retry, clock::now_ms()).await.unwrap(), Stored::Replay, "the same answer");
    let other = json!({"id": "float-old", "kind": "response", "effort": 3.0, "metadata": {"n": 7.0}});
    let other = Record::from_payload(&other, None).unwrap();
    assert_eq!(db.insert(other, clock::now_ms()).await.unwrap(), Stored::Conflict, "another answer");
    db.close().await;
    fresh.drop_database().await;
}

support::on_both_databases!(float_bodies, a_body_stored_with_a_float_takes_its_retry);
