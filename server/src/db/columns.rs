//! The `responses` table's columns, listed once. Each column says its
//! type, what a new post writes into it, whether the inbox reads it, and
//! how the CSV export shows it; the batch writer's `INSERT`, the inbox's
//! `SELECT` and the CSV header are derived from [`COLUMNS`]. The schema
//! itself stays in the SQL migrations, and a test (`tests/migrations.rs`)
//! fails when the migrated table and this list differ. This module runs
//! no statement and renders nothing.

use crate::clock;
use crate::db::Entry;
use crate::record::Record;

/// One column of `responses`.
pub struct Column {
    pub name: &'static str,
    pub ty: Type,
    pub nullable: bool,
    /// What a new post writes into it, from the validated payload and the
    /// time it was received (ms); `None`: the column's default, or set later.
    pub write: Option<fn(&Record, i64) -> Value>,
    /// Read into an [`Entry`] (the inbox's rows).
    pub read: bool,
    /// Its heading and cell in the CSV export; the export's columns come in
    /// the list's order.
    pub export: Option<Export>,
}

/// A column's type. The migrations spell it per database: `Boolean` is
/// SQLite's `INTEGER` and PostgreSQL's `BOOLEAN`, `Integer` is `BIGINT` there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Text,
    Integer,
    Boolean,
}

/// The value a new post writes into a column (typed, so that a NULL is
/// bound as the column's type on PostgreSQL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(Option<String>),
    Integer(Option<i64>),
    Boolean(bool),
}

/// A column's place in the CSV export.
pub struct Export {
    pub heading: &'static str,
    pub cell: fn(&Entry) -> String,
}

pub const RECEIVED_MS: Column = Column {
    name: "received_ms",
    ty: Type::Integer,
    nullable: false,
    write: Some(|_, received_ms| Value::Integer(Some(received_ms))),
    read: true,
    export: Some(Export { heading: "received_at", cell: |e| clock::rfc3339(e.received_ms) }),
};
pub const ID: Column = Column {
    name: "id",
    ty: Type::Text,
    nullable: false,
    write: Some(|r, _| Value::Text(Some(r.payload.id.clone()))),
    read: true,
    export: Some(Export { heading: "id", cell: |e| e.answer.id.clone() }),
};
pub const KIND: Column = Column {
    name: "kind",
    ty: Type::Text,
    nullable: false,
    write: Some(|r, _| Value::Text(Some(r.payload.kind.as_str().to_owned()))),
    read: true,
    export: Some(Export { heading: "kind", cell: |e| e.answer.kind.as_str().to_owned() }),
};
/// Exported as `what`: the decision as the inbox names it ([`Entry::what`]).
pub const ACTION: Column = Column {
    name: "action",
    ty: Type::Text,
    nullable: true,
    write: Some(|r, _| Value::Text(r.payload.action.map(|a| a.as_str().to_owned()))),
    read: true,
    export: Some(Export { heading: "what", cell: |e| e.what().to_owned() }),
};
pub const EFFORT: Column = Column {
    name: "effort",
    ty: Type::Integer,
    nullable: true,
    write: Some(|r, _| Value::Integer(r.payload.effort.map(i64::from))),
    read: true,
    export: Some(Export { heading: "effort", cell: |e| e.answer.effort.map(|n| n.to_string()).unwrap_or_default() }),
};
pub const COMMENT: Column = Column {
    name: "comment",
    ty: Type::Text,
    nullable: true,
    write: Some(|r, _| Value::Text(r.payload.comment.clone())),
    read: true,
    export: Some(Export { heading: "comment", cell: |e| e.answer.comment.clone().unwrap_or_default() }),
};
pub const FOLLOW_UP: Column = Column {
    name: "follow_up",
    ty: Type::Boolean,
    nullable: false,
    write: Some(|r, _| Value::Boolean(r.payload.follow_up)),
    read: true,
    export: Some(Export { heading: "follow_up", cell: |e| e.answer.follow_up.to_string() }),
};
/// Set when an agent marks the answer followed up.
pub const FOLLOWED_UP_MS: Column = Column {
    name: "followed_up_ms",
    ty: Type::Integer,
    nullable: true,
    write: None,
    read: true,
    export: Some(Export {
        heading: "followed_up_at",
        cell: |e| e.followed_up_ms.map(clock::rfc3339).unwrap_or_default(),
    }),
};
/// Who marked it followed up (a user's name).
pub const FOLLOWED_UP_BY: Column = Column {
    name: "followed_up_by",
    ty: Type::Text,
    nullable: true,
    write: None,
    read: true,
    export: Some(Export { heading: "followed_up_by", cell: |e| e.followed_up_by.clone().unwrap_or_default() }),
};
pub const AGENT_ID: Column = Column {
    name: "agent_id",
    ty: Type::Text,
    nullable: true,
    write: Some(|r, _| Value::Text(r.payload.agent_id.clone())),
    read: true,
    export: Some(Export { heading: "agent_id", cell: |e| e.answer.agent_id.clone().unwrap_or_default() }),
};
pub const CHANNEL: Column = Column {
    name: "channel",
    ty: Type::Text,
    nullable: true,
    write: Some(|r, _| Value::Text(r.payload.channel.clone())),
    read: true,
    export: Some(Export { heading: "channel", cell: |e| e.answer.channel.clone().unwrap_or_default() }),
};
pub const CONVERSATION_ID: Column = Column {
    name: "conversation_id",
    ty: Type::Text,
    nullable: true,
    write: Some(|r, _| Value::Text(r.payload.conversation_id.clone())),
    read: true,
    export: Some(Export { heading: "conversation_id", cell: |e| e.answer.conversation_id.clone().unwrap_or_default() }),
};
pub const LOCALE: Column = Column {
    name: "locale",
    ty: Type::Text,
    nullable: true,
    write: Some(|r, _| Value::Text(r.payload.locale.clone())),
    read: true,
    export: Some(Export { heading: "locale", cell: |e| e.answer.locale.clone().unwrap_or_default() }),
};
/// The reason codes, separated by spaces (`''` for none).
pub const REASONS: Column = Column {
    name: "reasons",
    ty: Type::Text,
    nullable: false,
    write: Some(|r, _| Value::Text(Some(r.payload.reasons.join(" ")))),
    read: true,
    export: Some(Export { heading: "reasons", cell: Entry::reasons }),
};
pub const IDEMPOTENCY_KEY: Column = Column {
    name: "idempotency_key",
    ty: Type::Text,
    nullable: true,
    write: Some(|r, _| Value::Text(r.idempotency_key.clone())),
    read: false,
    export: None,
};
/// The whole payload as canonical JSON: what a replay is compared with.
pub const BODY: Column = Column {
    name: "body",
    ty: Type::Text,
    nullable: false,
    write: Some(|r, _| Value::Text(Some(r.body.clone()))),
    read: false,
    export: None,
};
/// `received_ms` as RFC 3339, as the first receiver kept it.
pub const RECEIVED_AT: Column = Column {
    name: "received_at",
    ty: Type::Text,
    nullable: false,
    write: Some(|_, received_ms| Value::Text(Some(clock::rfc3339(received_ms)))),
    read: false,
    export: None,
};
/// Posts answered 2xx for this id: the first and its replays.
pub const DELIVERIES: Column =
    Column { name: "deliveries", ty: Type::Integer, nullable: false, write: None, read: true, export: None };

/// Every column of `responses`, in the CSV export's order.
pub const COLUMNS: [Column; 18] = [
    RECEIVED_MS,
    ID,
    KIND,
    ACTION,
    EFFORT,
    COMMENT,
    FOLLOW_UP,
    FOLLOWED_UP_MS,
    FOLLOWED_UP_BY,
    AGENT_ID,
    CHANNEL,
    CONVERSATION_ID,
    LOCALE,
    REASONS,
    IDEMPOTENCY_KEY,
    BODY,
    RECEIVED_AT,
    DELIVERIES,
];

/// The columns an [`Entry`] is read from, for a `SELECT`.
pub fn select_list() -> String {
    names(COLUMNS.iter().filter(|c| c.read))
}

/// The columns a new post fills, in the order [`written`] gives their values.
pub fn insert_list() -> String {
    names(COLUMNS.iter().filter(|c| c.write.is_some()))
}

/// How many values [`written`] gives per post.
pub fn written_count() -> usize {
    COLUMNS.iter().filter(|c| c.write.is_some()).count()
}

/// The values a new post writes, in [`insert_list`]'s order.
pub fn written(record: &Record, received_ms: i64) -> impl Iterator<Item = Value> + '_ {
    COLUMNS.iter().filter_map(move |c| c.write.map(|write| write(record, received_ms)))
}

/// The CSV export's header line (without the line break).
pub fn csv_header() -> String {
    COLUMNS.iter().filter_map(|c| c.export.as_ref()).map(|x| x.heading).collect::<Vec<_>>().join(",")
}

/// An entry's CSV cells, unquoted, in [`csv_header`]'s order.
pub fn csv_cells(entry: &Entry) -> impl Iterator<Item = String> + '_ {
    COLUMNS.iter().filter_map(|c| c.export.as_ref()).map(move |x| (x.cell)(entry))
}

fn names<'a>(columns: impl Iterator<Item = &'a Column>) -> String {
    columns.map(|c| c.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_once_and_each_value_of_its_type() {
        let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len(), "a column is listed twice");
        let record = Record::from_payload(&serde_json::json!({"id": "x", "kind": "response"}), None).unwrap();
        for column in COLUMNS.iter().filter(|c| c.write.is_some()) {
            let value = (column.write.unwrap())(&record, 0);
            let ty = match &value {
                Value::Text(_) => Type::Text,
                Value::Integer(_) => Type::Integer,
                Value::Boolean(_) => Type::Boolean,
            };
            assert_eq!(ty, column.ty, "{}", column.name);
            let null = matches!(value, Value::Text(None) | Value::Integer(None));
            assert!(!null || column.nullable, "{} is NOT NULL", column.name);
        }
    }

    #[test]
    fn the_export_keeps_its_header() {
        assert_eq!(
            csv_header(),
            "received_at,id,kind,what,effort,comment,follow_up,followed_up_at,followed_up_by,agent_id,channel,conversation_id,locale,reasons"
        );
        assert_eq!(written_count(), 15);
    }
}
