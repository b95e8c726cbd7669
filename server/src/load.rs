//! A small load generator for `POST /collect` (used by the load test and
//! `cargo xtask bench`): keep-alive HTTP/1.1 connections over raw TCP, so
//! the client costs little of the machine it shares with the server. Every
//! `replay_every`-th post resends one of the connection's earlier payloads
//! byte for byte, as a widget's retry would.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Debug, Default)]
pub struct Report {
    pub posts: u64,
    /// Answers by status code.
    pub statuses: BTreeMap<u16, u64>,
    /// 200 answers marked `Idempotent-Replayed`.
    pub replays_acknowledged: u64,
    /// Posts that were resends of an earlier payload.
    pub replays_sent: u64,
    pub errors: u64,
    pub elapsed: Duration,
}

impl Report {
    pub fn ok(&self) -> u64 {
        self.statuses.iter().filter(|(s, _)| (200..300).contains(*s)).map(|(_, n)| n).sum()
    }

    pub fn per_second(&self) -> f64 {
        self.posts as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn merge(&mut self, other: Report) {
        self.posts += other.posts;
        for (s, n) in other.statuses {
            *self.statuses.entry(s).or_default() += n;
        }
        self.replays_acknowledged += other.replays_acknowledged;
        self.replays_sent += other.replays_sent;
        self.errors += other.errors;
    }
}

/// Sends `total` posts over `connections` connections, `run` tagging ids.
pub async fn run(addr: SocketAddr, connections: usize, total: u64, replay_every: u64, run: &str) -> Report {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections.max(1))
        .map(|_| tokio::spawn(connection(addr, next.clone(), total, replay_every, run.to_owned())))
        .collect();
    let mut report = Report::default();
    for task in tasks {
        if let Ok(part) = task.await {
            report.merge(part);
        }
    }
    report.elapsed = started.elapsed();
    report
}

fn body(run: &str, i: u64) -> String {
    let effort = i % 7 + 1;
    format!(
        r#"{{"id":"{run}-{i}","kind":"response","action":"effort","reasons":["smooth"],"effort":{effort},"comment":"load test {i} <b>ok</b>","followUp":false,"conversationId":"c-{i}","agentId":"agent-{}","channel":"chat","locale":"en","metadata":{{}},"createdAt":"2026-11-27T00:00:00.000Z","version":"load"}}"#,
        i % 5
    )
}

async fn connection(addr: SocketAddr, next: Arc<AtomicU64>, total: u64, replay_every: u64, run: String) -> Report {
    let mut report = Report::default();
    let mut stream: Option<BufReader<TcpStream>> = None;
    let mut last_new: Option<u64> = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total {
            break;
        }
        let replay = replay_every > 0 && i % replay_every == replay_every - 1;
        let n = match (replay, last_new) {
            (true, Some(earlier)) => {
                report.replays_sent += 1;
                earlier
            }
            _ => {
                last_new = Some(i);
                i
            }
        };
        let payload = body(&run, n);
        let request = format!(
            "POST /collect HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nIdempotency-Key: {run}-{n}\r\nContent-Length: {}\r\n\r\n{payload}",
            payload.len()
        );
        report.posts += 1;
        if stream.is_none() {
            stream = TcpStream::connect(addr).await.ok().map(BufReader::new);
        }
        let Some(conn) = stream.as_mut() else {
            report.errors += 1;
            continue;
        };
        match exchange(conn, request.as_bytes()).await {
            Ok((status, replayed, keep)) => {
                *report.statuses.entry(status).or_default() += 1;
                report.replays_acknowledged += u64::from(replayed);
                if !keep {
                    stream = None;
                }
            }
            Err(_) => {
                report.errors += 1;
                stream = None;
            }
        }
    }
    report
}

/// Writes one request and reads its answer: status, replay mark, keep-alive.
async fn exchange(conn: &mut BufReader<TcpStream>, request: &[u8]) -> std::io::Result<(u16, bool, bool)> {
    conn.get_mut().write_all(request).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let (mut length, mut replayed, mut keep) = (0usize, false, true);
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else { continue };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "idempotent-replayed" => replayed = value == "true",
            "connection" => keep = !value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).await?;
    Ok((status, replayed, keep))
}
