//! The site owner's options, validated once: from the script tag's `data-*`
//! attributes (or, later, `Feedback.configure`) into [`Options`].
//!
//! Resolving a relative URL needs the page, so the caller passes a
//! `resolve` function; the rules about which endpoints are acceptable live
//! here and are tested natively.

use super::error::{Error, ErrorKind};
use super::fields::Fields;
use super::json::Value;

/// The company name used in the CES statement when the site gives none.
pub const DEFAULT_COMPANY: &str = "The company";

/// Validated widget options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub endpoint: Endpoint,
    /// Shown in "<company> made it easy for me to handle my issue".
    pub company: String,
    /// How requests are made.
    pub transport: Transport,
    /// The site's language for the prompt (`data-locale`), before the page's.
    pub locale: Option<String>,
    /// Replace emails, phone numbers and card numbers in comments.
    pub redact: bool,
    /// Per-language string overrides (`{"ar": {"submit": "..."}}`).
    pub strings: Value,
    pub theme: Theme,
    /// Where the floating prompt sits.
    pub position: Position,
    /// Post in the shape of an analytics `track` call with this event name
    /// (`{event, messageId, timestamp, properties: payload}`).
    pub track_event: Option<String>,
}

/// Light, dark, or following the customer's `prefers-color-scheme`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

/// A corner of the viewport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    BottomRight,
    BottomLeft,
    TopRight,
    TopLeft,
}

/// How payloads are posted.
#[derive(Clone, Debug, PartialEq)]
pub struct Transport {
    /// Extra request headers (not in simple-request mode).
    pub headers: Vec<(String, String)>,
    pub credentials: Credentials,
    /// An attempt that has no answer after this long is retried.
    pub timeout_ms: f64,
    /// Send `text/plain` with no custom headers, so the browser makes no
    /// CORS preflight; the idempotency key then travels only in the body.
    pub simple_request: bool,
}

/// The fetch `credentials` mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    Omit,
    SameOrigin,
    Include,
}

impl Credentials {
    /// Each mode by its name, as the site writes it and `fetch` takes it.
    pub const NAMES: [(&'static str, Credentials); 3] =
        [("omit", Credentials::Omit), ("same-origin", Credentials::SameOrigin), ("include", Credentials::Include)];

    /// The mode's name for `fetch` (`NAMES` is in the order of the variants).
    pub fn name(self) -> &'static str {
        Credentials::NAMES[self as usize].0
    }
}

/// Default request timeout.
pub const DEFAULT_TIMEOUT_MS: f64 = 10_000.0;

impl Default for Transport {
    fn default() -> Transport {
        Transport {
            headers: Vec::new(),
            credentials: Credentials::Omit,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            simple_request: false,
        }
    }
}

/// The public names, each written once: the readers below and [`FIELDS`]
/// use these.
pub mod name {
    pub const ENDPOINT: &str = "endpoint";
    pub const COMPANY: &str = "company";
    pub const LOCALE: &str = "locale";
    pub const STRINGS: &str = "strings";
    pub const THEME: &str = "theme";
    pub const POSITION: &str = "position";
    pub const REDACT: &str = "redact";
    pub const HEADERS: &str = "headers";
    pub const CREDENTIALS: &str = "credentials";
    pub const TIMEOUT_MS: &str = "timeoutMs";
    pub const SIMPLE_REQUEST: &str = "simpleRequest";
    pub const TRACK_EVENT: &str = "trackEvent";
}

/// Every option, by its JavaScript name (`data-` and kebab case on the
/// script tag); the README's options table, `FeedbackOptions` and the
/// reader are checked against this list by `tests/docs.rs`.
pub const FIELDS: [&str; 12] = [
    name::ENDPOINT,
    name::COMPANY,
    name::LOCALE,
    name::STRINGS,
    name::THEME,
    name::POSITION,
    name::REDACT,
    name::HEADERS,
    name::CREDENTIALS,
    name::TIMEOUT_MS,
    name::SIMPLE_REQUEST,
    name::TRACK_EVENT,
];

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
        let fields = Fields::new(raw, source, "");
        if fields.text(name::ENDPOINT)?.is_none() {
            return Err(Error::new(
                fields.name(name::ENDPOINT),
                ErrorKind::Missing { expected: "the URL that receives responses" },
            ));
        }
        // `update` parses the endpoint (present, as just checked) over this
        // placeholder, along with every other field.
        let base = Options {
            endpoint: Endpoint(String::new()),
            company: DEFAULT_COMPANY.to_owned(),
            transport: Transport::default(),
            locale: None,
            redact: true,
            strings: Value::Object(Vec::new()),
            theme: Theme::Auto,
            position: Position::BottomRight,
            track_event: None,
        };
        base.update(raw, source, resolve)
    }

    /// These options with the fields present in `raw` replaced; all or
    /// nothing. (`Feedback.configure` uses it with `Source::Object`.)
    pub fn update(
        &self,
        raw: &Value,
        source: Source,
        resolve: impl Fn(&str) -> Option<ResolvedUrl>,
    ) -> Result<Options, Error> {
        let mut next = self.clone();
        let fields = Fields::new(raw, source, "");
        if let Some(raw_url) = fields.text(name::ENDPOINT)? {
            next.endpoint =
                Endpoint::parse(&raw_url, &resolve).map_err(|kind| Error::new(fields.name(name::ENDPOINT), kind))?;
        }
        if let Some(company) = fields.text(name::COMPANY)? {
            next.company = company;
        }
        if let Some(mode) =
            fields.choice(name::CREDENTIALS, &Credentials::NAMES, "\"omit\", \"same-origin\" or \"include\"")?
        {
            next.transport.credentials = mode;
        }
        if let Some(ms) =
            fields.number(name::TIMEOUT_MS, 100.0, 120_000.0, "a number of milliseconds from 100 to 120000")?
        {
            next.transport.timeout_ms = ms;
        }
        if let Some(simple) = fields.boolean(name::SIMPLE_REQUEST)? {
            next.transport.simple_request = simple;
        }
        if let Some(event) = fields.text(name::TRACK_EVENT)? {
            next.track_event = Some(event);
        }
        if let Some(locale) = fields.text(name::LOCALE)? {
            next.locale = Some(locale);
        }
        if let Some(redact) = fields.boolean(name::REDACT)? {
            next.redact = redact;
        }
        const THEMES: [(&str, Theme); 3] = [("auto", Theme::Auto), ("light", Theme::Light), ("dark", Theme::Dark)];
        if let Some(theme) = fields.choice(name::THEME, &THEMES, "\"light\", \"dark\" or \"auto\"")? {
            next.theme = theme;
        }
        const POSITIONS: [(&str, Position); 4] = [
            ("bottom-right", Position::BottomRight),
            ("bottom-left", Position::BottomLeft),
            ("top-right", Position::TopRight),
            ("top-left", Position::TopLeft),
        ];
        let expected = "\"bottom-right\", \"bottom-left\", \"top-right\" or \"top-left\"";
        if let Some(position) = fields.choice(name::POSITION, &POSITIONS, expected)? {
            next.position = position;
        }
        if let Some(strings) = fields.raw(name::STRINGS) {
            super::strings::validate_overrides(strings, &fields.name(name::STRINGS))?;
            next.strings = strings.clone();
        }
        if let Some(headers) = fields.raw(name::HEADERS) {
            next.transport.headers = parse_headers(headers, &fields.name(name::HEADERS))?;
        }
        if let (true, Some((header, _))) = (next.transport.simple_request, next.transport.headers.first()) {
            return Err(Error::new(
                fields.name(name::HEADERS),
                ErrorKind::BadText {
                    expected: "no extra headers in simple-request mode (they would need a CORS preflight)",
                    found: header.clone(),
                },
            ));
        }
        Ok(next)
    }
}

/// Header names we set ourselves, the ones the browser forbids (the Fetch
/// standard's list: it drops them without a word, as it does any name
/// starting `proxy-` or `sec-`, refused here too) and one a plain object
/// cannot hold. (The method overrides, `X-HTTP-Method-Override` and the
/// like, it drops only with CONNECT, TRACE or TRACK: let through.)
const RESERVED_HEADERS: [&str; 24] = [
    "content-type",
    "idempotency-key",
    "__proto__",
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

fn parse_headers(value: &Value, field: &str) -> Result<Vec<(String, String)>, Error> {
    let Value::Object(fields) = value else {
        return Err(Error::new(
            field,
            ErrorKind::WrongType { expected: "an object of header names to values", found: value.kind() },
        ));
    };
    let mut headers = Vec::new();
    for (key, v) in fields {
        let token =
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let lower = key.to_ascii_lowercase();
        let forbidden = lower.starts_with("proxy-") || lower.starts_with("sec-");
        if !token || forbidden || RESERVED_HEADERS.contains(&lower.as_str()) {
            return Err(Error::new(
                field,
                ErrorKind::BadText {
                    expected: "a header name the widget may set (not Content-Type, Idempotency-Key or one the browser forbids)",
                    found: key.clone(),
                },
            ));
        }
        let Value::String(text) = v else {
            return Err(Error::new(
                [field, ".", key].concat(),
                ErrorKind::WrongType { expected: "a string", found: v.kind() },
            ));
        };
        if text.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
            return Err(Error::new(
                [field, ".", key].concat(),
                ErrorKind::BadText { expected: "a value without line breaks", found: text.clone() },
            ));
        }
        // `fetch` refuses a value outside Latin-1 as a network error, every
        // time: said here, once, instead of an answer that never leaves.
        if text.chars().any(|c| c > '\u{ff}') {
            return Err(Error::new(
                [field, ".", key].concat(),
                ErrorKind::BadText { expected: "a value in Latin-1 (what HTTP headers carry)", found: text.clone() },
            ));
        }
        if headers.iter().any(|(name, _): &(String, String)| name.eq_ignore_ascii_case(key)) {
            return Err(Error::new(
                field,
                ErrorKind::BadText {
                    expected: "each header name once (names are not case-sensitive)",
                    found: key.clone(),
                },
            ));
        }
        headers.push((key.clone(), text.clone()));
    }
    Ok(headers)
}

impl Endpoint {
    /// Accepts http(s) URLs without a user name or password; plain http
    /// only for this machine (`localhost`, `*.localhost`, `127.0.0.0/8`,
    /// `[::1]`).
    pub fn parse(raw: &str, resolve: impl Fn(&str) -> Option<ResolvedUrl>) -> Result<Endpoint, ErrorKind> {
        let not_a_url = || ErrorKind::NotAUrl { found: raw.to_owned() };
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(not_a_url());
        }
        let url = resolve(raw).ok_or_else(not_a_url)?;
        // (`user:password@` before the host: `fetch` throws for such a URL.)
        if origin(&url.href).as_bytes().contains(&b'@') {
            return Err(ErrorKind::CredentialsInEndpoint);
        }
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

/// The scheme and authority of an absolute URL as the browser writes it
/// (always with a path: `https://user@host:8080/c?x`), what comes before
/// its third `/` (`https://user@host:8080`): what the endpoint check and
/// delivery's same-origin test read. On bytes: `str::find` with a string
/// brings its own searcher, a kilobyte, into the wasm.
pub fn origin(href: &str) -> &str {
    let mut slashes = 0;
    for (at, byte) in href.bytes().enumerate() {
        if byte == b'/' {
            slashes += 1;
            if slashes == 3 {
                return href.get(..at).unwrap_or(href);
            }
        }
    }
    href
}

/// True for host names that can only mean this machine.
pub fn is_local_host(hostname: &str) -> bool {
    let host = hostname.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host == "[::1]" || is_loopback_v4(&host)
}

/// `127.x.y.z`, each part a number from 0 to 255 in at most three
/// digits. Read as bytes: `str::split` and `str::parse` bring their own
/// searching and number-reading code into the wasm for this one check.
fn is_loopback_v4(host: &str) -> bool {
    let parts: Vec<&[u8]> = host.as_bytes().split(|&b| b == b'.').collect();
    let byte = |part: &&[u8]| {
        (1..=3).contains(&part.len())
            && part.iter().all(u8::is_ascii_digit)
            && part.iter().fold(0u16, |n, digit| n * 10 + u16::from(digit - b'0')) <= 255
    };
    parts.len() == 4 && parts[0] == b"127" && parts.iter().all(byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        for (href, origin_of) in [
            ("https://api.example/c?x=a@b", "https://api.example"),
            ("https://user:pw@api.example:8443/c", "https://user:pw@api.example:8443"),
            ("http://localhost:3000/?q", "http://localhost:3000"),
            ("https://api.example/", "https://api.example"),
            ("not a url", "not a url"),
        ] {
            assert_eq!(origin(href), origin_of, "{href}");
        }
    }

    #[test]
    fn local_hosts_are_this_machine_only() {
        for host in ["localhost", "LOCALHOST.", "app.localhost", "[::1]", "127.0.0.1", "127.255.255.255", "127.0.0.001"]
        {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "example.com",
            "127.0.0.256",
            "127.0.0",
            "127.0.0.1.2",
            "127..0.1",
            "127.0.0.1000",
            "127.0.0.-1",
            "127.0.0.+1",
            "128.0.0.1",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
