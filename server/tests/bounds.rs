//! Connections that never finish, against the binary as operators run it:
//! heads that stall, keep-alive connections left idle, bodies that trickle,
//! more connections than the cap or the file-descriptor limit allow, and a
//! shutdown among them; also what the new flags log at start. Each test
//! starts its own receiver with short timeouts and is bounded in time.
#![cfg(unix)]

mod support;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use feedback_receiver::config::Database;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BIN: &str = env!("CARGO_BIN_EXE_feedback-receiver");

/// A receiver in its own process, started through `sh` to set its
/// file-descriptor limit; killed when dropped.
struct Receiver {
    child: Child,
    addr: String,
    fresh: Option<support::Fresh>,
}

impl Receiver {
    fn start(fd_limit: u32, args: &[&str]) -> Receiver {
        let fresh = support::sqlite();
        let Database::Sqlite(path) = &fresh.database else { unreachable!() };
        let (child, url) = support::spawn_listening(
            Command::new("sh")
                .arg("-c")
                .arg(format!("ulimit -n {fd_limit} && exec \"$0\" \"$@\""))
                .arg(BIN)
                .args(["--listen", "127.0.0.1:0", "--log-format", "json", "--db"])
                .arg(path)
                .args(args),
        );
        let addr = url.strip_prefix("http://").expect("an http URL").to_owned();
        Receiver { child, addr, fresh: Some(fresh) }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// SIGTERM, then the exit status and everything logged.
    fn terminate(mut self, within: Duration) -> (std::process::ExitStatus, String) {
        let signalled = Instant::now();
        assert!(Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap().success());
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(signalled.elapsed() < within, "exits within {within:?} of SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut logs = String::new();
        std::io::Read::read_to_string(&mut self.child.stderr.take().unwrap(), &mut logs).unwrap();
        (status, logs)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(fresh) = self.fresh.take() {
            if let Some(dir) = match &fresh.database {
                Database::Sqlite(path) => path.parent().map(|p| p.to_owned()),
                Database::Postgres(_) => None,
            } {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

/// Lets this test process hold a few thousand sockets.
fn raise_own_fd_limit() {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        let want = limit.rlim_max.min(8192);
        if limit.rlim_cur < want {
            limit.rlim_cur = want;
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
    }
}

/// A client that opens a new connection for every request.
fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap()
}

/// `n` connections that each send half a request line and stall.
async fn stalled(addr: &str, n: usize) -> Vec<TcpStream> {
    let mut streams = Vec::with_capacity(n);
    for _ in 0..n {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HT").await.unwrap();
        streams.push(s);
    }
    streams
}

/// Still open: nothing to read yet, and no end of stream.
fn open_now(s: &TcpStream) -> bool {
    let mut buf = [0u8; 64];
    matches!(s.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

/// Whether the server closes `s` (end of stream or a reset, after any
/// answer it sends first) before `deadline`.
async fn closed_by(mut s: TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(deadline.into(), s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

/// Counts how many of `streams` the server closes before `deadline`.
async fn count_closed(streams: Vec<TcpStream>, deadline: Instant) -> usize {
    let waits: Vec<_> = streams.into_iter().map(|s| tokio::spawn(closed_by(s, deadline))).collect();
    let mut closed = 0;
    for w in waits {
        closed += usize::from(w.await.unwrap());
    }
    closed
}

async fn healthz(client: &reqwest::Client, url: &str, within: Duration) -> Result<Duration, String> {
    let started = Instant::now();
    match tokio::time::timeout(within, client.get(format!("{url}/healthz")).send()).await {
        Ok(Ok(r)) if r.status() == 200 => Ok(started.elapsed()),
        Ok(Ok(r)) => Err(format!("status {}", r.status())),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {within:?}")),
    }
}

/// 500 connections that send half a request line and stall: while they
/// are open `/healthz` answers within a second, again and again, and
/// after the header timeout the server has closed every one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_heads_do_not_starve_healthz_and_are_closed_after_the_header_timeout() {
    raise_own_fd_limit();
    let receiver = Receiver::start(4096, &["--header-timeout", "3"]);
    let opened = Instant::now();
    let streams = stalled(&receiver.addr, 500).await;
    let all_open = Instant::now();
    assert!(all_open - opened < Duration::from_secs(2), "500 connections opened in {:?}", all_open - opened);
    let client = fresh_client();
    let mut rounds = 0;
    while opened.elapsed() < Duration::from_millis(2200) || rounds < 3 {
        let took = healthz(&client, &receiver.url(), Duration::from_secs(1)).await;
        assert!(took.is_ok(), "round {rounds}: /healthz with 500 stalled connections open: {took:?}");
        rounds += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let still_open = streams.iter().filter(|s| open_now(s)).count();
    if opened.elapsed() < Duration::from_millis(2800) {
        assert_eq!(still_open, 500, "nothing is closed before the header timeout");
    }
    let closed = count_closed(streams, all_open + Duration::from_secs(3 + 4)).await;
    assert_eq!(closed, 500, "every stalled connection is closed after the 3 s header timeout");
    assert!(healthz(&client, &receiver.url(), Duration::from_secs(1)).await.is_ok());
    let (status, _) = receiver.terminate(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
}

/// An idle keep-alive connection is bounded by the same timeout: hyper
/// arms it again when a connection goes idle after an answer.
#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let receiver = Receiver::start(1024, &["--header-timeout", "2"]);
    let mut s = TcpStream::connect(&receiver.addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    while !answer.ends_with(b"ok") {
        let n = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await.unwrap().unwrap();
        assert!(n > 0, "the answer comes before any close");
        answer.extend_from_slice(&buf[..n]);
    }
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));
    let idle = Instant::now();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(open_now(&s), "kept alive within the timeout");
    assert!(closed_by(s, idle + Duration::from_secs(2 + 3)).await, "closed once idle for the header timeout");
}

/// A handler that does not answer in time, and a body that trickles, both
/// get a 408 that says why.
#[tokio::test]
async fn a_request_not_answered_in_time_is_a_408() {
    let receiver = Receiver::start(1024, &["--request-timeout", "1", "--faults"]);
    let url = receiver.url();
    let client = support::client();
    let queued = client
        .post(format!("{url}/_faults"))
        .header("content-type", "application/json")
        .body(r#"[{"delayMs": 5000}]"#)
        .send()
        .await
        .unwrap();
    assert!(queued.status().is_success());
    let started = Instant::now();
    let slow =
        client.post(format!("{url}/collect")).body(r#"{"id": "slow-1", "kind": "dismissed"}"#).send().await.unwrap();
    assert_eq!(slow.status(), 408);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(slow.text().await.unwrap().contains("timed out"));

    // Headers sent in full, then 5 of the 100 bytes promised.
    let mut s = TcpStream::connect(&receiver.addr).await.unwrap();
    let head =
        "POST /collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\"";
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(4), s.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "answered and closed within the request timeout");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("timed out"), "{answer}");
    assert!(started.elapsed() >= Duration::from_millis(900), "not before the timeout");
}

/// A body announced as larger than any payload is refused from its
/// headers, before a byte of it is read: an outsider's 10 MB
/// `Content-Length` waited for the request timeout (30 s), and with
/// `Expect: 100-continue` was invited to send it. And a form or multipart
/// body is refused as such (415), not read as a payload.
#[tokio::test]
async fn a_body_too_large_by_its_headers_or_of_a_form_type_is_refused_at_once() {
    let receiver = Receiver::start(1024, &[]);
    for expect in ["", "Expect: 100-continue\r\n"] {
        let mut s = TcpStream::connect(&receiver.addr).await.unwrap();
        let head = format!(
            "POST /collect HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{expect}Content-Length: 10000000\r\n\r\n"
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let mut answer = vec![0; 4096];
        let n = tokio::time::timeout(Duration::from_secs(3), s.read(&mut answer)).await;
        let answer = String::from_utf8_lossy(&answer[..n.expect("answered at once").unwrap()]).into_owned();
        assert!(answer.starts_with("HTTP/1.1 413"), "{expect}: {answer}");
        assert!(answer.contains("65536 bytes"), "{answer}");
    }
    // Chunked, with no length announced: read up to the limit, then 413.
    let mut s = TcpStream::connect(&receiver.addr).await.unwrap();
    let chunk = "x".repeat(70_000);
    let request = format!(
        "POST /collect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    s.write_all(request.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(3), s.read(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]).into_owned();
    assert!(answer.starts_with("HTTP/1.1 413") && answer.contains("65536 bytes"), "{answer}");

    let client = support::client();
    let url = receiver.url();
    let body = r#"{"id": "type-1", "kind": "dismissed"}"#;
    for (kind, status) in [
        ("application/x-www-form-urlencoded", 415),
        ("multipart/form-data; boundary=x", 415),
        ("text/html", 415),
        ("application/json; charset=utf-8", 201),
        ("text/plain;charset=UTF-8", 200),
    ] {
        let r = client.post(format!("{url}/collect")).header("content-type", kind).body(body).send().await.unwrap();
        assert_eq!(r.status(), status, "{kind}");
    }
}

/// At `--max-connections` a new connection is not refused: it waits to be
/// accepted until one closes (here when the stalled ones time out).
#[tokio::test]
async fn past_the_connection_cap_new_connections_wait_for_a_free_slot() {
    let receiver = Receiver::start(1024, &["--max-connections", "8", "--header-timeout", "2"]);
    let opened = Instant::now();
    let streams = stalled(&receiver.addr, 8).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let took = healthz(&fresh_client(), &receiver.url(), Duration::from_secs(6)).await;
    let answered = opened.elapsed();
    assert!(took.is_ok(), "{took:?}");
    assert!(answered >= Duration::from_millis(1500), "waited for a slot: {answered:?}");
    assert_eq!(count_closed(streams, opened + Duration::from_secs(6)).await, 8);
    let (_, logs) = receiver.terminate(Duration::from_secs(10));
    assert!(logs.contains("connection cap reached"), "{logs}");
}

/// The attack as first found: with a file-descriptor limit of 256, 300
/// stalled connections used to leave `/healthz` unanswered for as long as
/// they stayed open (forever). The cap is fitted under the limit, so the
/// receiver never runs out of descriptors, and the stalled connections are
/// dropped after the header timeout, so `/healthz` answers within it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_256_file_descriptors_300_stalled_connections_delay_healthz_only_until_the_timeout() {
    raise_own_fd_limit();
    let receiver = Receiver::start(256, &["--header-timeout", "2"]);
    let opened = Instant::now();
    let streams = stalled(&receiver.addr, 300).await;
    let took = healthz(&fresh_client(), &receiver.url(), Duration::from_secs(2 + 4)).await;
    assert!(took.is_ok(), "/healthz after the header timeout: {took:?} ({:?} since opening)", opened.elapsed());
    assert!(healthz(&fresh_client(), &receiver.url(), Duration::from_secs(1)).await.is_ok(), "and promptly after");
    assert_eq!(count_closed(streams, opened + Duration::from_secs(2 * 2 + 4)).await, 300);
    assert!(healthz(&fresh_client(), &receiver.url(), Duration::from_secs(1)).await.is_ok());
    let (status, logs) = receiver.terminate(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    assert!(logs.contains("file-descriptor limit"), "the lowered cap is logged: {logs}");
    assert!(!logs.contains("accept failed"), "never out of descriptors: {logs}");
}

/// Shutdown does not wait out the header timeout of connections that never
/// sent a request (a browser's spare connection, or these), while a
/// request in flight still finishes.
#[tokio::test]
async fn shutdown_closes_connections_without_a_request_at_once() {
    let receiver = Receiver::start(1024, &["--header-timeout", "20", "--faults"]);
    let url = receiver.url();
    let client = support::client();
    let queued = client
        .post(format!("{url}/_faults"))
        .header("content-type", "application/json")
        .body(r#"[{"delayMs": 1500}]"#)
        .send()
        .await
        .unwrap();
    assert!(queued.status().is_success());
    let slow = tokio::spawn({
        let (client, url) = (client.clone(), url.clone());
        let body = r#"{"id": "in-flight", "kind": "dismissed"}"#;
        async move { client.post(format!("{url}/collect")).body(body).send().await }
    });
    let mut streams = stalled(&receiver.addr, 20).await;
    streams.push(TcpStream::connect(&receiver.addr).await.unwrap());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    // The client side stays open longer than the receiver may take to exit.
    let waits: Vec<_> =
        streams.into_iter().map(|s| tokio::spawn(closed_by(s, signalled + Duration::from_secs(8)))).collect();
    let (status, _) = tokio::task::spawn_blocking(move || receiver.terminate(Duration::from_secs(4))).await.unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(slow.await.unwrap().expect("the request in flight is answered").status(), 201);
    for w in waits {
        assert!(w.await.unwrap(), "closed at shutdown");
    }
}

/// The deprecated `--trust-proxy` still starts, trusts loopback only, and
/// says so; behind a proxy without `--public-url` a warning suggests it.
#[test]
fn the_deprecated_trust_proxy_warns_at_start() {
    let receiver = Receiver::start(1024, &["--trust-proxy"]);
    let (status, logs) = receiver.terminate(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    let events: Vec<serde_json::Value> = logs.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let listening = events.iter().find(|e| e["message"] == "listening").expect("the listening event");
    assert_eq!(listening["trusted_proxies"], r#"["127.0.0.0/8", "::1/128"]"#);
    let warned =
        |needle: &str| events.iter().any(|e| e["level"] == "WARN" && e["message"].as_str().unwrap().contains(needle));
    assert!(warned("--trust-proxy (FEEDBACK_TRUST_PROXY) is deprecated"), "{logs}");
    assert!(warned("set --public-url"), "{logs}");
}
