//! A bounded load test on 127.0.0.1: many connections posting at once,
//! one post in ten a byte-for-byte replay. Every post must be answered
//! 2xx, and the database must hold exactly one row per acknowledged id
//! with `deliveries` adding up to the 2xx answers. The speed is printed,
//! not asserted (this is a debug build; `cargo xtask bench` measures the
//! release build).

mod support;

use std::time::Duration;

use feedback_receiver::db::Db;

async fn load(fresh: support::Fresh, posts: u64) {
    let running = feedback_receiver::start(&fresh.config()).await.unwrap();
    let report = tokio::time::timeout(
        Duration::from_secs(120),
        feedback_receiver::load::run(running.addr, 16, posts, 10, "load"),
    )
    .await
    .expect("the load test finishes within 2 minutes");
    running.stop().await;
    eprintln!(
        "load ({:?}): {} posts in {:.2?} = {:.0}/s, statuses {:?}",
        fresh.database,
        report.posts,
        report.elapsed,
        report.per_second(),
        report.statuses
    );
    assert_eq!(report.errors, 0, "{report:?}");
    assert_eq!(report.posts, posts);
    assert_eq!(report.ok(), posts, "every post answered 2xx: {report:?}");
    assert_eq!(report.replays_acknowledged, report.replays_sent, "each replay answered as one");
    let db = Db::open(&fresh.database).await.unwrap();
    let rows = db.count().await.unwrap() as u64;
    assert_eq!(rows, report.statuses[&201], "one row per 201");
    assert_eq!(rows, posts - report.replays_sent, "one row per distinct id");
    assert_eq!(
        db.deliveries().await.unwrap() as u64,
        report.ok(),
        "deliveries add up to the 2xx answers, replays included"
    );
    db.close().await;
    fresh.drop_database().await;
}

async fn load_5000(fresh: support::Fresh) {
    load(fresh, 5_000).await;
}

support::on_both_databases!(under_load, load_5000, flavor = "multi_thread", worker_threads = 2);
