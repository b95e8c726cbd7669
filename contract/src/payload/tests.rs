//! The payload's rules, table-driven, and the round trip every sender and
//! receiver relies on: serialize, parse, read, equal.

use super::*;
use proptest::prelude::*;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn minimal() -> Payload {
    Payload {
        id: "5f0c1c3e-8a1e-4b4f-9d1a-2b7e4c1f0a9d".into(),
        kind: Kind::Response,
        action: Some(Action::Effort),
        reasons: vec![Cow::Borrowed("smooth")],
        effort: Some(6),
        comment: Some("客服很快 <b>x</b>".into()),
        follow_up: false,
        conversation_id: Some("c-1".into()),
        agent_id: None,
        channel: Some("chat".into()),
        locale: Some("zh-Hant-TW".into()),
        metadata: parse(r#"{"plan":"pro","n":[1,2.5,null]}"#),
        created_at: Some("2026-11-27T09:05:03.123Z".into()),
        version: Some(Cow::Borrowed("0.1.0")),
    }
}

fn read(payload: &Payload) -> Result<Payload, Problem> {
    Payload::from_value(&parse(&serde_json::to_string(payload).unwrap()))
}

#[test]
fn a_payload_reads_back_as_written() {
    let payload = minimal();
    assert_eq!(read(&payload), Ok(payload.clone()));
    let text = serde_json::to_string(&payload).unwrap();
    for name in field::ALL {
        assert!(text.contains(&["\"", name, "\":"].concat()), "{name} is written");
    }
}

#[test]
fn each_broken_rule_is_named() {
    let check = |change: &dyn Fn(&mut Payload), field: &str| {
        let mut payload = minimal();
        change(&mut payload);
        let problem = payload.check().expect_err(field);
        assert_eq!(problem.field, field, "{problem}");
        assert_eq!(read(&payload).unwrap_err().field, field, "the reader agrees");
    };
    check(&|p| p.id = " ".into(), "id");
    check(&|p| p.id = "x".repeat(65), "id");
    check(&|p| p.reasons = vec![Cow::Borrowed("<script>")], "reasons");
    check(&|p| p.reasons = vec![Cow::Borrowed("ok"); 33], "reasons");
    check(&|p| p.effort = Some(8), "effort");
    check(&|p| p.effort = Some(0), "effort");
    check(&|p| p.comment = Some("好".repeat(2001)), "comment");
    check(&|p| p.conversation_id = Some("c".repeat(257)), "conversationId");
    check(&|p| p.agent_id = Some("a\u{7}b".into()), "agentId");
    check(&|p| p.channel = Some("w".repeat(65)), "channel");
    check(&|p| p.locale = Some("zh_TW".into()), "locale");
    check(&|p| p.metadata = Value::Array(vec![]), "metadata");
    check(&|p| p.metadata = Value::Object(vec![("k".into(), Value::String("x".repeat(8200)))]), "metadata");
    check(&|p| p.created_at = Some("yesterday".into()), "createdAt");
    check(&|p| p.version = Some(Cow::Owned("v".repeat(65))), "version");
}

#[test]
fn the_reader_names_wrong_types_and_is_lenient_about_absence() {
    for (body, field) in [
        ("[]", "body"),
        (r#"{"kind":"response"}"#, "id"),
        (r#"{"id":5,"kind":"response"}"#, "id"),
        (r#"{"id":"a","kind":"nope"}"#, "kind"),
        (r#"{"id":"a","kind":"response","action":"shout"}"#, "action"),
        (r#"{"id":"a","kind":"response","effort":2.5}"#, "effort"),
        (r#"{"id":"a","kind":"response","followUp":"yes"}"#, "followUp"),
        (r#"{"id":"a","kind":"response","reasons":"smooth"}"#, "reasons"),
        (r#"{"id":"a","kind":"response","metadata":"x"}"#, "metadata"),
    ] {
        assert_eq!(Payload::from_value(&parse(body)).unwrap_err().field, field, "{body}");
    }
    let bare = Payload::from_value(&parse(r#"{"id":"a","kind":"dismissed","comment":"a\u0000b","effort":null}"#));
    let bare = bare.unwrap();
    assert_eq!(bare.comment.as_deref(), Some("a\u{fffd}b"), "NUL is stored as U+FFFD");
    assert_eq!(bare.metadata, Value::Object(vec![]));
    assert_eq!((bare.action, bare.effort, bare.follow_up), (None, None, false));
}

#[test]
fn problems_read_as_sentences() {
    let problem = Problem { field: "agentId", expected: "an identifier" };
    assert_eq!(problem.to_string(), "agentId: expected an identifier");
}

/// JSON text with every character outside ASCII escaped, one outside the
/// BMP as a surrogate pair, as Python's `json.dumps` does by default (its
/// spaces after `,` and `:` are left out here; the bound counts them).
fn ascii_escaped(json: &str) -> String {
    let mut out = String::with_capacity(json.len() * 3);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Every field at its limit, in the characters that take the most bytes
/// escaped: the body still fits, written as the widget writes it or
/// escaped as Python writes it, and it reads back equal.
#[test]
fn the_largest_payload_fits_the_body_limit_however_it_is_escaped() {
    let emoji = |bytes: usize| "😀".repeat(bytes / 4);
    // {"k":"😀..."}: 2 braces, "k" 3, a colon, the string's quotes 2.
    let metadata = Value::Object(vec![("k".into(), Value::String(emoji(MAX_METADATA_BYTES - 8)))]);
    assert_eq!(metadata.encoded_len_bound(), MAX_METADATA_BYTES, "metadata at its limit exactly");
    let payload = Payload {
        id: "é".repeat(MAX_PAYLOAD_ID_BYTES / 2),
        reasons: (0..MAX_REASONS)
            .map(|i| Cow::Owned(format!("{i}{}", "r".repeat(crate::limits::MAX_REASON_BYTES - 2))))
            .collect(),
        effort: Some(1),
        comment: Some("😀".repeat(MAX_COMMENT_CHARS)),
        follow_up: true,
        conversation_id: Some(emoji(MAX_ID_BYTES)),
        agent_id: Some(emoji(MAX_ID_BYTES)),
        channel: Some(emoji(MAX_WORD_BYTES)),
        locale: Some(format!("x-{}", "a".repeat(crate::limits::MAX_LOCALE_BYTES - 2))),
        metadata,
        version: Some(Cow::Owned(emoji(MAX_WORD_BYTES))),
        ..minimal()
    };
    payload.check().expect("every field at its limit is valid");
    let written = serde_json::to_string(&payload).unwrap();
    let escaped = ascii_escaped(&written);
    assert!(escaped.len() > 40 * 1024, "escaping made it larger: {}", escaped.len());
    for text in [&written, &escaped] {
        assert!(text.len() <= crate::limits::MAX_BODY_BYTES, "{} bytes", text.len());
        assert!(text.len() <= crate::limits::WORST_CASE_BODY_BYTES);
        assert_eq!(Payload::from_value(&parse(text)).as_ref(), Ok(&payload));
    }
}

fn text(max_chars: usize) -> impl Strategy<Value = String> {
    // Any script, control characters included, NUL excluded (see `without_nul`).
    proptest::collection::vec(any::<char>().prop_filter("no NUL", |c| *c != '\0'), 0..max_chars)
        .prop_map(|chars| chars.into_iter().collect())
}

fn bytes_at_most(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>().prop_filter("no control", |c| !c.is_control()), 0..max).prop_map(
        move |chars| {
            let mut s = String::new();
            for c in chars {
                if s.len() + c.len_utf8() > max {
                    break;
                }
                s.push(c);
            }
            s
        },
    )
}

fn metadata() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_filter("finite", |n| n.is_finite()).prop_map(Value::Number),
        text(40).prop_map(Value::String),
    ];
    let tree = leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((text(12), inner), 0..8).prop_map(|fields| {
                let mut unique: Vec<(String, Value)> = Vec::new();
                for (k, v) in fields {
                    if !unique.iter().any(|(u, _)| *u == k) {
                        unique.push((k, v));
                    }
                }
                Value::Object(unique)
            }),
        ]
    });
    tree.prop_map(|v| match v {
        object @ Value::Object(_) => object,
        other => Value::Object(vec![("v".into(), other)]),
    })
}

prop_compose! {
    fn any_payload()(
        kind in prop::sample::select(Kind::ALL.to_vec()),
        action in prop::option::of(prop::sample::select(Action::ALL.to_vec())),
        effort in prop::option::of(1u8..=7),
        comment in prop::option::of(text(MAX_COMMENT_CHARS)),
        follow_up in any::<bool>(),
        conversation_id in prop::option::of(bytes_at_most(MAX_ID_BYTES)),
        agent_id in prop::option::of(bytes_at_most(MAX_ID_BYTES)),
        channel in prop::option::of(bytes_at_most(MAX_WORD_BYTES)),
        metadata in metadata(),
        ms in 0i64..=crate::time::MAX_MS,
    ) -> Payload {
        Payload {
            id: "00000000-0000-4000-8000-000000000000".into(),
            kind,
            action,
            reasons: vec![Cow::Borrowed("long_wait"), Cow::Borrowed("site-own_9")],
            effort,
            comment,
            follow_up,
            conversation_id,
            agent_id,
            channel,
            locale: Some("pt-BR".into()),
            metadata,
            created_at: Some(crate::time::rfc3339(ms)),
            version: Some(Cow::Borrowed("0.1.0")),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What passes the check reads back equal and fits the body limit.
    #[test]
    fn valid_payloads_round_trip_within_the_body_limit(payload in any_payload()) {
        prop_assume!(payload.check().is_ok());
        let text = serde_json::to_string(&payload).unwrap();
        prop_assert!(text.len() <= crate::limits::MAX_BODY_BYTES);
        prop_assert!(payload.metadata.encoded_len_bound() >= serde_json::to_string(&payload.metadata).unwrap().len());
        prop_assert_eq!(read(&payload), Ok(payload));
    }
}
