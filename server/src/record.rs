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
        // Only the contract's fields: one it does not have (a `customerId`,
        // a site's own data) would be stored and sent on to webhooks past
        // every limit `metadata` has.
        if let Some(unknown) = payload.as_object().and_then(|fields| {
            fields.keys().find(|key| !feedback_contract::payload::field::ALL.contains(&key.as_str()))
        }) {
            return Err(format!("{}: not a field of the payload (put your own in metadata)", cut(unknown)));
        }
        let value = feedback_contract::Value::deserialize(payload).map_err(|e| e.to_string())?;
        let checked = Payload::from_value(&value).map_err(|problem| problem.to_string())?;
        if idempotency_key.as_ref().is_some_and(|key| *key != checked.id) {
            return Err("Idempotency-Key header differs from the payload id".into());
        }
        Ok(Record { payload: checked, idempotency_key, body: canonical(payload).to_string() })
    }

    /// The payload's id, the row's key.
    pub fn id(&self) -> &str {
        &self.payload.id
    }
}

/// A name or a header's value for an error message: at most 64 bytes, no
/// control characters (it may end up in a log).
pub(crate) fn cut(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().filter(|c| !c.is_control()) {
        if out.len() + c.len_utf8() > 64 {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// What is stored of `payload`: every NUL in its text (the comment, and
/// the metadata's strings and keys; the contract's other text fields
/// refuse control characters) replaced by U+FFFD, as the columns hold it
/// ([`feedback_contract::text::without_nul`]): an outsider found the CSV
/// and the inbox showing U+FFFD while `/responses` and the webhooks, which
/// give the stored body, still had the NUL; and another found a NUL in
/// metadata, which PostgreSQL's `jsonb` cannot hold, breaking erasure by
/// customer key for every answer. And a whole number written with a
/// fraction (`2.0`) as an integer, as a browser writes it, so that a
/// client writing its numbers as floats gets its own retry taken as one.
/// Keys come out sorted (serde_json's map).
pub(crate) fn canonical(payload: &Value) -> Value {
    fn clean(value: &mut Value) {
        match value {
            Value::Number(n) => {
                // Within 2^53 a float is a whole number exactly or not at all.
                if let Some(f) =
                    n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0)
                {
                    *n = if f < 0.0 { (f as i64).into() } else { (f as u64).into() };
                }
            }
            Value::String(s) if s.contains('\0') => *s = feedback_contract::text::without_nul(s),
            Value::Array(items) => items.iter_mut().for_each(clean),
            Value::Object(fields) => {
                if fields.keys().any(|key| key.contains('\0')) {
                    let old = std::mem::take(fields);
                    for (key, item) in old {
                        fields.insert(feedback_contract::text::without_nul(&key), item);
                    }
                }
                fields.values_mut().for_each(clean);
            }
            _ => {}
        }
    }
    let mut payload = payload.clone();
    clean(&mut payload);
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
        // The stored body says the same, metadata too.
        let nul = Record::from_payload(
            &json!({"id": "n", "kind": "response", "comment": "a\u{0}b", "metadata": {"k": "x\u{0}"}}),
            None,
        )
        .unwrap();
        assert!(nul.body.contains("\"comment\":\"a\u{fffd}b\""), "{}", nul.body);
        assert!(nul.body.contains("\"k\":\"x\u{fffd}\""), "{}", nul.body);
        assert_eq!(nul.payload.metadata.get("k"), Some(&feedback_contract::Value::String("x\u{fffd}".into())));
    }

    /// JSON does not tell 2 from 2.0 (the browser's `JSON.stringify` writes
    /// both as 2), so neither does a replay: a client that writes its
    /// numbers as floats is not refused its own retry. Other numbers stay
    /// as sent.
    #[test]
    fn a_whole_number_is_one_number_however_it_is_written() {
        let body = |text: &str| Record::from_payload(&serde_json::from_str(text).unwrap(), None).unwrap().body;
        let plain = body(r#"{"id":"n","kind":"response","effort":2,"metadata":{"order":1234,"x":-3,"big":1e3}}"#);
        let floats =
            body(r#"{"id":"n","kind":"response","effort":2.0,"metadata":{"order":1234.0,"x":-3.0,"big":1000}}"#);
        assert_eq!(plain, floats);
        assert!(plain.contains(r#""effort":2,"#), "{plain}");
        let kept =
            body(r#"{"id":"n","kind":"response","metadata":{"p":2.5,"e":1e300,"m":-0.0,"u":18446744073709551615}}"#);
        assert!(kept.contains(r#""p":2.5"#) && kept.contains(r#""u":18446744073709551615"#), "{kept}");
        assert!(kept.contains(r#""e":1e+300"#) && kept.contains(r#""m":0,"#), "{kept}");
    }

    #[test]
    fn rejects_invalid_payloads_with_a_reason() {
        let cases: [(Value, Option<&str>, &str); 20] = [
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
            // An outsider's finds: fields the contract does not have were
            // stored and sent on to webhooks past every limit (a
            // `customerId` the widget never posts, 60 KB nested 100 deep),
            // and a NUL in an id became U+FFFD, an id nobody sent.
            (json!({"id": "a", "kind": "response", "customerId": "c-1"}), None, "customerId: not a field"),
            (json!({"id": "a", "kind": "response", "extra": [[[1]]]}), None, "put your own in metadata"),
            (json!({"id": "a\u{0}b", "kind": "response"}), None, "id: expected"),
            (json!({"id": "a", "kind": "response", "conversationId": "c\u{0}"}), None, "conversationId: expected"),
            (json!({"id": "a", "kind": "response", "agentId": "\u{0}"}), None, "agentId: expected"),
            (json!({"id": "a", "kind": "response", "channel": "chat\u{0}"}), None, "channel: expected"),
        ];
        for (body, key, needle) in cases {
            let err = Record::from_payload(&body, key.map(str::to_owned)).expect_err("must be rejected");
            assert!(err.contains(needle), "{body}: {err:?} should mention {needle:?}");
        }
    }
}
