//! Local destinations for the notification tests, on 127.0.0.1, bounded
//! in time: an HTTP sink that answers as told (200, an error status, or
//! never, until its client gives up) and records every request, and a
//! small SMTP sink that accepts and records every message, in clear or
//! over TLS (STARTTLS or implicit) with a certificate the test makes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

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
    /// Whether it came over TLS.
    pub tls: bool,
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

/// How the SMTP sink speaks TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Offers STARTTLS after EHLO (`smtp://...?tls=required`).
    StartTls,
    /// TLS from the first byte (`smtps://`).
    Implicit,
}

/// A certificate for 127.0.0.1 and localhost, self-signed, made now.
pub struct TestCert {
    pub pem: String,
    der: rustls::pki_types::CertificateDer<'static>,
    key: Vec<u8>,
}

impl TestCert {
    pub fn new() -> TestCert {
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        TestCert { pem: made.cert.pem(), der: made.cert.der().clone(), key: made.signing_key.serialize_der() }
    }

    /// Writes the certificate (PEM) into `dir`, for `--smtp-ca`.
    pub fn write(&self, dir: &std::path::Path, name: &str) -> std::path::PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, &self.pem).unwrap();
        path
    }

    fn acceptor(&self) -> TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(self.key.clone().into());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![self.der.clone()], key)
            .unwrap();
        TlsAcceptor::from(Arc::new(config))
    }
}

impl Default for TestCert {
    fn default() -> Self {
        TestCert::new()
    }
}

#[derive(Default)]
struct Smtp {
    mails: Mutex<Vec<Mail>>,
    /// What each connection said and what happened to it, in order:
    /// `plain: EHLO ...`, `tls: MAIL FROM:...`, `handshake failed: ...`.
    log: Mutex<Vec<String>>,
}

impl Smtp {
    fn note(&self, line: String) {
        self.log.lock().unwrap().push(line);
    }
}

/// An SMTP server that accepts everything (no auth), in clear or over TLS.
pub struct SmtpSink {
    pub url: String,
    shared: Arc<Smtp>,
}

impl SmtpSink {
    /// In clear, offering no STARTTLS; `url` is `smtp://127.0.0.1:PORT`.
    pub async fn start() -> SmtpSink {
        SmtpSink::serve(None).await
    }

    /// Over TLS with `cert`; `url` asks for it (`?tls=required` or `smtps://`).
    pub async fn start_tls(mode: SmtpTls, cert: &TestCert) -> SmtpSink {
        SmtpSink::serve(Some((mode, cert.acceptor()))).await
    }

    async fn serve(tls: Option<(SmtpTls, TlsAcceptor)>) -> SmtpSink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let url = match tls.as_ref().map(|t| t.0) {
            None => format!("smtp://{addr}"),
            Some(SmtpTls::StartTls) => format!("smtp://{addr}?tls=required"),
            Some(SmtpTls::Implicit) => format!("smtps://{addr}"),
        };
        let shared: Arc<Smtp> = Arc::default();
        let store = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (store, tls) = (store.clone(), tls.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(60), session(stream, tls, store)).await;
                });
            }
        });
        SmtpSink { url, shared }
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.shared.mails.lock().unwrap().clone()
    }

    /// Everything the sink heard and did, per line (see [`Smtp::log`]).
    pub fn log(&self) -> Vec<String> {
        self.shared.log.lock().unwrap().clone()
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

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

async fn say(io: &mut BufReader<Box<dyn Io>>, answer: &[u8]) -> std::io::Result<()> {
    io.write_all(answer).await?;
    io.flush().await
}

async fn session(
    stream: tokio::net::TcpStream,
    tls: Option<(SmtpTls, TlsAcceptor)>,
    shared: Arc<Smtp>,
) -> std::io::Result<()> {
    let mut secure = false;
    let mut io: Box<dyn Io> = Box::new(stream);
    if let Some((SmtpTls::Implicit, acceptor)) = &tls {
        match acceptor.accept(io).await {
            Ok(s) => {
                io = Box::new(s);
                secure = true;
            }
            Err(e) => {
                shared.note(format!("handshake failed: {e}"));
                return Ok(());
            }
        }
    }
    let starttls = tls.as_ref().filter(|t| t.0 == SmtpTls::StartTls).map(|t| t.1.clone());
    let mut lines = BufReader::new(io);
    say(&mut lines, b"220 sink ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        shared.note(format!("{}: {command}", if secure { "tls" } else { "plain" }));
        let verb = command.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" if starttls.is_some() && !secure => b"250-sink\r\n250-STARTTLS\r\n250 8BITMIME\r\n",
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "STARTTLS" if starttls.is_some() && !secure => {
                say(&mut lines, b"220 go ahead\r\n").await?;
                // The client waits for that answer: nothing is buffered.
                let acceptor = starttls.clone().unwrap();
                match acceptor.accept(lines.into_inner()).await {
                    Ok(s) => {
                        lines = BufReader::new(Box::new(s));
                        secure = true;
                        // RFC 3207: what was said in clear is forgotten.
                        (from, to) = (String::new(), Vec::new());
                        continue;
                    }
                    Err(e) => {
                        shared.note(format!("handshake failed: {e}"));
                        return Ok(());
                    }
                }
            }
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
                say(&mut lines, b"354 go on\r\n").await?;
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
                let mail = Mail { from: std::mem::take(&mut from), to: std::mem::take(&mut to), data, tls: secure };
                shared.mails.lock().unwrap().push(mail);
                b"250 queued\r\n"
            }
            "QUIT" => {
                say(&mut lines, b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 not here\r\n",
        };
        say(&mut lines, answer).await?;
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
