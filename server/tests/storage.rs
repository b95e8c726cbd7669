//! The batch writer, on both databases: posts of one id that arrive
//! together (a replay racing its original, a reused id) are sorted out
//! exactly as when they arrive apart.

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
        let (first, replay, conflict) = tokio::join!(db.insert(&a, now), db.insert(&a, now), db.insert(&b, now));
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_same_id_together() {
    same_id_together(support::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_same_id_together() {
    if let Some(fresh) = support::postgres().await {
        same_id_together(fresh).await;
    }
}
