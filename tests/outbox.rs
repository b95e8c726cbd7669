//! Native tests of the outbox bookkeeping: the back-off schedule, which
//! failures are retried, the bounds and what makes room, leases between
//! tabs, and storage round trips.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::outbox::{backoff_ms, retryable, Attempt, Item, Limits, Outbox, Settled, MAX_DELAY_MS};
use feedback_widget::domain::{Kind, Value};
use proptest::prelude::*;

fn item(id: &str, kind: Kind, has_comment: bool, bytes: usize, now: f64) -> Item {
    Item::new(id.into(), "https://x.example/c".into(), kind, has_comment, "x".repeat(bytes), now)
}

#[test]
fn the_backoff_schedule_doubles_to_a_cap_with_full_jitter() {
    // (retry number, coin, Retry-After, expected wait)
    let table: &[(u32, f64, Option<f64>, f64)] = &[
        (1, 1.0, None, 1_000.0),
        (2, 1.0, None, 2_000.0),
        (3, 1.0, None, 4_000.0),
        (4, 1.0, None, 8_000.0),
        (9, 1.0, None, 256_000.0),
        (10, 1.0, None, MAX_DELAY_MS),
        (40, 1.0, None, MAX_DELAY_MS),
        (3, 0.0, None, 0.0),
        (3, 0.5, None, 2_000.0),
        (1, 0.1, Some(2_000.0), 2_000.0),
        (5, 0.9, Some(2_000.0), 14_400.0),
        (1, f64::NAN, None, 500.0),
        (1, 0.5, Some(1e12), 86_400_000.0),
    ];
    for &(n, coin, after, expected) in table {
        assert_eq!(backoff_ms(n, coin, after), expected, "retry {n}, coin {coin}, Retry-After {after:?}");
    }
}

#[test]
fn which_failures_are_retried() {
    let answered = |status| Attempt::Answered { status, retry_after_ms: None };
    for status in [408, 429, 500, 502, 503, 504] {
        assert!(retryable(answered(status)), "{status}");
    }
    for status in [400, 401, 403, 404, 405, 409, 413, 422] {
        assert!(!retryable(answered(status)), "{status}");
    }
    assert!(retryable(Attempt::NetworkError));
    assert!(retryable(Attempt::TimedOut));
}

#[test]
fn settling_keeps_the_same_item_until_a_2xx_and_drops_on_other_4xx() {
    let mut outbox = Outbox::default();
    outbox.push(item("a", Kind::Response, true, 10, 0.0), Limits::default());
    let body = outbox.get("a").unwrap().body.clone();
    for n in 1..=3 {
        let settled =
            outbox.settle("a", Attempt::Answered { status: 503, retry_after_ms: None }, 1_000.0 * n as f64, 1.0);
        assert!(matches!(settled, Settled::Retry { .. }));
        let kept = outbox.get("a").unwrap();
        assert_eq!((kept.attempts, kept.body.as_str()), (n, body.as_str()), "same id, same body");
    }
    let wait = outbox.settle("a", Attempt::Answered { status: 429, retry_after_ms: Some(2_000.0) }, 10_000.0, 0.0);
    assert_eq!(wait, Settled::Retry { at_ms: 12_000.0 }, "Retry-After honoured");
    assert_eq!(
        outbox.settle("a", Attempt::Answered { status: 201, retry_after_ms: None }, 13_000.0, 0.5),
        Settled::Delivered { status: 201 }
    );
    assert!(outbox.items.is_empty());
    assert_eq!(outbox.settle("a", Attempt::NetworkError, 0.0, 0.5), Settled::Gone);

    outbox.push(item("b", Kind::Response, false, 10, 0.0), Limits::default());
    assert_eq!(
        outbox.settle("b", Attempt::Answered { status: 400, retry_after_ms: None }, 1.0, 0.5),
        Settled::Dropped { status: Some(400), reason: "rejected" }
    );
    outbox.push(item("c", Kind::Dismissed, false, 10, 0.0), Limits::default());
    assert_eq!(
        outbox.settle("c", Attempt::NetworkError, 8.0 * 86_400_000.0, 0.5),
        Settled::Dropped { status: None, reason: "expired" }
    );
}

/// An endpoint that answers 2xx is back: what waited on it only because
/// it could not be reached goes now, not after the rest of its back-off
/// (an outsider's 50 answers queued in an outage took 155 s to arrive
/// once the endpoint was back). Not what the endpoint itself answered
/// with a 5xx or a 429 (a second reading: a partly failing receiver would
/// get the whole queue back to back at every success), nor what it asked
/// to wait, nor what is on its way (leased), nor another endpoint's.
#[test]
fn a_delivery_makes_what_could_not_reach_the_same_endpoint_due() {
    let now = 1_000_000.0;
    let mut outbox = Outbox::default();
    for id in ["unreached", "refused", "held", "on its way", "elsewhere", "new"] {
        outbox.items.push(item(id, Kind::Response, true, 10, now));
    }
    outbox.items[4].endpoint = "https://other.example/c".into();
    for _ in 0..6 {
        for id in ["unreached", "on its way", "elsewhere"] {
            outbox.settle(id, Attempt::NetworkError, now, 0.9);
        }
        outbox.settle("refused", Attempt::Answered { status: 503, retry_after_ms: None }, now, 0.9);
    }
    outbox.settle("held", Attempt::Answered { status: 503, retry_after_ms: Some(600_000.0) }, now, 0.9);
    let later = now + 2_000.0;
    outbox.lease("on its way", "tab", later + 10_000.0);
    assert_eq!(outbox.due(later, "tab"), ["new"], "the back-offs and the Retry-After hold the others");
    let delivered = outbox.settle("new", Attempt::Answered { status: 201, retry_after_ms: None }, later, 0.5);
    assert_eq!(delivered, Settled::Delivered { status: 201 });
    assert_eq!(outbox.due(later, "tab"), ["unreached"]);
    assert_eq!(Outbox::from_value(&outbox.to_value()), outbox, "what could not reach it is kept in storage too");
}

#[test]
fn a_full_outbox_drops_suppressions_first_and_comments_last() {
    let limits = Limits { max_items: 4, max_bytes: 1_000 };
    let mut outbox = Outbox::default();
    outbox.push(item("comment-old", Kind::Response, true, 10, 0.0), limits);
    outbox.push(item("score", Kind::Response, false, 10, 1.0), limits);
    outbox.push(item("dismissed", Kind::Dismissed, false, 10, 2.0), limits);
    outbox.push(item("suppressed", Kind::Suppressed, false, 10, 3.0), limits);
    let ids = |o: &Outbox| o.items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();

    let evicted = outbox.push(item("comment-new", Kind::Response, true, 10, 4.0), limits);
    assert_eq!(evicted.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["suppressed"]);
    let evicted = outbox.push(item("suppressed-2", Kind::Suppressed, false, 10, 5.0), limits);
    assert_eq!(evicted[0].id, "dismissed", "the new item is kept; the least precious other goes");
    outbox.push(item("c3", Kind::Response, true, 10, 6.0), limits);
    outbox.push(item("c4", Kind::Response, true, 10, 7.0), limits);
    assert_eq!(ids(&outbox), ["comment-old", "comment-new", "c3", "c4"]);
    let evicted = outbox.push(item("c5", Kind::Response, true, 10, 8.0), limits);
    assert_eq!(evicted[0].id, "comment-old", "among equals, the oldest goes");

    let evicted = outbox.push(item("huge", Kind::Response, true, 995, 9.0), limits);
    assert_eq!(evicted.len(), 4, "bytes are bounded too");
    assert_eq!(ids(&outbox), ["huge"]);
}

#[test]
fn leases_keep_two_tabs_from_sending_the_same_item() {
    let mut outbox = Outbox::default();
    outbox.push(item("a", Kind::Response, false, 10, 0.0), Limits::default());
    outbox.push(item("b", Kind::Response, false, 10, 0.0), Limits::default());
    outbox.lease("a", "tab-1", 10_000.0);
    assert_eq!(outbox.due(5_000.0, "tab-2"), ["b"]);
    assert_eq!(outbox.due(5_000.0, "tab-1"), ["a", "b"]);
    assert_eq!(outbox.due(10_000.0, "tab-2"), ["a", "b"], "an expired lease is free");
    assert_eq!(outbox.next_due_ms(), Some(0.0));
}

/// What a page going away sends at once: whatever is on no one's way,
/// back-off or not (the next visit may be far off). Not an attempt in
/// flight (it goes on by itself: a keepalive request), not another tab's,
/// and not one the endpoint asked to wait (`Retry-After`). Everything was
/// sent, twice per leave, and an answer given just before leaving
/// reached the endpoint four times.
#[test]
fn a_page_leaving_sends_what_is_on_no_ones_way_and_not_held_by_the_endpoint() {
    let mut outbox = Outbox::default();
    for id in ["fresh", "in flight", "another tab's", "retry after", "backing off", "lease run out", "network error"] {
        outbox.push(item(id, Kind::Response, true, 10, 0.0), Limits::default());
    }
    outbox.lease("in flight", "tab-1", 10_000.0);
    outbox.lease("another tab's", "tab-2", 10_000.0);
    outbox.settle("retry after", Attempt::Answered { status: 429, retry_after_ms: Some(3_600_000.0) }, 0.0, 0.5);
    for _ in 0..4 {
        outbox.settle("backing off", Attempt::Answered { status: 503, retry_after_ms: None }, 0.0, 0.99);
    }
    assert!(!outbox.due(5_000.0, "tab-1").contains(&"backing off".to_owned()), "waiting out its back-off");
    outbox.lease("lease run out", "tab-1", 1_000.0);
    // A leaving page sees its attempt fail as `pagehide` begins, while the
    // keepalive request goes on: the item stays leased to that tab a moment.
    outbox.lease("network error", "tab-1", 20_000.0);
    outbox.settle("network error", Attempt::NetworkError, 4_990.0, 0.0);
    assert_eq!(outbox.leaving(5_000.0), ["fresh", "backing off", "lease run out"]);
    assert!(outbox.due(5_000.0, "tab-1").contains(&"network error".to_owned()), "its own tab retries on its back-off");
    assert!(!outbox.due(5_000.0, "tab-2").contains(&"network error".to_owned()));
    assert_eq!(outbox.leaving(6_000.0), ["fresh", "backing off", "lease run out", "network error"]);
    assert_eq!(outbox.leaving(3_600_000.0).len(), 7, "everything, once the endpoint's wait and the leases are over");
    // The endpoint's wait survives storage (another page of the site reads it).
    let stored = Outbox::from_value(&outbox.to_value());
    assert_eq!(stored.leaving(5_000.0), ["fresh", "backing off", "lease run out"]);
}

#[test]
fn the_outbox_survives_storage_and_skips_what_it_cannot_read() {
    let mut outbox = Outbox::default();
    outbox.push(item("a", Kind::Response, true, 5, 1.0), Limits::default());
    outbox.push(item("b", Kind::Suppressed, false, 5, 2.0), Limits::default());
    outbox.lease("b", "tab", 9.0);
    let text = serde_json::to_string(&outbox.to_value()).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(Outbox::from_value(&value), outbox);
    // The stored shape is what earlier versions wrote and read, plus
    // `heldMs` (the endpoint's Retry-After) and `unreached`, which they
    // skip and which an item they stored reads as 0 and false: an outbox
    // left in a browser by one version is sent by the next.
    assert_eq!(
        text,
        concat!(
            r#"[{"id":"a","endpoint":"https://x.example/c","kind":"response","hasComment":true,"body":"xxxxx","#,
            r#""createdMs":1,"attempts":0,"nextMs":1,"heldMs":0,"unreached":false,"leaseUntilMs":0,"leaseOwner":""},"#,
            r#"{"id":"b","endpoint":"https://x.example/c","kind":"suppressed","hasComment":false,"body":"xxxxx","#,
            r#""createdMs":2,"attempts":0,"nextMs":2,"heldMs":0,"unreached":false,"leaseUntilMs":9,"leaseOwner":"tab"}]"#
        )
    );

    let broken: Value = serde_json::from_str(
        r#"[{"id":"x"}, 5, {"id":"ok","endpoint":"https://e/c","kind":"dismissed","body":"{}","createdMs":1}]"#,
    )
    .unwrap();
    assert_eq!(Outbox::from_value(&broken).items.len(), 1);
    assert!(Outbox::from_value(&Value::String("garbage".into())).items.is_empty());
}

proptest! {
    #[test]
    fn the_outbox_stays_within_its_bounds_and_keeps_the_most_precious(
        pushes in proptest::collection::vec((0u8..4, 1usize..300), 1..80),
        max_items in 1usize..20,
        max_bytes in 300usize..3_000,
    ) {
        let limits = Limits { max_items, max_bytes };
        let mut outbox = Outbox::default();
        for (n, (kind, bytes)) in pushes.iter().enumerate() {
            let (kind, comment) = match kind { 0 => (Kind::Suppressed, false), 1 => (Kind::Dismissed, false), 2 => (Kind::Response, false), _ => (Kind::Response, true) };
            let evicted = outbox.push(item(&n.to_string(), kind, comment, *bytes, n as f64), limits);
            prop_assert!(outbox.items.len() <= max_items);
            prop_assert!(outbox.bytes() <= max_bytes || outbox.items.len() == 1);
            prop_assert!(outbox.items.iter().any(|i| i.id == n.to_string()), "the newest is kept");
            let rank = |i: &Item| match (i.kind, i.has_comment) { (Kind::Suppressed, _) => 0, (Kind::Dismissed, _) => 1, (_, false) => 2, (_, true) => 3 };
            for gone in &evicted {
                let kept_lower = outbox.items.iter().filter(|i| i.id != n.to_string()).any(|i| rank(i) < rank(gone));
                prop_assert!(!kept_lower, "{} evicted while a less precious item stayed", gone.id);
            }
        }
    }

    #[test]
    fn backoff_never_exceeds_its_cap_or_goes_negative(n in 0u32..100, coin in any::<f64>()) {
        let wait = backoff_ms(n, coin, None);
        prop_assert!((0.0..=MAX_DELAY_MS).contains(&wait));
    }
}

/// A store of one entry per item, as `localStorage` keeps the outbox:
/// a tab's read is a snapshot, and its write applies what it changed.
fn apply(store: &mut Vec<Item>, after: &Outbox, before: &Outbox) {
    let (written, removed) = after.changes(before);
    for item in written {
        store.retain(|i| i.id != item.id);
        store.push(item.clone());
    }
    store.retain(|i| !removed.contains(&i.id.as_str()));
}

#[test]
fn each_tab_writes_only_what_it_changed() {
    let base = Outbox { items: vec![item("old", Kind::Response, true, 10, 0.0)] };
    // (what the tab does to the outbox it read, items written, ids removed)
    type Change = fn(&mut Outbox);
    let table: &[(&str, Change, &[&str], &[&str])] = &[
        ("nothing", |_| {}, &[], &[]),
        ("a push", |o| drop(o.push(item("new", Kind::Response, false, 10, 1.0), Limits::default())), &["new"], &[]),
        ("a lease", |o| o.lease("old", "tab-a", 9_000.0), &["old"], &[]),
        (
            "a delivery",
            |o| {
                o.settle("old", Attempt::Answered { status: 201, retry_after_ms: None }, 5.0, 0.5);
            },
            &[],
            &["old"],
        ),
        (
            "a retry",
            |o| {
                o.settle("old", Attempt::NetworkError, 5.0, 0.5);
            },
            &["old"],
            &[],
        ),
        (
            "an eviction to make room",
            |o| drop(o.push(item("big", Kind::Response, true, 10, 1.0), Limits { max_items: 1, max_bytes: 1 << 20 })),
            &["big"],
            &["old"],
        ),
    ];
    for &(what, change, written, removed) in table {
        let mut after = base.clone();
        change(&mut after);
        let (w, r) = after.changes(&base);
        let w: Vec<&str> = w.iter().map(|i| i.id.as_str()).collect();
        assert_eq!((w.as_slice(), r.as_slice()), (written, removed), "{what}");
    }
}

proptest! {
    #[test]
    fn answers_two_tabs_add_at_once_are_both_kept(
        stored in proptest::collection::vec(0u8..4, 0..6),
        settle_first in any::<bool>(),
    ) {
        // Both tabs read the same outbox; tab A adds its answer (and
        // perhaps settles the first stored item), tab B adds its own; the
        // writes land in either order.
        let store: Vec<Item> = stored.iter().enumerate()
            .map(|(i, &k)| item(&format!("s{i}"), [Kind::Response, Kind::Dismissed, Kind::Suppressed, Kind::Response][k as usize], k == 3, 50, 0.0))
            .collect();
        let read = Outbox { items: store.clone() };
        let mut a = read.clone();
        a.push(item("a", Kind::Response, true, 50, 1.0), Limits::default());
        if settle_first && !read.items.is_empty() {
            a.settle("s0", Attempt::Answered { status: 200, retry_after_ms: None }, 2.0, 0.5);
        }
        let mut b = read.clone();
        b.push(item("b", Kind::Response, true, 50, 1.0), Limits::default());
        for (first, second) in [(&a, &b), (&b, &a)] {
            let mut s = store.clone();
            apply(&mut s, first, &read);
            apply(&mut s, second, &read);
            prop_assert!(s.iter().any(|i| i.id == "a") && s.iter().any(|i| i.id == "b"), "{:?}", s.iter().map(|i| &i.id).collect::<Vec<_>>());
            prop_assert_eq!(s.iter().any(|i| i.id == "s0"), !read.items.is_empty() && !settle_first);
        }
    }
}

proptest! {
    #[test]
    fn an_outbox_read_in_key_order_is_oldest_first(created in proptest::collection::vec(0u32..50, 0..30)) {
        // Stored as one entry per item, the items come back in the order
        // of their keys (random ids); the outbox is oldest first again,
        // so eviction takes the oldest of a kind and sending goes in order.
        let items: Vec<Item> = created.iter().enumerate().map(|(i, &t)| item(&format!("i{i}"), Kind::Response, true, 10, f64::from(t))).collect();
        let outbox = Outbox::from_items(items.clone());
        prop_assert!(outbox.items.windows(2).all(|w| w[0].created_ms <= w[1].created_ms));
        let mut ids: Vec<&str> = outbox.items.iter().map(|i| i.id.as_str()).collect();
        let mut expected: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        ids.sort_unstable();
        expected.sort_unstable();
        prop_assert_eq!(ids, expected);
    }
}

#[test]
fn a_full_outbox_read_from_storage_evicts_the_oldest_of_a_kind() {
    // Read back in key order: "b..." (newer) before "a..." (older).
    let stored =
        vec![item("b-new", Kind::Suppressed, false, 10, 2_000.0), item("a-old", Kind::Suppressed, false, 10, 1_000.0)];
    let mut outbox = Outbox::from_items(stored);
    let evicted =
        outbox.push(item("c", Kind::Response, true, 10, 3_000.0), Limits { max_items: 2, max_bytes: 1 << 20 });
    assert_eq!(evicted.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["a-old"]);
}
