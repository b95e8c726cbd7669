//! Local destinations for the notification tests, on 127.0.0.1, bounded
//! in time: an HTTP sink that answers as told (200, an error status, or
//! never, until its client gives up) and records every request, and a
//! small SMTP sink that accepts and records every message.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// How the HTTP sink answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Ok,
    /// This status, at once.
    Fail(u16),
    /// Never (the request is dropped when its client gives up).
    Hang,
    /// 200 after this long.
    Slow(Duration),
}

/// One request the sink received.
#[derive(Clone, Debug)]
pub struct Hit {
    pub at: Instant,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
    /// The status it was answered with; `None` while it hangs (or if it
    /// was dropped unanswered).
    pub answered: Option<u16>,
}

impl Hit {
    pub fn delivery(&self) -> String {
        self.headers.get("feedback-delivery").cloned().unwrap_or_default()
    }
}

#[derive(Default)]
struct Shared {
    mode: Mutex<Option<Mode>>,
    hits: Mutex<Vec<Hit>>,
}

pub struct HttpSink {
    pub url: String,
    shared: Arc<Shared>,
}

impl HttpSink {
    /// A sink on a free port, answering `mode`; requests go to any path.
    pub async fn start(mode: Mode) -> HttpSink {
        let shared = Arc::new(Shared { mode: Mutex::new(Some(mode)), hits: Mutex::default() });
        let app = Router::new().route("/{*path}", post(hit)).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        HttpSink { url, shared }
    }

    pub fn set(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = Some(mode);
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// Requests answered 2xx, per delivery id.
    pub fn acknowledged(&self) -> HashMap<String, usize> {
        let mut n = HashMap::new();
        for h in self.hits().iter().filter(|h| h.answered.is_some_and(|s| (200..300).contains(&s))) {
            *n.entry(h.delivery()).or_default() += 1;
        }
        n
    }

    /// Bodies of requests answered 2xx.
    pub fn delivered_bodies(&self) -> Vec<String> {
        self.hits()
            .into_iter()
            .filter(|h| h.answered.is_some_and(|s| (200..300).contains(&s)))
            .map(|h| h.body)
            .collect()
    }

    /// Waits (at most `within`) until `done` says the hits are enough.
    pub async fn wait_for(&self, within: Duration, done: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
        let deadline = Instant::now() + within;
        loop {
            let hits = self.hits();
            if done(&hits) || Instant::now() > deadline {
                return hits;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn hit(
    State(shared): State<Arc<Shared>>,
    axum::extract::Path(path): axum::extract::Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mode = shared.mode.lock().unwrap().unwrap_or(Mode::Ok);
    let headers: HashMap<String, String> =
        headers.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
    let index = {
        let mut hits = shared.hits.lock().unwrap();
        hits.push(Hit {
            at: Instant::now(),
            path: format!("/{path}"),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            answered: None,
        });
        hits.len() - 1
    };
    let status = match mode {
        Mode::Ok => 200,
        Mode::Fail(status) => status,
        Mode::Hang => {
            // Dropped (unanswered) when the client closes the connection.
            tokio::time::sleep(Duration::from_secs(600)).await;
            504
        }
        Mode::Slow(wait) => {
            tokio::time::sleep(wait).await;
            200
        }
    };
    shared.hits.lock().unwrap()[index].answered = Some(status);
    StatusCode::from_u16(status).unwrap()
}

/// One message the SMTP sink accepted.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent (dot-stuffing undone).
    pub data: String,
}

impl Mail {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_owned())
    }
}

/// An SMTP server that accepts everything (no TLS, no auth).
pub struct SmtpSink {
    pub url: String,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
        let store = mails.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(60), session(stream, store)).await;
                });
            }
        });
        SmtpSink { url, mails }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }

    pub async fn wait_for(&self, within: Duration, done: impl Fn(&[Mail]) -> bool) -> Vec<Mail> {
        let deadline = Instant::now() + within;
        loop {
            let mails = self.mails();
            if done(&mails) || Instant::now() > deadline {
                return mails;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn session(stream: tokio::net::TcpStream, store: Arc<Mutex<Vec<Mail>>>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "HELO" | "NOOP" => b"250 ok\r\n",
            "RSET" => {
                (from, to) = (String::new(), Vec::new());
                b"250 ok\r\n"
            }
            "MAIL" => {
                from = command.split_once(':').map(|(_, a)| a.trim().to_owned()).unwrap_or_default();
                b"250 ok\r\n"
            }
            "RCPT" => {
                to.push(command.split_once(':').map(|(_, a)| a.trim().to_owned()).unwrap_or_default());
                b"250 ok\r\n"
            }
            "DATA" => {
                write.write_all(b"354 go on\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let data = data.replace("\r\n", "\n");
                let data = if data.contains("Content-Transfer-Encoding: quoted-printable") {
                    quoted_printable(&data)
                } else {
                    data
                };
                store.lock().unwrap().push(Mail { from: std::mem::take(&mut from), to: std::mem::take(&mut to), data });
                b"250 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not here\r\n",
        };
        write.write_all(answer).await?;
    }
}

/// Undoes quoted-printable (soft line breaks and `=XX`), for reading.
fn quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
