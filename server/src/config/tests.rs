use super::*;
use crate::notify::rules::webhook_name;

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
        "--smtp-ca",
        "FEEDBACK_SMTP_CA",
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
    let c = parse(&[], &[("FEEDBACK_WEBHOOKS", "https://a.example/x https://b.example/y#when=low"), secret]).unwrap();
    let names: Vec<String> = c.notify.routes().into_iter().map(|r| format!("{} {}", r.name, r.when.names())).collect();
    let (a, b) = (webhook_name("https://a.example/x"), webhook_name("https://b.example/y"));
    assert_eq!(names, [format!("{a} all"), format!("{b} low")]);
    assert!(a.starts_with("webhook-") && a.len() == 16 && a != b, "{a} {b}");
    let c =
        parse(&["--webhook", "https://c.example/z#when=vents"], &[("FEEDBACK_WEBHOOKS", "https://a.example"), secret])
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
    let mail = [("FEEDBACK_SMTP_URL", "smtps://mail.example:465"), ("FEEDBACK_MAIL_FROM", "f@example.com")];
    let err = parse(&[], &[mail[0], mail[1], ("FEEDBACK_SMTP_CA", "/nonexistent/ca.pem")]).unwrap_err();
    assert!(err.starts_with("--smtp-ca \"/nonexistent/ca.pem\": cannot read it"), "{err}");
    let err = parse(&["--smtp-ca=/nonexistent/flag.pem"], &[mail[0], mail[1], ("FEEDBACK_SMTP_CA", "/x")]).unwrap_err();
    assert!(err.contains("flag.pem"), "the flag wins: {err}");
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
    let cases: [(&[&str], &str); 14] = [
        (&["--retention-days", "0"], "--retention-days"),
        (&["--listen", "nowhere"], "--listen"),
        (&["--header-timeout", "0"], "--header-timeout"),
        (&["--header-timeout", "soon"], "--header-timeout"),
        (&["--request-timeout", "-1"], "--request-timeout"),
        (&["--max-connections", "0"], "--max-connections"),
        (&["--max-connections", "lots"], "--max-connections"),
        (&["--rate-limit", "lots"], "--rate-limit"),
        (&["--inbox-password", "short"], "12 characters"),
        (&["--inbox-password", "              "], "only spaces"),
        (&["--log-format", "xml"], "--log-format"),
        (&["--bogus"], "unknown argument"),
        (
            &["https://hooks.slack.com/services/T0/B0/SECRETTOKEN"],
            "\"https://hooks.slack.com\", a URL without its flag",
        ),
        (&["--db"], "needs a value"),
    ];
    for (args, needle) in cases {
        let err = parse(args, &[]).unwrap_err();
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(parse(&["--help"], &[]).unwrap_err(), "help");
}
