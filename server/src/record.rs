//! A posted payload, checked: the fields the receiver files and filters on,
//! plus the whole payload as canonical JSON. Text is kept verbatim; it is
//! only ever escaped when shown, never interpreted.

use serde_json::Value;

/// A validated payload, ready to store.
#[derive(Clone, Debug)]
pub struct Record {
    pub id: String,
    pub idempotency_key: Option<String>,
    pub kind: String,
    pub action: Option<String>,
    pub reasons: Vec<String>,
    pub effort: Option<i64>,
    pub comment: Option<String>,
    pub follow_up: bool,
    pub conversation_id: Option<String>,
    pub agent_id: Option<String>,
    pub channel: Option<String>,
    pub locale: Option<String>,
    /// The payload as canonical JSON (sorted keys): a replay of the same
    /// answer has the same body whatever its key order or transport.
    pub body: String,
}

/// Longest accepted identifier-like field (ids, agent, channel, locale).
const SHORT_TEXT: usize = 200;
/// Longest accepted comment, in characters (the widget sends at most 2,000).
const COMMENT: usize = 5_000;

impl Record {
    /// Checks the fields the receiver relies on; the reason names the field.
    pub fn from_payload(payload: &Value, idempotency_key: Option<String>) -> Result<Record, String> {
        let obj = payload.as_object().ok_or("body must be a JSON object")?;
        let text = |name: &str, max: usize| -> Result<Option<String>, String> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.chars().count() > max => {
                    Err(format!("{name} is longer than {max} characters"))
                }
                // PostgreSQL text cannot hold NUL; it never carries meaning here.
                Some(Value::String(s)) => Ok(Some(s.replace('\0', "\u{fffd}"))),
                Some(_) => Err(format!("{name} must be a string or null")),
            }
        };
        let id = text("id", 64)?.filter(|s| !s.trim().is_empty()).ok_or("id is required (a UUID string)")?;
        if let Some(key) = &idempotency_key {
            if *key != id {
                return Err("Idempotency-Key header differs from the payload id".into());
            }
        }
        let kind = text("kind", SHORT_TEXT)?.ok_or("kind is required")?;
        if !matches!(kind.as_str(), "response" | "dismissed" | "suppressed") {
            return Err("kind must be response, dismissed or suppressed".into());
        }
        let action = text("action", SHORT_TEXT)?;
        if action.as_deref().is_some_and(|a| !matches!(a, "effort" | "vent" | "silent")) {
            return Err("action must be effort, vent or silent".into());
        }
        let reasons = match obj.get("reasons") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) if items.len() <= 32 => items
                .iter()
                .map(|r| match r.as_str() {
                    Some(code) if is_code(code) => Ok(code.to_owned()),
                    _ => Err("reasons must be reason codes (letters, digits, _ and -, at most 64)".to_owned()),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("reasons must be an array of at most 32 reason codes".into()),
        };
        let effort = match obj.get("effort") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some_and(|e| (1..=7).contains(&e)) => n.as_i64(),
            Some(_) => return Err("effort must be an integer from 1 to 7, or null".into()),
        };
        let follow_up = match obj.get("followUp") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err("followUp must be a boolean".into()),
        };
        Ok(Record {
            idempotency_key,
            kind,
            action,
            reasons,
            effort,
            comment: text("comment", COMMENT)?,
            follow_up,
            conversation_id: text("conversationId", SHORT_TEXT)?,
            agent_id: text("agentId", SHORT_TEXT)?,
            channel: text("channel", SHORT_TEXT)?,
            locale: text("locale", 35)?,
            body: payload.to_string(),
            id,
        })
    }
}

fn is_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 64 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
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
        assert_eq!(ra.comment.as_deref(), Some("<b>x</b> 好"));
        assert_eq!(ra.reasons, ["smooth"]);
        let nul = Record::from_payload(&json!({"id": "n", "kind": "response", "comment": "a\u{0}b"}), None).unwrap();
        assert_eq!(nul.comment.as_deref(), Some("a\u{fffd}b"));
    }

    #[test]
    fn rejects_invalid_payloads_with_a_reason() {
        let cases: [(Value, Option<&str>, &str); 13] = [
            (json!([]), None, "object"),
            (json!({"kind": "response"}), None, "id"),
            (json!({"id": " ", "kind": "response"}), None, "id is required"),
            (json!({"id": 5, "kind": "response"}), None, "id"),
            (json!({"id": "x".repeat(65), "kind": "response"}), None, "longer than 64"),
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
