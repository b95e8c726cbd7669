//! What an outsider with curl tried against the HTTP side, each kept as a
//! test against the service over real HTTP: exports larger than memory
//! should hold, redirects built from form fields, forwarding headers from
//! whoever sends them, a Host renamed by DNS rebinding, HSTS.

mod support;

use feedback_receiver::clock;
use feedback_receiver::db::Db;
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
    let r = client().get(format!("{}/inbox/export.csv", running.url())).bearer_auth(PASSWORD).send().await.unwrap();
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
    let visible = |location: &str| location.bytes().all(|b| b.is_ascii_graphic());
    for back in ["%0d%0aX", "%00", "%1b%5b31m", "%7f", "%c2%85", "%09", "agent=%e5%a5%bd", "%e2%80%a8"] {
        let r = c
            .post(format!("{url}/inbox/follow-up"))
            .bearer_auth(PASSWORD)
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
            .body(format!("password={PASSWORD}&next={next}"))
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
