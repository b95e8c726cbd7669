//! Configuration from flags and the environment (a flag wins over its
//! variable), checked once at start so a mistake is a clear message, not a
//! surprise at the first request.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::proxy::Cidr;

mod origins;
#[cfg(test)]
mod tests;
mod usage;

use origins::{parse_origins, parse_public_url};
pub use usage::USAGE;

/// Where responses are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    /// Why the database cannot be opened, when it is plain from here: the
    /// directory of a SQLite file does not exist (a guide's
    /// `/var/lib/feedback/` on a new machine) or is not a directory.
    pub fn open_problem(&self) -> Option<String> {
        let Database::Sqlite(path) = self else { return None };
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty())?;
        match std::fs::metadata(dir) {
            Err(_) => Some(format!(
                "the directory {} does not exist: create it, writable by the user the receiver runs as",
                dir.display()
            )),
            Ok(meta) if !meta.is_dir() => Some(format!("{} is not a directory", dir.display())),
            Ok(_) => None,
        }
    }
}

impl std::fmt::Display for Database {
    /// For logs: the SQLite path, or the PostgreSQL URL without its user and
    /// password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Database::Postgres(url) => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                write!(f, "{scheme}://{host}")
            }
        }
    }
}

/// Which browser origins may post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origins {
    /// Only pages served from the receiver's own origin.
    SameOrigin,
    /// Any origin (`*`), only when configured so.
    Any,
    List(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub database: Database,
    pub origins: Origins,
    /// Posts per minute per client IP; 0 turns the limit off.
    pub rate_limit: u32,
    /// `--trusted-proxy`: peers whose forwarding headers count.
    pub trusted_proxies: Vec<Cidr>,
    /// The deprecated `--trust-proxy`: trust loopback (see [`Config::proxies`]).
    pub trust_proxy: bool,
    /// `--public-url`, as an origin: `scheme://host[:port]`, lowercase,
    /// without the scheme's default port.
    pub public_url: Option<String>,
    pub inbox_password: Option<String>,
    pub cookie_secure: bool,
    /// Answers older than this many days are deleted.
    pub retention_days: Option<u32>,
    pub log_json: bool,
    pub log_level: tracing::Level,
    pub seed_demo: bool,
    pub static_dir: Option<PathBuf>,
    /// Keep webhook deliveries posted to `/_demo/sink` (the demo only).
    pub demo_sink: bool,
    pub faults: bool,
    /// How long a connection may take to send a request head, and stay
    /// idle between requests.
    pub header_timeout: Duration,
    /// How long a request may take to be answered, its body included.
    pub request_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Webhooks, Slack, e-mail: where answers are pushed.
    pub notify: crate::notify::Settings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: Database::Sqlite(PathBuf::from("feedback.sqlite")),
            origins: Origins::SameOrigin,
            rate_limit: 120,
            trusted_proxies: Vec::new(),
            trust_proxy: false,
            public_url: None,
            inbox_password: None,
            cookie_secure: false,
            retention_days: None,
            log_json: false,
            log_level: tracing::Level::INFO,
            seed_demo: false,
            static_dir: None,
            demo_sink: false,
            faults: false,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
            notify: crate::notify::Settings::default(),
        }
    }
}

impl Config {
    /// The ranges whose forwarding headers count: `--trusted-proxy`, plus
    /// loopback (127.0.0.0/8 and ::1) for the deprecated `--trust-proxy`.
    pub fn proxies(&self) -> Vec<Cidr> {
        let mut ranges = self.trusted_proxies.clone();
        if self.trust_proxy {
            ranges.extend(Cidr::loopback().into_iter().filter(|c| !self.trusted_proxies.contains(c)));
        }
        ranges
    }
}

/// What the command line asked for.
pub enum Command {
    Run(Box<Config>),
    Help,
    /// A command run against the database (`user`, `token`, `erase`, `export`).
    Admin(Database, crate::accounts::Admin),
    AdminHelp,
}

impl Config {
    /// Reads `args` (without the program name) over `env`.
    pub fn parse(
        args: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Command, String> {
        let mut args = args.into_iter().peekable();
        if args.peek().is_some_and(|a| crate::cli::COMMANDS.contains(&a.as_str())) {
            return crate::cli::parse(args, &env);
        }
        let mut raw = Raw {
            listen: env("FEEDBACK_LISTEN"),
            db: env("FEEDBACK_DB"),
            database_url: env("DATABASE_URL").filter(|s| !s.is_empty()),
            origins: env("FEEDBACK_ALLOW_ORIGINS"),
            rate_limit: env("FEEDBACK_RATE_LIMIT"),
            trusted_proxies: env("FEEDBACK_TRUSTED_PROXIES").into_iter().collect(),
            trusted_from_flags: false,
            trust_proxy: flag_env(env("FEEDBACK_TRUST_PROXY"), "FEEDBACK_TRUST_PROXY")?,
            public_url: env("FEEDBACK_PUBLIC_URL").filter(|s| !s.is_empty()),
            password: env("FEEDBACK_INBOX_PASSWORD").filter(|s| !s.is_empty()),
            cookie_secure: flag_env(env("FEEDBACK_COOKIE_SECURE"), "FEEDBACK_COOKIE_SECURE")?,
            retention_days: env("FEEDBACK_RETENTION_DAYS").filter(|s| !s.is_empty()),
            log_format: env("FEEDBACK_LOG_FORMAT"),
            log_level: env("FEEDBACK_LOG_LEVEL"),
            seed_demo: false,
            static_dir: None,
            demo_sink: false,
            faults: false,
            header_timeout: env("FEEDBACK_HEADER_TIMEOUT"),
            request_timeout: env("FEEDBACK_REQUEST_TIMEOUT"),
            max_connections: env("FEEDBACK_MAX_CONNECTIONS"),
            notify: NotifyRaw {
                webhooks: env("FEEDBACK_WEBHOOKS").into_iter().collect(),
                webhook_secret: env("FEEDBACK_WEBHOOK_SECRET"),
                slack: env("FEEDBACK_SLACK_WEBHOOK"),
                smtp: env("FEEDBACK_SMTP_URL"),
                smtp_ca: env("FEEDBACK_SMTP_CA"),
                mail_from: env("FEEDBACK_MAIL_FROM"),
                mail_team: env("FEEDBACK_MAIL_TEAM"),
                timeout: env("FEEDBACK_NOTIFY_TIMEOUT").filter(|s| !s.is_empty()),
            },
            webhooks_from_flags: false,
        };
        while let Some(arg) = args.next() {
            let (name, inline) = split_flag(&arg);
            let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
            match name.as_str() {
                "--listen" => raw.listen = Some(value()?),
                "--db" => raw.db = Some(value()?),
                "--database-url" => raw.database_url = Some(value()?),
                "--allow-origin" => raw.origins = Some(value()?),
                "--rate-limit" => raw.rate_limit = Some(value()?),
                "--trusted-proxy" => {
                    // Flags replace the variable's list; repeated flags add up.
                    if !raw.trusted_from_flags {
                        raw.trusted_proxies.clear();
                        raw.trusted_from_flags = true;
                    }
                    raw.trusted_proxies.push(value()?);
                }
                "--trust-proxy" => raw.trust_proxy = true,
                "--public-url" => raw.public_url = Some(value()?),
                "--inbox-password" => raw.password = Some(value()?),
                "--cookie-secure" => raw.cookie_secure = true,
                "--retention-days" => raw.retention_days = Some(value()?),
                "--log-format" => raw.log_format = Some(value()?),
                "--log-level" => raw.log_level = Some(value()?),
                "--seed-demo" => raw.seed_demo = true,
                "--static" => raw.static_dir = Some(PathBuf::from(value()?)),
                "--demo-sink" => raw.demo_sink = true,
                "--faults" => raw.faults = true,
                "--header-timeout" => raw.header_timeout = Some(value()?),
                "--request-timeout" => raw.request_timeout = Some(value()?),
                "--max-connections" => raw.max_connections = Some(value()?),
                "--webhook" => {
                    // Like --trusted-proxy: flags replace the variable's list.
                    if !raw.webhooks_from_flags {
                        raw.notify.webhooks.clear();
                        raw.webhooks_from_flags = true;
                    }
                    raw.notify.webhooks.push(value()?);
                }
                "--webhook-secret" => raw.notify.webhook_secret = Some(value()?),
                "--slack-webhook" => raw.notify.slack = Some(value()?),
                "--smtp-url" => raw.notify.smtp = Some(value()?),
                "--smtp-ca" => raw.notify.smtp_ca = Some(value()?),
                "--mail-from" => raw.notify.mail_from = Some(value()?),
                "--mail-team" => raw.notify.mail_team = Some(value()?),
                "--notify-timeout" => raw.notify.timeout = Some(value()?),
                "--help" | "-h" => return Ok(Command::Help),
                // A URL given without its flag may hold a token: shown
                // without it, like every URL the receiver prints.
                other if other.contains("://") => {
                    let shown = crate::notify::settings::shown(other);
                    return Err(format!("unknown argument {shown:?}, a URL without its flag (see --help)"));
                }
                other => return Err(format!("unknown argument {other:?} (see --help)")),
            }
        }
        raw.check().map(|c| Command::Run(Box::new(c)))
    }
}

struct Raw {
    listen: Option<String>,
    db: Option<String>,
    database_url: Option<String>,
    origins: Option<String>,
    rate_limit: Option<String>,
    /// Each a CIDR or a comma-separated list of them.
    trusted_proxies: Vec<String>,
    trusted_from_flags: bool,
    trust_proxy: bool,
    public_url: Option<String>,
    password: Option<String>,
    cookie_secure: bool,
    retention_days: Option<String>,
    log_format: Option<String>,
    log_level: Option<String>,
    seed_demo: bool,
    static_dir: Option<PathBuf>,
    demo_sink: bool,
    faults: bool,
    header_timeout: Option<String>,
    request_timeout: Option<String>,
    max_connections: Option<String>,
    notify: NotifyRaw,
    webhooks_from_flags: bool,
}

use crate::notify::settings::Raw as NotifyRaw;

/// A whole number from 1 to `max`, for the flag `name`.
fn positive(value: &str, name: &str, what: &str, max: u64) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(format!("{name} {value:?}: want a whole number of {what} from 1 to {max}")),
    }
}

/// `--name=value` as (`--name`, `Some(value)`); anything else as itself.
pub(crate) fn split_flag(arg: &str) -> (String, Option<String>) {
    match arg.split_once('=') {
        Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
        _ => (arg.to_owned(), None),
    }
}

fn flag_env(value: Option<String>, name: &str) -> Result<bool, String> {
    match value.as_deref().map(str::trim) {
        None | Some("" | "0" | "false" | "no") => Ok(false),
        Some("1" | "true" | "yes") => Ok(true),
        Some(other) => Err(format!("{name}={other:?}: use 1 or 0")),
    }
}

impl Raw {
    fn check(self) -> Result<Config, String> {
        let mut config = Config::default();
        if let Some(listen) = self.listen {
            config.listen =
                listen.parse().map_err(|e| format!("--listen {listen:?}: {e} (want e.g. 127.0.0.1:8080)"))?;
        }
        config.database = match (self.database_url, self.db) {
            (Some(url), _) => parse_database_url(&url)?,
            (None, Some(path)) if !path.is_empty() => Database::Sqlite(PathBuf::from(path)),
            (None, _) => config.database,
        };
        if let Some(list) = self.origins {
            config.origins = parse_origins(&list)?;
        }
        if let Some(n) = self.rate_limit {
            config.rate_limit =
                n.trim().parse().map_err(|_| format!("--rate-limit {n:?}: want a whole number of posts per minute"))?;
        }
        for list in &self.trusted_proxies {
            for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let cidr = Cidr::parse(item).map_err(|why| {
                    let want = "want a CIDR such as 10.0.0.0/8 or an address such as 127.0.0.1";
                    format!("--trusted-proxy {item:?}: {why} ({want})")
                })?;
                config.trusted_proxies.push(cidr);
            }
        }
        config.trust_proxy = self.trust_proxy;
        if let Some(url) = self.public_url {
            config.public_url = Some(parse_public_url(&url)?);
        }
        if let Some(password) = self.password {
            if let Some(problem) = crate::auth::password_problem(&password) {
                return Err(format!("--inbox-password: {problem}"));
            }
            config.inbox_password = Some(password);
        }
        config.cookie_secure = self.cookie_secure;
        if let Some(days) = self.retention_days {
            match days.trim().parse::<u32>() {
                Ok(n) if n > 0 => config.retention_days = Some(n),
                _ => return Err(format!("--retention-days {days:?}: want a whole number of days, 1 or more")),
            }
        }
        config.log_json = match self.log_format.as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => return Err(format!("--log-format {other:?}: use text or json")),
        };
        if let Some(level) = self.log_level {
            config.log_level =
                level.parse().map_err(|_| format!("--log-level {level:?}: use error, warn, info or debug"))?;
        }
        config.seed_demo = self.seed_demo;
        config.static_dir = self.static_dir;
        config.demo_sink = self.demo_sink;
        config.faults = self.faults;
        if let Some(secs) = self.header_timeout {
            config.header_timeout = Duration::from_secs(positive(&secs, "--header-timeout", "seconds", 3600)?);
        }
        if let Some(secs) = self.request_timeout {
            config.request_timeout = Duration::from_secs(positive(&secs, "--request-timeout", "seconds", 3600)?);
        }
        if let Some(n) = self.max_connections {
            config.max_connections = positive(&n, "--max-connections", "connections", 1_000_000)? as usize;
        }
        config.notify = crate::notify::Settings::check(self.notify)?;
        Ok(config)
    }
}

pub(crate) fn parse_database_url(url: &str) -> Result<Database, String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Database::Postgres(url.to_owned()))
    } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() {
            return Err(format!("DATABASE_URL {url:?}: the SQLite file path is empty"));
        }
        Ok(Database::Sqlite(PathBuf::from(path)))
    } else {
        Err(format!("DATABASE_URL {url:?}: use postgres://user:pass@host/db or sqlite://path"))
    }
}
