//! Native tests of the posted payload: field names, nulls, verbatim
//! comments, and the kinds.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::response::{as_track, Redact};
use feedback_widget::domain::{Action, Answer, Context, Decision, Envelope, Kind, Reason, Uuid, Value};
use proptest::prelude::*;

fn envelope_payload(kind: Kind, answer: Option<&Answer>, context: &Context) -> serde_json::Value {
    envelope_payload_redacting(kind, answer, context, true)
}

fn envelope_payload_redacting(
    kind: Kind,
    answer: Option<&Answer>,
    context: &Context,
    redact: bool,
) -> serde_json::Value {
    let decision = Decision { action: Action::Effort, reasons: vec![Reason::Smooth] };
    serde_json::to_value(envelope(context, &decision, redact).payload(kind, answer)).unwrap()
}

/// An envelope at the epoch, in English, with a fixed id.
fn envelope<'a>(context: &'a Context, decision: &'a Decision, redact: bool) -> Envelope<'a> {
    let redact: Option<Redact> = if redact { Some(&feedback_redact::redact_cut) } else { None };
    Envelope { id: Uuid::from_random_bytes([7; 16]), now_ms: 0.0, context, decision, locale: "en", redact }
}

#[test]
fn a_response_carries_every_contract_field() {
    let context = Context::from_value(&serde_json::from_str::<Value>(
        r#"{"conversationId": "c1", "agentId": "a1", "channel": "chat", "metadata": {"plan": "pro"}, "customerId": "secret"}"#,
    ).unwrap()).unwrap();
    let answer = Answer { effort: Some(6), comment: "  客服 <b>好</b>  ".into(), follow_up: false };
    let p = envelope_payload(Kind::Response, Some(&answer), &context);
    assert_eq!(p["id"], "07070707-0707-4707-8707-070707070707");
    assert_eq!(p["kind"], "response");
    assert_eq!(p["action"], "effort");
    assert_eq!(p["reasons"], serde_json::json!(["smooth"]));
    assert_eq!(p["effort"], 6);
    assert_eq!(p["comment"], "客服 <b>好</b>", "trimmed, otherwise verbatim");
    assert_eq!(p["followUp"], false);
    assert_eq!(p["conversationId"], "c1");
    assert_eq!(p["agentId"], "a1");
    assert_eq!(p["channel"], "chat");
    assert_eq!(p["locale"], "en");
    assert_eq!(p["metadata"], serde_json::json!({"plan": "pro"}));
    assert_eq!(p["createdAt"], "1970-01-01T00:00:00.000Z");
    assert_eq!(p["version"], env!("CARGO_PKG_VERSION"));
    assert!(p.get("customerId").is_none(), "the raw customer id is never posted");
}

#[test]
fn comments_are_redacted_unless_the_site_turns_it_off() {
    let decision = Decision { action: Action::Effort, reasons: vec![Reason::Smooth] };
    let context = Context::default();
    let answer = Answer { effort: Some(2), comment: "mail a.b@example.com".into(), follow_up: true };
    for (redact, expected) in [(true, "mail [email]"), (false, "mail a.b@example.com")] {
        let p = envelope(&context, &decision, redact).payload(Kind::Response, Some(&answer));
        assert_eq!(p.comment.as_deref(), Some(expected));
        assert!(p.follow_up);
    }
}

#[test]
fn a_track_call_wraps_the_payload() {
    let context = Context::default();
    let decision = Decision { action: Action::Vent, reasons: vec![Reason::LongWait] };
    let payload = envelope(&context, &decision, true).payload(Kind::Dismissed, None);
    let track = serde_json::to_value(as_track(&payload, "Customer Feedback")).unwrap();
    assert_eq!(track["event"], "Customer Feedback");
    assert_eq!(track["messageId"], payload.id);
    assert_eq!(track["timestamp"], "1970-01-01T00:00:00.000Z");
    assert_eq!(track["properties"]["kind"], "dismissed");
    assert_eq!(track["properties"]["reasons"], serde_json::json!(["long_wait"]));
}

#[test]
fn dismissals_carry_no_answer_and_absent_fields_are_null() {
    let answer = Answer { effort: Some(3), comment: "x".into(), follow_up: true };
    let p = envelope_payload(Kind::Dismissed, Some(&answer), &Context::default());
    assert_eq!(p["kind"], "dismissed");
    assert_eq!(p["effort"], serde_json::Value::Null);
    assert_eq!(p["comment"], serde_json::Value::Null);
    assert_eq!(p["followUp"], false);
    assert_eq!(p["conversationId"], serde_json::Value::Null);
    assert_eq!(p["metadata"], serde_json::json!({}));
}

#[test]
fn context_fields_past_the_contract_are_refused_naming_the_field() {
    let check = |context: &str, expected: &str| {
        let value = serde_json::from_str::<Value>(context).unwrap();
        let error = Context::from_value(&value).expect_err(context).to_string();
        assert!(error.starts_with(expected), "{context}: {error}");
    };
    let long = "a".repeat(257);
    check(&format!(r#"{{"agentId": "{long}"}}"#), "context.agentId: expected at most 256 bytes");
    check(r#"{"conversationId": "c\u0000"}"#, "context.conversationId: expected at most 256 bytes without control");
    check(&format!(r#"{{"channel": "{}"}}"#, "w".repeat(65)), "context.channel: expected a short word");
    let big = "好".repeat(3000);
    check(
        &format!(r#"{{"metadata": {{"note": "{big}"}}}}"#),
        "context.metadata: expected an object of at most 8192 bytes",
    );
    let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
    check(
        &format!(r#"{{"metadata": {{"d": {deep}}}}}"#),
        "context.metadata: expected an object nested at most 32 deep",
    );
    // At the limits is fine, and NaN-like values cannot arrive from JSON.
    let at = format!(r#"{{"agentId": "{}", "metadata": {{"n": "{}"}}}}"#, "好".repeat(85), "x".repeat(8000));
    assert!(Context::from_value(&serde_json::from_str::<Value>(&at).unwrap()).is_ok());
}

#[test]
fn a_context_built_in_rust_is_held_to_the_same_limits() {
    let context = Context { agent_id: Some("a".repeat(300)), ..Context::default() };
    assert!(context.check().unwrap_err().to_string().starts_with("context.agentId"));
    let metadata = Value::Object(vec![("k".into(), Value::String("x".repeat(9000)))]);
    let context = Context { metadata: Some(metadata), ..Context::default() };
    assert!(context.check().unwrap_err().to_string().starts_with("context.metadata"));
    let nan = Value::Object(vec![("k".into(), Value::Number(f64::NAN))]);
    let parsed = Context::from_value(&Value::Object(vec![("metadata".into(), nan)])).unwrap();
    assert_eq!(parsed.metadata, Some(Value::Object(vec![("k".into(), Value::Null)])), "NaN travels as null");
    assert_eq!(Context::default().check(), Ok(()));
}

proptest! {
    #[test]
    fn comments_are_trimmed_and_capped_never_rewritten(comment in "\\PC{0,2500}", effort in 0u8..10) {
        let answer = Answer { effort: Some(effort), comment: comment.clone(), follow_up: false };
        // Redaction off: random text can look like an email address (it once
        // held "C@s.rR"); what redaction replaces is tested in tests/redact.rs.
        let p = envelope_payload_redacting(Kind::Response, Some(&answer), &Context::default(), false);
        let expected: String = comment.trim().chars().take(2000).collect();
        match p["comment"].as_str() {
            Some(sent) => prop_assert_eq!(sent, expected.as_str()),
            None => prop_assert!(expected.is_empty()),
        }
        let valid = (1..=7).contains(&effort);
        prop_assert_eq!(p["effort"].as_u64().is_some(), valid);
        let decision = Decision { action: Action::Effort, reasons: vec![Reason::Smooth] };
        let payload = envelope(&Context::default(), &decision, true).payload(Kind::Response, Some(&answer));
        prop_assert_eq!(payload.check(), Ok(()), "redacted or not, a comment keeps to the contract");
    }

    #[test]
    fn any_bytes_make_a_v4_uuid(bytes in proptest::array::uniform16(any::<u8>())) {
        let text = Uuid::from_random_bytes(bytes).text();
        prop_assert_eq!(text.len(), 36);
        prop_assert_eq!(&text[14..15], "4");
        prop_assert!("89ab".contains(&text[19..20]));
    }

    #[test]
    fn context_parsing_never_panics(text in "\\PC{0,200}") {
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            let _ = Context::from_value(&value);
        }
    }
}
