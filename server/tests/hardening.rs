//! What an outsider with curl tried against the HTTP side, each kept as a
//! test against the service over real HTTP: exports larger than memory
//! should hold, redirects built from form fields, forwarding headers from
//! whoever sends them, a Host renamed by DNS rebinding, HSTS.

mod support;

use feedback_receiver::clock;
use feedback_receiver::config::Config;
use feedback_receiver::db::Db;
use feedback_receiver::proxy::Cidr;
use feedback_receiver::record::Record;
use serde_json::json;
use support::{client, Fresh, PASSWORD};

support::on_both_databases!(export_streams_every_page_in_order, export_streams_every_page);

/// More rows than one page of the export (500), many of them sharing a
/// `received_ms`, so the pages' seams fall inside runs of equal times:
/// every row once, newest first, ties by id descending.
async fn export_streams_every_page(fresh: Fresh) {
    const ROWS: usize = 1234;
    let db = Db::open(&fresh.database).await.unwrap();
    let now = clock::now_ms();
    let mut want = Vec::new();
    let mut writes = Vec::new();
    for i in 0..ROWS {
        let id = format!("x{:04}", (i * 7919) % ROWS);
        let at = now - (i / 7) as i64 * 1000;
        want.push((at, id.clone()));
        let payload = json!({"id": id, "kind": "response", "effort": 4, "comment": format!("row {id}")});
        let record = Record::from_payload(&payload, None).unwrap();
        let db = db.clone();
        writes.push(tokio::spawn(async move { db.insert(record, at).await.unwrap() }));
    }
    for w in writes {
        w.await.unwrap();
    }
    db.close().await;
    want.sort_by(|a, b| b.cmp(a));

    let running = feedback_receiver::start(&fresh.config()).await.unwrap();
    let token = support::token(&fresh.database).await;
    let r = client().get(format!("{}/inbox/export.csv", running.url())).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(r.headers().get("content-length").is_none(), "streamed, not built whole");
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    assert!(lines[0].starts_with("\u{feff}received_at,id,kind,"), "{}", lines[0]);
    let ids: Vec<String> =
        lines[1..].iter().map(|l| l.split(',').nth(1).unwrap().trim_matches('"').to_owned()).collect();
    let want_ids: Vec<String> = want.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(ids.len(), ROWS, "every row once");
    assert_eq!(ids, want_ids, "newest first, ties by id descending, across the pages' seams");
    assert!(lines.iter().skip(1).all(|l| l.contains("\"row x")), "each row complete");
    running.stop().await;
    fresh.drop_database().await;
}

/// Form fields that end up in a redirect: a control character in `back`
/// or `next` used to give a 303 without a `Location` (after the follow-up
/// had been marked), and a tab could hide a `//`.
#[tokio::test]
async fn redirects_built_from_form_fields_stay_valid_and_inside_the_inbox() {
    let fresh = support::sqlite();
    let running = feedback_receiver::start(&fresh.config()).await.unwrap();
    let url = running.url();
    let c = client();
    let token = support::token(&fresh.database).await;
    let visible = |location: &str| location.bytes().all(|b| b.is_ascii_graphic());
    for back in ["%0d%0aX", "%00", "%1b%5b31m", "%7f", "%c2%85", "%09", "agent=%e5%a5%bd", "%e2%80%a8"] {
        let r = c
            .post(format!("{url}/inbox/follow-up"))
            .bearer_auth(&token)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("id=x&back={back}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "back={back}");
        let location = r.headers().get("location").unwrap_or_else(|| panic!("back={back}: a Location"));
        let location = location.to_str().unwrap();
        assert!(location.starts_with("/inbox?") && visible(location), "back={back}: {location:?}");
    }
    for next in
        ["/inbox%00", "/inbox%0d%0aSet-Cookie:%20a=b", "/inbox/%09/evil.example", "/inbox%c2%85", "/inbox?x=%7f"]
    {
        let r = c
            .post(format!("{url}/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("name=admin&password={PASSWORD}&next={next}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "next={next}");
        let location = r.headers().get("location").unwrap_or_else(|| panic!("next={next}: a Location"));
        let location = location.to_str().unwrap();
        assert!(location.starts_with("/inbox") && !location.contains("//") && visible(location), "{location:?}");
        assert_eq!(r.headers().get_all("set-cookie").iter().count(), 1, "next={next}: only our cookie");
    }
    running.stop().await;
    fresh.drop_database().await;
}

/// A page's address typed with a slash at the end leads to the page (an
/// outsider's `/inbox/admin/` was a 404).
#[tokio::test]
async fn a_page_typed_with_a_trailing_slash_leads_to_the_page() {
    let fresh = support::sqlite();
    let running = feedback_receiver::start(&fresh.config()).await.unwrap();
    let url = running.url();
    for (typed, page) in [("/inbox/", "/inbox"), ("/inbox/admin/", "/inbox/admin")] {
        let r = client().get(format!("{url}{typed}")).send().await.unwrap();
        assert_eq!(r.status(), 308, "{typed}");
        assert_eq!(r.headers()["location"], page, "{typed}");
    }
    running.stop().await;
    fresh.drop_database().await;
}

fn cidrs(list: &[&str]) -> Vec<Cidr> {
    list.iter().map(|c| Cidr::parse(c).unwrap()).collect()
}

/// A post to `/collect` with `X-Forwarded-For: xff`; its status.
async fn post_via(url: &str, id: &str, xff: &str) -> u16 {
    let body = json!({"id": id, "kind": "dismissed"}).to_string();
    let r = client().post(format!("{url}/collect")).header("x-forwarded-for", xff).body(body).send().await.unwrap();
    r.status().as_u16()
}

/// The session cookie a sign-in gets when it claims `X-Forwarded-Proto: https`.
async fn cookie_when_claiming_https(url: &str) -> String {
    let r = client()
        .post(format!("{url}/login"))
        .header("x-forwarded-proto", "https")
        .form(&[("name", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["set-cookie"].to_str().unwrap().to_owned()
}

/// `--trust-proxy` used to take `X-Forwarded-For` from any peer, so anyone
/// could pick a new address per post and never meet the rate limit (and
/// claim https for a Secure cookie). Now only a peer inside
/// `--trusted-proxy` speaks for the client, and the client is the
/// right-most hop that is not itself a trusted proxy. (The rate limit,
/// 2 a minute in bursts of 1, shows which address the receiver saw.)
#[tokio::test]
async fn forwarding_headers_count_only_from_trusted_proxies() {
    let fresh = support::sqlite();
    // The test connects from 127.0.0.1, outside 10.0.0.0/8: not a proxy.
    let config = Config { rate_limit: 2, trusted_proxies: cidrs(&["10.0.0.0/8"]), ..fresh.config() };
    let running = feedback_receiver::start(&config).await.unwrap();
    let url = running.url();
    assert_eq!(post_via(&url, "u-1", "198.51.100.1").await, 201);
    assert_eq!(post_via(&url, "u-2", "198.51.100.2").await, 429, "a new X-Forwarded-For is not a new client");
    assert!(!cookie_when_claiming_https(&url).await.contains("Secure"), "nor is X-Forwarded-Proto believed");
    running.stop().await;

    // Now 127.0.0.1 is our proxy, with another one (10.x) behind it.
    let config = Config { rate_limit: 2, trusted_proxies: cidrs(&["127.0.0.1", "10.0.0.0/8"]), ..fresh.config() };
    let running = feedback_receiver::start(&config).await.unwrap();
    let url = running.url();
    assert_eq!(post_via(&url, "t-1", "1.1.1.1, 203.0.113.9").await, 201, "the hop our proxy appended");
    assert_eq!(
        post_via(&url, "t-2", "2.2.2.2, 203.0.113.9").await,
        429,
        "what the client wrote to its left is ignored"
    );
    assert_eq!(post_via(&url, "t-3", "203.0.113.10, 10.9.9.9").await, 201, "a trusted inner proxy is skipped");
    assert_eq!(post_via(&url, "t-4", "5.5.5.5, 203.0.113.10, 10.9.9.9").await, 429);
    assert!(cookie_when_claiming_https(&url).await.contains("; Secure"), "our proxy says https");
    running.stop().await;
    fresh.drop_database().await;
}

/// The same over IPv6: a peer on ::1 is trusted as `::1`, not as 127.0.0.1.
#[tokio::test]
async fn trusted_proxies_over_ipv6() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("skipped: no IPv6 loopback");
        return;
    }
    let fresh = support::sqlite();
    for (trusted, separate) in [(&["::1"][..], true), (&["127.0.0.0/8"][..], false)] {
        let config = Config {
            listen: "[::1]:0".parse().unwrap(),
            rate_limit: 2,
            trusted_proxies: cidrs(trusted),
            ..fresh.config()
        };
        let running = feedback_receiver::start(&config).await.unwrap();
        let url = running.url();
        let prefix = if separate { "v6t" } else { "v6u" };
        assert_eq!(post_via(&url, &format!("{prefix}-1"), "2001:db8:1::1").await, 201);
        // Another /64 (the rate limit counts IPv6 clients per /64).
        let second = post_via(&url, &format!("{prefix}-2"), "2001:db8:2::1").await;
        assert_eq!(second, if separate { 201 } else { 429 }, "trusted {trusted:?}");
        running.stop().await;
    }
    fresh.drop_database().await;
}

/// A form post, `/login`, with `Host` and `Origin` as given; whether it signed in.
async fn signs_in(url: &str, host: &str, origin: &str) -> bool {
    session(url, host, origin).await.is_some()
}

/// The session cookie of a sign-in with `Host` and `Origin` as given.
async fn session(url: &str, host: &str, origin: &str) -> Option<String> {
    let r = client()
        .post(format!("{url}/login"))
        .header("host", host)
        .header("origin", origin)
        .form(&[("name", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = r.headers().get("set-cookie").map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned());
    cookie.filter(|_| r.status() == 303)
}

/// A same-origin post to `/collect`; its status.
async fn collects(url: &str, id: &str, host: &str, origin: &str) -> u16 {
    let body = json!({"id": id, "kind": "dismissed"}).to_string();
    let r = client()
        .post(format!("{url}/collect"))
        .header("host", host)
        .header("origin", origin)
        .body(body)
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

/// DNS rebinding: a page on rebind.attacker.example, whose name now
/// points at the receiver, posts to it; its Host and Origin agree, so the
/// same-origin check that trusted Host let it sign in (and post to
/// `/collect` as the receiver's own page). Now a name counts as our own
/// only as `--public-url` (or through a trusted proxy); without one, only
/// IP addresses and localhost, which DNS cannot rebind.
#[tokio::test]
async fn a_rebound_host_is_not_our_origin() {
    let fresh = support::sqlite();
    let config = Config { origins: feedback_receiver::config::Origins::SameOrigin, ..fresh.config() };
    let running = feedback_receiver::start(&config).await.unwrap();
    let (url, port) = (running.url(), running.addr.port());
    let rebound = format!("rebind.attacker.example:{port}");
    let rebound_origin = format!("http://{rebound}");
    assert!(!signs_in(&url, &rebound, &rebound_origin).await, "a rebound name is refused");
    assert_eq!(collects(&url, "rb-1", &rebound, &rebound_origin).await, 403);
    let own = format!("127.0.0.1:{port}");
    assert!(signs_in(&url, &own, &format!("http://{own}")).await, "the address itself is ours");
    let local = format!("localhost:{port}");
    assert!(signs_in(&url, &local, &format!("http://{local}")).await, "and localhost");
    assert_eq!(collects(&url, "rb-2", &own, &format!("http://{own}")).await, 201);
    running.stop().await;

    // With --public-url, that origin exactly, whatever Host says.
    let public = "https://feedback.example.com";
    let config = Config { public_url: Some(public.into()), ..config };
    let running = feedback_receiver::start(&config).await.unwrap();
    let (url, port) = (running.url(), running.addr.port());
    let own = format!("127.0.0.1:{port}");
    assert!(signs_in(&url, &own, public).await, "a proxy that passes on its own Host is fine");
    assert!(!signs_in(&url, &rebound, &rebound_origin).await);
    assert!(!signs_in(&url, "feedback.example.com", "http://feedback.example.com").await, "the scheme counts");
    assert!(!signs_in(&url, &own, &format!("http://{own}")).await, "the bare address is not the public URL");
    assert_eq!(collects(&url, "rb-3", &rebound, &rebound_origin).await, 403);
    assert_eq!(collects(&url, "rb-4", &own, public).await, 201, "/collect's same origin is the public URL");
    let c = client();
    // A session's form (a bearer token carries no ambient authority, so
    // its posts are not origin-checked).
    let cookie = session(&url, &own, public).await.unwrap();
    let mark = |origin: &str| {
        c.post(format!("{url}/inbox/follow-up"))
            .header("cookie", &cookie)
            .header("host", &rebound)
            .header("origin", origin)
            .form(&[("id", "rb-4"), ("back", "")])
            .send()
    };
    assert_eq!(mark(&rebound_origin).await.unwrap().status(), 403);
    assert_eq!(mark(public).await.unwrap().status(), 303);
    running.stop().await;
    fresh.drop_database().await;
}

/// Whether `/inbox` and `/login` answer with HSTS, for `config` and a
/// request claiming `X-Forwarded-Proto: proto`.
async fn hsts(config: &Config, proto: Option<&str>) -> bool {
    let running = feedback_receiver::start(config).await.unwrap();
    let token = support::token(&config.database).await;
    let mut seen = Vec::new();
    for path in ["/inbox", "/login"] {
        let mut request = client().get(format!("{}{path}", running.url())).bearer_auth(&token);
        if let Some(proto) = proto {
            request = request.header("x-forwarded-proto", proto);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        seen.push(r.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_owned()));
    }
    running.stop().await;
    assert_eq!(seen[0], seen[1], "the same on every inbox page");
    if let Some(value) = &seen[0] {
        assert_eq!(value, "max-age=31536000");
    }
    seen[0].is_some()
}

/// HSTS when the request came over https: an https `--public-url`,
/// `--cookie-secure`, or a trusted proxy's `X-Forwarded-Proto: https`;
/// not over plain http, nor on an untrusted peer's say-so.
#[tokio::test]
async fn hsts_only_over_https() {
    let fresh = support::sqlite();
    let base = fresh.config();
    let cases: [(&str, Config, Option<&str>, bool); 8] = [
        ("plain http", base.clone(), None, false),
        (
            "an untrusted peer's claim",
            Config { trusted_proxies: cidrs(&["10.0.0.0/8"]), ..base.clone() },
            Some("https"),
            false,
        ),
        ("--cookie-secure", Config { cookie_secure: true, ..base.clone() }, None, true),
        ("an https --public-url", Config { public_url: Some("https://f.example".into()), ..base.clone() }, None, true),
        ("an http --public-url", Config { public_url: Some("http://f.example".into()), ..base.clone() }, None, false),
        (
            "a trusted proxy's https",
            Config { trusted_proxies: cidrs(&["127.0.0.1"]), ..base.clone() },
            Some("https"),
            true,
        ),
        (
            "a trusted proxy's http",
            Config { trusted_proxies: cidrs(&["127.0.0.1"]), ..base.clone() },
            Some("http"),
            false,
        ),
        (
            "a trusted proxy's http wins over --public-url",
            Config {
                trusted_proxies: cidrs(&["127.0.0.1"]),
                public_url: Some("https://f.example".into()),
                ..base.clone()
            },
            Some("http"),
            false,
        ),
    ];
    for (what, config, proto, want) in cases {
        assert_eq!(hsts(&config, proto).await, want, "{what}");
    }
    fresh.drop_database().await;
}

/// Over https the session cookie is `__Host-feedback_inbox`: a browser
/// keeps such a cookie only from this very host, over https, for `/`, so a
/// page on a sibling subdomain cannot plant a session of its choosing (its
/// own, to have a colleague's follow-ups land in it). Only that name is
/// read over https; the plain name, which any subdomain can set, is not.
#[tokio::test]
async fn over_https_the_session_cookie_is_host_only() {
    let fresh = support::sqlite();
    let config = Config { trusted_proxies: cidrs(&["127.0.0.1"]), ..fresh.config() };
    let running = feedback_receiver::start(&config).await.unwrap();
    let url = running.url();
    let set = cookie_when_claiming_https(&url).await;
    assert!(set.starts_with("__Host-feedback_inbox=") && set.contains("; Path=/;"), "{set}");
    assert!(set.contains("; Secure") && !set.to_ascii_lowercase().contains("domain"), "{set}");
    let pair = set.split(';').next().unwrap().to_owned();
    let token = pair.split_once('=').unwrap().1;
    let inbox = |cookie: String, proto: &'static str| {
        client().get(format!("{url}/inbox")).header("x-forwarded-proto", proto).header("cookie", cookie).send()
    };
    assert_eq!(inbox(pair.clone(), "https").await.unwrap().status(), 200);
    let planted = format!("feedback_inbox={token}");
    assert_eq!(inbox(planted.clone(), "https").await.unwrap().status(), 303, "the plain name is not read over https");
    assert_eq!(inbox(format!("{planted}; {pair}"), "https").await.unwrap().status(), 200);
    assert_eq!(inbox(pair.clone(), "http").await.unwrap().status(), 303, "nor the https name over http");
    // The middleware's own header, sent by a client, is not believed.
    let spoofed = client()
        .get(format!("{url}/inbox"))
        .header("x-forwarded-proto", "http")
        .header("x-feedback-receiver-secure-cookie", "1")
        .header("cookie", pair.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), 303, "a client cannot say which cookie is read");
    // Over plain http (a receiver on a laptop) the cookie has the plain name.
    let r = client().post(format!("{url}/login")).form(&[("name", "admin"), ("password", PASSWORD)]).send().await;
    let r = r.unwrap();
    assert!(r.headers()["set-cookie"].to_str().unwrap().starts_with("feedback_inbox="));
    // Signing out over https clears the https name.
    let out = client()
        .post(format!("{url}/logout"))
        .header("x-forwarded-proto", "https")
        .header("cookie", pair.clone())
        .send()
        .await
        .unwrap();
    let gone = out.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        gone.starts_with("__Host-feedback_inbox=;") && gone.contains("Max-Age=0") && gone.contains("; Secure"),
        "{gone}"
    );
    assert_eq!(inbox(pair, "https").await.unwrap().status(), 303, "the session is ended");
    running.stop().await;
    // An https --public-url, no proxy: the Secure, host-only cookie too.
    let config = Config { public_url: Some("https://feedback.example".into()), ..fresh.config() };
    let running = feedback_receiver::start(&config).await.unwrap();
    let url = running.url();
    let r = client()
        .post(format!("{url}/login"))
        .header("origin", "https://feedback.example")
        .form(&[("name", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("__Host-feedback_inbox=") && set.contains("; Secure"), "{set}");
    running.stop().await;
    fresh.drop_database().await;
}
