//! `cargo bench -p feedback-receiver --bench load` (run by `cargo xtask
//! bench`): the release receiver in its own process on 127.0.0.1, SQLite
//! in a temporary file, posts per second from 32 keep-alive connections
//! for a fixed count, one post in ten a replay; then the row count is
//! checked against the 2xx answers. With FEEDBACK_TEST_POSTGRES_URL set,
//! the same against that PostgreSQL.
//!
//! Then SQLite again with notifications on (`--webhook` to a sink in this
//! process, for the low scores, then for every answer): the same load, while a probe posts one answer
//! every 20 ms and the sink notes when each probe's delivery arrives: the
//! time from `POST /collect` to the webhook, median and p95, under load
//! and then idle; and how long the outbox takes to drain.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use feedback_receiver::config::Database;
use feedback_receiver::db::Db;

const POSTS: u64 = 100_000;
const CONNECTIONS: usize = 32;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let dir = std::env::temp_dir().join(format!("feedback-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = dir.join("load.sqlite");
    let mut targets =
        vec![("sqlite", Database::Sqlite(sqlite.clone()), vec!["--db".to_owned(), sqlite.display().to_string()])];
    if let Ok(url) = std::env::var("FEEDBACK_TEST_POSTGRES_URL") {
        let name = format!("feedback_load_{}", std::process::id());
        runtime.block_on(async {
            let admin = sqlx::postgres::PgPool::connect(&url).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
        });
        let db_url = format!("{}/{name}", url.rsplit_once('/').unwrap().0);
        targets.push(("postgres", Database::Postgres(db_url.clone()), vec!["--database-url".to_owned(), db_url]));
    }
    for (name, database, args) in targets {
        let mut child = Command::new(env!("CARGO_BIN_EXE_feedback-receiver"))
            .args(["--listen", "127.0.0.1:0", "--rate-limit", "0", "--log-level", "error"])
            .args(&args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the receiver");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.trim().trim_start_matches("listening on http://").parse().expect("the listening line");
        let report = runtime.block_on(feedback_receiver::load::run(addr, CONNECTIONS, POSTS, 10, "bench"));
        let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
        let _ = child.wait();
        let (rows, deliveries) = runtime.block_on(async {
            let db = Db::open(&database).await.unwrap();
            let counts = (db.count().await.unwrap() as u64, db.deliveries().await.unwrap() as u64);
            db.close().await;
            counts
        });
        println!(
            "receiver/{name}: {} posts over {CONNECTIONS} connections in {:.2?}: {:.0} posts/s; 2xx {} (replays {}), \
             other {:?}, errors {}; rows {rows} (= distinct ids: {}), deliveries {deliveries} (= 2xx: {})",
            report.posts,
            report.elapsed,
            report.per_second(),
            report.ok(),
            report.replays_acknowledged,
            report.statuses.iter().filter(|(s, _)| !(200..300).contains(*s)).collect::<Vec<_>>(),
            report.errors,
            rows == report.posts - report.replays_sent,
            deliveries == report.ok()
        );
    }
    notifications(&runtime, &dir, "low");
    notifications(&runtime, &dir, "all");
    let _ = std::fs::remove_dir_all(&dir);
}

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

/// SQLite with every answer owed to a webhook: throughput, and the time
/// from a post to its delivery.
fn notifications(runtime: &tokio::runtime::Runtime, dir: &std::path::Path, when: &str) {
    let path = dir.join(format!("notify-{when}.sqlite"));
    let arrivals: Arrivals = Arc::default();
    // The sink has a runtime (and thread) of its own, as a destination
    // elsewhere would: the load client's thread does not wait for it.
    let (tx, rx) = std::sync::mpsc::channel();
    let recorder = arrivals.clone();
    std::thread::spawn(move || {
        let sink = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        sink.block_on(async move {
            let app = axum::Router::new().route(
                "/hook",
                axum::routing::post(move |headers: axum::http::HeaderMap| {
                    let arrivals = recorder.clone();
                    async move {
                        let delivery =
                            headers.get("feedback-delivery").and_then(|v| v.to_str().ok()).unwrap_or_default();
                        // `<destination>:<payload id>`: kept by payload id.
                        let id = delivery.split_once(':').map_or(delivery, |(_, id)| id);
                        arrivals.lock().unwrap().entry(id.to_owned()).or_insert_with(Instant::now);
                        axum::http::StatusCode::OK
                    }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let _ = axum::serve(listener, app).await;
        });
    });
    let sink = rx.recv().unwrap();
    let own_cpu = cpu_seconds("/proc/self/stat");
    let mut child = Command::new(env!("CARGO_BIN_EXE_feedback-receiver"))
        .args(["--listen", "127.0.0.1:0", "--rate-limit", "0", "--log-level", "error"])
        .arg("--db")
        .arg(&path)
        .args([
            "--webhook",
            &format!("http://{sink}/hook#when={when}"),
            "--webhook-secret",
            "a bench secret, long enough",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the receiver");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr: std::net::SocketAddr =
        line.trim().trim_start_matches("listening on http://").parse().expect("the listening line");
    let (report, loaded, drained) = runtime.block_on(async {
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let probe = tokio::spawn(probe(addr, "busy", done.clone()));
        let started = Instant::now();
        let report = feedback_receiver::load::run(addr, CONNECTIONS, POSTS, 10, "bench").await;
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let sent = probe.await.unwrap();
        // Drained: no delivery for two seconds (at most ten minutes).
        let mut last = (0, Instant::now());
        while last.1.elapsed() < Duration::from_secs(2) && started.elapsed() < Duration::from_secs(600) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let n = arrivals.lock().unwrap().len();
            if n != last.0 {
                last = (n, Instant::now());
            }
        }
        let newest = arrivals.lock().unwrap().values().copied().max().unwrap_or(started);
        let drained = newest.saturating_duration_since(started);
        (report, sent, drained)
    });
    let idle = runtime.block_on(async {
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = done.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(4)).await;
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        });
        let sent = probe(addr, "idle", done).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        sent
    });
    let cpu = (cpu_seconds(&format!("/proc/{}/stat", child.id())), cpu_seconds("/proc/self/stat") - own_cpu);
    let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
    let _ = child.wait();
    let arrived = arrivals.lock().unwrap().clone();
    println!(
        "receiver/sqlite+webhook#when={when}: CPU seconds: receiver {:.1}, load client and sink {:.1}",
        cpu.0, cpu.1
    );
    let latencies = |sent: &[(String, Instant)]| {
        let mut ms: Vec<f64> =
            sent.iter().filter_map(|(id, at)| arrived.get(id).map(|got| (*got - *at).as_secs_f64() * 1e3)).collect();
        ms.sort_by(f64::total_cmp);
        let pick = |q: f64| ms.get(((ms.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN);
        (ms.len(), sent.len(), pick(0.5), pick(0.95))
    };
    let (busy_n, busy_sent, busy_median, busy_p95) = latencies(&loaded);
    let (idle_n, idle_sent, idle_median, idle_p95) = latencies(&idle);
    println!(
        "receiver/sqlite+webhook#when={when}: {} posts over {CONNECTIONS} connections in {:.2?}: {:.0} posts/s; 2xx {}, errors {}; \
         {} deliveries, the outbox drained {:.1?} after the first post",
        report.posts,
        report.elapsed,
        report.per_second(),
        report.ok(),
        report.errors,
        arrived.len(),
        drained
    );
    println!(
        "receiver/sqlite+webhook#when={when}: POST /collect to webhook under that load: median {busy_median:.0} ms, \
         p95 {busy_p95:.0} ms ({busy_n} of {busy_sent} probes); idle: median {idle_median:.1} ms, p95 {idle_p95:.1} ms \
         ({idle_n} of {idle_sent})"
    );
}

/// Posts one answer every 20 ms until `done`; the ids and when each was sent.
async fn probe(
    addr: std::net::SocketAddr,
    tag: &str,
    done: Arc<std::sync::atomic::AtomicBool>,
) -> Vec<(String, Instant)> {
    let client = reqwest::Client::new();
    let mut sent = Vec::new();
    let mut every = tokio::time::interval(Duration::from_millis(20));
    for i in 0.. {
        every.tick().await;
        if done.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let id = format!("probe-{tag}-{i}");
        let body = format!(r#"{{"id":"{id}","kind":"response","action":"effort","effort":2}}"#);
        let at = Instant::now();
        let posted =
            client.post(format!("http://{addr}/collect")).header("content-type", "application/json").body(body);
        if posted.send().await.is_ok_and(|r| r.status().is_success()) {
            sent.push((id, at));
        }
    }
    sent
}

/// User and system CPU seconds of a process, from its `/proc/PID/stat`
/// (Linux; 0 elsewhere). Clock ticks are taken as 100 a second.
fn cpu_seconds(stat: &str) -> f64 {
    let text = std::fs::read_to_string(stat).unwrap_or_default();
    let after = text.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
