//! The batch writer, on both databases: posts of one id that arrive
//! together (a replay racing its original, a reused id) are sorted out
//! exactly as when they arrive apart, and a post the database refuses does
//! not fail the others written with it. The tests run on one thread, so
//! posts submitted together are written in one batch: the writer task only
//! runs once the test task waits for the answers.

mod support;

use feedback_receiver::clock;
use feedback_receiver::db::{Db, Stored};
use feedback_receiver::record::Record;
use serde_json::json;

async fn same_id_together(fresh: support::Fresh) {
    let db = Db::open(&fresh.database).await.unwrap();
    let record = |id: &str, effort: i64| {
        Record::from_payload(&json!({"id": id, "kind": "response", "effort": effort}), None).unwrap()
    };
    for round in 0..20 {
        let id = format!("x{round}");
        let (a, b) = (record(&id, 6), record(&id, 1));
        let now = clock::now_ms();
        let (first, replay, conflict) = tokio::join!(db.insert(a.clone(), now), db.insert(a, now), db.insert(b, now));
        let mut outcomes = [first.unwrap(), replay.unwrap(), conflict.unwrap()];
        // Whichever lands first is stored; the same body again is a replay,
        // a different one a conflict.
        outcomes.sort_by_key(|o| format!("{o:?}"));
        let stored_a = outcomes.iter().filter(|o| **o == Stored::New).count() == 1;
        assert!(stored_a, "round {round}: {outcomes:?}");
        assert!(
            outcomes == [Stored::Conflict, Stored::New, Stored::Replay]
                || outcomes == [Stored::Conflict, Stored::Conflict, Stored::New],
            "round {round}: {outcomes:?}"
        );
    }
    assert_eq!(db.count().await.unwrap(), 20);
    db.close().await;
    fresh.drop_database().await;
}

support::on_both_databases!(one_id_in_one_batch, same_id_together);

async fn refused_post_alone_fails(fresh: support::Fresh) {
    let db = Db::open(&fresh.database).await.unwrap();
    support::refuse_poison(&fresh.database, true).await;
    let record = |id: &str| Record::from_payload(&json!({"id": id, "kind": "dismissed"}), None).unwrap();
    let (poison, a, b) = (record("poison"), record("a"), record("b"));
    let now = clock::now_ms();
    let (poison, a, b) = tokio::join!(db.insert(poison, now), db.insert(a, now), db.insert(b, now));
    assert!(poison.is_err(), "{poison:?}");
    assert_eq!((a.unwrap(), b.unwrap()), (Stored::New, Stored::New));
    assert_eq!(db.count().await.unwrap(), 2);
    db.close().await;
    fresh.drop_database().await;
}

support::on_both_databases!(refused_post, refused_post_alone_fails);
