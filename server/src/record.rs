//! A posted payload, checked: the fields the receiver files and filters on,
//! plus the whole payload as canonical JSON. Text is kept verbatim; it is
//! only ever escaped when shown, never interpreted.

use feedback_contract::Payload;
use serde::Deserialize;
use serde_json::Value;

/// A validated payload, ready to store: the contract's [`Payload`] (its
/// fields are the row's columns, see `db::columns`), the header it came
/// with, and the whole payload as canonical JSON (sorted keys): a replay of
/// the same answer has the same body whatever its key order or transport.
#[derive(Clone, Debug)]
pub struct Record {
    pub payload: Payload,
    pub idempotency_key: Option<String>,
    pub body: String,
}

impl Record {
    /// Reads and checks a payload by the wire contract (the same
    /// [`Payload::from_value`] and limits the widget builds with); the
    /// reason names the field and what was expected of it.
    pub fn from_payload(payload: &Value, idempotency_key: Option<String>) -> Result<Record, String> {
        let value = feedback_contract::Value::deserialize(payload).map_err(|e| e.to_string())?;
        let checked = Payload::from_value(&value).map_err(|problem| problem.to_string())?;
        if idempotency_key.as_ref().is_some_and(|key| *key != checked.id) {
            return Err("Idempotency-Key header differs from the payload id".into());
        }
        Ok(Record { payload: checked, idempotency_key, body: without_nul(payload).to_string() })
    }

    /// The payload's id, the row's key.
    pub fn id(&self) -> &str {
        &self.payload.id
    }
}

/// `payload` with every NUL in its top-level text (the comment, and any
/// field the contract does not know; its own other fields refuse control
/// characters) replaced by U+FFFD, as the
/// columns hold it ([`feedback_contract::text::without_nul`]): an outsider
/// found the CSV and the inbox showing U+FFFD while `/responses` and the
/// webhooks, which give the stored body, still had the NUL. (Metadata,
/// which no column holds, is kept as sent.)
fn without_nul(payload: &Value) -> Value {
    let mut payload = payload.clone();
    if let Value::Object(fields) = &mut payload {
        for value in fields.values_mut() {
            if let Value::String(s) = value {
                *s = feedback_contract::text::without_nul(s);
            }
        }
    }
    payload
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_text_verbatim_and_the_body_canonical() {
        let a = json!({"kind": "response", "id": "a", "comment": "<b>x</b> 好", "reasons": ["smooth"], "effort": 6});
        let b: Value = serde_json::from_str(
            r#"{"effort":6,"reasons":["smooth"],"comment":"<b>x</b> 好","id":"a","kind":"response"}"#,
        )
        .unwrap();
        let (ra, rb) = (Record::from_payload(&a, None).unwrap(), Record::from_payload(&b, None).unwrap());
        assert_eq!(ra.body, rb.body, "key order does not matter");
        assert_eq!(ra.payload.comment.as_deref(), Some("<b>x</b> 好"));
        assert_eq!(ra.payload.reasons, ["smooth"]);
        let nul = Record::from_payload(&json!({"id": "n", "kind": "response", "comment": "a\u{0}b"}), None).unwrap();
        assert_eq!(nul.payload.comment.as_deref(), Some("a\u{fffd}b"));
        // The stored body says the same; metadata, which no column
        // holds, is kept as sent.
        let nul = Record::from_payload(
            &json!({"id": "n", "kind": "response", "comment": "a\u{0}b", "metadata": {"k": "x\u{0}"}}),
            None,
        )
        .unwrap();
        assert!(nul.body.contains("\"comment\":\"a\u{fffd}b\""), "{}", nul.body);
        assert!(nul.body.contains("\"k\":\"x\\u0000\""), "{}", nul.body);
    }

    #[test]
    fn rejects_invalid_payloads_with_a_reason() {
        let cases: [(Value, Option<&str>, &str); 14] = [
            (json!([]), None, "object"),
            (json!({"kind": "response"}), None, "id"),
            (json!({"id": " ", "kind": "response"}), None, "id: expected"),
            (json!({"id": 5, "kind": "response"}), None, "id"),
            (json!({"id": "x".repeat(65), "kind": "response"}), None, "id: expected an id of at most 64 bytes"),
            (json!({"id": "a", "kind": "response", "agentId": "a".repeat(257)}), None, "agentId: expected"),
            (json!({"id": "a", "kind": "nope"}), None, "kind"),
            (json!({"id": "a", "kind": "response", "action": "shout"}), None, "action"),
            (json!({"id": "a", "kind": "response", "effort": 9}), None, "effort"),
            (json!({"id": "a", "kind": "response", "effort": 2.5}), None, "effort"),
            (json!({"id": "a", "kind": "response", "followUp": "yes"}), None, "followUp"),
            (json!({"id": "a", "kind": "response", "reasons": "smooth"}), None, "reasons"),
            (json!({"id": "a", "kind": "response", "reasons": ["<script>"]}), None, "reason codes"),
            (json!({"id": "a", "kind": "response"}), Some("b"), "Idempotency-Key"),
        ];
        for (body, key, needle) in cases {
            let err = Record::from_payload(&body, key.map(str::to_owned)).expect_err("must be rejected");
            assert!(err.contains(needle), "{body}: {err:?} should mention {needle:?}");
        }
    }
}
