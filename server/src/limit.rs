//! A per-client token bucket: `per_minute` posts a minute on average, in
//! bursts of up to half that, answered with how long to wait when empty.
//! Work per request is O(1) and memory is bounded: buckets live in two
//! generations of at most [`MAX_TRACKED`] each. When the young one is
//! full, the old one is dropped whole and the young one becomes old; a
//! client found in the old one moves to the young one. A client forgotten
//! that way starts again with a full bucket, which is what an idle
//! client would have anyway (a generation holds 50,000 clients).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

pub struct RateLimit {
    /// Tokens added per second.
    rate: f64,
    burst: f64,
    buckets: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    young: HashMap<IpAddr, Bucket>,
    old: HashMap<IpAddr, Bucket>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Clients in one generation.
pub const MAX_TRACKED: usize = 50_000;

impl RateLimit {
    /// `None` when `per_minute` is 0 (no limit).
    pub fn per_minute(per_minute: u32, burst: u32) -> Option<RateLimit> {
        (per_minute > 0).then(|| RateLimit {
            rate: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(Generations::default()),
        })
    }

    /// Takes a token for `client`, or says how many seconds until one is free.
    pub fn take(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        self.spend(client, now, true)
    }

    /// Whether `client` has a token, without taking it (to count only
    /// failed attempts, e.g. wrong passwords).
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        self.spend(client, now, false)
    }

    fn spend(&self, client: IpAddr, now: Instant, take: bool) -> Result<(), u64> {
        let client = bucket_key(client);
        let mut guard = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let generations = &mut *guard;
        if !generations.young.contains_key(&client) {
            let moved = generations.old.remove(&client);
            if generations.young.len() >= MAX_TRACKED {
                generations.old = std::mem::take(&mut generations.young);
            }
            generations.young.insert(client, moved.unwrap_or(Bucket { tokens: self.burst, at: now }));
        }
        let bucket = generations.young.get_mut(&client).expect("inserted above");
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            if take {
                bucket.tokens -= 1.0;
            }
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / self.rate).ceil().max(1.0) as u64)
        }
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        let g = self.buckets.lock().unwrap();
        g.young.len() + g.old.len()
    }
}

/// One bucket per IPv4 address and per IPv6 /64 (one customer's network:
/// a single host can use the whole /64).
pub fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bursts_then_waits_then_refills() {
        let limit = RateLimit::per_minute(60, 3).unwrap();
        let (ip, t0) = (IpAddr::from([10, 0, 0, 1]), Instant::now());
        for _ in 0..3 {
            assert_eq!(limit.take(ip, t0), Ok(()));
        }
        assert_eq!(limit.take(ip, t0), Err(1), "one a second");
        assert_eq!(limit.take(IpAddr::from([10, 0, 0, 2]), t0), Ok(()), "clients are apart");
        assert_eq!(limit.take(ip, t0 + Duration::from_millis(1100)), Ok(()));
        assert!(limit.take(ip, t0 + Duration::from_millis(1200)).is_err());
        assert_eq!(limit.take(ip, t0 + Duration::from_secs(60)), Ok(()), "refilled");
        assert!(RateLimit::per_minute(0, 10).is_none());
        let other = IpAddr::from([10, 0, 0, 3]);
        for _ in 0..10 {
            assert_eq!(limit.check(other, t0), Ok(()), "checking takes nothing");
        }
    }

    #[test]
    fn an_ipv6_network_shares_one_bucket() {
        let limit = RateLimit::per_minute(60, 1).unwrap();
        let t0 = Instant::now();
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert!(limit.take(a, t0).is_ok());
        assert!(limit.take(b, t0).is_err());
        assert!(limit.take("2001:db8:1:3::1".parse().unwrap(), t0).is_ok());
    }

    #[test]
    fn memory_is_bounded_and_a_busy_client_is_remembered() {
        let limit = RateLimit::per_minute(60, 2).unwrap();
        let t0 = Instant::now();
        let busy = IpAddr::from([10, 9, 9, 9]);
        assert!(limit.take(busy, t0).is_ok() && limit.take(busy, t0).is_ok());
        assert!(limit.take(busy, t0).is_err());
        for i in 0..(3 * MAX_TRACKED as u32) {
            let _ = limit.take(IpAddr::from((i + 1).to_be_bytes()), t0);
            if i % 20_000 == 0 {
                assert!(limit.take(busy, t0).is_err(), "a client still sending stays limited");
            }
        }
        assert!(limit.tracked() <= 2 * MAX_TRACKED, "bounded: {}", limit.tracked());
    }
}
