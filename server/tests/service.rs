//! The receiver as a service, over HTTP, against a real SQLite file and a
//! real PostgreSQL (started by `cargo xtask test`): the same checks on each.

mod support;

use feedback_receiver::clock::{self, HOUR_MS};
use feedback_receiver::config::{Config, Database};
use feedback_receiver::db::Db;
use feedback_receiver::record::Record;
use serde_json::{json, Value};
use support::{client, Fresh, PASSWORD};

support::on_both_databases!(service, suite);

async fn suite(fresh: Fresh) {
    let running = feedback_receiver::start(&fresh.config()).await.expect("receiver starts");
    let url = running.url();
    let token = support::api_token(&fresh.database, "scripts").await;
    ingest(&url, &token).await;
    cors(&url).await;
    let cookie = sign_in(&url).await;
    inbox(&fresh.database, &url, &cookie).await;
    running.stop().await;
    // A restart finds the data, and the migrations do not run twice.
    let again = feedback_receiver::start(&fresh.config()).await.expect("restarts on the same database");
    let rows: Vec<Value> =
        client().get(again.url() + "/responses").bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(rows.len(), 13, "every stored row survives a restart");
    pages(&fresh.database, &again.url(), &token).await;
    refused_writes(&fresh.database, &again.url()).await;
    sign_in_limit(&again.url(), &token).await;
    largest_escaped(&again.url()).await;
    again.stop().await;
    rate_limit(&fresh).await;
    fresh.drop_database().await;
}

/// Every field at its limit in emoji, escaped as Python's `json.dumps`
/// writes it (each emoji a 12-byte surrogate pair): over 40 KB, and stored.
async fn largest_escaped(url: &str) {
    let emoji = |bytes: usize| "😀".repeat(bytes / 4);
    let largest = json!({"id": "i-5", "kind": "response", "effort": 1, "comment": emoji(8_000),
        "conversationId": emoji(256), "agentId": emoji(256), "channel": emoji(64),
        "metadata": {"k": emoji(8_192 - 8)}});
    let escaped: String = largest
        .to_string()
        .chars()
        .flat_map(|c| match c.is_ascii() {
            true => vec![c.to_string()],
            false => c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("\\u{u:04x}")).collect(),
        })
        .collect();
    assert!(escaped.len() > 40 * 1024, "{}", escaped.len());
    assert_eq!(post(url, &escaped, &[]).await.status(), 201, "the largest payload, escaped");
}

async fn post(url: &str, body: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request =
        client().post(format!("{url}/collect")).header("content-type", "application/json").body(body.to_owned());
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.send().await.unwrap()
}

async fn ingest(url: &str, token: &str) {
    let hostile = json!({"id": "i-1", "kind": "response", "action": "effort", "effort": 6,
        "comment": "<img src=x onerror=alert(1)> 好", "reasons": ["smooth"]})
    .to_string();
    let first = post(url, &hostile, &[("idempotency-key", "i-1")]).await;
    assert_eq!(first.status(), 201);
    let first_body: Value = first.json().await.unwrap();
    assert_eq!(first_body, json!({"id": "i-1", "stored": true}));
    // The same payload again, keys in another order: the same answer, marked.
    let reordered: Value = serde_json::from_str(&hostile).unwrap();
    let again = post(url, &serde_json::to_string_pretty(&reordered).unwrap(), &[("idempotency-key", "i-1")]).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first_body);
    let changed = post(url, &hostile.replace("\"effort\":6", "\"effort\":2"), &[]).await;
    assert_eq!(changed.status(), 422, "a different payload under a used id changes nothing");

    let cases: [(String, u16, &str); 5] = [
        ("{not json".into(), 400, "not JSON"),
        (json!({"id": "i-2"}).to_string(), 400, "kind: expected"),
        (json!({"id": "i-2", "kind": "response", "effort": 8}).to_string(), 400, "effort"),
        (
            json!({"id": "i-2", "kind": "response", "comment": "x".repeat(65 * 1024)}).to_string(),
            413,
            "over 65536 bytes",
        ),
        (json!({"id": "i-2", "kind": "response", "reasons": "smooth"}).to_string(), 400, "reasons"),
    ];
    for (body, status, reason) in cases {
        let r = post(url, &body, &[]).await;
        assert_eq!(r.status(), status, "{}", &body[..body.len().min(60)]);
        if !reason.is_empty() {
            let error = r.json::<Value>().await.unwrap()["error"].as_str().unwrap_or_default().to_owned();
            assert!(error.contains(reason), "{error:?} should mention {reason:?}");
        }
    }
    let mismatch =
        post(url, &json!({"id": "i-3", "kind": "dismissed"}).to_string(), &[("idempotency-key", "other")]).await;
    assert_eq!(mismatch.status(), 400);
    // sendBeacon's text/plain body is the same JSON.
    let beacon = client()
        .post(format!("{url}/collect"))
        .header("content-type", "text/plain;charset=UTF-8")
        .body(json!({"id": "i-4", "kind": "dismissed", "action": "effort"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(beacon.status(), 201);

    let rows: Vec<Value> =
        client().get(format!("{url}/responses")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let stored = rows.iter().find(|r| r["payload"]["id"] == "i-1").expect("i-1 is stored");
    assert_eq!(stored["payload"]["comment"], "<img src=x onerror=alert(1)> 好", "stored verbatim");
    assert_eq!(stored["deliveries"], 2);
    assert_eq!(rows.iter().filter(|r| r["payload"]["id"] == "i-1").count(), 1);
    assert_eq!(client().get(format!("{url}/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
}

async fn cors(url: &str) {
    let preflight = |origin: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, format!("{url}/collect"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,idempotency-key,x-tenant")
            .send()
    };
    let allowed = preflight("https://shop.example").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://shop.example");
    // A site's own headers (the widget's `data-headers`) are allowed too:
    // refused, the browser drops the post as if the network had failed,
    // and the answer waits in the page's outbox (an outsider's find).
    let headers = allowed.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(["content-type", "idempotency-key", "x-tenant"].iter().all(|h| headers.contains(h)), "{headers}");
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none(), "an unlisted origin gets no CORS grant");

    let body = json!({"id": "c-1", "kind": "dismissed"}).to_string();
    let refused = post(url, &body, &[("origin", "https://evil.example")]).await;
    assert_eq!(refused.status(), 403, "an unlisted page cannot post even without a preflight");
    assert!(refused.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("--allow-origin"));
    let listed = post(url, &body, &[("origin", "https://shop.example")]).await;
    assert_eq!(listed.status(), 201);
    assert_eq!(listed.headers()["access-control-allow-origin"], "https://shop.example");
    assert_eq!(listed.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase(), "retry-after");
    let own = url.to_owned();
    let same = post(url, &json!({"id": "c-2", "kind": "dismissed"}).to_string(), &[("origin", &own)]).await;
    assert_eq!(same.status(), 201, "the receiver's own pages may post");
}

/// Signs in through the form; returns the session cookie.
async fn sign_in(url: &str) -> String {
    let c = client();
    let bounced = c.get(format!("{url}/inbox?agent=x")).send().await.unwrap();
    assert_eq!(bounced.status(), 303);
    assert_eq!(bounced.headers()["location"], "/login?next=%2Finbox%3Fagent%3Dx");
    let unauthorized = c.get(format!("{url}/responses")).send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);
    let form = c.get(format!("{url}/login?next=/inbox")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("type=\"password\"") && form.contains("action=\"/login\""));
    assert!(form.contains("name=\"name\""), "each person signs in with their own name");

    let wrong = c
        .post(format!("{url}/login"))
        .form(&[("name", "admin"), ("password", "guess"), ("next", "/inbox")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    let nobody =
        c.post(format!("{url}/login")).form(&[("name", "nobody"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(nobody.status(), 401, "an unknown name is refused like a wrong password");
    let cross = c
        .post(format!("{url}/login"))
        .header("origin", "https://evil.example")
        .form(&[("name", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403, "a sign-in posted from another site is refused");
    let ok = c
        .post(format!("{url}/login"))
        .form(&[("name", "admin"), ("password", PASSWORD), ("next", "//evil.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers()["location"], "/inbox", "never redirected off the inbox");
    let set = ok.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attribute), "{set}");
    }
    let cookie = set.split(';').next().unwrap().to_owned();
    let page = c.get(format!("{url}/inbox")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    // One script file of our own (the live inbox), nothing inline, no eval.
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe") && csp.matches("script-src").count() == 1, "{csp}");
    let (name, value) = cookie.split_once('=').unwrap();
    assert_eq!(value.len(), 64, "a random 256-bit token: {value}");
    let last = if value.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{name}={}{last}", &value[..63]);
    assert_eq!(c.get(format!("{url}/inbox")).header("cookie", tampered).send().await.unwrap().status(), 303);
    let password_as_bearer = c.get(format!("{url}/responses")).bearer_auth(PASSWORD).send().await.unwrap();
    assert_eq!(password_as_bearer.status(), 401, "Bearer takes API tokens only, never a password");
    cookie
}

fn record(id: &str, payload: Value) -> Record {
    let mut payload = payload;
    payload["id"] = json!(id);
    payload["conversationId"] = json!(format!("conv-{id}"));
    Record::from_payload(&payload, None).unwrap()
}

/// The part of the page after `marker`, up to the next section.
fn section<'a>(page: &'a str, marker: &str) -> &'a str {
    let start = page.find(marker).unwrap_or_else(|| panic!("{marker} is on the page"));
    let rest = &page[start..];
    &rest[..rest[1..].find("<section").map_or(rest.len(), |i| i + 1)]
}

async fn inbox(database: &Database, url: &str, cookie: &str) {
    let now = clock::now_ms();
    let db = Db::open(database).await.unwrap();
    let rows = [
        (
            record(
                "a",
                json!({"kind": "response", "action": "effort", "effort": 6, "comment": "smooth sailing", "agentId": "ada", "channel": "chat"}),
            ),
            now - HOUR_MS,
        ),
        (
            record(
                "b",
                json!({"kind": "response", "action": "effort", "effort": 2, "followUp": true, "comment": "=HYPERLINK(\"http://x\")", "agentId": "ada", "channel": "chat"}),
            ),
            now - 50 * HOUR_MS - 60_000,
        ),
        (
            record(
                "c",
                json!({"kind": "response", "action": "vent", "followUp": true, "comment": "<script>window.pwned=1</script>", "agentId": "bob", "channel": "email"}),
            ),
            now - 2 * HOUR_MS,
        ),
        (
            record(
                "d",
                json!({"kind": "response", "action": "effort", "effort": 7, "agentId": "bob", "channel": "email"}),
            ),
            now - 8 * 24 * HOUR_MS,
        ),
        (
            record(
                "e",
                json!({"kind": "suppressed", "action": "silent", "reasons": ["repeat_contact", "cancel_intent"], "agentId": "ada"}),
            ),
            now - 3 * HOUR_MS,
        ),
        (
            record(
                "f",
                json!({"kind": "suppressed", "action": "silent", "reasons": ["repeat_contact"], "agentId": "bob"}),
            ),
            now - 4 * HOUR_MS,
        ),
        (record("g", json!({"kind": "dismissed", "action": "effort", "agentId": "bob"})), now - 5 * HOUR_MS),
        // Conversation e decided again (its chat view mounted again), the
        // second time with other reasons: one customer spared, not two,
        // counted by its latest decision.
        (
            Record::from_payload(
                &json!({"id": "e-again", "kind": "suppressed", "action": "silent",
                    "reasons": ["repeat_contact", "cancel_intent"], "conversationId": "conv-e"}),
                None,
            )
            .unwrap(),
            now - 2 * HOUR_MS,
        ),
        (
            Record::from_payload(
                &json!({"id": "e-third", "kind": "suppressed", "action": "silent",
                    "reasons": ["cancel_intent", "session_cap"], "conversationId": "conv-e"}),
                None,
            )
            .unwrap(),
            now - 2 * HOUR_MS + 1,
        ),
    ];
    for (r, at) in rows {
        db.insert(r, at).await.unwrap();
    }
    db.close().await;
    let c = client();
    let get = |query: &str| {
        let request = c.get(format!("{url}/inbox{query}")).header("cookie", cookie);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let page = get("").await;
    assert_eq!(
        page.matches("<script").collect::<Vec<_>>(),
        ["<script"],
        "no markup from a comment reaches the page; the one script is ours"
    );
    assert!(page.contains("<script src=\"/inbox/live.js\" defer></script>"), "{page}");
    assert!(page.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"), "it is shown as text");

    let follow = section(&page, "id=\"fu\"");
    assert!(follow.contains("<span class=\"count\">2</span>"), "{follow}");
    let (b, c_at) = (follow.find("conv-b").unwrap(), follow.find("conv-c").unwrap());
    assert!(b < c_at, "the oldest request for contact comes first");
    assert!(follow.contains("overdue by 2 h"), "{follow}");
    assert!(follow.contains("due in 46 h"), "{follow}");

    let spared = section(&page, "id=\"spared\"");
    assert!(spared.contains("<span class=\"count\">2</span>"), "{spared}");
    assert!(spared.contains("<code>repeat_contact</code></td><td class=\"n\">1</td>"), "{spared}");
    assert!(spared.contains("<code>cancel_intent</code></td><td class=\"n\">1</td>"), "{spared}");
    assert!(spared.contains("<code>session_cap</code></td><td class=\"n\">1</td>"), "{spared}");

    let agents = section(&page, "id=\"effort-by-agent\"");
    // ada: a 2 and a 6, so a mean of 4.0 and half of them easy.
    let ada = "<a href=\"/inbox?agent=ada\">ada</a></th><td class=\"n\">2</td><td class=\"n zero\">0</td><td class=\"n\">1</td>";
    assert!(agents.contains(ada), "{agents}");
    assert!(agents.contains(
        "<td class=\"n\">4.0</td><td><meter min=\"0\" max=\"100\" low=\"50\" high=\"75\" optimum=\"100\" value=\"50\">"
    ));
    assert!(agents.contains(">bob</a></th><td class=\"n\">1</td>"), "{agents}");
    let weeks = section(&page, "id=\"effort-by-week\"");
    assert_eq!(weeks.matches("<th scope=\"row\">").count(), 2, "8 days apart is two weeks: {weeks}");
    let this_week = clock::date(clock::week_start(clock::week_of(now)));
    assert!(weeks.contains(&format!(">{this_week}</a></th><td class=\"n\">3</td>")), "{weeks}");

    let list_of = |page: &str| -> Vec<String> {
        let list = section(page, "id=\"list\"");
        ["a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .filter(|id| list.contains(&format!(">conv-{id}<")))
            .map(|s| s.to_string())
            .collect()
    };
    let day_of_a = clock::date(now - HOUR_MS);
    let cases: [(&str, &[&str]); 10] = [
        ("", &["a", "c", "b", "d"]),
        ("?agent=bob", &["c", "d"]),
        ("?channel=chat", &["a", "b"]),
        ("?score=low", &["b"]),
        ("?score=7", &["d"]),
        ("?kind=vent", &["c"]),
        ("?kind=suppressed", &["e", "f"]),
        ("?comment=no", &["d"]),
        ("?kind=all&agent=bob", &["c", "f", "g", "d"]),
        (&format!("?from={day_of_a}&to={day_of_a}&agent=ada"), &["a"]),
    ];
    for (query, want) in cases {
        let mut got = list_of(&get(query).await);
        let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "filter {query}");
    }
    let newest_first = section(&page, "id=\"list\"");
    assert!(newest_first.find(">conv-a<").unwrap() < newest_first.find(">conv-c<").unwrap());
    let bad = get("?from=someday&score=11").await;
    assert_eq!(bad.matches("class=\"error\"").count(), 2, "bad filters are named, not fatal");

    // "Followed up": from our own page only; once.
    let mark = |origin: &str| {
        c.post(format!("{url}/inbox/follow-up"))
            .header("cookie", cookie)
            .header("origin", origin)
            .form(&[("id", "b"), ("back", "agent=ada")])
            .send()
    };
    assert_eq!(mark("https://evil.example").await.unwrap().status(), 403);
    let done = mark(url).await.unwrap();
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/inbox?agent=ada");
    let page = get("").await;
    assert!(section(&page, "id=\"fu\"").contains("<span class=\"count\">1</span>"));
    assert!(section(&page, "id=\"list\"").contains("followed up "));

    // CSV of the current filter: quoted, formulas defused, UTF-8 with a BOM.
    let csv = c.get(format!("{url}/inbox/export.csv?agent=ada")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"feedback-"));
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert!(lines[0].starts_with("\u{feff}received_at,id,kind,"), "{}", lines[0]);
    assert_eq!(lines.len(), 3, "a and b: {csv}");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    assert_eq!(c.get(format!("{url}/inbox/export.csv")).send().await.unwrap().status(), 401);
}

async fn rate_limit(fresh: &Fresh) {
    let config = Config { rate_limit: 6, trust_proxy: true, ..fresh.config() };
    let running = feedback_receiver::start(&config).await.unwrap();
    let url = running.url();
    let body = |i: u32| json!({"id": format!("r-{i}"), "kind": "dismissed"}).to_string();
    for i in 0..3 {
        assert_eq!(post(&url, &body(i), &[("x-forwarded-for", "203.0.113.9")]).await.status(), 201, "the burst");
    }
    let limited = post(&url, &body(3), &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=10).contains(&wait), "{wait}");
    assert!(limited.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("retry after"));
    // Another customer behind the same proxy is not held up.
    assert_eq!(post(&url, &body(4), &[("x-forwarded-for", "10.0.0.1, 198.51.100.7")]).await.status(), 201);
    running.stop().await;
}

/// 100 answers a page, then an "Older answers" link to the rest.
async fn pages(database: &Database, url: &str, token: &str) {
    let db = Db::open(database).await.unwrap();
    let now = clock::now_ms();
    for i in 0..105 {
        let r = record(&format!("p{i:03}"), json!({"kind": "response", "effort": 5, "agentId": "pager"}));
        db.insert(r, now - i64::from(i) * 1000).await.unwrap();
    }
    db.close().await;
    let c = client();
    let page = c.get(format!("{url}/inbox?agent=pager")).bearer_auth(token).send().await.unwrap().text().await.unwrap();
    let list = section(&page, "id=\"list\"");
    assert_eq!(list.matches(">conv-p").count(), 100);
    assert!(list.contains(">conv-p000<") && list.contains(">conv-p099<") && !list.contains(">conv-p100<"));
    let href = list.split("<p class=\"more\"><a href=\"").nth(1).expect("a link to older answers");
    let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
    let older = c.get(format!("{url}{href}")).bearer_auth(token).send().await.unwrap().text().await.unwrap();
    let list = section(&older, "id=\"list\"");
    assert_eq!(list.matches(">conv-p").count(), 5, "{href}");
    assert!(list.contains(">conv-p104<") && !list.contains("class=\"more\""));
}

/// A post the database refuses is a 503 with Retry-After (the widget
/// sends it again) and does not take the posts written with it down.
async fn refused_writes(database: &Database, url: &str) {
    support::refuse_poison(database, true).await;
    let body = |id: &str| json!({"id": id, "kind": "dismissed"}).to_string();
    let posts: Vec<_> = ["poison", "ok-1", "ok-2", "ok-3", "ok-4"]
        .iter()
        .map(|id| {
            let (url, body) = (url.to_owned(), body(id));
            tokio::spawn(async move {
                let r = post(&url, &body, &[]).await;
                (r.status().as_u16(), r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned()))
            })
        })
        .collect();
    let mut answers = Vec::new();
    for p in posts {
        answers.push(p.await.unwrap());
    }
    assert_eq!(answers[0], (503, Some("5".to_owned())), "the refused post");
    assert!(answers[1..].iter().all(|(status, _)| *status == 201), "the others are stored: {answers:?}");
    assert_eq!(client().get(format!("{url}/healthz")).send().await.unwrap().status(), 200);
    support::refuse_poison(database, false).await;
    assert_eq!(post(url, &body("poison"), &[]).await.status(), 201, "sent again, it is stored");
}

/// Wrong passwords up to the limit, then even the right one waits, and so
/// does every other credential from that client (no oracle is left).
async fn sign_in_limit(url: &str, token: &str) {
    let c = client();
    let attempt = |password: &'static str| {
        c.post(format!("{url}/login")).form(&[("name", "admin"), ("password", password)]).send()
    };
    // Failures are counted in fixed one-minute windows: a sequence that
    // crosses into the next window starts counting again there (the
    // documented limit is per window). Start with time to spare.
    const CLIENT_WINDOW_MS: i64 = 60_000; // inbox/access.rs
    let into_window = clock::now_ms().rem_euclid(CLIENT_WINDOW_MS);
    if into_window > CLIENT_WINDOW_MS - 20_000 {
        tokio::time::sleep(std::time::Duration::from_millis((CLIENT_WINDOW_MS - into_window + 100) as u64)).await;
    }
    // `sign_in` counted two failures (a wrong password, an unknown name),
    // unless the window turned since. Wrong passwords count against the
    // client and the account: the first limit reached ends this loop.
    let mut refused = 0;
    while attempt("wrong guess").await.unwrap().status() == 401 {
        refused += 1;
        assert!(refused <= 10, "held at the limit");
    }
    // Unknown tokens count against the client alone: it is at its limit now
    // whichever limit ended the loop above.
    let mut refused = 0;
    while c.get(format!("{url}/responses")).bearer_auth("fbk_wrong").send().await.unwrap().status() == 401 {
        refused += 1;
        assert!(refused <= 10, "held at the limit");
    }
    let held = attempt(PASSWORD).await.unwrap();
    assert_eq!(held.status(), 429);
    let wait: u64 = held.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(held.text().await.unwrap().contains("Too many failed attempts"));
    assert_eq!(c.get(format!("{url}/responses")).bearer_auth(token).send().await.unwrap().status(), 429);
}
