//! `feedback-receiver`: a small receiving endpoint for the feedback widget.
//!
//! - `POST /collect` validates a payload (16 KB at most), stores it in
//!   SQLite once per `id` (a replay answers 200 with the original result,
//!   marked `Idempotent-Replayed: true`), and answers CORS requests from
//!   any origin (exposing `Retry-After`).
//! - `GET /responses` lists what was stored, newest first, as JSON.
//! - `GET /healthz` answers `ok`.
//! - With `--static DIR`, serves `DIR/index.html` at `/` and the rest of
//!   `DIR` (the demo page and `dist/`).
//!
//! It prints `listening on http://ADDR` once the socket is bound, so a test
//! can start it on port 0 and read the port. With `--faults` (tests only)
//! it also takes `POST /_faults` (answers to give the next posts: a status,
//! `Retry-After`, a delay) and reports `GET /_stats` (posts and CORS
//! preflights seen), so delivery can be tested against a receiver that
//! misbehaves on purpose.

mod faults;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

use store::{Store, Stored};

/// The largest body accepted, in bytes.
const BODY_LIMIT: usize = 16 * 1024;

const USAGE: &str = "usage: feedback-receiver [--listen ADDR] [--db PATH] [--static DIR] [--faults]

  --listen ADDR   address to bind (default 127.0.0.1:8080; env FEEDBACK_LISTEN)
  --db PATH       SQLite file (default feedback.sqlite; env FEEDBACK_DB)
  --static DIR    also serve DIR (index.html at /), for the demo
  --faults        enable POST /_faults and GET /_stats (for tests only)
  --help          this text";

struct Config {
    listen: SocketAddr,
    db: PathBuf,
    static_dir: Option<PathBuf>,
    faults: bool,
}

fn parse_args() -> Result<Config, String> {
    let mut listen = std::env::var("FEEDBACK_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut db = std::env::var("FEEDBACK_DB").unwrap_or_else(|_| "feedback.sqlite".into());
    let mut static_dir = None;
    let mut faults = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n\n{USAGE}"));
        match arg.as_str() {
            "--listen" => listen = value()?,
            "--db" => db = value()?,
            "--static" => static_dir = Some(PathBuf::from(value()?)),
            "--faults" => faults = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    let listen = listen.parse().map_err(|e| format!("--listen {listen:?}: {e}"))?;
    Ok(Config { listen, db: PathBuf::from(db), static_dir, faults })
}

#[tokio::main]
async fn main() {
    let config = match parse_args() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("feedback-receiver: {message}");
            std::process::exit(2);
        }
    };
    let store = match Store::open(&config.db) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            eprintln!("feedback-receiver: cannot open {}: {e}", config.db.display());
            std::process::exit(1);
        }
    };
    let app = app(store, config.static_dir.as_deref(), config.faults);
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("feedback-receiver: cannot listen on {}: {e}", config.listen);
            std::process::exit(1);
        }
    };
    let addr = listener.local_addr().expect("a bound socket has an address");
    println!("listening on http://{addr}");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        eprintln!("feedback-receiver: {e}");
        std::process::exit(1);
    }
}

#[derive(Clone)]
pub struct AppState {
    store: Arc<Store>,
    faults: Option<Arc<faults::Faults>>,
}

fn app(store: Arc<Store>, static_dir: Option<&std::path::Path>, with_faults: bool) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::POST, Method::GET, Method::OPTIONS])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600));
    let faults = with_faults.then(|| Arc::new(faults::Faults::default()));
    let state = AppState { store, faults: faults.clone() };
    let mut routes = Router::new()
        .route("/collect", post(collect))
        .route("/responses", get(responses))
        .route("/healthz", get(|| async { "ok" }))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }));
    if faults.is_some() {
        routes = routes.route("/_faults", post(faults::add)).route("/_stats", get(faults::stats));
    }
    let mut router = routes.layer(DefaultBodyLimit::max(BODY_LIMIT)).layer(cors).with_state(state);
    if let Some(dir) = static_dir {
        router = router.route_service("/", ServeFile::new(dir.join("index.html"))).fallback_service(ServeDir::new(dir));
    }
    if let Some(faults) = faults {
        router = router.layer(axum::middleware::from_fn_with_state(faults, faults::count));
    }
    router
}

async fn collect(State(state): State<AppState>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    if let Some(faults) = &state.faults {
        if let Some(answer) = faults.next().await {
            return answer;
        }
    }
    let payload: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad_request(&format!("body is not JSON: {e}")),
    };
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let record = match store::Record::from_payload(&payload, key) {
        Ok(record) => record,
        Err(reason) => return bad_request(&reason),
    };
    let store = state.store;
    match tokio::task::spawn_blocking(move || store.insert(&record)).await {
        Ok(Ok(Stored::New(id))) => (StatusCode::CREATED, Json(json!({ "id": id, "stored": true }))).into_response(),
        // A replay gets the original answer (as 200), marked as a replay.
        Ok(Ok(Stored::Duplicate(id))) => {
            (StatusCode::OK, [("idempotent-replayed", "true")], Json(json!({ "id": id, "stored": true })))
                .into_response()
        }
        Ok(Err(e)) => {
            eprintln!("feedback-receiver: storing failed: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": "storage unavailable" }))).into_response()
        }
        Err(e) => {
            eprintln!("feedback-receiver: storing task failed: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({ "error": "internal error" }))).into_response()
        }
    }
}

async fn responses(State(state): State<AppState>) -> Response {
    let store = state.store;
    match tokio::task::spawn_blocking(move || store.list(500)).await {
        Ok(Ok(rows)) => Json(rows).into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "error": "storage unavailable" }))).into_response(),
    }
}

fn bad_request(reason: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": reason }))).into_response()
}
