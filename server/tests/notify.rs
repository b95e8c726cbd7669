//! Notifications end to end, against local sinks: webhooks retried until
//! a failing destination comes back and then delivered once, signed; a
//! destination that hangs freed by the timeout; the real binary killed
//! (-9) mid-delivery and restarted losing nothing; two receivers on one
//! database sharing the outbox without sending twice; the documented
//! signature checks run in Node and Python; Slack messages inert; e-mail
//! at once and as a daily digest of each agent's own answers, once; the
//! live stream scoped like the page, starting where the page or a
//! reconnecting browser asks and keeping up with a burst. Each runs on
//! SQLite and on PostgreSQL (e-mail over TLS: tests/mail_tls.rs).

mod support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use feedback_receiver::clock::{self, DAY_MS};
use feedback_receiver::db::Db;
use feedback_receiver::notify::rules::webhook_name;
use feedback_receiver::notify::settings::Raw;
use feedback_receiver::notify::Settings;
use feedback_receiver::record::Record;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use support::binary::{post_answer, sign_in, Receiver};
use support::sinks::{HttpSink, Mode, SmtpSink};
use support::{client, Fresh};

const SECRET: &str = "whsec_a test secret of some length";

fn answer(id: &str, effort: u8, agent: &str) -> Value {
    json!({"id": id, "kind": "response", "action": "effort", "effort": effort, "agentId": agent,
           "conversationId": format!("conv-{id}"), "comment": format!("words of {id}"), "followUp": effort <= 3})
}

/// The signature header checked as a receiver would (the docs' snippets do the same).
fn signed(hit: &support::sinks::Hit) -> bool {
    let header = &hit.headers["feedback-signature"];
    let parts: HashMap<&str, &str> = header.split(',').filter_map(|kv| kv.split_once('=')).collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{}.{}", parts["t"], hit.body).as_bytes());
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let age = clock::now_ms() / 1000 - parts["t"].parse::<i64>().unwrap();
    expected == parts["v1"] && (0..300).contains(&age)
}

fn settings(raw: Raw) -> Settings {
    Settings::check(raw).unwrap()
}

support::on_both_databases!(retries, a_failing_webhook_gets_each_answer_once_it_is_back);

async fn a_failing_webhook_gets_each_answer_once_it_is_back(fresh: Fresh) {
    let hook = HttpSink::start(Mode::Fail(500)).await;
    let name = webhook_name(&format!("{}/hook", hook.url));
    let slack = HttpSink::start(Mode::Ok).await;
    let mut config = fresh.config();
    config.public_url = Some("https://feedback.example.com".into());
    config.notify = settings(Raw {
        webhooks: vec![format!("{}/hook", hook.url)],
        webhook_secret: Some(SECRET.into()),
        slack: Some(format!("{}/slack#when=low", slack.url)),
        ..Raw::default()
    });
    let running = feedback_receiver::start(&config).await.unwrap();
    let url = running.url();
    let mut owed = HashSet::new();
    for i in 0..12u8 {
        let id = format!("a-{i}");
        post_answer(&url, answer(&id, i % 7 + 1, "agent-ada")).await;
        owed.insert(format!("{name}:{id}"));
    }
    // A replay owes nothing new; skipped prompts are never notified.
    post_answer(&url, answer("a-0", 1, "agent-ada")).await;
    post_answer(&url, json!({"id": "skip-1", "kind": "dismissed", "action": "effort"})).await;
    // An id in other scripts, with a space: its Feedback-Delivery header is
    // percent-encoded, its body's deliveryId as it is.
    post_answer(&url, answer("ответ 好", 5, "agent-ada")).await;
    owed.insert(format!("{name}:%D0%BE%D1%82%D0%B2%D0%B5%D1%82%20%E5%A5%BD"));
    // The hostile one, for Slack (a low score).
    let hostile = "<!channel> <https://evil.example|click> *bold* @here & co";
    post_answer(
        &url,
        json!({"id": "h-1", "kind": "response", "action": "effort", "effort": 1, "comment": hostile,
               "agentId": "agent-<!here>", "conversationId": "conv-h"}),
    )
    .await;
    owed.insert(format!("{name}:h-1"));

    // Down for two seconds, then back.
    hook.wait_for(Duration::from_secs(10), |hits| hits.len() >= 14).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    hook.set(Mode::Ok);
    hook.wait_for(Duration::from_secs(40), |_| hook.acknowledged().len() >= owed.len()).await;
    let acknowledged = hook.acknowledged();
    assert_eq!(acknowledged.keys().cloned().collect::<HashSet<_>>(), owed, "every owed delivery, nothing else");
    assert!(acknowledged.values().all(|n| *n == 1), "each delivered once: {acknowledged:?}");
    let hits = hook.hits();
    assert!(hits.iter().filter(|h| h.answered == Some(500)).count() >= owed.len(), "first refused, then retried");
    for hit in hits.iter().filter(|h| h.answered == Some(200)) {
        assert!(signed(hit), "the signature verifies: {hit:?}");
        let body: Value = serde_json::from_str(&hit.body).unwrap();
        let id = body["payload"]["id"].as_str().unwrap();
        assert_eq!(body["deliveryId"], format!("{name}:{id}"));
        assert_eq!(feedback_receiver::notify::webhook::header_value(&format!("{name}:{id}")), hit.delivery());
        assert!(body["receivedAt"].as_str().unwrap().ends_with('Z'));
        assert_eq!(hit.path, "/hook");
    }

    // Slack: only the low scores, readable and inert.
    let low: HashSet<String> =
        (0..12u8).filter(|i| i % 7 < 3).map(|i| format!("a-{i}")).chain(["h-1".to_owned()]).collect();
    slack.wait_for(Duration::from_secs(20), |hits| hits.len() >= low.len()).await;
    let texts: Vec<String> = slack
        .delivered_bodies()
        .iter()
        .map(|b| serde_json::from_str::<Value>(b).unwrap()["text"].as_str().unwrap().to_owned())
        .collect();
    if texts.len() != low.len() {
        let db = Db::open(&fresh.database).await.unwrap();
        panic!("{texts:?} {:?} {:#?}", slack.hits(), db.notifications(100).await.unwrap());
    }
    for id in &low {
        let text =
            texts.iter().find(|t| t.contains(&format!("words of {id}")) || (id == "h-1" && t.contains("conv-h")));
        let text = text.unwrap_or_else(|| panic!("no message for {id}: {texts:?}"));
        assert!(text.contains(&format!("<https://feedback.example.com/inbox?id={id}|Open in the inbox>")), "{text}");
    }
    let h = texts.iter().find(|t| t.contains("conv-h")).unwrap();
    for bad in ["<!channel>", "<!here>", "<https://evil", "*bold*", "@here"] {
        assert!(!h.contains(bad), "{bad:?} arrived live: {h}");
    }
    assert!(h.starts_with("*Effort 1/7*") && h.contains("&lt;!channel&gt;"), "{h}");
    running.stop().await;
    fresh.drop_database().await;
}

support::on_both_databases!(gone, a_webhook_refusing_for_good_is_not_retried);

/// A destination answering 410 (or another 4xx but 408, 425 and 429) is
/// asked once: the notification is marked failed at once, with the answer,
/// and not retried for a day; a 429 is retried.
async fn a_webhook_refusing_for_good_is_not_retried(fresh: Fresh) {
    let gone = HttpSink::start(Mode::Fail(410)).await;
    let busy = HttpSink::start(Mode::Fail(429)).await;
    let mut config = fresh.config();
    config.notify = settings(Raw {
        webhooks: vec![format!("{}/gone", gone.url), format!("{}/busy", busy.url)],
        webhook_secret: Some(SECRET.into()),
        ..Raw::default()
    });
    let running = feedback_receiver::start(&config).await.unwrap();
    post_answer(&running.url(), answer("gone-1", 2, "agent-ada")).await;
    busy.wait_for(Duration::from_secs(15), |hits| hits.len() >= 2).await;
    assert!(busy.hits().len() >= 2, "a 429 is retried");
    assert_eq!(gone.hits().len(), 1, "a 410 is not");
    let db = Db::open(&fresh.database).await.unwrap();
    let (rows, _) = db.notifications(10).await.unwrap();
    let row = rows.iter().find(|r| r.destination == webhook_name(&format!("{}/gone", gone.url))).unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("failed", 1), "{row:?}");
    assert_eq!(row.last_error.as_deref(), Some("answered HTTP 410"));
    // The destination is fixed; an admin resends every failed one of it.
    gone.set(Mode::Ok);
    let name = webhook_name(&format!("{}/gone", gone.url));
    let admin = sign_in(&running.url(), "admin", support::PASSWORD).await;
    let page = client().get(format!("{}/inbox/admin", running.url())).header("cookie", &admin).send().await.unwrap();
    assert!(page.text().await.unwrap().contains(&format!("Resend every failed one of {name}")));
    let resend = client()
        .post(format!("{}/inbox/admin/resend", running.url()))
        .header("cookie", &admin)
        .form(&[("failed", name.as_str())]);
    assert_eq!(resend.send().await.unwrap().status(), 303);
    gone.wait_for(Duration::from_secs(10), |_| gone.acknowledged().len() == 1).await;
    assert_eq!(gone.acknowledged()[&format!("{name}:gone-1")], 1, "delivered, under its delivery id");
    let log = db.audit_log(20).await.unwrap();
    assert!(log
        .iter()
        .any(|a| a.action == format!("notification resend ({name}, every failed one)") && a.subject == "1"));
    db.close().await;
    running.stop().await;
    fresh.drop_database().await;
}

support::on_both_databases!(upgrade, an_older_versions_owed_rows_go_where_they_went);

/// Rows an older version owed under a webhook's place (`webhook-1`) are
/// sent, on the first start of this one with the same flags, to the
/// webhook in that place, under the delivery id they had; rows of a
/// destination this receiver does not have stay owed.
async fn an_older_versions_owed_rows_go_where_they_went(fresh: Fresh) {
    use feedback_receiver::notify::rules::{Route, When};
    let hook = HttpSink::start(Mode::Ok).await;
    let hook_url = format!("{}/hook", hook.url);
    let old =
        [Route { name: "webhook-1".into(), when: When::ALL }, Route { name: "webhook-2".into(), when: When::ALL }];
    let db = Db::open_with(&fresh.database, old.to_vec()).await.unwrap();
    let record = Record::from_payload(&answer("old-1", 2, "agent-ada"), None).unwrap();
    db.insert(record, clock::now_ms()).await.unwrap();
    db.close().await;

    let mut config = fresh.config();
    config.notify =
        settings(Raw { webhooks: vec![hook_url.clone()], webhook_secret: Some(SECRET.into()), ..Raw::default() });
    let running = feedback_receiver::start(&config).await.unwrap();
    hook.wait_for(Duration::from_secs(15), |_| hook.acknowledged().contains_key("webhook-1:old-1")).await;
    assert_eq!(hook.acknowledged().into_keys().collect::<Vec<_>>(), ["webhook-1:old-1"], "only webhook-1's row");
    let db = Db::open(&fresh.database).await.unwrap();
    let (rows, _) = db.notifications(10).await.unwrap();
    let state = |id: &str| rows.iter().find(|r| r.delivery_id == id).map(|r| (r.destination.clone(), r.state.clone()));
    assert_eq!(state("webhook-1:old-1"), Some((webhook_name(&hook_url), "sent".into())));
    assert_eq!(state("webhook-2:old-1"), Some(("webhook-2".into(), "pending".into())), "no webhook-2 now: it waits");
    db.close().await;
    running.stop().await;
    fresh.drop_database().await;
}

support::on_both_databases!(hanging, a_hanging_webhook_is_freed_by_the_timeout);

async fn a_hanging_webhook_is_freed_by_the_timeout(fresh: Fresh) {
    let hook = HttpSink::start(Mode::Hang).await;
    let name = webhook_name(&format!("{}/hook", hook.url));
    let slow = format!("{name}:slow-1");
    let mut config = fresh.config();
    config.notify = settings(Raw {
        webhooks: vec![format!("{}/hook", hook.url)],
        webhook_secret: Some(SECRET.into()),
        timeout: Some("1".into()),
        ..Raw::default()
    });
    let running = feedback_receiver::start(&config).await.unwrap();
    post_answer(&running.url(), answer("slow-1", 6, "agent-ada")).await;
    // Tried, given up on after a second, tried again.
    let hits = hook.wait_for(Duration::from_secs(15), |hits| hits.len() >= 2).await;
    assert!(hits.len() >= 2, "retried after the timeout: {hits:?}");
    let gap = hits[1].at - hits[0].at;
    assert!(gap >= Duration::from_millis(1400) && gap < Duration::from_secs(6), "{gap:?}");
    let db = Db::open(&fresh.database).await.unwrap();
    let (rows, _) = db.notifications(10).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].last_error.as_deref(), Some("no answer within 1 s"), "{:?}", rows[0]);
    // The admin page shows it retrying, with the error and no URL path.
    let admin = sign_in(&running.url(), "admin", support::PASSWORD).await;
    let page = client().get(format!("{}/inbox/admin", running.url())).header("cookie", &admin).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("retrying, next attempt") && page.contains("no answer within 1 s"), "{page}");
    assert!(page.contains(&format!("<code>{slow}</code>")) && !page.contains("/hook"), "{page}");
    hook.set(Mode::Ok);
    hook.wait_for(Duration::from_secs(15), |_| hook.acknowledged().contains_key(&slow)).await;
    assert_eq!(hook.acknowledged()[&slow], 1);
    let sent = async {
        for _ in 0..50 {
            if db.notifications(10).await.unwrap().0[0].state == "sent" {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    };
    assert!(sent.await, "recorded as sent");
    // An admin resends it: delivered again, under the same delivery id, and audited.
    let resend = client()
        .post(format!("{}/inbox/admin/resend", running.url()))
        .header("cookie", &admin)
        .form(&[("delivery", slow.as_str())]);
    assert_eq!(resend.send().await.unwrap().status(), 303);
    hook.wait_for(Duration::from_secs(10), |_| hook.acknowledged()[&slow] >= 2).await;
    assert_eq!(hook.acknowledged()[&slow], 2);
    let cross = client()
        .post(format!("{}/inbox/admin/resend", running.url()))
        .header("cookie", &admin)
        .header("origin", "https://evil.example")
        .form(&[("delivery", slow.as_str())]);
    assert_eq!(cross.send().await.unwrap().status(), 403, "origin-checked like every form");
    let log = db.audit_log(20).await.unwrap();
    assert!(
        log.iter().any(|a| a.action == format!("notification resend ({name})") && a.subject == "slow-1"),
        "{log:?}"
    );
    db.close().await;
    running.stop().await;
    fresh.drop_database().await;
}

support::on_both_databases!(crash, a_kill_mid_delivery_loses_nothing, flavor = "multi_thread", worker_threads = 2);

/// The receiver is killed (-9) with deliveries in flight and restarted:
/// every owed delivery id arrives; one recorded as sent never arrives
/// again; a second arrival (possible only for a delivery the kill caught
/// between the sink's answer and the receiver's record of it) carries the
/// same delivery id, which a receiver de-duplicates on.
async fn a_kill_mid_delivery_loses_nothing(fresh: Fresh) {
    let hook = HttpSink::start(Mode::Slow(Duration::from_millis(700))).await;
    let hook_url = format!("{}/hook", hook.url);
    let name = webhook_name(&hook_url);
    let args = ["--webhook", &hook_url, "--webhook-secret", SECRET, "--notify-timeout", "2"];
    let mut receiver = Receiver::start(&fresh.database, &args);
    let owed: HashSet<String> = (0..40).map(|i| format!("{name}:k-{i}")).collect();
    for i in 0..40u8 {
        post_answer(&receiver.url, answer(&format!("k-{i}"), i % 7 + 1, "agent-ada")).await;
    }
    // Some delivered, more in flight: kill.
    hook.wait_for(Duration::from_secs(20), |_| hook.acknowledged().len() >= 3).await;
    let before_kill = hook.hits().len();
    receiver.child.kill().unwrap(); // SIGKILL
    receiver.child.wait().unwrap();
    let in_flight = hook.hits().iter().filter(|h| h.answered.is_none()).count();
    let acked_at_kill: HashSet<String> = hook.acknowledged().into_keys().collect();
    // Everything the dead receiver had started to send: a request in flight
    // at the kill may still be answered by the sink afterwards, so it too
    // may arrive a second time.
    let attempted_at_kill: HashSet<String> = hook.hits().iter().map(|h| h.delivery()).collect();
    assert!(before_kill > acked_at_kill.len(), "deliveries were in flight at the kill");
    // What the dead receiver had recorded as sent (outcomes are written
    // every 50 ms: some it sent may not be among them).
    let db = Db::open(&fresh.database).await.unwrap();
    let recorded: HashSet<String> = db
        .notifications(100)
        .await
        .unwrap()
        .0
        .into_iter()
        .filter(|n| n.state == "sent")
        .map(|n| n.delivery_id)
        .collect();
    db.close().await;
    eprintln!("killed with {} acknowledged ({} recorded), {in_flight} in flight", acked_at_kill.len(), recorded.len());
    hook.set(Mode::Ok);

    let receiver = Receiver::start(&fresh.database, &args);
    // The dead receiver's leases run out (timeout + 5 s) and its rows are claimed again.
    hook.wait_for(Duration::from_secs(60), |_| hook.acknowledged().len() >= owed.len()).await;
    let acknowledged = hook.acknowledged();
    assert_eq!(acknowledged.keys().cloned().collect::<HashSet<_>>(), owed, "nothing lost, nothing else");
    for id in &recorded {
        assert_eq!(acknowledged[id], 1, "{id} was recorded as sent: never again");
    }
    let twice: Vec<_> = acknowledged.iter().filter(|(_, n)| **n > 1).map(|(id, _)| id.clone()).collect();
    for id in &twice {
        assert!(attempted_at_kill.contains(id), "{id}: only a delivery the kill caught unrecorded arrives again");
    }
    eprintln!("arrived twice (under the same delivery id): {}", twice.len());
    for hit in hook.hits().iter().filter(|h| h.answered == Some(200)) {
        assert!(signed(hit));
    }
    // And all recorded as sent, so the next restart sends nothing.
    let db = Db::open(&fresh.database).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, counts) = db.notifications(1).await.unwrap();
        if counts == [("sent".to_owned(), 40)] || std::time::Instant::now() > deadline {
            assert_eq!(counts, [("sent".to_owned(), 40)]);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    db.close().await;
    drop(receiver);
    let hits = hook.hits().len();
    let again = Receiver::start(&fresh.database, &args);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(hook.hits().len(), hits, "a restart sends nothing again");
    drop(again);
    fresh.drop_database().await;
}

/// The verification snippets of docs/receiver.md, run by node and
/// python3 against a real signed delivery (and a tampered one).
#[tokio::test]
async fn the_documented_snippets_verify_a_real_delivery() {
    let fresh = support::sqlite();
    let hook = HttpSink::start(Mode::Ok).await;
    let mut config = fresh.config();
    config.notify = settings(Raw {
        webhooks: vec![hook.url.clone() + "/h"],
        webhook_secret: Some(SECRET.into()),
        ..Raw::default()
    });
    let running = feedback_receiver::start(&config).await.unwrap();
    post_answer(&running.url(), answer("snippet-1", 2, "agent-ada")).await;
    let hits = hook.wait_for(Duration::from_secs(10), |hits| hits.iter().any(|h| h.answered == Some(200))).await;
    let hit = hits.iter().find(|h| h.answered == Some(200)).unwrap();
    running.stop().await;

    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/receiver.md")).unwrap();
    let block = |marker: &str, fence: &str| {
        let after = &docs[docs.find(marker).unwrap_or_else(|| panic!("{marker} in the docs"))..];
        let start = after.find(fence).unwrap() + fence.len();
        after[start..start + after[start..].find("\n```").unwrap()].to_owned()
    };
    let dir = std::env::temp_dir().join(format!("feedback-snippets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let body_path = dir.join("body.json");
    std::fs::write(&body_path, &hit.body).unwrap();
    let tampered_path = dir.join("tampered.json");
    std::fs::write(&tampered_path, hit.body.replace("snippet-1", "snippet-2")).unwrap();
    let node = format!(
        "{}\nconst fs = require('fs');\nconst [body, header] = [fs.readFileSync(process.argv[2]), process.argv[3]];\n\
         console.log(verifyFeedbackSignature(header, body, process.env.SECRET) ? 'valid' : 'invalid');\n",
        block("<!-- verify-node -->", "```js\n")
    );
    let python = format!(
        "{}\nimport os, sys\nbody = open(sys.argv[1], 'rb').read()\n\
         print('valid' if verify_feedback_signature(sys.argv[2], body, os.environ['SECRET']) else 'invalid')\n",
        block("<!-- verify-python -->", "```python\n")
    );
    std::fs::write(dir.join("verify.js"), node).unwrap();
    std::fs::write(dir.join("verify.py"), python).unwrap();
    let header = &hit.headers["feedback-signature"];
    for (program, script) in [("node", "verify.js"), ("python3", "verify.py")] {
        for (path, want) in [(&body_path, "valid"), (&tampered_path, "invalid")] {
            let out = std::process::Command::new(program)
                .arg(dir.join(script))
                .arg(path)
                .arg(header)
                .env("SECRET", SECRET)
                .output()
                .unwrap_or_else(|e| panic!("{program}: {e}"));
            let said = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            assert_eq!(said, want, "{program} on {}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    fresh.drop_database().await;
}

support::on_both_databases!(mail, mail_goes_to_the_agent_at_once_and_as_their_own_digest_once);

async fn mail_goes_to_the_agent_at_once_and_as_their_own_digest_once(fresh: Fresh) {
    let smtp = SmtpSink::start().await;
    // Yesterday's answers of two agents, stored before the receiver starts.
    let db = Db::open(&fresh.database).await.unwrap();
    let hash = feedback_receiver::auth::hash_password("a password, long enough");
    for (name, agent) in [("ada", "agent-ada"), ("grace", "agent-grace")] {
        assert!(db.add_user(name, feedback_receiver::auth::Role::Agent, &hash, &[agent.into()], 0).await.unwrap());
        assert!(db.set_email(name, Some(&format!("{name}@example.com"))).await.unwrap());
    }
    let yesterday = clock::now_ms() - clock::now_ms().rem_euclid(DAY_MS) - DAY_MS + 3_600_000;
    for (i, agent) in ["agent-ada", "agent-grace", "agent-ada"].iter().enumerate() {
        let mut payload = answer(&format!("y-{i}"), 5, agent);
        payload["comment"] = json!(format!("yesterday {i} for {agent}"));
        payload["followUp"] = json!(false);
        db.insert(Record::from_payload(&payload, None).unwrap(), yesterday + i as i64).await.unwrap();
    }
    db.close().await;

    let mut config = fresh.config();
    config.public_url = Some("https://feedback.example.com".into());
    config.notify = settings(Raw {
        smtp: Some(smtp.url.clone()),
        mail_from: Some("Feedback <feedback@example.com>".into()),
        mail_team: Some("team@example.com".into()),
        ..Raw::default()
    });
    let running = feedback_receiver::start(&config).await.unwrap();
    // Follow-up requests: to the agent's own address, or the team's.
    post_answer(&running.url(), answer("f-1", 2, "agent-ada")).await;
    post_answer(&running.url(), answer("f-2", 1, "agent-nobody")).await;
    post_answer(&running.url(), answer("n-1", 6, "agent-ada")).await; // not a follow-up: no mail
    let mails = smtp.wait_for(Duration::from_secs(20), |m| m.len() >= 4).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails_now = smtp.mails();
    assert_eq!(mails_now.len(), 4, "two follow-ups and two digests: {mails:#?}");
    let to = |addr: &str, subject: &str| {
        mails_now
            .iter()
            .filter(|m| m.to == [format!("<{addr}>")] && m.header("subject").is_some_and(|s| s.contains(subject)))
            .cloned()
            .collect::<Vec<_>>()
    };
    let ada_follow = to("ada@example.com", "Follow-up requested");
    assert_eq!(ada_follow.len(), 1, "{mails_now:#?}");
    assert!(ada_follow[0].data.contains("words of f-1"));
    assert!(ada_follow[0].data.contains("https://feedback.example.com/inbox?id=f-1"), "{}", ada_follow[0].data);
    let message_id = ada_follow[0].header("message-id").unwrap_or_default();
    assert!(
        message_id.starts_with("<mail-f-1.") && message_id.ends_with("@feedback-receiver.invalid>"),
        "{message_id}"
    );
    assert_eq!(to("team@example.com", "Follow-up requested").len(), 1, "no agent address: the team's");
    for (name, own, other) in [("ada", "agent-ada", "agent-grace"), ("grace", "agent-grace", "agent-ada")] {
        let digest = to(&format!("{name}@example.com"), "What your customers said yesterday");
        assert_eq!(digest.len(), 1, "{name}: {mails_now:#?}");
        assert!(digest[0].data.contains(&format!("for {own}")), "{}", digest[0].data);
        assert!(!digest[0].data.contains(other), "never another agent's answers: {}", digest[0].data);
        assert!(!digest[0].data.contains("words of"), "only yesterday's: {}", digest[0].data);
    }
    running.stop().await;
    // A restart (and its digest check) sends no digest twice.
    let running = feedback_receiver::start(&config).await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(smtp.mails().len(), 4, "the digests are recorded as owed once per agent and day");
    running.stop().await;
    let _ = client();
    fresh.drop_database().await;
}

support::on_both_databases!(live, the_live_stream_carries_only_what_the_page_would_show);

/// Collects a stream's text until it ends or `within` passes.
async fn read_stream(mut response: reqwest::Response, within: Duration) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + within;
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, response.chunk()).await {
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    text
}

async fn the_live_stream_carries_only_what_the_page_would_show(fresh: Fresh) {
    let running = feedback_receiver::start(&fresh.config()).await.unwrap();
    let url = running.url();
    let db = Db::open(&fresh.database).await.unwrap();
    let hash = feedback_receiver::auth::hash_password("a password, long enough");
    for (name, agent) in [("ada", "agent-ada"), ("grace", "agent-grace")] {
        assert!(db.add_user(name, feedback_receiver::auth::Role::Agent, &hash, &[agent.into()], 0).await.unwrap());
    }
    db.close().await;
    let c = client();
    assert_eq!(c.get(format!("{url}/inbox/events")).send().await.unwrap().status(), 401, "signed in only");
    let mut streams = Vec::new();
    for (who, password, query) in [
        ("ada", "a password, long enough", ""),
        ("grace", "a password, long enough", ""),
        ("admin", support::PASSWORD, ""),
        ("admin", support::PASSWORD, "?agent=agent-grace"),
        // An agent asking for a colleague's answers gets none of them.
        ("ada", "a password, long enough", "?agent=agent-grace"),
    ] {
        let cookie = sign_in(&url, who, password).await;
        let r = c.get(format!("{url}/inbox/events{query}")).header("cookie", &cookie).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/event-stream");
        assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
        streams.push(tokio::spawn(read_stream(r, Duration::from_secs(4))));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    for (id, agent) in
        [("l-ada-1", "agent-ada"), ("l-grace-1", "agent-grace"), ("l-ada-2", "agent-ada"), ("l-none", "")]
    {
        let mut payload = answer(id, 2, agent);
        if agent.is_empty() {
            payload.as_object_mut().unwrap().remove("agentId");
        }
        post_answer(&url, payload).await;
    }
    let mut seen = Vec::new();
    for stream in streams {
        let text = stream.await.unwrap();
        let ids: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .map(|d| serde_json::from_str::<Value>(d).unwrap()["id"].as_str().unwrap().to_owned())
            .collect();
        assert!(text.contains("event: answer") || ids.is_empty(), "{text}");
        seen.push(ids);
    }
    assert_eq!(seen[0], ["l-ada-1", "l-ada-2"], "ada: her own answers only");
    assert_eq!(seen[1], ["l-grace-1"], "grace: hers only");
    assert_eq!(seen[2], ["l-ada-1", "l-grace-1", "l-ada-2", "l-none"], "an admin: everything, once each");
    assert_eq!(seen[3], ["l-grace-1"], "the page's filters apply");
    assert!(seen[4].is_empty(), "a colleague's answers never reach an agent: {:?}", seen[4]);

    // The script: one same-origin file the CSP allows, and the page loads it.
    let js = c.get(format!("{url}/inbox/live.js")).send().await.unwrap();
    assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");
    let js = js.text().await.unwrap();
    assert!(js.contains("/inbox/events") && !js.contains("innerHTML"), "text only, never HTML");
    running.stop().await;
    fresh.drop_database().await;
}

support::on_both_databases!(live_resume, the_live_stream_starts_where_asked_and_keeps_up_with_a_burst);

/// The ids of a stream's `answer` events.
fn event_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str::<Value>(d).unwrap()["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A stream starts at the page's `since` or a reconnecting browser's
/// `Last-Event-ID` (an answer stored before it connected is not lost),
/// else now; a burst larger than one read (200 rows) arrives whole, once.
async fn the_live_stream_starts_where_asked_and_keeps_up_with_a_burst(fresh: Fresh) {
    let running = feedback_receiver::start(&fresh.config()).await.unwrap();
    let url = running.url();
    let page_read = clock::now_ms();
    post_answer(&url, answer("early", 4, "agent-ada")).await;
    let cookie = sign_in(&url, "admin", support::PASSWORD).await;
    let c = client();
    let mut streams = Vec::new();
    for (query, last_event) in
        [(format!("?since={page_read}"), None), (String::new(), Some(page_read)), (String::new(), None)]
    {
        let mut request = c.get(format!("{url}/inbox/events{query}")).header("cookie", &cookie);
        if let Some(ms) = last_event {
            request = request.header("last-event-id", ms.to_string());
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 200);
        streams.push(tokio::spawn(read_stream(r, Duration::from_secs(6))));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let burst: Vec<String> = (0..230).map(|i| format!("burst-{i:03}")).collect();
    for chunk in burst.chunks(10) {
        let posts: Vec<_> = chunk
            .iter()
            .map(|id| {
                let (url, payload) = (url.clone(), answer(id, 6, "agent-ada"));
                tokio::spawn(async move { post_answer(&url, payload).await })
            })
            .collect();
        for p in posts {
            p.await.unwrap();
        }
    }
    let mut seen = Vec::new();
    for stream in streams {
        let text = stream.await.unwrap();
        let ids = event_ids(&text);
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "each once");
        assert!(burst.iter().all(|id| unique.contains(id)), "the whole burst: {} of 230", ids.len());
        assert!(text.lines().any(|l| l.starts_with("id: ")), "events carry their received_ms as id");
        seen.push(ids.contains(&"early".to_owned()));
    }
    assert_eq!(seen, [true, true, false], "since, Last-Event-ID, neither");
    running.stop().await;
    fresh.drop_database().await;
}

support::on_both_databases!(
    shared,
    two_receivers_share_the_outbox_without_sending_twice,
    flavor = "multi_thread",
    worker_threads = 2
);

/// Two receivers on one database, both with the same webhook: every
/// answer posted to either is delivered once, by one of them (a row is
/// claimed under a lease only one can win). More are owed (300, each
/// taking the sink 300 ms) than one receiver keeps in flight (128), so
/// both take part.
async fn two_receivers_share_the_outbox_without_sending_twice(fresh: Fresh) {
    let hook = HttpSink::start(Mode::Slow(Duration::from_millis(300))).await;
    let hook_url = format!("{}/hook", hook.url);
    let name = webhook_name(&hook_url);
    let args = ["--webhook", &hook_url, "--webhook-secret", SECRET, "--log-level", "debug"];
    let one = Receiver::start(&fresh.database, &args);
    let two = Receiver::start(&fresh.database, &args);
    let owed: HashSet<String> = (0..300).map(|i| format!("{name}:s-{i}")).collect();
    let posts: Vec<_> = (0..300u16)
        .map(|i| {
            let url = if i % 2 == 0 { one.url.clone() } else { two.url.clone() };
            tokio::spawn(
                async move { post_answer(&url, answer(&format!("s-{i}"), (i % 7 + 1) as u8, "agent-ada")).await },
            )
        })
        .collect();
    for p in posts {
        p.await.unwrap();
    }
    hook.wait_for(Duration::from_secs(30), |_| hook.acknowledged().len() >= owed.len()).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let acknowledged = hook.acknowledged();
    assert_eq!(acknowledged.keys().cloned().collect::<HashSet<_>>(), owed);
    assert!(acknowledged.values().all(|n| *n == 1), "each once: {acknowledged:?}");
    assert_eq!(hook.hits().len(), owed.len(), "no attempt twice");
    let sent = |r: &Receiver| r.logs().matches("notification sent").count();
    assert_eq!(sent(&one) + sent(&two), owed.len());
    assert!(sent(&one) > 0 && sent(&two) > 0, "both did some of the work: {} and {}", sent(&one), sent(&two));
    drop((one, two));
    fresh.drop_database().await;
}
