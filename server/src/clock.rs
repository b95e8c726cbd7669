//! Time as milliseconds since the Unix epoch (UTC), and the few calendar
//! conversions the inbox needs, without a date library.

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;
pub const WEEK_MS: i64 = 7 * DAY_MS;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

pub use feedback_contract::time::{civil_from_days, days_from_civil, parse_date, rfc3339};

/// `2026-11-27 09:05` (UTC), for people.
pub fn short(ms: i64) -> String {
    let full = rfc3339(ms);
    format!("{} {}", &full[..10], &full[11..16])
}

/// `2026-11-27`.
pub fn date(ms: i64) -> String {
    rfc3339(ms)[..10].to_owned()
}

/// The number of the Monday-based week holding `ms` (1970-01-05 starts week 1).
pub fn week_of(ms: i64) -> i64 {
    (ms + 3 * DAY_MS).div_euclid(WEEK_MS)
}

/// The Monday that starts week `week`.
pub fn week_start(week: i64) -> i64 {
    week * WEEK_MS - 3 * DAY_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        // `date -u -d @1795000000` agrees.
        assert_eq!(rfc3339(1_795_000_000_123), "2026-11-18T11:06:40.123Z");
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29) * DAY_MS));
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(date(week_start(week_of(parse_date("2026-11-29").unwrap()))), "2026-11-23", "a Sunday");
        assert_eq!(date(week_start(week_of(parse_date("2026-11-23").unwrap()))), "2026-11-23", "a Monday");
    }

    #[test]
    fn days_round_trip_over_a_wide_range() {
        for z in (-800_000..800_000).step_by(37) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            let week = week_of(z * DAY_MS);
            let monday = week_start(week);
            assert!(monday <= z * DAY_MS && z * DAY_MS < monday + WEEK_MS);
            // 1970-01-05 was a Monday.
            assert_eq!((monday / DAY_MS - 4).rem_euclid(7), 0);
        }
    }
}
