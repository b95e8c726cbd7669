//! E-mail over TLS, from the real binary to a local SMTP sink with a
//! certificate each test makes (rcgen), self-signed for 127.0.0.1: over
//! STARTTLS (`smtp://...?tls=required`) and implicit TLS (`smtps://`), a
//! follow-up request and a daily digest arrive over TLS when the receiver
//! trusts the certificate through `--smtp-ca`; a certificate it does not
//! trust (none given, or another one) is refused: nothing is said after the
//! handshake, no message arrives in clear, and the notification is
//! retrying with an error that says why and names `--smtp-ca`. A server
//! that offers no STARTTLS gets nothing when the URL requires it.
//!
//! On SQLite only: TLS is the transport's, the same whatever the database
//! (tests/notify.rs runs the outbox itself on both).

mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use feedback_receiver::clock::{self, DAY_MS};
use feedback_receiver::db::outbox::Notification;
use feedback_receiver::db::Db;
use feedback_receiver::record::Record;
use serde_json::json;
use support::binary::{post_answer, sign_in, Receiver, ADMIN_PASSWORD};
use support::sinks::{SmtpSink, SmtpTls, TestCert};
use support::{client, Fresh};

/// A fresh SQLite database with an admin and an agent, ada, who has an
/// address and answered yesterday (so a digest is owed at start).
async fn with_ada() -> Fresh {
    let fresh = support::sqlite();
    let db = Db::open(&fresh.database).await.unwrap();
    let hash = feedback_receiver::auth::hash_password("a password, long enough");
    assert!(db.add_user("ada", feedback_receiver::auth::Role::Agent, &hash, &["agent-ada".into()], 0).await.unwrap());
    assert!(db.set_email("ada", Some("ada@example.com")).await.unwrap());
    let hash = feedback_receiver::auth::hash_password(ADMIN_PASSWORD);
    assert!(db.add_user("admin", feedback_receiver::auth::Role::Admin, &hash, &[], 0).await.unwrap());
    let yesterday = clock::now_ms() - clock::now_ms().rem_euclid(DAY_MS) - DAY_MS + 3_600_000;
    let payload = json!({"id": "y-1", "kind": "response", "action": "effort", "effort": 5,
                         "agentId": "agent-ada", "comment": "yesterday's words"});
    db.insert(Record::from_payload(&payload, None).unwrap(), yesterday).await.unwrap();
    db.close().await;
    fresh
}

fn follow_up(id: &str) -> serde_json::Value {
    json!({"id": id, "kind": "response", "action": "effort", "effort": 2, "followUp": true,
           "agentId": "agent-ada", "conversationId": format!("conv-{id}"), "comment": format!("call me about {id}")})
}

fn dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("feedback-mail-tls-{}-{name}", std::process::id()))
}

/// The receiver's notifications, once `done` holds (at most `within`).
async fn notifications_when(
    fresh: &Fresh,
    within: Duration,
    done: impl Fn(&[Notification]) -> bool,
) -> Vec<Notification> {
    let deadline = Instant::now() + within;
    loop {
        let db = Db::open(&fresh.database).await.unwrap();
        let (rows, _) = db.notifications(50).await.unwrap();
        db.close().await;
        if done(&rows) || Instant::now() > deadline {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn trusted(mode: SmtpTls) {
    let fresh = with_ada().await;
    let cert = TestCert::new();
    let ca = cert.write(&dir(&format!("{mode:?}")), "ca.pem");
    let smtp = SmtpSink::start_tls(mode, &cert).await;
    let ca = ca.display().to_string();
    let receiver = Receiver::start(
        &fresh.database,
        &["--smtp-url", &smtp.url, "--smtp-ca", &ca, "--mail-from", "Feedback <feedback@example.com>"],
    );
    post_answer(&receiver.url, follow_up("f-1")).await;
    let mails = smtp.wait_for(Duration::from_secs(20), |m| m.len() >= 2).await;
    assert_eq!(mails.len(), 2, "the follow-up and the digest: {mails:#?}\n{:?}\n{}", smtp.log(), receiver.logs());
    for mail in &mails {
        assert!(mail.tls, "over TLS: {mail:#?}");
        assert_eq!(mail.to, ["<ada@example.com>"]);
    }
    let subjects: Vec<String> = mails.iter().filter_map(|m| m.header("subject")).collect();
    assert!(subjects.iter().any(|s| s.starts_with("Follow-up requested: effort 2/7")), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("What your customers said yesterday")), "{subjects:?}");
    assert!(mails.iter().any(|m| m.data.contains("call me about f-1")));
    assert!(mails.iter().any(|m| m.data.contains("yesterday's words")));
    // Nothing but the greeting (and, for STARTTLS, asking for it) in clear.
    let log = smtp.log();
    let plain: Vec<&String> = log.iter().filter(|l| l.starts_with("plain: ")).collect();
    for line in &plain {
        let verb = line["plain: ".len()..].split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        assert!(["EHLO", "STARTTLS"].contains(&verb.as_str()), "said in clear: {line} ({log:?})");
    }
    if mode == SmtpTls::Implicit {
        assert!(plain.is_empty(), "{log:?}");
    }
    let rows = notifications_when(&fresh, Duration::from_secs(5), |rows| {
        rows.len() == 2 && rows.iter().all(|n| n.state == "sent")
    })
    .await;
    assert!(rows.len() == 2 && rows.iter().all(|n| n.state == "sent"), "{rows:#?}");
    drop(receiver);
    fresh.drop_database().await;
}

#[tokio::test]
async fn a_follow_up_and_a_digest_go_over_starttls_to_a_certificate_trusted_with_smtp_ca() {
    trusted(SmtpTls::StartTls).await;
}

#[tokio::test]
async fn a_follow_up_and_a_digest_go_over_implicit_tls_to_a_certificate_trusted_with_smtp_ca() {
    trusted(SmtpTls::Implicit).await;
}

/// `trust`: the certificate the receiver is given (`None`: only the
/// public roots), never the one the sink serves.
async fn refused(mode: SmtpTls, trust: Option<&TestCert>) {
    let fresh = with_ada().await;
    let served = TestCert::new();
    let smtp = SmtpSink::start_tls(mode, &served).await;
    let mut args: Vec<String> =
        ["--smtp-url", &smtp.url, "--mail-from", "feedback@example.com", "--notify-timeout", "5"]
            .map(str::to_owned)
            .to_vec();
    if let Some(other) = trust {
        let ca = other.write(&dir(&format!("{mode:?}-other")), "other.pem");
        args.extend(["--smtp-ca".to_owned(), ca.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let receiver = Receiver::start(&fresh.database, &args);
    post_answer(&receiver.url, follow_up("f-2")).await;
    // Both the follow-up and the digest have been tried, and refused.
    let rows = notifications_when(&fresh, Duration::from_secs(20), |rows| {
        rows.len() == 2 && rows.iter().all(|n| n.attempts >= 1 && n.last_error.is_some())
    })
    .await;
    assert_eq!(rows.len(), 2, "{rows:#?}");
    for n in &rows {
        assert_eq!(n.state, "pending", "retrying, not sent nor given up: {n:#?}");
        let error = n.last_error.as_deref().unwrap_or_default();
        assert!(
            error.starts_with("TLS: the mail server's certificate is not trusted") && error.contains("--smtp-ca"),
            "a clear error: {error}"
        );
        assert!(error.contains("(invalid peer certificate: "), "the reason, without wrappers: {error}");
    }
    assert!(smtp.mails().is_empty(), "nothing delivered: {:#?}", smtp.mails());
    let log = smtp.log();
    assert!(log.iter().any(|l| l.starts_with("handshake failed")), "the sink saw the client give up: {log:?}");
    for line in &log {
        let said = line.strip_prefix("plain: ").or_else(|| line.strip_prefix("tls: "));
        let verb = said.and_then(|s| s.split_whitespace().next()).unwrap_or_default().to_ascii_uppercase();
        assert!(!["MAIL", "RCPT", "DATA", "AUTH"].contains(&verb.as_str()), "nothing sent after a refusal: {log:?}");
    }
    // The admin page shows it retrying, with that error.
    let admin = sign_in(&receiver.url, "admin", ADMIN_PASSWORD).await;
    let page = client().get(format!("{}/inbox/admin", receiver.url)).header("cookie", &admin).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("retrying, next attempt") && page.contains("certificate is not trusted"), "{page}");
    assert!(receiver.logs().contains("notification will be retried"), "{}", receiver.logs());
    drop(receiver);
    fresh.drop_database().await;
}

#[tokio::test]
async fn starttls_to_a_certificate_nobody_trusts_is_refused_and_nothing_goes_in_clear() {
    refused(SmtpTls::StartTls, None).await;
}

#[tokio::test]
async fn implicit_tls_to_another_certificate_than_the_trusted_one_is_refused() {
    refused(SmtpTls::Implicit, Some(&TestCert::new())).await;
}

#[tokio::test]
async fn a_server_without_starttls_gets_nothing_when_the_url_requires_it() {
    let fresh = with_ada().await;
    let smtp = SmtpSink::start().await; // in clear, offers no STARTTLS
    let url = format!("{}?tls=required", smtp.url);
    let receiver = Receiver::start(&fresh.database, &["--smtp-url", &url, "--mail-from", "feedback@example.com"]);
    post_answer(&receiver.url, follow_up("f-3")).await;
    let rows = notifications_when(&fresh, Duration::from_secs(20), |rows| {
        rows.len() == 2 && rows.iter().all(|n| n.last_error.is_some())
    })
    .await;
    assert_eq!(rows.len(), 2, "{rows:#?}");
    for n in &rows {
        assert_eq!(n.state, "pending", "{n:#?}");
        let error = n.last_error.as_deref().unwrap_or_default();
        assert!(
            error.starts_with("the mail server offers no STARTTLS") && error.contains("nothing was sent"),
            "{n:#?}"
        );
    }
    assert!(smtp.mails().is_empty());
    let log = smtp.log();
    assert!(log.iter().all(|l| l.starts_with("plain: EHLO") || l.starts_with("plain: QUIT")), "{log:?}");
    drop(receiver);
    fresh.drop_database().await;
}
