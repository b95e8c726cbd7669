//! The site owner's options, validated once: from the script tag's `data-*`
//! attributes (or, later, `Feedback.configure`) into [`Options`].
//!
//! Resolving a relative URL needs the page, so the caller passes a
//! `resolve` function; the rules about which endpoints are acceptable live
//! here and are tested natively.

use super::error::{Error, ErrorKind};
use super::json::Value;

/// The company name used in the CES statement when the site gives none.
pub const DEFAULT_COMPANY: &str = "The company";

/// Validated widget options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub endpoint: Endpoint,
    /// Shown in "<company> made it easy for me to handle my issue".
    pub company: String,
}

/// Where the options came from; decides how fields are named in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `data-*` attributes of the `<script>` tag.
    ScriptTag,
    /// An options object passed from JavaScript.
    Object,
}

/// An absolute URL we may post to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(String);

/// The parts of a URL the browser resolved for us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedUrl {
    pub href: String,
    /// With the trailing colon, as `URL.protocol` gives it: `https:`.
    pub protocol: String,
    pub hostname: String,
}

impl Options {
    /// Validates raw options. `resolve` turns the endpoint attribute into an
    /// absolute URL relative to the page, or `None` if it is not a URL.
    pub fn from_value(
        raw: &Value,
        source: Source,
        resolve: impl Fn(&str) -> Option<ResolvedUrl>,
    ) -> Result<Options, Error> {
        let name = |field: &str| match source {
            Source::ScriptTag => ["data-", field].concat(),
            Source::Object => field.to_owned(),
        };
        let text = |field: &str| -> Result<Option<String>, Error> {
            match raw.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
                Some(other) => Err(Error::new(
                    name(field),
                    ErrorKind::WrongType {
                        expected: "a string",
                        found: other.kind(),
                    },
                )),
            }
        };
        let endpoint = match text("endpoint")? {
            None => {
                return Err(Error::new(
                    name("endpoint"),
                    ErrorKind::Missing {
                        expected: "the URL that receives responses",
                    },
                ))
            }
            Some(raw_url) => Endpoint::parse(&raw_url, &resolve)
                .map_err(|kind| Error::new(name("endpoint"), kind))?,
        };
        let company = text("company")?.unwrap_or_else(|| DEFAULT_COMPANY.to_owned());
        Ok(Options { endpoint, company })
    }
}

impl Endpoint {
    /// Accepts http(s) URLs; plain http only for this machine
    /// (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`).
    pub fn parse(
        raw: &str,
        resolve: impl Fn(&str) -> Option<ResolvedUrl>,
    ) -> Result<Endpoint, ErrorKind> {
        let not_a_url = || ErrorKind::NotAUrl {
            found: raw.to_owned(),
        };
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(not_a_url());
        }
        let url = resolve(raw).ok_or_else(not_a_url)?;
        match url.protocol.as_str() {
            "https:" => Ok(Endpoint(url.href)),
            "http:" if is_local_host(&url.hostname) => Ok(Endpoint(url.href)),
            "http:" => Err(ErrorKind::ForbiddenEndpoint { found: url.href }),
            _ => Err(not_a_url()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// True for host names that can only mean this machine.
pub fn is_local_host(hostname: &str) -> bool {
    let host = hostname.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host == "[::1]" || is_loopback_v4(&host)
}

fn is_loopback_v4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .iter()
            .all(|p| p.parse::<u16>().is_ok_and(|n| n <= 255))
}
