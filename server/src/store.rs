//! SQLite storage of posted payloads, one row per payload `id`.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

pub struct Store {
    db: Mutex<Connection>,
}

/// A validated payload, ready to store.
pub struct Record {
    pub id: String,
    pub idempotency_key: Option<String>,
    pub kind: String,
    pub action: Option<String>,
    pub effort: Option<i64>,
    pub comment: Option<String>,
    pub follow_up: bool,
    pub conversation_id: Option<String>,
    pub agent_id: Option<String>,
    pub body: String,
}

pub enum Stored {
    New(String),
    Duplicate(String),
}

impl Record {
    /// Checks the fields the receiver relies on; the reason names the field.
    pub fn from_payload(payload: &Value, idempotency_key: Option<String>) -> Result<Record, String> {
        let obj = payload.as_object().ok_or("body must be a JSON object")?;
        let text = |name: &str| -> Result<Option<String>, String> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{name} must be a string or null")),
            }
        };
        let id = text("id")?.filter(|s| !s.is_empty()).ok_or("id is required (a UUID string)")?;
        if id.len() > 64 {
            return Err("id is longer than 64 characters".into());
        }
        if let Some(key) = &idempotency_key {
            if *key != id {
                return Err("Idempotency-Key header differs from the payload id".into());
            }
        }
        let kind = text("kind")?.ok_or("kind is required")?;
        if !matches!(kind.as_str(), "response" | "dismissed" | "suppressed") {
            return Err("kind must be response, dismissed or suppressed".into());
        }
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
            action: text("action")?,
            effort,
            comment: text("comment")?,
            follow_up,
            conversation_id: text("conversationId")?,
            agent_id: text("agentId")?,
            body: payload.to_string(),
            id,
        })
    }
}

/// Versioned schema changes, applied in order; `PRAGMA user_version`
/// records how many have run.
const MIGRATIONS: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS responses (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT,
        kind TEXT NOT NULL,
        action TEXT,
        effort INTEGER,
        comment TEXT,
        follow_up INTEGER NOT NULL DEFAULT 0,
        conversation_id TEXT,
        agent_id TEXT,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );",
    "ALTER TABLE responses ADD COLUMN deliveries INTEGER NOT NULL DEFAULT 1;",
];

fn migrate(db: &Connection) -> rusqlite::Result<()> {
    let done: usize = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(done) {
        db.execute_batch(&format!("BEGIN; {step} PRAGMA user_version = {}; COMMIT;", i + 1))?;
    }
    Ok(())
}

impl Store {
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let db = Connection::open(path)?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&db)?;
        Ok(Store { db: Mutex::new(db) })
    }

    /// Stores `record` unless a row with its id exists.
    pub fn insert(&self, r: &Record) -> rusqlite::Result<Stored> {
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let changed = db.execute(
            "INSERT OR IGNORE INTO responses
               (id, idempotency_key, kind, action, effort, comment, follow_up, conversation_id, agent_id, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                r.id,
                r.idempotency_key,
                r.kind,
                r.action,
                r.effort,
                r.comment,
                r.follow_up,
                r.conversation_id,
                r.agent_id,
                r.body
            ],
        )?;
        if changed == 1 {
            return Ok(Stored::New(r.id.clone()));
        }
        // A replay: count it, so tests can tell a resend from a double send.
        db.execute("UPDATE responses SET deliveries = deliveries + 1 WHERE id = ?1", [&r.id])?;
        Ok(Stored::Duplicate(r.id.clone()))
    }

    /// The newest `limit` rows: the payload as posted plus what the
    /// receiver added (`idempotencyKey`, `receivedAt`).
    pub fn list(&self, limit: u32) -> rusqlite::Result<Vec<Value>> {
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let mut stmt = db.prepare(
            "SELECT body, idempotency_key, received_at, deliveries FROM responses
             ORDER BY received_at DESC, rowid DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |row| {
            let body: String = row.get(0)?;
            let key: Option<String> = row.get(1)?;
            let received: String = row.get(2)?;
            let deliveries: i64 = row.get(3)?;
            Ok((body, key, received, deliveries))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (body, key, received, deliveries) = row?;
            let payload = serde_json::from_str::<Value>(&body).unwrap_or(Value::Null);
            out.push(
                json!({ "payload": payload, "idempotencyKey": key, "receivedAt": received, "deliveries": deliveries }),
            );
        }
        Ok(out)
    }

    /// Number of stored rows (for tests).
    #[allow(dead_code)]
    pub fn count(&self) -> rusqlite::Result<i64> {
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        db.query_row("SELECT count(*) FROM responses", [], |r| r.get(0)).optional().map(|n| n.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(id: &str) -> Value {
        json!({"id": id, "kind": "response", "action": "effort", "effort": 6, "comment": "好 <b>x</b>", "followUp": false})
    }

    #[test]
    fn stores_once_per_id() {
        let store = Store::open(Path::new(":memory:")).unwrap();
        let record = Record::from_payload(&payload("a"), Some("a".into())).unwrap();
        assert!(matches!(store.insert(&record).unwrap(), Stored::New(_)));
        assert!(matches!(store.insert(&record).unwrap(), Stored::Duplicate(_)));
        assert_eq!(store.count().unwrap(), 1);
        let rows = store.list(10).unwrap();
        assert_eq!(rows[0]["payload"]["comment"], "好 <b>x</b>");
        assert_eq!(rows[0]["idempotencyKey"], "a");
    }

    #[test]
    fn a_database_from_the_first_version_is_migrated_in_place() {
        let dir = std::env::temp_dir().join(format!("feedback-migrate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.sqlite");
        let _ = std::fs::remove_file(&path);
        let old = Connection::open(&path).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.execute("INSERT INTO responses (id, kind, body) VALUES ('old', 'dismissed', '{}')", []).unwrap();
        drop(old);
        let store = Store::open(&path).unwrap();
        let record = Record::from_payload(&json!({"id": "old", "kind": "dismissed"}), None).unwrap();
        assert!(matches!(store.insert(&record).unwrap(), Stored::Duplicate(_)));
        assert_eq!(store.list(5).unwrap()[0]["deliveries"], 2);
        drop(store);
        let reopened = Store::open(&path).unwrap();
        assert_eq!(reopened.count().unwrap(), 1, "migrations run once");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_invalid_payloads_with_a_reason() {
        let check = |body: Value, key: Option<&str>, needle: &str| {
            let err = Record::from_payload(&body, key.map(str::to_owned)).err().expect("must be rejected");
            assert!(err.contains(needle), "{err:?} should mention {needle:?}");
        };
        check(json!([]), None, "object");
        check(json!({"kind": "response"}), None, "id");
        check(json!({"id": "a", "kind": "nope"}), None, "kind");
        check(json!({"id": "a", "kind": "response", "effort": 9}), None, "effort");
        check(json!({"id": "a", "kind": "response", "effort": 2.5}), None, "effort");
        check(json!({"id": "a", "kind": "response", "followUp": "yes"}), None, "followUp");
        check(payload("a"), Some("b"), "Idempotency-Key");
        check(json!({"id": 5, "kind": "response"}), None, "id");
    }
}
