//! The contract, end to end in Rust: any context and answer the widget
//! accepts yields a payload that the receiver's validation accepts, and the
//! stored row (its columns and its body) reads back equal to what was
//! sent, on SQLite and on PostgreSQL. The widget side is the real domain
//! code (`Context::from_value`, `decide`'s types, `Envelope::payload`);
//! the receiver side is the real `Record` and `Db`.

mod support;

use feedback_receiver::db::{Clause, Db, Param};
use feedback_receiver::record::Record;
use feedback_widget::domain::strings::choose_locale;
use feedback_widget::domain::{
    Action, Answer, Context, Decision, Envelope, Kind, Payload, Reason, Redact, Uuid, Value,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Text in any script, control characters included (what a customer can
/// paste), sometimes past the comment's limit.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<char>(), 0..max).prop_map(|c| c.into_iter().collect::<String>()),
        "[a-z0-9 ]{0,40}",
        "[\u{4e00}-\u{9fff}\u{3400}-\u{4dbf}，。！？ ]{0,600}",
        "[\u{0600}-\u{06ff}\u{0900}-\u{097f}\u{1f600}-\u{1f64f} ]{0,300}",
    ]
}

/// An identifier as a page may pass it: a string at or under 256 bytes in
/// any script (no control characters, which the widget refuses), or an
/// integer.
fn any_id() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        proptest::collection::vec(any::<char>().prop_filter("printable", |c| !c.is_control()), 0..90).prop_map(
            |chars| {
                let mut id = String::new();
                for c in chars {
                    if id.len() + c.len_utf8() <= 256 {
                        id.push(c);
                    }
                }
                serde_json::Value::String(id)
            }
        ),
        Just(serde_json::Value::String("好".repeat(85))),
        Just(serde_json::Value::String("a".repeat(256))),
        (0i64..9_000_000_000_000_000).prop_map(|n| serde_json::json!(n)),
    ]
}

fn any_metadata() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<f64>().prop_filter("finite", |n| n.is_finite()).prop_map(|n| serde_json::json!(n)),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any_text(60).prop_map(serde_json::Value::String),
    ];
    let tree = leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(any_text(10), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    prop_oneof![
        tree.prop_map(|v| serde_json::json!({ "v": v })),
        // At the limit: one big CJK note.
        Just(serde_json::json!({ "note": "注".repeat(2_700) })),
    ]
}

fn any_context() -> impl Strategy<Value = serde_json::Value> {
    (
        prop::option::of(any_id()),
        prop::option::of(any_id()),
        prop::option::of(prop_oneof![Just("chat".to_owned()), "[a-zA-Z_ -]{1,64}", "[\u{4e00}-\u{9fff}]{1,21}"]),
        prop::option::of(prop_oneof![Just("zh-Hant-TW".to_owned()), Just("pt_BR".to_owned()), "[a-z]{2,8}"]),
        prop::option::of(any_metadata()),
    )
        .prop_map(|(conversation, agent, channel, locale, metadata)| {
            serde_json::json!({
                "conversationId": conversation,
                "agentId": agent,
                "channel": channel,
                "locale": locale,
                "metadata": metadata,
            })
        })
}

fn any_decision() -> impl Strategy<Value = Decision> {
    (
        prop::sample::select(vec![Action::Effort, Action::Vent, Action::Silent]),
        prop::sample::subsequence(Reason::ALL.to_vec(), 1..6),
    )
        .prop_map(|(action, reasons)| Decision { action, reasons })
}

fn any_answer() -> impl Strategy<Value = Answer> {
    (0u8..10, any_text(2_500), any::<bool>()).prop_map(|(effort, comment, follow_up)| Answer {
        effort: Some(effort),
        comment,
        follow_up,
    })
}

async fn accepted_and_read_back_equal(fresh: support::Fresh) {
    let db = Db::open(&fresh.database).await.unwrap();
    let mut runner = TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    let strategy = (
        any_context(),
        any_decision(),
        prop::sample::select(vec![Kind::Response, Kind::Dismissed, Kind::Suppressed]),
        any_answer(),
        // Off, the scanner, or the coarse mask the widget uses until the
        // scanner has arrived.
        0u8..3,
        0u64..4_102_444_800_000,
    );
    let received_ms = std::cell::Cell::new(0);
    let accepted = std::cell::Cell::new(0);
    let result = runner.run(&strategy, |(context, decision, kind, answer, redact, now)| {
        // A fresh id per case (shrinking replays cases; the ids must not collide).
        received_ms.set(received_ms.get() + 1);
        let id = Uuid::from_random_bytes((received_ms.get() as u128).to_be_bytes());
        let page = serde_json::from_value::<Value>(context.clone()).unwrap();
        // Only what the widget accepts; `Context::from_value` names the field otherwise.
        let Ok(context) = Context::from_value(&page) else { return Ok(()) };
        accepted.set(accepted.get() + 1);
        // The prompt's language, chosen as the shell chooses it.
        let locale = choose_locale(&[context.locale.as_deref()]);
        let redact: Option<Redact> = match redact {
            0 => None,
            1 => Some(&feedback_redact::redact_cut),
            _ => Some(&feedback_redact::mask),
        };
        let envelope =
            Envelope { id, now_ms: now as f64, context: &context, decision: &decision, locale: &locale, redact };
        let payload = envelope.payload(kind, Some(&answer));
        let sent = serde_json::to_value(&payload).unwrap();
        let text = serde_json::to_string(&payload).unwrap();
        prop_assert!(text.len() <= feedback_receiver::BODY_LIMIT, "{} bytes", text.len());

        let record = Record::from_payload(&sent, Some(payload.id.clone()));
        prop_assert!(record.is_ok(), "the receiver refused what the widget built: {:?}", record.err());
        let stored = tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                db.insert(record.unwrap(), received_ms.get()).await.unwrap();
                let mut by_id = Clause::new();
                by_id.and("id = ?", [Param::Text(payload.id.clone())]);
                let entries = db.entries(&by_id, "id", 2).await.unwrap();
                let bodies = db.recent_json(&feedback_receiver::db::Clause::new(), 1).await.unwrap();
                (entries, bodies)
            })
        });
        let (entries, bodies) = stored;
        prop_assert_eq!(entries.len(), 1);
        let row = &entries[0];
        prop_assert_eq!(&bodies[0]["payload"], &sent, "the stored body is what was sent");
        // The columns read back as the contract's payload; metadata,
        // createdAt and version are only in the body (compared above).
        let columns =
            Payload { metadata: Value::Object(Vec::new()), created_at: None, version: None, ..payload.clone() };
        prop_assert_eq!(&row.answer, &columns);
        Ok(())
    });
    db.close().await;
    fresh.drop_database().await;
    if let Err(failure) = result {
        panic!("{failure}");
    }
    // The generators aim at what the widget accepts: most cases must count.
    assert!(accepted.get() >= 170, "only {} of 256 contexts were accepted", accepted.get());
}

support::on_both_databases!(
    widget_payloads_are_stored_as_sent,
    accepted_and_read_back_equal,
    flavor = "multi_thread",
    worker_threads = 2
);
