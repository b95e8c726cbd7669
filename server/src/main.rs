//! `feedback-receiver`: see `--help` and its operator's guide, `docs/receiver.md`.

use feedback_receiver::config::{Command, Config, Origins};

#[tokio::main]
async fn main() {
    let config = match Config::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            println!("{}", feedback_receiver::config::USAGE);
            return;
        }
        Ok(Command::AdminHelp) => {
            println!("{}", feedback_receiver::accounts::USAGE);
            return;
        }
        Ok(Command::Admin(database, command)) => admin(database, command).await,
        Err(message) => {
            eprintln!("feedback-receiver: {message}");
            std::process::exit(2);
        }
    };
    init_logs(&config);
    let (router, db) = match feedback_receiver::app(&config).await {
        Ok(app) => app,
        Err(message) => fail(&message),
    };
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(e) => fail(&format!("cannot listen on {}: {e}", config.listen)),
    };
    let addr = listener.local_addr().expect("a bound socket has an address");
    // `Database` displays without the URL's user and password.
    let proxies: Vec<String> = config.proxies().iter().map(|c| c.to_string()).collect();
    tracing::info!(%addr, store = %config.database, origins = ?config.origins, rate_limit = config.rate_limit,
        retention_days = config.retention_days, trusted_proxies = ?proxies, public_url = ?config.public_url,
        "listening");
    if config.origins == Origins::SameOrigin {
        tracing::warn!("only pages served from this receiver's own origin may post; set --allow-origin for your site");
    }
    if config.public_url.is_none() && !config.proxies().is_empty() {
        tracing::warn!(
            "behind a proxy without --public-url, form posts are checked against the Host the proxy passes on; \
             set --public-url (FEEDBACK_PUBLIC_URL) to the address people use"
        );
    } else if config.public_url.is_none() && !config.listen.ip().is_loopback() {
        tracing::warn!(
            "without --public-url, the inbox's forms work only from an IP address or localhost, not from a name \
             (which DNS rebinding could borrow); set --public-url (FEEDBACK_PUBLIC_URL) to the address people use"
        );
    }
    if config.trust_proxy {
        tracing::warn!(
            "--trust-proxy (FEEDBACK_TRUST_PROXY) is deprecated: it now trusts forwarding headers only from \
             127.0.0.0/8 and ::1; name your proxies with --trusted-proxy CIDR (FEEDBACK_TRUSTED_PROXIES)"
        );
    }
    // Tests and scripts start the receiver on port 0 and read this line.
    println!("listening on http://{addr}");
    let limits = feedback_receiver::Limits::from(&*config);
    if let Err(e) = feedback_receiver::serve(listener, router, db, limits, shutdown_signal()).await {
        fail(&e.to_string());
    }
}

/// `user`, `token`, `erase`, `export`: against the database, then exit.
async fn admin(database: feedback_receiver::config::Database, command: feedback_receiver::accounts::Admin) -> ! {
    let db = match feedback_receiver::db::Db::open(&database).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("feedback-receiver: {}", feedback_receiver::cannot_open(&database, &e));
            std::process::exit(1);
        }
    };
    let stdin = std::io::stdin();
    let result = feedback_receiver::accounts::run(&db, command, &mut stdin.lock(), &mut std::io::stdout()).await;
    db.close().await;
    match result {
        Ok(()) => std::process::exit(0),
        Err(message) => {
            eprintln!("feedback-receiver: {message}");
            std::process::exit(2);
        }
    }
}

fn fail(message: &str) -> ! {
    tracing::error!("{message}");
    eprintln!("feedback-receiver: {message}");
    std::process::exit(1);
}

fn init_logs(config: &Config) {
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(config.log_level);
    if config.log_json {
        builder.json().flatten_event(true).with_current_span(false).init();
    } else {
        builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init();
    }
}

/// Ctrl-C or SIGTERM (what `systemctl stop` and container runtimes send).
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
