//! The binary as operators run it: `--help`, mistakes in flags, JSON logs,
//! and a graceful shutdown on SIGTERM that finishes the request in flight.

mod support;

use std::io::Read;
use std::process::Command;
use std::time::{Duration, Instant};

use feedback_receiver::config::Database;
use feedback_receiver::db::Db;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_feedback-receiver");

#[test]
fn help_and_mistakes() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).unwrap();
    for needle in
        ["--allow-origin", "DATABASE_URL", "--inbox-password", "--rate-limit", "--log-format", "--trust-proxy"]
    {
        assert!(text.contains(needle), "--help mentions {needle}");
    }
    let bad = Command::new(BIN).args(["--allow-origin", "example.com"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("scheme://host"));
    let bad = Command::new(BIN).env("DATABASE_URL", "mysql://x").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("DATABASE_URL"));
    // The README's `--db /var/lib/feedback/...` on a machine without that
    // directory (an outsider's first try): the message names it, for the
    // server and for the commands alike.
    let fresh = support::sqlite();
    let Database::Sqlite(file) = &fresh.database else { unreachable!() };
    let missing = file.parent().unwrap().join("var-lib-feedback");
    let db = missing.join("feedback.sqlite");
    let db = db.to_str().unwrap();
    for args in [&["--db", db, "--listen", "127.0.0.1:0"][..], &["user", "list", "--db", db]] {
        let out = Command::new(BIN).args(args).output().unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        let dir = missing.display().to_string();
        assert!(said.contains(&format!("the directory {dir} does not exist")), "{args:?}: {said}");
    }
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_then_exits() {
    let fresh = support::sqlite();
    let Database::Sqlite(path) = &fresh.database else { unreachable!() };
    let (mut child, url) = support::spawn_listening(
        Command::new(BIN).args(["--listen", "127.0.0.1:0", "--faults", "--log-format", "json", "--db"]).arg(path),
    );
    let client = support::client();
    // The next post is answered only after 1.5 s.
    client.post(format!("{url}/_faults")).json(&json!([{"delayMs": 1500}])).send().await.unwrap();
    let slow = tokio::spawn({
        let (client, url) = (client.clone(), url.clone());
        async move {
            client
                .post(format!("{url}/collect"))
                .json(&json!({"id": "in-flight", "kind": "dismissed"}))
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    assert_eq!(slow.await.unwrap().expect("the request in flight is answered"), 201);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(signalled.elapsed() < Duration::from_secs(10), "exits within 10 s of SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    let events: Vec<Value> = logs.lines().map(|l| serde_json::from_str(l).expect("every log line is JSON")).collect();
    assert!(
        events.iter().any(|e| e["path"] == "/collect" && e["status"] == 201 && e["method"] == "POST"),
        "a request log with its fields: {logs}"
    );
    assert!(events.iter().any(|e| e["message"] == "stopped"), "{logs}");
    let db = Db::open(&fresh.database).await.unwrap();
    assert_eq!(db.count().await.unwrap(), 1, "the answered post was stored");
    db.close().await;
    fresh.drop_database().await;
}
