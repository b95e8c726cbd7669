//! `feedback-receiver`: the receiving end of the feedback widget.
//!
//! - `POST /collect` (open to the widget): validates a payload, stores it
//!   once per `id`, answers CORS for the configured origins, limits posts
//!   per client IP.
//! - `/inbox` (behind a password): the team's view, server-rendered HTML
//!   that works without JavaScript; `/inbox/export.csv`; `/responses` as
//!   JSON for scripts.
//! - `GET /healthz`, structured logs, graceful shutdown.
//! - Bounded connections ([`serve`]): a request head must arrive within
//!   `--header-timeout`, an answer within `--request-timeout`, and at most
//!   `--max-connections` are served at once.
//!
//! Storage is SQLite by default and PostgreSQL when `DATABASE_URL` says so
//! ([`db`]); both are migrated on start.

pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
mod faults;
mod inbox;
mod ingest;
pub mod limit;
pub mod load;
pub mod proxy;
pub mod record;

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, HttpBody};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower::{Service, ServiceExt};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;

use config::{Config, Origins};
use db::Db;

/// The largest body accepted, in bytes: the wire contract's, which every
/// payload the widget can build fits.
pub const BODY_LIMIT: usize = feedback_contract::limits::MAX_BODY_BYTES;
/// How long shutdown waits for in-flight requests before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

pub struct Shared {
    db: Db,
    origins: Origins,
    limit: Option<limit::RateLimit>,
    login_limit: limit::RateLimit,
    /// `--trusted-proxy` (and the deprecated `--trust-proxy`): only from
    /// these peers do forwarding headers reach the handlers.
    proxies: Vec<proxy::Cidr>,
    /// Whether any proxy is trusted. A request's `X-Forwarded-*` headers
    /// were sent by one of them when this is true and they are present
    /// (`log_request` removes them from anyone else).
    trust_proxy: bool,
    /// `--public-url`, as an origin (`https://feedback.example.com`).
    public_url: Option<String>,
    auth: Option<auth::Auth>,
    cookie_secure: bool,
    faults: Option<Arc<faults::Faults>>,
}

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Opens the database (migrating it) and builds the service.
pub async fn app(config: &Config) -> Result<(Router, Db), String> {
    let db = Db::open(&config.database).await.map_err(|e| format!("cannot open the database: {e}"))?;
    if config.seed_demo {
        let added = demo::seed(&db, clock::now_ms()).await.map_err(|e| format!("seeding demo data: {e}"))?;
        tracing::info!(added, "demo data");
    }
    let faults = config.faults.then(|| Arc::new(faults::Faults::default()));
    let state = AppState(Arc::new(Shared {
        db: db.clone(),
        origins: config.origins.clone(),
        limit: limit::RateLimit::per_minute(config.rate_limit, config.rate_limit.div_ceil(2)),
        login_limit: limit::RateLimit::per_minute(10, 5).expect("a positive limit"),
        proxies: config.proxies(),
        trust_proxy: !config.proxies().is_empty(),
        public_url: config.public_url.clone(),
        auth: config.inbox_password.clone().map(auth::Auth::new),
        cookie_secure: config.cookie_secure,
        faults: faults.clone(),
    }));
    Ok((router(state, config, faults), db))
}

fn router(state: AppState, config: &Config, faults: Option<Arc<faults::Faults>>) -> Router {
    let mut collect = Router::new().route("/collect", post(ingest::collect));
    if let Some(cors) = cors(&config.origins) {
        collect = collect.layer(cors);
    }
    let mut routes = Router::new()
        .merge(collect)
        .route("/healthz", get(healthz))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .merge(inbox::routes());
    if faults.is_some() {
        routes = routes.route("/_faults", post(faults::add)).route("/_stats", get(faults::stats));
    }
    let mut router = routes.layer(DefaultBodyLimit::max(BODY_LIMIT)).with_state(state.clone());
    if let Some(dir) = &config.static_dir {
        router = router.route_service("/", ServeFile::new(dir.join("index.html"))).fallback_service(ServeDir::new(dir));
    }
    if let Some(faults) = faults {
        router = router.layer(axum::middleware::from_fn_with_state(faults, faults::count));
    }
    // Inside the log line, so a request that timed out is logged as a 408.
    let secs = config.request_timeout.as_secs();
    router
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, config.request_timeout))
        .layer(axum::middleware::map_response(move |r: Response| async move { timed_out(r, secs) }))
        .layer(axum::middleware::from_fn_with_state(state, log_request))
}

/// `TimeoutLayer` answers an empty 408; say what happened, and close the
/// connection (the request's body may be half read). No handler answers
/// 408 itself.
fn timed_out(response: Response, secs: u64) -> Response {
    if response.status() != StatusCode::REQUEST_TIMEOUT || response.body().size_hint().exact() != Some(0) {
        return response;
    }
    let text = format!("request timed out: not answered within {secs} s (see --request-timeout)\n");
    (StatusCode::REQUEST_TIMEOUT, [(header::CONNECTION, "close")], text).into_response()
}

fn cors(origins: &Origins) -> Option<CorsLayer> {
    let allow = match origins {
        Origins::SameOrigin => return None,
        Origins::Any => AllowOrigin::from(Any),
        Origins::List(list) => AllowOrigin::list(list.iter().filter_map(|o| HeaderValue::from_str(o).ok())),
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::POST, Method::OPTIONS])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static("idempotency-key"),
                HeaderName::from_static("x-api-key"),
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}

/// `ok` when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// The client's IP as [`proxy::client_ip`] found it, once per request
/// (the log line and the rate limits read the same value).
#[derive(Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// Whether the request reached us over https, as far as we can tell
/// ([`Shared::over_https`]); the inbox sends HSTS when it did.
#[derive(Clone, Copy)]
pub struct OverHttps(pub bool);

impl Shared {
    /// A trusted proxy's `X-Forwarded-Proto` decides when it sent one (the
    /// right-most value, the one our proxy wrote); otherwise an https
    /// `--public-url` or `--cookie-secure` says the receiver is only
    /// reached over https. Call after untrusted forwarding headers are
    /// removed.
    fn over_https(&self, headers: &HeaderMap) -> bool {
        let forwarded = headers
            .get_all("x-forwarded-proto")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|proto| proto.trim().eq_ignore_ascii_case("https"));
        match forwarded {
            Some(https) if self.trust_proxy => https,
            _ => self.cookie_secure || self.public_url.as_deref().is_some_and(|u| u.starts_with("https://")),
        }
    }
}

/// Finds the client's IP for the handlers, removes forwarding headers that
/// no trusted proxy sent, states the receiver's own origins for this
/// request ([`ingest::OWN_ORIGINS`]) and whether it came over https
/// ([`OverHttps`]), and writes one structured log line per request.
async fn log_request(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let via_proxy = proxy::trusted(&state.proxies, peer);
    if !via_proxy {
        proxy::strip_forwarding(request.headers_mut());
    }
    let client = proxy::client_ip(&state.proxies, peer, request.headers());
    let own = ingest::own_origins(state.public_url.as_deref(), via_proxy, request.headers()).join(" ");
    let headers = request.headers_mut();
    headers.remove(ingest::OWN_ORIGINS);
    if let Ok(own) = HeaderValue::from_str(&own) {
        headers.insert(ingest::OWN_ORIGINS, own);
    }
    request.extensions_mut().insert(ClientIp(client));
    let https = state.over_https(request.headers());
    request.extensions_mut().insert(OverHttps(https));
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if path == "/healthz" {
        tracing::debug!(target: "http", %method, path, status, ms, %client);
    } else if status >= 500 {
        tracing::warn!(target: "http", %method, path, status, ms, %client);
    } else {
        tracing::info!(target: "http", %method, path, status, ms, %client);
    }
    response
}

/// How [`serve`] bounds connections.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A request head (the request line and headers) must arrive within
    /// this, counted from when the connection is accepted or from its last
    /// answer: it bounds slow heads and idle keep-alive connections alike.
    pub header_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
}

impl From<&Config> for Limits {
    fn from(config: &Config) -> Limits {
        Limits { header_timeout: config.header_timeout, max_connections: config.max_connections }
    }
}

/// File descriptors kept for the database, logs and files when the
/// connection cap is fitted under the process's limit.
const FD_RESERVE: u64 = 64;

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish (up to 30 s) and closes the database.
///
/// Connections are HTTP/1.1, served by hyper's HTTP/1 builder (with
/// hyper-util's Tokio glue and graceful shutdown). Not hyper-util's `auto`
/// builder, which `axum::serve` uses: it first waits for the bytes that
/// tell HTTP/1 from HTTP/2 with no timeout at all (and `axum::serve` sets
/// no timer, so hyper's header timeout never ran), which is how stalled
/// connections stayed open forever. A connection that has not sent a whole request head within
/// `limits.header_timeout` of being accepted, or of its last answer, is
/// closed; hyper arms that timer again each time a keep-alive connection
/// goes idle, so it bounds idle connections too. At most
/// `limits.max_connections` are served at once (fewer if the file
/// descriptor limit is lower; see [`connection_cap`]): at the cap the loop
/// stops accepting, so new connections wait in the kernel's listen backlog
/// (and are refused once that is full) until a connection closes, which a
/// stalled one does within the header timeout. How long a request may take
/// is the router's `TimeoutLayer` (`--request-timeout`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    db: Db,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let signalled = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_tx.send(true);
    };
    let server = accept_loop(listener, router, limits, signalled);
    let deadline = async move {
        let mut stop = stop_rx;
        let _ = stop.wait_for(|stopped| *stopped).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let result = tokio::select! {
        result = server => result,
        () = deadline => {
            tracing::warn!("requests still running after {} s; stopping anyway", SHUTDOWN_GRACE.as_secs());
            Ok(())
        }
    };
    db.close().await;
    tracing::info!("stopped");
    result
}

/// Accepts connections until `shutdown`, then stops accepting (closing the
/// listener), closes the connections that have not sent a whole request
/// head yet (as `axum::serve` did; the client may send it again), asks the
/// others to finish their request in flight and close, and waits until
/// they have.
async fn accept_loop(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut shutdown = pin!(shutdown);
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    let cap = connection_cap(limits.max_connections, fd_limit());
    let permits = Arc::new(Semaphore::new(cap));
    let graceful = GracefulShutdown::new();
    let (closing, closing_rx) = tokio::sync::watch::channel(false);
    let mut warned_full: Option<Instant> = None;
    loop {
        // A permit first, so at the cap nothing more is accepted.
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if warned_full.is_none_or(|at| at.elapsed() > Duration::from_secs(60)) {
                    tracing::warn!(cap, "connection cap reached: new connections wait until one closes");
                    warned_full = Some(Instant::now());
                }
                tokio::select! {
                    permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_error(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // `ConnectInfo<SocketAddr>` for the handlers, as `axum::serve` gives.
        let service = make_service.call(peer).await.unwrap_or_else(|never| match never {});
        let asked = Arc::new(AtomicBool::new(false));
        let service = TowerToHyperService::new(service.map_request({
            let asked = asked.clone();
            move |r: Request<hyper::body::Incoming>| {
                asked.store(true, Ordering::Relaxed);
                r.map(Body::new)
            }
        }));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let mut closing = closing_rx.clone();
        tokio::spawn(async move {
            let mut connection = pin!(connection);
            let done = tokio::select! {
                result = &mut connection => Some(result),
                _ = closing.wait_for(|closing| *closing) => None,
            };
            let result = match done {
                Some(result) => result,
                // Shutting down, and not a request yet: close it now rather
                // than wait out its header timeout.
                None if !asked.load(Ordering::Relaxed) => Ok(()),
                None => connection.await,
            };
            if let Err(e) = result {
                // A header timeout, a client that went away, a malformed head.
                tracing::debug!(target: "http", %peer, error = %e, "connection closed");
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = closing.send(true);
    graceful.shutdown().await;
    Ok(())
}

/// Waits a little after a failed `accept`: a connection that was reset
/// before we took it is nothing, but running out of file descriptors
/// (EMFILE) would otherwise spin.
async fn accept_error(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(e.kind(), ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused) {
        return;
    }
    tracing::error!(error = %e, "accept failed; retrying in 100 ms");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// `--max-connections`, lowered (with a warning) so that it fits under the
/// process's file-descriptor limit with [`FD_RESERVE`] to spare: past that
/// limit `accept` fails and so does opening anything else, the database's
/// files included.
fn connection_cap(max_connections: usize, fd_limit: Option<u64>) -> usize {
    let Some(limit) = fd_limit else { return max_connections };
    let fits = limit.saturating_sub(FD_RESERVE.min(limit / 4)).max(1);
    if (max_connections as u64) <= fits {
        return max_connections;
    }
    let fits = fits as usize;
    tracing::warn!(
        max_connections,
        fd_limit = limit,
        cap = fits,
        "--max-connections is above what the file-descriptor limit allows; serving at most {fits} connections \
         (raise `ulimit -n` / LimitNOFILE to allow more)"
    );
    fits
}

/// The soft limit on open files, if there is one.
#[cfg(unix)]
fn fd_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every platform
    (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
fn fd_limit() -> Option<u64> {
    None
}

/// A receiver running inside this process (for tests): its address, and
/// a way to stop it that waits until it has.
pub struct Running {
    pub addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Starts a receiver for `config` on its `listen` address (port 0: any free one).
pub async fn start(config: &Config) -> Result<Running, String> {
    let (router, db) = app(config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| format!("listen: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, router, db, Limits::from(config), async move {
        let _ = stopped.await;
    }));
    Ok(Running { addr, stop, task })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_fits_under_the_descriptor_limit() {
        assert_eq!(connection_cap(1024, None), 1024);
        assert_eq!(connection_cap(1024, Some(20_000)), 1024);
        assert_eq!(connection_cap(1024, Some(1088)), 1024, "64 to spare");
        assert_eq!(connection_cap(1024, Some(1024)), 960);
        assert_eq!(connection_cap(1024, Some(256)), 192);
        assert_eq!(connection_cap(1024, Some(40)), 30, "a quarter to spare when the limit is tiny");
        assert_eq!(connection_cap(1024, Some(1)), 1);
    }
}
