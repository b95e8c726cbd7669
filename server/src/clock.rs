//! Time as milliseconds since the Unix epoch (UTC), and the few calendar
//! conversions the inbox needs, without a date library.

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;
pub const WEEK_MS: i64 = 7 * DAY_MS;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// `2026-11-27T09:05:03.123Z`.
pub fn rfc3339(ms: i64) -> String {
    let (days, rem) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (rem / HOUR_MS, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// `2026-11-27 09:05` (UTC), for people.
pub fn short(ms: i64) -> String {
    let full = rfc3339(ms);
    format!("{} {}", &full[..10], &full[11..16])
}

/// `2026-11-27`.
pub fn date(ms: i64) -> String {
    rfc3339(ms)[..10].to_owned()
}

/// The start of a `YYYY-MM-DD` day (UTC), or `None` if it is not a date.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Reject 2026-02-30 and friends: the day must round-trip.
    (civil_from_days(days) == (y, m, d)).then_some(days * DAY_MS)
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
