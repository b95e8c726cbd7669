//! The notification flags, checked: webhooks and their secret, the Slack
//! webhook, the SMTP server, the certificates trusted for it and the
//! addresses, the delivery timeout. Each
//! mistake is a sentence naming the flag (config.rs stops the start with
//! it). It names the destinations ([`Settings::routes`]) and shows them
//! without secrets ([`shown`]); sending is the worker's.

use std::time::Duration;

use lettre::message::Mailbox;
use reqwest::Url;

use super::rules::{split_when, webhook_name, Route, When};

/// One destination: its name (the first part of its delivery ids: a
/// webhook's [`webhook_name`], `slack`, `mail`), address and the answers
/// it wants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub url: String,
    pub when: When,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `--webhook`, each named by its URL.
    pub webhooks: Vec<Target>,
    pub webhook_secret: Option<String>,
    /// `--slack-webhook`: `slack`.
    pub slack: Option<Target>,
    /// `--smtp-url`: `mail` (answers at once) and `digest` (daily).
    pub smtp: Option<Target>,
    /// `--smtp-ca`: certificates (PEM) trusted for the mail server's TLS
    /// besides the usual public roots, e.g. a private CA's.
    pub smtp_ca: Option<TrustedCa>,
    pub mail_from: Option<String>,
    pub mail_team: Option<String>,
    /// How long one delivery may take (`--notify-timeout`).
    pub timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            webhooks: Vec::new(),
            webhook_secret: None,
            slack: None,
            smtp: None,
            smtp_ca: None,
            mail_from: None,
            mail_team: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// `--smtp-ca FILE`, read once at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedCa {
    /// The file, for messages.
    pub path: String,
    pub pem: Vec<u8>,
}

/// The flags as given (strings), for [`Settings::check`].
#[derive(Default)]
pub struct Raw {
    pub webhooks: Vec<String>,
    pub webhook_secret: Option<String>,
    pub slack: Option<String>,
    pub smtp: Option<String>,
    pub smtp_ca: Option<String>,
    pub mail_from: Option<String>,
    pub mail_team: Option<String>,
    pub timeout: Option<String>,
}

/// The shortest webhook secret accepted.
pub const MIN_SECRET_CHARS: usize = 16;

impl Settings {
    pub fn check(raw: Raw) -> Result<Settings, String> {
        let mut s = Settings::default();
        for value in raw.webhooks.iter().flat_map(|v| v.split_whitespace()) {
            let (url, when) = split_when(value, "--webhook", When::ALL)?;
            let url = http_url(&url, "--webhook")?;
            let name = webhook_name(&url);
            // By name: the same URL with other credentials, or (once in four
            // billion) another URL whose name is the same, is one too many.
            if s.webhooks.iter().any(|t| t.name == name) {
                return Err(format!(
                    "--webhook {}: the same URL is given twice (give it once, with #when= listing all it wants)",
                    shown(&url)
                ));
            }
            s.webhooks.push(Target { name, url, when });
        }
        if !s.webhooks.is_empty() {
            let secret = raw.webhook_secret.filter(|v| !v.is_empty()).ok_or(
                "--webhook needs --webhook-secret (or FEEDBACK_WEBHOOK_SECRET): every delivery is signed with it",
            )?;
            if secret.trim().chars().count() < MIN_SECRET_CHARS {
                return Err(format!("--webhook-secret must be at least {MIN_SECRET_CHARS} characters"));
            }
            s.webhook_secret = Some(secret);
        }
        if let Some(value) = raw.slack.filter(|v| !v.is_empty()) {
            let (url, when) = split_when(&value, "--slack-webhook", When::ALL)?;
            s.slack = Some(Target { name: "slack".into(), url: http_url(&url, "--slack-webhook")?, when });
        }
        if let Some(value) = raw.smtp.filter(|v| !v.is_empty()) {
            let (url, when) = split_when(&value, "--smtp-url", When::FOLLOW_UP)?;
            let bad = |why: &str| {
                format!(
                    "--smtp-url: {why} (want smtp://user:pass@host:port?tls=required, smtps://user:pass@host:port, \
                     or smtp://host:port for a relay without TLS)"
                )
            };
            let parsed = Url::parse(&url).map_err(|_| bad("not a URL"))?;
            if !matches!(parsed.scheme(), "smtp" | "smtps") {
                return Err(bad("the scheme must be smtp or smtps"));
            }
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(bad("no host"));
            }
            if let Some(path) = raw.smtp_ca.filter(|v| !v.is_empty()) {
                s.smtp_ca = Some(trusted_ca(&path, &url)?);
            }
            super::mail::transport(&url, s.timeout, s.smtp_ca.as_ref()).map_err(|e| {
                if e.starts_with("--smtp-ca") {
                    e
                } else {
                    bad(&e)
                }
            })?;
            s.smtp = Some(Target { name: "mail".into(), url, when });
            let from =
                raw.mail_from.filter(|v| !v.is_empty()).ok_or("--smtp-url needs --mail-from ADDR (the sender)")?;
            s.mail_from = Some(mailbox(&from, "--mail-from")?);
            if let Some(team) = raw.mail_team.filter(|v| !v.is_empty()) {
                s.mail_team = Some(mailbox(&team, "--mail-team")?);
            }
        } else if [raw.mail_from, raw.mail_team, raw.smtp_ca].into_iter().flatten().any(|v| !v.is_empty()) {
            return Err("--mail-from, --mail-team and --smtp-ca need --smtp-url".into());
        }
        if let Some(secs) = raw.timeout {
            match secs.trim().parse::<u64>() {
                Ok(n @ 1..=300) => s.timeout = Duration::from_secs(n),
                _ => return Err(format!("--notify-timeout {secs:?}: want a whole number of seconds from 1 to 300")),
            }
        }
        Ok(s)
    }

    /// Every destination an answer may owe a notification to.
    fn targets(&self) -> impl Iterator<Item = &Target> {
        self.webhooks.iter().chain(&self.slack).chain(&self.smtp)
    }

    /// The destinations, named as delivery ids and the admin page name them.
    pub fn routes(&self) -> Vec<Route> {
        self.targets().map(|t| Route { name: t.name.clone(), when: t.when }).collect()
    }

    /// The names of every destination this receiver delivers to: the
    /// routes, and the daily `digest` with `--smtp-url`.
    pub fn destinations(&self) -> Vec<String> {
        let digest = self.smtp.as_ref().map(|_| "digest".to_owned());
        self.targets().map(|t| t.name.clone()).chain(digest).collect()
    }

    pub fn any(&self) -> bool {
        self.targets().next().is_some()
    }

    /// Each destination's name and where it goes, without secrets.
    pub fn shown(&self) -> Vec<(String, String)> {
        let ca = self.smtp_ca.as_ref().map(|ca| format!(", trusting --smtp-ca {}", ca.path)).unwrap_or_default();
        let mut list: Vec<(String, String)> = self
            .targets()
            .map(|t| {
                let ca = if t.name == "mail" { ca.as_str() } else { "" };
                (t.name.clone(), format!("{} ({}{ca})", shown(&t.url), t.when.names()))
            })
            .collect();
        if let Some(t) = &self.smtp {
            list.push(("digest".into(), format!("{} (daily, each agent's own answers)", shown(&t.url))));
        }
        list
    }
}

/// `--smtp-ca FILE` for the `--smtp-url` `url`: PEM certificates, for a
/// URL with TLS (a CA for a connection without TLS would protect nothing,
/// so that is a mistake to name).
fn trusted_ca(path: &str, url: &str) -> Result<TrustedCa, String> {
    if super::mail::tls_mode(url).is_none() {
        return Err(format!(
            "--smtp-ca {path:?}: the --smtp-url has no TLS to trust it for (use smtps://... or \
             smtp://...?tls=required)"
        ));
    }
    let pem = std::fs::read(path).map_err(|e| format!("--smtp-ca {path:?}: cannot read it: {e}"))?;
    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(format!("--smtp-ca {path:?}: no certificate in it (want PEM: -----BEGIN CERTIFICATE-----)"));
    }
    Ok(TrustedCa { path: path.to_owned(), pem })
}

/// A URL as logs and pages may show it: the scheme and host (and port),
/// never a user, password, path or query, which is where tokens live.
pub fn shown(url: &str) -> String {
    match Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(host), Some(port)) => format!("{}://{host}:{port}", u.scheme()),
            (Some(host), None) => format!("{}://{host}", u.scheme()),
            _ => format!("{}:", u.scheme()),
        },
        Err(_) => "(not a URL)".into(),
    }
}

fn http_url(url: &str, flag: &str) -> Result<String, String> {
    let bad = |why: &str| format!("{flag} {:?}: {why} (want an http:// or https:// URL)", shown(url));
    let parsed = Url::parse(url).map_err(|_| bad("not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    // The URL as the WHATWG parser writes it (host lowercased, a default
    // port dropped), so that two spellings of one URL are one destination.
    Ok(parsed.to_string())
}

fn mailbox(address: &str, flag: &str) -> Result<String, String> {
    address
        .trim()
        .parse::<Mailbox>()
        .map(|m| m.to_string())
        .map_err(|_| format!("{flag} {address:?}: not an e-mail address (want e.g. feedback@example.com)"))
}

/// An e-mail address as `user add --email` and `user email` take it.
pub fn email_address(address: &str) -> Result<String, String> {
    address
        .trim()
        .parse::<lettre::Address>()
        .map(|a| a.to_string())
        .map_err(|_| format!("--email {address:?}: not an e-mail address (want e.g. ada@example.com)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> Raw {
        Raw::default()
    }

    #[test]
    fn destinations_are_named_by_what_they_are() {
        let s = Settings::check(Raw {
            webhooks: vec!["https://a.example/hook#when=low".into(), "http://127.0.0.1:9/x https://b.example/y".into()],
            webhook_secret: Some("a secret of 16 chars".into()),
            slack: Some("https://hooks.slack.example/services/T/B/SECRET#when=follow-up,vents".into()),
            smtp: Some("smtp://127.0.0.1:2525".into()),
            mail_from: Some("Feedback <feedback@example.com>".into()),
            ..raw()
        })
        .unwrap();
        let names: Vec<String> = s.routes().into_iter().map(|r| format!("{}={}", r.name, r.when.names())).collect();
        let [a, b, c] = ["https://a.example/hook", "http://127.0.0.1:9/x", "https://b.example/y"].map(webhook_name);
        assert_eq!(
            names,
            [
                format!("{a}=low"),
                format!("{b}=all"),
                format!("{c}=all"),
                "slack=follow-up,vents".into(),
                "mail=follow-up".into()
            ]
        );
        // The same URL names the same destination wherever its flag stands.
        let moved = Settings::check(Raw {
            webhooks: vec!["https://b.example/y".into()],
            webhook_secret: Some("a secret of 16 chars".into()),
            ..raw()
        })
        .unwrap();
        assert_eq!(moved.routes()[0].name, c);
        let twice = Settings::check(Raw {
            webhooks: vec!["https://b.example/y#when=low https://u:pw@B.example:443/y".into()],
            webhook_secret: Some("a secret of 16 chars".into()),
            ..raw()
        });
        assert!(twice.unwrap_err().contains("given twice"));
        let shown = format!("{:?}", s.shown());
        assert!(!shown.contains("SECRET") && !shown.contains("/services"), "{shown}");
        assert!(shown.contains("https://hooks.slack.example"), "{shown}");
    }

    #[test]
    fn mistakes_are_named() {
        let cases: [(Raw, &str); 10] = [
            (Raw { webhooks: vec!["https://a.example".into()], ..raw() }, "--webhook-secret"),
            (
                Raw { webhooks: vec!["https://a.example".into()], webhook_secret: Some("short".into()), ..raw() },
                "at least 16",
            ),
            (
                Raw { webhooks: vec!["ftp://a.example".into()], webhook_secret: Some("x".repeat(20)), ..raw() },
                "--webhook",
            ),
            (
                Raw {
                    webhooks: vec!["https://a.example#when=never".into()],
                    webhook_secret: Some("x".repeat(20)),
                    ..raw()
                },
                "#when=",
            ),
            (Raw { slack: Some("not a url".into()), ..raw() }, "--slack-webhook"),
            (
                Raw { smtp: Some("http://mail.example".into()), mail_from: Some("a@b.example".into()), ..raw() },
                "smtp or smtps",
            ),
            (Raw { smtp: Some("smtp://mail.example".into()), ..raw() }, "--mail-from"),
            (Raw { mail_team: Some("team@example.com".into()), ..raw() }, "need --smtp-url"),
            (Raw { smtp_ca: Some("/etc/ssl/ca.pem".into()), ..raw() }, "need --smtp-url"),
            (Raw { timeout: Some("0".into()), ..raw() }, "--notify-timeout"),
        ];
        for (r, needle) in cases {
            let err = Settings::check(r).unwrap_err();
            assert!(err.contains(needle), "{needle}: {err}");
        }
        let err = Settings::check(Raw {
            smtp: Some("smtp://mail.example".into()),
            mail_from: Some("not an address".into()),
            ..raw()
        })
        .unwrap_err();
        assert!(err.starts_with("--mail-from"), "{err}");
        // A password only where TLS cannot be skipped.
        let smtp =
            |url: &str| Settings::check(Raw { smtp: Some(url.into()), mail_from: Some("a@b.example".into()), ..raw() });
        for url in ["smtp://u:secret@mail.example:587", "smtp://u:secret@mail.example:587?tls=opportunistic"] {
            let err = smtp(url).unwrap_err();
            assert!(err.contains("need TLS") && !err.contains("secret"), "{err}");
        }
        for url in ["smtps://u:secret@mail.example", "smtp://u:secret@mail.example:587?tls=required", "smtp://relay:25"]
        {
            assert!(smtp(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn the_smtp_ca_is_pem_for_a_url_with_tls() {
        let dir = std::env::temp_dir().join(format!("feedback-smtp-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let not_pem = dir.join("not.pem");
        std::fs::write(&not_pem, "hello").unwrap();
        let bad_pem = dir.join("bad.pem");
        std::fs::write(&bad_pem, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").unwrap();
        let with = |url: &str, ca: &std::path::Path| {
            Settings::check(Raw {
                smtp: Some(url.into()),
                smtp_ca: Some(ca.display().to_string()),
                mail_from: Some("feedback@example.com".into()),
                ..raw()
            })
        };
        let cases = [
            ("smtps://mail.example:465", dir.join("missing.pem"), "cannot read it"),
            ("smtps://mail.example:465", not_pem.clone(), "no certificate in it"),
            ("smtps://mail.example:465", bad_pem.clone(), "not a certificate to trust"),
            ("smtp://mail.example:25", not_pem.clone(), "has no TLS"),
        ];
        for (url, ca, needle) in cases {
            let err = with(url, &ca).unwrap_err();
            assert!(err.contains(needle) && err.contains("--smtp"), "{url} {}: {err}", ca.display());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn urls_are_shown_without_secrets() {
        assert_eq!(shown("https://user:pw@hooks.example.com/services/T0/B0/XYZ?token=1"), "https://hooks.example.com");
        assert_eq!(shown("smtps://u:p@smtp.example.com:465"), "smtps://smtp.example.com:465");
        assert_eq!(shown("::"), "(not a URL)");
    }
}
