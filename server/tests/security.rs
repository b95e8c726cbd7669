//! Attacks on the real binary, as an outsider with curl would run them:
//! guessing through every credential path, sessions after sign-out and
//! revocation, an agent reaching for a colleague's answers by every route,
//! erasure and retention leaving nothing behind (notifications included),
//! and two receivers on one database sharing their limits. Each runs on
//! SQLite and on PostgreSQL.

mod support;

use std::time::{Duration, Instant};

use feedback_receiver::auth::token_hash;
use feedback_receiver::clock::{self, DAY_MS};
use feedback_receiver::db::Db;
use feedback_receiver::notify::rules::{Route, When};
use feedback_receiver::record::Record;
use serde_json::{json, Value};
use support::binary::{cli, cli_ok, every_row, post_answer, sign_in, status_with_cookie, Receiver, ADMIN_PASSWORD};
use support::{client, Fresh};

support::on_both_databases!(guessing, guessing_is_held_at_the_limit_on_every_path);

async fn guessing_is_held_at_the_limit_on_every_path(fresh: Fresh) {
    let receiver = Receiver::start(&fresh.database, &[]);
    let url = &receiver.url;
    let token = cli_ok(&fresh.database, &["token", "add", "scripts"], "").trim().to_owned();
    let c = client();
    // Each path from its own address (the receiver trusts the loopback proxy).
    let from = |ip: &str| (String::from("x-forwarded-for"), ip.to_owned());

    // 1. The sign-in form.
    let (h, ip) = from("203.0.113.1");
    let form = |password: &'static str| {
        c.post(format!("{url}/login")).header(&h, &ip).form(&[("name", "admin"), ("password", password)]).send()
    };
    for i in 0..10 {
        assert_eq!(form("guess").await.unwrap().status(), 401, "guess {i}");
    }
    let held = form(ADMIN_PASSWORD).await.unwrap();
    assert_eq!(held.status(), 429, "the right password waits too: no oracle");
    assert!(held.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);

    // 2. Bearer: random tokens, then the real one.
    let (h, ip) = from("203.0.113.2");
    let bearer = |t: String| c.get(format!("{url}/responses")).header(&h, &ip).bearer_auth(t).send();
    assert_eq!(bearer(ADMIN_PASSWORD.into()).await.unwrap().status(), 401, "a password is no bearer token");
    for _ in 0..9 {
        assert_eq!(bearer(feedback_receiver::auth::new_api_token()).await.unwrap().status(), 401);
    }
    let held = bearer(token.clone()).await.unwrap();
    assert_eq!(held.status(), 429);
    assert!(held.headers().contains_key("retry-after"));

    // 3. The session oracle.
    let (h, ip) = from("203.0.113.3");
    let oracle = |cookie: String| c.get(format!("{url}/inbox/session")).header(&h, &ip).header("cookie", cookie).send();
    for _ in 0..10 {
        let r = oracle(format!("feedback_inbox={}", feedback_receiver::auth::random_hex())).await.unwrap();
        assert_eq!(r.json::<Value>().await.unwrap(), json!({"signedIn": false}));
    }
    assert_eq!(oracle("feedback_inbox=x".into()).await.unwrap().status(), 429);

    // 4. One account from many addresses: held per account. (The admin's
    // account is held already, by the guesses of step 1.)
    cli_ok(&fresh.database, &["user", "add", "lea", "--role", "lead"], "lea's password, long\n");
    for i in 0..10 {
        let r = c
            .post(format!("{url}/login"))
            .header("x-forwarded-for", format!("198.51.100.{i}"))
            .form(&[("name", "lea"), ("password", "spread guess")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(format!("{url}/login"))
        .header("x-forwarded-for", "198.51.100.200")
        .form(&[("name", "lea"), ("password", "lea's password, long")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "the account is held, wherever the guesses come from");
    // Another account and a fresh address are not held up.
    assert_eq!(bearer_from(url, "192.0.2.77", &token).await, 200);

    // A password typed into the name box (a name that could exist, but
    // does not) is not kept as a name: not in the log, the audit log or
    // the counters.
    let r = c
        .post(format!("{url}/login"))
        .header("x-forwarded-for", "198.51.100.201")
        .form(&[("name", "Winter2026.Tulips"), ("password", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let rows = every_row(&fresh.database).await;
    assert!(!rows.contains("Winter2026"), "the typed name is stored");
    // Nor a whole hash of it, which a dictionary would undo (a second
    // reading's): 16 bits of it, in lower case (a name is one person
    // whatever its case).
    let hashed = feedback_receiver::auth::token_hash("winter2026.tulips");
    let counter = format!("account:{}", &hashed[..4]);
    assert!(!rows.contains(&hashed[..8]) && rows.contains(&counter), "{rows}");

    // Every failure is logged, never with what was guessed.
    let logs = receiver.logs();
    assert!(logs.matches("refused").count() >= 40, "{logs}");
    assert!(!logs.contains("guess") && !logs.contains(ADMIN_PASSWORD), "no secret in the logs: {logs}");
    assert!(!logs.contains("Winter2026"), "the typed name is logged: {logs}");
    drop(receiver);
    fresh.drop_database().await;
}

support::on_both_databases!(parallel_guessing, guesses_sent_at_once_are_held_at_the_limit_and_hashed_a_few_at_a_time);

/// An outsider's find: the limit was checked before a failure was counted,
/// so 30 guesses sent at once were all checked (29 wrong, then the right
/// one signed in), and every check ran at once, 19 MiB of Argon2 memory
/// each (2.75 GB after three bursts, never given back).
async fn guesses_sent_at_once_are_held_at_the_limit_and_hashed_a_few_at_a_time(fresh: Fresh) {
    let receiver = Receiver::start(&fresh.database, &[]);
    let url = &receiver.url;
    let c = client();
    let guess = |ip: String, name: String, password: &'static str| {
        c.post(format!("{url}/login"))
            .header("x-forwarded-for", ip)
            .form(&[("name", name.as_str()), ("password", password)])
            .send()
    };
    // 30 at once from one address, the right password last.
    let mut burst = Vec::new();
    for i in 0..30 {
        burst.push(guess(
            "203.0.113.9".into(),
            "admin".into(),
            if i == 29 { ADMIN_PASSWORD } else { "parallel guess" },
        ));
    }
    let answers: Vec<u16> =
        futures_util::future::join_all(burst).await.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    assert!(answers.iter().all(|s| [401, 303, 429].contains(s)), "{answers:?}");
    let checked = answers.iter().filter(|&&s| s != 429).count();
    assert!((1..=10).contains(&checked), "at most 10 checked, the rest held: {answers:?}");

    // A right password is counted while it is checked, then taken back:
    // after 9 wrong and the right one, a tenth wrong one is still checked.
    cli_ok(&fresh.database, &["user", "add", "lea", "--role", "lead"], "lea's password, long\n");
    let mut seen = Vec::new();
    for i in 0..12 {
        let password = if i == 9 { "lea's password, long" } else { "one at a time" };
        seen.push(guess("203.0.113.11".into(), "lea".into(), password).await.unwrap().status().as_u16());
    }
    assert_eq!(seen, [401, 401, 401, 401, 401, 401, 401, 401, 401, 303, 401, 429], "the right one is not counted");

    // 60 at once from 60 addresses, each within its limit and each for
    // another name: all are checked, a few at a time, so the receiver's
    // peak memory stays far from 60 x 19 MiB.
    let mut burst = Vec::new();
    for i in 0..60 {
        burst.push(guess(format!("198.18.0.{i}"), format!("nobody-{i}"), "parallel guess"));
    }
    for r in futures_util::future::join_all(burst).await {
        assert_eq!(r.unwrap().status(), 401);
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", receiver.child.id())).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    // (116 MiB here: four threads' 19 MiB and the rest; 590 MiB and more
    // before.)
    assert!(peak_kb < 250 * 1024, "peak memory {} MiB", peak_kb / 1024);
    drop(receiver);
    fresh.drop_database().await;
}

support::on_both_databases!(name_case, a_name_is_one_person_whatever_its_case);

/// A phone capitalises the first letter typed: "Lea" signs in as lea,
/// guesses in any case count against lea's one limit, and no second
/// person can be added as "LEA".
async fn a_name_is_one_person_whatever_its_case(fresh: Fresh) {
    let receiver = Receiver::start(&fresh.database, &[]);
    let url = &receiver.url;
    let db = &fresh.database;
    let form = client().get(format!("{url}/login")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains(r#"autocapitalize="none""#), "the name box asks phones not to capitalise");
    cli_ok(db, &["user", "add", "lea", "--role", "lead"], "lea's password, long\n");
    let lea = sign_in(url, "Lea", "lea's password, long").await;
    assert_eq!(status_with_cookie(url, "/inbox", &lea).await, 200);
    let page = client().get(format!("{url}/inbox")).header("cookie", &lea).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<span class=\"who\">lea · lead</span>"), "signed in as the stored name");
    let twin = cli(db, &["user", "add", "LEA", "--role", "admin"], "another long password\n");
    assert!(String::from_utf8_lossy(&twin.stderr).contains("exists already"), "{twin:?}");
    assert!(!cli_ok(db, &["user", "list"], "").contains("LEA"));

    let guess = |ip: String, name: &'static str, password: &'static str| {
        client()
            .post(format!("{url}/login"))
            .header("x-forwarded-for", ip)
            .form(&[("name", name), ("password", password)])
            .send()
    };
    for (i, name) in ["LEA", "Lea", "lEa", "leA", "LEa", "lEA", "LeA", "lea", "LEA", "Lea"].into_iter().enumerate() {
        assert_eq!(guess(format!("198.51.100.{i}"), name, "a wrong guess").await.unwrap().status(), 401, "{name}");
    }
    let held = guess("198.51.100.99".into(), "lea", "lea's password, long").await.unwrap();
    assert_eq!(held.status(), 429, "ten guesses in any case hold lea's account");
    drop(receiver);
    fresh.drop_database().await;
}

async fn bearer_from(url: &str, ip: &str, token: &str) -> u16 {
    client()
        .get(format!("{url}/responses"))
        .header("x-forwarded-for", ip)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

support::on_both_databases!(sessions, sessions_end_when_signed_out_or_revoked);

async fn sessions_end_when_signed_out_or_revoked(fresh: Fresh) {
    let receiver = Receiver::start(&fresh.database, &[]);
    let url = &receiver.url;
    let db = &fresh.database;
    let c = client();

    let a = sign_in(url, "admin", ADMIN_PASSWORD).await;
    assert_eq!(status_with_cookie(url, "/inbox", &a).await, 200);
    let cross = c.post(format!("{url}/logout")).header("cookie", &a).header("origin", "https://evil.example").send();
    assert_eq!(cross.await.unwrap().status(), 403, "another site cannot sign anyone out");
    assert_eq!(status_with_cookie(url, "/inbox", &a).await, 200);
    let out = c.post(format!("{url}/logout")).header("cookie", &a).send().await.unwrap();
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(status_with_cookie(url, "/inbox", &a).await, 303, "a signed-out cookie is dead on the server too");

    // A new password ends every session of that person.
    let b = sign_in(url, "admin", ADMIN_PASSWORD).await;
    cli_ok(db, &["user", "passwd", "admin"], "a brand new admin password\n");
    assert_eq!(status_with_cookie(url, "/inbox", &b).await, 303);
    let admin = sign_in(url, "admin", "a brand new admin password").await;

    // An admin signs someone out from the admin page.
    cli_ok(db, &["user", "add", "lea", "--role", "lead"], "lea's password, long\n");
    let lea = sign_in(url, "lea", "lea's password, long").await;
    assert_eq!(status_with_cookie(url, "/inbox", &lea).await, 200);
    assert_eq!(status_with_cookie(url, "/inbox/admin", &lea).await, 403, "a lead is no admin");
    let page = c.get(format!("{url}/inbox/admin")).header("cookie", &admin).send().await.unwrap().text().await.unwrap();
    let lea_hash = token_hash(lea.split_once('=').unwrap().1);
    assert!(page.contains(&lea_hash), "the admin sees lea's session");
    let revoke =
        c.post(format!("{url}/inbox/admin/revoke-session")).header("cookie", &admin).form(&[("session", &lea_hash)]);
    assert_eq!(revoke.send().await.unwrap().status(), 303);
    assert_eq!(status_with_cookie(url, "/inbox", &lea).await, 303, "revoked at once");

    // Removing a person ends their sessions.
    let lea = sign_in(url, "lea", "lea's password, long").await;
    cli_ok(db, &["user", "remove", "lea"], "");
    assert_eq!(status_with_cookie(url, "/inbox", &lea).await, 303);

    // Tokens: printed once, stored hashed, revocable; a read token cannot write.
    let token = cli_ok(db, &["token", "add", "ci", "--read"], "").trim().to_owned();
    assert!(token.starts_with("fbk_"));
    assert_eq!(bearer_from(url, "127.0.0.1", &token).await, 200);
    let write = c.post(format!("{url}/inbox/follow-up")).bearer_auth(&token).form(&[("id", "x")]);
    assert_eq!(write.send().await.unwrap().status(), 403, "a read token cannot mark follow-ups");
    assert!(cli_ok(db, &["token", "list"], "").contains("ci\tread"));
    cli_ok(db, &["token", "revoke", "ci"], "");
    assert_eq!(bearer_from(url, "127.0.0.1", &token).await, 401);

    // The command line never takes a password as an argument, and says so.
    let refused = cli(db, &["user", "add", "x", "--role", "lead", "--password", "hunter2hunter2"], "");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("stdin"));
    let short = cli(db, &["user", "add", "x", "--role", "lead"], "short\n");
    assert!(String::from_utf8_lossy(&short.stderr).contains("12 characters"));

    // Who did what, in the audit log.
    let page = c.get(format!("{url}/inbox/admin")).header("cookie", &admin).send().await.unwrap().text().await.unwrap();
    for action in
        ["sign-in", "sign-out", "user passwd", "user add", "user remove", "session revoke", "token add", "token revoke"]
    {
        assert!(page.contains(&format!("<td>{action}</td>")), "audited: {action}");
    }
    drop(receiver);
    fresh.drop_database().await;
}

support::on_both_databases!(agents, an_agent_sees_only_their_own_answers_by_every_route);

async fn an_agent_sees_only_their_own_answers_by_every_route(fresh: Fresh) {
    let receiver = Receiver::start(&fresh.database, &[]);
    let url = &receiver.url;
    let db = &fresh.database;
    let c = client();
    for (id, agent) in
        [("mine-1", "agent-ada"), ("mine-2", "agent-ada"), ("theirs-1", "agent-grace"), ("theirs-2", "agent-grace")]
    {
        post_answer(
            url,
            json!({"id": id, "kind": "response", "action": "vent", "followUp": true,
            "comment": format!("words for {id}"), "agentId": agent, "conversationId": format!("conv-{id}")}),
        )
        .await;
    }
    cli_ok(db, &["user", "add", "ada", "--role", "agent", "--agent-id", "agent-ada"], "ada's own password\n");
    let ada = sign_in(url, "ada", "ada's own password").await;
    let get = |path: &str| c.get(format!("{url}{path}")).header("cookie", &ada).send();

    for path in [
        "/inbox",
        "/inbox?agent=agent-grace",
        "/inbox?kind=all",
        "/inbox/export.csv",
        "/inbox/export.csv?agent=agent-grace",
        "/responses",
    ] {
        let text = get(path).await.unwrap().text().await.unwrap();
        assert!(!text.contains("theirs-"), "{path} shows a colleague's answer: {text}");
        if !path.contains("grace") {
            assert!(text.contains("mine-1"), "{path} shows ada's own answers");
        }
    }
    assert_eq!(get("/inbox/admin").await.unwrap().status(), 403);
    // Marking a colleague's follow-up does nothing; her own is marked, by her.
    for id in ["theirs-1", "mine-1"] {
        let r =
            c.post(format!("{url}/inbox/follow-up")).header("cookie", &ada).form(&[("id", id)]).send().await.unwrap();
        assert_eq!(r.status(), 303);
    }
    let admin = sign_in(url, "admin", ADMIN_PASSWORD).await;
    let csv =
        c.get(format!("{url}/inbox/export.csv")).header("cookie", &admin).send().await.unwrap().text().await.unwrap();
    let line = |id: &str| csv.lines().find(|l| l.contains(&format!("\"{id}\""))).unwrap().to_owned();
    assert!(line("mine-1").contains("\"ada\""), "who followed up is kept: {}", line("mine-1"));
    assert!(!line("theirs-1").contains("\"ada\""), "{}", line("theirs-1"));
    drop(receiver);
    fresh.drop_database().await;
}

support::on_both_databases!(erasure, erasure_and_retention_leave_no_row);

async fn erasure_and_retention_leave_no_row(fresh: Fresh) {
    let db_path = &fresh.database;
    // Every answer owes a webhook notification (outbox rows to erase too).
    let hook = support::sinks::HttpSink::start(support::sinks::Mode::Ok).await;
    let hook_url = format!("{}/hook", hook.url);
    let notify = ["--webhook", &hook_url, "--webhook-secret", "a webhook secret, long enough"];
    // An answer from three days ago, for retention to find.
    let name = feedback_receiver::notify::rules::webhook_name(&hook_url);
    let route = Route { name: name.clone(), when: When::ALL };
    let db = Db::open_with(db_path, vec![route]).await.unwrap();
    let old = Record::from_payload(
        &json!({"id": "old-answer", "kind": "response", "comment": "old words",
        "conversationId": "conv-old"}),
        None,
    )
    .unwrap();
    db.insert(old, clock::now_ms() - 3 * DAY_MS).await.unwrap();
    db.close().await;

    let receiver = Receiver::start(db_path, &[&["--retention-days", "2"][..], &notify].concat());
    let url = &receiver.url;
    for (id, conversation, key) in
        [("gone-1", "conv-gone", "cust-9"), ("gone-2", "conv-gone", "cust-9"), ("kept", "conv-kept", "cust-1")]
    {
        post_answer(
            url,
            json!({"id": id, "kind": "response", "action": "vent", "followUp": true,
            "comment": format!("private words {id}"), "agentId": "agent-ada", "conversationId": conversation,
            "metadata": {"customerKey": key}}),
        )
        .await;
    }
    // A page's metadata with a NUL in it (JSON.stringify sends one as
    // \u0000, which PostgreSQL's jsonb cannot hold): erasure by customer
    // key, which reads the stored bodies as jsonb, must still work.
    post_answer(
        url,
        json!({"id": "nul-meta", "kind": "response", "effort": 5, "metadata": {"note": "a\u{0}b", "k\u{0}": 1}}),
    )
    .await;
    let admin = sign_in(url, "admin", ADMIN_PASSWORD).await;
    let mark = client().post(format!("{url}/inbox/follow-up")).header("cookie", &admin).form(&[("id", "gone-1")]);
    assert_eq!(mark.send().await.unwrap().status(), 303);

    let exported: Value =
        serde_json::from_str(&cli_ok(db_path, &["export", "--conversation", "conv-gone"], "")).unwrap();
    assert_eq!(exported.as_array().unwrap().len(), 2);
    assert_eq!(exported[0]["payload"]["comment"], "private words gone-1");
    assert_eq!(exported[0]["followedUpBy"], "admin");

    hook.wait_for(Duration::from_secs(10), |_| hook.acknowledged().len() >= 3).await;
    let before = every_row(db_path).await;
    let (gone, kept) = (format!("{name}:gone-1"), format!("{name}:kept"));
    assert!(before.contains(&gone) && before.contains(&kept), "owed and sent: {before}");
    let out = cli_ok(db_path, &["erase", "--conversation", "conv-gone"], "");
    assert!(out.contains("erased 2"), "{out}");
    assert_eq!(cli_ok(db_path, &["export", "--conversation", "conv-gone"], "").trim(), "[]");
    // The same through the admin page, by customer key.
    let erase = client()
        .post(format!("{url}/inbox/admin/erase"))
        .header("cookie", &admin)
        .form(&[("what", "customer-key"), ("value", "cust-1")]);
    assert_eq!(erase.send().await.unwrap().status(), 303);

    // Retention ran at start (and hourly): the old answer is gone too.
    let deadline = Instant::now() + Duration::from_secs(10);
    let everything = loop {
        let everything = every_row(db_path).await;
        if !everything.contains("old-answer") || Instant::now() > deadline {
            break everything;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for trace in [
        "conv-gone",
        "gone-1",
        "gone-2",
        "private words",
        "cust-9",
        "kept",
        "cust-1",
        "old-answer",
        "old words",
        "conv-old",
    ] {
        assert!(!everything.contains(trace), "{trace:?} is still stored somewhere");
    }
    assert!(everything.contains("erase") && everything.contains("retention"), "erasures are audited");
    drop(receiver);
    fresh.drop_database().await;
}

support::on_both_databases!(two_receivers, two_receivers_share_limits_and_store_an_id_once);

async fn two_receivers_share_limits_and_store_an_id_once(fresh: Fresh) {
    let one = Receiver::start(&fresh.database, &[]);
    let two = Receiver::start(&fresh.database, &[]);
    let c = client();
    // Alternating guesses: each receiver sees five, the limit (ten) holds across both.
    for i in 0..10 {
        let url = if i % 2 == 0 { &one.url } else { &two.url };
        let r = c.post(format!("{url}/login")).form(&[("name", "admin"), ("password", "guess")]).send().await.unwrap();
        assert_eq!(r.status(), 401, "guess {i}");
    }
    for url in [&one.url, &two.url] {
        let r = c
            .post(format!("{url}/login"))
            .form(&[("name", "admin"), ("password", ADMIN_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429, "{url}");
    }
    // One id posted to both at once, many times: stored once.
    let body = json!({"id": "same-id", "kind": "response", "action": "effort", "effort": 5});
    let posts: Vec<_> = (0..20)
        .map(|i| {
            let url = if i % 2 == 0 { one.url.clone() } else { two.url.clone() };
            let body = body.clone();
            tokio::spawn(async move {
                client().post(format!("{url}/collect")).json(&body).send().await.unwrap().status().as_u16()
            })
        })
        .collect();
    for p in posts {
        assert!(matches!(p.await.unwrap(), 200 | 201));
    }
    let db = Db::open(&fresh.database).await.unwrap();
    assert_eq!(db.count().await.unwrap(), 1);
    assert_eq!(db.deliveries().await.unwrap(), 20, "every post answered, one row");
    db.close().await;
    drop((one, two));
    fresh.drop_database().await;
}
