//! Configuration from flags and the environment (a flag wins over its
//! variable), checked once at start so a mistake is a clear message, not a
//! surprise at the first request.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::proxy::Cidr;

pub const USAGE: &str = "\
usage: feedback-receiver [OPTIONS]

The receiving end of the feedback widget: POST /collect stores answers,
/inbox shows them to the team.

Storage
  --db PATH               SQLite file (default feedback.sqlite)      env FEEDBACK_DB
  --database-url URL      postgres://... to use PostgreSQL instead,
                          or sqlite://PATH                            env DATABASE_URL
Ingest
  --listen ADDR           address to bind (default 127.0.0.1:8080)   env FEEDBACK_LISTEN
  --allow-origin LIST     origins whose pages may post, comma-separated,
                          e.g. https://www.example.com; * for any
                          (default: same origin only)               env FEEDBACK_ALLOW_ORIGINS
  --rate-limit N          posts per minute per client IP, 0 = off
                          (default 120, bursts of 60)                 env FEEDBACK_RATE_LIMIT
  --trusted-proxy CIDR    a proxy in front, e.g. 10.0.0.0/8 or 127.0.0.1
                          (repeatable): only from these peers do
                          X-Forwarded-For/-Proto/-Host count         env FEEDBACK_TRUSTED_PROXIES
  --trust-proxy           deprecated: 127.0.0.0/8 and ::1 as above   env FEEDBACK_TRUST_PROXY=1
  --public-url URL        the address people use, e.g.
                          https://feedback.example.com; form posts
                          must come from exactly this origin         env FEEDBACK_PUBLIC_URL
Connections
  --header-timeout SECS   close a connection that has not sent a whole
                          request head in SECS, or idles (default 10) env FEEDBACK_HEADER_TIMEOUT
  --request-timeout SECS  a request not answered within SECS, body
                          included, gets a 408 (default 30)          env FEEDBACK_REQUEST_TIMEOUT
  --max-connections N     connections served at once; past it new ones
                          wait to be accepted (default 1024)         env FEEDBACK_MAX_CONNECTIONS
Inbox (people sign in with their own accounts: see `feedback-receiver user`)
  --inbox-password SECRET when the database has no user yet, create the
                          admin `admin` with this password (12+
                          characters), once                          env FEEDBACK_INBOX_PASSWORD
  --cookie-secure         mark the inbox cookie Secure (behind HTTPS) env FEEDBACK_COOKIE_SECURE=1
  --retention-days N      delete answers older than N days (hourly
                          check, logged and audited)                 env FEEDBACK_RETENTION_DAYS
Notifications (URL#when=LIST: all, low, follow-up, vents; default all)
  --webhook URL           POST each answer, signed (repeatable)      env FEEDBACK_WEBHOOKS
  --webhook-secret SECRET the HMAC key of Feedback-Signature (16+
                          characters; needed with --webhook)         env FEEDBACK_WEBHOOK_SECRET
  --slack-webhook URL     a Slack-compatible incoming webhook        env FEEDBACK_SLACK_WEBHOOK
  --smtp-url URL          smtps://user:pass@host:465 or
                          smtp://user:pass@host:587?tls=required:
                          mail answers (default #when=follow-up) and
                          a daily digest to each agent               env FEEDBACK_SMTP_URL
  --mail-from ADDR        the sender of those e-mails                env FEEDBACK_MAIL_FROM
  --mail-team ADDR        for answers whose agent has no address     env FEEDBACK_MAIL_TEAM
  --notify-timeout SECS   one delivery may take this long (default 10) env FEEDBACK_NOTIFY_TIMEOUT
Operations
  --log-format FORMAT     text or json (default text, on stderr)     env FEEDBACK_LOG_FORMAT
  --log-level LEVEL       error, warn, info, debug (default info)    env FEEDBACK_LOG_LEVEL
  --seed-demo             fill an empty database with demo data
  --static DIR            also serve DIR (index.html at /), for the demo
  --demo-sink             keep webhook deliveries posted to /_demo/sink
                          for the demo page (the demo only)
  --faults                enable POST /_faults and GET /_stats (tests only)
  --help                  this text

Commands (people, tokens, erasure): feedback-receiver user|token|erase|export;
see `feedback-receiver user --help`.";

/// Where responses are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
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
                "--mail-from" => raw.notify.mail_from = Some(value()?),
                "--mail-team" => raw.notify.mail_team = Some(value()?),
                "--notify-timeout" => raw.notify.timeout = Some(value()?),
                "--help" | "-h" => return Ok(Command::Help),
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
            if password.chars().count() < 12 {
                return Err("--inbox-password must be at least 12 characters".into());
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

/// `--public-url`: `http(s)://host[:port]` with at most a `/` after it,
/// returned as the origin a browser would send for it (lowercase, without
/// the scheme's default port).
fn parse_public_url(url: &str) -> Result<String, String> {
    let bad = |why: &str| {
        format!("--public-url {url:?}: {why} (want scheme://host[:port], e.g. https://feedback.example.com)")
    };
    let trimmed = url.trim();
    let (scheme, rest) = trimmed.split_once("://").ok_or_else(|| bad("no scheme"))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return Err(bad("the scheme must be http or https")),
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#']) {
        return Err(bad("no path, query or fragment: the receiver is served from /"));
    }
    if authority.contains('@') {
        return Err(bad("no user or password"));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (ip, after) = v6.split_once(']').ok_or_else(|| bad("an IPv6 address needs its closing ]"))?;
            ip.parse::<std::net::Ipv6Addr>().map_err(|_| bad("not an IPv6 address in [ ]"))?;
            (
                format!("[{ip}]"),
                after.strip_prefix(':').map(str::to_owned).or_else(|| after.is_empty().then(String::new)),
            )
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port.to_owned())),
            None => (authority.to_owned(), Some(String::new())),
        },
    };
    let port = port.ok_or_else(|| bad("after the host, only :port"))?;
    let host = host.to_ascii_lowercase();
    let host_ok = host.starts_with('[')
        || (!host.is_empty()
            && !host.starts_with(['.', '-'])
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')));
    if !host_ok {
        return Err(bad("the host must be a name (letters, digits, dots, hyphens) or an IP address"));
    }
    let port = match port.as_str() {
        "" => None,
        digits => match digits.parse::<u16>() {
            Ok(p) if p > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Some(p),
            _ => return Err(bad("the port must be a number from 1 to 65535")),
        },
    };
    Ok(match port {
        Some(p) if p != default_port => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// `*`, or a comma-separated list of `scheme://host[:port]` origins.
fn parse_origins(list: &str) -> Result<Origins, String> {
    let items: Vec<&str> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if items == ["*"] {
        return Ok(Origins::Any);
    }
    if items.is_empty() {
        return Ok(Origins::SameOrigin);
    }
    let mut origins = Vec::new();
    for item in items {
        let origin = item.trim_end_matches('/');
        let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.contains(['/', '*', '?', '#', ' ']) => {
                origins.push(origin.to_ascii_lowercase())
            }
            _ => {
                return Err(format!(
                    "--allow-origin {item:?}: an origin is scheme://host[:port], e.g. https://www.example.com (or * alone for any)"
                ))
            }
        }
    }
    Ok(Origins::List(origins))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str], env: &[(&str, &str)]) -> Result<Config, String> {
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        match Config::parse(args.iter().map(|s| s.to_string()), |k| {
            env.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone())
        })? {
            Command::Run(c) => Ok(*c),
            Command::Help | Command::AdminHelp => Err("help".into()),
            Command::Admin(..) => Err("admin".into()),
        }
    }

    #[test]
    fn flags_win_over_the_environment() {
        let c = parse(
            &["--listen", "0.0.0.0:9000", "--rate-limit=0"],
            &[("FEEDBACK_LISTEN", "127.0.0.1:1"), ("FEEDBACK_RATE_LIMIT", "5")],
        )
        .unwrap();
        assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(c.rate_limit, 0);
        let c = parse(&[], &[("FEEDBACK_RATE_LIMIT", "5"), ("FEEDBACK_TRUST_PROXY", "1")]).unwrap();
        assert_eq!(c.rate_limit, 5);
        assert!(c.trust_proxy);
    }

    #[test]
    fn connection_bounds_have_defaults_flags_and_variables() {
        let c = parse(&[], &[]).unwrap();
        assert_eq!(
            (c.header_timeout, c.request_timeout, c.max_connections),
            (Duration::from_secs(10), Duration::from_secs(30), 1024)
        );
        let c = parse(
            &["--header-timeout", "3", "--request-timeout=7"],
            &[("FEEDBACK_HEADER_TIMEOUT", "5"), ("FEEDBACK_MAX_CONNECTIONS", "64")],
        )
        .unwrap();
        assert_eq!(
            (c.header_timeout, c.request_timeout, c.max_connections),
            (Duration::from_secs(3), Duration::from_secs(7), 64)
        );
    }

    #[test]
    fn trusted_proxies_from_flags_or_the_variable() {
        let shown = |c: &Config| c.proxies().iter().map(|r| r.to_string()).collect::<Vec<_>>();
        assert!(parse(&[], &[]).unwrap().proxies().is_empty(), "nobody by default");
        let c = parse(&["--trusted-proxy", "10.0.0.0/8", "--trusted-proxy=::1,192.168.1.7"], &[]).unwrap();
        assert_eq!(shown(&c), ["10.0.0.0/8", "::1/128", "192.168.1.7/32"]);
        let c = parse(&[], &[("FEEDBACK_TRUSTED_PROXIES", "172.16.0.0/12, fd00::/8")]).unwrap();
        assert_eq!(shown(&c), ["172.16.0.0/12", "fd00::/8"]);
        let c = parse(&["--trusted-proxy", "10.1.0.0/16"], &[("FEEDBACK_TRUSTED_PROXIES", "172.16.0.0/12")]).unwrap();
        assert_eq!(shown(&c), ["10.1.0.0/16"], "the flag wins over the variable");
        // The deprecated flag: loopback.
        let c = parse(&["--trust-proxy"], &[]).unwrap();
        assert_eq!(shown(&c), ["127.0.0.0/8", "::1/128"]);
        let c = parse(&["--trust-proxy", "--trusted-proxy", "::1"], &[]).unwrap();
        assert_eq!(shown(&c), ["::1/128", "127.0.0.0/8"]);
        for bad in ["10.0.0.1/8", "proxy.internal", "10.0.0.0/40", "::1/200"] {
            let err = parse(&["--trusted-proxy", bad], &[]).unwrap_err();
            assert!(err.starts_with("--trusted-proxy") && err.contains(bad), "{bad}: {err}");
            let err = parse(&[], &[("FEEDBACK_TRUSTED_PROXIES", bad)]).unwrap_err();
            assert!(err.starts_with("--trusted-proxy"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_public_url_is_an_origin() {
        let cases = [
            ("https://feedback.example.com", "https://feedback.example.com"),
            ("https://feedback.example.com/", "https://feedback.example.com"),
            ("HTTPS://Feedback.Example.COM", "https://feedback.example.com"),
            ("https://feedback.example.com:443", "https://feedback.example.com"),
            ("http://feedback.example.com:80/", "http://feedback.example.com"),
            ("https://feedback.example.com:8443", "https://feedback.example.com:8443"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://[::1]:8080/", "http://[::1]:8080"),
            ("https://[2001:db8::1]", "https://[2001:db8::1]"),
        ];
        for (url, origin) in cases {
            assert_eq!(parse(&["--public-url", url], &[]).unwrap().public_url.as_deref(), Some(origin), "{url}");
        }
        let c = parse(&[], &[("FEEDBACK_PUBLIC_URL", "https://f.example")]).unwrap();
        assert_eq!(c.public_url.as_deref(), Some("https://f.example"));
        assert_eq!(parse(&[], &[]).unwrap().public_url, None);
        let bad = [
            ("feedback.example.com", "no scheme"),
            ("ftp://feedback.example.com", "http or https"),
            ("https://", "the host"),
            ("https://feedback.example.com/inbox", "no path"),
            ("https://feedback.example.com/?x=1", "no path"),
            ("https://feedback.example.com#top", "no path"),
            ("https://user:pw@feedback.example.com", "no user"),
            ("https://feedback.example.com:0", "the port"),
            ("https://feedback.example.com:99999", "the port"),
            ("https://feedback.example.com:http", "the port"),
            ("https://feed back.example.com", "the host"),
            ("https://*.example.com", "the host"),
            ("https://[::1", "closing ]"),
            ("https://[nope]:80", "IPv6"),
            ("https://[::1]x", "only :port"),
        ];
        for (url, why) in bad {
            let err = parse(&["--public-url", url], &[]).unwrap_err();
            assert!(err.starts_with("--public-url") && err.contains(why), "{url}: {err}");
        }
    }

    #[test]
    fn usage_names_every_flag_and_variable() {
        let names = [
            "--trusted-proxy",
            "FEEDBACK_TRUSTED_PROXIES",
            "--trust-proxy",
            "--public-url",
            "FEEDBACK_PUBLIC_URL",
            "--header-timeout",
            "FEEDBACK_HEADER_TIMEOUT",
            "--request-timeout",
            "FEEDBACK_REQUEST_TIMEOUT",
            "--max-connections",
            "FEEDBACK_MAX_CONNECTIONS",
            "--webhook",
            "FEEDBACK_WEBHOOKS",
            "--webhook-secret",
            "FEEDBACK_WEBHOOK_SECRET",
            "--slack-webhook",
            "FEEDBACK_SLACK_WEBHOOK",
            "--smtp-url",
            "FEEDBACK_SMTP_URL",
            "--mail-from",
            "--mail-team",
            "--notify-timeout",
        ];
        for name in names {
            assert!(USAGE.contains(name), "{name}");
        }
        assert!(USAGE.lines().all(|l| l.chars().count() <= 100), "lines fit a terminal");
    }

    #[test]
    fn notifications_from_flags_or_the_environment() {
        let secret = ("FEEDBACK_WEBHOOK_SECRET", "sixteen chars at least");
        let c =
            parse(&[], &[("FEEDBACK_WEBHOOKS", "https://a.example/x https://b.example/y#when=low"), secret]).unwrap();
        let names: Vec<String> =
            c.notify.routes().into_iter().map(|r| format!("{} {}", r.name, r.when.names())).collect();
        assert_eq!(names, ["webhook-1 all", "webhook-2 low"]);
        let c = parse(
            &["--webhook", "https://c.example/z#when=vents"],
            &[("FEEDBACK_WEBHOOKS", "https://a.example"), secret],
        )
        .unwrap();
        assert_eq!(c.notify.webhooks.len(), 1, "flags replace the variable's list");
        let err = parse(&["--webhook", "https://c.example/z"], &[]).unwrap_err();
        assert!(err.contains("--webhook-secret"), "{err}");
        let c = parse(
            &["--smtp-url", "smtp://127.0.0.1:2525", "--mail-from", "feedback@example.com", "--notify-timeout", "3"],
            &[("FEEDBACK_MAIL_TEAM", "team@example.com")],
        )
        .unwrap();
        assert_eq!(c.notify.mail_team.as_deref(), Some("team@example.com"));
        assert_eq!(c.notify.timeout, Duration::from_secs(3));
        assert!(!parse(&[], &[]).unwrap().notify.any(), "nothing by default");
    }

    #[test]
    fn database_url_picks_the_backend() {
        let c = parse(&[], &[("DATABASE_URL", "postgres://u:p@127.0.0.1/feedback")]).unwrap();
        assert_eq!(c.database, Database::Postgres("postgres://u:p@127.0.0.1/feedback".into()));
        let c = parse(&["--database-url", "sqlite:///var/lib/f.sqlite?mode=rwc"], &[]).unwrap();
        assert_eq!(c.database, Database::Sqlite("/var/lib/f.sqlite".into()));
        let c = parse(&["--db", "x.sqlite"], &[]).unwrap();
        assert_eq!(c.database, Database::Sqlite("x.sqlite".into()));
        assert!(parse(&[], &[("DATABASE_URL", "mysql://x")]).unwrap_err().contains("postgres://"));
    }

    #[test]
    fn a_database_is_logged_without_credentials() {
        let cases = [
            ("postgres://feedback:s3cr@t@db.internal:5432/feedback", "postgres://db.internal:5432/feedback"),
            ("postgresql://feedback@127.0.0.1/feedback", "postgresql://127.0.0.1/feedback"),
            ("postgres://localhost/feedback", "postgres://localhost/feedback"),
        ];
        for (url, shown) in cases {
            assert_eq!(Database::Postgres(url.into()).to_string(), shown);
        }
        assert_eq!(Database::Sqlite("/var/lib/f.sqlite".into()).to_string(), "sqlite:/var/lib/f.sqlite");
    }

    #[test]
    fn origins_are_same_origin_unless_listed_and_any_only_when_asked() {
        assert_eq!(parse(&[], &[]).unwrap().origins, Origins::SameOrigin);
        assert_eq!(parse(&["--allow-origin", "*"], &[]).unwrap().origins, Origins::Any);
        assert_eq!(
            parse(&["--allow-origin", "https://A.example.com/, http://localhost:3000"], &[]).unwrap().origins,
            Origins::List(vec!["https://a.example.com".into(), "http://localhost:3000".into()])
        );
        for bad in ["example.com", "https://*.example.com", "https://x.com/path", "*,https://a.com"] {
            assert!(parse(&["--allow-origin", bad], &[]).unwrap_err().contains("scheme://host"), "{bad}");
        }
    }

    #[test]
    fn mistakes_are_named() {
        let cases: [(&[&str], &str); 12] = [
            (&["--retention-days", "0"], "--retention-days"),
            (&["--listen", "nowhere"], "--listen"),
            (&["--header-timeout", "0"], "--header-timeout"),
            (&["--header-timeout", "soon"], "--header-timeout"),
            (&["--request-timeout", "-1"], "--request-timeout"),
            (&["--max-connections", "0"], "--max-connections"),
            (&["--max-connections", "lots"], "--max-connections"),
            (&["--rate-limit", "lots"], "--rate-limit"),
            (&["--inbox-password", "short"], "12 characters"),
            (&["--log-format", "xml"], "--log-format"),
            (&["--bogus"], "unknown argument"),
            (&["--db"], "needs a value"),
        ];
        for (args, needle) in cases {
            let err = parse(args, &[]).unwrap_err();
            assert!(err.contains(needle), "{args:?}: {err}");
        }
        assert_eq!(parse(&["--help"], &[]).unwrap_err(), "help");
    }
}
