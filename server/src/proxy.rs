//! Which peers may speak for the client: `--trusted-proxy` ranges
//! ([`Cidr`]), and the client's address taken from `X-Forwarded-For` only
//! through those ([`client_ip`]). Forwarding headers from any other peer
//! are removed before a handler sees them ([`strip_forwarding`]), so no
//! handler can trust them by mistake.
//!
//! The ranges are parsed here rather than with a crate: `std` parses the
//! addresses, what is left is a prefix length and a mask, and the rules
//! are ours to state (a bare address is a /32 or /128; host bits set are a
//! mistake, named; an IPv4-mapped IPv6 peer is matched as IPv4).

use std::fmt;
use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName};

/// A range of addresses: an address and how many of its leading bits count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `10.0.0.0/8`, `2001:db8::/32`, or a bare address (`127.0.0.1`,
    /// `::1`) for that address alone. The error says what is wrong, without
    /// the flag's name (the caller adds it).
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| format!("{addr:?} is not an IPv4 or IPv6 address"))?;
        let bits = max_prefix(addr);
        let prefix = match prefix {
            None => bits,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= bits && p.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(format!("the prefix length {p:?} is not a number from 0 to {bits}")),
            },
        };
        let cidr = Cidr { addr, prefix };
        let network = cidr.network();
        if network != addr {
            return Err(format!("{text} has bits set past its /{prefix}; the range is {network}/{prefix}"));
        }
        Ok(cidr)
    }

    /// Whether `ip` is in this range (IPv4-mapped IPv6 addresses count as
    /// the IPv4 address they carry).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => masked(u32::from(ip).into(), 32, self.prefix) == u32::from(net).into(),
            (IpAddr::V6(net), IpAddr::V6(ip)) => masked(u128::from(ip), 128, self.prefix) == u128::from(net),
            _ => false,
        }
    }

    fn network(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(a) => IpAddr::from((masked(u32::from(a).into(), 32, self.prefix) as u32).to_be_bytes()),
            IpAddr::V6(a) => IpAddr::from(masked(u128::from(a), 128, self.prefix).to_be_bytes()),
        }
    }

    /// `127.0.0.0/8` and `::1`: what the deprecated `--trust-proxy` trusts.
    pub fn loopback() -> [Cidr; 2] {
        [
            Cidr { addr: IpAddr::from([127, 0, 0, 0]), prefix: 8 },
            Cidr { addr: IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]), prefix: 128 },
        ]
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn max_prefix(addr: IpAddr) -> u8 {
    if addr.is_ipv4() {
        32
    } else {
        128
    }
}

/// `value` (an address `width` bits wide) with all but its leading
/// `prefix` bits cleared.
fn masked(value: u128, width: u32, prefix: u8) -> u128 {
    let host_bits = width - u32::from(prefix);
    value.checked_shr(host_bits).map_or(0, |network| network << host_bits)
}

/// Whether `ip` is in any of `ranges`.
pub fn trusted(ranges: &[Cidr], ip: IpAddr) -> bool {
    ranges.iter().any(|r| r.contains(ip))
}

/// The headers a proxy sets about the client, which only a trusted proxy
/// may send.
const FORWARDING: [&str; 4] = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded"];

/// Removes the forwarding headers from a request whose peer is not a
/// trusted proxy: from anyone else they are only claims.
pub fn strip_forwarding(headers: &mut HeaderMap) {
    for name in FORWARDING {
        headers.remove(HeaderName::from_static(name));
    }
}

/// The client's address: the socket's `peer`, unless the peer is a trusted
/// proxy; then the right-most `X-Forwarded-For` hop that is not itself a
/// trusted proxy (each trusted proxy vouches for the hop to its left, and
/// only those). A hop that is not an address ends the walk at the last
/// address vouched for. Addresses are compared as IPv4 when they are
/// IPv4-mapped.
pub fn client_ip(ranges: &[Cidr], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted(ranges, client) {
        return client;
    }
    // Several header lines are one list, in order.
    let lines: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    for hop in lines.iter().rev().flat_map(|line| line.rsplit(',')) {
        if !trusted(ranges, client) {
            break;
        }
        match parse_hop(hop) {
            Some(ip) => client = ip.to_canonical(),
            None => break,
        }
    }
    client
}

/// `203.0.113.9`, `2001:db8::1`, and the forms with a port or brackets
/// some proxies write (`203.0.113.9:4711`, `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ranges_parse_or_say_why_not() {
        let good = [
            ("10.0.0.0/8", "10.0.0.0/8"),
            ("192.168.1.0/24", "192.168.1.0/24"),
            (" 172.16.0.0/12 ", "172.16.0.0/12"),
            ("127.0.0.1", "127.0.0.1/32"),
            ("0.0.0.0/0", "0.0.0.0/0"),
            ("203.0.113.7/32", "203.0.113.7/32"),
            ("::1", "::1/128"),
            ("2001:db8::/32", "2001:db8::/32"),
            ("fd00::/8", "fd00::/8"),
            ("::/0", "::/0"),
            ("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"),
        ];
        for (text, shown) in good {
            assert_eq!(Cidr::parse(text).map(|c| c.to_string()), Ok(shown.to_owned()), "{text}");
        }
        let bad = [
            ("", "not an IPv4 or IPv6 address"),
            ("proxy.internal", "not an IPv4 or IPv6 address"),
            ("10.0.0/8", "not an IPv4 or IPv6 address"),
            ("[::1]", "not an IPv4 or IPv6 address"),
            ("10.0.0.0/33", "0 to 32"),
            ("10.0.0.0/", "0 to 32"),
            ("10.0.0.0/+8", "0 to 32"),
            ("10.0.0.0/8/8", "0 to 32"),
            ("::/129", "0 to 128"),
            ("/8", "not an IPv4 or IPv6 address"),
            ("10.1.2.3/8", "the range is 10.0.0.0/8"),
            ("2001:db8::1/32", "the range is 2001:db8::/32"),
        ];
        for (text, why) in bad {
            let err = Cidr::parse(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }

    #[test]
    fn ranges_contain_what_they_should() {
        let cases = [
            ("10.0.0.0/8", "10.255.1.2", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("10.0.0.0/8", "::ffff:10.1.2.3", true),
            ("192.168.1.0/24", "192.168.1.255", true),
            ("192.168.1.0/24", "192.168.2.0", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("127.0.0.1", "127.0.0.2", false),
            ("0.0.0.0/0", "203.0.113.9", true),
            ("0.0.0.0/0", "2001:db8::1", false),
            ("::1", "::1", true),
            ("::1", "::2", false),
            ("::1", "127.0.0.1", false),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("fd00::/8", "fd12:3456::1", true),
            ("::/0", "2001:db8::1", true),
            ("172.16.0.0/12", "172.31.255.255", true),
            ("172.16.0.0/12", "172.32.0.0", false),
        ];
        for (range, addr, want) in cases {
            assert_eq!(Cidr::parse(range).unwrap().contains(ip(addr)), want, "{range} {addr}");
        }
        let [v4, v6] = Cidr::loopback();
        assert!(v4.contains(ip("127.8.9.10")) && v6.contains(ip("::1")) && !v4.contains(ip("128.0.0.1")));
    }

    #[test]
    fn the_client_is_the_rightmost_hop_no_trusted_proxy_vouches_past() {
        let ranges = [Cidr::parse("127.0.0.1").unwrap(), Cidr::parse("10.0.0.0/8").unwrap()];
        let cases: [(&str, &[&str], &str); 13] = [
            // Not from a trusted proxy: the header is ignored.
            ("198.51.100.1", &["203.0.113.9"], "198.51.100.1"),
            // From our proxy: the hop it appended.
            ("127.0.0.1", &["203.0.113.9"], "203.0.113.9"),
            // A client's own claim to the left does not count.
            ("127.0.0.1", &["1.2.3.4, 203.0.113.9"], "203.0.113.9"),
            // Through two of our proxies.
            ("127.0.0.1", &["1.2.3.4, 203.0.113.9, 10.1.2.3"], "203.0.113.9"),
            // Across header lines, in order.
            ("127.0.0.1", &["1.2.3.4", "203.0.113.9, 10.1.2.3"], "203.0.113.9"),
            // Every hop trusted: the left-most.
            ("127.0.0.1", &["10.0.0.7, 10.0.0.8"], "10.0.0.7"),
            // No header: the proxy itself.
            ("127.0.0.1", &[], "127.0.0.1"),
            // A hop that is not an address stops the walk.
            ("127.0.0.1", &["203.0.113.9, unknown"], "127.0.0.1"),
            ("127.0.0.1", &["unknown, 10.0.0.5"], "10.0.0.5"),
            // Ports and brackets.
            ("127.0.0.1", &["203.0.113.9:4711"], "203.0.113.9"),
            ("127.0.0.1", &["[2001:db8::7]:443"], "2001:db8::7"),
            // IPv4-mapped peers and hops are IPv4.
            ("::ffff:127.0.0.1", &["::ffff:203.0.113.9"], "203.0.113.9"),
            ("::ffff:198.51.100.1", &["203.0.113.9"], "198.51.100.1"),
        ];
        for (peer, lines, want) in cases {
            let mut headers = HeaderMap::new();
            for line in lines {
                headers.append("x-forwarded-for", HeaderValue::from_str(line).unwrap());
            }
            assert_eq!(client_ip(&ranges, ip(peer), &headers), ip(want), "{peer} {lines:?}");
        }
        assert_eq!(client_ip(&[], ip("127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"), "no proxies");
    }
}
