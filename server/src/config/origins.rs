//! Origins from flags: `--public-url` and `--allow-origin`.

use super::Origins;

/// `--public-url`: `http(s)://host[:port]` with at most a `/` after it,
/// returned as the origin a browser would send for it (lowercase, without
/// the scheme's default port).
pub(super) fn parse_public_url(url: &str) -> Result<String, String> {
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
pub(super) fn parse_origins(list: &str) -> Result<Origins, String> {
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
