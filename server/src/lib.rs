//! `feedback-receiver`: the receiving end of the feedback widget.
//!
//! - `POST /collect` (open to the widget): validates a payload, stores it
//!   once per `id`, answers CORS for the configured origins, limits posts
//!   per client IP.
//! - `/inbox` (behind a password): the team's view, server-rendered HTML
//!   that works without JavaScript; `/inbox/export.csv`; `/responses` as
//!   JSON for scripts.
//! - `GET /healthz`, structured logs, graceful shutdown.
//!
//! Storage is SQLite by default and PostgreSQL when `DATABASE_URL` says so
//! ([`db`]); both are migrated on start.

pub mod accounts;
pub mod auth;
mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
mod faults;
mod inbox;
mod ingest;
pub mod limit;
pub mod load;
pub mod record;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

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
    trust_proxy: bool,
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
    let faults = config.faults.then(|| Arc::new(faults::Faults::default()));
    let state = AppState(Arc::new(Shared {
        db: db.clone(),
        origins: config.origins.clone(),
        limit: limit::RateLimit::per_minute(config.rate_limit, config.rate_limit.div_ceil(2)),
        trust_proxy: config.trust_proxy,
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
    router.layer(axum::middleware::from_fn_with_state(state, log_request))
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

impl Shared {
    /// The client's IP: the socket's peer, or with `--trust-proxy` the last
    /// `X-Forwarded-For` hop (the one our proxy added).
    fn client_ip(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> std::net::IpAddr {
        let forwarded = || {
            let value = headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
            value.rsplit(',').next()?.trim().parse().ok()
        };
        self.trust_proxy
            .then(forwarded)
            .flatten()
            .or(peer.map(|p| p.ip()))
            .unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]))
    }
}

/// The client's IP as [`Shared::client_ip`] found it, once per request
/// (the log line and the rate limits read the same value).
#[derive(Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// Finds the client's IP for the handlers, and writes one structured log
/// line per request.
async fn log_request(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let client = state.client_ip(peer, request.headers());
    request.extensions_mut().insert(ClientIp(client));
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

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish (up to 30 s) and closes the database.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    db: Db,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let signalled = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stop_tx.send(true);
    };
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, service).with_graceful_shutdown(signalled);
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
    let task = tokio::spawn(serve(listener, router, db, async move {
        let _ = stopped.await;
    }));
    Ok(Running { addr, stop, task })
}
