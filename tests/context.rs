//! Native, table-driven tests of the edge validation: contexts and options
//! from the page become domain types or errors that name the field.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::{Channel, Context, Error, Options, Outcome, ResolvedUrl, Sender, Source, Value};

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON")
}

/// Parses `input`; `expected` is `Ok(check)` or `Err(message)`.
fn check(input: &str, expected: Result<fn(&Context) -> bool, &str>) {
    let got = Context::from_value(&json(input));
    match (got, expected) {
        (Ok(ctx), Ok(pred)) => assert!(pred(&ctx), "{input}: unexpected {ctx:?}"),
        (Err(e), Err(message)) => assert_eq!(e.to_string(), message, "{input}"),
        (got, _) => panic!("{input}: got {got:?}"),
    }
}

#[test]
fn contexts() {
    check("null", Ok(|c| *c == Context::default()));
    check("{}", Ok(|c| *c == Context::default()));
    check(
        r#"{"waitSeconds": 90, "durationSeconds": 0}"#,
        Ok(|c| c.wait_seconds == Some(90.0) && c.duration_seconds == Some(0.0)),
    );
    check(r#"{"transfers": 2, "contacts": 3}"#, Ok(|c| c.transfers == Some(2) && c.contacts == Some(3)));
    check(r#"{"resolved": false}"#, Ok(|c| c.resolved == Some(false)));
    check(r#"{"sentiment": -1}"#, Ok(|c| c.sentiment == Some(-1.0)));
    check(r#"{"sentiment": 1}"#, Ok(|c| c.sentiment == Some(1.0)));
    check(r#"{"conversationId": 12345}"#, Ok(|c| c.conversation_id.as_deref() == Some("12345")));
    check(r#"{"conversationId": "  c-1 "}"#, Ok(|c| c.conversation_id.as_deref() == Some("c-1")));
    check(r#"{"conversationId": ""}"#, Ok(|c| c.conversation_id.is_none()));
    check(r#"{"channel": "Chat"}"#, Ok(|c| c.channel == Some(Channel::Chat)));
    check(r#"{"channel": "e-mail"}"#, Ok(|c| c.channel == Some(Channel::Email)));
    check(r#"{"channel": "kiosk"}"#, Ok(|c| c.channel == Some(Channel::Other("kiosk".into()))));
    check(r#"{"outcome": "canceled"}"#, Ok(|c| c.outcome == Some(Outcome::Cancelled)));
    check(r#"{"outcome": "Refund denied"}"#, Ok(|c| c.outcome == Some(Outcome::RefundDenied)));
    check(r#"{"outcome": "store_credit"}"#, Ok(|c| c.outcome == Some(Outcome::Other("store_credit".into()))));
    check(r#"{"unknownField": 1, "waitSeconds": null}"#, Ok(|c| *c == Context::default()));
    check(
        r#"{"metadata": {"plan": "pro", "n": [1]}}"#,
        Ok(|c| c.metadata.as_ref().and_then(|m| m.get("plan")) == Some(&Value::String("pro".into()))),
    );
    check(
        r#"{"messages": [{"from": "customer", "text": "hi"}, {"from": "Agent", "text": "hello"}, {"from": "customer"}]}"#,
        Ok(|c| {
            c.messages.len() == 3
                && c.messages[1].from == Sender::Agent
                && c.customer_messages().collect::<Vec<_>>() == ["hi", ""]
        }),
    );

    check(r#""hello""#, Err("context: expected an object, got a string"));
    check("[1]", Err("context: expected an object, got an array"));
    check("7", Err("context: expected an object, got a number"));
    check(
        r#"{"waitSeconds": "ten"}"#,
        Err("context.waitSeconds: expected a number of seconds (0 or more), got a string"),
    );
    check(r#"{"waitSeconds": -1}"#, Err("context.waitSeconds: expected a number of seconds (0 or more), got -1"));
    check(r#"{"sentiment": 7}"#, Err("context.sentiment: expected a number from -1 to 1, got 7"));
    check(r#"{"transfers": 1.5}"#, Err("context.transfers: expected a whole number (0 or more), got 1.5"));
    check(r#"{"contacts": "3"}"#, Err("context.contacts: expected a whole number (0 or more), got a string"));
    check(r#"{"resolved": "yes"}"#, Err("context.resolved: expected true or false, got a string"));
    check(
        r#"{"conversationId": {"a": 1}}"#,
        Err("context.conversationId: expected a string or an integer (an identifier), got an object"),
    );
    check(
        r#"{"conversationId": 1.5}"#,
        Err("context.conversationId: expected a string or an integer (an identifier), got a number"),
    );
    check(r#"{"channel": 5}"#, Err("context.channel: expected a string, got a number"));
    check(r#"{"metadata": "x"}"#, Err("context.metadata: expected an object, got a string"));
    check(
        r#"{"messages": "hi"}"#,
        Err(r#"context.messages: expected an array of {from: "customer"|"agent", text}, got a string"#),
    );
    check(r#"{"messages": [5]}"#, Err("context.messages[0]: expected an object {from, text}, got a number"));
    check(
        r#"{"messages": [{"from": "bot", "text": "x"}]}"#,
        Err(r#"context.messages[0].from: expected "customer" or "agent", got "bot""#),
    );
    check(
        r#"{"messages": [{"text": "x"}]}"#,
        Err(r#"context.messages[0].from is missing: expected "customer" or "agent""#),
    );
    check(
        r#"{"messages": [{"from": "agent", "text": 5}]}"#,
        Err("context.messages[0].text: expected a string, got a number"),
    );
}

#[test]
fn long_identifiers_are_refused_and_long_transcripts_keep_the_end() {
    let long = format!(r#"{{"agentId": "{}"}}"#, "a".repeat(300));
    let error = Context::from_value(&json(&long)).unwrap_err();
    assert_eq!(error.field(), "context.agentId");

    let messages: Vec<String> = (0..250).map(|i| format!(r#"{{"from":"customer","text":"m{i}"}}"#)).collect();
    let ctx = Context::from_value(&json(&format!(r#"{{"messages":[{}]}}"#, messages.join(",")))).unwrap();
    assert_eq!(ctx.messages.len(), 200);
    assert_eq!(ctx.messages.last().unwrap().text, "m249");
}

/// A stand-in for the browser's URL resolution against https://shop.example/help/.
fn resolve(raw: &str) -> Option<ResolvedUrl> {
    let (protocol, rest) = if let Some(rest) = raw.strip_prefix("https://") {
        ("https:", rest)
    } else if let Some(rest) = raw.strip_prefix("http://") {
        ("http:", rest)
    } else if let Some((scheme, _)) = raw.split_once(':').filter(|(s, _)| s.chars().all(|c| c.is_ascii_alphabetic())) {
        return Some(ResolvedUrl { href: raw.into(), protocol: format!("{scheme}:"), hostname: String::new() });
    } else {
        let path = if raw.starts_with('/') { raw.to_owned() } else { format!("/help/{raw}") };
        return Some(ResolvedUrl {
            href: format!("https://shop.example{path}"),
            protocol: "https:".into(),
            hostname: "shop.example".into(),
        });
    };
    let host = rest.split(['/', ':']).next().unwrap_or("");
    (!host.is_empty()).then(|| ResolvedUrl { href: raw.into(), protocol: protocol.into(), hostname: host.into() })
}

fn options(input: &str, source: Source) -> Result<Options, Error> {
    Options::from_value(&json(input), source, resolve)
}

#[test]
fn endpoints() {
    let ok = |input: &str, href: &str| {
        assert_eq!(options(input, Source::ScriptTag).unwrap().endpoint.as_str(), href, "{input}");
    };
    ok(r#"{"endpoint": "/collect"}"#, "https://shop.example/collect");
    ok(r#"{"endpoint": "collect"}"#, "https://shop.example/help/collect");
    ok(r#"{"endpoint": " https://api.example/c "}"#, "https://api.example/c");
    ok(r#"{"endpoint": "http://localhost:3000/c"}"#, "http://localhost:3000/c");
    ok(r#"{"endpoint": "http://127.0.0.1:8080/c"}"#, "http://127.0.0.1:8080/c");
    ok(r#"{"endpoint": "http://127.9.9.9/c"}"#, "http://127.9.9.9/c");
    ok(r#"{"endpoint": "http://app.localhost/c"}"#, "http://app.localhost/c");

    let err = |input: &str, source: Source, message: &str| {
        assert_eq!(options(input, source).unwrap_err().to_string(), message, "{input}");
    };
    let script = Source::ScriptTag;
    err("{}", script, "data-endpoint is missing: expected the URL that receives responses");
    err(r#"{"endpoint": "  "}"#, script, "data-endpoint is missing: expected the URL that receives responses");
    err("{}", Source::Object, "endpoint is missing: expected the URL that receives responses");
    err(r#"{"endpoint": 5}"#, script, "data-endpoint: expected a string, got a number");
    err(
        r#"{"endpoint": "not a url"}"#,
        script,
        r#"data-endpoint: expected an http(s) URL, absolute or relative to the page, got "not a url""#,
    );
    err(
        r#"{"endpoint": "javascript:alert(1)"}"#,
        script,
        r#"data-endpoint: expected an http(s) URL, absolute or relative to the page, got "javascript:alert(1)""#,
    );
    err(
        r#"{"endpoint": "http://"}"#,
        script,
        r#"data-endpoint: expected an http(s) URL, absolute or relative to the page, got "http://""#,
    );
    err(
        r#"{"endpoint": "http://example.com/c"}"#,
        script,
        r#"data-endpoint: "http://example.com/c" is not allowed; endpoints must use https (plain http only for this machine: localhost, *.localhost, 127.x.x.x, [::1])"#,
    );
    err(
        r#"{"endpoint": "http://127.0.0.1.evil.example/c"}"#,
        script,
        r#"data-endpoint: "http://127.0.0.1.evil.example/c" is not allowed; endpoints must use https (plain http only for this machine: localhost, *.localhost, 127.x.x.x, [::1])"#,
    );
    // A user name or password in the URL: browsers refuse to post to it,
    // so every answer would wait in the outbox for ever, without a word.
    // The message does not repeat the URL (it would print the password).
    let credentials =
        "data-endpoint: a user name or password in the URL is not allowed (browsers refuse to send to it); \
                       send credentials in the headers option (data-headers)";
    err(r#"{"endpoint": "https://user:secret@api.example/c"}"#, script, credentials);
    err(r#"{"endpoint": "https://user@api.example/c"}"#, script, credentials);
    err(r#"{"endpoint": "http://a:b@localhost:3000/c"}"#, script, credentials);
    ok(r#"{"endpoint": "https://api.example/c?email=a@b.example"}"#, "https://api.example/c?email=a@b.example");
    ok(r#"{"endpoint": "https://api.example/team@home/c"}"#, "https://api.example/team@home/c");
}

#[test]
fn company_defaults_and_trims() {
    let get = |input: &str| options(input, Source::ScriptTag).unwrap().company;
    assert_eq!(get(r#"{"endpoint": "/c"}"#), "The company");
    assert_eq!(get(r#"{"endpoint": "/c", "company": " Acme "}"#), "Acme");
    assert_eq!(get(r#"{"endpoint": "/c", "company": ""}"#), "The company");
}

#[test]
fn endpoint_options() {
    use feedback_widget::domain::Credentials;
    let t = |input: &str| options(input, Source::ScriptTag).map(|o| o.transport);
    let d = t(r#"{"endpoint": "/c"}"#).unwrap();
    assert_eq!(
        (d.credentials, d.timeout_ms, d.simple_request, d.headers.len()),
        (Credentials::Omit, 10_000.0, false, 0)
    );
    for (name, mode) in Credentials::NAMES {
        assert_eq!(mode.name(), name, "what fetch is given is what the site wrote");
    }
    let o = t(r#"{"endpoint": "/c", "credentials": "include", "timeoutMs": "2500", "simpleRequest": ""}"#).unwrap();
    assert_eq!((o.credentials, o.timeout_ms, o.simple_request), (Credentials::Include, 2500.0, true));
    let h = t(r#"{"endpoint": "/c", "headers": {"X-Api-Key": "k1", "Authorization": "Bearer t"}}"#).unwrap();
    assert_eq!(
        h.headers,
        [("X-Api-Key".to_owned(), "k1".to_owned()), ("Authorization".to_owned(), "Bearer t".to_owned())]
    );

    let err = |input: &str| options(input, Source::ScriptTag).unwrap_err().to_string();
    // An outsider's: a direction other than these was taken without a word.
    assert_eq!(
        err(r#"{"endpoint": "/c", "strings": {"en": {"dir": "up"}}}"#),
        r#"data-strings.en.dir: expected "rtl" or "ltr", got "up""#
    );
    assert!(options(r#"{"endpoint": "/c", "strings": {"he": {"dir": "RTL"}}}"#, Source::ScriptTag).is_ok());
    assert_eq!(
        err(r#"{"endpoint": "/c", "credentials": "all"}"#),
        r#"data-credentials: expected "omit", "same-origin" or "include", got "all""#
    );
    assert_eq!(
        err(r#"{"endpoint": "/c", "timeoutMs": "5"}"#),
        "data-timeout-ms: expected a number of milliseconds from 100 to 120000, got 5"
    );
    assert_eq!(
        err(r#"{"endpoint": "/c", "simpleRequest": "maybe"}"#),
        r#"data-simple-request: expected true or false, got "maybe""#
    );
    assert_eq!(
        err(r#"{"endpoint": "/c", "headers": "x"}"#),
        "data-headers: expected an object of header names to values, got a string"
    );
    assert_eq!(
        err(r#"{"endpoint": "/c", "headers": {"Content-Type": "x"}}"#),
        r#"data-headers: expected a header name the widget may set (not Content-Type, Idempotency-Key or one the browser forbids), got "Content-Type""#
    );
    // Names the browser would drop without a word, and one a plain object
    // cannot hold, are refused up front.
    // (Every name of the Fetch standard's list: an outsider's `Date`,
    // `Via`, `DNT`, `Keep-Alive`... were accepted and never sent.)
    for name in [
        "Referer",
        "Sec-Fetch-Mode",
        "Proxy-Authorization",
        "__proto__",
        "Accept-Charset",
        "Accept-Encoding",
        "Access-Control-Request-Headers",
        "Access-Control-Request-Method",
        "Connection",
        "Content-Length",
        "Cookie",
        "Cookie2",
        "Date",
        "DNT",
        "Expect",
        "Host",
        "Keep-Alive",
        "Origin",
        "Set-Cookie",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Via",
    ] {
        let error = err(&format!(r#"{{"endpoint": "/c", "headers": {{"{name}": "x"}}}}"#));
        assert!(error.ends_with(&format!("got \"{name}\"")), "{name}: {error}");
    }
    assert!(t(r#"{"endpoint": "/c", "headers": {"X-Secret": "x", "Authorization": "Bearer t"}}"#).is_ok());
    assert_eq!(
        err(r#"{"endpoint": "/c", "headers": {"X": "a\nb"}}"#),
        "data-headers.X: expected a value without line breaks, got \"a\nb\""
    );
    // Latin-1 is what a header value may carry; beyond it, fetch refuses.
    let latin = t(r#"{"endpoint": "/c", "headers": {"X-Name": "Zoë"}}"#).unwrap();
    assert_eq!(latin.headers, [("X-Name".to_owned(), "Zoë".to_owned())]);
    assert_eq!(
        err(r#"{"endpoint": "/c", "headers": {"X-Name": "客服"}}"#),
        "data-headers.X-Name: expected a value in Latin-1 (what HTTP headers carry), got \"客服\""
    );
    assert_eq!(
        err(r#"{"endpoint": "/c", "headers": {"X-Key": "a", "x-key": "b"}}"#),
        r#"data-headers: expected each header name once (names are not case-sensitive), got "x-key""#
    );
    assert!(err(r#"{"endpoint": "/c", "simpleRequest": "true", "headers": {"X-Key": "1"}}"#)
        .starts_with("data-headers: expected no extra headers in simple-request mode"));

    // configure(): all or nothing, and the endpoint rules still hold.
    let base = options(r#"{"endpoint": "/c"}"#, Source::ScriptTag).unwrap();
    let next = base
        .update(&json(r#"{"endpoint": "https://api.example/x", "timeoutMs": 3000}"#), Source::Object, resolve)
        .unwrap();
    assert_eq!((next.endpoint.as_str(), next.transport.timeout_ms), ("https://api.example/x", 3000.0));
    let refused = base.update(&json(r#"{"endpoint": "http://evil.example/x"}"#), Source::Object, resolve).unwrap_err();
    assert_eq!(refused.field(), "endpoint");
}

#[test]
fn outcome_spellings() {
    for (word, outcome) in [
        ("resolved", Outcome::Resolved),
        (" Not Resolved ", Outcome::Unresolved),
        ("NOT-RESOLVED", Outcome::Unresolved),
        ("Canceled", Outcome::Cancelled),
        ("refund denied", Outcome::RefundDenied),
        ("Refund-Denied", Outcome::RefundDenied),
        ("escalated", Outcome::Escalated),
        (" Handed Over ", Outcome::Other("Handed Over".into())),
    ] {
        assert_eq!(Outcome::parse(word), outcome, "{word:?}");
    }
}
