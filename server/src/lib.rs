//! `feedback-receiver`: the receiving end of the feedback widget.
//!
//! - `POST /collect` (open to the widget): validates a payload, stores it
//!   once per `id`, answers CORS for the configured origins, limits posts
//!   per client IP.
//! - `/inbox` (behind a password): the team's view, server-rendered HTML
//!   that works without JavaScript; `/inbox/export.csv`; `/responses` as
//!   JSON for scripts.
//! - Notifications ([`notify`]): webhooks, Slack, e-mail, from an outbox
//!   written with each answer; `/inbox/events` for the live inbox.
//! - `GET /healthz`, structured logs, graceful shutdown.
//! - Bounded connections (`connections`, [`serve`]): a request head must arrive within
//!   `--header-timeout`, an answer within `--request-timeout`, and at most
//!   `--max-connections` are served at once.
//!
//! Storage is SQLite by default and PostgreSQL when `DATABASE_URL` says so
//! ([`db`]); both are migrated on start.

pub mod accounts;
pub mod auth;
mod cli;
pub mod clock;
pub mod config;
mod connections;
pub mod db;
pub mod demo;
mod demo_sink;
mod faults;
mod inbox;
mod ingest;
pub mod limit;
pub mod load;
pub mod notify;
pub mod proxy;
pub mod record;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::HttpBody;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowHeaders, AllowOrigin, Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;

use config::{Config, Origins};
pub use connections::{serve, Limits};
use db::Db;

/// The largest body accepted, in bytes: the wire contract's, which every
/// payload the widget can build fits.
pub const BODY_LIMIT: usize = feedback_contract::limits::MAX_BODY_BYTES;

pub struct Shared {
    db: Db,
    origins: Origins,
    limit: Option<limit::RateLimit>,
    /// `--trusted-proxy` (and the deprecated `--trust-proxy`): only from
    /// these peers do forwarding headers reach the handlers.
    proxies: Vec<proxy::Cidr>,
    /// Whether any proxy is trusted. A request's `X-Forwarded-*` headers
    /// were sent by one of them when this is true and they are present
    /// (`log_request` removes them from anyone else).
    trust_proxy: bool,
    /// `--public-url`, as an origin (`https://feedback.example.com`).
    public_url: Option<String>,
    cookie_secure: bool,
    faults: Option<Arc<faults::Faults>>,
    /// The notification destinations, named and without secrets (the
    /// admin page lists them).
    destinations: Vec<(String, String)>,
}

#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Why `database` did not open, for the operator: what the receiver can
/// tell (a missing directory), else the database's own words.
pub fn cannot_open(database: &config::Database, e: &sqlx::Error) -> String {
    match database.open_problem() {
        Some(problem) => format!("cannot open the database {database}: {problem}"),
        None => format!("cannot open the database {database}: {e}"),
    }
}

/// Opens the database (migrating it) and builds the service.
pub async fn app(config: &Config) -> Result<(Router, Db), String> {
    let db =
        Db::open_with(&config.database, config.notify.routes()).await.map_err(|e| cannot_open(&config.database, &e))?;
    if config.seed_demo {
        let added = demo::seed(&db, clock::now_ms()).await.map_err(|e| format!("seeding demo data: {e}"))?;
        tracing::info!(added, "demo data");
    }
    if let Some(password) = &config.inbox_password {
        let created =
            accounts::bootstrap_admin(&db, password).await.map_err(|e| format!("creating the first admin: {e}"))?;
        if created {
            tracing::info!(
                user = accounts::FIRST_ADMIN,
                "no account yet: created the first admin from the inbox password"
            );
        }
    }
    tokio::spawn(housekeeping(db.clone(), config.retention_days));
    notify::adopt(&db, &config.notify).await?;
    notify::start(&db, &config.notify, config.public_url.clone())?;
    let faults = config.faults.then(|| Arc::new(faults::Faults::default()));
    let state = AppState(Arc::new(Shared {
        db: db.clone(),
        origins: config.origins.clone(),
        limit: limit::RateLimit::per_minute(config.rate_limit, config.rate_limit.div_ceil(2)),
        trust_proxy: !config.proxies().is_empty(),
        proxies: config.proxies(),
        public_url: config.public_url.clone(),
        cookie_secure: config.cookie_secure,
        faults: faults.clone(),
        destinations: config.notify.shown(),
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
    if config.static_dir.is_some() {
        router = router.merge(demo_sink::routes(config.demo_sink, config.notify.webhook_secret.as_deref()));
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
            // Whatever headers the page asks for (the widget's
            // `data-headers` are a site's own): the receiver reads none of
            // them, and a refused preflight looks to the page like a
            // network failure, leaving the answer queued.
            .allow_headers(AllowHeaders::mirror_request())
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}

/// Every hour: forget failed-attempt counts of past windows, and with
/// `--retention-days` delete older answers (logged and audited).
async fn housekeeping(db: Db, retention_days: Option<u32>) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        let now = clock::now_ms();
        if let Err(e) = db.forget_failures(now - 2 * inbox::LONGEST_WINDOW_MS).await {
            tracing::warn!(error = %e, "forgetting old failed attempts");
        }
        if let Some(days) = retention_days {
            match db.expire(now - i64::from(days) * clock::DAY_MS).await {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(deleted = n, days, "retention: deleted older answers");
                    db.audit(now, "system", "retention", &format!("{n} answers older than {days} days"), "").await;
                }
                Err(e) => tracing::error!(error = %e, "retention: deleting older answers failed"),
            }
        }
    }
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
/// ([`OverHttps`]) and so whether its session cookie is the `Secure` one
/// ([`ingest::SECURE_COOKIE`]), and writes one structured log line per request.
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
    let headers = request.headers_mut();
    headers.remove(ingest::SECURE_COOKIE);
    if https || state.cookie_secure {
        headers.insert(ingest::SECURE_COOKIE, HeaderValue::from_static("1"));
    }
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
