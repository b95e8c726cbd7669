//! How connections are served: an accept loop over hyper's HTTP/1
//! connections with a header timeout, a cap on how many are open at once
//! (fitted under the file-descriptor limit), and a graceful shutdown. The
//! request timeout is a layer of the router (`lib.rs`), not here. Nothing
//! here knows a route.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower::{Service, ServiceExt};

use crate::config::Config;
use crate::db::Db;

/// How long shutdown waits for in-flight requests before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

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
/// connections stayed open forever. A connection that has not sent a whole
/// request head within `limits.header_timeout` of being accepted, or of its
/// last answer, is closed; hyper arms that timer again each time a
/// keep-alive connection goes idle, so it bounds idle connections too. At
/// most `limits.max_connections` are served at once (fewer if the file
/// descriptor limit is lower; see `connection_cap`): at the cap the loop
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
    let closing = db.clone();
    let signalled = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        // Ends the live inbox's streams, which would otherwise hold their
        // connections open until the grace period runs out.
        closing.begin_closing();
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
